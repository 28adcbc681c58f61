import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { currencyCodes } from '../../../src/shared/money'
import type { PlayerRecord } from '../../../src/main/engine/player-table'
import { runEngine, seedRule, wealthyLoser } from './helpers'

const asOf = '2026-01-31'
const generous = { safetyFactor: 1, marginHorizonDays: 365 }

describe("the seed's example rule", () => {
  it('gives min(net_loss × 0.10, 500) to exactly the players its conditions select', () => {
    const players: PlayerRecord[] = [
      wealthyLoser('P01'), // net loss 10,000.00 → 1,000 → capped at 500.00
      wealthyLoser('P02', { totalWon: 9_990_000 }), // BREAKEVEN (down 0.1%) → not LOSING
      wealthyLoser('P03', { totalWagered: 1_000_000, totalWon: 800_000 }), // net loss 2,000.00 → 200.00
      wealthyLoser('P04', { sessions: 2 }), // too few sessions
      wealthyLoser('P05', { lastDepositDate: '2026-01-23' }), // 8 days since the last deposit
      wealthyLoser('P06', { lastDepositDate: '2026-01-24' }), // exactly 7 days: selected
      wealthyLoser('P07', { totalWon: 11_000_000 }), // WINNING
      wealthyLoser('P08', { lastDepositDate: undefined }), // days since last deposit unavailable
      wealthyLoser('P09', { totalWagered: 150_000, totalWon: 137_000 }), // net loss 130.00 → 13.00 (LOSING, ≥ 100)
      wealthyLoser('P10', { totalWagered: 200_000, totalWon: 191_000 }), // down 4.5% → BREAKEVEN
    ]
    const { decisions } = runEngine({ players, rules: [seedRule], asOf, settings: generous })
    const paid = Object.fromEntries(decisions.map((d) => [d.playerId, [d.outcome, d.amount]]))
    expect(paid).toEqual({
      P01: ['issued', 50_000],
      P03: ['issued', 20_000],
      P06: ['issued', 50_000],
      P09: ['issued', 1_300],
    })
  })

  it('holds for random players (property): selected ⇔ conditions hold, amount = min(round(net_loss × 0.10), 500.00)', () => {
    const player = fc.record({
      wagered: fc.integer({ min: 0, max: 5_000_000 }),
      resultShare: fc.double({ min: -1, max: 0.5, noNaN: true }),
      sessions: fc.integer({ min: 0, max: 200 }),
      daysSinceDeposit: fc.integer({ min: 0, max: 20 }),
    })
    fc.assert(
      fc.property(fc.array(player, { minLength: 1, maxLength: 40 }), (generated) => {
        const players = generated.map((g, index): PlayerRecord => ({
          playerId: `P${String(index).padStart(3, '0')}`,
          totalDeposited: g.wagered,
          totalWagered: g.wagered,
          totalWon: Math.max(0, Math.round(g.wagered * (1 + g.resultShare))),
          sessions: g.sessions,
          lastDepositDate: new Date(Date.UTC(2026, 0, 31 - g.daysSinceDeposit)).toISOString().slice(0, 10),
          registrationDate: '2025-12-01',
        }))
        const { decisions, table, segments } = runEngine({ players, rules: [seedRule], asOf, settings: generous })
        const byPlayer = new Map(decisions.map((d) => [d.playerId, d]))
        table.playerIds.forEach((id, index) => {
          const record = table.records[index]!
          const netLoss = Math.max(0, record.totalWagered! - record.totalWon!)
          const days = generated[Number(id.slice(1))]!.daysSinceDeposit
          const selected = segments[index] === 4 && netLoss >= 10_000 && record.sessions! >= 3 && days <= 7
          expect(byPlayer.has(id), id).toBe(selected)
          if (selected) {
            const expected = Math.min(Math.sign(netLoss) * Math.floor(Math.abs(netLoss * 0.1) + 0.5), 50_000)
            expect(byPlayer.get(id)!.amount, id).toBe(expected)
          }
        })
      }),
      { numRuns: 300 },
    )
  })
})

