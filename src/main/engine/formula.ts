// The reward formula language: arithmetic, comparisons, && || !, and min max round floor ceil
// abs clamp if, over metric names. Parsed by jsep (a maintained expression parser that never
// evaluates anything), then checked against an allow-list and compiled to our own evaluators:
// a scalar one (with its inputs, for explanations) and a batch one over columns. Nothing from
// operator text is ever executed as JavaScript.
import jsep from 'jsep'
import { metricCatalogue, resolveMetricName, type MetricName } from '../../shared/metric-catalogue'

export const formulaLimits = {
  /** Longer text is refused before parsing, which also bounds parser recursion. */
  formulaLengthMax: 1000,
  formulaDepthMax: 32,
  formulaNodesMax: 256,
  literalMagnitudeMax: 1e15,
} as const

export const formulaFunctions = ['min', 'max', 'round', 'floor', 'ceil', 'abs', 'clamp', 'if'] as const
type FunctionName = (typeof formulaFunctions)[number]
const arity: Record<FunctionName, [number, number]> = {
  min: [1, 16], max: [1, 16], round: [1, 1], floor: [1, 1], ceil: [1, 1], abs: [1, 1], clamp: [3, 3], if: [3, 3],
}
const binaryOperators = ['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '&&', '||'] as const
type BinaryOperator = (typeof binaryOperators)[number]
const operatorSpellings: Record<string, BinaryOperator> = { '===': '==', '!==': '!=' }

export interface FormulaError {
  message: string
  /** Zero-based character offset in the formula text. */
  position: number
  validNames?: string[]
}

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'metric'; name: MetricName }
  | { kind: 'unary'; operator: '-' | '!'; argument: Node }
  | { kind: 'binary'; operator: BinaryOperator; left: Node; right: Node }
  | { kind: 'call'; name: FunctionName; args: Node[] }

/** Values of metrics as formulas see them: money in major units. */
export type MetricValues = (name: MetricName) => number

export interface CompiledFormula {
  source: string
  /** Metrics the formula reads, in first-use order. */
  metrics: MetricName[]
  evaluate(values: MetricValues): number
  /**
   * Evaluates for many players at once: `column(name)` gives a metric's values for exactly the
   * players being evaluated (major units), all of length `count`. `allocate` provides the
   * intermediate and result arrays (a scratch pool in the batch evaluator); it defaults to new arrays.
   */
  evaluateBatch(column: (name: MetricName) => Float64Array, count: number, allocate?: (count: number) => Float64Array): Float64Array
}

export type CompileResult = { ok: true; formula: CompiledFormula } | { ok: false; error: FormulaError }

class FormulaRefusal extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly validNames?: string[],
  ) {
    super(message)
  }
}

export const formulaNames: readonly string[] = [...metricCatalogue.map((metric) => metric.name), ...formulaFunctions]

export function compileFormula(source: unknown): CompileResult {
  try {
    if (typeof source !== 'string') throw new FormulaRefusal('A formula must be text, e.g. "net_loss * 0.10".', 0)
    if (source.trim() === '') throw new FormulaRefusal('The formula is empty; expected an expression such as "net_loss * 0.10".', 0)
    if (source.length > formulaLimits.formulaLengthMax) {
      throw new FormulaRefusal(`The formula is ${source.length} characters long; at most ${formulaLimits.formulaLengthMax} are allowed.`, formulaLimits.formulaLengthMax)
    }
    checkNesting(source)
    let tree: jsep.Expression
    try {
      tree = jsep(source)
    } catch (error) {
      const parseError = error as Error & { index?: number; description?: string }
      throw new FormulaRefusal(`${parseError.description ?? parseError.message} at position ${(parseError.index ?? 0) + 1}.`, parseError.index ?? 0)
    }
    const metrics: MetricName[] = []
    let nodes = 0
    const convert = (expression: jsep.Expression, depth: number): Node => {
      nodes += 1
      if (nodes > formulaLimits.formulaNodesMax) throw new FormulaRefusal(`The formula is too complex: at most ${formulaLimits.formulaNodesMax} terms.`, 0)
      if (depth > formulaLimits.formulaDepthMax) throw new FormulaRefusal(`The formula nests too deeply: at most ${formulaLimits.formulaDepthMax} levels.`, 0)
      return toNode(expression, depth, source, metrics, convert)
    }
    const root = convert(tree, 0)
    return { ok: true, formula: build(source, root, metrics) }
  } catch (error) {
    if (error instanceof FormulaRefusal) {
      const refusal: FormulaError = { message: error.message, position: error.position }
      if (error.validNames) refusal.validNames = error.validNames
      return { ok: false, error: refusal }
    }
    if (error instanceof RangeError) return { ok: false, error: { message: 'The formula nests too deeply.', position: 0 } }
    throw error
  }
}

