// The Dashboard, Settings and Ledger-search API methods over a real SQLite file, through the same
// dispatcher every transport uses (validation included), on the processed sample workbook.
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDispatcher, type Dispatcher } from '../../src/main/api/dispatcher'
import { createHandlers } from '../../src/main/api/handlers'
import type { Services } from '../../src/main/api/services'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { readEngineSettings } from '../../src/main/ledger/settings-store'
import type { ApiResult } from '../../src/shared/api/result'
import type { InputOf, MethodName, ResultOf } from '../../src/shared/api/contract'
import type { ProcessSummary } from '../../src/shared/api/types'
import { defaultEngineSettings } from '../../src/shared/engine-settings'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

let folder: string
let database: LedgerDatabase
let dispatcher: Dispatcher
let calls = 0

async function call<K extends MethodName>(name: K, input: InputOf<K>): Promise<ApiResult<ResultOf<K>>> {
  calls += 1
  return (await dispatcher.dispatch(name, input, `t${calls}`, () => undefined)) as ApiResult<ResultOf<K>>
}

async function data<K extends MethodName>(name: K, input: InputOf<K>): Promise<ResultOf<K>> {
  const result = await call(name, input)
  if (result.error) throw new Error(`${name}: ${result.error.message}`)
  return result.data
}

function open(path: string): void {
  database = LedgerDatabase.open({ path })
  const services: Services = { runtime: 'test', dataDir: folder, database, versions: { node: process.versions.node } }
  dispatcher = createDispatcher(createHandlers(services))
}

describe('operations API on a fresh database', () => {
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'lw-ops-'))
    open(join(folder, 'empty.sqlite'))
  })
  afterAll(() => {
    database.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('settings/get gives the defaults and says they were never saved', async () => {
    const view = await data('settings/get', {})
    expect(view.updatedAt).toBeNull()
    expect(view.settings).toEqual(defaultEngineSettings())
    expect(view.preferences).toEqual({ dateOrder: 'DMY' })
  })

  it('dashboard/summary of an empty base is all zeros, without a cost ratio', async () => {
    const summary = await data('dashboard/summary', {})
    expect(summary.asOf).toBeNull()
    expect(summary.kpis).toMatchObject({ players: 0, ggr: 0, rewardCost: 0, costToGgr: null, blockedRewards: 0, openReviewItems: 0 })
    expect(summary.costByRule).toEqual({ periods: [], rules: [] })
  })

  it('settings/save refuses an invalid value naming its path, and writes nothing', async () => {
    const settings = { ...defaultEngineSettings(), houseEdges: { default: 1.5, slots: 0.04 } }
    const result = await call('settings/save', { settings })
    expect(result.error?.code).toBe('invalid_input')
    expect(result.error?.message).toContain('"settings.houseEdges.default"')
    const missingDefault = await call('settings/save', { settings: { ...defaultEngineSettings(), houseEdges: { slots: 0.04 } } })
    expect(missingDefault.error?.message).toContain('house edges need a "default" entry')
    const currency = await call('settings/save', { settings: { ...defaultEngineSettings(), currency: { code: 'euro', minorDigits: 2 } } })
    expect(currency.error?.message).toMatch(/settings\.currency\.code.*ISO 4217/)
    expect((await data('settings/get', {})).updatedAt).toBeNull()
    const audit = database.readRaw("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.save'").get() as { n: number }
    expect(audit.n).toBe(0)
  })

  it('settings/save stores the settings the engine then reads, and audits the changed paths', async () => {
    const settings = { ...defaultEngineSettings(), currency: { code: 'GBP', minorDigits: 2 }, safetyFactor: 0.5, houseEdges: { ...defaultEngineSettings().houseEdges, slots: 0.05 } }
    const saved = await data('settings/save', { settings, preferences: { dateOrder: 'MDY' } })
    expect(saved.changed).toEqual(['currency.code', 'houseEdges.slots', 'safetyFactor', 'preferences.dateOrder'])
    expect(saved.updatedAt).not.toBeNull()
    expect(readEngineSettings(database)).toMatchObject({ currency: { code: 'GBP' }, safetyFactor: 0.5, houseEdges: { slots: 0.05 } })
    expect((await data('settings/get', {})).preferences.dateOrder).toBe('MDY')
    const audit = database.readRaw("SELECT actor, reason, details FROM audit_log WHERE action = 'settings.save'").all() as { actor: string; reason: string; details: string }[]
    expect(audit).toHaveLength(1)
    expect(audit[0]!.reason).toBe('changed currency.code, houseEdges.slots, safetyFactor, preferences.dateOrder')
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ before: { safetyFactor: 0.8 }, after: { safetyFactor: 0.5 } })
  })

  it('an import without a date order of its own reads ambiguous dates in the order saved in Settings', async () => {
    // The previous test saved MDY: 03/04/2026 is the 4th of March.
    const path = join(folder, 'ambiguous.csv')
    writeFileSync(path, 'Player ID,Turnover,Winnings,Last Deposit\nA1,100,50,03/04/2026\n')
    const [summary] = (await data('import/files', { paths: [path], asOf: '2026-11-20' })).imports
    expect(summary).toMatchObject({ accepted: 1, ambiguousDates: 1 })
    const row = database.readRaw("SELECT s.last_deposit_date AS deposit FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id WHERE p.external_id = 'A1'").get()
    expect(row).toEqual({ deposit: '2026-03-04' })
  })

  it('adjusts money by the minor unit of the currency saved in Settings', async () => {
    await data('settings/save', { settings: { ...defaultEngineSettings(), currency: { code: 'KWD', minorDigits: 3 } } })
    const adjusted = await data('ledger/adjust', { playerId: 'A1', currency: 'BONUS', amount: 1.234, reason: 'goodwill', actor: 'alice' })
    expect(adjusted).toMatchObject({ amount: 1234, currency: 'BONUS', alreadyPosted: false })
    const refused = await call('ledger/adjust', { playerId: 'A1', currency: 'BONUS', amount: 1.2345, reason: 'goodwill', actor: 'alice' })
    expect(refused.error?.message).toBe('BONUS adjustments have at most 3 decimals; 1.2345 is not.')
  })

  it('ledger/transfers refuses a date range that ends before it starts', async () => {
    const result = await call('ledger/transfers', { from: '2026-02-01', to: '2026-01-01' })
    expect(result.error?.message).toContain('"to"')
  })
})

