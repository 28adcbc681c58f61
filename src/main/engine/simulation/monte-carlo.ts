// Seeded Monte Carlo over player outcomes: the deterministic simulation gives expected values; this
// shows the spread around them. Per trial and player (the model is described in README.md,
// "What-if simulation"):
//   wager  V = W · exp(σ·z₁ − σ²/2)         W = expected wager over the horizon, mean-preserving log-normal
//   result G = V·h + √(V·b·v) · z₂           h = house edge, b = bet size, v = game variance per unit staked
//   RP     cost = value if u < redemption rate, else 0
//   bonus  cost = clamp(B − X, 0, B),  X ~ N(Σ W_r·B·h_r, Σ W_r·B · b·v)   (the hold while wagering it off)
//   LP, tickets: their expected cost, fixed
// Operator net revenue = Σ G − Σ cost. Both configurations see the same draws for the same player in
// the same trial (common random numbers), so "scenario worse" measures the change, not the noise.
// Each trial's generator is seeded from (seed, trial number) alone: any split of trials over
// threads gives the same numbers.
import type { EngineSettings } from '../../../shared/engine-settings'
import type { MonteCarloSide, MonteCarloSummary } from '../../../shared/api/types-simulation'
import { mulberry32 } from '../../../shared/seeded-random'
import { abuseSettingsFrom } from '../pipeline'
import type { PlayerTable } from '../player-table'
import { playerHouseEdges, tenureDaysMin, tenureDaysUnknown } from '../safety'
import type { ConfigRun } from './run-config'
import type { SideDetail } from './side-summary'

/** Spread of a player's wager volume around their history (log-normal σ). */
export const volumeSpread = 0.5

export interface MonteCarloSideModel {
  /** Expected wager over the horizon, minor units. */
  wager: Float64Array
  edge: Float64Array
  fixedCost: Float64Array
  pointValue: Float64Array
  bonus: Float64Array
  bonusHold: Float64Array
  bonusStake: Float64Array
  redemptionRate: number
}

export interface MonteCarloModel {
  count: number
  /** Bet size × game variance per unit staked: the variance of the result per minor unit wagered. */
  betVariance: Float64Array
  live: MonteCarloSideModel
  scenario: MonteCarloSideModel
}

/** Each player's expected wager over the horizon before retention (lifetime wager / tenure × horizon). */
function baseWagers(table: PlayerTable, settings: EngineSettings): Float64Array {
  const wagered = table.column('total_wagered')
  const tenure = table.column('tenure_days')
  const result = new Float64Array(table.count)
  for (let i = 0; i < table.count; i += 1) {
    const w = wagered[i]!
    if (!(w > 0)) continue
    const days = tenure[i]! === tenure[i]! ? Math.max(tenureDaysMin, tenure[i]!) : tenureDaysUnknown
    result[i] = (w / days) * settings.marginHorizonDays
  }
  return result
}

function betVariances(table: PlayerTable, settings: EngineSettings): Float64Array {
  const variance = playerHouseEdges(table, settings.gameVariance) // the same wager-weighted mix, over variances
  const betsPerSession = abuseSettingsFrom(settings).betsPerSessionEstimate
  const wagered = table.column('total_wagered')
  const sessions = table.column('sessions')
  const result = new Float64Array(table.count)
  const unit = 10 ** settings.currency.minorDigits
  table.records.forEach((record, i) => {
    const activity = record.activity
    let bet = activity && activity.betCount > 0 ? activity.betTotal / activity.betCount : Number.NaN
    if (!(bet > 0)) bet = wagered[i]! > 0 ? wagered[i]! / Math.max(1, (sessions[i]! === sessions[i]! ? sessions[i]! : 1) * betsPerSession) : unit
    result[i] = bet * variance[i]!
  })
  return result
}

