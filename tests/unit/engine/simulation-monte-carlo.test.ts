// The Monte Carlo: reproducible from its seed whatever way trials are split, centred on the
// deterministic expected value, and honest about which configuration is riskier.
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../../src/shared/engine-settings'
import { mulberry32 } from '../../../src/shared/seeded-random'
import { scenarioChangesSchema, type ScenarioChangesInput } from '../../../src/shared/scenario-schema'
import type { PlayerRecord } from '../../../src/main/engine/player-table'
import { compileRuleSet } from '../../../src/main/engine/rules'
import { simulate } from '../../../src/main/engine/simulation/compare'
import { buildMonteCarloModel, runTrials, summariseTrials } from '../../../src/main/engine/simulation/monte-carlo'
import { applyScenario, describeChanges } from '../../../src/main/engine/simulation/scenario-config'

const asOf = '2026-01-31'
const rpRule = { rule_id: 'RP_FOR_LOSERS', conditions: { segment: 'LOSING' }, reward: { type: 'RP', formula: 'round(total_wagered * 0.5)', max_amount: 50_000 } }

/** 300 players with varied volume and results, in a fixed pseudo-random pattern. */
function players(): PlayerRecord[] {
  const random = mulberry32(99)
  return Array.from({ length: 300 }, (_, index) => {
    const wagered = Math.round(100_000 + random() * 5_000_000)
    return {
      playerId: `P${String(index).padStart(4, '0')}`,
      totalDeposited: wagered,
      totalWagered: wagered,
      totalWon: Math.round(wagered * (0.8 + random() * 0.3)),
      sessions: 5 + Math.floor(random() * 60),
      registrationDate: '2025-06-01',
      lastDepositDate: '2026-01-20',
      gameTypes: random() < 0.5 ? ['slots'] : ['roulette', 'blackjack'],
    }
  })
}

function model(changes: ScenarioChangesInput) {
  const settings = engineSettingsSchema.parse({ safetyFactor: 1 })
  const live = { settings, rules: compileRuleSet([rpRule], { minorDigits: 2 }).rules }
  const scenario = applyScenario(live, scenarioChangesSchema.parse(changes), 2)
  const detail = simulate({ players: players(), asOf, live, scenario, changes: describeChanges(live, scenario) })
  return {
    detail,
    model: buildMonteCarloModel({ run: detail.live.run, side: detail.live.side, settings }, { run: detail.scenario.run, side: detail.scenario.side, settings: scenario.settings }),
  }
}

describe('Monte Carlo', () => {
  it('is reproducible from its seed, and the same whichever way the trials are split', () => {
    const { model: built } = model({})
    const whole = runTrials(built, 42, 0, 60)
    expect(runTrials(built, 42, 0, 60)).toEqual(whole)
    const first = runTrials(built, 42, 0, 25)
    const rest = runTrials(built, 42, 25, 60)
    expect(Float64Array.from([...first.live, ...rest.live])).toEqual(whole.live)
    expect(Float64Array.from([...first.scenario, ...rest.scenario])).toEqual(whole.scenario)
    expect(runTrials(built, 43, 0, 60).live).not.toEqual(whole.live)
  })

  it('its P50 converges to the expected net revenue as trials grow', () => {
    const { detail, model: built } = model({})
    // No bonuses here: the model's mean is exactly the deterministic expected margin − cost.
    const expected = detail.comparison.live.net
    const errors = [50, 500, 5_000].map((trials) => {
      const result = runTrials(built, 7, 0, trials)
      const summary = summariseTrials(result.live, result.scenario, 7)
      const spread = (summary.live.p95 - summary.live.p5) / 3.29 // ≈ one standard deviation
      // The median of n draws lies within about 1.25 σ/√n of the centre; allow 4 such errors.
      expect(Math.abs(summary.live.p50 - expected)).toBeLessThan((4 * 1.25 * spread) / Math.sqrt(trials))
      return Math.abs(summary.live.p50 - expected) / spread
    })
    expect(errors[2]).toBeLessThan(0.05)
  })

  it('with the same draws for both, a costlier scenario is worse in (nearly) every trial, an identical one in none', () => {
    const same = model({})
    const sameTrials = runTrials(same.model, 3, 0, 200)
    expect(summariseTrials(sameTrials.live, sameTrials.scenario, 3).probabilityWorse).toBe(0)

    const doubled = { ...rpRule, reward: { ...rpRule.reward, formula: 'round(total_wagered * 1)', max_amount: 100_000 } }
    const costlier = model({ rules: { edit: [doubled] } })
    expect(costlier.detail.comparison.netImpact).toBeLessThan(0)
    const trials = runTrials(costlier.model, 3, 0, 200)
    const summary = summariseTrials(trials.live, trials.scenario, 3)
    expect(summary.probabilityWorse).toBeGreaterThan(0.95)
    expect(summary.scenario.p50).toBeLessThan(summary.live.p50)
    expect(summary.histogram.reduce((sum, bin) => sum + bin.live, 0)).toBe(200)
  })
})
