// The operator's first steps on the sample workbook, in a real browser against the real web host:
// upload → preview → import → events → Process now → Players → a player's page with an explained
// decision; and a file with a header the importer does not know, fixed in the mapping editor.
//
// This spec fills its database, so it starts its own web host on a fresh one (shell.spec.ts expects
// the shared one empty, whatever the order). Its tests build on each other: one serial describe.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { startE2eWebHost, type E2eWebHost } from './web-host'

test.describe.serial('import and players', () => {
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

  async function upload(page: Page, path: string): Promise<void> {
    await page.getByTestId('import-file-input').setInputFiles(path)
  }

  test('imports the sample workbook and its events, processes them, and explains a decision on a player page', async ({ page }) => {
    test.setTimeout(120_000)
    await open(page)
    await page.getByRole('link', { name: 'Import', exact: true }).click()
    await expect(page.getByTestId('empty-state')).toContainText('No spreadsheet opened yet')

    await test.step('preview the workbook', async () => {
      await upload(page, resolve('resources/samples/players.xlsx'))
      const preview = page.getByTestId('import-preview')
      await expect(preview).toBeVisible()
      await expect(page.getByTestId('import-source')).toContainText('players.xlsx')
      await expect(page.getByTestId('preview-header-row')).toHaveText('3')
      await expect(page.getByTestId('preview-kind')).toHaveText('Player summary')
      await expect(preview.getByText('All required columns found')).toBeVisible()
      await expect(page.getByRole('combobox', { name: 'Field for column Player ID' })).toHaveValue('player id')
      await expect(page.getByRole('combobox', { name: 'Field for column Turnover (€)' })).toHaveValue('total wagered')
      await expect(page.getByRole('combobox', { name: 'Field for column Winnings (€)' })).toHaveValue('total won')
      await expect(page.getByRole('combobox', { name: 'Field for column Last Seen' })).toHaveValue('last active date')
      await expect(page.getByRole('combobox', { name: 'Sheet' })).toHaveValue('Players')
      await expect(page.getByTestId('preview-table').locator('tbody tr')).toHaveCount(10)
      await saveScreenshot(page, 'import-preview')
    })

    await test.step('import it: 104 rows, 100 players accepted, rows 26, 54 and 90 quarantined', async () => {
      await page.getByRole('button', { name: 'Import', exact: true }).click()
      const result = page.getByTestId('import-result')
      await expect(result).toBeVisible({ timeout: 30_000 })
      await expect(result.getByTestId('result-rows')).toHaveText('104')
      // Accepted counts players after the duplicate (rows 10 and 65 are one player): 104 − 3 − 1.
      await expect(result.getByTestId('result-accepted')).toHaveText('100')
      await expect(result.getByTestId('result-rejected')).toHaveText('3')
      await expect(result.getByTestId('result-duplicates')).toHaveText('1')
      const quarantine = result.getByTestId('quarantine-table')
      await expect(quarantine.locator('tbody tr')).toHaveCount(3)
      await expect(quarantine.locator('tbody tr td:first-child')).toHaveText(['26', '54', '90'])
      await expect(quarantine).toContainText('expected a money amount of 0 or more, found -250')
      await result.getByRole('button', { name: 'Export quarantine' }).click()
      await expect(result.getByTestId('quarantine-exported')).toContainText('3 rows written to')
      await expect(result.getByRole('link', { name: 'Download' })).toHaveAttribute('href', /^\/api\/download\?path=/)
      await saveScreenshot(page, 'import-result')
    })

    await test.step('the same file again is recognised', async () => {
      await upload(page, resolve('resources/samples/players.xlsx'))
      await expect(page.getByTestId('already-imported')).toContainText('was imported before as import 1')
    })

    await test.step('import the events', async () => {
      await upload(page, resolve('resources/samples/events.jsonl'))
      await expect(page.getByTestId('preview-kind')).toHaveText('Activity events')
      await expect(page.getByTestId('preview-format')).toContainText('JSONL')
      await page.getByRole('button', { name: 'Import', exact: true }).click()
      const result = page.getByTestId('import-result')
      await expect(result).toContainText('activity events', { timeout: 30_000 })
      // Dated with the workbook imported before it, not today.
      await expect(result).toContainText('as of 2026-11-20')
      await expect(result.getByTestId('result-duplicates')).toHaveText('2')
      await expect(result.getByTestId('result-accepted')).toHaveText('2,791')
    })

    await test.step('process now: the segments the sample was designed for', async () => {
      await page.getByRole('button', { name: 'Process now' }).click()
      const result = page.getByTestId('process-result')
      await expect(result).toBeVisible({ timeout: 60_000 })
      await expect(result.getByTestId('process-players')).toHaveText('100')
      for (const [segment, count] of [
        ['NEW', '15'],
        ['VIP', '12'],
        ['WINNING', '18'],
        ['BREAKEVEN', '20'],
        ['LOSING', '35'],
      ] as const) {
        await expect(result.getByTestId(`process-segment-${segment}`)).toHaveText(count)
      }
      await expect(result).toContainText('Processed as of 2026-11-20')
      await expect(result.getByTestId('process-currencies')).toContainText('€3,923.53')
      await expect(result.getByTestId('process-review')).toHaveText('5 new review items')
      await saveScreenshot(page, 'process-result')
    })

    await test.step('players: filter by segment LOSING', async () => {
      await page.getByTestId('process-result').getByRole('button', { name: 'Open Players' }).click()
      await expect(page).toHaveURL(/#\/players$/)
      await expect(page.getByTestId('players-total')).toHaveText('1–50 of 100 players')
      await page.getByRole('combobox', { name: 'Segment' }).click()
      await page.getByRole('option', { name: 'LOSING', exact: true }).click()
      await expect(page.getByTestId('players-total')).toHaveText('1–35 of 35 players')
      await expect(page.getByTestId('players-table').locator('tbody tr')).toHaveCount(35)
      // Sorted by abuse score, highest first, on the server.
      await page.getByRole('button', { name: 'Abuse' }).click()
      await expect(page.getByTestId('players-table').locator('tbody tr').first().locator('td').nth(3)).toHaveText('22')
      await saveScreenshot(page, 'players')
    })

    await test.step("a player's page: balances and an explained decision", async () => {
      await page.getByRole('textbox', { name: 'Search' }).fill('1005516')
      await expect(page.getByTestId('players-total')).toHaveText('1–1 of 1 players')
      await page.getByRole('link', { name: '1005516' }).click()
      await expect(page).toHaveURL(/#\/players\/1005516$/)
      await expect(page.getByRole('heading', { name: 'Player 1005516', level: 2 })).toBeVisible()
      await expect(page.getByTestId('balance-LP')).not.toHaveText('0')
      const cashback = page.getByTestId('decision').filter({ hasText: 'LOSING_PLAYER_CASHBACK' })
      await expect(cashback).toHaveCount(1)
      const explanation = cashback.getByTestId('decision-explanation')
      await expect(explanation).toContainText('✓')
      await expect(explanation).toContainText('Outcome:')
      await expect(page.getByTestId('player-metrics')).toContainText('€')
      await saveScreenshot(page, 'player-page')
      // The page survives a reload (the hash names the player).
      await page.reload()
      await expect(page.getByRole('heading', { name: 'Player 1005516', level: 2 })).toBeVisible()
    })
  })

  test('a header the importer does not know is mapped in the editor, and the import then succeeds', async ({ page }, testInfo) => {
    const path = testInfo.outputPath('punters.csv')
    writeFileSync(path, 'Punter,Turnover,Winnings,Notes\n900001,"1,000.00",800,a\n900002,500,650,b\n900003,20,0,c\n')
    await open(page, '#/import')
    await upload(page, path)
    await expect(page.getByTestId('preview-missing')).toHaveText('player_id')
    await expect(page.getByTestId('preview-refusal')).toContainText('"Punter" (not recognised)')
    await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled()
    await page.getByRole('combobox', { name: 'Field for column Punter' }).click()
    await page.getByRole('option', { name: 'player id', exact: true }).click()
    await expect(page.getByTestId('import-preview').getByText('All required columns found')).toBeVisible()
    await expect(page.getByTestId('preview-refusal')).toHaveCount(0)
    await page.getByRole('textbox', { name: 'As-of date' }).fill('2026-11-20')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const result = page.getByTestId('import-result')
    await expect(result.getByTestId('result-accepted')).toHaveText('3', { timeout: 30_000 })
    await expect(result).toContainText('Not imported: Notes')

    // The mapping is remembered for files with these headers.
    const again = testInfo.outputPath('punters-2.csv')
    writeFileSync(again, 'Punter,Turnover,Winnings,Notes\n900004,100,90,d\n')
    await upload(page, again)
    await expect(page.getByTestId('import-preview').getByText('Saved mapping applied')).toBeVisible()
    await expect(page.getByRole('combobox', { name: 'Field for column Punter' })).toHaveValue('player id')

    // The Players table counted 100 before; the import (in the job worker) makes it 103.
    await page.getByRole('link', { name: 'Players', exact: true }).click()
    await expect(page.getByTestId('players-total')).toHaveText('1–50 of 103 players')
    await page.getByRole('textbox', { name: 'Search' }).fill('9000')
    await expect(page.getByTestId('players-total')).toHaveText('1–3 of 3 players')
  })
})
