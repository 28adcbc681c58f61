// The operator's desk in a real browser against the real web host, on the processed sample:
// move a segment threshold and watch the counts move; write a rule with a formula error, see where,
// fix it with completion, test it on a player, save and activate it; review an abuse item; edit the
// tier ladder. Screenshots of each screen in light and dark.
//
// It fills its database, so it starts its own web host on a fresh one and processes the sample with
// the CLI first. Its tests build on each other: one serial describe.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { startE2eWebHost, type E2eWebHost } from './web-host'

test.describe.serial('the desk: segments, rules, review, tiers', () => {
  let host: E2eWebHost
  test.beforeAll(async () => {
    host = await startE2eWebHost()
    execFileSync(process.execPath, ['bin/loyalty.js', '--db', host.databasePath, 'process', resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')], {
      stdio: 'ignore',
    })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  async function open(page: Page, hash: string): Promise<void> {
    await page.goto(host.url + hash)
    await expect(page.getByRole('heading', { name: 'Loyalty Workstation' })).toBeVisible()
  }

  async function screenshots(page: Page, name: string): Promise<void> {
    await saveScreenshot(page, `${name}-light`)
    await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    // Away from the toggle, so its tooltip is not in the picture.
    await page.mouse.move(600, 5)
    await saveScreenshot(page, `${name}-dark`)
    await page.getByRole('button', { name: 'Switch to light theme' }).click()
  }

  test('edit a segment threshold and see the counts and the lint move', async ({ page }) => {
    await open(page, '#/segments')
    await expect(page.getByTestId('count-LOSING')).toHaveText('35')
    await expect(page.getByTestId('count-WINNING')).toHaveText('18')
    // Ordered definitions overlap by design (first match wins); the saved ones leave no gap.
    await expect(page.getByTestId('lint-findings')).toContainText('NEW wins because it comes first')
    await expect(page.getByTestId('lint-findings')).not.toContainText('match no segment definition')
    await expect(page.getByRole('button', { name: 'Save thresholds' })).toBeDisabled()

    // WINNING only from €5,000 up: the players up less than that match nothing and fall to NEW.
    await page.getByTestId('segment-definition-WINNING').getByRole('textbox', { name: 'net_pnl > value' }).fill('5000')
    await expect(page.getByTestId('change-WINNING')).toHaveText(/^−\d+$/)
    const winning = Number(await page.getByTestId('count-WINNING').textContent())
    expect(winning).toBeLessThan(18)
    await expect(page.getByTestId('change-NEW')).toHaveText(`+${18 - winning}`)
    await expect(page.getByTestId('lint-findings')).toContainText(`${18 - winning} player(s) match no segment definition and fall to NEW`)
    await screenshots(page, 'desk-segments')

    await page.getByRole('button', { name: 'Simulate this change' }).click()
    await expect(page).toHaveURL(/#\/simulation$/)
  })

  test('create a rule: a formula error with its position, fixed with completion, tested on a player, saved and activated', async ({ page }) => {
    test.setTimeout(60_000)
    await open(page, '#/rules')
    const table = page.getByTestId('rules-table')
    await expect(table).toContainText('WELCOME_BONUS')
    await expect(table.getByRole('row', { name: /HIGH_ROLLER_FREE_TICKETS/ })).toContainText('paused')
    await screenshots(page, 'desk-rules')

    await page.getByRole('button', { name: 'New rule' }).click()
    await expect(page).toHaveURL(/#\/rules\/new$/)
    await page.getByTestId('rule-id-input').fill('E2E_CASHBACK')
    const formula = page.getByTestId('formula-input')
    await formula.fill('net_los * 0.1')
    const error = page.getByTestId('formula-error')
    await expect(error).toContainText('Unknown name "net_los" at position 1')
    await expect(error).toContainText('^ position 1')
    await saveScreenshot(page, 'desk-rule-formula-error')
    await page.getByTestId('formula-did-you-mean').click()
    await expect(formula).toHaveValue('net_loss * 0.1')
    await expect(error).toHaveCount(0)

    await formula.fill('net_lo')
    await page.getByTestId('formula-suggestions').getByRole('option', { name: /net_loss/ }).click()
    await expect(formula).toHaveValue('net_loss')
    await formula.press('End')
    await formula.pressSequentially(' * 0.1')
    await expect(page.getByTestId('formula-ok')).toContainText('reads net_loss')
    await expect(error).toHaveCount(0)
    // The JSON view follows the form.
    await page.getByRole('tab', { name: 'JSON' }).click()
    await expect(page.getByTestId('rule-json')).toHaveValue(/"formula": "net_loss \* 0.1"/)
    await page.getByRole('tab', { name: 'Form' }).click()

    const tester = page.getByTestId('rule-tester')
    await tester.getByRole('textbox', { name: 'Player id' }).fill('1005516')
    await tester.getByRole('button', { name: 'Test' }).click()
    const result = page.getByTestId('rule-test-result')
    await expect(result).toContainText('E2E_CASHBACK v1 for player 1005516')
    await expect(result).toContainText('✓ segment')
    await expect(result).toContainText('Formula net_loss * 0.1 =')
    await expect(result).toContainText('Outcome:')
    await saveScreenshot(page, 'desk-rule-tested')

    await page.getByRole('button', { name: 'Save as draft' }).click()
    await expect(page).toHaveURL(/#\/rules\/E2E_CASHBACK$/)
    await expect(page.getByTestId('rule-status')).toHaveText('draft')
    await page.getByRole('button', { name: 'Activate' }).click()
    await expect(page.getByTestId('rule-status')).toHaveText('active')

    // A second version, and the diff between the two.
    await page.getByTestId('formula-input').fill('net_loss * 0.2')
    await expect(page.getByTestId('formula-ok')).toBeVisible()
    await page.getByRole('button', { name: 'Save as new version' }).click()
    await expect(page.getByTestId('rule-versions')).toContainText('v2 (current)')
    await expect(page.getByTestId('rule-diff')).toContainText('−     "formula": "net_loss * 0.1"')
    await expect(page.getByTestId('rule-diff')).toContainText('+     "formula": "net_loss * 0.2"')
    await expect(page.getByTestId('rule-status')).toHaveText('active')
    await screenshots(page, 'desk-rule-editor')

    // An unsaved edit handed to the Simulation screen as a scenario.
    await page.getByTestId('formula-input').fill('net_loss * 0.3')
    await expect(page.getByTestId('formula-ok')).toBeVisible()
    await page.getByRole('button', { name: 'Simulate this change' }).click()
    await expect(page.getByRole('heading', { name: 'Simulation', level: 2 })).toBeVisible()
    await expect(page.getByTestId('scenario-draft')).toContainText('“Edited rule E2E_CASHBACK” was handed over from another screen.')
    await page.getByTestId('scenario-draft').getByRole('button', { name: 'Use it' }).click()
    await expect(page.getByRole('textbox', { name: 'Name' })).toHaveValue('Edited rule E2E_CASHBACK')
    await expect(page.getByRole('textbox', { name: /Changes/ })).toContainText('net_loss * 0.3')
    await page.goBack()

    await page.getByRole('link', { name: '← All rules' }).click()
    await expect(page.getByTestId('rules-table').getByRole('row', { name: /E2E_CASHBACK/ })).toContainText('active')
  })

  test('review an abuse item: read the signals, approve with a note', async ({ page }) => {
    await open(page, '#/review')
    await expect(page.getByTestId('review-table').locator('tbody tr')).toHaveCount(5)
    const detail = page.getByTestId('review-detail')
    await expect(detail).toContainText('Player 1004631')
    await expect(page.getByTestId('review-signals')).toContainText('Part of a cluster of 5 accounts')
    await screenshots(page, 'desk-review')
    await detail.getByRole('textbox', { name: 'Note (optional)' }).fill('Ring confirmed with the payments team')
    await detail.getByRole('button', { name: 'Approve flag' }).click()
    await expect(page.getByTestId('review-decision')).toContainText('Approved by')
    await expect(page.getByTestId('review-decision')).toContainText('Ring confirmed with the payments team')
    await expect(page.getByText('Open (4)', { exact: true })).toBeVisible()
    await expect(page.getByTestId('review-table').locator('tbody tr')).toHaveCount(4)
    await page.getByText('Approved', { exact: true }).click()
    await expect(page.getByTestId('review-table').locator('tbody tr')).toHaveCount(1)
    await expect(page.getByTestId('review-decision')).toContainText('Ring confirmed')
  })

  test('the tier ladder: players per tier, an edit refused with its reason, then saved', async ({ page }) => {
    await open(page, '#/tiers')
    await expect(page.getByTestId('tier-players-BRONZE')).not.toHaveText('')
    await screenshots(page, 'desk-tiers')
    await page.getByRole('textbox', { name: 'BRONZE LP to qualify' }).fill('10')
    await page.getByRole('button', { name: 'Save ladder' }).click()
    await expect(page.getByTestId('tier-problems')).toContainText('qualifying points must be 0')
    await page.getByRole('textbox', { name: 'BRONZE LP to qualify' }).fill('0')
    await page.getByRole('textbox', { name: 'GOLD cashback percent' }).fill('7.5')
    await page.getByRole('button', { name: 'Save ladder' }).click()
    await expect(page.getByText('Ladder saved.')).toBeVisible()
    await page.reload()
    await expect(page.getByRole('textbox', { name: 'GOLD cashback percent' })).toHaveValue('7.5')
  })
})
