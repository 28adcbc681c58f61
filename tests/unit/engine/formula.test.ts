import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileFormula, formulaLimits } from '../../../src/main/engine/formula'
import { metricNames, type MetricName } from '../../../src/shared/metric-catalogue'

function compiled(source: string) {
  const result = compileFormula(source)
  if (!result.ok) throw new Error(`expected ${source} to compile: ${result.error.message}`)
  return result.formula
}

const values = (map: Partial<Record<MetricName, number>>) => (name: MetricName) => map[name] ?? Number.NaN

describe('formula language', () => {
  it('evaluates arithmetic, comparisons and the allowed functions', () => {
    const v = values({ net_loss: 1240, sessions: 12, total_wagered: 5000 })
    expect(compiled('net_loss * 0.10').evaluate(v)).toBeCloseTo(124)
    expect(compiled('min(net_loss * 0.10, 100)').evaluate(v)).toBe(100)
    expect(compiled('max(1, 2, 3)').evaluate(v)).toBe(3)
    expect(compiled('clamp(net_loss, 0, 1000)').evaluate(v)).toBe(1000)
    expect(compiled('if(sessions >= 10, 50, 5)').evaluate(v)).toBe(50)
    expect(compiled('sessions >= 10 ? 50 : 5').evaluate(v)).toBe(50)
    expect(compiled('round(2.5) + round(-2.5) + floor(2.7) + ceil(2.1) + abs(-4)').evaluate(v)).toBe(3 - 3 + 2 + 3 + 4)
    expect(compiled('sessions > 5 && total_wagered > 1000').evaluate(v)).toBe(1)
    expect(compiled('!(sessions > 5) || false').evaluate(v)).toBe(0)
    expect(compiled('(net_loss - 240) / 2 % 300').evaluate(v)).toBe(200)
    expect(compiled('session_count * 2').evaluate(v)).toBe(24) // the seed's alias
  })

  it('lists the metrics a formula reads', () => {
    expect(compiled('min(net_loss * 0.1, total_wagered) + net_loss').metrics).toEqual(['net_loss', 'total_wagered'])
  })

  it('propagates an unavailable metric instead of guessing', () => {
    expect(compiled('net_loss * 0.1').evaluate(values({}))).toBeNaN()
    expect(compiled('if(volatility > 1, 10, 20)').evaluate(values({}))).toBeNaN()
  })

  it('refuses an unknown name with its position and the valid names', () => {
    const result = compileFormula('net_los * 0.10')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.position).toBe(0)
    expect(result.error.message).toMatch(/Unknown name "net_los" at position 1\. Valid names: .*net_loss/)
    expect(result.error.validNames).toContain('net_loss')
    const later = compileFormula('min(net_loss, 5) + turnovr')
    expect(!later.ok && later.error.position).toBe(19)
  })

  it('refuses syntax errors with the position and what was expected', () => {
    const result = compileFormula('net_loss * ')
    expect(!result.ok && result.error.message).toMatch(/Expected expression after \* at position/)
    expect(!result.ok && result.error.position).toBe(11)
    expect(compileFormula('net_loss * (2 +').ok).toBe(false)
    expect(compileFormula('').ok).toBe(false)
  })

  it('refuses everything that is not arithmetic over metrics', () => {
    for (const hostile of [
      'constructor', '__proto__', 'toString', 'hasOwnProperty', 'net_loss.constructor', 'net_loss["x"]', 'this', '"text"',
      '[1, 2]', 'process', 'require("fs")', 'eval("1")', 'net_loss, 1', 'net_loss | 1', 'net_loss << 2', '~net_loss', 'a = 1',
      'new Function("x")', 'Math.max(1,2)', 'sqrt(4)', 'min()', 'clamp(1, 2)', '1e400', '1e16', 'net_loss ?? 1',
    ]) {
      const result = compileFormula(hostile)
      expect(result.ok, hostile).toBe(false)
      if (!result.ok) {
        expect(result.error.message.length, hostile).toBeGreaterThan(10)
        expect(result.error.position, hostile).toBeGreaterThanOrEqual(0)
      }
    }
  })

  it('refuses huge and deeply nested input without throwing (a hang would hit the test timeout)', () => {
    const deep = '('.repeat(100) + '1' + ')'.repeat(100)
    const hugeDeep = '('.repeat(10_000) + '1' + ')'.repeat(10_000)
    const long = '1 + '.repeat(2_600) + '1'
    const manyTerms = Array.from({ length: 300 }, () => 'sessions').join('+')
    for (const input of [deep, hugeDeep, long, 'x'.repeat(10_240), manyTerms, '-'.repeat(900) + '1', '!'.repeat(900) + '1']) {
      const result = compileFormula(input)
      expect(result.ok).toBe(false)
    }
    const deepResult = compileFormula(deep)
    expect(!deepResult.ok && deepResult.error.message).toMatch(/nests too deeply at position 33/)
    const longResult = compileFormula(long)
    expect(!longResult.ok && longResult.error.message).toMatch(new RegExp(`at most ${formulaLimits.formulaLengthMax}`))
  })

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: fc.constantFrom(...'()+-*/!<>=&|?:,.[]"\'0123456789e_ abcnetlosmi'.split('')), maxLength: 300 })), (text) => {
        const result = compileFormula(text)
        if (result.ok) {
          expect(typeof result.formula.evaluate(() => 1)).toBe('number')
        } else {
          expect(result.error.position).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('gives the same value one player at a time and in a batch (property)', () => {
    const metric = fc.constantFrom<MetricName>('net_loss', 'sessions', 'total_wagered', 'hold')
    const leaf = fc.oneof(metric, fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ min: -100, max: 100, noNaN: true }).map((x) => x.toFixed(3)))
    const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('node'), fc.constantFrom('+', '-', '*', '/', '<', '>=', '==', '&&', '||'), tie('node')).map(([a, op, b]) => `(${a} ${op} ${b})`),
        fc.tuple(fc.constantFrom('min', 'max'), tie('node'), tie('node')).map(([fn, a, b]) => `${fn}(${a}, ${b})`),
        fc.tuple(fc.constantFrom('round', 'floor', 'ceil', 'abs'), tie('node')).map(([fn, a]) => `${fn}(${a})`),
        fc.tuple(tie('node'), tie('node'), tie('node')).map(([a, b, c]) => `if(${a}, ${b}, ${c})`),
      ),
    })).node
    const row = fc.record({
      net_loss: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(Number.NaN)),
      sessions: fc.integer({ min: 0, max: 1000 }),
      total_wagered: fc.double({ min: 0, max: 1e7, noNaN: true }),
      hold: fc.double({ min: -1, max: 1, noNaN: true }),
    })
    fc.assert(
      fc.property(expression, fc.array(row, { minLength: 1, maxLength: 20 }), (source, rows) => {
        const result = compileFormula(source)
        if (!result.ok) return
        const batch = result.formula.evaluateBatch((name) => Float64Array.from(rows, (r) => (r as Record<string, number>)[name] ?? Number.NaN), rows.length)
        rows.forEach((r, index) => {
          const scalar = result.formula.evaluate((name) => (r as Record<string, number>)[name] ?? Number.NaN)
          expect(Object.is(batch[index], scalar) || batch[index] === scalar, `${source} row ${index}`).toBe(true)
        })
      }),
      { numRuns: Number(process.env.FORMULA_PROPERTY_RUNS ?? 1000) },
    )
  })

  it('accepts every catalogued metric name', () => {
    for (const name of metricNames) expect(compileFormula(`${name} + 1`).ok, name).toBe(true)
  })
})
