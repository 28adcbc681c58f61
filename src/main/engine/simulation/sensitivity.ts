// Sensitivity: the scenario's net expected impact as one parameter sweeps a range, everything else
// held. The base (player table, abuse scores) is built once and shared by every point whose abuse
// settings are unchanged; only segments and rules are re-evaluated per point.
import type { SensitivityPoint, SensitivityResult } from '../../../shared/api/types-simulation'
import type { SensitivityParameter, SensitivityRange } from '../../../shared/scenario-schema'
import type { ChunkSource } from '../column-arena'
import type { PriorHistory } from '../evaluate'
import type { PlayerRecord } from '../player-table'
import { compileRule, sortRules } from '../rules'
import { prepareBase, runConfiguration } from './run-config'
import type { Configuration } from './scenario-config'
import { summariseSide } from './side-summary'

export function parameterLabel(parameter: SensitivityParameter): string {
  switch (parameter.kind) {
    case 'houseEdge':
      return `house edge of ${parameter.game}`
    case 'ruleFactor':
      return `rule ${parameter.ruleId} × factor`
    case 'cap':
      return `cap ${parameter.window} ${parameter.currency}`
    case 'safetyFactor':
      return 'safety factor'
  }
}

export function sweepValues(range: SensitivityRange): number[] {
  return Array.from({ length: range.steps }, (_, index) => Number((range.from + ((range.to - range.from) * index) / (range.steps - 1)).toPrecision(12)))
}

/** The configuration with the parameter set to `value`; throws a message naming the parameter if it cannot be set. */
export function withParameter(configuration: Configuration, parameter: SensitivityParameter, value: number, minorDigits: number): Configuration {
  const settings = structuredClone(configuration.settings)
  switch (parameter.kind) {
    case 'houseEdge':
      if (value > 1) throw new RangeError(`a house edge is a share between 0 and 1, got ${value}`)
      settings.houseEdges[parameter.game] = value
      return { settings, rules: configuration.rules }
    case 'safetyFactor':
      if (value > 1) throw new RangeError(`the safety factor is between 0 and 1, got ${value}`)
      settings.safetyFactor = value
      return { settings, rules: configuration.rules }
    case 'cap':
      settings.caps[parameter.window][parameter.currency] = value
      return { settings, rules: configuration.rules }
    case 'ruleFactor': {
      const rule = configuration.rules.find((each) => each.ruleId === parameter.ruleId)
      if (!rule) throw new RangeError(`there is no rule ${parameter.ruleId} in the scenario`)
      const formula = rule.definition.reward.formula
      // The formula text goes through the engine's own parser again; nothing is evaluated as code.
      const scaled = { ...rule.definition, reward: { ...rule.definition.reward, formula: `(${formula}) * ${value}` } }
      const compiled = compileRule(scaled, { minorDigits }, rule.version)
      if (!compiled.ok) throw new RangeError(`rule ${parameter.ruleId} cannot be scaled: ${compiled.problems.map((problem) => problem.message).join('; ')}`)
      return { settings, rules: sortRules(configuration.rules.map((each) => (each === rule ? compiled.rule : each))) }
    }
  }
}

export interface SensitivityInput {
  players: readonly PlayerRecord[]
  asOf: string
  history?: PriorHistory
  live: Configuration
  scenario: Configuration
  parameter: SensitivityParameter
  range: SensitivityRange
  /** Memory for the base's columns (see column-arena); plain buffers by default. */
  chunks?: ChunkSource
}

export function sensitivity(input: SensitivityInput): SensitivityResult {
  const steps = sensitivitySteps(input)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/** One step per point of the sweep (plus the live configuration first); the caller may pause between them. */
export function* sensitivitySteps(input: SensitivityInput): Generator<{ done: number; total: number }, SensitivityResult> {
  const minorDigits = input.live.settings.currency.minorDigits
  const values = sweepValues(input.range)
  // Every value is checked before any work, so a bad range fails at once.
  for (const value of values) withParameter(input.scenario, input.parameter, value, minorDigits)
  yield { done: 0, total: values.length + 1 }
  const liveBase = prepareBase(input.players, input.live, input.asOf, undefined, input.chunks)
  const liveNet = summariseSide(runConfiguration(liveBase, input.live, input.asOf, input.history), input.live.settings).summary.net
  const points: SensitivityPoint[] = []
  for (const [index, value] of values.entries()) {
    yield { done: index + 1, total: values.length + 1 }
    const configuration = withParameter(input.scenario, input.parameter, value, minorDigits)
    const base = prepareBase(input.players, configuration, input.asOf, liveBase, input.chunks)
    const { summary } = summariseSide(runConfiguration(base, configuration, input.asOf, input.history), configuration.settings)
    points.push({ value, net: summary.net, netImpact: summary.net - liveNet, cost: summary.cost, margin: summary.margin })
    if (base !== liveBase) base.arena.close()
  }
  liveBase.arena.close()
  return { parameter: parameterLabel(input.parameter), points, liveNet, minorDigits }
}
