// The fast paths for storing a large evaluation must write exactly what the plain paths write:
// posting with the players' row ids known (account directory) versus looking them up batch by
// batch, player state with the indexes rebuilt versus updated row by row, and an index rebuild
// leaves the schema as it was — also when the work inside it fails.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../src/shared/engine-settings'
import { runPipeline } from '../../src/main/engine/pipeline'
import { compileRuleSet } from '../../src/main/engine/rules'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { withIndexesRebuilt } from '../../src/main/ledger/bulk-write'
import { postRewards } from '../../src/main/ledger/post-rewards'
import { postTransfers } from '../../src/main/ledger/transfers'
import { verifyLedger } from '../../src/main/ledger/verify'
import { storePlayerState } from '../../src/main/jobs/player-state-store'
import { seedRule, wealthyLoser } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'

const issuedAt = '2026-01-31T18:00:00.000Z'

function withPlayers(path: string, ids: readonly string[]): LedgerDatabase {
  const database = LedgerDatabase.open({ path })
  database.write((_tx, statements) => {
    const insert = statements.prepare('INSERT INTO players (external_id, first_seen_at, updated_at) VALUES (?, ?, ?)')
    for (const id of ids) insert.run(id, issuedAt, issuedAt)
  })
  return database
}

function ledgerRows(database: LedgerDatabase) {
  return {
    transfers: database.readRaw('SELECT id, idempotency_key, debit_account_id, credit_account_id, currency, amount, kind, reason, lot_id, hash FROM ledger_transfers ORDER BY id').all(),
    accounts: database.readRaw('SELECT id, player_id, system_name, currency, balance FROM ledger_accounts ORDER BY id').all(),
    lots: database.readRaw('SELECT id, player_id, issue_transfer_id, amount, wagering_target, contributions, expires_at, status FROM bonus_lots ORDER BY id').all(),
  }
}

