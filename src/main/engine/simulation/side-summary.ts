// What one configuration gives over the base: rewards by rule, segment and reason, expected cost
// by currency, expected future margin, and per player what the Monte Carlo and the eligibility
// lists need. Costs are summed as exact floats and rounded once, at the end, to minor units.
//
// Expected future margin of a configuration = Σ players: the player's base margin (safety.ts) ×
// the segment's retention multiplier × (for a rewarded player) the highest reward-type multiplier
// among the rewards they receive — the same multipliers the profit-safety check uses.
import type { EngineSettings } from '../../../shared/engine-settings'
import type { RuleSummary, SegmentName, SegmentRewardSummary, SideSummary } from '../../../shared/api/types-simulation'
import { currencyCodes, roundToInteger, type Currency } from '../../../shared/money'
import { outcomeNames, reasonNames } from '../evaluate'
import { houseEdgeOf, unitCost } from '../safety'
import { segmentNames } from '../segments-types'
import type { ConfigRun } from './run-config'

const BLOCKED = outcomeNames.indexOf('blocked')
const REDUCED = outcomeNames.indexOf('reduced')

/** Per player, what a configuration gives them; the rewards' parts the Monte Carlo draws around. */
export interface PlayerRewards {
  /** 1 when at least one reward is issued. */
  rewarded: Uint8Array
  /** Expected cost of their rewards, money minor units (exact float). */
  cost: Float64Array
  /** Highest reward-type retention multiplier among their rewards (1 when none). */
  retention: Float64Array
  /** Cost of LP and TICKETS (fixed), of RP if redeemed (redeemed with the redemption rate), and bonus money issued. */
  fixedCost: Float64Array
  pointValue: Float64Array
  bonus: Float64Array
  /** Σ wagering requirement × bonus × house edge of its eligible games: what the house expects to keep while it is wagered. */
  bonusHold: Float64Array
  /** Σ wagering requirement × bonus: the stake needed to release the bonuses. */
  bonusStake: Float64Array
}

export interface SideDetail {
  summary: SideSummary
  players: PlayerRewards
  /** Exact-float margin per player (for sensitivity and Monte Carlo). */
  margin: Float64Array
}

