// players/list sorted by a balance reads two parts (players with an account in the currency, then
// those without); pages must be exactly those of one ORDER BY over every player, whatever the
// direction, filter, page size and offset — including pages that straddle the two parts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDispatcher, type Dispatcher } from '../../src/main/api/dispatcher'
import { createHandlers } from '../../src/main/api/handlers'
import { LedgerDatabase } from '../../src/main/ledger/database'
import type { PlayerListResult } from '../../src/shared/api/types'
import { mulberry32 } from '../../src/shared/seeded-random'

let folder: string
let database: LedgerDatabase
let dispatcher: Dispatcher

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'lw-sort-'))
  database = LedgerDatabase.open({ path: join(folder, 'sort.sqlite') })
  dispatcher = createDispatcher(createHandlers({ runtime: 'test', dataDir: folder, database, versions: { node: process.versions.node } }))
  const random = mulberry32(7)
  database.write((_tx, statements) => {
    const player = statements.prepare('INSERT INTO players (external_id, segment, first_seen_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id')
    const account = statements.prepare('INSERT INTO ledger_accounts (player_id, currency, balance) VALUES (?, ?, ?)')
    for (let index = 0; index < 90; index += 1) {
      const { id } = player.get(`P${String(index).padStart(3, '0')}`, index % 3 === 0 ? 'LOSING' : 'WINNING', 'now', 'now') as { id: number }
      // A third without a BONUS account, some at 0, and repeated balances so the id tie-break matters.
      if (index % 3 !== 1) account.run(id, 'BONUS', Math.floor(random() * 4) * 250)
      if (index % 5 === 0) account.run(id, 'LP', Math.floor(random() * 100))
    }
  })
})

afterAll(() => {
  database.close()
  rmSync(folder, { recursive: true, force: true })
})

/** The order as one statement: NULL (no account) is the smallest balance; ties by player id. */
function reference(currency: string, order: 'asc' | 'desc', segment: string | undefined, limit: number, offset: number): string[] {
  const direction = order === 'desc' ? 'DESC' : 'ASC'
  const rows = database
    .readRaw(
      `SELECT p.external_id AS id FROM players p WHERE p.deleted_at IS NULL ${segment ? 'AND p.segment = ?' : ''} ` +
        `ORDER BY (SELECT a.balance FROM ledger_accounts a WHERE a.player_id = p.id AND a.currency = '${currency}') ${direction}, p.external_id ${direction} LIMIT ? OFFSET ?`,
    )
    .all(...(segment ? [segment] : []), limit, offset) as { id: string }[]
  return rows.map((row) => row.id)
}

describe('players/list by balance', () => {
  it('pages exactly as one ORDER BY over all players would, in both directions, with and without a filter', async () => {
    let compared = 0
    for (const currency of ['BONUS', 'LP'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        for (const segment of [undefined, 'LOSING'] as const) {
          for (const [limit, offset] of [[10, 0], [25, 50], [7, 55], [40, 58], [100, 0], [10, 85], [10, 200]] as const) {
            const result = await dispatcher.dispatch('players/list', { sort: `balance_${currency}`, order, segment, limit, offset }, 't1', () => undefined)
            expect(result.error).toBeUndefined()
            const data = result.data as PlayerListResult
            expect(data.players.map((row) => row.player_id)).toEqual(reference(currency, order, segment, limit, offset))
            compared += 1
          }
        }
      }
    }
    expect(compared).toBe(56)
  })
})
