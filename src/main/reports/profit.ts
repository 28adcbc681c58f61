// Profit over a range, per day, week (Monday first) or month: GGR earned, what the rewards paid
// in the period are expected to cost, and NGR (GGR − reward cost). Periods without data are
// listed with zeros so a chart's time axis has no gaps.
import { ApiFailure } from '../../shared/api/result'
import type { ProfitGranularity, ProfitReport, ProfitRow, ReportRange } from '../../shared/api/types-reports'
import { dateOfDay, dayNumber } from '../engine/dates'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import { paidDecisions, snapshotEarnings } from './sources'

/** The first day of a day's period, in SQL; chosen from this fixed map, never from caller text. */
const periodSql: Record<ProfitGranularity, string> = {
  day: 'as_of',
  week: "date(as_of, '-' || ((CAST(strftime('%w', as_of) AS INTEGER) + 6) % 7) || ' days')",
  month: "substr(as_of, 1, 7) || '-01'",
}

/** More periods than this is no longer a readable table or chart. */
export const maxPeriods = 1000

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export function profitReport(database: LedgerDatabase, range: ReportRange, granularity: ProfitGranularity = 'month'): ProfitReport {
  const { currency } = readEngineSettings(database)
  const period = periodSql[granularity]
  const starts = periodStarts(range, granularity)
  const earned = database
    .readRaw(`SELECT ${period} AS period, SUM(earned) AS ggr, COUNT(DISTINCT player_id) AS players FROM (${snapshotEarnings}) WHERE as_of BETWEEN @from AND @to GROUP BY 1`)
    .all(range) as { period: string; ggr: number; players: number }[]
  const costs = database
    .readRaw(
      `SELECT ${period} AS period, SUM(cost) AS cost, SUM(CASE WHEN currency = 'BONUS' THEN amount ELSE 0 END) AS bonus FROM (${paidDecisions}) WHERE as_of BETWEEN @from AND @to GROUP BY 1`,
    )
    .all(range) as { period: string; cost: number; bonus: number }[]
  const byPeriod = new Map<string, ProfitRow>()
  for (const start of starts) byPeriod.set(start, emptyRow(start, granularity))
  for (const row of earned) {
    const entry = byPeriod.get(row.period) ?? emptyRow(row.period, granularity)
    entry.ggr += row.ggr
    entry.players += row.players
    byPeriod.set(row.period, entry)
  }
  for (const row of costs) {
    const entry = byPeriod.get(row.period) ?? emptyRow(row.period, granularity)
    entry.rewardCost += row.cost
    entry.bonusPaid += row.bonus
    byPeriod.set(row.period, entry)
  }
  const rows = [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1))
  for (const row of rows) row.ngr = row.ggr - row.rewardCost
  const sum = (key: 'ggr' | 'rewardCost' | 'ngr' | 'bonusPaid' | 'players') => rows.reduce((total, row) => total + row[key], 0)
  return { range, currency, granularity, rows, total: { ggr: sum('ggr'), rewardCost: sum('rewardCost'), ngr: sum('ngr'), bonusPaid: sum('bonusPaid'), players: sum('players') } }
}

function emptyRow(period: string, granularity: ProfitGranularity): ProfitRow {
  return { period, label: periodLabel(period, granularity), ggr: 0, rewardCost: 0, ngr: 0, bonusPaid: 0, players: 0 }
}

export function periodLabel(period: string, granularity: ProfitGranularity): string {
  if (granularity === 'month') return `${monthNames[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`
  if (granularity === 'week') return `week of ${period}`
  return period
}

/** Every period that overlaps the range, by its first day. */
export function periodStarts(range: ReportRange, granularity: ProfitGranularity): string[] {
  const last = dayNumber(range.to)
  const starts: string[] = []
  let day = dayNumber(range.from)
  if (granularity === 'week') day -= (new Date(day * 86_400_000).getUTCDay() + 6) % 7
  if (granularity === 'month') day = dayNumber(`${range.from.slice(0, 7)}-01`)
  while (day <= last) {
    if (starts.length === maxPeriods) {
      throw new ApiFailure('invalid_input', `${range.from} to ${range.to} has more than ${maxPeriods} ${granularity}s: choose a shorter range or a longer period (week, month).`)
    }
    const start = dateOfDay(day)
    starts.push(start)
    if (granularity === 'day') day += 1
    else if (granularity === 'week') day += 7
    else {
      const [year, month] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))]
      day = Date.UTC(year, month, 1) / 86_400_000
    }
  }
  return starts
}
