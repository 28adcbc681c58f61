// The side summary as it was before it became a single pass without per-player arrays (kept
// verbatim apart from imports and names): the oracle the equivalence test compares the fast path with.
// What one configuration gives over the base: rewards by rule, segment and reason, expected cost
// by currency, expected future margin, and per player what the Monte Carlo and the eligibility
// lists need. Costs are summed as exact floats and rounded once, at the end, to minor units.
//
// Expected future margin of a configuration = Σ players: the player's base margin (safety.ts) ×
// the segment's retention multiplier × (for a rewarded player) the highest reward-type multiplier
// among the rewards they receive — the same multipliers the profit-safety check uses.
import type { EngineSettings } from '../../../src/shared/engine-settings'
import type { RuleSummary, SegmentName, SegmentRewardSummary, SideSummary } from '../../../src/shared/api/types-simulation'
import { currencyCodes, roundToInteger, type Currency } from '../../../src/shared/money'
import { outcomeNames, reasonNames } from '../../../src/main/engine/evaluate'
import { houseEdgeOf, unitCost } from '../../../src/main/engine/safety'
import { segmentNames } from '../../../src/main/engine/segments-types'
import type { ConfigRun } from '../../../src/main/engine/simulation/run-config'

const BLOCKED = outcomeNames.indexOf('blocked')
const REDUCED = outcomeNames.indexOf('reduced')

/** Per player, what a configuration gives them; the rewards' parts the Monte Carlo draws around. */
interface PlayerRewards {
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

export interface ReferenceSideDetail {
  summary: SideSummary
  players: PlayerRewards
  /** Exact-float margin per player (for sensitivity and Monte Carlo). */
  margin: Float64Array
}

export function referenceSummariseSide(run: ConfigRun, settings: EngineSettings): ReferenceSideDetail {
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
  const fixedUnitCost = Float64Array.from(rules, (rule) => (rule.currency === 'BONUS' && !rule.eligibleGames?.length ? Number.NaN : unitCost(rule, 0, settings)))
  const bonusEdge = Float64Array.from(rules, (rule) => (rule.currency === 'BONUS' && rule.eligibleGames?.length ? houseEdgeOf(rule.eligibleGames, settings.houseEdges) : Number.NaN))
  const byCurrencyRetention = Float64Array.from(rules, (rule) => settings.retention.byCurrency[rule.currency] ?? 1)
  // Counters as typed arrays indexed by rule / segment: this loop runs once per decision (millions).
  const ruleCount = rules.length
  const ruleIssued = new Float64Array(ruleCount)
  const ruleReduced = new Float64Array(ruleCount)
  const ruleBlocked = new Float64Array(ruleCount)
  const ruleAmount = new Float64Array(ruleCount)
  const ruleCost = new Float64Array(ruleCount)
  const segmentIssued = new Float64Array(segmentNames.length)
  const segmentReduced = new Float64Array(segmentNames.length)
  const segmentBlocked = new Float64Array(segmentNames.length)
  const segmentCost = new Float64Array(segmentNames.length)
  const currencyCost = new Float64Array(currencyCodes.length)
  const issuedByCurrency = new Float64Array(currencyCodes.length)
  const reasonCounts = new Float64Array(reasonNames.length)
  const currencyIndex = Int32Array.from(rules, (rule) => currencyCodes.indexOf(rule.currency))
  const BONUS = currencyCodes.indexOf('BONUS')
  const RP = currencyCodes.indexOf('RP')
  const wagering = Float64Array.from(rules, (rule) => rule.wageringRequirement)
  const rewardPointMoney = settings.pointValues.rewardPoint * moneyScale
  const { rewarded, cost: playerCost, retention, fixedCost, pointValue, bonus, bonusHold, bonusStake } = players
  const { rule: ruleOf, player: playerOf, outcome: outcomeOf, reason: reasonOf, amount: amountOf } = decisions
  const houseEdges = safety.houseEdges

  for (let d = 0; d < decisions.count; d += 1) {
    const r = ruleOf[d]!
    const p = playerOf[d]!
    const s = segments[p]!
    const outcome = outcomeOf[d]!
    reasonCounts[reasonOf[d]!]! += 1
    if (outcome === BLOCKED) {
      ruleBlocked[r]! += 1
      segmentBlocked[s]! += 1
      continue
    }
    // "issued" counts every reward that went out, reduced ones included (as process reports it).
    ruleIssued[r]! += 1
    segmentIssued[s]! += 1
    if (outcome === REDUCED) {
      ruleReduced[r]! += 1
      segmentReduced[s]! += 1
    }
    const amount = amountOf[d]!
    const fixed = fixedUnitCost[r]!
    const cost = amount * (fixed === fixed ? fixed : unitCost(rules[r]!, houseEdges[p]!, settings))
    const c = currencyIndex[r]!
    ruleAmount[r]! += amount
    ruleCost[r]! += cost
    segmentCost[s]! += cost
    currencyCost[c]! += cost
    issuedByCurrency[c]! += amount
    rewarded[p] = 1
    playerCost[p]! += cost
    if (byCurrencyRetention[r]! > retention[p]!) retention[p] = byCurrencyRetention[r]!
    if (c === BONUS) {
      const edge = bonusEdge[r]! === bonusEdge[r]! ? bonusEdge[r]! : houseEdges[p]!
      const stake = wagering[r]! * amount
      bonus[p]! += amount
      bonusStake[p]! += stake
      bonusHold[p]! += stake * edge
    } else if (c === RP) pointValue[p]! += amount * rewardPointMoney
    else fixedCost[p]! += cost
  }
  const ruleRows: RuleSummary[] = rules.map((rule, r) => ({
    ruleId: rule.ruleId,
    currency: rule.currency,
    issued: ruleIssued[r]!,
    reduced: ruleReduced[r]!,
    blocked: ruleBlocked[r]!,
    amount: ruleAmount[r]!,
    cost: roundToInteger(ruleCost[r]!),
  }))
  const outcomes = {
    issued: ruleIssued.reduce((sum, value) => sum + value, 0),
    reduced: ruleReduced.reduce((sum, value) => sum + value, 0),
    blocked: ruleBlocked.reduce((sum, value) => sum + value, 0),
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
  const segmentRows: SegmentRewardSummary[] = segmentNames.map((segment, s) => ({
    segment,
    players: segmentCounts[s]!,
    issued: segmentIssued[s]!,
    reduced: segmentReduced[s]!,
    blocked: segmentBlocked[s]!,
    cost: roundToInteger(segmentCost[s]!),
  }))
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
