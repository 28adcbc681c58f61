// The two peers of the `engine` suite: the same conditions-and-formula workload expressed for
// json-rules-engine (the most used JS rules engine) and for GoRules ZEN (Rust core behind N-API).
// Both get plain numeric facts per player, money in major units, taken from our PlayerTable's
// columns so derived metrics (net_loss, hold, days_since_last_deposit, …) are the same numbers.
// Each run returns, per player, the rules whose conditions held and the formula's value, in the
// shape the suite cross-checks against our engine.
import { Engine, type Almanac } from 'json-rules-engine'
import { ZenDecisionContent, ZenEngine } from '@gorules/zen-engine'

export type PeerOperator = '>=' | '<=' | '>' | '<'

/** One rule of the workload as the peers see it. */
export interface PeerRule {
  id: string
  /** Every condition must hold: [fact name, operator, threshold in major units]. */
  when: readonly (readonly [string, PeerOperator, number])[]
  /** Facts the formula reads (json-rules-engine fetches them from its almanac). */
  reads: readonly string[]
  /** The formula in ZEN's expression language. */
  zen: string
  /** The formula as plain JavaScript over the facts (json-rules-engine has no expression language). */
  js: (facts: Readonly<Record<string, number>>) => number
}

/** One player's facts: metric name → value (major units for money; NaN = unavailable). */
export type Facts = Record<string, number>

/**
 * What a peer decided for a slice: `selected[p * rules + r]` is 1 when rule r's conditions held for
 * player p, and `value[p * rules + r]` is then its formula's value.
 */
export interface PeerDecisions {
  selected: Uint8Array
  value: Float64Array
}

function emptyDecisions(players: number, rules: number): PeerDecisions {
  return { selected: new Uint8Array(players * rules), value: new Float64Array(players * rules).fill(Number.NaN) }
}

// ---- json-rules-engine ----------------------------------------------------------------------

const jreOperator: Record<PeerOperator, string> = {
  '>=': 'greaterThanInclusive',
  '<=': 'lessThanInclusive',
  '>': 'greaterThan',
  '<': 'lessThan',
}

/**
 * One Engine holding all rules. Each rule's conditions are an `all` of fact/operator/value
 * conditions; its formula runs in the rule's `onSuccess` handler (which the engine awaits), reading
 * the facts it needs from the almanac as a json-rules-engine user would, and records the value.
 * Facts are passed to `engine.run(facts)`, one run per player, awaited one after another.
 */
export function jsonRulesEngineRunner(rules: readonly PeerRule[]): (facts: readonly Facts[]) => Promise<PeerDecisions> {
  // Runs are sequential, so the handlers write into the decisions of the player being run.
  let sink: PeerDecisions = emptyDecisions(0, rules.length)
  let player = 0
  const engine = new Engine([], { allowUndefinedFacts: false })
  rules.forEach((rule, r) => {
    engine.addRule({
      name: rule.id,
      conditions: { all: rule.when.map(([fact, operator, value]) => ({ fact, operator: jreOperator[operator], value })) },
      event: { type: rule.id },
      onSuccess: async (_event: unknown, almanac: Almanac) => {
        const values: Facts = {}
        for (const name of rule.reads) values[name] = await almanac.factValue<number>(name)
        const k = player * rules.length + r
        sink.selected[k] = 1
        sink.value[k] = rule.js(values)
      },
    })
  })
  return async (facts) => {
    sink = emptyDecisions(facts.length, rules.length)
    for (player = 0; player < facts.length; player += 1) await engine.run(facts[player])
    return sink
  }
}

// ---- ZEN ----------------------------------------------------------------------------------------

/**
 * All rules as ONE decision: a decision table with hit policy `collect`, one input column per fact
 * (unary tests such as `$ >= 100 and $ <= 7`; an empty cell matches anything), one row per rule,
 * and two output columns: the rule's index and its formula (an expression, evaluated for matching
 * rows only). A row whose test fails or errors (a null fact) does not match, as in our engine.
 */
export function zenDecisionContent(rules: readonly PeerRule[]): object {
  const facts = [...new Set(rules.flatMap((rule) => rule.when.map(([fact]) => fact)))]
  const column = (fact: string) => `in_${fact}`
  return {
    contentType: 'application/vnd.gorules.decision',
    nodes: [
      { id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 } },
      {
        id: 'rules',
        type: 'decisionTableNode',
        name: 'Rules',
        position: { x: 300, y: 0 },
        content: {
          hitPolicy: 'collect',
          inputs: facts.map((fact) => ({ id: column(fact), name: fact, field: fact })),
          outputs: [
            { id: 'out_rule', name: 'rule', field: 'rule' },
            { id: 'out_value', name: 'value', field: 'value' },
          ],
          rules: rules.map((rule, r) => {
            const row: Record<string, string> = { _id: rule.id, out_rule: String(r), out_value: rule.zen }
            for (const fact of facts) {
              const tests = rule.when.filter(([name]) => name === fact).map(([, operator, value]) => `$ ${operator} ${value}`)
              row[column(fact)] = tests.join(' and ')
            }
            return row
          }),
        },
      },
      { id: 'response', type: 'outputNode', name: 'Response', position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'rules', type: 'edge' },
      { id: 'e2', sourceId: 'rules', targetId: 'response', type: 'edge' },
    ],
  }
}

/** JSON has no NaN: an unavailable fact goes to ZEN as null (a test on it errors, so the row does not match). */
export function zenFacts(facts: readonly Facts[]): Record<string, number | null>[] {
  return facts.map((each) => Object.fromEntries(Object.entries(each).map(([name, value]) => [name, Number.isNaN(value) ? null : value])))
}

/**
 * The decision is pre-compiled once (ZenDecisionContent, as ZEN's performance notes advise) and
 * reused. ZEN has no batch call; its Node binding is async and evaluates on a native worker pool,
 * so throughput comes from keeping many evaluations in flight: `concurrency` promises at a time.
 */
export function zenRunner(rules: readonly PeerRule[], concurrency: number): { run: (facts: readonly Record<string, number | null>[]) => Promise<PeerDecisions>; dispose: () => void } {
  const engine = new ZenEngine()
  const decision = engine.createDecision(new ZenDecisionContent(zenDecisionContent(rules)))
  const run = async (facts: readonly Record<string, number | null>[]) => {
    const decisions = emptyDecisions(facts.length, rules.length)
    let next = 0
    const worker = async () => {
      while (next < facts.length) {
        const player = next++
        const response = await decision.evaluate(facts[player])
        for (const hit of response.result as { rule: number; value: number | null }[]) {
          const k = player * rules.length + hit.rule
          decisions.selected[k] = 1
          decisions.value[k] = hit.value ?? Number.NaN
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, facts.length) }, worker))
    return decisions
  }
  return { run, dispose: () => engine.dispose() }
}