function checkNesting(source: string): void {
  let depth = 0
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]
    if (character === '(' || character === '[') depth += 1
    if (character === ')' || character === ']') depth -= 1
    if (depth > formulaLimits.formulaDepthMax) {
      throw new FormulaRefusal(`The formula nests too deeply at position ${index + 1}: at most ${formulaLimits.formulaDepthMax} levels.`, index)
    }
  }
}

function locate(source: string, token: string): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`(^|[^A-Za-z0-9_$])(${escaped})(?![A-Za-z0-9_$])`).exec(source)
  return match ? match.index + (match[1]?.length ?? 0) : 0
}

function toNode(
  expression: jsep.Expression,
  depth: number,
  source: string,
  metrics: MetricName[],
  convert: (expression: jsep.Expression, depth: number) => Node,
): Node {
  switch (expression.type) {
    case 'Literal': {
      const value = (expression as jsep.Literal).value
      const raw = String((expression as jsep.Literal).raw)
      if (typeof value === 'boolean') return { kind: 'number', value: value ? 1 : 0 }
      if (typeof value !== 'number') throw new FormulaRefusal(`Only numbers are allowed as values; found ${raw.slice(0, 40)} at position ${locate(source, raw) + 1}.`, locate(source, raw))
      if (!Number.isFinite(value) || Math.abs(value) > formulaLimits.literalMagnitudeMax) {
        throw new FormulaRefusal(`The number ${raw.slice(0, 40)} at position ${locate(source, raw) + 1} is too large; at most ${formulaLimits.literalMagnitudeMax}.`, locate(source, raw))
      }
      return { kind: 'number', value }
    }
    case 'Identifier': {
      const name = (expression as jsep.Identifier).name
      if (name === 'true' || name === 'false') return { kind: 'number', value: name === 'true' ? 1 : 0 }
      const metric = resolveMetricName(name)
      if (!metric) {
        const position = locate(source, name)
        throw new FormulaRefusal(
          `Unknown name "${name.slice(0, 60)}" at position ${position + 1}. Valid names: ${metricCatalogue.map((each) => each.name).join(', ')}.`,
          position,
          metricCatalogue.map((each) => each.name),
        )
      }
      if (!metrics.includes(metric)) metrics.push(metric)
      return { kind: 'metric', name: metric }
    }
    case 'UnaryExpression': {
      const unary = expression as jsep.UnaryExpression
      const argument = convert(unary.argument, depth + 1)
      if (unary.operator === '+') return argument
      if (unary.operator === '-' || unary.operator === '!') return { kind: 'unary', operator: unary.operator, argument }
      throw new FormulaRefusal(`The operator "${unary.operator}" is not allowed; use + - * / and comparisons.`, locate(source, unary.operator))
    }
    case 'BinaryExpression': {
      const binary = expression as jsep.BinaryExpression
      const operator = operatorSpellings[binary.operator] ?? binary.operator
      if (!(binaryOperators as readonly string[]).includes(operator)) {
        const position = Math.max(0, source.indexOf(binary.operator))
        throw new FormulaRefusal(
          `The operator "${binary.operator}" at position ${position + 1} is not allowed; expected one of ${binaryOperators.join(' ')}.`,
          position,
        )
      }
      return { kind: 'binary', operator: operator as BinaryOperator, left: convert(binary.left, depth + 1), right: convert(binary.right, depth + 1) }
    }
    case 'ConditionalExpression': {
      const conditional = expression as jsep.ConditionalExpression
      return {
        kind: 'call',
        name: 'if',
        args: [convert(conditional.test, depth + 1), convert(conditional.consequent, depth + 1), convert(conditional.alternate, depth + 1)],
      }
    }
    case 'CallExpression': {
      const call = expression as jsep.CallExpression
      const callee = call.callee.type === 'Identifier' ? (call.callee as jsep.Identifier).name : undefined
      if (!callee || !(formulaFunctions as readonly string[]).includes(callee)) {
        const position = callee ? locate(source, callee) : 0
        throw new FormulaRefusal(
          `Unknown function${callee ? ` "${callee.slice(0, 60)}"` : ''} at position ${position + 1}; expected one of ${formulaFunctions.join(', ')}.`,
          position,
          [...formulaFunctions],
        )
      }
      const name = callee as FunctionName
      const [least, most] = arity[name]
      if (call.arguments.length < least || call.arguments.length > most) {
        const expected = least === most ? `${least}` : `${least} to ${most}`
        throw new FormulaRefusal(`${name}() at position ${locate(source, name) + 1} takes ${expected} argument(s), got ${call.arguments.length}.`, locate(source, name))
      }
      return { kind: 'call', name, args: call.arguments.map((argument) => convert(argument, depth + 1)) }
    }
    default: {
      const hint: Record<string, string> = { MemberExpression: '.', ThisExpression: 'this', ArrayExpression: '[', Compound: ',' }
      const token = hint[expression.type] ?? ''
      const position = token ? Math.max(0, source.indexOf(token)) : 0
      throw new FormulaRefusal(
        `Unexpected ${describe(expression.type)} at position ${position + 1}; a formula is arithmetic over metric names and numbers.`,
        position,
      )
    }
  }
}

