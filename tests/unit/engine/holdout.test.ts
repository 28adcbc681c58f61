import { describe, expect, it } from 'vitest'
import { explanationSentences } from '../../../src/shared/explanation'
import { explain } from '../../../src/main/engine/explain'
import { holdoutPosition, isHeldOut } from '../../../src/main/engine/holdout'
import { compileRule } from '../../../src/main/engine/rules'
import { segmentNames } from '../../../src/main/engine/segments-types'
import { runEngine, seedRule, wealthyLoser } from './helpers'

const asOf = '2026-01-31'
const ids = (count: number) => Array.from({ length: count }, (_, index) => `P${String(index + 1).padStart(6, '0')}`)

describe('hold-out control groups', () => {
  it('puts the same player in the same group for the same rule, every time', () => {
    for (const id of ids(200)) {
      expect(holdoutPosition('CASHBACK', id)).toBe(holdoutPosition('CASHBACK', id))
      expect(isHeldOut('CASHBACK', id, 0.1)).toBe(holdoutPosition('CASHBACK', id) < 0.1)
    }
  })

  it('holds out close to the configured share of 10,000 players, and a different set per rule', () => {
    const players = ids(10_000)
    const a = players.filter((id) => isHeldOut('RULE_A', id, 0.1))
    const b = players.filter((id) => isHeldOut('RULE_B', id, 0.1))
    expect(a.length / players.length).toBeGreaterThan(0.09)
    expect(a.length / players.length).toBeLessThan(0.11)
    const both = a.filter((id) => b.includes(id)).length
    // Independent groups overlap on about share² of the base (100 players), not on the whole group.
    expect(both).toBeGreaterThan(50)
    expect(both).toBeLessThan(170)
    expect(players.filter((id) => isHeldOut('RULE_A', id, 0.3)).length / players.length).toBeCloseTo(0.3, 1)
  })

  it('accepts a share from 0 to 0.5 and refuses more, naming the field', () => {
    expect(compileRule({ ...seedRule, holdout: { share: 0.5 } }, { minorDigits: 2 }).ok).toBe(true)
    const refused = compileRule({ ...seedRule, holdout: { share: 0.6 } }, { minorDigits: 2 })
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.problems[0]!.path).toBe('holdout.share')
  })

  it('records held-out players as blocked control_group with nothing paid; everyone else is paid as before', () => {
    const players = ids(400).map((id) => wealthyLoser(id))
    const plain = runEngine({ players, rules: [seedRule], asOf })
    const held = runEngine({ players, rules: [{ ...seedRule, holdout: { share: 0.25 } }], asOf })
    expect(held.decisions).toHaveLength(plain.decisions.length)
    const control = held.decisions.filter((decision) => decision.reason === 'control_group')
    expect(control.length).toBeGreaterThan(70)
    expect(control.length).toBeLessThan(130)
    held.decisions.forEach((decision, index) => {
      const inControl = isHeldOut(seedRule.rule_id, decision.playerId, 0.25)
      expect(decision.reason === 'control_group').toBe(inControl)
      if (inControl) expect(decision).toMatchObject({ outcome: 'blocked', amount: 0 })
      else expect(decision).toEqual(plain.decisions[index])
    })
    expect(held.result.issuedByCurrency.BONUS).toBe(plain.result.issuedByCurrency.BONUS - control.length * 50_000)
  })

  it('uses no budget for held-out players: the budget still reaches the players who are paid', () => {
    const players = ids(40).map((id) => wealthyLoser(id))
    const paidCount = players.filter((player) => !isHeldOut(seedRule.rule_id, player.playerId, 0.5)).length
    const rule = { ...seedRule, holdout: { share: 0.5 }, budget: { amount: 500 * paidCount, period: 'lifetime' } }
    const run = runEngine({ players, rules: [rule], asOf })
    const paid = run.decisions.filter((decision) => decision.outcome !== 'blocked')
    expect(paid).toHaveLength(paidCount)
    expect(paid.every((decision) => decision.amount === 50_000)).toBe(true)
  })

  it('explains that a held-out player is in the control group and that nothing is paid', () => {
    const players = ids(50).map((id) => wealthyLoser(id))
    const rule = { ...seedRule, holdout: { share: 0.2 } }
    const run = runEngine({ players, rules: [rule], asOf })
    const index = run.decisions.findIndex((decision) => decision.reason === 'control_group')
    const other = run.decisions.findIndex((decision) => decision.reason === 'issued')
    expect(index).toBeGreaterThanOrEqual(0)
    const explainFor = (at: number) =>
      explain({ table: run.table, playerIndex: at, rule: run.rules[0]!, settings: run.settings, asOf, segment: segmentNames[run.segments[at]!]!, recorded: run.decisions[at] })
    const heldOut = explanationSentences(explainFor(index))
    expect(heldOut).toContain("Control group: this player is in the 20% hold-out that measures the rule's effect; nothing is paid.")
    expect(heldOut.at(-1)).toBe("Outcome: held out: the player is in the rule's control group, so the reward is recorded but not paid.")
    expect(explanationSentences(explainFor(other))).toContain('Control group: the rule holds out 20% of the players it rewards; this player is not one of them.')
    // Evaluated alone (no recorded decision), the player lands in the same group.
    const alone = explain({ table: run.table, playerIndex: index, rule: run.rules[0]!, settings: run.settings, asOf, segment: segmentNames[run.segments[index]!]! })
    expect(alone).toMatchObject({ outcome: 'blocked', reason: 'control_group', amount: 0 })
  })
})