export function summariseSide(run: ConfigRun, settings: EngineSettings): SideDetail {
  const { evaluation, segments } = run
  const { decisions, rules, safety } = evaluation
  const n = run.base.table.count
  const moneyScale = 10 ** settings.currency.minorDigits
  const players: PlayerRewards = {
    rewarded: new Uint8Array(n),
    cost: new Float64Array(n),
    retention: new Float64Array(n),
    fixedCost: new Float64Array(n),
    pointValue: new Float64Array(n),
    bonus: new Float64Array(n),
    bonusHold: new Float64Array(n),
    bonusStake: new Float64Array(n),
  }
  const fixedUnitCost = rules.map((rule) => (rule.currency === 'BONUS' && !rule.eligibleGames?.length ? Number.NaN : unitCost(rule, 0, settings)))
  const bonusEdge = rules.map((rule) => (rule.currency === 'BONUS' && rule.eligibleGames?.length ? houseEdgeOf(rule.eligibleGames, settings.houseEdges) : Number.NaN))
  const byCurrencyRetention = rules.map((rule) => settings.retention.byCurrency[rule.currency] ?? 1)
  const ruleRows: RuleSummary[] = rules.map((rule) => ({ ruleId: rule.ruleId, currency: rule.currency, issued: 0, reduced: 0, blocked: 0, amount: 0, cost: 0 }))
  const segmentRows: SegmentRewardSummary[] = segmentNames.map((segment) => ({ segment, players: 0, issued: 0, reduced: 0, blocked: 0, cost: 0 }))
  const ruleCost = new Float64Array(rules.length)
  const segmentCost = new Float64Array(segmentNames.length)
  const currencyCost = new Float64Array(currencyCodes.length)
  const issuedByCurrency = new Float64Array(currencyCodes.length)
  const reasonCounts = new Float64Array(reasonNames.length)
  const currencyIndex = rules.map((rule) => currencyCodes.indexOf(rule.currency))
  const outcomes = { issued: 0, reduced: 0, blocked: 0 }

  for (let d = 0; d < decisions.count; d += 1) {
    const r = decisions.rule[d]!
    const p = decisions.player[d]!
    const s = segments[p]!
    const outcome = decisions.outcome[d]!
    reasonCounts[decisions.reason[d]!]! += 1
    const ruleRow = ruleRows[r]!
    const segmentRow = segmentRows[s]!
    if (outcome === BLOCKED) {
      ruleRow.blocked += 1
      segmentRow.blocked += 1
      outcomes.blocked += 1
      continue
    }
    // "issued" counts every reward that went out, reduced ones included (as process reports it).
    ruleRow.issued += 1
    segmentRow.issued += 1
    outcomes.issued += 1
    if (outcome === REDUCED) {
      ruleRow.reduced += 1
      segmentRow.reduced += 1
      outcomes.reduced += 1
    }
    const rule = rules[r]!
    const amount = decisions.amount[d]!
    const fixed = fixedUnitCost[r]!
    const cost = amount * (fixed === fixed ? fixed : unitCost(rule, safety.houseEdges[p]!, settings))
    ruleRow.amount += amount
    ruleCost[r]! += cost
    segmentCost[s]! += cost
    currencyCost[currencyIndex[r]!]! += cost
    issuedByCurrency[currencyIndex[r]!]! += amount
    players.rewarded[p] = 1
    players.cost[p]! += cost
    if (byCurrencyRetention[r]! > players.retention[p]!) players.retention[p] = byCurrencyRetention[r]!
    switch (rule.currency) {
      case 'BONUS': {
        const edge = bonusEdge[r]! === bonusEdge[r]! ? bonusEdge[r]! : safety.houseEdges[p]!
        const stake = rule.wageringRequirement * amount
        players.bonus[p]! += amount
        players.bonusStake[p]! += stake
        players.bonusHold[p]! += stake * edge
        break
      }
      case 'RP':
        players.pointValue[p]! += amount * settings.pointValues.rewardPoint * moneyScale
        break
      default:
        players.fixedCost[p]! += cost
    }
  }

  const margin = new Float64Array(n)
  let marginTotal = 0
  let rewardedPlayers = 0
  const segmentRetention = segmentNames.map((segment) => settings.retention.bySegment[segment] ?? 1)
  const segmentCounts = new Float64Array(segmentNames.length)
  for (let p = 0; p < n; p += 1) {
    const s = segments[p]!
    segmentCounts[s]! += 1
    if (players.rewarded[p]) rewardedPlayers += 1
    else players.retention[p] = 1
    margin[p] = safety.margins[p]! * segmentRetention[s]! * players.retention[p]!
    marginTotal += margin[p]!
  }
  ruleRows.forEach((row, r) => (row.cost = roundToInteger(ruleCost[r]!)))
  segmentRows.forEach((row, s) => {
    row.cost = roundToInteger(segmentCost[s]!)
    row.players = segmentCounts[s]!
  })
  const costByCurrency = Object.fromEntries(currencyCodes.map((code, c) => [code, roundToInteger(currencyCost[c]!)])) as Record<Currency, number>
  const totalCost = roundToInteger(currencyCost.reduce((sum, value) => sum + value, 0))
  const marginRounded = roundToInteger(marginTotal)
  const byReason: Record<string, number> = {}
  reasonNames.forEach((name, index) => {
    if (reasonCounts[index]! > 0) byReason[name] = reasonCounts[index]!
  })
  return {
    summary: {
      segments: Object.fromEntries(segmentNames.map((segment, s) => [segment, segmentCounts[s]!])) as Record<SegmentName, number>,
      rewards: outcomes,
      issuedByCurrency: Object.fromEntries(currencyCodes.map((code, c) => [code, issuedByCurrency[c]!])) as Record<Currency, number>,
      costByCurrency,
      cost: totalCost,
      margin: marginRounded,
      net: marginRounded - totalCost,
      rewardedPlayers,
      byRule: ruleRows,
      bySegment: segmentRows,
      byReason,
    },
    players,
    margin,
  }
}