function describe(type: string): string {
  const names: Record<string, string> = {
    MemberExpression: 'property access',
    ThisExpression: '"this"',
    ArrayExpression: 'list',
    Compound: 'comma-separated expressions',
  }
  return names[type] ?? type
}

// ---- evaluation -------------------------------------------------------------------------------
// NaN means "unavailable" and propagates through every operator, comparisons included, so a
// formula over a missing metric is reported as unavailable rather than silently false.

function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5)
}

function applyBinary(operator: BinaryOperator, a: number, b: number): number {
  switch (operator) {
    case '+': return a + b
    case '-': return a - b
    case '*': return a * b
    case '/': return a / b
    case '%': return a % b
    case '<': return a !== a || b !== b ? Number.NaN : a < b ? 1 : 0
    case '<=': return a !== a || b !== b ? Number.NaN : a <= b ? 1 : 0
    case '>': return a !== a || b !== b ? Number.NaN : a > b ? 1 : 0
    case '>=': return a !== a || b !== b ? Number.NaN : a >= b ? 1 : 0
    case '==': return a !== a || b !== b ? Number.NaN : a === b ? 1 : 0
    case '!=': return a !== a || b !== b ? Number.NaN : a !== b ? 1 : 0
    case '&&': return a !== a || b !== b ? Number.NaN : a !== 0 && b !== 0 ? 1 : 0
    case '||': return a !== a || b !== b ? Number.NaN : a !== 0 || b !== 0 ? 1 : 0
  }
}

function applyCall(name: FunctionName, args: number[]): number {
  switch (name) {
    case 'min': return args.some((x) => x !== x) ? Number.NaN : Math.min(...args)
    case 'max': return args.some((x) => x !== x) ? Number.NaN : Math.max(...args)
    case 'round': return roundHalfAwayFromZero(args[0]!)
    case 'floor': return Math.floor(args[0]!)
    case 'ceil': return Math.ceil(args[0]!)
    case 'abs': return Math.abs(args[0]!)
    case 'clamp': {
      const [x, low, high] = args as [number, number, number]
      return x !== x || low !== low || high !== high ? Number.NaN : Math.min(Math.max(x, low), high)
    }
    case 'if': {
      const [test, then, otherwise] = args as [number, number, number]
      return test !== test ? Number.NaN : test !== 0 ? then : otherwise
    }
  }
}

function evaluateNode(node: Node, values: MetricValues): number {
  switch (node.kind) {
    case 'number': return node.value
    case 'metric': return values(node.name)
    case 'unary': {
      const x = evaluateNode(node.argument, values)
      return node.operator === '-' ? -x : x !== x ? Number.NaN : x === 0 ? 1 : 0
    }
    case 'binary': return applyBinary(node.operator, evaluateNode(node.left, values), evaluateNode(node.right, values))
    case 'call': return applyCall(node.name, node.args.map((arg) => evaluateNode(arg, values)))
  }
}

