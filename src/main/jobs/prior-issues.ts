// Rewards already in the ledger, as the engine's frequency, cooldown, cap and budget checks need
// them. process and the simulation both read them here, so a simulation sees exactly the history a
// real run would.
import type { PriorIssue } from '../engine/evaluate'
import type { LedgerDatabase } from '../ledger/database'
import type { Currency } from '../../shared/money'

export function priorIssues(database: LedgerDatabase): PriorIssue[] {
  // Rows as arrays, and one copy of each rule id, day and currency: a re-run at a million players
  // reads ~1.4M prior rewards, and an object per row plus its own copies of those few texts were
  // seconds of building and collecting.
  const rows = database.iterateRows(
    'SELECT r.code, p.external_id, e.as_of, d.idempotency_key, d.currency, d.amount FROM reward_decisions d ' +
      'JOIN evaluations e ON e.id = d.evaluation_id JOIN reward_rule_versions v ON v.id = d.rule_version_id JOIN reward_rules r ON r.id = v.rule_id ' +
      'JOIN players p ON p.id = d.player_id JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key',
  ) as IterableIterator<[ruleId: string, playerId: string, day: string, key: string, currency: Currency, amount: number]>
  const texts = new Map<string, string>()
  const interned = (text: string): string => {
    const known = texts.get(text)
    if (known !== undefined) return known
    texts.set(text, text)
    return text
  }
  const issues: PriorIssue[] = []
  for (const [ruleId, playerId, day, key, currency, amount] of rows) {
    // Keys end in the period (see idempotencyKey in engine/rules.ts); periods never contain ':'.
    const periodKey = interned(key.slice(key.lastIndexOf(':') + 1))
    issues.push({ ruleId: interned(ruleId), playerId, day: interned(day), periodKey, currency: interned(currency) as Currency, amount })
  }
  return issues
}
