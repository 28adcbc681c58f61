// The rule editor's form rows ↔ the rule JSON's `conditions` object. The JSON is the source of
// truth; the form reads it as one row per comparison and writes ranges back ({ net_loss: { min: 100 } }).
import type { RuleInput } from '../../../../shared/rule-schema'
import type { ScenarioInput } from '../../../../shared/scenario-schema'

export type ConditionOperator = 'min' | 'max' | 'gt' | 'lt' | 'eq' | 'in'

export interface ConditionRow {
  /** Stable React key. */
  id: number
  metric: string
  operator: ConditionOperator
  /** As typed; "in" takes a comma-separated list. */
  value: string
}

export const operatorLabels: Record<ConditionOperator, string> = { min: '≥', max: '≤', gt: '>', lt: '<', eq: '=', in: 'one of' }

const suffixOperators: [string, ConditionOperator][] = [
  ['_min', 'min'],
  ['_max', 'max'],
  ['_gt', 'gt'],
  ['_lt', 'lt'],
]

let nextId = 1
export function newRowId(): number {
  nextId += 1
  return nextId
}

const shown = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : String(value))

export function rowsFromConditions(conditions: unknown): ConditionRow[] {
  if (conditions === null || typeof conditions !== 'object' || Array.isArray(conditions)) return []
  const rows: ConditionRow[] = []
  for (const [key, value] of Object.entries(conditions as Record<string, unknown>)) {
    if (Array.isArray(value)) rows.push({ id: newRowId(), metric: key, operator: 'in', value: shown(value) })
    else if (value !== null && typeof value === 'object') {
      for (const [operator, bound] of Object.entries(value as Record<string, unknown>)) {
        rows.push({ id: newRowId(), metric: key, operator: (operator in operatorLabels ? operator : 'eq') as ConditionOperator, value: shown(bound) })
      }
    } else {
      const suffix = suffixOperators.find(([ending]) => key.endsWith(ending))
      rows.push(suffix ? { id: newRowId(), metric: key.slice(0, -suffix[0].length), operator: suffix[1], value: shown(value) } : { id: newRowId(), metric: key, operator: 'eq', value: shown(value) })
    }
  }
  return rows
}

function parsed(text: string): number | string | boolean {
  const trimmed = text.trim()
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true'
  const number = Number(trimmed.replace(/,/g, ''))
  return trimmed !== '' && Number.isFinite(number) ? number : trimmed
}

/** Rows without a metric are still being typed and are left out. */
export function conditionsFromRows(rows: readonly ConditionRow[]): Record<string, unknown> {
  const conditions: Record<string, unknown> = {}
  for (const row of rows) {
    const metric = row.metric.trim()
    if (!metric) continue
    if (row.operator === 'in') {
      conditions[metric] = row.value.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
        const value = parsed(part)
        return typeof value === 'boolean' ? String(value) : value
      })
      continue
    }
    const value = parsed(row.value)
    if (row.operator === 'eq' && (typeof value === 'string' || typeof value === 'boolean')) {
      conditions[metric] = value
      continue
    }
    const existing = conditions[metric]
    const range = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : {}
    conditions[metric] = { ...range, [row.operator]: value }
  }
  return conditions
}

/** The word being typed at the cursor, for metric name completion. */
export function wordAt(text: string, cursor: number): { start: number; word: string } {
  let start = cursor
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1]!)) start -= 1
  return { start, word: text.slice(start, cursor) }
}

/** Pretty JSON with sorted keys, so two versions diff by meaning, not by key order. */
export function stableJson(value: unknown): string {
  const sort = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sort)
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.keys(node).sort().map((key) => [key, sort((node as Record<string, unknown>)[key])]))
    return node
  }
  return JSON.stringify(sort(value), null, 2)
}

export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string }

/** Line diff by longest common subsequence: rule definitions are a few dozen lines. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n')
  const b = after.split('\n')
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!)
  }
  const lines: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i]! })
      i += 1
      j += 1
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) lines.push({ kind: 'removed', text: a[i++]! })
    else lines.push({ kind: 'added', text: b[j++]! })
  }
  while (i < a.length) lines.push({ kind: 'removed', text: a[i++]! })
  while (j < b.length) lines.push({ kind: 'added', text: b[j++]! })
  return lines
}

/** The valid name closest to a misspelt one (edit distance at most 3), for "did you mean". */
export function closestName(word: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined
  for (const name of names) {
    const distance = editDistance(word.toLowerCase(), name)
    if (distance <= 3 && (!best || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i]
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}

/**
 * "Simulate this change": the rule as edited, as a what-if scenario for the Simulation screen — the
 * next version of a saved rule, or a rule added to the live set.
 */
export function scenarioForRule(definition: Record<string, unknown>, saved: boolean): ScenarioInput {
  const ruleId = typeof definition.rule_id === 'string' && definition.rule_id !== '' ? definition.rule_id : 'new rule'
  return {
    name: `${saved ? 'Edited' : 'New'} rule ${ruleId}`.slice(0, 100),
    description: saved ? `${ruleId} as edited in the Rules screen, not yet saved.` : `${ruleId} added to the live rules, as written in the Rules screen.`,
    changes: { rules: saved ? { edit: [definition as RuleInput] } : { add: [definition as RuleInput] } },
  }
}
