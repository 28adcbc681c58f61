// Churn risk: players who stopped playing (no activity for some days) or play much less than
// they used to (daily wager since their previous snapshot against their usual daily wager),
// most valuable first — the value being the GGR they bring per 30 days of tenure. Players the
// operator is losing money on are left out.
import type { ChurnReport, ChurnRow, ReportRange } from '../../shared/api/types-reports'
import { dateOfDay, dayNumber } from '../engine/dates'
import { tenureDaysMin, tenureDaysUnknown } from '../engine/safety'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import { segmentOnDay } from './sources'

export const churnDefaults = { inactiveDays: 14, activityDrop: 0.5, limit: 500 } as const

export interface ChurnOptions {
  inactiveDays?: number
  activityDrop?: number
  limit?: number
}

const query =
  `WITH seg AS (${segmentOnDay}), ` +
  'r AS (SELECT player_id, as_of, total_wagered, total_won, last_active_date, last_deposit_date, registration_date, ' +
  'ROW_NUMBER() OVER (PARTITION BY player_id ORDER BY as_of DESC, id DESC) AS rn FROM metric_snapshots WHERE as_of <= @to) ' +
  'SELECT seg.external_id AS playerId, seg.segment, a.as_of AS asOf, a.total_wagered AS wagered, a.total_won AS won, a.last_active_date AS lastActive, ' +
  'a.last_deposit_date AS lastDeposit, a.registration_date AS registered, b.as_of AS previousAsOf, b.total_wagered AS previousWagered, ' +
  '(SELECT MAX(e.occurred_at) FROM activity_events e WHERE e.player_id = seg.player_id AND e.occurred_at < @after) AS lastEvent ' +
  'FROM seg JOIN r a ON a.player_id = seg.player_id AND a.rn = 1 LEFT JOIN r b ON b.player_id = seg.player_id AND b.rn = 2 ' +
  'WHERE a.total_wagered > 0'

interface Found {
  playerId: string
  segment: string | null
  asOf: string
  wagered: number
  won: number | null
  lastActive: string | null
  lastDeposit: string | null
  registered: string | null
  previousAsOf: string | null
  previousWagered: number | null
  lastEvent: string | null
}

export function churnReport(database: LedgerDatabase, range: ReportRange, options: ChurnOptions = {}): ChurnReport {
  const { currency } = readEngineSettings(database)
  const inactiveLimit = options.inactiveDays ?? churnDefaults.inactiveDays
  const drop = options.activityDrop ?? churnDefaults.activityDrop
  const limit = options.limit ?? churnDefaults.limit
  // Inactivity is counted to the newest data in the range, not to a day no file has reached yet.
  const newest = (database.readRaw('SELECT MAX(as_of) AS day FROM metric_snapshots WHERE as_of <= @to').get({ to: range.to }) as { day: string | null }).day
  const end = dayNumber(newest ?? range.to)
  const rows: ChurnRow[] = []
  const found = database.readRaw(query).iterate({ to: range.to, after: dateOfDay(end + 1) }) as IterableIterator<Found>
  for (const player of found) {
    const row = assess(player, end, inactiveLimit, drop)
    if (row) rows.push(row)
  }
  rows.sort((a, b) => b.monthlyValue - a.monthlyValue || (a.playerId < b.playerId ? -1 : 1))
  const valueAtRisk = rows.reduce((total, row) => total + Math.max(0, row.monthlyValue), 0)
  return { range, currency, inactiveDays: inactiveLimit, activityDrop: drop, rows: rows.slice(0, limit), total: rows.length, valueAtRisk }
}

function assess(player: Found, end: number, inactiveLimit: number, drop: number): ChurnRow | undefined {
  const asOfDay = dayNumber(player.asOf)
  // Dates after the end of the range (or after the snapshot) are not evidence of activity within it.
  const seen = [player.lastActive, player.lastDeposit, player.lastEvent?.slice(0, 10)].filter((date): date is string => !!date && dayNumber(date) <= end)
  const lastActive = seen.sort().at(-1)
  const inactiveDays = lastActive ? end - dayNumber(lastActive) : undefined
  const registered = player.registered ? dayNumber(player.registered) : Number.NaN
  const tenureAt = (day: number) => (Number.isNaN(registered) ? tenureDaysUnknown : Math.max(tenureDaysMin, day - registered))

  let activityChange: number | undefined
  if (player.previousAsOf !== null && player.previousWagered !== null) {
    const previousDay = dayNumber(player.previousAsOf)
    const usual = player.previousWagered / tenureAt(previousDay)
    const days = asOfDay - previousDay
    if (usual > 0 && days > 0) activityChange = (player.wagered - player.previousWagered) / days / usual - 1
  }
  const lifetimeGgr = player.wagered - (player.won ?? 0)
  // A player who has taken more than they staked costs nothing to lose: not a churn risk to act on.
  if (lifetimeGgr <= 0) return undefined
  const inactive = inactiveDays !== undefined && inactiveDays >= inactiveLimit
  const dropped = activityChange !== undefined && activityChange <= -drop
  if (!inactive && !dropped) return undefined

  const monthlyValue = Math.round((lifetimeGgr / tenureAt(asOfDay)) * 30)
  const high = (inactive && dropped) || (inactiveDays ?? 0) >= 2 * inactiveLimit || (activityChange ?? 0) <= -0.9
  const why = [
    inactive ? `no activity for ${inactiveDays} days` : undefined,
    dropped ? `wagering ${Math.round(-activityChange! * 100)}% below usual` : undefined,
  ].filter(Boolean)
  return {
    playerId: player.playerId,
    ...(player.segment ? { segment: player.segment } : {}),
    ...(lastActive ? { lastActive } : {}),
    ...(inactiveDays !== undefined ? { inactiveDays } : {}),
    ...(activityChange !== undefined ? { activityChange } : {}),
    lifetimeGgr,
    monthlyValue,
    risk: high ? 'high' : 'medium',
    why: why.join('; '),
  }
}
