// Every browser test fails on a console error or warning (React warnings included) or an
// uncaught page error, and can save a named screenshot for people to look at.
import { test as base, expect, type Page } from '@playwright/test'

export const screenshotDir = 'test-results/screenshots'

export const test = base.extend<{ consoleProblems: string[]; app: { url: string; open: (hash?: string) => Promise<Page> } }>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
      })
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
      await use(problems)
      expect(problems, 'console errors or warnings during the test').toEqual([])
    },
    { auto: true },
  ],
  app: async ({ page }, use) => {
    const url = process.env.LOYALTY_E2E_URL
    if (!url) throw new Error('LOYALTY_E2E_URL is not set: run through `npx playwright test` (global setup starts the web host).')
    await use({
      url,
      open: async (hash = '') => {
        await page.goto(url + hash)
        await expect(page.getByRole('heading', { name: 'Loyalty Workstation' })).toBeVisible()
        return page
      },
    })
  },
})

export { expect }

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  // From the top: a full-page capture of a scrolled page draws the fixed header mid-page.
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0))
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true })
}
