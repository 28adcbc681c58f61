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
  /** 1 for each player with at least one reward issued (the same array as players.rewarded). */
  rewarded: Uint8Array
  /** Expected cost of one player's rewards, money minor units (exact float; = players.cost[p]). */
  costOf(player: number): number
  /** Per player, built on first use: only the Monte Carlo needs all of it. */
  readonly players: PlayerRewards
  /** Exact-float margin per player (for sensitivity and Monte Carlo), built on first use. */
  readonly margin: Float64Array
}

/** Per-rule constants the per-decision loops read. */
interface RuleTerms {
  fixedUnitCost: Float64Array
  bonusEdge: Float64Array
  byCurrencyRetention: Float64Array
  currencyIndex: Int32Array
  wagering: Float64Array
}

function ruleTerms(run: ConfigRun, settings: EngineSettings): RuleTerms {
  const { rules } = run.evaluation
  return {
    fixedUnitCost: Float64Array.from(rules, (rule) => (rule.currency === 'BONUS' && !rule.eligibleGames?.length ? Number.NaN : unitCost(rule, 0, settings))),
    bonusEdge: Float64Array.from(rules, (rule) => (rule.currency === 'BONUS' && rule.eligibleGames?.length ? houseEdgeOf(rule.eligibleGames, settings.houseEdges) : Number.NaN)),
    byCurrencyRetention: Float64Array.from(rules, (rule) => settings.retention.byCurrency[rule.currency] ?? 1),
    currencyIndex: Int32Array.from(rules, (rule) => currencyCodes.indexOf(rule.currency)),
    wagering: Float64Array.from(rules, (rule) => rule.wageringRequirement),
  }
}

/** Expected cost of decision `d` (its amount × the unit cost for its rule and player). */
function decisionCost(run: ConfigRun, terms: RuleTerms, settings: EngineSettings, d: number): number {
  const { decisions, rules, safety } = run.evaluation
  const r = decisions.rule[d]!
  const fixed = terms.fixedUnitCost[r]!
  return decisions.amount[d]! * (fixed === fixed ? fixed : unitCost(rules[r]!, safety.houseEdges[decisions.player[d]!]!, settings))
}

/**
 * The summary in one pass over the decisions (in the engine's player order) and the players,
 * without per-player arrays: each costs 8 MB at a million players, and touching fresh memory is
 * what costs most at that size. Sums run in the same order as playerRewards' loop, so every figure
 * is the same float. Decisions out of player order (never from evaluate) take that loop instead.
 */
