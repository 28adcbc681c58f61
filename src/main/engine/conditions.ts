// Conditions shared by reward rules and segment definitions: `net_loss_min: 100`,
// `days_since_last_deposit: { max: 7 }`, `segment: "LOSING"`, `tier: ["GOLD"]`. Compiled once,
// then checked either over whole columns (batch) or for one player with the actual values
// (explanations). An unavailable metric never matches, and the explanation says so.
import type { ExplainedCondition } from '../../shared/explanation'
import type { ConditionValue } from '../../shared/rule-schema'
import { majorToMinor } from '../../shared/money'
import { metricCatalogue, metricUnit, resolveMetricName, type MetricName } from '../../shared/metric-catalogue'
import type { PlayerTable } from './player-table'
import { segmentNames } from './segments-types'

export type ComparisonOperator = '>=' | '<=' | '>' | '<' | '=='

export type Condition =
  | {
      kind: 'metric'
      /** The key as the operator wrote it, e.g. "net_loss_min". */
      key: string
      metric: MetricName
      operator: ComparisonOperator | 'in'
      /** In stored units (money in minor units). */
      thresholds: number[]
      /** As written, for explanations (money in major units). */
      written: number[]
    }
  | { kind: 'segment' | 'tier'; key: string; allowed: string[] }

export interface ConditionError {
  path: string
  message: string
  validNames?: string[]
}

const suffixes: [string, ComparisonOperator][] = [
  ['_min', '>='],
  ['_max', '<='],
  ['_gt', '>'],
  ['_lt', '<'],
]
const rangeOperators: Record<string, ComparisonOperator> = { min: '>=', max: '<=', gt: '>', lt: '<', eq: '==' }

export interface ConditionContext {
  minorDigits: number
  /** Where segment/tier conditions are allowed (not inside segment definitions themselves). */
  allowSegment: boolean
  allowTier: boolean
  knownTiers?: readonly string[]
  knownSegments: readonly string[]
}

export function compileConditions(
  raw: Record<string, ConditionValue>,
  context: ConditionContext,
  path: string,
): { conditions: Condition[]; errors: ConditionError[] } {
  const conditions: Condition[] = []
  const errors: ConditionError[] = []
  for (const [key, value] of Object.entries(raw)) {
    const where = `${path}.${key}`
    const lowered = key.toLowerCase()
    if (lowered === 'segment' || lowered === 'segments' || lowered === 'tier' || lowered === 'tiers') {
      const kind = lowered.startsWith('segment') ? 'segment' : 'tier'
      const allowed = kind === 'segment' ? context.allowSegment : context.allowTier
      if (!allowed) {
        errors.push({ path: where, message: `a ${kind} condition is not allowed here` })
        continue
      }
      const names = listOf(value)
      if (!names) {
        errors.push({ path: where, message: `expected a ${kind} name or a list of them` })
        continue
      }
      const known = kind === 'segment' ? context.knownSegments : context.knownTiers
      const upper = names.map((name) => String(name).toUpperCase())
      const unknown = known ? upper.filter((name) => !known.includes(name)) : []
      if (unknown.length > 0) {
        errors.push({ path: where, message: `unknown ${kind} ${unknown.join(', ')}; expected one of ${known!.join(', ')}`, validNames: [...known!] })
        continue
      }
      conditions.push({ kind, key, allowed: upper })
      continue
    }
    const parsed = parseMetricKey(key)
    if (!parsed) {
      errors.push({
        path: where,
        message: `unknown condition "${key}"; expected a metric name (optionally with _min, _max, _gt or _lt), segment or tier. Valid metric names: ${metricCatalogue.map((metric) => metric.name).join(', ')}`,
        validNames: metricCatalogue.map((metric) => metric.name),
      })
      continue
    }
    const { metric, operator: suffixOperator } = parsed
    const scale = (written: number) => (metricUnit(metric) === 'money' ? majorToMinor(written, context.minorDigits) : written)
    const push = (operator: ComparisonOperator | 'in', written: number[]) =>
      conditions.push({ kind: 'metric', key, metric, operator, thresholds: written.map(scale), written })
    if (typeof value === 'number') {
      push(suffixOperator ?? '==', [value])
    } else if (Array.isArray(value)) {
      if (suffixOperator || !value.every((item) => typeof item === 'number')) {
        errors.push({ path: where, message: 'expected a number, or a list of numbers without a _min/_max suffix' })
        continue
      }
      push('in', value as number[])
    } else if (typeof value === 'object' && value !== null) {
      if (suffixOperator) {
        errors.push({ path: where, message: `"${key}" already says ${suffixOperator}; give a number` })
        continue
      }
      for (const [name, bound] of Object.entries(value)) {
        if (bound === undefined) continue
        if (name === 'in') {
          if (!Array.isArray(bound) || !bound.every((item) => typeof item === 'number')) errors.push({ path: `${where}.in`, message: 'expected a list of numbers' })
          else push('in', bound as number[])
        } else if (typeof bound !== 'number') {
          errors.push({ path: `${where}.${name}`, message: `expected a number for ${metric}` })
        } else {
          push(rangeOperators[name]!, [bound])
        }
      }
    } else {
      errors.push({ path: where, message: `expected a number or a range such as { "min": 1, "max": 7 } for the metric ${metric}` })
    }
  }
  return { conditions, errors }
}

