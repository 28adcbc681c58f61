// Live vs scenario on small hand-checked bases: what an operator reads off the comparison must be
// exactly what the change does, and nothing else.
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema, type EngineSettingsInput } from '../../../src/shared/engine-settings'
import { scenarioChangesSchema, type ScenarioChangesInput } from '../../../src/shared/scenario-schema'
import type { PlayerRecord } from '../../../src/main/engine/player-table'
import { compileRuleSet } from '../../../src/main/engine/rules'
import { simulate } from '../../../src/main/engine/simulation/compare'
import { applyScenario, describeChanges, type Configuration } from '../../../src/main/engine/simulation/scenario-config'
import { sensitivity } from '../../../src/main/engine/simulation/sensitivity'
import { seedRule, wealthyLoser } from './helpers'

const asOf = '2026-01-31'
const lpRule = { rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }

function configuration(rules: unknown[], settings: EngineSettingsInput = { safetyFactor: 1, marginHorizonDays: 365 }): Configuration {
  const parsed = engineSettingsSchema.parse(settings)
  const compiled = compileRuleSet(rules, { minorDigits: 2 })
  if (compiled.problems.length) throw new Error(JSON.stringify(compiled.problems))
  return { settings: parsed, rules: compiled.rules }
}

function run(players: PlayerRecord[], live: Configuration, changes: ScenarioChangesInput) {
  const scenario = applyScenario(live, scenarioChangesSchema.parse(changes), 2)
  expect(scenario.problems).toEqual([])
  return simulate({ players, asOf, live, scenario, changes: describeChanges(live, scenario) })
}

// Net losses of 1,000.00 and 2,000.00 (cashback 100.00 and 200.00 at 10%), one winner, one without a recent deposit.
const base: PlayerRecord[] = [
  wealthyLoser('P1', { totalWagered: 1_000_000, totalWon: 900_000 }),
  wealthyLoser('P2', { totalWagered: 1_000_000, totalWon: 800_000 }),
  wealthyLoser('P3', { totalWagered: 1_000_000, totalWon: 1_100_000 }),
  wealthyLoser('P4', { totalWagered: 1_000_000, totalWon: 900_000, lastDepositDate: '2025-12-15' }),
]

describe('simulation: live vs scenario', () => {
  it('a scenario identical to live reports zero difference everywhere', () => {
    const live = configuration([seedRule, lpRule])
    // The same rule written again as an "edit" changes nothing either.
    const detail = run(base, live, { rules: { edit: [seedRule] } })
    const { comparison } = detail
    expect(comparison.changes).toEqual([])
    expect(comparison.scenario).toEqual(comparison.live)
    expect(comparison.netImpact).toBe(0)
    expect(comparison.newlyEligible.total).toBe(0)
    expect(comparison.noLongerEligible.total).toBe(0)
    // Everyone stays in their segment: the movement matrix is diagonal and sums to the base.
    comparison.movement.forEach((row, from) => row.forEach((count, to) => from !== to && expect(count).toBe(0)))
    expect(comparison.movement.flat().reduce((a, b) => a + b, 0)).toBe(base.length)
    expect(comparison.live.rewards.issued).toBeGreaterThan(0)
  })

  it("raising one rule's percentage changes only that rule's cost, by the hand-checked amount", () => {
    const live = configuration([seedRule, lpRule])
    const raised = { ...seedRule, reward: { ...seedRule.reward, formula: 'net_loss * 0.15' } }
    const { comparison } = run(base, live, { rules: { edit: [raised] } })

    // Cashback: 100.00 + 200.00 at 10% → 150.00 + 300.00 at 15%. A bonus wagered 10× on slots (4%)
    // and roulette (2.7%) costs 1 − 10 × 3.35% = 66.5% of its face value.
    const cashback = (side: typeof comparison.live) => side.byRule.find((row) => row.ruleId === 'LOSING_PLAYER_CASHBACK')!
    expect(cashback(comparison.live)).toMatchObject({ issued: 2, amount: 30_000, cost: 19_950 })
    expect(cashback(comparison.scenario)).toMatchObject({ issued: 2, amount: 45_000, cost: 29_925 })
    expect(comparison.scenario.cost - comparison.live.cost).toBe(9_975)
    expect(comparison.scenario.costByCurrency.BONUS - comparison.live.costByCurrency.BONUS).toBe(9_975)

    const others = (side: typeof comparison.live) => side.byRule.filter((row) => row.ruleId !== 'LOSING_PLAYER_CASHBACK')
    expect(others(comparison.scenario)).toEqual(others(comparison.live))
    expect(comparison.scenario.margin).toBe(comparison.live.margin)
    expect(comparison.netImpact).toBe(-9_975)
    expect(comparison.changes).toEqual([{ area: 'rule', action: 'edit', ruleId: 'LOSING_PLAYER_CASHBACK', fromVersion: 1, toVersion: 2, fields: ['reward.formula'] }])
  })

  it('disabling a rule lists the players who lose it; a new rule lists those who gain one', () => {
    const live = configuration([seedRule])
    const winnersBonus = { rule_id: 'WINNER_RP', conditions: { segment: 'WINNING' }, reward: { type: 'RP', formula: 100 } }
    const { comparison, noLongerEligible, newlyEligible } = run(base, live, { rules: { disable: ['LOSING_PLAYER_CASHBACK'], add: [winnersBonus] } })
    expect(noLongerEligible.map((each) => each.playerId)).toEqual(['P1', 'P2'])
    expect(noLongerEligible[0]).toMatchObject({ segment: 'LOSING', rules: ['LOSING_PLAYER_CASHBACK'], cost: 6_650 })
    expect(newlyEligible).toEqual([{ playerId: 'P3', segment: 'WINNING', rules: ['WINNER_RP'], cost: 60 }])
    expect(comparison.newlyEligible.total).toBe(1)
    expect(comparison.changes.map((change) => change.area === 'rule' && `${change.action} ${change.ruleId}`).sort()).toEqual(['add WINNER_RP', 'disable LOSING_PLAYER_CASHBACK'])
  })

  it('a threshold change moves players between segments, counted in the movement matrix', () => {
    const live = configuration([seedRule])
    // VIP from 5,000.00 wagered (the default needs 100,000.00 and more than 100 sessions).
    const segments = engineSettingsSchema.parse({}).segments
    const order = segments.order.map((each) => (each.segment === 'VIP' ? { segment: 'VIP' as const, conditions: { total_wagered: { gt: 5_000 } } } : each))
    const { comparison } = run(base, live, { segments: { order, fallback: segments.fallback } })
    const vip = 1
    expect(comparison.scenario.segments.VIP).toBe(4)
    expect(comparison.movement.reduce((sum, row) => sum + row[vip]!, 0)).toBe(4)
    // The cashback needs LOSING: both losers lose it.
    expect(comparison.noLongerEligible.total).toBe(2)
    expect(comparison.changes).toEqual([expect.objectContaining({ area: 'setting', path: 'segments.order' })])
  })

  it('caps that run out are reported per cap, live vs scenario', () => {
    const live = configuration([seedRule])
    const { comparison } = run(base, live, { caps: { globalDay: { BONUS: 250 } } })
    // 25,000 minor of budget: P1 gets 100.00, P2 gets the remaining 150.00 instead of 200.00.
    expect(comparison.exhaustion).toEqual([{ reason: 'budget_global_day', live: { reduced: 0, blocked: 0 }, scenario: { reduced: 1, blocked: 0 } }])
    expect(comparison.scenario.issuedByCurrency.BONUS).toBe(25_000)
  })

  it('the same base and scenario give the same numbers', () => {
    const live = configuration([seedRule, lpRule])
    const changes = { safetyFactor: 0.5, houseEdges: { default: 0.05 } }
    expect(run(base, live, changes).comparison).toEqual(run(base, live, changes).comparison)
  })

  it('refuses an edit of a rule that does not exist, naming the change', () => {
    const live = configuration([seedRule])
    const scenario = applyScenario(live, scenarioChangesSchema.parse({ rules: { edit: [{ ...lpRule }] } }), 2)
    expect(scenario.problems).toEqual([{ path: 'rules.edit[0].rule_id', message: 'there is no live rule LP_PER_SESSION to edit; put a new rule under rules.add' }])
  })
})

