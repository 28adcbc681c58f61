// The operator's desk in a real browser against the real web host: Settings (a validation error,
// then a valid save), the Dashboard on the processed sample (its documented counts, a chart saved as
// PNG), the Ledger (search, verify, payout export read back with exceljs, an adjustment refused
// without a reason then accepted), the header's job indicator and the keyboard shortcuts.
// Screenshots of each screen in light and dark go to test-results/screenshots/.
//
// It fills its database, so it starts its own web host; the tests build on each other (serial).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
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
    await expect(page.getByText('Expected an ISO 4217 code such as EUR.')).toBeVisible()
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

  test('ledger: search a player\'s transfers, verify, export a payout file and confirm it, adjust with a reason', async ({ page }) => {
    test.setTimeout(90_000)
    await open(page, '#/ledger')
    const transfers = page.getByTestId('transfers-table')

    await test.step('search a player\'s transfers', async () => {
      await page.getByRole('textbox', { name: 'Player id' }).first().fill('1005516')
      await expect(transfers.locator('tbody tr').first()).toContainText('1005516')
      const rows = transfers.locator('tbody tr')
      const count = await rows.count()
      expect(count).toBeGreaterThan(0)
      for (let index = 0; index < count; index += 1) await expect(rows.nth(index)).toContainText('1005516')
      await expect(page.getByTestId('transfers-total')).toHaveText(`${count} ${count === 1 ? 'transfer' : 'transfers'}`)
    })

    await test.step('verify: clean', async () => {
      await page.getByRole('button', { name: 'Run verify' }).click()
      await expect(page.getByTestId('verify-ok')).toContainText('transfers checked')
    })

    let references: string[] = []
    await test.step('export a payout file and read it back', async () => {
      await page.getByRole('button', { name: 'Export payout file' }).click()
      const exported = page.getByTestId('payout-exported')
      await expect(exported).toContainText('payouts exported')
      const download = page.waitForEvent('download')
      await exported.getByRole('link', { name: 'Download' }).click()
      const file = await download
      expect(file.suggestedFilename()).toMatch(/^payouts-.*\.xlsx$/)
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.readFile(await file.path())
      const sheet = workbook.worksheets[0]!
      const header = (sheet.getRow(1).values as unknown[]).slice(1)
      expect(header).toEqual(expect.arrayContaining(['player_id', 'currency', 'amount', 'reference']))
      const referenceColumn = header.indexOf('reference') + 1
      references = []
      sheet.eachRow((row, number) => {
        if (number > 1) references.push(String(row.getCell(referenceColumn).value))
      })
      const [, rows] = /([\d,]+) payouts exported/.exec((await exported.textContent()) ?? '') ?? []
      expect(references.length).toBe(Number(rows!.replace(/,/g, '')))
      expect(references.length).toBeGreaterThan(0)
      await shoot(page, 'ledger-exported')
    })

    await test.step('confirm payouts with the platform\'s file', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'lw-confirm-'))
      const confirmation = join(folder, 'confirmation.csv')
      writeFileSync(confirmation, `reference,status,note\n${references[0]},confirmed,paid\n${references[1]},rejected,account closed\n`)
      const chooser = page.waitForEvent('filechooser')
      await page.getByTestId('confirm-payouts-button').click()
      await (await chooser).setFiles(confirmation)
      await expect(page.getByTestId('payout-confirmed')).toContainText('1 confirmed · 1 rejected')
    })

    await test.step('an adjustment is refused without a reason, then posted once confirmed', async () => {
      const panel = page.getByTestId('adjust-panel')
      await panel.getByRole('textbox', { name: 'Player id' }).fill('1005516')
      await panel.getByRole('combobox', { name: 'Currency' }).click()
      await page.getByRole('option', { name: 'RP', exact: true }).click()
      await panel.getByRole('textbox', { name: /^Amount/ }).fill('250')
      await panel.getByRole('textbox', { name: 'Your name' }).fill('e2e operator')
      await panel.getByRole('button', { name: 'Adjust balance…' }).click()
      await expect(panel.getByText('A reason is required: it is kept in the audit trail.')).toBeVisible()
      await expect(page.getByRole('dialog')).toHaveCount(0)
      await panel.getByRole('textbox', { name: 'Reason' }).fill('goodwill after the outage')
      await panel.getByRole('button', { name: 'Adjust balance…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Confirm the adjustment' })
      await expect(dialog.getByTestId('adjust-summary')).toHaveText('Credit 250 RP to player 1005516?')
      await shoot(page, 'ledger-adjust-confirm')
      await dialog.getByRole('button', { name: 'Post adjustment' }).click()
      await expect(panel.getByTestId('adjust-posted')).toContainText('250 RP credited to player 1005516')
      await expect(transfers.locator('tbody tr').first()).toContainText('adjustment')
      await expect(transfers.locator('tbody tr').first()).toContainText('250 RP')
      await shoot(page, 'ledger')
    })
  })

  test('keyboard shortcuts: help, player search, new rule, open file', async ({ page }) => {
    await open(page, '#/dashboard')
    await page.locator('body').press('?')
    await expect(page.getByTestId('shortcut-help')).toContainText('Search for a player')
    await shoot(page, 'shortcut-help')
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('shortcut-help')).toHaveCount(0)

    await page.locator('body').press('/')
    await expect(page).toHaveURL(/#\/players$/)
    await expect(page.getByRole('textbox', { name: 'Search' })).toBeFocused()
    await page.getByRole('textbox', { name: 'Search' }).press('Escape')

    await page.goto(`${new URL(host.url).origin}/#/ledger`)
    await page.locator('body').press('Control+k')
    await expect(page).toHaveURL(/#\/players$/)
    await expect(page.getByRole('textbox', { name: 'Search' })).toBeFocused()

    await page.getByRole('heading', { name: 'Players', exact: true }).click()
    await page.keyboard.press('Control+n')
    await expect(page).toHaveURL(/#\/rules\/new$/)

    const chooser = page.waitForEvent('filechooser')
    await page.keyboard.press('Control+o')
    await chooser
    await expect(page).toHaveURL(/#\/import$/)
  })

  test('the header\'s job indicator follows a long import from any screen, and cancels it', async ({ page }) => {
    test.setTimeout(120_000)
    // A summary big enough to take a few seconds to import.
    const folder = mkdtempSync(join(tmpdir(), 'lw-big-'))
    const big = join(folder, 'big-summary.csv')
    const lines = ['Player ID,Turnover,Winnings,Sessions']
    for (let index = 0; index < 300_000; index += 1) lines.push(`B${index},${1000 + (index % 5000)},${900 + (index % 4000)},${1 + (index % 200)}`)
    writeFileSync(big, lines.join('\n'))

    await open(page, '#/import')
    await expect(page.getByTestId('job-indicator')).toHaveCount(0)
    await page.getByTestId('import-file-input').setInputFiles(big)
    await expect(page.getByTestId('import-preview')).toBeVisible({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const indicator = page.getByTestId('job-indicator')
    await expect(indicator).toContainText('Importing')

    // Other screens stay usable while it runs, and the indicator stays in the header.
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click()
    await expect(page.getByTestId('kpi-players-value')).toHaveText('100')
    await expect(indicator).toContainText('Importing')
    await indicator.click()
    const list = page.getByTestId('job-list')
    await expect(list).toContainText('Importing')
    await shoot(page, 'job-indicator')
    await list.getByRole('button', { name: 'Cancel' }).click()
    await expect(indicator).toHaveCount(0, { timeout: 30_000 })
    await page.getByRole('link', { name: 'Import', exact: true }).click()
    await expect(page.getByTestId('import-cancelled')).toContainText('Nothing was written')
  })
})