function listOf(value: ConditionValue): (string | number)[] | undefined {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'in' in value && Array.isArray(value.in)) return value.in
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'eq' in value && typeof value.eq === 'string') return [value.eq]
  return undefined
}

function parseMetricKey(key: string): { metric: MetricName; operator?: ComparisonOperator } | undefined {
  const direct = resolveMetricName(key)
  if (direct) return { metric: direct }
  for (const [suffix, operator] of suffixes) {
    if (key.endsWith(suffix)) {
      const metric = resolveMetricName(key.slice(0, -suffix.length))
      if (metric) return { metric, operator }
    }
  }
  return undefined
}

export function compare(operator: ComparisonOperator | 'in', actual: number, thresholds: number[]): boolean {
  if (actual !== actual) return false // unavailable never matches
  const threshold = thresholds[0]!
  switch (operator) {
    case '>=': return actual >= threshold
    case '<=': return actual <= threshold
    case '>': return actual > threshold
    case '<': return actual < threshold
    case '==': return actual === threshold
    case 'in': return thresholds.includes(actual)
  }
}

export interface PlayerLabels {
  /** Segment code per player (index into segmentNames), canonical order. */
  segmentCodes: Uint8Array
  /** Tier code per player, if known. */
  tiers: readonly (string | undefined)[]
}

/** ANDs every condition into `mask` (1 = still eligible) over the whole base. */
export function applyConditions(conditions: readonly Condition[], table: PlayerTable, labels: PlayerLabels | undefined, mask: Uint8Array): void {
  const n = table.count
  for (const condition of conditions) {
    if (condition.kind === 'metric') {
      const column = table.cachedColumn(condition.metric)
      const { operator, thresholds } = condition
      const t = thresholds[0]!
      if (!column) {
        // A derived metric nobody has computed yet: read it in passing rather than fill its column.
        const read = table.reader(condition.metric)
        for (let i = 0; i < n; i += 1) if (mask[i]) mask[i] = compare(operator, read(i), thresholds) ? 1 : 0
        continue
      }
      // Comparisons against NaN are false, so unavailable metrics drop out in every branch.
      if (operator === '>=') for (let i = 0; i < n; i += 1) mask[i]! &= column[i]! >= t ? 1 : 0
      else if (operator === '<=') for (let i = 0; i < n; i += 1) mask[i]! &= column[i]! <= t ? 1 : 0
      else if (operator === '>') for (let i = 0; i < n; i += 1) mask[i]! &= column[i]! > t ? 1 : 0
      else if (operator === '<') for (let i = 0; i < n; i += 1) mask[i]! &= column[i]! < t ? 1 : 0
      else for (let i = 0; i < n; i += 1) if (mask[i]) mask[i] = compare(operator, column[i]!, thresholds) ? 1 : 0
    } else if (condition.kind === 'segment') {
      const codes = labels?.segmentCodes
      const allowed = new Uint8Array(256)
      for (const name of condition.allowed) allowed[segmentNames.indexOf(name as (typeof segmentNames)[number])] = 1
      for (let i = 0; i < n; i += 1) mask[i]! &= codes ? allowed[codes[i]!]! : 0
    } else {
      const tiers = labels?.tiers
      const allowed = new Set(condition.allowed)
      for (let i = 0; i < n; i += 1) if (mask[i]) mask[i] = tiers && allowed.has(tiers[i] ?? '') ? 1 : 0
    }
  }
}

/**
 * The players (ascending table indices) for whom every condition holds, written to the front of
 * `out` (length ≥ table.count); returns how many. The same players applyConditions leaves in its
 * mask, found by narrowing a list: the first condition scans the whole column, each later one only
 * the players still in — a rule's conditions cost about one pass over the base instead of one each.
 */
