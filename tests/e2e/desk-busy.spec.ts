// The Segments screen on a base big enough that its first counts take a while: it says what it is
// loading, and the rest of the app stays usable meanwhile (the base loads in a thread of its own).
// Its own web host on a fresh database, filled with SQL (importing would take far longer).
import BetterSqlite3 from 'better-sqlite3'
import { expect, saveScreenshot, test } from './fixtures'
import { startE2eWebHost, type E2eWebHost } from './web-host'

const players = 300_000

function fill(path: string): void {
  const database = new BetterSqlite3(path)
  database.pragma('busy_timeout = 5000')
  database.transaction(() => {
    const player = database.prepare("INSERT INTO players (external_id, segment, current_as_of, first_seen_at, updated_at) VALUES (?, ?, '2026-11-20', 'now', 'now')")
    const snapshot = database.prepare(
      "INSERT INTO metric_snapshots (player_id, as_of, total_deposited, total_wagered, total_won, sessions, last_deposit_date, last_active_date) VALUES (?, '2026-11-20', ?, ?, ?, ?, '2026-11-01', '2026-11-01')",
    )
    const current = database.prepare('UPDATE players SET current_snapshot_id = ? WHERE id = ?')
    for (let index = 0; index < players; index += 1) {
      const wagered = (index * 7919) % 5_000_000
      const id = Number(player.run(`P${String(index).padStart(6, '0')}`, index % 2 ? 'LOSING' : 'WINNING').lastInsertRowid)
      current.run(Number(snapshot.run(id, Math.floor(wagered / 3), wagered, Math.floor(wagered * (0.8 + (index % 40) / 100)), 1 + (index % 300)).lastInsertRowid), id)
    }
  })()
  database.close()
}

test.describe.serial('a large base on the Segments screen', () => {
  let host: E2eWebHost
  test.beforeAll(async () => {
    host = await startE2eWebHost()
    fill(host.databasePath)
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('shows what it is loading, and the Players screen answers meanwhile', async ({ page }) => {
    test.setTimeout(120_000)
    let segmentsAnswered = false
    page.on('response', (response) => {
      const request = response.request()
      if (request.url().includes('/api/call') && (request.postDataJSON() as { name?: string } | null)?.name === 'segments/get') segmentsAnswered = true
    })
    await page.goto(`${host.url}#/segments`)
    await expect(page.getByTestId('segments-loading')).toBeVisible()
    await expect(page.getByTestId('segments-loading')).toContainText('Reading the player base for live counts')
    await saveScreenshot(page, 'desk-segments-loading-light')
    await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    await page.mouse.move(600, 5)
    await saveScreenshot(page, 'desk-segments-loading-dark')
    await page.getByRole('button', { name: 'Switch to light theme' }).click()

    // While the counts load, another screen works: the Players table pages the same base.
    await page.getByRole('link', { name: 'Players', exact: true }).click()
    await expect(page.getByTestId('players-total')).toHaveText(`1–50 of ${players.toLocaleString('en-US')} players`)
    await expect(page.getByTestId('players-table').locator('tbody tr').first()).toContainText('P000000')
    expect(segmentsAnswered, 'the Players table answered before the segment counts').toBe(false)

    await page.getByRole('link', { name: 'Segments', exact: true }).click()
    await expect(page.getByTestId('count-LOSING')).toHaveText(/^[\d,]+$/, { timeout: 90_000 })
    await expect(page.getByTestId('segment-counts')).toContainText(`${players.toLocaleString('en-US')} players`)
  })
})
