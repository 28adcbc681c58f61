// ROI per rule: (incremental margin − cost) / cost. The incremental margin is what the rewarded
// players earned the operator beyond what the rule's hold-out control group earned over the same
// window: (average GGR change of the rewarded − average of the control group) × rewarded players.
// Both groups are measured from the rule's first reward in the range (their last snapshot on or
// before it) to their last snapshot in the range, so the comparison is like for like. Without a
// control group there is nothing to compare with, and the report says so instead of guessing.
import type { ReportRange, RuleRoiReport, RuleRoiRow } from '../../shared/api/types-reports'
import { rewardTypeAliases } from '../../shared/rule-schema'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import { paidDecisions } from './sources'

interface Snapshot {
  asOf: string
  ggr: number
}

export function ruleRoiReport(database: LedgerDatabase, range: ReportRange): RuleRoiReport {
  const { currency } = readEngineSettings(database)
  const rules = database
    .readRaw('SELECT r.id, r.code, v.definition FROM reward_rules r JOIN reward_rule_versions v ON v.rule_id = r.id AND v.version = r.current_version ORDER BY r.code')
    .all() as { id: number; code: string; definition: string }[]
  // Totals per rule and currency in SQL; player lists only for rules that have a control group.
  const totals = database
    .readRaw(
      `SELECT v.rule_id AS ruleId, p.currency, COUNT(DISTINCT p.player_id) AS players, SUM(p.cost) AS cost, SUM(p.amount) AS amount, MIN(p.as_of) AS first, MAX(p.as_of) AS last ` +
        `FROM (${paidDecisions}) p JOIN reward_rule_versions v ON v.id = p.rule_version_id WHERE p.as_of BETWEEN @from AND @to GROUP BY v.rule_id, p.currency ORDER BY last`,
    )
    .all(range) as { ruleId: number; currency: string; players: number; cost: number; amount: number; first: string; last: string }[]
  const held = database
    .readRaw("SELECT DISTINCT v.rule_id AS ruleId, d.player_id AS playerId FROM reward_decisions d JOIN reward_rule_versions v ON v.id = d.rule_version_id WHERE d.reason = 'control_group'")
    .all() as { ruleId: number; playerId: number }[]
  const withControl = new Set(held.map((each) => each.ruleId))
  const rewardedOf = (ruleId: number) =>
    new Set(
      (
        database
          .readRaw(`SELECT DISTINCT p.player_id AS playerId FROM (${paidDecisions}) p JOIN reward_rule_versions v ON v.id = p.rule_version_id WHERE v.rule_id = @rule AND p.as_of BETWEEN @from AND @to`)
          .all({ ...range, rule: ruleId }) as { playerId: number }[]
      ).map((each) => each.playerId),
    )
  const snapshots = withControl.size > 0 ? loadSnapshots(database, range.to, [...withControl]) : new Map<number, Snapshot[]>()

  const rows = rules.map((rule): RuleRoiRow => {
    const definition = JSON.parse(rule.definition) as { name?: string; holdout?: { share?: number }; reward?: { type?: string } }
    const mine = totals.filter((each) => each.ruleId === rule.id)
    const rewardedIds = withControl.has(rule.id) && mine.length > 0 ? rewardedOf(rule.id) : new Set<number>()
    const controlIds = new Set(held.filter((each) => each.ruleId === rule.id && !rewardedIds.has(each.playerId)).map((each) => each.playerId))
    // The currency it pays in now (the latest); a rule that changed currency lists only that one's amount.
    const rewardCurrency = mine.at(-1)?.currency ?? normaliseCurrency(definition.reward?.type)
    const base = {
      ruleId: rule.code,
      ...(definition.name ? { name: definition.name } : {}),
      holdoutShare: definition.holdout?.share ?? 0,
      rewarded: rewardedIds.size || mine.reduce((sum, each) => sum + each.players, 0),
      control: controlIds.size,
      cost: mine.reduce((sum, each) => sum + each.cost, 0),
      paid: mine.filter((each) => each.currency === rewardCurrency).reduce((sum, each) => sum + each.amount, 0),
      currency: rewardCurrency,
    }
    if (base.rewarded === 0) return { ...base, status: 'no_rewards', note: 'no rewards paid in this range' }
    if (base.control === 0) {
      return base.holdoutShare > 0
        ? { ...base, status: 'control_group_empty', note: `hold-out of ${percent(base.holdoutShare)} set, but no player has been held out yet: ROI not measurable` }
        : { ...base, status: 'no_control_group', note: 'no control group: ROI not measurable' }
    }
    const measuredFrom = mine.reduce((first, each) => (each.first < first ? each.first : first), mine[0]!.first)
    const rewardedChange = averageChange(rewardedIds, snapshots, measuredFrom)
    const controlChange = averageChange(controlIds, snapshots, measuredFrom)
    if (rewardedChange === undefined || controlChange === undefined) {
      return { ...base, measuredFrom, status: 'no_later_data', note: `no player snapshot after ${measuredFrom} yet: ROI measurable after the next import` }
    }
    const incrementalMargin = Math.round((rewardedChange - controlChange) * base.rewarded)
    const measured = {
      ...base,
      measuredFrom,
      ggrChangeRewarded: Math.round(rewardedChange),
      ggrChangeControl: Math.round(controlChange),
      incrementalMargin,
    }
    if (base.cost <= 0) return { ...measured, status: 'measured', note: `measured against ${base.control} control players; the rewards cost nothing, so there is no ROI` }
    const roi = (incrementalMargin - base.cost) / base.cost
    return { ...measured, roi, status: 'measured', note: `measured against ${base.control} control players` }
  })
  return { range, currency, rows }
}