function sideModel(run: ConfigRun, side: SideDetail, base: Float64Array, settings: EngineSettings): MonteCarloSideModel {
  const n = base.length
  const wager = new Float64Array(n)
  const segmentRetention = Float64Array.from(['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const, (segment) => settings.retention.bySegment[segment] ?? 1)
  for (let p = 0; p < n; p += 1) {
    const rewardRetention = side.players.rewarded[p] ? side.players.retention[p]! : 1
    wager[p] = base[p]! * segmentRetention[run.segments[p]!]! * rewardRetention
  }
  return {
    wager,
    edge: run.evaluation.safety.houseEdges,
    fixedCost: side.players.fixedCost,
    pointValue: side.players.pointValue,
    bonus: side.players.bonus,
    bonusHold: side.players.bonusHold,
    bonusStake: side.players.bonusStake,
    redemptionRate: settings.pointValues.rewardPointRedemptionRate,
  }
}

export function buildMonteCarloModel(
  live: { run: ConfigRun; side: SideDetail; settings: EngineSettings },
  scenario: { run: ConfigRun; side: SideDetail; settings: EngineSettings },
): MonteCarloModel {
  const table = live.run.base.table
  return {
    count: table.count,
    betVariance: betVariances(table, live.settings),
    live: sideModel(live.run, live.side, baseWagers(table, live.settings), live.settings),
    scenario: sideModel(scenario.run, scenario.side, baseWagers(scenario.run.base.table, scenario.settings), scenario.settings),
  }
}

/** The generator of one trial: depends on the seed and the trial number only. */
export function trialRandom(seed: number, trial: number): () => number {
  const random = mulberry32((seed ^ Math.imul(trial + 1, 0x9e3779b1)) >>> 0)
  random() // the first output of nearby seeds is correlated; skip it
  return random
}

/** Per-player constants of the hot loop, computed once per call. */
interface PreparedSide {
  /** Expected hold: wager × house edge. */
  hold: Float64Array
  /** Standard deviation of the result at the expected wager: √(wager × bet variance). */
  spread: Float64Array
  /** LP and tickets: a fixed cost per trial. */
  fixedTotal: number
}

function prepareSide(side: MonteCarloSideModel, betVariance: Float64Array): PreparedSide {
  const n = side.wager.length
  const hold = new Float64Array(n)
  const spread = new Float64Array(n)
  let fixedTotal = 0
  for (let p = 0; p < n; p += 1) {
    hold[p] = side.wager[p]! * side.edge[p]!
    spread[p] = Math.sqrt(side.wager[p]! * betVariance[p]!)
    fixedTotal += side.fixedCost[p]!
  }
  return { hold, spread, fixedTotal }
}

/** Players with anything to draw (they play, or hold RP or a bonus, on either side); 1 in `extra` when RP or bonus. */
function activePlayers(model: MonteCarloModel): { active: Int32Array; extra: Uint8Array } {
  const { live, scenario } = model
  const list: number[] = []
  const extra = new Uint8Array(model.count)
  for (let p = 0; p < model.count; p += 1) {
    const rewards = live.pointValue[p]! > 0 || live.bonus[p]! > 0 || scenario.pointValue[p]! > 0 || scenario.bonus[p]! > 0
    if (rewards) extra[p] = 1
    if (rewards || live.wager[p]! > 0 || scenario.wager[p]! > 0) list.push(p)
  }
  return { active: Int32Array.from(list), extra }
}

/**
 * Operator net revenue per trial for trials [from, to), minor units (floats; rounded in the summary).
 * Normal draws use the polar method (no trigonometry); a player with nothing to draw draws nothing,
 * which depends only on the model, so any split of trials still gives the same numbers.
 */
export function runTrials(model: MonteCarloModel, seed: number, from: number, to: number): { live: Float64Array; scenario: Float64Array } {
  const live = new Float64Array(to - from)
  const scenario = new Float64Array(to - from)
  const { betVariance } = model
  const a = model.live
  const b = model.scenario
  const pa = prepareSide(a, betVariance)
  const pb = prepareSide(b, betVariance)
  const { active, extra } = activePlayers(model)
  const halfSpread = volumeSpread / 2
  const halfShift = (volumeSpread * volumeSpread) / 4
  for (let trial = from; trial < to; trial += 1) {
    const random = trialRandom(seed, trial)
    let spare = Number.NaN
    const normal = () => {
      if (spare === spare) {
        const value = spare
        spare = Number.NaN
        return value
      }
      let x: number
      let y: number
      let r: number
      do {
        x = 2 * random() - 1
        y = 2 * random() - 1
        r = x * x + y * y
      } while (r >= 1 || r === 0)
      const factor = Math.sqrt((-2 * Math.log(r)) / r)
      spare = y * factor
      return x * factor
    }
    let netA = -pa.fixedTotal
    let netB = -pb.fixedTotal
    for (let k = 0; k < active.length; k += 1) {
      const p = active[k]!
      // √volume, volume = exp(σ·z₁ − σ²/2): log-normal with mean 1.
      const root = Math.exp(halfSpread * normal() - halfShift)
      const deviation = root * normal()
      netA += pa.hold[p]! * root * root + pa.spread[p]! * deviation
      netB += pb.hold[p]! * root * root + pb.spread[p]! * deviation
      if (extra[p]) {
        const u = random()
        const z = normal()
        netA -= rewardCost(a, p, betVariance[p]!, z, u)
        netB -= rewardCost(b, p, betVariance[p]!, z, u)
      }
    }
    live[trial - from] = netA
    scenario[trial - from] = netB
  }
  return { live, scenario }
}

/** RP redeemed or not, and the bonus: what the player keeps of it. LP and tickets are in fixedTotal. */
function rewardCost(side: MonteCarloSideModel, p: number, betVariance: number, z: number, u: number): number {
  let cost = 0
  const points = side.pointValue[p]!
  if (points > 0 && u < side.redemptionRate) cost += points
  const bonus = side.bonus[p]!
  if (bonus > 0) {
    const kept = side.bonusHold[p]! + Math.sqrt(side.bonusStake[p]! * betVariance) * z
    cost += Math.min(bonus, Math.max(0, bonus - kept))
  }
  return cost
}

function percentile(sorted: Float64Array, share: number): number {
  if (sorted.length === 0) return 0
  const position = share * (sorted.length - 1)
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low)
}

function describe(values: Float64Array): MonteCarloSide {
  const sorted = Float64Array.from(values).sort()
  let sum = 0
  for (const value of values) sum += value
  return {
    p5: Math.round(percentile(sorted, 0.05)),
    p50: Math.round(percentile(sorted, 0.5)),
    p95: Math.round(percentile(sorted, 0.95)),
    mean: Math.round(values.length ? sum / values.length : 0),
  }
}

export function summariseTrials(live: Float64Array, scenario: Float64Array, seed: number, bins = 30): MonteCarloSummary {
  let worse = 0
  for (let t = 0; t < live.length; t += 1) if (scenario[t]! < live[t]!) worse += 1
  let low = Number.POSITIVE_INFINITY
  let high = Number.NEGATIVE_INFINITY
  for (const values of [live, scenario]) {
    for (const value of values) {
      if (value < low) low = value
      if (value > high) high = value
    }
  }
  const histogram: MonteCarloSummary['histogram'] = []
  if (live.length > 0) {
    const width = high > low ? (high - low) / bins : 1
    for (let i = 0; i < bins; i += 1) histogram.push({ from: Math.round(low + i * width), to: Math.round(low + (i + 1) * width), live: 0, scenario: 0 })
    const bin = (value: number) => Math.min(bins - 1, Math.floor((value - low) / width))
    for (const value of live) histogram[bin(value)]!.live += 1
    for (const value of scenario) histogram[bin(value)]!.scenario += 1
  }
  return { trials: live.length, seed, live: describe(live), scenario: describe(scenario), probabilityWorse: live.length ? worse / live.length : 0, histogram }
}
