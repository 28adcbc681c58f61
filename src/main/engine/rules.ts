// Reward rules: validated against the rule schema, then compiled once (conditions, formula,
// amounts in integer units) for batch evaluation. A bad rule is refused with every problem's
// path and what was expected; an unknown name comes with the list of valid names.
import { ruleSchema, type Frequency, type RuleDefinition } from '../../shared/rule-schema'
import { majorToMinor, unitDigits, type Currency } from '../../shared/money'
import { compileConditions, type Condition } from './conditions'
import { compileFormula, type CompiledFormula } from './formula'
import { dayNumber, isoWeekKey, monthKey } from './dates'
import { segmentNames } from './segments-types'

export interface RuleProblem {
  path: string
  message: string
  /** For formula errors: zero-based character offset in the formula. */
  position?: number
  validNames?: string[]
}

export interface CompiledRule {
  ruleId: string
  version: number
  priority: number
  status: RuleDefinition['status']
  currency: Currency
  /** Digits of the amount's unit: money's minor digits, 0 for points and tickets. */
  digits: number
  conditions: Condition[]
  formula: CompiledFormula
  /** Integer units (minor units or points); undefined = no bound. */
  minAmount?: number
  maxAmount?: number
  wageringRequirement: number
  maxBet?: number
  expiryHours?: number
  eligibleGames?: string[]
  frequency: Frequency
  budget?: { amount: number; period: 'day' | 'week' | 'month' | 'lifetime' }
  exclusiveGroup?: string
  activeFromDay?: number
  activeToDay?: number
  /** Share of would-be recipients held out as a control group (0 or absent = none). */
  holdoutShare?: number
  definition: RuleDefinition
}

export type RuleCompileResult = { ok: true; rule: CompiledRule } | { ok: false; ruleId?: string; problems: RuleProblem[] }

export interface RuleContext {
  minorDigits: number
  knownTiers?: readonly string[]
}

export function compileRule(input: unknown, context: RuleContext, version = 1, path = ''): RuleCompileResult {
  const parsed = ruleSchema.safeParse(input)
  const ruleId = typeof input === 'object' && input !== null && 'rule_id' in input ? String((input as { rule_id: unknown }).rule_id) : undefined
  const at = (segment: string) => (path ? `${path}.${segment}` : segment)
  if (!parsed.success) {
    return {
      ok: false,
      ruleId,
      problems: parsed.error.issues.map((issue) => ({ path: at(issue.path.join('.')) || at('(rule)'), message: issue.message })),
    }
  }
  const definition = parsed.data
  const problems: RuleProblem[] = []
  const compiled = compileConditions(
    definition.conditions,
    { minorDigits: context.minorDigits, allowSegment: true, allowTier: true, knownSegments: segmentNames, knownTiers: context.knownTiers },
    at('conditions'),
  )
  problems.push(...compiled.errors)
  const formulaText = typeof definition.reward.formula === 'number' ? String(definition.reward.formula) : definition.reward.formula
  const formula = compileFormula(formulaText)
  if (!formula.ok) problems.push({ path: at('reward.formula'), message: formula.error.message, position: formula.error.position, validNames: formula.error.validNames })
  const fromDay = definition.active_from ? dayNumber(definition.active_from) : undefined
  const toDay = definition.active_to ? dayNumber(definition.active_to) : undefined
  if (fromDay !== undefined && toDay !== undefined && fromDay > toDay) problems.push({ path: at('active_to'), message: 'active_to is before active_from' })
  if (problems.length > 0 || !formula.ok) return { ok: false, ruleId: definition.rule_id, problems }

  const currency = definition.reward.type
  const digits = unitDigits(currency, context.minorDigits)
  const toUnits = (major: number | undefined) => (major === undefined ? undefined : majorToMinor(major, digits))
  const rule: CompiledRule = {
    ruleId: definition.rule_id,
    version,
    priority: definition.priority,
    status: definition.status,
    currency,
    digits,
    conditions: compiled.conditions,
    formula: formula.formula,
    minAmount: toUnits(definition.reward.min_amount),
    maxAmount: toUnits(definition.reward.max_amount),
    wageringRequirement: definition.reward.wagering_requirement ?? 0,
    maxBet: definition.reward.max_bet === undefined ? undefined : majorToMinor(definition.reward.max_bet, context.minorDigits),
    expiryHours: definition.reward.expiry_hours,
    eligibleGames: definition.reward.eligible_games,
    frequency: definition.frequency,
    budget: definition.budget ? { amount: majorToMinor(definition.budget.amount, digits), period: definition.budget.period } : undefined,
    exclusiveGroup: definition.exclusive_group,
    activeFromDay: fromDay,
    activeToDay: toDay,
    holdoutShare: definition.holdout?.share ?? 0,
    definition,
  }
  return { ok: true, rule }
}

/** Compiles a rule set; duplicate rule ids are refused. Problems are reported for every rule. */
export function compileRuleSet(inputs: readonly unknown[], context: RuleContext): { rules: CompiledRule[]; problems: RuleProblem[] } {
  const rules: CompiledRule[] = []
  const problems: RuleProblem[] = []
  const seen = new Set<string>()
  inputs.forEach((input, index) => {
    const result = compileRule(input, context, 1, `[${index}]`)
    if (!result.ok) {
      problems.push(...result.problems)
      return
    }
    if (seen.has(result.rule.ruleId)) {
      problems.push({ path: `[${index}].rule_id`, message: `rule_id ${result.rule.ruleId} is used twice` })
      return
    }
    seen.add(result.rule.ruleId)
    rules.push(result.rule)
  })
  return { rules: sortRules(rules), problems }
}

/** The one evaluation order: higher priority first, then rule id. */
export function sortRules(rules: readonly CompiledRule[]): CompiledRule[] {
  return [...rules].sort((a, b) => b.priority - a.priority || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
}

export function isActiveOn(rule: CompiledRule, day: number): boolean {
  if (rule.status !== 'active') return false
  if (rule.activeFromDay !== undefined && day < rule.activeFromDay) return false
  if (rule.activeToDay !== undefined && day > rule.activeToDay) return false
  return true
}

/** The period a reward belongs to; with the rule version and player it forms the idempotency key. */
export function periodKey(frequency: Frequency, asOf: string): string {
  if (frequency === 'once') return 'once'
  const per = typeof frequency === 'string' ? ({ daily: 'day', weekly: 'week', monthly: 'month' } as const)[frequency] : 'per' in frequency ? frequency.per : 'day'
  if (per === 'week') return isoWeekKey(asOf)
  if (per === 'month') return monthKey(asOf)
  return asOf.slice(0, 10)
}

export function idempotencyKey(rule: CompiledRule, playerId: string, asOf: string): string {
  return `reward:${rule.ruleId}:v${rule.version}:${playerId}:${periodKey(rule.frequency, asOf)}`
}