function schema(database: LedgerDatabase) {
  return database.readRaw("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all()
}

describe('storing a large evaluation', () => {
  const tempDir = useTempDir()

  it('posts with known player rows exactly what the batch-by-batch lookups post, sharing accounts across rules and batches', () => {
    const settings = engineSettingsSchema.parse({ safetyFactor: 1, marginHorizonDays: 365 })
    const ids = ['P1', 'P2', 'P3', 'P4', 'P5']
    const players = ids.map((id, index) => wealthyLoser(id, { sessions: 3 + index }))
    const rules = [
      seedRule,
      { rule_id: 'LP_DAILY', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' },
      { rule_id: 'LP_WEEKLY', conditions: { sessions_min: 4 }, reward: { type: 'LP', formula: 'sessions' }, frequency: 'weekly' },
      { rule_id: 'RP_WEEKLY', conditions: { sessions_min: 5 }, reward: { type: 'RP', formula: 'sessions' }, frequency: 'weekly' },
    ]
    const compiled = compileRuleSet(rules, { minorDigits: 2 })
    expect(compiled.problems).toEqual([])
    const { evaluation } = runPipeline({ players, rules: compiled.rules, settings, asOf: '2026-01-31' })

    const folder = tempDir()
    const looked = withPlayers(join(folder, 'looked.sqlite'), ids)
    const known = withPlayers(join(folder, 'known.sqlite'), ids)
    // One player already holds an LP account with a balance: the directory must find it, not create another.
    for (const database of [looked, known]) {
      postTransfers(database, [{ idempotencyKey: 'earlier', from: { system: 'adjustment' }, to: { player: 'P3' }, currency: 'LP', amount: 7, kind: 'adjustment', reason: 'earlier', sourceType: 'operator', sourceId: 'test' }], issuedAt)
    }
    const rowIds = new Map((known.readRaw('SELECT id, external_id AS externalId FROM players').all() as { id: number; externalId: string }[]).map((row) => [row.externalId, row.id]))

    const first = postRewards(looked, evaluation, issuedAt, { batchSize: 2 })
    expect(postRewards(known, evaluation, issuedAt, { batchSize: 2, playerRowIds: rowIds })).toEqual(first)
    expect(first.posted).toBeGreaterThan(10)
    expect(ledgerRows(known)).toEqual(ledgerRows(looked))
    expect((known.readRaw("SELECT count(*) AS n FROM ledger_accounts a JOIN players p ON p.id = a.player_id WHERE p.external_id = 'P3' AND a.currency = 'LP'").get() as { n: number }).n).toBe(1)
    expect(verifyLedger(known)).toMatchObject({ ok: true })
    // Again: nothing new, by either path.
    expect(postRewards(known, evaluation, issuedAt, { playerRowIds: rowIds })).toEqual({ posted: 0, alreadyPosted: first.posted })
    looked.close()
    known.close()
  })

  it('stores player state identically whether the indexes are rebuilt or updated, and reports what changed', () => {
    const ids = Array.from({ length: 300 }, (_, index) => `P${String(index).padStart(3, '0')}`)
    const segments = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING']
    const folder = tempDir()
    const results = [0, ids.length].map((expected) => {
      const database = withPlayers(join(folder, `state-${expected}.sqlite`), ids)
      const tierId = database.write((_tx, statements) =>
        (statements.prepare("INSERT INTO tiers (code, name, rank, qualifying_points, window_days, created_at) VALUES ('GOLD', 'Gold', 1, 0, 90, ?) RETURNING id").get(issuedAt) as { id: number }).id,
      )
      const rows = database.readRaw('SELECT id FROM players ORDER BY id').all() as { id: number }[]
      const store = (segmentOf: (index: number) => string) =>
        database.write((_tx, statements) =>
          storePlayerState(
            statements,
            rows.length,
            (index, values, at) => {
              values[at] = rows[index]!.id
              values[at + 1] = segmentOf(index)
              values[at + 2] = index % 7 === 0 ? 40 : 0
              values[at + 3] = index % 101
              values[at + 4] = index % 3 === 0 ? tierId : null
              values[at + 5] = index % 3 === 0 ? '2026-01-31' : null
              values[at + 6] = null
            },
            issuedAt,
            expected,
          ),
        )
      const changed = [store((index) => segments[index % 5]!), store((index) => segments[index % 5]!), store((index) => (index < 10 ? 'VIP' : segments[index % 5]!))]
      const state = database.readRaw('SELECT id, segment, abuse_score, risk_score, tier_id, tier_since, tier_qualified_on FROM players ORDER BY id').all()
      const bySegment = database.readRaw("SELECT external_id FROM players WHERE segment = 'VIP' ORDER BY external_id").all()
      const shape = schema(database)
      database.close()
      return { changed, state, bySegment, shape }
    })
    expect(results[0]!.changed).toEqual([300, 0, 8])
    expect(results[1]).toEqual(results[0])
  })

  it('rebuilds indexes from their stored definitions, and a failure inside leaves schema and rows untouched', () => {
    const database = withPlayers(join(tempDir(), 'schema.sqlite'), ['A', 'B'])
    const before = schema(database)
    const dropped: string[] = []
    database.write((_tx, statements) =>
      withIndexesRebuilt(statements, 'players', (columns) => columns.includes('segment'), () => {
        dropped.push(...(statements.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'players'").all() as { name: string }[]).map((row) => row.name))
        statements.prepare("UPDATE players SET segment = 'VIP'").run()
      }),
    )
    expect(dropped).not.toContain('players_segment_external')
    expect(dropped).toContain('players_external_id_unique')
    expect(schema(database)).toEqual(before)
    expect(() =>
      database.write((_tx, statements) =>
        withIndexesRebuilt(statements, 'players', () => true, () => {
          statements.prepare("UPDATE players SET segment = 'LOSING'").run()
          throw new Error('disk full')
        }),
      ),
    ).toThrow('disk full')
    expect(schema(database)).toEqual(before)
    expect(database.readRaw('SELECT DISTINCT segment FROM players').all()).toEqual([{ segment: 'VIP' }])
    database.close()
  })
})
