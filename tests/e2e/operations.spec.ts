// The operator's desk in a real browser against the real web host: Settings (a validation error,
// then a valid save), the Dashboard on the processed sample (its documented counts, a chart saved as
// PNG), the Ledger (search, verify, payout export read back with exceljs, an adjustment refused
// without a reason then accepted), the header's job indicator and the keyboard shortcuts.
// Screenshots of each screen in light and dark go to test-results/screenshots/.
//
// It fills its database, so it starts its own web host; the tests build on each other (serial).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { startE2eWebHost, type E2eWebHost } from './web-host'

test.describe.serial('operations: dashboard, ledger, settings, job indicator', () => {
  let host: E2eWebHost

  /** A call to the web host's API as the UI makes it (the token as a bearer instead of the cookie). */
  async function apiCall(name: string, input: unknown): Promise<{ data?: unknown; error?: { message: string } }> {
    const url = new URL(host.url)
    const response = await fetch(new URL('/api/call', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token')}`, origin: url.origin },
      body: JSON.stringify({ name, input, callId: `e2e${Date.now()}` }),
    })
    return (await response.json()) as { data?: unknown; error?: { message: string } }
  }

  async function open(page: Page, hash = ''): Promise<void> {
    await page.goto(host.url + hash)
    await expect(page.getByRole('heading', { name: 'Loyalty Workstation' })).toBeVisible()
  }

  async function setTheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
    // The app follows the system theme until the operator picks one; Mantine listens to the media query.
    await page.emulateMedia({ colorScheme: scheme })
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme)
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await setTheme(page, 'light')
    await saveScreenshot(page, `${name}-light`)
    await setTheme(page, 'dark')
    await saveScreenshot(page, `${name}-dark`)
    await setTheme(page, 'light')
  }

  test.beforeAll(async () => {
    host = await startE2eWebHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('the dashboard says what to do before anything is imported', async ({ page }) => {
    await open(page, '#/dashboard')
    await expect(page.getByTestId('empty-state')).toContainText('No players yet')
    await expect(page.getByRole('button', { name: 'Import a spreadsheet' })).toBeVisible()
    await shoot(page, 'dashboard-empty')
  })

  test('settings: a validation error blocks saving, a valid change is saved and kept', async ({ page }) => {
    await open(page, '#/settings')
    await expect(page.getByTestId('settings-state')).toHaveText('Using the defaults: nothing saved yet.')
    await expect(page.getByTestId('data-folder')).not.toHaveValue('')
    const save = page.getByRole('button', { name: 'Save settings' })
    await expect(save).toBeDisabled()

    const slots = page.getByRole('textbox', { name: 'House edge slots' })
    await slots.fill('140')
    await expect(page.getByTestId('house-edges')).toContainText('Must be at most 100 %.')
    await expect(page.getByTestId('settings-state')).toHaveText('1 value needs fixing before you can save.')
    await expect(save).toBeDisabled()
    const code = page.getByRole('textbox', { name: 'Currency code' })
    await code.fill('E1')
    await expect(page.getByText('expected an ISO 4217 code such as EUR.')).toBeVisible()
    await shoot(page, 'settings-invalid')

    await code.fill('EUR')
    await slots.fill('4.5')
    await page.getByRole('textbox', { name: 'Safety factor' }).fill('75')
    await expect(page.getByTestId('settings-state')).toHaveText('Unsaved changes.')
    await save.click()
    await expect(page.getByTestId('settings-saved')).toContainText('Changed: houseEdges.slots, safetyFactor')

    await page.reload()
    await expect(page.getByRole('textbox', { name: 'House edge slots' })).toHaveValue('4.5 %')
    await expect(page.getByRole('textbox', { name: 'Safety factor' })).toHaveValue('75 %')
    await expect(page.getByTestId('settings-state')).toContainText('Saved ')
    const saved = (await apiCall('settings/get', {})).data as { settings: { safetyFactor: number; houseEdges: Record<string, number> } }
    expect(saved.settings.safetyFactor).toBe(0.75)
    expect(saved.settings.houseEdges.slots).toBe(0.045)
    await shoot(page, 'settings')

    // Back to the defaults the sample's documented results assume.
    await page.getByRole('textbox', { name: 'House edge slots' }).fill('4')
    await page.getByRole('textbox', { name: 'Safety factor' }).fill('80')
    await save.click()
    await expect(page.getByTestId('settings-saved')).toBeVisible()
  })

  test('dashboard: the sample\'s documented counts, a date filter, and a chart saved as PNG', async ({ page }) => {
    test.setTimeout(120_000)
    const processed = await apiCall('process/run', { paths: [resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')] })
    expect(processed.error).toBeUndefined()
    await open(page, '#/dashboard')
    // resources/samples/README.md: 100 players, 14 blocked decisions, 5 in the review queue.
    await expect(page.getByTestId('kpi-players-value')).toHaveText('100')
    await expect(page.getByTestId('kpi-blocked-value')).toHaveText('14')
    await expect(page.getByTestId('kpi-review-value')).toHaveText('5')
    await expect(page.getByTestId('dashboard-as-of')).toHaveText('Latest evaluation as of 2026-11-20')
    // Reward cost: €3,923.53 of bonus money + 71,796 RP × €0.01 × 60% + 10 tickets × €1 = €4,364.31.
    await expect(page.getByTestId('kpi-reward-cost-value')).toHaveText('€4,364.31')
    const segments = page.getByTestId('chart-segments')
    await expect(segments.locator('canvas')).toBeVisible()
    await expect(page.getByTestId('chart-cost-by-rule').locator('canvas')).toBeVisible()
    await expect(page.getByTestId('blocked-reasons')).toContainText('The abuse score is too high')
    await shoot(page, 'dashboard')

    const download = page.waitForEvent('download')
    await segments.getByRole('button', { name: 'Save Players by segment as PNG' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('players-by-segment.png')
    const png = readFileSync(await file.path())
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(5_000)

    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2026-11-19')
    await expect(page.getByTestId('kpi-reward-cost-value')).toHaveText('€0.00')
    await expect(page.getByTestId('kpi-players-value')).toHaveText('100')
    await expect(page.getByTestId('chart-cost-by-rule')).toContainText('No rewards were issued in this period.')
    await page.getByRole('button', { name: 'All dates' }).click()
    await expect(page.getByTestId('kpi-reward-cost-value')).toHaveText('€4,364.31')
  })
})