describe('scenario settings over live', () => {
  it('merges house edges and retention, replaces a cap window, and lists each leaf that changes', () => {
    const live = configuration([seedRule], { caps: { perPlayerDay: { BONUS: 100, RP: 500 } } })
    const scenario = applyScenario(
      live,
      scenarioChangesSchema.parse({ houseEdges: { slots: 0.05 }, retention: { bySegment: { VIP: 1.5 } }, caps: { perPlayerDay: { BONUS: 50 } } }),
      2,
    )
    expect(scenario.settings.houseEdges).toEqual({ ...live.settings.houseEdges, slots: 0.05 })
    expect(scenario.settings.retention.bySegment).toEqual({ ...live.settings.retention.bySegment, VIP: 1.5 })
    // The window given is the whole new window: RP is no longer capped per day.
    expect(scenario.settings.caps.perPlayerDay).toEqual({ BONUS: 50 })
    expect(describeChanges(live, scenario)).toEqual([
      { area: 'setting', path: 'caps.perPlayerDay.BONUS', from: 100, to: 50 },
      { area: 'setting', path: 'caps.perPlayerDay.RP', from: 500, to: null },
      { area: 'setting', path: 'houseEdges.slots', from: 0.04, to: 0.05 },
      { area: 'setting', path: 'retention.bySegment.VIP', from: 1.2, to: 1.5 },
    ])
  })

  it('refuses segment thresholds on a metric that does not exist, naming where', () => {
    const live = configuration([seedRule])
    const order = [{ segment: 'VIP' as const, conditions: { no_such_metric: { gt: 1 } } }]
    const scenario = applyScenario(live, scenarioChangesSchema.parse({ segments: { order, fallback: 'NEW' } }), 2)
    expect(scenario.problems).toHaveLength(1)
    expect(scenario.problems[0]!.path).toMatch(/^segments\./)
    expect(scenario.problems[0]!.message).toContain('no_such_metric')
  })
})

describe('sensitivity', () => {
  it("sweeps a rule's factor: at 1 it is the scenario itself, and cost grows with the factor", () => {
    const live = configuration([seedRule, lpRule])
    const scenario = applyScenario(live, scenarioChangesSchema.parse({}), 2)
    const result = sensitivity({ players: base, asOf, live, scenario, parameter: { kind: 'ruleFactor', ruleId: 'LOSING_PLAYER_CASHBACK' }, range: { from: 0.5, to: 2, steps: 4 } })
    expect(result.points.map((point) => point.value)).toEqual([0.5, 1, 1.5, 2])
    expect(result.points[1]!.netImpact).toBe(0)
    // 30,000 minor of cashback at 66.5%: the cost moves by 19,950 × (factor − 1).
    expect(result.points.map((point) => point.netImpact)).toEqual([9_975, 0, -9_975, -19_950])
  })

  it('refuses a house edge above 100%', () => {
    const live = configuration([seedRule])
    const scenario = applyScenario(live, scenarioChangesSchema.parse({}), 2)
    expect(() => sensitivity({ players: base, asOf, live, scenario, parameter: { kind: 'houseEdge', game: 'slots' }, range: { from: 0.5, to: 2, steps: 3 } })).toThrow(/share between 0 and 1/)
  })
})