/** The snapshots, oldest first, of every player decided on by these rules (paid or held out), up to the end of the range. */
function loadSnapshots(database: LedgerDatabase, to: string, ruleIds: readonly number[]): Map<number, Snapshot[]> {
  const rules = JSON.stringify(ruleIds)
  const rows = database
    .readRaw(
      'SELECT player_id AS playerId, as_of AS asOf, COALESCE(total_wagered, 0) - COALESCE(total_won, 0) AS ggr FROM metric_snapshots WHERE as_of <= @to ' +
        "AND player_id IN (SELECT d.player_id FROM reward_decisions d JOIN reward_rule_versions v ON v.id = d.rule_version_id WHERE v.rule_id IN (SELECT value FROM json_each(@rules)) " +
        "AND (d.outcome IN ('issued', 'reduced') OR d.reason = 'control_group')) ORDER BY player_id, as_of, id",
    )
    .iterate({ to, rules }) as IterableIterator<{ playerId: number; asOf: string; ggr: number }>
  const byPlayer = new Map<number, Snapshot[]>()
  for (const row of rows) {
    const list = byPlayer.get(row.playerId) ?? []
    list.push({ asOf: row.asOf, ggr: row.ggr })
    byPlayer.set(row.playerId, list)
  }
  return byPlayer
}

/** Average GGR change from the last snapshot on or before `from` (else the first) to the last one, over players with a later snapshot. */
function averageChange(players: ReadonlySet<number>, snapshots: Map<number, Snapshot[]>, from: string): number | undefined {
  let total = 0
  let measured = 0
  for (const player of players) {
    const list = snapshots.get(player)
    if (!list || list.length < 2) continue
    let baseline = list[0]!
    for (const snapshot of list) if (snapshot.asOf <= from) baseline = snapshot
    const last = list.at(-1)!
    if (last.asOf <= baseline.asOf) continue
    total += last.ggr - baseline.ggr
    measured += 1
  }
  return measured > 0 ? total / measured : undefined
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`
}

function normaliseCurrency(type: string | undefined): string {
  const key = (type ?? '').trim().toUpperCase().replace(/[\s-]+/g, '_')
  return Object.hasOwn(rewardTypeAliases, key) ? rewardTypeAliases[key as keyof typeof rewardTypeAliases] : key
}
