// Running totals of the reward decisions per (evaluation, rule version, outcome, currency, blocked
// reason): what the Dashboard's cost charts and the Rules list's "last run" columns are made of.
// Without an index on evaluation_id, any per-run figure reads every decision (a second or more at
// a million players), so the totals are built once, a slice at a time with a turn of the event loop
// between slices (the host keeps answering), kept per database and shared by both screens.
//
// Processing stores a run's decisions in the transaction that adds its evaluation, and may move an
// older decision that did not issue into the new run (an upsert keeps the row's id). So: a new
// evaluation means a full rebuild; new decisions alone (never seen so far) are only added.
import type { CurrencyCode } from '../../shared/api/types'
import type { LedgerDatabase } from '../ledger/database'

export interface DecisionTotal {
  evaluationId: number
  ruleVersionId: number
  outcome: 'issued' | 'reduced' | 'blocked'
  currency: CurrencyCode
  /** The reason of a blocked decision; null for the others. */
  reason: string | null
  decisions: number
  amount: number
  /** Expected cost to the operator of what was issued (the explanation's cost; 0 when blocked), money minor units. */
  cost: number
}

const sliceRows = 25_000
const sliceSql = `
SELECT evaluation_id AS evaluationId, rule_version_id AS ruleVersionId, outcome, currency, CASE WHEN outcome = 'blocked' THEN reason END AS reason,
  count(*) AS decisions, sum(amount) AS amount, coalesce(sum(CASE WHEN outcome <> 'blocked' THEN explanation ->> '$.cost' END), 0) AS cost
FROM reward_decisions WHERE id > ? AND id <= ?
GROUP BY 1, 2, 3, 4, 5`
const stampSql = 'SELECT (SELECT max(id) FROM evaluations) AS evaluation, (SELECT max(id) FROM reward_decisions) AS decision'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export interface DecisionTotals {
  /** The totals as of now; concurrent callers share one pass. */
  current(): Promise<DecisionTotal[]>
}

const byDatabase = new WeakMap<LedgerDatabase, DecisionTotals>()

/** One set of totals per database connection, shared by every screen that asks. */
export function decisionTotals(database: LedgerDatabase): DecisionTotals {
  let totals = byDatabase.get(database)
  if (!totals) {
    totals = createDecisionTotals(database)
    byDatabase.set(database, totals)
  }
  return totals
}

function createDecisionTotals(database: LedgerDatabase): DecisionTotals {
  const totals = new Map<string, DecisionTotal>()
  let evaluation: number | null = null
  let seen = 0
  let catchingUp: Promise<void> | undefined

  const stamp = () => database.readRaw(stampSql).get() as { evaluation: number | null; decision: number | null }
  const catchUp = async () => {
    for (;;) {
      const now = stamp()
      if (now.evaluation !== evaluation) {
        totals.clear()
        seen = 0
        evaluation = now.evaluation
      }
      const last = now.decision ?? 0
      while (seen < last) {
        const upTo = Math.min(last, seen + sliceRows)
        for (const row of database.readRaw(sliceSql).all(seen, upTo) as DecisionTotal[]) {
          const key = `${row.evaluationId}|${row.ruleVersionId}|${row.outcome}|${row.currency}|${row.reason ?? ''}`
          const total = totals.get(key)
          if (total) {
            total.decisions += row.decisions
            total.amount += row.amount
            total.cost += row.cost
          } else totals.set(key, { ...row })
        }
        seen = upTo
        await nextTurn()
      }
      // A run committed between two slices may have moved decisions already counted: start over.
      if (stamp().evaluation === evaluation) return
    }
  }
  return {
    async current() {
      catchingUp ??= catchUp().finally(() => (catchingUp = undefined))
      await catchingUp
      return [...totals.values()]
    },
  }
}
