// The Players table by balance reads a bounded top-N of the accounts and widens the bound when a
// filter leaves too few: whichever way a page is found (small filter, bounded accounts, deep page
// checked against the part sizes), it must be exactly the page of one ORDER BY over every player.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { playersByBalance, type BalancePageTuning } from '../../src/main/jobs/desk-balance-order'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { mulberry32 } from '../../src/shared/seeded-random'

let folder: string
let database: LedgerDatabase
const players = 400

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'lw-balance-order-'))
  database = LedgerDatabase.open({ path: join(folder, 'order.sqlite') })
  const random = mulberry32(11)
  database.write((_tx, statements) => {
    const player = statements.prepare('INSERT INTO players (external_id, segment, first_seen_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
    const account = statements.prepare('INSERT INTO ledger_accounts (player_id, currency, balance) VALUES (?, ?, ?)')
    // System accounts hold the other side of every transfer (here a large balance): never a player's row.
    statements.prepare("INSERT INTO ledger_accounts (system_name, currency, balance) VALUES ('issuance', 'BONUS', 9000000)").run()
    for (let index = 0; index < players; index += 1) {
      // Every tenth player is deleted, and those hold the largest balances: the bound must look past them.
      const deleted = index % 10 === 0
      const { id } = player.get(`P${String((index * 7919) % players).padStart(4, '0')}`, index % 4 === 0 ? 'LOSING' : 'WINNING', 'now', 'now', deleted ? 'then' : null) as { id: number }
      // A third without a BONUS account; few distinct balances, so ties straddle every bound.
      if (index % 3 !== 1) account.run(id, 'BONUS', deleted ? 100_000 + index : Math.floor(random() * 12) * 250)
      if (index % 5 === 0) account.run(id, 'LP', Math.floor(random() * 100))
    }
  })
})

afterAll(() => {
  database.close()
  rmSync(folder, { recursive: true, force: true })
})

const count = (sql: string, parameters: readonly unknown[]) => (database.readRaw(sql).get(...parameters) as { n: number }).n

/** The order as one statement: NULL (no account) is the smallest balance; ties by player id. */
function reference(currency: string, direction: 'ASC' | 'DESC', clause: string, parameters: unknown[], limit: number, offset: number): string[] {
  const rows = database
    .readRaw(
      `SELECT p.external_id AS id FROM players p WHERE ${clause} ` +
        `ORDER BY (SELECT a.balance FROM ledger_accounts a WHERE a.player_id = p.id AND a.currency = '${currency}') ${direction}, p.external_id ${direction} LIMIT ? OFFSET ?`,
    )
    .all(...parameters, limit, offset) as { id: string }[]
  return rows.map((row) => row.id)
}

const filters: { name: string; clause: string; parameters: unknown[] }[] = [
  { name: 'no filter', clause: 'p.deleted_at IS NULL', parameters: [] },
  { name: 'a segment', clause: 'p.deleted_at IS NULL AND p.segment = ?', parameters: ['LOSING'] },
  { name: 'an id prefix', clause: 'p.deleted_at IS NULL AND p.external_id >= ? AND p.external_id < ?', parameters: ['P01', 'P01\u{10FFFF}'] },
]

const tunings: { name: string; tuning: BalancePageTuning }[] = [
  { name: 'bounded top-N over the accounts', tuning: { smallFilter: 0, deepPage: 1_000_000 } },
  { name: 'deep pages checked against the part sizes', tuning: { smallFilter: 0, deepPage: 0 } },
  { name: 'small filter walked through the players', tuning: { smallFilter: 1_000_000, deepPage: 0 } },
]

describe('players by balance, page by page', () => {
  for (const { name, tuning } of tunings) {
    it(`${name}: every page equals one ORDER BY over all players`, () => {
      let compared = 0
      let nonEmpty = 0
      for (const currency of ['BONUS', 'LP']) {
        for (const direction of ['ASC', 'DESC'] as const) {
          for (const filter of filters) {
            const total = count(`SELECT count(*) AS n FROM players p WHERE ${filter.clause}`, filter.parameters)
            for (const [limit, offset] of [[10, 0], [25, 40], [7, 95], [50, 230], [100, 0], [30, 300], [10, total - 5], [10, total + 3]] as const) {
              const rows = playersByBalance<{ playerId: string }>(
                database,
                count,
                'SELECT p.external_id AS playerId',
                { currency, clause: filter.clause, parameters: filter.parameters, direction, limit, offset, total },
                tuning,
              )
              expect(rows.map((row) => row.playerId), `${currency} ${direction} ${filter.name} ${limit}@${offset}`).toEqual(reference(currency, direction, filter.clause, filter.parameters, limit, offset))
              compared += 1
              if (rows.length > 0) nonEmpty += 1
            }
          }
        }
      }
      expect(compared).toBe(96)
      expect(nonEmpty).toBeGreaterThanOrEqual(48)
    })
  }
})
