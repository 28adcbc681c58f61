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
