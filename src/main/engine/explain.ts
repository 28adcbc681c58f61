// Builds the explanation of one player × rule: conditions with actual values, the formula with
// its inputs, rounding and clamps, the abuse multiplier, the safety numbers, the outcome. The
// outcome comes from a recorded batch decision when there is one (it knows the caps as they were
// during the run); otherwise the player is evaluated alone, through the same pipeline.
import type { EngineSettings } from '../../shared/engine-settings'
import type { Explanation } from '../../shared/explanation'
import { roundToInteger } from '../../shared/money'
import { metricUnit } from '../../shared/metric-catalogue'
import { traceConditions } from './conditions'
import { decisionAt, evaluate, type DecisionRecord, type PriorIssue } from './evaluate'
import { isHeldOut } from './holdout'
import { PlayerTable } from './player-table'
import type { CompiledRule } from './rules'
import { segmentNames, type Segment } from './segments-types'

export interface ExplainInput {
  table: PlayerTable
  playerIndex: number
  rule: CompiledRule
  settings: EngineSettings
  asOf: string
  segment: Segment
  tier?: string
  abuseScore?: number
  history?: readonly PriorIssue[]
  /** The decision a batch run recorded for this player and rule, if any. */
  recorded?: DecisionRecord
}

export function explain(input: ExplainInput): Explanation {
  const { table, playerIndex, rule, settings } = input
  const minorDigits = settings.currency.minorDigits
  const conditions = traceConditions(rule.conditions, table, playerIndex, { segment: input.segment, tier: input.tier }, minorDigits)
  const explanation: Explanation = {
    playerId: table.playerIds[playerIndex]!,
    ruleId: rule.ruleId,
    ruleVersion: rule.version,
    currency: rule.currency,
    digits: rule.digits,
    moneyDigits: minorDigits,
    conditions,
    eligible: conditions.every((condition) => condition.passed),
  }
  if (!explanation.eligible) return explanation

  const inputs = rule.formula.metrics.map((name) => {
    const stored = table.value(name, playerIndex)
    const value = stored !== stored ? undefined : metricUnit(name) === 'money' ? stored / 10 ** minorDigits : stored
    return { name, value }
  })
  const value = rule.formula.evaluate((name) => inputs.find((each) => each.name === name)?.value ?? Number.NaN)
  explanation.formula = { source: rule.formula.source, inputs, value }
  if (Number.isFinite(value)) {
    const rounded = roundToInteger(value * 10 ** rule.digits)
    explanation.rounded = rounded
    if (rule.maxAmount !== undefined && rounded > rule.maxAmount) explanation.clamp = { bound: 'max_amount', to: rule.maxAmount }
    else if (rounded > 0 && rule.minAmount !== undefined && rounded < rule.minAmount) explanation.clamp = { bound: 'min_amount', to: rule.minAmount }
  }
  explanation.abuse = {
    score: input.abuseScore ?? 0,
    reduceAt: settings.abuse.reduceAt,
    blockAt: settings.abuse.blockAt,
    multiplier: settings.abuse.reduceMultiplier,
  }
  if (rule.holdoutShare) explanation.holdout = { share: rule.holdoutShare, heldOut: isHeldOut(rule.ruleId, explanation.playerId, rule.holdoutShare) }
  const decision = input.recorded ?? evaluateAlone(input)
  if (decision) {
    explanation.outcome = decision.outcome
    explanation.reason = decision.reason
    explanation.amount = decision.amount
    if (decision.margin > 0 || decision.cost > 0) {
      explanation.safety = {
        cost: decision.cost,
        margin: decision.margin,
        safetyFactor: settings.safetyFactor,
        allowed: decision.margin * settings.safetyFactor,
      }
    }
  }
  return explanation
}

function evaluateAlone(input: ExplainInput): DecisionRecord | undefined {
  const record = input.table.records[input.playerIndex]!
  const single = new PlayerTable([record], input.asOf)
  single.setAbuseScores(Float64Array.of(input.abuseScore ?? 0))
  const result = evaluate({
    table: single,
    rules: [{ ...input.rule, status: 'active', activeFromDay: undefined, activeToDay: undefined }],
    settings: input.settings,
    asOf: input.asOf,
    segments: Uint8Array.of(segmentNames.indexOf(input.segment)),
    tiers: [input.tier],
    abuseScores: Float64Array.of(input.abuseScore ?? 0),
    history: input.history?.filter((issue) => issue.playerId === record.playerId),
  })
  return result.decisions.count > 0 ? decisionAt(result, 0) : undefined
}
