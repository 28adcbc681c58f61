// The Dashboard's figures, aggregated in SQL so a million players cost a few scans, not a million
// objects in JavaScript. The scans are remembered until the database changes: the dashboard is
// opened far more often than the base is imported or processed.
import type { EngineSettings } from '../../shared/engine-settings'
import type { CurrencyCode, SegmentCode } from '../../shared/api/types'
import type { DashboardSummary } from '../../shared/api/types-operations'
import { currencyCodes, roundToInteger } from '../../shared/money'
import type { LedgerDatabase } from '../ledger/database'

export interface DashboardQuery {
  from?: string
  to?: string
  bucket: 'day' | 'week'
}

/** Days without activity after which a player no longer counts as active. */
export const activeWithinDays = 30

interface PlayerGroup {
  segment: SegmentCode | null
  tierCode: string | null
  tierName: string | null
  tierRank: number | null
  players: number
  active: number
  ggr: number | null
}

interface DecisionGroup {
  evaluationId: number
  asOf: string
  ruleId: string
  outcome: 'issued' | 'reduced' | 'blocked'
  currency: CurrencyCode
  reason: string | null
  decisions: number
  amount: number
}

// One pass over the players with their current snapshot (a primary-key lookup each).
const playerGroupsSql = `
SELECT p.segment AS segment, t.code AS tierCode, t.name AS tierName, t.rank AS tierRank, count(*) AS players,
  sum(CASE WHEN coalesce(s.last_active_date, s.last_deposit_date) >= date(s.as_of, '-${activeWithinDays} days') THEN 1 ELSE 0 END) AS active,
  sum(s.total_wagered - s.total_won) AS ggr
FROM players p
LEFT JOIN metric_snapshots s ON s.id = p.current_snapshot_id
LEFT JOIN tiers t ON t.id = p.tier_id
WHERE p.deleted_at IS NULL
GROUP BY p.segment, p.tier_id`

// Grouped by the decision's own columns first; the few evaluations and rule versions are joined after.
const decisionGroupsSql = `
SELECT g.evaluation_id AS evaluationId, e.as_of AS asOf, r.code AS ruleId, g.outcome, g.currency, g.reason, g.decisions, g.amount
FROM (
  SELECT evaluation_id, rule_version_id, outcome, currency, CASE WHEN outcome = 'blocked' THEN reason END AS reason, count(*) AS decisions, sum(amount) AS amount
  FROM reward_decisions
  WHERE evaluation_id IN (SELECT id FROM evaluations WHERE as_of >= ? AND as_of <= ?)
  GROUP BY evaluation_id, rule_version_id, outcome, currency, 5
) g
JOIN evaluations e ON e.id = g.evaluation_id
JOIN reward_rule_versions v ON v.id = g.rule_version_id
JOIN reward_rules r ON r.id = v.rule_id`

/** Changes whenever any connection commits (data_version) or this one writes (total_changes). */
export function changeStamp(database: LedgerDatabase): string {
  const dataVersion = (database.readRaw('PRAGMA data_version').get() as { data_version: number }).data_version
  const changes = (database.readRaw('SELECT total_changes() AS n').get() as { n: number }).n
  return `${dataVersion}:${changes}`
}