export function matchingIndices(conditions: readonly Condition[], table: PlayerTable, labels: PlayerLabels | undefined, out: Int32Array, scratch?: Float64Array): number {
  const n = table.count
  let count = n
  let first = conditions[0]?.kind === 'metric'
  if (!first) for (let i = 0; i < n; i += 1) out[i] = i
  for (const condition of conditions) {
    let kept = 0
    if (condition.kind === 'metric') {
      const column = table.cachedColumn(condition.metric)
      const { operator, thresholds } = condition
      const t = thresholds[0]!
      // Comparisons against NaN are false, so unavailable metrics drop out in every branch.
      if (!column) {
        // A derived metric nobody has computed yet: its values for the players still in, computed
        // into reused scratch memory, rather than a whole fresh column.
        const m = first ? n : count
        const at = first ? undefined : out
        const values = table.gatherInto(condition.metric, at, m, scratch && scratch.length >= m ? scratch : new Float64Array(m))
        kept = keepMatching(values, at, m, operator, thresholds, out)
      } else if (first) {
        if (operator === '>=') for (let i = 0; i < n; i += 1) { out[kept] = i; kept += column[i]! >= t ? 1 : 0 }
        else if (operator === '<=') for (let i = 0; i < n; i += 1) { out[kept] = i; kept += column[i]! <= t ? 1 : 0 }
        else if (operator === '>') for (let i = 0; i < n; i += 1) { out[kept] = i; kept += column[i]! > t ? 1 : 0 }
        else if (operator === '<') for (let i = 0; i < n; i += 1) { out[kept] = i; kept += column[i]! < t ? 1 : 0 }
        else for (let i = 0; i < n; i += 1) if (compare(operator, column[i]!, thresholds)) out[kept++] = i
      } else if (operator === '>=') for (let k = 0; k < count; k += 1) { const i = out[k]!; out[kept] = i; kept += column[i]! >= t ? 1 : 0 }
      else if (operator === '<=') for (let k = 0; k < count; k += 1) { const i = out[k]!; out[kept] = i; kept += column[i]! <= t ? 1 : 0 }
      else if (operator === '>') for (let k = 0; k < count; k += 1) { const i = out[k]!; out[kept] = i; kept += column[i]! > t ? 1 : 0 }
      else if (operator === '<') for (let k = 0; k < count; k += 1) { const i = out[k]!; out[kept] = i; kept += column[i]! < t ? 1 : 0 }
      else for (let k = 0; k < count; k += 1) { const i = out[k]!; if (compare(operator, column[i]!, thresholds)) out[kept++] = i }
    } else if (condition.kind === 'segment') {
      const codes = labels?.segmentCodes
      if (codes) {
        const allowed = new Uint8Array(256)
        for (const name of condition.allowed) allowed[segmentNames.indexOf(name as (typeof segmentNames)[number])] = 1
        for (let k = 0; k < count; k += 1) { const i = out[k]!; out[kept] = i; kept += allowed[codes[i]!]! }
      }
    } else {
      const tiers = labels?.tiers
      if (tiers) {
        const allowed = new Set(condition.allowed)
        for (let k = 0; k < count; k += 1) { const i = out[k]!; if (allowed.has(tiers[i] ?? '')) out[kept++] = i }
      }
    }
    count = kept
    first = false
  }
  return count
}

/**
 * Writes to out[0..) the players (at[k], or k without `at`) whose value values[k] passes; returns
 * how many. `at` may be `out` itself: each entry is read before any write can reach it.
 */
function keepMatching(values: Float64Array, at: Int32Array | undefined, m: number, operator: ComparisonOperator | 'in', thresholds: number[], out: Int32Array): number {
  const t = thresholds[0]!
  let kept = 0
  if (operator === '>=') for (let k = 0; k < m; k += 1) { out[kept] = at ? at[k]! : k; kept += values[k]! >= t ? 1 : 0 }
  else if (operator === '<=') for (let k = 0; k < m; k += 1) { out[kept] = at ? at[k]! : k; kept += values[k]! <= t ? 1 : 0 }
  else if (operator === '>') for (let k = 0; k < m; k += 1) { out[kept] = at ? at[k]! : k; kept += values[k]! > t ? 1 : 0 }
  else if (operator === '<') for (let k = 0; k < m; k += 1) { out[kept] = at ? at[k]! : k; kept += values[k]! < t ? 1 : 0 }
  else for (let k = 0; k < m; k += 1) if (compare(operator, values[k]!, thresholds)) out[kept++] = at ? at[k]! : k
  return kept
}

/** One condition checked for one player, as explanations show it. */
export type ConditionTrace = ExplainedCondition

const operatorWords: Record<ComparisonOperator | 'in', string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '==': '=', in: 'in' }

/** Checks each condition for one player, keeping the actual values for the explanation. */
export function traceConditions(
  conditions: readonly Condition[],
  table: PlayerTable,
  index: number,
  labels: { segment?: string; tier?: string },
  minorDigits: number,
): ConditionTrace[] {
  return conditions.map((condition) => {
    if (condition.kind !== 'metric') {
      const actual = condition.kind === 'segment' ? labels.segment : labels.tier
      return {
        key: condition.key,
        description: condition.kind,
        actual,
        expected: condition.allowed.length === 1 ? `= ${condition.allowed[0]}` : `in ${condition.allowed.join(', ')}`,
        passed: actual !== undefined && condition.allowed.includes(actual),
        unavailable: actual === undefined,
      }
    }
    const stored = table.value(condition.metric, index)
    const unavailable = stored !== stored
    const money = metricUnit(condition.metric) === 'money'
    const actual = unavailable ? undefined : money ? stored / 10 ** minorDigits : stored
    return {
      key: condition.key,
      description: condition.metric,
      actual,
      expected: `${operatorWords[condition.operator]} ${condition.written.join(', ')}`,
      passed: !unavailable && compare(condition.operator, stored, condition.thresholds),
      unavailable,
    }
  })
}
