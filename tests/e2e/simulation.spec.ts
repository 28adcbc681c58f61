// The Simulation screen in a real browser against the real web host, over the processed sample:
// describe a change, run it with Monte Carlo, read the charts and tables, save it, and apply it
// after the confirmation lists exactly what changes. Its own host and database (it writes).
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, saveScreenshot, test } from './fixtures'
import { startE2eWebHost, type E2eWebHost } from './web-host'

test.describe.serial('simulation', () => {
  let host: E2eWebHost
  test.beforeAll(async () => {
    test.setTimeout(120_000)
    host = await startE2eWebHost()
    const processed = spawnSync(
      process.execPath,
      ['bin/loyalty.js', '--db', host.databasePath, 'process', resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')],
      { encoding: 'utf8' },
    )
    if (processed.status !== 0) throw new Error(`processing the sample failed: ${processed.stderr}`)
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('runs a scenario over the sample, shows charts then tables, saves it and applies it after confirming the change list', async ({ page }) => {
    test.setTimeout(120_000)
    await page.goto(host.url + '#/simulation')
    await expect(page.getByRole('heading', { name: 'Simulation', exact: true })).toBeVisible()
    await expect(page.getByTestId('empty-state')).toContainText('No simulation run yet')

    await test.step('run a tighter safety factor, as if nothing had been issued yet', async () => {
      await page.getByLabel('Name').fill('Safer rewards')
      await page.getByLabel('Safety factor').fill('0.5')
      await expect(page.getByTestId('scenario-changes')).toHaveValue(/"safetyFactor": 0.5/)
      await page.getByRole('switch', { name: 'As if nothing was issued yet' }).check({ force: true })
      await page.getByLabel('Monte Carlo trials').fill('100')
      await page.getByRole('button', { name: 'Run simulation' }).click()
      const result = page.getByTestId('simulation-result')
      await expect(result).toBeVisible({ timeout: 60_000 })
      await expect(result).toContainText('100 players as of 2026-11-20')
      // Less may go to rewards: the cost can only fall, so the net impact is not negative.
      await expect(page.getByTestId('kpi-net-impact')).not.toContainText('-')
      await expect(page.getByTestId('kpi-worse')).toContainText('%')
      for (const chart of ['chart-segment-flow', 'chart-cost-margin', 'chart-distribution']) await expect(page.getByTestId(chart).locator('svg')).toBeVisible()
      await expect(page.getByTestId('rules-table').locator('tbody tr')).toHaveCount(6)
      await page.getByRole('tab', { name: /Changes/ }).click()
      await expect(page.getByTestId('changes-list')).toContainText('safetyFactor: 0.8 → 0.5')
      await page.getByRole('tab', { name: 'Rewards by rule' }).click()
      await saveScreenshot(page, 'simulation-result')
    })

    await test.step('sweep the safety factor: one line of net impact', async () => {
      await page.getByTestId('sensitivity').getByRole('button', { name: 'Sweep' }).click()
      await expect(page.getByTestId('chart-sensitivity').locator('svg')).toBeVisible({ timeout: 60_000 })
      await saveScreenshot(page, 'simulation-sensitivity')
    })

    await test.step('export the comparison as a workbook and download it', async () => {
      await page.getByRole('button', { name: 'Export workbook' }).click()
      const exported = page.getByTestId('simulation-exported')
      await expect(exported).toContainText('Written to', { timeout: 60_000 })
      const href = await exported.getByRole('link', { name: 'Download' }).getAttribute('href')
      expect(href).toMatch(/^\/api\/download\?path=/)
      const response = await page.request.get(new URL(href!, host.url).toString())
      expect(response.ok()).toBe(true)
      // An xlsx is a zip: it starts with "PK".
      expect((await response.body()).subarray(0, 2).toString()).toBe('PK')
    })

    await test.step('the same in the dark theme', async () => {
      await page.getByRole('button', { name: 'Switch to dark theme' }).click()
      await expect(page.getByTestId('chart-cost-margin').locator('svg')).toBeVisible()
      await saveScreenshot(page, 'simulation-result-dark')
      await page.getByRole('button', { name: 'Switch to light theme' }).click()
    })

    await test.step('save it, then apply it after reading exactly what changes', async () => {
      await page.getByRole('button', { name: 'Save' }).click()
      await expect(page.getByTestId('scenario-saved')).toContainText('Saved as scenario')
      await page.getByRole('button', { name: 'Apply scenario…' }).click()
      const preview = page.getByTestId('apply-preview')
      await expect(preview).toContainText('safetyFactor: 0.8 → 0.5')
      await saveScreenshot(page, 'simulation-apply')
      await preview.getByRole('button', { name: 'Apply 1 change' }).click()
      await expect(page.getByTestId('scenario-applied')).toContainText('Engine settings updated')
    })

    await test.step('applied, the same scenario is the live configuration: nothing left to apply', async () => {
      await page.getByRole('button', { name: 'Apply scenario…' }).click()
      await expect(page.getByTestId('apply-preview')).toContainText('already the live configuration')
      await page.getByRole('button', { name: 'Cancel' }).click()
    })
  })
})