/** Monday of the ISO week a YYYY-MM-DD day falls in. */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`)
  const sinceMonday = (date.getUTCDay() + 6) % 7
  date.setUTCDate(date.getUTCDate() - sinceMonday)
  return date.toISOString().slice(0, 10)
}

/** Money value of an issued amount, in minor units of the workstation currency (before rounding). */
export function rewardCostMinor(currency: CurrencyCode, amount: number, settings: EngineSettings): number {
  const scale = 10 ** settings.currency.minorDigits
  const values = settings.pointValues
  if (currency === 'BONUS') return amount
  if (currency === 'RP') return amount * values.rewardPoint * values.rewardPointRedemptionRate * scale
  if (currency === 'TICKETS') return amount * values.ticket * scale
  return amount * values.loyaltyPoint * scale
}

export function dashboardSummaryCache(database: LedgerDatabase) {
  let stamp = ''
  let players: PlayerGroup[] | undefined
  const decisions = new Map<string, DecisionGroup[]>()
  return (query: DashboardQuery, settings: EngineSettings): DashboardSummary => {
    const now = changeStamp(database)
    if (now !== stamp) {
      stamp = now
      players = undefined
      decisions.clear()
    }
    players ??= database.readRaw(playerGroupsSql).all() as PlayerGroup[]
    const rangeKey = `${query.from ?? ''}|${query.to ?? ''}`
    let groups = decisions.get(rangeKey)
    if (!groups) {
      groups = database.readRaw(decisionGroupsSql).all(query.from ?? '0000-00-00', query.to ?? '9999-12-31') as DecisionGroup[]
      if (decisions.size >= 50) decisions.clear()
      decisions.set(rangeKey, groups)
    }
    const openReviewItems = (database.readRaw("SELECT count(*) AS n FROM review_items WHERE status = 'open'").get() as { n: number }).n
    const latest = database.readRaw("SELECT max(as_of) AS asOf FROM evaluations WHERE status = 'completed'").get() as { asOf: string | null }
    return summarise(query, settings, players, groups, openReviewItems, latest.asOf)
  }
}

function summarise(query: DashboardQuery, settings: EngineSettings, players: PlayerGroup[], groups: DecisionGroup[], openReviewItems: number, asOf: string | null): DashboardSummary {
  const bySegment = new Map<SegmentCode | null, number>()
  const byTier = new Map<string | null, { name: string | null; rank: number; players: number }>()
  let playerCount = 0
  let active = 0
  let ggr = 0
  for (const group of players) {
    playerCount += group.players
    active += group.active
    ggr += group.ggr ?? 0
    bySegment.set(group.segment, (bySegment.get(group.segment) ?? 0) + group.players)
    const tier = byTier.get(group.tierCode) ?? { name: group.tierName, rank: group.tierRank ?? Number.MAX_SAFE_INTEGER, players: 0 }
    tier.players += group.players
    byTier.set(group.tierCode, tier)
  }

  const issuedByCurrency = Object.fromEntries(currencyCodes.map((code) => [code, 0])) as Record<CurrencyCode, number>
  const blocked = new Map<string, number>()
  const periodOf = (day: string) => (query.bucket === 'week' ? weekOf(day) : day)
  const costs = new Map<string, Map<string, number>>()
  let issued = 0
  let blockedCount = 0
  for (const group of groups) {
    if (group.outcome === 'blocked') {
      blockedCount += group.decisions
      const reason = group.reason ?? 'blocked'
      blocked.set(reason, (blocked.get(reason) ?? 0) + group.decisions)
      continue
    }
    issued += group.decisions
    issuedByCurrency[group.currency] += group.amount
    const byPeriod = costs.get(group.ruleId) ?? new Map<string, number>()
    const period = periodOf(group.asOf)
    byPeriod.set(period, (byPeriod.get(period) ?? 0) + rewardCostMinor(group.currency, group.amount, settings))
    costs.set(group.ruleId, byPeriod)
  }
  const periods = [...new Set(groups.map((group) => periodOf(group.asOf)))].sort()
  const rules = [...costs.entries()]
    .map(([ruleId, byPeriod]) => {
      const cost = periods.map((period) => roundToInteger(byPeriod.get(period) ?? 0))
      return { ruleId, cost, total: cost.reduce((sum, value) => sum + value, 0) }
    })
    .sort((a, b) => b.total - a.total || a.ruleId.localeCompare(b.ruleId))
  const rewardCost = rules.reduce((sum, rule) => sum + rule.total, 0)

  const segmentOrder: (SegmentCode | null)[] = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING', null]
  return {
    asOf,
    range: { from: query.from ?? null, to: query.to ?? null },
    bucket: query.bucket,
    money: { code: settings.currency.code, minorDigits: settings.currency.minorDigits },
    costBasis: { ...settings.pointValues },
    kpis: {
      players: playerCount,
      activePlayers: active,
      ggr,
      ngr: ggr - rewardCost,
      rewardCost,
      costToGgr: ggr > 0 ? rewardCost / ggr : null,
      issuedRewards: issued,
      blockedRewards: blockedCount,
      openReviewItems,
    },
    bySegment: segmentOrder.filter((segment) => bySegment.has(segment)).map((segment) => ({ segment, players: bySegment.get(segment)! })),
    byTier: [...byTier.entries()].sort((a, b) => a[1].rank - b[1].rank).map(([tier, value]) => ({ tier, name: value.name, players: value.players })),
    issuedByCurrency,
    blockedByReason: [...blocked.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    costByRule: { periods, rules },
  }
}
