// A decision's idempotency key (rules.ts idempotencyKey), for a whole evaluation: per rule, the
// text around the player id is built once. Storing and posting a million decisions built every
// key from scratch (period key, template) and with it the rest of decisionAt, which they don't need.
import type { EvaluationResult } from './evaluate'
import { idempotencyKey, type CompiledRule } from './rules'

export type KeyOfPlayer = (playerId: string) => string

/** The key for `rule` on `asOf`, as a function of the player; cut from idempotencyKey's own output. */
export function keyMaker(rule: CompiledRule, asOf: string): KeyOfPlayer {
  const probe = '\u0000'
  const sample = idempotencyKey(rule, probe, asOf)
  const at = sample.indexOf(probe)
  const head = sample.slice(0, at)
  const tail = sample.slice(at + probe.length)
  return (playerId) => head + playerId + tail
}

/** One key maker per rule of the evaluation, by rule index (decisions.rule). */
export function keyMakers(result: Pick<EvaluationResult, 'rules' | 'asOf'>): KeyOfPlayer[] {
  return result.rules.map((rule) => keyMaker(rule, result.asOf))
}

/**
 * The decisions (those `include` keeps) in the order of their keys: rule by rule in the order of
 * the key text before the player id, and within a rule in the table's order (ascending player id).
 * Written in this order, a unique index on the key mostly appends, several times faster than in
 * evaluation order at a million decisions; counted into place in linear time rather than sorting
 * a million key strings.
 */
export function keyOrder(result: Pick<EvaluationResult, 'rules' | 'asOf' | 'decisions'>, include: (index: number) => boolean = () => true): Int32Array {
  const { decisions, rules } = result
  const heads = keyMakers(result).map((key) => key(''))
  const ruleOrder = rules.map((_, index) => index).sort((a, b) => (heads[a]! < heads[b]! ? -1 : heads[a]! > heads[b]! ? 1 : a - b))
  const rank = new Int32Array(rules.length)
  ruleOrder.forEach((ruleIndex, position) => (rank[ruleIndex] = position))
  const starts = new Int32Array(rules.length + 1)
  for (let index = 0; index < decisions.count; index += 1) if (include(index)) starts[rank[decisions.rule[index]!]! + 1]! += 1
  for (let position = 0; position < rules.length; position += 1) starts[position + 1]! += starts[position]!
  const ordered = new Int32Array(starts[rules.length]!)
  for (let index = 0; index < decisions.count; index += 1) if (include(index)) ordered[starts[rank[decisions.rule[index]!]!]!++] = index
  return ordered
}