export function summariseSide(run: ConfigRun, settings: EngineSettings): SideDetail {
  const { evaluation, segments } = run
  const { decisions, rules, safety } = evaluation
  const n = run.base.table.count
  const terms = ruleTerms(run, settings)
  const { fixedUnitCost, byCurrencyRetention, currencyIndex } = terms
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
  const segmentCounts = new Float64Array(segmentNames.length)
  const currencyCost = new Float64Array(currencyCodes.length)
  const issuedByCurrency = new Float64Array(currencyCodes.length)
  const reasonCounts = new Float64Array(reasonNames.length)
  const segmentRetention = segmentNames.map((segment) => settings.retention.bySegment[segment] ?? 1)
  const { rule: ruleOf, player: playerOf, outcome: outcomeOf, reason: reasonOf, amount: amountOf } = decisions
  const houseEdges = safety.houseEdges
  const margins = safety.margins
  const rewarded = new Uint8Array(n)

  let ordered = true
  for (let d = 1; d < decisions.count && ordered; d += 1) ordered = playerOf[d - 1]! <= playerOf[d]!
  const full = ordered ? undefined : playerRewards(run, settings, terms, rewarded)

  let marginTotal = 0
  let rewardedPlayers = 0
  let d = 0
  for (let p = 0; p < n; p += 1) {
    const s = segments[p]!
    segmentCounts[s]! += 1
    let retention = 0
    let isRewarded = false
    for (; d < decisions.count && (!ordered || playerOf[d] === p); d += 1) {
      const r = ruleOf[d]!
      const dp = playerOf[d]!
      const ds = segments[dp]!
      const outcome = outcomeOf[d]!
      reasonCounts[reasonOf[d]!]! += 1
      if (outcome === BLOCKED) {
        ruleBlocked[r]! += 1
        segmentBlocked[ds]! += 1
        continue
      }
      // "issued" counts every reward that went out, reduced ones included (as process reports it).
      ruleIssued[r]! += 1
      segmentIssued[ds]! += 1
      if (outcome === REDUCED) {
        ruleReduced[r]! += 1
        segmentReduced[ds]! += 1
      }
      const amount = amountOf[d]!
      const fixed = fixedUnitCost[r]!
      const cost = amount * (fixed === fixed ? fixed : unitCost(rules[r]!, houseEdges[dp]!, settings))
      const c = currencyIndex[r]!
      ruleAmount[r]! += amount
      ruleCost[r]! += cost
      segmentCost[ds]! += cost
      currencyCost[c]! += cost
      issuedByCurrency[c]! += amount
      isRewarded = true
      if (byCurrencyRetention[r]! > retention) retention = byCurrencyRetention[r]!
    }
    if (full) {
      // Unordered decisions were all counted above, at p = 0; the per-player parts come from `full`.
      retention = full.retention[p]!
      isRewarded = full.rewarded[p] === 1
    } else if (isRewarded) rewarded[p] = 1
    if (isRewarded) rewardedPlayers += 1
    else retention = 1
    marginTotal += margins[p]! * segmentRetention[s]! * retention
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

  let players = full
  let margin: Float64Array | undefined
  const detail: SideDetail = {
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
    rewarded,
    costOf(player) {
      if (players) return players.cost[player]!
      // Decisions are in player order: find the player's first one, then add their costs as playerRewards would.
      let low = 0
      let high = decisions.count
      while (low < high) {
        const middle = (low + high) >>> 1
        if (playerOf[middle]! < player) low = middle + 1
        else high = middle
      }
      let cost = 0
      for (let k = low; k < decisions.count && playerOf[k] === player; k += 1) if (outcomeOf[k] !== BLOCKED) cost += decisionCost(run, terms, settings, k)
      return cost
    },
    get players() {
      players ??= playerRewards(run, settings, terms, rewarded)
      return players
    },
    get margin() {
      if (!margin) {
        const perPlayer = detail.players
        margin = new Float64Array(n)
        for (let p = 0; p < n; p += 1) margin[p] = margins[p]! * segmentRetention[segments[p]!]! * perPlayer.retention[p]!
      }
      return margin
    },
  }
  return detail
}

/** Per player, what the configuration gives them (the Monte Carlo's inputs); `rewarded` is filled in. */
function playerRewards(run: ConfigRun, settings: EngineSettings, terms: RuleTerms, rewarded: Uint8Array): PlayerRewards {
  const { decisions, rules, safety } = run.evaluation
  const n = run.base.table.count
  const moneyScale = 10 ** settings.currency.minorDigits
  const players: PlayerRewards = {
    rewarded,
    cost: new Float64Array(n),
    retention: new Float64Array(n),
    fixedCost: new Float64Array(n),
    pointValue: new Float64Array(n),
    bonus: new Float64Array(n),
    bonusHold: new Float64Array(n),
    bonusStake: new Float64Array(n),
  }
  const { fixedUnitCost, bonusEdge, byCurrencyRetention, currencyIndex, wagering } = terms
  const BONUS = currencyCodes.indexOf('BONUS')
  const RP = currencyCodes.indexOf('RP')
  const rewardPointMoney = settings.pointValues.rewardPoint * moneyScale
  const { cost: playerCost, retention, fixedCost, pointValue, bonus, bonusHold, bonusStake } = players
  const { rule: ruleOf, player: playerOf, outcome: outcomeOf, amount: amountOf } = decisions
  const houseEdges = safety.houseEdges
  for (let d = 0; d < decisions.count; d += 1) {
    if (outcomeOf[d] === BLOCKED) continue
    const r = ruleOf[d]!
    const p = playerOf[d]!
    const amount = amountOf[d]!
    const fixed = fixedUnitCost[r]!
    const cost = amount * (fixed === fixed ? fixed : unitCost(rules[r]!, houseEdges[p]!, settings))
    const c = currencyIndex[r]!
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
  for (let p = 0; p < n; p += 1) if (!rewarded[p]) retention[p] = 1
  return players
}
