// priorIssues reads every issued reward as columns (integers, a period text, the loaded player's
// own id). Checked against the query it replaced, kept verbatim below, over a ledger with two
// days of rewards in several currencies and periods, and a player who is no longer loaded (deleted)
// but whose rewards still count towards budgets and caps.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { currencyCodes, type Currency } from '../../src/shared/money'
import type { PriorIssue, PriorIssueColumns } from '../../src/main/engine/evaluate'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { processFiles } from '../../src/main/jobs/process'
import { loadPlayers } from '../../src/main/jobs/player-loader'
import { priorIssues } from '../../src/main/jobs/prior-issues'
import { seedRule } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'
import { lpRule, openLedger, sheet } from '../helpers/process-fixtures'

const weeklyRp = { rule_id: 'RP_WEEKLY', conditions: { sessions_min: 2 }, reward: { type: 'RP', formula: 'sessions' }, frequency: 'weekly' }

/** The query and objects priorIssues built before it read columns. */
function referenceIssues(database: LedgerDatabase): PriorIssue[] {
  const rows = [
    ...database.iterateRows(
      'SELECT r.code, p.external_id, e.as_of, d.idempotency_key, d.currency, d.amount FROM reward_decisions d ' +
        'JOIN evaluations e ON e.id = d.evaluation_id JOIN reward_rule_versions v ON v.id = d.rule_version_id JOIN reward_rules r ON r.id = v.rule_id ' +
        'JOIN players p ON p.id = d.player_id JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key',
    ),
  ] as [string, string, string, string, Currency, number][]
  return rows.map(([ruleId, playerId, day, key, currency, amount]) => ({ ruleId, playerId, day, periodKey: key.slice(key.lastIndexOf(':') + 1), currency, amount }))
}

function asObjects(columns: PriorIssueColumns): PriorIssue[] {
  return Array.from({ length: columns.count }, (_, k) => ({
    ruleId: columns.ruleIds[columns.rule[k]!]!,
    playerId: columns.playerIds[k]!,
    day: columns.days[columns.day[k]!]!,
    periodKey: columns.periods[columns.period[k]!]!,
    currency: currencyCodes[columns.currency[k]!]!,
    amount: columns.amount[k]!,
  }))
}

const byContent = (a: PriorIssue, b: PriorIssue) => JSON.stringify(a).localeCompare(JSON.stringify(b))

describe('priorIssues', () => {
  const tempDir = useTempDir()

  it('reads the same rewards as the query it replaced, for loaded and unloaded players', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { files: [path], rules: [seedRule, lpRule, weeklyRp], defaultAsOf: '2026-02-05', actor: 't', dryRun: false }
    await processFiles(database, { ...base, asOf: '2026-01-31', now: '2026-01-31T18:00:00.000Z' })
    await processFiles(database, { ...base, asOf: '2026-02-02', now: '2026-02-02T18:00:00.000Z' })
    // P2 is no longer loaded (deleted); their rewards are still history.
    database.write((_transaction, statements) => statements.prepare("UPDATE players SET deleted_at = '2026-02-03T00:00:00.000Z' WHERE external_id = 'P2'").run())

    const reference = referenceIssues(database).sort(byContent)
    expect(new Set(reference.map((issue) => issue.currency))).toEqual(new Set(['BONUS', 'LP', 'RP']))
    expect(new Set(reference.map((issue) => issue.day))).toEqual(new Set(['2026-01-31', '2026-02-02']))
    expect(reference.some((issue) => issue.playerId === 'P2')).toBe(true)

    const loaded = loadPlayers(database)
    expect(loaded.records.map((record) => record.playerId)).not.toContain('P2')
    expect(asObjects(priorIssues(database, loaded)).sort(byContent)).toEqual(reference)
    expect(asObjects(priorIssues(database)).sort(byContent)).toEqual(reference)
    database.close()
  })
})
