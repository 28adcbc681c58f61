// The Dashboard's figures, aggregated in SQL so a million players cost a few scans, not a million
// objects in JavaScript. The scans are remembered until an import, a processing run or a tier edit
// changes what they count: the dashboard is opened far more often than the base changes.
import type { EngineSettings } from '../../shared/engine-settings'
import type { CurrencyCode, SegmentCode } from '../../shared/api/types'
import type { DashboardSummary } from '../../shared/api/types-operations'
import { currencyCodes, roundToInteger } from '../../shared/money'
import type { LedgerDatabase } from '../ledger/database'
import { decisionTotals } from './desk-decision-totals'

export interface DashboardQuery {
  from?: string
  to?: string
  bucket: 'day' | 'week'
}

/** Days without activity after which a player no longer counts as active. */
export const activeWithinDays = 30

interface PlayerFigures {
  players: number
  active: number
  ggr: number
  bySegment: { segment: SegmentCode | null; players: number }[]
  byTier: { tierCode: string | null; tierName: string | null; tierRank: number | null; players: number }[]
}

interface DecisionGroup {
  asOf: string
  ruleId: string
  outcome: 'issued' | 'reduced' | 'blocked'
  currency: CurrencyCode
  reason: string | null
  decisions: number
  amount: number
}

// The first summary after a change reads the whole base, so it is done in slices of a bounded
// size with a turn of the event loop between them: the host keeps answering other calls (the
// Players table, a job's progress) meanwhile. Counts per segment and per tier are index ranges;
// GGR and activity read each player's current snapshot by primary key, a slice of rowids at a time.
const sliceRows = 25_000
const segmentCountSql = 'SELECT count(*) AS n FROM players INDEXED BY players_segment_external WHERE segment IS ?'
const tierCountSql = 'SELECT count(*) AS n FROM players INDEXED BY players_tier_external WHERE tier_id IS ?'
const totalsSliceSql = `
SELECT count(*) AS players, sum(p.deleted_at IS NOT NULL) AS deleted,
  sum(p.deleted_at IS NULL AND coalesce(s.last_active_date, s.last_deposit_date) >= ?) AS active,
  sum(CASE WHEN p.deleted_at IS NULL THEN s.total_wagered - s.total_won END) AS ggr
FROM players p LEFT JOIN metric_snapshots s ON s.id = p.current_snapshot_id
WHERE p.id > ? AND p.id <= ?`
// Nothing deletes players today; should anything start to, they are taken out of the index counts.
const deletedCountsSql = 'SELECT segment, tier_id AS tierId, count(*) AS players FROM players WHERE deleted_at IS NOT NULL GROUP BY segment, tier_id'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Changes whenever any connection commits (data_version) or this one writes (total_changes). */
export function changeStamp(database: LedgerDatabase): string {
  const dataVersion = (database.readRaw('PRAGMA data_version').get() as { data_version: number }).data_version
  const changes = (database.readRaw('SELECT total_changes() AS n').get() as { n: number }).n
  return `${dataVersion}:${changes}`
}

/**
 * Changes whenever what the player figures are made of can have changed: players and their current
 * snapshots change only by an import (new snapshot ids) or a processing run (a new evaluation:
 * segments, tiers), and tier names by an edit of the ladder. Other writes (settings, reviews,
 * ledger adjustments) leave the figures as they are.
 */