describe('batch evaluation', () => {
  const rules = [
    seedRule,
    {
      rule_id: 'VIP_POINTS',
      priority: 5,
      conditions: { total_wagered_min: 1000 },
      reward: { type: 'LP', formula: 'total_wagered / 100' },
      frequency: 'daily',
    },
    { rule_id: 'RP_WEEKLY', priority: 1, conditions: { sessions_min: 1 }, reward: { type: 'RP', formula: 'sessions * 10', max_amount: 300 }, frequency: 'weekly' },
  ]

  const arbitraryPlayers = fc.array(
    fc.record({
      wagered: fc.integer({ min: 0, max: 20_000_000 }),
      share: fc.double({ min: -1, max: 1, noNaN: true }),
      sessions: fc.integer({ min: 0, max: 300 }),
      days: fc.integer({ min: 0, max: 30 }),
      hasTenure: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  ).map((generated) =>
    generated.map((g, index): PlayerRecord => ({
      playerId: `P${String(index).padStart(4, '0')}`,
      totalDeposited: g.wagered,
      totalWagered: g.wagered,
      totalWon: Math.max(0, Math.round(g.wagered * (1 + g.share))),
      sessions: g.sessions,
      lastDepositDate: new Date(Date.UTC(2026, 0, 31 - g.days)).toISOString().slice(0, 10),
      registrationDate: g.hasTenure ? '2025-06-01' : undefined,
    })),
  )

  it('amounts are integers, never negative, never above the rule maximum or any cap or budget (property)', () => {
    const caps = { perPlayerDay: { BONUS: 120, LP: 5000 }, globalDay: { BONUS: 1500, RP: 2000 } }
    fc.assert(
      fc.property(arbitraryPlayers, fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 60, maxLength: 60 }), (players, scores) => {
        const { decisions, settings } = runEngine({
          players,
          rules: [...rules.slice(0, 2), { ...rules[2], budget: { amount: 700, period: 'day' } }],
          asOf,
          settings: { caps },
          abuseScores: scores,
        })
        const perPlayer = new Map<string, Record<string, number>>()
        const perCurrency: Record<string, number> = {}
        let rpBudget = 0
        for (const d of decisions) {
          expect(Number.isInteger(d.amount)).toBe(true)
          expect(d.amount).toBeGreaterThanOrEqual(0)
          if (d.ruleId === 'LOSING_PLAYER_CASHBACK') expect(d.amount).toBeLessThanOrEqual(50_000)
          if (d.ruleId === 'RP_WEEKLY') expect(d.amount).toBeLessThanOrEqual(300)
          expect(d.reason.length).toBeGreaterThan(0)
          if (d.outcome === 'blocked') expect(d.amount).toBe(0)
          if (d.outcome === 'issued') expect(d.reason).toBe('issued')
          if (d.outcome === 'reduced') expect(d.amount).toBeLessThan(d.requested)
          const totals = perPlayer.get(d.playerId) ?? {}
          totals[d.currency] = (totals[d.currency] ?? 0) + d.amount
          perPlayer.set(d.playerId, totals)
          perCurrency[d.currency] = (perCurrency[d.currency] ?? 0) + d.amount
          if (d.ruleId === 'RP_WEEKLY') rpBudget += d.amount
          // Profit safety: what is issued never costs more than the margin allows.
          if (d.outcome !== 'blocked') expect(d.cost).toBeLessThanOrEqual(d.margin * settings.safetyFactor + 1e-6)
        }
        for (const totals of perPlayer.values()) {
          expect(totals.BONUS ?? 0).toBeLessThanOrEqual(12_000)
          expect(totals.LP ?? 0).toBeLessThanOrEqual(5000)
        }
        expect(perCurrency.BONUS ?? 0).toBeLessThanOrEqual(150_000)
        expect(perCurrency.RP ?? 0).toBeLessThanOrEqual(2000)
        expect(rpBudget).toBeLessThanOrEqual(700)
      }),
      { numRuns: 200 },
    )
  })

  it('is deterministic and does not depend on the order players arrive in (property)', () => {
    fc.assert(
      fc.property(arbitraryPlayers, fc.infiniteStream(fc.nat()), (players, randomness) => {
        const shuffled = [...players]
        for (let i = shuffled.length - 1; i > 0; i -= 1) {
          const j = randomness.next().value % (i + 1)
          ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
        }
        const settings = { caps: { globalDay: { BONUS: 800 } } }
        const first = runEngine({ players, rules, asOf, settings })
        const second = runEngine({ players: shuffled, rules, asOf, settings })
        expect(second.decisions).toEqual(first.decisions)
        expect(Buffer.from(second.result.decisions.amount.buffer)).toEqual(Buffer.from(first.result.decisions.amount.buffer))
      }),
      { numRuns: 100 },
    )
  })

  it('gives the global budget to players in ascending id order, then blocks with the reason', () => {
    const players = ['P3', 'P1', 'P2'].map((id) => wealthyLoser(id))
    const { decisions } = runEngine({ players, rules: [seedRule], asOf, settings: { ...generous, caps: { globalDay: { BONUS: 800 } } } })
    expect(decisions.map((d) => [d.playerId, d.outcome, d.amount, d.reason])).toEqual([
      ['P1', 'issued', 50_000, 'issued'],
      ['P2', 'reduced', 30_000, 'budget_global_day'],
      ['P3', 'blocked', 0, 'budget_global_day'],
    ])
  })

  it('does not issue twice: "once" and per-period rules see the ledger history', () => {
    const players = [wealthyLoser('P1'), wealthyLoser('P2')]
    const history = [
      { ruleId: 'LOSING_PLAYER_CASHBACK', playerId: 'P1', day: '2025-11-02', periodKey: 'once', currency: 'BONUS' as const, amount: 50_000 },
      { ruleId: 'VIP_POINTS', playerId: 'P2', day: asOf, periodKey: asOf, currency: 'LP' as const, amount: 100_000 },
    ]
    const { decisions } = runEngine({ players, rules: rules.slice(0, 2), asOf, settings: generous, history })
    const outcome = (player: string, rule: string) => decisions.find((d) => d.playerId === player && d.ruleId === rule)
    expect(outcome('P1', 'LOSING_PLAYER_CASHBACK')).toMatchObject({ outcome: 'blocked', reason: 'already_issued' })
    expect(outcome('P2', 'LOSING_PLAYER_CASHBACK')).toMatchObject({ outcome: 'issued' })
    expect(outcome('P2', 'VIP_POINTS')).toMatchObject({ outcome: 'blocked', reason: 'already_issued' })
    expect(outcome('P1', 'VIP_POINTS')).toMatchObject({ outcome: 'issued', idempotencyKey: `reward:VIP_POINTS:v1:P1:${asOf}` })
  })

  it('resolves an exclusive group by priority, and a blocked rule does not take the group', () => {
    const a = { ...seedRule, rule_id: 'A', priority: 9, exclusive_group: 'welcome' }
    const b = { ...seedRule, rule_id: 'B', priority: 8, exclusive_group: 'welcome', reward: { ...seedRule.reward, max_amount: 10 } }
    const c = { ...seedRule, rule_id: 'C', priority: 10, exclusive_group: 'welcome', reward: { ...seedRule.reward, formula: 'net_loss * 0' } }
    const { decisions } = runEngine({ players: [wealthyLoser('P1')], rules: [a, b, c], asOf, settings: generous })
    expect(decisions.map((d) => [d.ruleId, d.outcome, d.reason])).toEqual([
      ['C', 'blocked', 'zero_amount'],
      ['A', 'issued', 'issued'],
      ['B', 'blocked', 'exclusive_group'],
    ])
  })

  it('scales rewards down, then blocks them, as the abuse score rises', () => {
    const players = ['P1', 'P2', 'P3'].map((id) => wealthyLoser(id))
    const { decisions } = runEngine({ players, rules: [seedRule], asOf, settings: generous, abuseScores: [10, 50, 80] })
    expect(decisions.map((d) => [d.playerId, d.outcome, d.amount, d.reason])).toEqual([
      ['P1', 'issued', 50_000, 'issued'],
      ['P2', 'reduced', 25_000, 'abuse_reduced'],
      ['P3', 'blocked', 0, 'abuse_blocked'],
    ])
  })

  it('reduces a reward to what the expected margin pays for, and blocks one it cannot pay for at all', () => {
    const players = [
      wealthyLoser('P1', { totalWagered: 300_000, totalWon: 200_000, registrationDate: '2024-01-01' }),
      wealthyLoser('P2', { totalWagered: 300_000, totalWon: 200_000, registrationDate: undefined }),
    ]
    const rule = { ...seedRule, reward: { ...seedRule.reward, wagering_requirement: 0 } }
    const { decisions, settings } = runEngine({ players, rules: [rule], asOf, settings: { marginHorizonDays: 1 } })
    for (const d of decisions) {
      expect(d.outcome).toBe('reduced')
      expect(d.reason).toBe('profit_safety')
      expect(d.cost).toBeLessThanOrEqual(d.margin * settings.safetyFactor)
      expect(d.amount).toBe(Math.floor(d.margin * settings.safetyFactor))
    }
    const broke = runEngine({ players: [wealthyLoser('P3', { totalWagered: 0, totalWon: 0 })], rules: [{ ...rule, conditions: {}, reward: { ...rule.reward, formula: 50 } }], asOf })
    expect(broke.decisions[0]).toMatchObject({ outcome: 'blocked', reason: 'unprofitable', amount: 0 })
  })

  it('blocks with a reason when a formula needs a metric the sheet did not have', () => {
    const rule = { rule_id: 'BETS', conditions: {}, reward: { type: 'LP', formula: 'bet_count * 2' } }
    const { decisions } = runEngine({ players: [wealthyLoser('P1')], rules: [rule], asOf })
    expect(decisions[0]).toMatchObject({ outcome: 'blocked', reason: 'metric_unavailable' })
  })

  it('reports issued totals per currency in integer units', () => {
    const { result } = runEngine({ players: [wealthyLoser('P1'), wealthyLoser('P2')], rules, asOf, settings: generous })
    for (const code of currencyCodes) expect(Number.isInteger(result.issuedByCurrency[code])).toBe(true)
    expect(result.issuedByCurrency.BONUS).toBe(100_000)
    expect(result.issuedByCurrency.LP).toBe(2 * 1000) // total_wagered 100,000.00 / 100 = 1,000 LP each
  })
})
