// The date range a report covers. Left open, it spans the data: the earliest to the latest
// business date among snapshots and evaluations, so "all time" needs no guessing by the caller.
import type { ReportRange } from '../../shared/api/types-reports'
import type { LedgerDatabase } from '../ledger/database'

export interface RangeInput {
  from?: string
  to?: string
}

export function resolveRange(database: LedgerDatabase, input: RangeInput, today: string): ReportRange {
  if (input.from !== undefined && input.to !== undefined) return { from: input.from, to: input.to }
  const bounds = database
    .readRaw(
      'SELECT MIN(day) AS first, MAX(day) AS last FROM (SELECT MIN(as_of) AS day FROM metric_snapshots UNION ALL SELECT MAX(as_of) FROM metric_snapshots ' +
        "UNION ALL SELECT MIN(as_of) FROM evaluations WHERE status = 'completed' UNION ALL SELECT MAX(as_of) FROM evaluations WHERE status = 'completed')",
    )
    .get() as { first: string | null; last: string | null }
  const from = input.from ?? (bounds.first && (input.to === undefined || bounds.first <= input.to) ? bounds.first : (input.to ?? today))
  const to = input.to ?? (bounds.last && bounds.last >= from ? bounds.last : from > today ? from : today)
  return { from: from.slice(0, 10), to: to.slice(0, 10) }
}
