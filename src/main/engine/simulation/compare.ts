// Live configuration vs scenario over the same base, side by side: segment counts and the movement
// matrix, rewards by rule/segment/reason, cost, margin and net impact, who gains or loses every
// reward, and where caps and budgets ran out. Pure and deterministic: same base + same scenario →
// same numbers (the engine's canonical order decides who a cap serves first).
import type { CapExhaustion, ConfigChange, EligibilityChange, SimulationComparison } from '../../../shared/api/types-simulation'
import { outcomeNames, reasonNames, type PriorHistory } from '../evaluate'
import type { ChunkSource } from '../column-arena'
import type { PlayerRecord } from '../player-table'
import { segmentNames } from '../segments-types'
import { prepareBase, runConfiguration, type ConfigRun } from './run-config'
import type { Configuration } from './scenario-config'
import { summariseSide, type SideDetail } from './side-summary'

export interface SimulationInput {
  players: readonly PlayerRecord[]
  asOf: string
  history?: PriorHistory
  live: Configuration
  scenario: Configuration
  changes: ConfigChange[]
  /** How many players each eligibility list carries in the comparison (all are in the detail). */
  listLimit?: number
  /** Memory for the columns (see column-arena); plain buffers by default. */
  chunks?: ChunkSource
}

export interface SimulationStep {
  step: string
  done: number
  total: number
}

export interface SimulationDetail {
  comparison: SimulationComparison
  live: { run: ConfigRun; side: SideDetail }
  scenario: { run: ConfigRun; side: SideDetail }
  newlyEligible: EligibilityChange[]
  noLongerEligible: EligibilityChange[]
}

const capReasons = ['cap_player_day', 'cap_player_week', 'cap_player_month', 'budget_rule', 'budget_global_day'] as const
const BLOCKED = outcomeNames.indexOf('blocked')

export function simulate(input: SimulationInput): SimulationDetail {
  const steps = simulationSteps(input)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/**
 * The simulation as steps (each about one pass over the base): the caller may pause between them —
 * a job yields to its event loop there so a cancel request can arrive.
 */
export function* simulationSteps(input: SimulationInput): Generator<SimulationStep, SimulationDetail> {
  const steps = 5
  yield { step: 'live: metrics and abuse', done: 0, total: steps }
  const liveBase = prepareBase(input.players, input.live, input.asOf, undefined, input.chunks)
  yield { step: 'live: segments and rules', done: 1, total: steps }
  const liveRun = runConfiguration(liveBase, input.live, input.asOf, input.history, true)
  yield { step: 'scenario: metrics and abuse', done: 2, total: steps }
  const scenarioBase = prepareBase(input.players, input.scenario, input.asOf, liveBase, input.chunks)
  yield { step: 'scenario: segments and rules', done: 3, total: steps }
  const scenarioRun = runConfiguration(scenarioBase, input.scenario, input.asOf, input.history, true)
  yield { step: 'compare', done: 4, total: steps }
  liveBase.arena.close()
  if (scenarioBase !== liveBase) scenarioBase.arena.close()
  const liveSide = summariseSide(liveRun, input.live.settings)
  const scenarioSide = summariseSide(scenarioRun, input.scenario.settings)

  const n = liveBase.table.count
  const movement = segmentNames.map(() => segmentNames.map(() => 0))
  for (let p = 0; p < n; p += 1) movement[liveRun.segments[p]!]![scenarioRun.segments[p]!]! += 1

  const newlyEligible = eligibilityChanges(scenarioRun, scenarioSide, liveSide)
  const noLongerEligible = eligibilityChanges(liveRun, liveSide, scenarioSide)
  const limit = input.listLimit ?? 500
  const minorDigits = input.live.settings.currency.minorDigits
  return {
    comparison: {
      asOf: input.asOf,
      players: n,
      live: liveSide.summary,
      scenario: scenarioSide.summary,
      movement,
      netImpact: scenarioSide.summary.net - liveSide.summary.net,
      newlyEligible: { total: newlyEligible.length, players: newlyEligible.slice(0, limit) },
      noLongerEligible: { total: noLongerEligible.length, players: noLongerEligible.slice(0, limit) },
      exhaustion: exhaustion(liveRun, scenarioRun),
      changes: input.changes,
      currencyCode: input.live.settings.currency.code,
      minorDigits,
    },
    live: { run: liveRun, side: liveSide },
    scenario: { run: scenarioRun, side: scenarioSide },
    newlyEligible,
    noLongerEligible,
  }
}

/** Players rewarded in `run` but not in `other`, with the rules that reward them in `run`. */
function eligibilityChanges(run: ConfigRun, side: SideDetail, other: SideDetail): EligibilityChange[] {
  const { decisions, rules, table } = run.evaluation
  const byPlayer = new Map<number, string[]>()
  for (let d = 0; d < decisions.count; d += 1) {
    if (decisions.outcome[d] === BLOCKED) continue
    const p = decisions.player[d]!
    if (other.rewarded[p]) continue
    const list = byPlayer.get(p) ?? []
    list.push(rules[decisions.rule[d]!]!.ruleId)
    byPlayer.set(p, list)
  }
  return [...byPlayer.entries()].map(([p, ruleIds]) => ({
    playerId: table.playerIds[p]!,
    segment: segmentNames[run.segments[p]!]!,
    rules: ruleIds,
    cost: Math.round(side.costOf(p)),
  }))
}

function capCounts(run: ConfigRun): Map<string, { reduced: number; blocked: number }> {
  const { decisions, rules } = run.evaluation
  // Counted in typed arrays (a spent budget can stop a million decisions), turned into the keyed map at the end.
  const slot = new Int32Array(reasonNames.length).fill(-1)
  capReasons.forEach((reason, index) => {
    slot[reasonNames.indexOf(reason)] = index
  })
  const ruleCount = rules.length
  const reduced = new Float64Array(capReasons.length * ruleCount)
  const blocked = new Float64Array(capReasons.length * ruleCount)
  for (let d = 0; d < decisions.count; d += 1) {
    const index = slot[decisions.reason[d]!]!
    if (index < 0) continue
    const at = index * ruleCount + decisions.rule[d]!
    if (decisions.outcome[d] === BLOCKED) blocked[at]! += 1
    else reduced[at]! += 1
  }
  const counts = new Map<string, { reduced: number; blocked: number }>()
  capReasons.forEach((reason, index) => {
    for (let r = 0; r < ruleCount; r += 1) {
      const at = index * ruleCount + r
      if (reduced[at] === 0 && blocked[at] === 0) continue
      const key = reason === 'budget_rule' ? `${reason}:${rules[r]!.ruleId}` : reason
      const entry = counts.get(key) ?? { reduced: 0, blocked: 0 }
      entry.reduced += reduced[at]!
      entry.blocked += blocked[at]!
      counts.set(key, entry)
    }
  })
  return counts
}

function exhaustion(live: ConfigRun, scenario: ConfigRun): CapExhaustion[] {
  const a = capCounts(live)
  const b = capCounts(scenario)
  const none = { reduced: 0, blocked: 0 }
  return [...new Set([...a.keys(), ...b.keys()])].sort().map((key) => {
    const [reason, ruleId] = key.split(':') as [string, string | undefined]
    return { reason, ...(ruleId ? { ruleId } : {}), live: a.get(key) ?? none, scenario: b.get(key) ?? none }
  })
}
