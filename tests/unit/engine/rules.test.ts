import { describe, expect, it } from 'vitest'
import { compileRule, compileRuleSet, idempotencyKey, periodKey } from '../../../src/main/engine/rules'
import { isoWeekKey } from '../../../src/main/engine/dates'
import { seedRule } from './helpers'

const context = { minorDigits: 2 }

describe('reward rules', () => {
  it("accepts the seed's rule JSON verbatim and turns major units into integer minor units once", () => {
    const result = compileRule(seedRule, context)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const rule = result.rule
    expect(rule.currency).toBe('BONUS')
    expect(rule.maxAmount).toBe(50_000) // "max_amount": 500 means 500.00
    expect(rule.wageringRequirement).toBe(10)
    expect(rule.frequency).toBe('once')
    expect(rule.conditions).toEqual([
      { kind: 'segment', key: 'segment', allowed: ['LOSING'] },
      { kind: 'metric', key: 'net_loss_min', metric: 'net_loss', operator: '>=', thresholds: [10_000], written: [100] },
      { kind: 'metric', key: 'session_count_min', metric: 'sessions', operator: '>=', thresholds: [3], written: [3] },
      { kind: 'metric', key: 'days_since_last_deposit', metric: 'days_since_last_deposit', operator: '<=', thresholds: [7], written: [7] },
    ])
  })

  it('keeps points whole: an LP max of 500 is 500 points', () => {
    const result = compileRule({ rule_id: 'LP', reward: { type: 'LOYALTY_POINTS', formula: 'sessions', max_amount: 500 } }, context)
    expect(result.ok && result.rule.maxAmount).toBe(500)
  })

  it('refuses a bad rule with every problem, its path and what was expected', () => {
    const result = compileRule(
      {
        rule_id: 'bad id!',
        conditions: { net_los_min: 100, segment: 'LOOSING', sessions: 'many' },
        reward: { type: 'GOLD_BARS', formula: 'net_loss *', max_amount: -5, surprise: true },
      },
      context,
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    const paths = result.problems.map((problem) => problem.path)
    expect(paths).toEqual(expect.arrayContaining(['rule_id', 'reward.type', 'reward.max_amount', 'reward']))
    const second = compileRule({ rule_id: 'R', conditions: { net_los_min: 100, segment: 'LOOSING', sessions: 'many' }, reward: { type: 'LP', formula: 'net_loss *' } }, context)
    expect(second.ok).toBe(false)
    if (second.ok) return
    expect(second.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'conditions.net_los_min', validNames: expect.arrayContaining(['net_loss']) }),
        expect.objectContaining({ path: 'conditions.segment', message: expect.stringMatching(/unknown segment LOOSING; expected one of NEW, VIP/) }),
        expect.objectContaining({ path: 'conditions.sessions', message: expect.stringMatching(/expected a number/) }),
        expect.objectContaining({ path: 'reward.formula', position: 10, message: expect.stringMatching(/Expected expression after \*/) }),
      ]),
    )
  })

  it('refuses an active window on a day that does not exist', () => {
    const result = compileRule({ rule_id: 'R', conditions: {}, reward: { type: 'LP', formula: '10' }, active_from: '2026-02-30', active_to: '2026-13-01' }, context)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'active_from', message: expect.stringMatching(/expected a real calendar date/) }),
        expect.objectContaining({ path: 'active_to', message: expect.stringMatching(/expected a real calendar date/) }),
      ]),
    )
  })

  it('refuses duplicate rule ids in a set and sorts by priority, then id', () => {
    const { rules, problems } = compileRuleSet(
      [
        { rule_id: 'B', priority: 1, reward: { type: 'LP', formula: 1 } },
        { rule_id: 'A', priority: 1, reward: { type: 'LP', formula: 1 } },
        { rule_id: 'C', priority: 5, reward: { type: 'LP', formula: 1 } },
        { rule_id: 'A', reward: { type: 'LP', formula: 1 } },
      ],
      context,
    )
    expect(rules.map((rule) => rule.ruleId)).toEqual(['C', 'A', 'B'])
    expect(problems).toEqual([{ path: '[3].rule_id', message: 'rule_id A is used twice' }])
  })

  it('derives the period of a reward from its frequency, for the idempotency key', () => {
    expect(periodKey('once', '2026-01-31')).toBe('once')
    expect(periodKey('daily', '2026-01-31')).toBe('2026-01-31')
    expect(periodKey({ per: 'month' }, '2026-01-31')).toBe('2026-01')
    expect(periodKey('weekly', '2026-01-01')).toBe('2026-W01')
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53')
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01')
    const rule = compileRule({ ...seedRule, frequency: 'weekly' }, context)
    expect(rule.ok && idempotencyKey(rule.rule, 'P1', '2026-01-31')).toBe('reward:LOSING_PLAYER_CASHBACK:v1:P1:2026-W05')
  })
})
