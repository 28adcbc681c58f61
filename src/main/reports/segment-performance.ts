// Segment performance over a range: who the players are at the end of it, what they earned the
// operator during it, and what their rewards cost.
import type { SegmentPerformanceReport, SegmentPerformanceRow } from '../../shared/api/types-reports'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import type { ReportRange } from '../../shared/api/types-reports'
import { paidDecisions, segmentOnDay, segmentOrder, snapshotEarnings, unsegmented } from './sources'

const query =
  `WITH seg AS (${segmentOnDay}), ` +
  `g AS (SELECT player_id, SUM(earned) AS ggr FROM (${snapshotEarnings}) WHERE as_of BETWEEN @from AND @to GROUP BY player_id), ` +
  `c AS (SELECT player_id, SUM(cost) AS cost, SUM(CASE WHEN currency = 'BONUS' THEN amount ELSE 0 END) AS bonus FROM (${paidDecisions}) WHERE as_of BETWEEN @from AND @to GROUP BY player_id) ` +
  'SELECT seg.segment, COUNT(*) AS players, COALESCE(SUM(g.ggr), 0) AS ggr, COALESCE(SUM(c.cost), 0) AS cost, COALESCE(SUM(c.bonus), 0) AS bonus ' +
  'FROM seg LEFT JOIN g ON g.player_id = seg.player_id LEFT JOIN c ON c.player_id = seg.player_id GROUP BY seg.segment'

export function segmentPerformance(database: LedgerDatabase, range: ReportRange): SegmentPerformanceReport {
  const { currency } = readEngineSettings(database)
  const found = database.readRaw(query).all({ to: range.to, from: range.from }) as { segment: string | null; players: number; ggr: number; cost: number; bonus: number }[]
  const bySegment = new Map(found.map((row) => [row.segment ?? unsegmented, row]))
  const names = [...segmentOrder, ...(bySegment.has(unsegmented) ? [unsegmented] : [])]
  const rows = names.map((segment) => row(segment, bySegment.get(segment)))
  const sum = (key: 'players' | 'ggr' | 'rewardCost' | 'bonusPaid') => rows.reduce((total, each) => total + each[key], 0)
  const { segment: _segment, ...total } = row('', { players: sum('players'), ggr: sum('ggr'), cost: sum('rewardCost'), bonus: sum('bonusPaid') })
  return { range, currency, rows, total }
}

function row(segment: string, found: { players: number; ggr: number; cost: number; bonus: number } | undefined): SegmentPerformanceRow {
  const players = found?.players ?? 0
  const ggr = found?.ggr ?? 0
  const rewardCost = found?.cost ?? 0
  return { segment, players, ggr, rewardCost, ngr: ggr - rewardCost, bonusPaid: found?.bonus ?? 0, ...(ggr > 0 ? { costToGgr: rewardCost / ggr } : {}) }
}
