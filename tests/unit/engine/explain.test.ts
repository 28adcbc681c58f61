import { describe, expect, it } from 'vitest'
import { explanationSentences } from '../../../src/shared/explanation'
import { explain } from '../../../src/main/engine/explain'
import { segmentNames } from '../../../src/main/engine/segments-types'
import { runEngine, seedRule, wealthyLoser } from './helpers'

const asOf = '2026-01-31'

describe('explanations', () => {
  it('shows each condition with the actual value, the formula with its inputs, the cap and the outcome', () => {
    const players = [wealthyLoser('P1', { totalWagered: 2_000_000, totalWon: 760_000 })] // net loss 12,400.00
    const run = runEngine({ players, rules: [seedRule], asOf, settings: { safetyFactor: 1, marginHorizonDays: 365 } })
    const explanation = explain({
      table: run.table,
      playerIndex: 0,
      rule: run.rules[0]!,
      settings: run.settings,
      asOf,
      segment: segmentNames[run.segments[0]!]!,
      recorded: run.decisions[0],
    })
    expect(explanation.eligible).toBe(true)
    expect(explanation.conditions.map((c) => [c.key, c.actual, c.passed])).toEqual([
      ['segment', 'LOSING', true],
      ['net_loss_min', 12_400, true],
      ['session_count_min', 40, true],
      ['days_since_last_deposit', 3, true],
    ])
    expect(explanation.formula).toEqual({ source: 'net_loss * 0.10', inputs: [{ name: 'net_loss', value: 12_400 }], value: expect.closeTo(1240, 9) })
    expect(explanation.clamp).toEqual({ bound: 'max_amount', to: 50_000 })
    expect(explanation).toMatchObject({ outcome: 'issued', amount: 50_000 })
    const sentences = explanationSentences(explanation)
    expect(sentences).toEqual([
      'LOSING_PLAYER_CASHBACK v1 for player P1:',
      '✓ segment = LOSING (actual LOSING)',
      '✓ net_loss ≥ 100 (actual 12,400)',
      '✓ sessions ≥ 3 (actual 40)',
      '✓ days_since_last_deposit ≤ 7 (actual 3)',
      'Formula net_loss * 0.10 = 1,240 (net_loss = 12,400).',
      'Rounded to 1,240.00 BONUS.',
      'Capped to 500.00 by max_amount.',
      expect.stringMatching(/^Profit safety: expected cost [\d,.]+ ≤ 100% of expected margin [\d,.]+ \([\d,.]+\) ✓\.$/),
      'Outcome: issued 500.00 BONUS — issued in full.',
    ])
  })

  it('says which condition failed and why, including unavailable metrics', () => {
    const players = [wealthyLoser('P1', { sessions: 2, lastDepositDate: undefined })]
    const run = runEngine({ players, rules: [seedRule], asOf })
    const explanation = explain({ table: run.table, playerIndex: 0, rule: run.rules[0]!, settings: run.settings, asOf, segment: 'LOSING' })
    expect(explanation.eligible).toBe(false)
    const sentences = explanationSentences(explanation)
    expect(sentences).toContain('✗ sessions ≥ 3 (actual 2)')
    expect(sentences).toContain('✗ days_since_last_deposit ≤ 7 (actual unavailable)')
    expect(sentences.at(-1)).toBe('Not eligible: not every condition holds.')
  })

  it('evaluates a player alone through the same pipeline when there is no recorded decision ("test against player")', () => {
    const players = [wealthyLoser('P1'), wealthyLoser('P2', { totalWagered: 300_000, totalWon: 200_000 })]
    const run = runEngine({ players, rules: [seedRule], asOf })
    for (let index = 0; index < 2; index += 1) {
      const alone = explain({ table: run.table, playerIndex: index, rule: run.rules[0]!, settings: run.settings, asOf, segment: 'LOSING' })
      const recorded = run.decisions.find((decision) => decision.playerId === run.table.playerIds[index])!
      expect({ outcome: alone.outcome, reason: alone.reason, amount: alone.amount }).toEqual({
        outcome: recorded.outcome,
        reason: recorded.reason,
        amount: recorded.amount,
      })
    }
    const blocked = explain({ table: run.table, playerIndex: 0, rule: run.rules[0]!, settings: run.settings, asOf, segment: 'LOSING', abuseScore: 95 })
    expect(explanationSentences(blocked)).toContain('Abuse score 95 ≥ 70: blocked.')
    expect(explanationSentences(blocked).at(-1)).toBe('Outcome: blocked: the abuse score is too high.')
  })
})
