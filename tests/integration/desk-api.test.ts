// The Rules, Segments, Tiers and Review methods over the processed sample workbook, through the real
// dispatcher and a real SQLite file: what the operator's desk screens depend on, including bad input.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBackend, type Backend } from '../../src/main/backend'
import type { DecisionListResult } from '../../src/shared/api/types'
import type {
  FormulaCheckResult,
  ReviewItemView,
  ReviewListResult,
  RuleDetailView,
  RuleListRow,
  RuleSaveResult,
  RuleTestResult,
  SegmentPreviewResult,
  SegmentSettingsView,
  TierLadderView,
} from '../../src/shared/api/types-desk'

type Reply<T> = { data?: T; error?: { code: string; message: string; details?: unknown } }

describe('desk API on the processed samples', () => {
  let backend: Backend
  let folder: string
  let calls = 0
  const call = async <T>(name: string, input: unknown): Promise<Reply<T>> =>
    (await backend.dispatcher.dispatch(name, input, `desk${(calls += 1)}`, () => {})) as Reply<T>
  const ok = async <T>(name: string, input: unknown): Promise<T> => {
    const reply = await call<T>(name, input)
    expect(reply.error).toBeUndefined()
    return reply.data!
  }
  const decisionsOf = async (ruleId: string) => (await ok<DecisionListResult>('decisions/list', { ruleId, limit: 1 })).total
  const audit = (action: string) => backend.services.database.readRaw('SELECT actor, subject, reason FROM audit_log WHERE action = ? ORDER BY id').all(action) as { actor: string; subject: string; reason: string }[]

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lw-desk-'))
    backend = openBackend({ runtime: 'test', databasePath: join(folder, 'desk.sqlite'), dataDir: folder })
    await ok('process/run', { paths: [resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')] })
  }, 60_000)
  afterAll(() => {
    backend.close()
    rmSync(folder, { recursive: true, force: true })
  })

  const cashback = {
    rule_id: 'DESK_CASHBACK',
    name: 'Desk cashback',
    conditions: { segment: 'LOSING', net_loss: { min: 100 } },
    reward: { type: 'LP', formula: 'net_loss * 0.1', max_amount: 500 },
    frequency: 'once',
  }

  it('lists the rules with status, version and the last run counts', async () => {
    const { rules, money } = await ok<{ rules: RuleListRow[]; money: unknown }>('rules/list', {})
    expect(money).toEqual({ code: 'EUR', minorDigits: 2 })
    const byId = new Map(rules.map((rule) => [rule.ruleId, rule]))
    expect(byId.get('WELCOME_BONUS')).toMatchObject({ status: 'active', version: 1, currency: 'BONUS', lastRun: { issued: 7, reduced: 3, blocked: 3, amount: 44_500 } })
    expect(byId.get('LOSING_PLAYER_CASHBACK')!.lastRun!.cost).toBeGreaterThan(0)
    expect(byId.get('HIGH_ROLLER_FREE_TICKETS')).toMatchObject({ status: 'paused', lastRun: null })
    expect(byId.get('LP_EARN_TURNOVER')!.lastRun).toMatchObject({ issued: 93, reduced: 4, blocked: 3 })
    expect((await call('rules/list', { includeArchived: 'yes' })).error?.code).toBe('invalid_input')
  })

  it('refuses a bad rule with the path, the formula position and the valid names; saves versions', async () => {
    const bad = await call<RuleSaveResult>('rules/save', { definition: { ...cashback, reward: { ...cashback.reward, formula: 'net_los * 0.1' } } })
    expect(bad.error?.code).toBe('invalid_input')
    const problems = (bad.error!.details as { problems: { path: string; position?: number; validNames?: string[] }[] }).problems
    expect(problems[0]).toMatchObject({ path: 'reward.formula', position: 0 })
    expect(problems[0]!.validNames).toContain('net_loss')
    const badTier = await call('rules/save', { definition: { ...cashback, conditions: { tier: 'DIAMOND' } } })
    expect(badTier.error?.code).toBe('invalid_input')
    expect(badTier.error!.message).toMatch(/DIAMOND/)
    expect((await call('rules/save', { definition: { ...cashback, reward: { type: 'GOLD_BARS', formula: 1 } } })).error?.message).toMatch(/reward\.type/)
    expect((await call('rules/save', { definition: 'not a rule' })).error?.code).toBe('invalid_input')

    const first = await ok<RuleSaveResult>('rules/save', { definition: cashback })
    expect(first).toEqual({ ruleId: 'DESK_CASHBACK', version: 1, created: true, status: 'draft' })
    // The same definition (keys in another order) is the same version.
    const again = await ok<RuleSaveResult>('rules/save', { definition: Object.fromEntries(Object.entries(cashback).reverse()) })
    expect(again).toMatchObject({ version: 1, created: false })
    const edited = await ok<RuleSaveResult>('rules/save', { definition: { ...cashback, reward: { ...cashback.reward, formula: 'net_loss * 0.2' } } })
    expect(edited).toMatchObject({ version: 2, created: true, status: 'draft' })
    const detail = await ok<RuleDetailView>('rules/get', { ruleId: 'DESK_CASHBACK' })
    expect(detail.currentVersion).toBe(2)
    expect(detail.versions.map((each) => [each.version, (each.definition.reward as { formula: string }).formula])).toEqual([
      [2, 'net_loss * 0.2'],
      [1, 'net_loss * 0.1'],
    ])
    expect((await call('rules/get', { ruleId: 'NOPE' })).error?.code).toBe('not_found')
    expect((await call('rules/get', { ruleId: 'bad id!' })).error?.code).toBe('invalid_input')
  })

  it('issues only for active rules: a draft and a paused rule issue nothing, an activated one does', async () => {
    await ok('rules/save', { definition: { ...cashback, rule_id: 'DESK_DRAFT' } })
    await ok('rules/save', { definition: { ...cashback, rule_id: 'DESK_PAUSED' } })
    expect(await ok('rules/set-status', { ruleId: 'DESK_PAUSED', status: 'active' })).toEqual({ ruleId: 'DESK_PAUSED', status: 'active', previous: 'draft' })
    await ok('rules/set-status', { ruleId: 'DESK_PAUSED', status: 'paused' })
    await ok('process/run', {})
    expect(await decisionsOf('DESK_DRAFT')).toBe(0)
    expect(await decisionsOf('DESK_PAUSED')).toBe(0)

    await ok('rules/set-status', { ruleId: 'DESK_DRAFT', status: 'active' })
    await ok('process/run', {})
    const issued = await decisionsOf('DESK_DRAFT')
    expect(issued).toBeGreaterThan(0)
    // Editing an active rule keeps it active.
    expect(await ok<RuleSaveResult>('rules/save', { definition: { ...cashback, rule_id: 'DESK_DRAFT', name: 'renamed' } })).toMatchObject({ version: 2, status: 'active' })

    await ok('rules/set-status', { ruleId: 'DESK_DRAFT', status: 'archived' })
    const listed = (await ok<{ rules: RuleListRow[] }>('rules/list', {})).rules.map((rule) => rule.ruleId)
    expect(listed).not.toContain('DESK_DRAFT')
    expect((await ok<{ rules: RuleListRow[] }>('rules/list', { includeArchived: true })).rules.find((rule) => rule.ruleId === 'DESK_DRAFT')?.status).toBe('archived')
    expect(audit('rule.status').map((row) => [row.subject, row.reason])).toContainEqual(['rule:DESK_DRAFT', 'active → archived'])
    expect((await call('rules/set-status', { ruleId: 'DESK_DRAFT', status: 'draft' })).error?.code).toBe('invalid_input')
    expect((await call('rules/set-status', { ruleId: 'NOPE', status: 'active' })).error?.code).toBe('not_found')
  })

  it('checks formulas with the position of the error', async () => {
    expect(await ok<FormulaCheckResult>('rules/check-formula', { formula: 'min(net_loss * 0.1, 50)' })).toEqual({ ok: true, metrics: ['net_loss'] })
    const unknown = await ok<FormulaCheckResult>('rules/check-formula', { formula: 'net_loss * bogus' })
    expect(unknown).toMatchObject({ ok: false, position: 11 })
    const dangling = await ok<FormulaCheckResult>('rules/check-formula', { formula: 'net_loss *' })
    expect(dangling.ok).toBe(false)
    expect((await call('rules/check-formula', { formula: 42 })).error?.code).toBe('invalid_input')
  })

  it('tests an unsaved rule against a player and writes nothing', async () => {
    const before = (await ok<DecisionListResult>('decisions/list', { limit: 1 })).total
    const { players } = await ok<{ players: { player_id: string }[] }>('players/list', { segment: 'LOSING', sort: 'abuse_score', limit: 1 })
    const loser = players[0]!.player_id
    const tested = await ok<RuleTestResult>('rules/test', { definition: { ...cashback, rule_id: 'UNSAVED' }, playerId: loser })
    expect(tested).toMatchObject({ playerId: loser, eligible: true, currency: 'LP', money: { code: 'EUR', minorDigits: 2 } })
    expect(tested.sentences[0]).toContain(`UNSAVED v1 for player ${loser}`)
    expect(tested.sentences.some((sentence) => sentence.startsWith('Formula net_loss * 0.1 ='))).toBe(true)
    expect(tested.sentences.at(-1)).toMatch(/^Outcome: /)
    const vip = await ok<RuleTestResult>('rules/test', { definition: { ...cashback, conditions: { segment: 'VIP' } }, playerId: loser })
    expect(vip.eligible).toBe(false)
    expect(vip.sentences.some((sentence) => sentence.startsWith('✗'))).toBe(true)
    expect((await ok<DecisionListResult>('decisions/list', { limit: 1 })).total).toBe(before)
    expect((await ok<{ rules: RuleListRow[] }>('rules/list', {})).rules.map((rule) => rule.ruleId)).not.toContain('UNSAVED')
    expect((await call('rules/test', { definition: cashback, playerId: 'nobody' })).error?.code).toBe('not_found')
    expect((await call('rules/test', { definition: { ...cashback, reward: { type: 'LP', formula: '1 +' } }, playerId: loser })).error?.code).toBe('invalid_input')
    expect((await call('rules/test', { definition: cashback, playerId: '' })).error?.code).toBe('invalid_input')
  })

  it('previews segment counts and the lint for edited thresholds, and saves them audited', async () => {
    const view = await ok<SegmentSettingsView>('segments/get', {})
    expect(view.preview.players).toBe(100)
    expect(view.preview.counts).toEqual(view.preview.savedCounts)
    expect(view.preview.counts.LOSING).toBe(35)
    expect(Object.values(view.preview.counts).reduce((a, b) => a + b, 0)).toBe(100)

    // Narrow WINNING to players up more than 10% of wagered (the seed's literal threshold): the
    // players up less than that fall through to LOSING, and the lint says so.
    const order = view.config.order.map((each) =>
      each.segment === 'WINNING' ? { segment: 'WINNING', conditions: { win_loss_ratio: { gt: 1.1 } } } : each.segment === 'BREAKEVEN' ? { segment: 'BREAKEVEN', conditions: { hold: { gt: -0.01, lt: 0.01 } } } : each,
    )
    const moved = await ok<SegmentPreviewResult>('segments/preview', { config: { order, fallback: 'NEW' } })
    expect(moved.cached).toBe(true)
    expect(moved.savedCounts).toEqual(view.preview.counts)
    expect(moved.counts.WINNING).toBeLessThan(view.preview.counts.WINNING)
    expect(Object.values(moved.counts).reduce((a, b) => a + b, 0)).toBe(100)
    const gap = moved.findings.find((finding) => finding.kind === 'gap')
    expect(gap?.players).toBeGreaterThan(0)
    expect(moved.findings.some((finding) => finding.kind === 'overlap')).toBe(true)

    // A condition on a metric only activity events give loads the events too (and then stays cached).
    const byBets = { order: [{ segment: 'VIP', conditions: { bet_count: { min: 1 } } }], fallback: 'NEW' }
    const withEvents = await ok<SegmentPreviewResult>('segments/preview', { config: byBets })
    expect(withEvents.cached).toBe(false)
    const bettors = backend.services.database.readRaw("SELECT count(DISTINCT player_id) AS n FROM activity_events WHERE type = 'bet'").get() as { n: number }
    expect(bettors.n).toBeGreaterThan(0)
    expect(withEvents.counts.VIP).toBe(bettors.n)
    expect((await ok<SegmentPreviewResult>('segments/preview', { config: byBets })).cached).toBe(true)

    // Conditions on the stored abuse score see each player's own score (five players score 60 or more).
    const byAbuse = await ok<SegmentPreviewResult>('segments/preview', { config: { order: [{ segment: 'VIP', conditions: { abuse_score: { min: 60 } } }], fallback: 'NEW' } })
    expect(byAbuse.counts.VIP).toBe(5)

    const unknownMetric = await call('segments/preview', { config: { order: [{ segment: 'VIP', conditions: { wagered_total: { gt: 1 } } }], fallback: 'NEW' } })
    expect(unknownMetric.error?.code).toBe('invalid_input')
    expect(unknownMetric.error!.message).toContain('segments.order[0].conditions')
    expect((await call('segments/preview', { config: { order: [], fallback: 'NEW' } })).error?.code).toBe('invalid_input')
    expect((await call('segments/preview', { config: { order: [{ segment: 'GOLD', conditions: {} }], fallback: 'NEW' } })).error?.message).toContain('config.order.0.segment')

    const saved = await ok<{ config: SegmentSettingsView['config'] }>('segments/save', { config: { order, fallback: 'NEW' } })
    expect(saved.config.order.find((each) => each.segment === 'WINNING')!.conditions).toEqual({ win_loss_ratio: { gt: 1.1 } })
    const after = await ok<SegmentSettingsView>('segments/get', {})
    expect(after.preview.counts).toEqual(moved.counts)
    expect(after.defaults.order.find((each) => each.segment === 'WINNING')!.conditions).toEqual({ net_pnl: { gt: 0 } })
    expect(audit('settings.segments')).toHaveLength(1)
    // Other engine settings are kept: the currency still reads as before.
    expect((await ok<RuleDetailView>('rules/get', { ruleId: 'WELCOME_BONUS' })).money).toEqual({ code: 'EUR', minorDigits: 2 })
  })

  it('shows and saves the tier ladder with players per tier; refuses a broken ladder with its path', async () => {
    const view = await ok<TierLadderView>('tiers/get', {})
    expect(view.isDefault).toBe(true)
    expect(view.ladder[0]!.code).toBe('BRONZE')
    expect(Object.values(view.players).reduce((a, b) => a + b, 0) + view.unplaced).toBe(100)
    const ladder = view.ladder.map((tier) => (tier.code === 'GOLD' ? { ...tier, qualifying_points: tier.qualifying_points + 1000, benefits: { ...tier.benefits, cashback_percent: 7 } } : tier))
    const broken = await call('tiers/save', { ladder: ladder.map((tier, index) => (index === 0 ? { ...tier, qualifying_points: 10 } : tier)) })
    expect(broken.error?.code).toBe('invalid_input')
    expect(broken.error!.message).toMatch(/qualifying points must be 0/)
    const wrongField = await call('tiers/save', { ladder: [{ ...ladder[0], window_days: -5 }] })
    expect(wrongField.error!.message).toContain('[0].window_days')
    expect((await call('tiers/save', { ladder: [] })).error?.code).toBe('invalid_input')
    const saved = await ok<TierLadderView>('tiers/save', { ladder })
    expect(saved.isDefault).toBe(false)
    expect(saved.ladder.find((tier) => tier.code === 'GOLD')!.benefits.cashback_percent).toBe(7)
    expect((await ok<TierLadderView>('tiers/get', {})).ladder).toEqual(saved.ladder)
    expect(audit('settings.tiers')).toHaveLength(1)
  })

  it('lists open review items with their signals in words, records a decision once', async () => {
    const queue = await ok<ReviewListResult>('review/list', {})
    expect(queue.open).toBe(5)
    expect(queue.items.map((item) => item.playerId)).toEqual(['1004631', '1006203', '1007520', '1005479', '1006999'])
    const top = queue.items[0]!
    expect(top.signals.map((signal) => signal.signal).sort()).toEqual(['bonus_only_play', 'shared_identity', 'withdrawal_after_bonus'])
    expect(top.signals.find((signal) => signal.signal === 'shared_identity')!.description).toContain('cluster of 5 accounts')

    const decided = await ok<ReviewItemView>('review/decide', { id: top.id, decision: 'approve', note: 'known ring, confirmed', actor: 'alice' })
    expect(decided).toMatchObject({ status: 'approved', decidedBy: 'alice', note: 'known ring, confirmed' })
    expect(decided.decidedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    const twice = await call('review/decide', { id: top.id, decision: 'reject' })
    expect(twice.error?.code).toBe('conflict')
    expect(twice.error!.message).toContain('already approved by alice')
    expect((await ok<ReviewListResult>('review/list', {})).open).toBe(4)
    expect((await ok<ReviewListResult>('review/list', { status: 'approved' })).items.map((item) => item.id)).toEqual([top.id])
    expect(audit('review.approve')).toEqual([{ actor: 'alice', subject: 'player:1004631', reason: 'known ring, confirmed' }])
    expect((await call('review/decide', { id: 999_999, decision: 'reject' })).error?.code).toBe('not_found')
    expect((await call('review/decide', { id: top.id, decision: 'maybe' })).error?.code).toBe('invalid_input')
  })
})