/** A batch value: a constant or one number per player. */
type Batch = number | Float64Array

function evaluateBatchNode(node: Node, column: (name: MetricName) => Float64Array, count: number, allocate: (count: number) => Float64Array): Batch {
  switch (node.kind) {
    case 'number': return node.value
    case 'metric': return column(node.name)
    case 'unary': {
      const x = evaluateBatchNode(node.argument, column, count, allocate)
      const one = (v: number) => (node.operator === '-' ? -v : v !== v ? Number.NaN : v === 0 ? 1 : 0)
      if (typeof x === 'number') return one(x)
      const out = allocate(count)
      for (let i = 0; i < count; i += 1) out[i] = one(x[i]!)
      return out
    }
    case 'binary': {
      const left = evaluateBatchNode(node.left, column, count, allocate)
      const right = evaluateBatchNode(node.right, column, count, allocate)
      if (typeof left === 'number' && typeof right === 'number') return applyBinary(node.operator, left, right)
      const out = allocate(count)
      const operator = node.operator
      // The common arithmetic cases get their own tight loops; the rest share applyBinary.
      if (operator === '*' && typeof right === 'number' && typeof left !== 'number') {
        for (let i = 0; i < count; i += 1) out[i] = left[i]! * right
      } else if (operator === '*' && typeof left === 'number' && typeof right !== 'number') {
        for (let i = 0; i < count; i += 1) out[i] = left * right[i]!
      } else if (operator === '+' && typeof left !== 'number' && typeof right !== 'number') {
        for (let i = 0; i < count; i += 1) out[i] = left[i]! + right[i]!
      } else {
        for (let i = 0; i < count; i += 1) {
          out[i] = applyBinary(operator, typeof left === 'number' ? left : left[i]!, typeof right === 'number' ? right : right[i]!)
        }
      }
      return out
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateBatchNode(arg, column, count, allocate))
      if (args.every((arg) => typeof arg === 'number')) return applyCall(node.name, args as number[])
      const out = allocate(count)
      const at = (arg: Batch, i: number) => (typeof arg === 'number' ? arg : arg[i]!)
      // Tight loops for the shapes formulas use most; NaN propagates as in applyCall.
      if ((node.name === 'min' || node.name === 'max') && args.length === 2) {
        const [a, b] = args as [Batch, Batch]
        const isMin = node.name === 'min'
        for (let i = 0; i < count; i += 1) {
          const x = typeof a === 'number' ? a : a[i]!
          const y = typeof b === 'number' ? b : b[i]!
          out[i] = x !== x || y !== y ? Number.NaN : isMin ? Math.min(x, y) : Math.max(x, y)
        }
        return out
      }
      if (args.length === 1) {
        const x = args[0] as Float64Array
        const name = node.name
        if (name === 'round') for (let i = 0; i < count; i += 1) out[i] = roundHalfAwayFromZero(x[i]!)
        else if (name === 'floor') for (let i = 0; i < count; i += 1) out[i] = Math.floor(x[i]!)
        else if (name === 'ceil') for (let i = 0; i < count; i += 1) out[i] = Math.ceil(x[i]!)
        else if (name === 'abs') for (let i = 0; i < count; i += 1) out[i] = Math.abs(x[i]!)
        else for (let i = 0; i < count; i += 1) out[i] = applyCall(name, [x[i]!])
        return out
      }
      const scratch = new Array<number>(args.length)
      for (let i = 0; i < count; i += 1) {
        for (let a = 0; a < args.length; a += 1) scratch[a] = at(args[a]!, i)
        out[i] = applyCall(node.name, scratch)
      }
      return out
    }
  }
}

function build(source: string, root: Node, metrics: MetricName[]): CompiledFormula {
  return {
    source,
    metrics,
    evaluate: (values) => evaluateNode(root, values),
    evaluateBatch(column, count, allocate = (size) => new Float64Array(size)) {
      const result = evaluateBatchNode(root, column, count, allocate)
      if (typeof result === 'number') return allocate(count).fill(result)
      // A bare metric evaluates to the caller's own column: hand back a copy, never an alias.
      if (root.kind !== 'metric') return result
      const copy = allocate(count)
      copy.set(result)
      return copy
    },
  }
}
