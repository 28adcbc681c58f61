// Rewards already in the ledger, as the engine's frequency, cooldown, cap and budget checks need
// them. process and the simulation both read them here, so a simulation sees exactly the history a
// real run would.
import type { PriorIssue } from '../engine/evaluate'
import type { LedgerDatabase } from '../ledger/database'
import type { Currency } from '../../shared/money'

export function priorIssues(database: LedgerDatabase): PriorIssue[] {
  const rows = database
    .readRaw(
      'SELECT r.code AS ruleId, p.external_id AS playerId, e.as_of AS day, d.idempotency_key AS key, d.currency, d.amount FROM reward_decisions d ' +
        'JOIN evaluations e ON e.id = d.evaluation_id JOIN reward_rule_versions v ON v.id = d.rule_version_id JOIN reward_rules r ON r.id = v.rule_id ' +
        'JOIN players p ON p.id = d.player_id JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key',
    )
    .iterate() as IterableIterator<{ ruleId: string; playerId: string; day: string; key: string; currency: Currency; amount: number }>
  const issues: PriorIssue[] = []
  for (const row of rows) {
    // Keys end in the period (see idempotencyKey in engine/rules.ts); periods never contain ':'.
    issues.push({ ruleId: row.ruleId, playerId: row.playerId, day: row.day, periodKey: row.key.slice(row.key.lastIndexOf(':') + 1), currency: row.currency, amount: row.amount })
  }
  return issues
}