describe('operations API on the processed sample', () => {
  let processed: ProcessSummary
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lw-ops-'))
    open(join(folder, 'sample.sqlite'))
    processed = await data('process/run', { paths: [resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')] })
  }, 120_000)
  afterAll(() => {
    database.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('dashboard/summary counts the players, segments, tiers, blocked rewards and review items the sample was designed for', async () => {
    const summary = await data('dashboard/summary', {})
    expect(summary.asOf).toBe('2026-11-20')
    expect(summary.kpis.players).toBe(100)
    expect(Object.fromEntries(summary.bySegment.map((each) => [each.segment, each.players]))).toEqual({ NEW: 15, VIP: 12, WINNING: 18, BREAKEVEN: 20, LOSING: 35 })
    // The first evaluation places everyone in the entry tier (resources/samples/README.md, Tiers).
    expect(summary.byTier).toEqual([{ tier: 'BRONZE', name: expect.any(String), players: 100 }])
    expect(summary.kpis.blockedRewards).toBe(14)
    expect(summary.kpis.issuedRewards).toBe(155)
    expect(summary.kpis.openReviewItems).toBe(5)
    expect(summary.issuedByCurrency).toEqual(processed.rewards.byCurrency)
  })

  it('values reward cost at face value for bonus money and by the point values for RP and tickets', async () => {
    const summary = await data('dashboard/summary', {})
    const values = defaultEngineSettings().pointValues
    const issued = processed.rewards.byCurrency
    // Per rule, rounded once: each sample rule issues one currency, so the total is close to the per-currency sum.
    const expected = issued.BONUS + issued.RP * values.rewardPoint * values.rewardPointRedemptionRate * 100 + issued.TICKETS * values.ticket * 100
    expect(Math.abs(summary.kpis.rewardCost - expected)).toBeLessThanOrEqual(summary.costByRule.rules.length)
    expect(summary.kpis.rewardCost).toBe(summary.costByRule.rules.reduce((sum, rule) => sum + rule.total, 0))
    expect(summary.costByRule.periods).toEqual(['2026-11-20'])
    expect(summary.costByRule.rules.find((rule) => rule.ruleId === 'LOSING_PLAYER_CASHBACK')?.cost).toEqual([197_853])
    const ggr = database.readRaw('SELECT sum(s.total_wagered - s.total_won) AS g FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id').get() as { g: number }
    expect(summary.kpis.ggr).toBe(ggr.g)
    expect(summary.kpis.ngr).toBe(ggr.g - summary.kpis.rewardCost)
    expect(summary.kpis.costToGgr).toBeCloseTo(summary.kpis.rewardCost / ggr.g, 12)
  })

  it('dashboard/summary restricted to a period without evaluations has no reward figures, and weeks start on Monday', async () => {
    const before = await data('dashboard/summary', { to: '2026-11-19' })
    expect(before.kpis).toMatchObject({ players: 100, rewardCost: 0, issuedRewards: 0, blockedRewards: 0 })
    const weekly = await data('dashboard/summary', { from: '2026-11-01', bucket: 'week' })
    expect(weekly.costByRule.periods).toEqual(['2026-11-16'])
  })

  it('ledger/transfers finds a player\'s transfers, newest first, and pages on the server', async () => {
    const mine = await data('ledger/transfers', { playerId: '1005516' })
    expect(mine.total).toBeGreaterThan(0)
    for (const transfer of mine.transfers) expect([transfer.from.player, transfer.to.player]).toContain('1005516')
    const all = await data('ledger/transfers', { limit: 10 })
    expect(all.total).toBe(processed.ledger.posted)
    expect(all.transfers).toHaveLength(10)
    const ids = all.transfers.map((transfer) => transfer.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const next = await data('ledger/transfers', { limit: 10, offset: 10 })
    expect(next.transfers[0]!.id).toBeLessThan(ids.at(-1)!)
  })

  it('ledger/transfers filters by currency, kind, idempotency key (exact or prefix) and creation day', async () => {
    const bonus = await data('ledger/transfers', { currency: 'BONUS', limit: 1000 })
    expect(bonus.transfers.every((transfer) => transfer.currency === 'BONUS')).toBe(true)
    const lp = await data('ledger/transfers', { currency: 'LP', limit: 1 })
    expect(bonus.total + lp.total).toBeLessThanOrEqual(processed.ledger.posted)
    const one = bonus.transfers[0]!
    expect((await data('ledger/transfers', { idempotencyKey: one.idempotencyKey })).transfers.map((t) => t.id)).toEqual([one.id])
    const prefix = await data('ledger/transfers', { idempotencyKey: `${one.idempotencyKey.slice(0, 8)}*`, limit: 1000 })
    expect(prefix.transfers.every((transfer) => transfer.idempotencyKey.startsWith(one.idempotencyKey.slice(0, 8)))).toBe(true)
    expect(prefix.transfers.map((t) => t.id)).toContain(one.id)
    const day = one.createdAt.slice(0, 10)
    expect((await data('ledger/transfers', { from: day, to: day })).total).toBe(processed.ledger.posted)
    expect((await data('ledger/transfers', { to: '2000-01-01' })).total).toBe(0)
    const before = (await data('ledger/transfers', {})).total
    await data('ledger/adjust', { playerId: '1005516', currency: 'RP', amount: 5, reason: 'goodwill', actor: 'test' })
    // The remembered count follows the write.
    expect((await data('ledger/transfers', {})).total).toBe(before + 1)
    const adjustments = await data('ledger/transfers', { kind: 'adjustment' })
    expect(adjustments.transfers).toMatchObject([{ kind: 'adjustment', amount: 5, currency: 'RP', from: { system: 'adjustment' }, to: { player: '1005516' } }])
  })
  it('dashboard/summary follows a later evaluation: its decisions join the totals and its day the periods', async () => {
    const before = await data('dashboard/summary', {})
    const later = await data('process/run', { asOf: '2026-11-27' })
    const after = await data('dashboard/summary', {})
    expect(after.asOf).toBe('2026-11-27')
    expect(after.costByRule.periods).toEqual(['2026-11-20', '2026-11-27'])
    expect(after.kpis.issuedRewards).toBe(before.kpis.issuedRewards + later.rewards.issued)
    const onlyLater = await data('dashboard/summary', { from: '2026-11-21' })
    expect(onlyLater.kpis.issuedRewards).toBe(later.rewards.issued)
    expect(onlyLater.issuedByCurrency).toEqual(later.rewards.byCurrency)
  })
})
