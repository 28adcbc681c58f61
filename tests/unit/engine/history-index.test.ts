// indexHistory, the ledger history as the decision loop reads it, against the plain version it
// replaced (a Set of periods and a Float64Array of used amounts per player, kept verbatim below):
// for random histories, every rule's last day and current-period flag per player of the table,
// every budget's spending, every player's used amounts and the day's global use must be the same.
// Some rewards belong to players who are not in the table: they still count towards budgets and
// the global cap.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { currencyCodes, type Currency } from '../../../src/shared/money'
import { dayNumber, isoWeekKey, monthKey } from '../../../src/main/engine/dates'
import { indexHistory, noPriorDay, type PriorIssue } from '../../../src/main/engine/evaluate'
import { compileRuleSet, periodKey, type CompiledRule } from '../../../src/main/engine/rules'

const windows = ['day', 'week', 'month'] as const
const currencyIndex = Object.fromEntries(currencyCodes.map((code, index) => [code, index])) as Record<Currency, number>
interface RuleHistory {
  lastDay: number
  periods: Set<string>
}

// The reference: indexHistory as it was before it stopped building an object per prior reward.
function referenceIndexHistory(issues: readonly PriorIssue[], rules: readonly CompiledRule[], asOf: string) {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.ruleId, index]))
  const byRule = rules.map(() => new Map<string, RuleHistory>())
  const ruleSpent = new Map<string, number>()
  const playerUsed = new Map<string, Float64Array>()
  const globalDay = new Float64Array(currencyCodes.length)
  const day = asOf.slice(0, 10)
  const week = isoWeekKey(asOf)
  const month = monthKey(asOf)
  for (const issue of issues) {
    const c = currencyIndex[issue.currency]
    const r = ruleIndex.get(issue.ruleId)
    if (r !== undefined) {
      const map = byRule[r]!
      const entry = map.get(issue.playerId) ?? { lastDay: Number.NEGATIVE_INFINITY, periods: new Set<string>() }
      entry.lastDay = Math.max(entry.lastDay, dayNumber(issue.day))
      entry.periods.add(issue.periodKey)
      map.set(issue.playerId, entry)
      const budget = rules[r]!.budget
      const inBudget =
        budget &&
        (budget.period === 'lifetime' ||
          (budget.period === 'day' && issue.day === day) ||
          (budget.period === 'week' && isoWeekKey(issue.day) === week) ||
          (budget.period === 'month' && monthKey(issue.day) === month))
      if (inBudget) ruleSpent.set(issue.ruleId, (ruleSpent.get(issue.ruleId) ?? 0) + issue.amount)
    }
    const inWindow = [issue.day === day, isoWeekKey(issue.day) === week, monthKey(issue.day) === month]
    if (inWindow.some(Boolean)) {
      const used = playerUsed.get(issue.playerId) ?? new Float64Array(windows.length * currencyCodes.length)
      inWindow.forEach((inside, w) => {
        if (inside) used[w * currencyCodes.length + c]! += issue.amount
      })
      playerUsed.set(issue.playerId, used)
    }
    if (issue.day === day) globalDay[c]! += issue.amount
  }
  return { byRule, ruleSpent, playerUsed, globalDay }
}

const asOf = '2026-03-18'
const frequencies = ['once', 'daily', 'weekly', 'monthly', { per: 'week' }, { cooldown_hours: 72 }] as const
const budgets = [undefined, 'day', 'week', 'month', 'lifetime'] as const
const { rules } = compileRuleSet(
  frequencies.flatMap((frequency, f) =>
    budgets.map((period, b) => ({
      rule_id: `R${f}_${b}`,
      conditions: {},
      reward: { type: (['BONUS', 'LP', 'RP', 'TICKETS'] as const)[(f + b) % 4], formula: '10' },
      frequency,
      ...(period ? { budget: { amount: 1_000, period } } : {}),
    })),
  ),
  { minorDigits: 2 },
)
const periodKeys = rules.map((rule: CompiledRule) => periodKey(rule.frequency, asOf))

const day = fc.integer({ min: 0, max: 120 }).map((back) => new Date(Date.UTC(2026, 2, 18) - back * 86_400_000).toISOString().slice(0, 10))
const issue: fc.Arbitrary<PriorIssue> = fc
  .record({
    rule: fc.integer({ min: 0, max: rules.length }), // rules.length: a rule no longer in the set
    player: fc.integer({ min: 0, max: 30 }),
    day,
    currentPeriod: fc.boolean(),
    amount: fc.integer({ min: 1, max: 500 }),
  })
  .map(({ rule, player, day: issued, currentPeriod, amount }) => {
    const compiled = rules[rule]
    return {
      ruleId: compiled?.ruleId ?? 'RETIRED',
      playerId: `P${player}`,
      day: issued,
      periodKey: compiled && currentPeriod ? periodKeys[rule]! : periodKey(compiled?.frequency ?? 'daily', issued),
      currency: compiled?.currency ?? 'BONUS',
      amount,
    }
  })

/** The table: P0…P24 of the P0…P30 that rewards go to, in a shuffled order (positions are not ids). */
const playerIds = Array.from({ length: 25 }, (_, index) => `P${(index * 7) % 25}`)

describe('indexHistory', () => {
  it('reads the history exactly as the per-reward objects did', () => {
    expect(rules).toHaveLength(frequencies.length * budgets.length)
    expect(new Set(playerIds).size).toBe(playerIds.length)
    fc.assert(
      fc.property(fc.array(issue, { maxLength: 300 }), (issues) => {
        const fresh = indexHistory(issues, rules, asOf, periodKeys, playerIds)
        const reference = referenceIndexHistory(issues, rules, asOf)
        rules.forEach((_, r) => {
          const old = reference.byRule[r]!
          const now = fresh.byRule[r]
          expect(now !== undefined).toBe(playerIds.some((player) => old.has(player)))
          playerIds.forEach((player, position) => {
            const entry = old.get(player)
            expect(now?.lastDay[position] ?? noPriorDay).toBe(entry?.lastDay ?? noPriorDay)
            expect(now?.inPeriod[position] === 1).toBe(entry?.periods.has(periodKeys[r]!) ?? false)
          })
        })
        expect(fresh.ruleSpent).toEqual(reference.ruleSpent)
        playerIds.forEach((player, position) => {
          const used = reference.playerUsed.get(player)
          const at = fresh.playerUsed?.[position] ?? -1
          expect(at >= 0).toBe(used !== undefined)
          if (used) expect(Array.from(fresh.used.subarray(at, at + used.length))).toEqual(Array.from(used))
        })
        expect(Array.from(fresh.globalDay)).toEqual(Array.from(reference.globalDay))
      }),
      { numRuns: 300 },
    )
  })
})