function playerBaseStamp(database: LedgerDatabase): string {
  const row = database
    .readRaw(
      'SELECT (SELECT max(id) FROM players) AS players, (SELECT max(id) FROM metric_snapshots) AS snapshots, (SELECT max(id) FROM imports) AS imports, ' +
        "(SELECT max(id) FROM evaluations) AS evaluations, (SELECT group_concat(id || ':' || code || ':' || name || ':' || rank, ';') FROM tiers) AS tiers",
    )
    .get()
  return JSON.stringify(row)
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

/**
 * The date activity must reach to count as active: 30 days before the newest summary's as-of date
 * (or the newest evaluation's, for a base written without an import).
 */
function activeSince(database: LedgerDatabase): string {
  const row = database
    .readRaw("SELECT coalesce((SELECT max(as_of) FROM imports WHERE kind = 'summary' AND status = 'completed'), (SELECT max(as_of) FROM evaluations)) AS asOf")
    .get() as { asOf: string | null }
  if (!row.asOf) return '9999-12-31'
  const date = new Date(`${row.asOf}T00:00:00.000Z`)
  date.setUTCDate(date.getUTCDate() - activeWithinDays)
  return date.toISOString().slice(0, 10)
}

async function playerFigures(database: LedgerDatabase): Promise<PlayerFigures> {
  const tiers = database.readRaw('SELECT id, code, name, rank FROM tiers').all() as { id: number; code: string; name: string; rank: number }[]
  const segmentOrder: (SegmentCode | null)[] = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING', null]
  const bySegment = new Map<SegmentCode | null, number>()
  for (const segment of segmentOrder) {
    bySegment.set(segment, (database.readRaw(segmentCountSql).get(segment) as { n: number }).n)
    await nextTurn() // a count of a big segment walks a few hundred thousand index entries
  }
  const byTier = new Map<number | null, number>()
  for (const id of [...tiers.map((tier) => tier.id), null]) {
    byTier.set(id, (database.readRaw(tierCountSql).get(id) as { n: number }).n)
    await nextTurn()
  }
  const since = activeSince(database)
  const last = (database.readRaw('SELECT max(id) AS id FROM players').get() as { id: number | null }).id ?? 0
  const totals = { players: 0, deleted: 0, active: 0, ggr: 0 }
  for (let from = 0; from < last; from += sliceRows) {
    await nextTurn()
    const slice = database.readRaw(totalsSliceSql).get(since, from, from + sliceRows) as { players: number; deleted: number | null; active: number | null; ggr: number | null }
    totals.players += slice.players
    totals.deleted += slice.deleted ?? 0
    totals.active += slice.active ?? 0
    totals.ggr += slice.ggr ?? 0
  }
  if (totals.deleted > 0) {
    for (const row of database.readRaw(deletedCountsSql).all() as { segment: SegmentCode | null; tierId: number | null; players: number }[]) {
      bySegment.set(row.segment, (bySegment.get(row.segment) ?? 0) - row.players)
      byTier.set(row.tierId, (byTier.get(row.tierId) ?? 0) - row.players)
    }
  }
  const tierById = new Map(tiers.map((tier) => [tier.id, tier]))
  return {
    players: totals.players - totals.deleted,
    active: totals.active,
    ggr: totals.ggr,
    bySegment: segmentOrder.filter((segment) => (bySegment.get(segment) ?? 0) > 0).map((segment) => ({ segment, players: bySegment.get(segment)! })),
    byTier: [...byTier.entries()]
      .filter(([, players]) => players > 0)
      .map(([id, players]) => {
        const tier = id === null ? undefined : tierById.get(id)
        return { tierCode: tier?.code ?? null, tierName: tier?.name ?? null, tierRank: tier?.rank ?? null, players }
      })
      .sort((a, b) => (a.tierRank ?? Number.MAX_SAFE_INTEGER) - (b.tierRank ?? Number.MAX_SAFE_INTEGER)),
  }
}

export function dashboardSummaryCache(database: LedgerDatabase) {
  let figures: { stamp: string; value: Promise<PlayerFigures> } | undefined
  // Shared with the Rules list; rebuilt when a run may have moved decisions between evaluations.
  const decisions = decisionTotals(database)
  return async (query: DashboardQuery, settings: EngineSettings): Promise<DashboardSummary> => {
    const stamp = playerBaseStamp(database)
    if (figures?.stamp !== stamp) {
      const value = playerFigures(database)
      figures = { stamp, value }
      // A failed pass is not remembered: the next call tries again.
      value.catch(() => {
        if (figures?.value === value) figures = undefined
      })
    }
    const players = await figures.value
    const totals = await decisions.current()
    const evaluations = database
      .readRaw('SELECT id, as_of AS asOf FROM evaluations WHERE as_of >= ? AND as_of <= ?')
      .all(query.from ?? '0000-00-00', query.to ?? '9999-12-31') as { id: number; asOf: string }[]
    const asOfById = new Map(evaluations.map((evaluation) => [evaluation.id, evaluation.asOf]))
    const rules = new Map(
      (database.readRaw('SELECT v.id, r.code FROM reward_rule_versions v JOIN reward_rules r ON r.id = v.rule_id').all() as { id: number; code: string }[]).map((row) => [row.id, row.code]),
    )
    const groups: DecisionGroup[] = totals
      .filter((total) => asOfById.has(total.evaluationId))
      .map((total) => ({ asOf: asOfById.get(total.evaluationId)!, ruleId: rules.get(total.ruleVersionId) ?? `#${total.ruleVersionId}`, outcome: total.outcome, currency: total.currency, reason: total.reason, decisions: total.decisions, amount: total.amount }))
    const openReviewItems = (database.readRaw("SELECT count(*) AS n FROM review_items WHERE status = 'open'").get() as { n: number }).n
    const latest = database.readRaw("SELECT max(as_of) AS asOf FROM evaluations WHERE status = 'completed'").get() as { asOf: string | null }
    return summarise(query, settings, players, groups, openReviewItems, latest.asOf)
  }
}

function summarise(query: DashboardQuery, settings: EngineSettings, players: PlayerFigures, groups: DecisionGroup[], openReviewItems: number, asOf: string | null): DashboardSummary {
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

  return {
    asOf,
    range: { from: query.from ?? null, to: query.to ?? null },
    bucket: query.bucket,
    money: { code: settings.currency.code, minorDigits: settings.currency.minorDigits },
    costBasis: { ...settings.pointValues },
    kpis: {
      players: players.players,
      activePlayers: players.active,
      ggr: players.ggr,
      ngr: players.ggr - rewardCost,
      rewardCost,
      costToGgr: players.ggr > 0 ? rewardCost / players.ggr : null,
      issuedRewards: issued,
      blockedRewards: blockedCount,
      openReviewItems,
    },
    bySegment: players.bySegment,
    byTier: players.byTier.map((tier) => ({ tier: tier.tierCode, name: tier.tierName, players: tier.players })),
    issuedByCurrency,
    blockedByReason: [...blocked.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    costByRule: { periods, rules },
  }
}
