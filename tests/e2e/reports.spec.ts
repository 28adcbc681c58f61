// The Reports screen on the processed sample, in a real browser against the real web host: each
// report's chart and table, a date range checked as it is typed, and the Excel export downloaded
// and read back. Its own web host: it fills its database. Steps build on each other.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { startE2eWebHost, type E2eWebHost } from './web-host'

test.describe.serial('reports', () => {
  let host: E2eWebHost
  test.beforeAll(async () => {
    host = await startE2eWebHost()
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  async function open(page: Page, hash = ''): Promise<void> {
    await page.goto(host.url + hash)
    await expect(page.getByRole('heading', { name: 'Loyalty Workstation' })).toBeVisible()
  }

  test('before anything is imported, says where to start', async ({ page }) => {
    await open(page, '#/reports')
    await expect(page.getByTestId('empty-state')).toContainText('Nothing to report yet')
    await page.getByRole('button', { name: 'Import a spreadsheet' }).click()
    await expect(page).toHaveURL(/#\/import$/)
  })

  test('reads every report of the processed sample and exports them to Excel', async ({ page }) => {
    test.setTimeout(180_000)
    await open(page, '#/import')

    await test.step('import and process the sample', async () => {
      await page.getByTestId('import-file-input').setInputFiles(resolve('resources/samples/players.xlsx'))
      await expect(page.getByTestId('import-preview')).toBeVisible()
      await page.getByRole('button', { name: 'Import', exact: true }).click()
      await expect(page.getByTestId('import-result')).toBeVisible({ timeout: 30_000 })
      await page.getByTestId('import-file-input').setInputFiles(resolve('resources/samples/events.jsonl'))
      await expect(page.getByTestId('preview-kind')).toHaveText('Activity events')
      await page.getByRole('button', { name: 'Import', exact: true }).click()
      await expect(page.getByTestId('import-result')).toContainText('activity events', { timeout: 30_000 })
      await page.getByRole('button', { name: 'Process now' }).click()
      await expect(page.getByTestId('process-result')).toBeVisible({ timeout: 60_000 })
    })

    await test.step('ROI per rule: the sample has no hold-out, and the report says so', async () => {
      await page.getByRole('link', { name: 'Reports' }).click()
      await expect(page.getByRole('heading', { name: 'Reports', level: 2 })).toBeVisible()
      const table = page.getByTestId('report-table')
      const cashback = table.locator('tbody tr').filter({ hasText: 'LOSING_PLAYER_CASHBACK' })
      await expect(cashback).toContainText('no control group: ROI not measurable')
      await expect(table.locator('tbody tr').filter({ hasText: 'SUMMER_RP_PROMO' })).toContainText('no rewards paid in this range')
      await expect(page.getByTestId('report-chart').locator('svg')).toBeVisible()
      await saveScreenshot(page, 'reports-roi')
    })

    await test.step('segments: every player of the base, with GGR, cost and NGR', async () => {
      await page.getByTestId('report-picker').getByText('Segments').click()
      await expect(page).toHaveURL(/#\/reports\/segments$/)
      const rows = page.getByTestId('report-table').locator('tbody tr')
      await expect(rows).toHaveCount(6)
      await expect(rows.filter({ hasText: 'Total' }).locator('td').nth(1)).toHaveText('100')
      await expect(rows.filter({ hasText: 'LOSING' }).locator('td').nth(1)).toHaveText('35')
      await saveScreenshot(page, 'reports-segments')
    })

    await test.step('profit per month, then per week', async () => {
      await page.getByTestId('report-picker').getByText('Profit').click()
      await expect(page.getByTestId('report-table').locator('tbody tr')).toHaveCount(1)
      await expect(page.getByTestId('report-table')).toContainText('Nov 2026')
      await page.getByRole('combobox', { name: 'Per' }).click()
      await page.getByRole('option', { name: 'Week' }).click()
      await expect(page.getByTestId('report-table')).toContainText('week of 2026-11-16')
      await saveScreenshot(page, 'reports-profit')
    })

    await test.step('a range that ends before it starts is pointed out, and nothing is asked for', async () => {
      await page.getByTestId('report-from').fill('2026-11-21')
      await page.getByTestId('report-to').fill('2026-11-01')
      await expect(page.getByText('the end is before the start')).toBeVisible()
      await page.getByTestId('report-from').fill('2026-11-01')
      await expect(page.getByText('the end is before the start')).toHaveCount(0)
      await page.getByTestId('report-to').fill('2026-11-30')
      await expect(page.getByTestId('report-table')).toContainText('week of 2026-11-30')
    })

    await test.step('churn risk: the most valuable quiet players, each a way to their page', async () => {
      await page.getByTestId('report-picker').getByText('Churn risk').click()
      const rows = page.getByTestId('report-table').locator('tbody tr')
      await expect(rows.first()).toContainText(/no activity for \d+ days/)
      await saveScreenshot(page, 'reports-churn')
      const first = (await rows.first().locator('td').first().textContent())!.trim()
      await rows.first().click()
      await expect(page).toHaveURL(new RegExp(`#/players/${first}$`))
      await page.goBack()
      await expect(page.getByTestId('report-churn')).toBeVisible()
    })

    await test.step('liability: what was issued and not yet redeemed, in money', async () => {
      await page.getByTestId('report-picker').getByText('Liability').click()
      const bonus = page.getByTestId('report-table').locator('tbody tr').filter({ hasText: 'BONUS' })
      await expect(bonus).toContainText('€3,923.53')
      await expect(page.getByTestId('report-from')).toBeDisabled()
      await saveScreenshot(page, 'reports-liability')
    })

    await test.step('export to Excel: progress, then a download of a workbook with a sheet per report', async () => {
      await page.getByTestId('export-reports').click()
      const done = page.getByTestId('export-done')
      await expect(done).toContainText('Wrote 6 sheets', { timeout: 60_000 })
      const link = page.getByTestId('export-download')
      await expect(link).toHaveAttribute('href', /^\/api\/download\?path=/)
      const response = await page.request.get(new URL((await link.getAttribute('href'))!, host.url).toString())
      expect(response.status()).toBe(200)
      const workbook = new ExcelJS.Workbook()
      const body = await response.body()
      await workbook.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer)
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Rule ROI', 'Segments', 'Profit', 'Churn risk', 'Liability'])
      await saveScreenshot(page, 'reports-exported')
    })

    await test.step('the same screen in the dark theme', async () => {
      await page.getByTestId('report-picker').getByText('Segments').click()
      const html = page.locator('html')
      if ((await html.getAttribute('data-mantine-color-scheme')) !== 'dark') await page.getByRole('button', { name: 'Switch to dark theme' }).click()
      await expect(html).toHaveAttribute('data-mantine-color-scheme', 'dark')
      await expect(page.getByTestId('report-chart').locator('svg')).toBeVisible()
      await saveScreenshot(page, 'reports-segments-dark')
      await page.getByRole('button', { name: 'Switch to light theme' }).click()
    })
  })
})

test.describe.serial('reports with a hold-out control group', () => {
  let host: E2eWebHost
  let folder: string
  test.beforeAll(async () => {
    host = await startE2eWebHost()
    // Two monthly files processed by the CLI into the host's database: a rule holding out 30%.
    folder = mkdtempSync(join(tmpdir(), 'lw-e2e-roi-'))
    const header = 'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date'
    const ids = Array.from({ length: 40 }, (_, index) => `P${String(index + 1).padStart(3, '0')}`)
    // Every player's GGR grows in February: by 400.00 for those the rule paid, by 200.00 for its control group.
    writeFileSync(join(folder, 'jan.csv'), ['Player summary — exported 2026-01-31', header, ...ids.map((id) => `${id},5000,10000,9000,20,2026-01-25,2025-06-01`)].join('\n'))
    const rules = [{ rule_id: 'FLAT_BONUS', conditions: {}, reward: { type: 'BONUS', formula: 20 }, holdout: { share: 0.3 } }]
    writeFileSync(join(folder, 'rules.json'), JSON.stringify(rules))
    const cli = (args: string[]) => spawnSync(process.execPath, ['bin/loyalty.js', '--db', host.databasePath, ...args], { encoding: 'utf8' })
    expect(cli(['process', join(folder, 'jan.csv'), '--rules', join(folder, 'rules.json')]).status).toBe(0)
    const paid = new Set(
      (JSON.parse(cli(['--json', 'decisions', '--rule', 'FLAT_BONUS']).stdout) as { player_id: string; reason: string }[]).filter((row) => row.reason !== 'control_group').map((row) => row.player_id),
    )
    const february = ids.map((id) => (paid.has(id) ? `${id},6000,14000,12600,40,2026-02-25,2025-06-01` : `${id},6000,12000,10800,40,2026-02-25,2025-06-01`))
    writeFileSync(join(folder, 'feb.csv'), ['Player summary — exported 2026-02-28', header, ...february].join('\n'))
    expect(cli(['process', join(folder, 'feb.csv'), '--rules', join(folder, 'rules.json')]).status).toBe(0)
  })
  test.afterAll(async () => {
    await host?.stop()
    rmSync(folder, { recursive: true, force: true })
  })

  test('shows the ROI measured against the control group', async ({ page }) => {
    await page.goto(host.url + '#/reports/rule-roi')
    const row = page.getByTestId('report-table').locator('tbody tr').filter({ hasText: 'FLAT_BONUS' })
    // Rewarded players gained 400.00 GGR, the control group 200.00: 200.00 extra for 20.00 each, ROI 900%.
    await expect(row).toContainText('900.0%')
    await expect(row).toContainText(/measured against \d+ control players/)
    await expect(page.getByTestId('roi-hint')).toHaveCount(0)
    await expect(page.getByTestId('report-chart').locator('svg')).toBeVisible()
    await saveScreenshot(page, 'reports-roi-measured')
  })
})
