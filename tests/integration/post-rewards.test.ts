import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../src/shared/engine-settings'
import { runPipeline } from '../../src/main/engine/pipeline'
import { compileRuleSet } from '../../src/main/engine/rules'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { playerLots } from '../../src/main/ledger/lots'
import { postRewards, rewardPostings } from '../../src/main/ledger/post-rewards'
import { decisionAt } from '../../src/main/engine/evaluate'
import { verifyLedger } from '../../src/main/ledger/verify'
import { seedRule, wealthyLoser } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'

const issuedAt = '2026-01-31T18:00:00.000Z'

describe('posting an evaluation to the ledger', () => {
  const tempDir = useTempDir()

  it('opens a bonus lot per BONUS reward with wagering, posts the rest as transfers, and adds nothing the second time', () => {
    const settings = engineSettingsSchema.parse({ safetyFactor: 1, marginHorizonDays: 365 })
    const players = ['P1', 'P2', 'P3'].map((id) => wealthyLoser(id))
    const loyaltyPoints = { rule_id: 'LP_DAILY', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }
    const { rules, problems } = compileRuleSet([seedRule, loyaltyPoints], { minorDigits: 2 })
    expect(problems).toEqual([])
    const result = runPipeline({ players, rules, settings, asOf: '2026-01-31' })

    const database = LedgerDatabase.open({ path: join(tempDir(), 'r.sqlite') })
    database.write((_tx, statements) => {
      const insert = statements.prepare('INSERT INTO players (external_id, first_seen_at, updated_at) VALUES (?, ?, ?)')
      for (const player of players) insert.run(player.playerId, issuedAt, issuedAt)
    })
    expect(postRewards(database, result.evaluation, issuedAt)).toEqual({ posted: 6, alreadyPosted: 0 })
    const lots = playerLots(database, 'P1')
    expect(lots).toHaveLength(1)
    expect(lots[0]).toMatchObject({ amount: 50_000, wageringTarget: 500_000, status: 'open', expiresAt: '2026-02-02T18:00:00.000Z' })
    expect(lots[0]!.contributions).toEqual({ slots: 10_000, roulette: 10_000 })
    expect(verifyLedger(database)).toMatchObject({ ok: true, transfers: 6, totals: { BONUS: 150_000, LP: 1200 } })

    expect(postRewards(database, result.evaluation, issuedAt)).toEqual({ posted: 0, alreadyPosted: 6 })
    expect(verifyLedger(database)).toMatchObject({ ok: true, transfers: 6 })
    database.close()
  })

  it('posts each issued or reduced decision under its own idempotency key, amount, currency and reason', () => {
    const settings = engineSettingsSchema.parse({ safetyFactor: 1, marginHorizonDays: 365, caps: { perPlayerDay: { BONUS: 300 } } })
    const players = ['P1', 'P2', 'P3', 'P4'].map((id, index) => wealthyLoser(id, { sessions: 5 + index }))
    const rules = [
      seedRule,
      { rule_id: 'LP_DAILY', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' },
      { rule_id: 'RP_WEEKLY', conditions: { sessions_min: 6 }, reward: { type: 'RP', formula: 'sessions' }, frequency: 'weekly' },
      { rule_id: 'LP_MONTHLY', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: '5' }, frequency: 'monthly' },
    ]
    const compiled = compileRuleSet(rules, { minorDigits: 2 })
    expect(compiled.problems).toEqual([])
    const { evaluation } = runPipeline({ players, rules: compiled.rules, settings, asOf: '2026-01-31' })
    const postings = rewardPostings(evaluation, issuedAt)
    const posted = [...postings.transfers, ...postings.bonuses].map((each) => ({ key: each.idempotencyKey, player: 'playerId' in each ? each.playerId : (each.to as { player: string }).player, amount: each.amount, reason: each.reason }))
    const expected = Array.from({ length: evaluation.decisions.count }, (_, index) => decisionAt(evaluation, index))
      .filter((decision) => decision.amount > 0)
      .map((decision) => ({
        key: decision.idempotencyKey,
        player: decision.playerId,
        amount: decision.amount,
        reason: `${decision.ruleId} v${decision.ruleVersion}: ${decision.outcome}${decision.outcome === 'reduced' ? ` (${decision.reason})` : ''}`,
      }))
    expect(expected.some((decision) => decision.reason.includes('reduced'))).toBe(true)
    expect(new Set(expected.map((decision) => decision.key.split(':').at(-1)))).toEqual(new Set(['2026-01-31', '2026-W05', '2026-01', 'once']))
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1)
    expect(posted.sort(byKey)).toEqual(expected.sort(byKey))
    expect(postings.transfers.every((transfer) => transfer.currency === evaluation.rules.find((rule) => transfer.sourceId === `${rule.ruleId}:v${rule.version}`)!.currency)).toBe(true)
  })

  it('refuses a rule that asks for wagering without saying which games count', () => {
    const { problems } = compileRuleSet([{ ...seedRule, reward: { ...seedRule.reward, eligible_games: undefined } }], { minorDigits: 2 })
    expect(problems).toEqual([{ path: '[0].reward.eligible_games', message: expect.stringMatching(/wagering_requirement needs eligible_games/) }])
  })
})
