import { request } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'

test('opens the app from the printed URL and shows the database in About', async ({ page, app }) => {
  await app.open()
  // The token moved from the address bar into a cookie.
  expect(page.url()).not.toContain('token=')
  await page.getByRole('link', { name: 'About' }).click()
  await expect(page).toHaveURL(/#\/about$/)
  await expect(page.getByTestId('about-db-path')).toHaveText(process.env.LOYALTY_E2E_DB ?? '')
  await expect(page.getByTestId('about-schema-version')).toHaveText(/Schema version (\d+) of \1/)
  await expect(page.getByTestId('about-tables')).toContainText('ledger_transfers')
  await expect(page.getByText('Browser (local web host)')).toBeVisible()
  await saveScreenshot(page, 'about')
})

test('every screen is reachable and says what to do next when empty', async ({ page, app }) => {
  await app.open()
  const expectations: [string, RegExp][] = [
    ['Dashboard', /No players yet/],
    ['Import', /No spreadsheet opened yet/],
    ['Players', /No players yet/],
    ['Rules', /No reward rules yet/],
    ['Segments', /Nothing to segment yet/],
    ['Simulation', /Nothing to simulate yet/],
    ['Reports', /Nothing to report yet/],
    ['Review', /Nothing to review/],
  ]
  for (const [screen, text] of expectations) {
    await page.getByRole('link', { name: screen, exact: true }).click()
    await expect(page.getByRole('heading', { name: screen, level: 2 })).toBeVisible()
    await expect(page.getByTestId('empty-state')).toContainText(text)
  }
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await page.getByRole('button', { name: 'Import a spreadsheet' }).click()
  await expect(page.getByRole('heading', { name: 'Import', level: 2 })).toBeVisible()
  await saveScreenshot(page, 'import-empty')
})

test('keeps the screen across a reload and switches between light and dark themes', async ({ page, app }) => {
  await app.open('#/review')
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible()
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible()
  const html = page.locator('html')
  const before = await html.getAttribute('data-mantine-color-scheme')
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click()
  const after = before === 'dark' ? 'light' : 'dark'
  await expect(html).toHaveAttribute('data-mantine-color-scheme', after)
  await page.getByRole('link', { name: 'Dashboard' }).click()
  await saveScreenshot(page, `dashboard-${after}`)
})

test('refuses the same address without the token, or with another Host header', async ({ app }) => {
  const origin = new URL(app.url).origin
  const anonymous = await request.newContext()
  const withoutToken = await anonymous.get(`${origin}/`)
  expect(withoutToken.status()).toBe(401)
  expect(await withoutToken.text()).toMatch(/access token is missing or wrong/)
  const foreignHost = await anonymous.get(app.url, { headers: { Host: 'attacker.example' }, maxRedirects: 0 })
  expect(foreignHost.status()).toBe(403)
  const apiWithoutToken = await anonymous.post(`${origin}/api/call`, { data: { name: 'db/info', input: {}, callId: 'x1' } })
  expect(apiWithoutToken.status()).toBe(401)
  await anonymous.dispose()
})
