// The reports on a small base checked by hand: two snapshots a month apart, one rule with a
// 50% hold-out and one without, on a real SQLite file through the real process pipeline.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { writeSetting } from '../../src/main/ledger/settings-store'
import { processFiles } from '../../src/main/jobs/process'
import { isHeldOut } from '../../src/main/engine/holdout'
import { churnReport, liabilityReport, profitReport, ruleRoiReport, segmentPerformance } from '../../src/main/reports'
import { useTempDir } from '../helpers/temp'

// 100.00 to wager once on slots (house edge 4%): expected cost 100.00 × (1 − 1 × 0.04) = 96.00.
const cashback = { rule_id: 'FLAT_BONUS', conditions: {}, reward: { type: 'BONUS', formula: 100, wagering_requirement: 1, eligible_games: ['slots'] }, holdout: { share: 0.5 } }
const expectedCost = 10_000 * (1 - 0.04)
const lpRule = { rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' } }

// Two players the hold-out pays (T1, T2) and two it keeps back (C1, C2), picked by the rule's own hash.
const candidates = Array.from({ length: 40 }, (_, index) => `P${String(index + 1).padStart(2, '0')}`)
const [t1, t2] = candidates.filter((id) => !isHeldOut(cashback.rule_id, id, 0.5))
const [c1, c2] = candidates.filter((id) => isHeldOut(cashback.rule_id, id, 0.5))

const header = 'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date'
// January: everyone wagered 10,000.00 and won 9,000.00 (GGR 1,000.00).
const january = [
  'Player summary — exported 2026-01-31',
  header,
  ...[t1, t2, c1, c2].map((id) => `${id},"5,000.00","10,000.00","9,000.00",10,2026-01-10,2025-06-01`),
].join('\n')
// February: the rewarded players' GGR grows by 500.00 each, the control group's by 200.00.
// C1 stopped depositing in January and wagered only 200.00 more: inactive, and wagering far below usual.
const february = [
  'Player summary — exported 2026-02-28',
  header,
  `${t1},"6,000.00","15,000.00","13,500.00",20,2026-02-26,2025-06-01`,
  `${t2},"6,000.00","15,000.00","13,500.00",20,2026-02-26,2025-06-01`,
  `${c1},"5,000.00","10,200.00","9,000.00",11,2026-01-10,2025-06-01`,
  `${c2},"6,000.00","12,000.00","10,800.00",20,2026-02-25,2025-06-01`,
].join('\n')

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000

async function processedBase(dir: string): Promise<LedgerDatabase> {
  const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
  database.write((transaction) => writeSetting(transaction, 'engine', { safetyFactor: 1, marginHorizonDays: 365 }, '2026-01-01T00:00:00.000Z'))
  writeFileSync(join(dir, 'january.csv'), january)
  writeFileSync(join(dir, 'february.csv'), february)
  const base = { rules: [cashback, lpRule], defaultAsOf: '2026-03-01', actor: 'test', dryRun: false }
  await processFiles(database, { ...base, files: [join(dir, 'january.csv')], now: '2026-01-31T18:00:00.000Z' })
  await processFiles(database, { ...base, files: [join(dir, 'february.csv')], now: '2026-02-28T18:00:00.000Z' })
  return database
}

describe('reports over a processed base', () => {
  const tempDir = useTempDir()

  it('measures ROI against the control group, and says plainly when a rule has none', async () => {
    const database = await processedBase(tempDir())
    const report = ruleRoiReport(database, { from: '2026-01-01', to: '2026-02-28' })
    const flat = report.rows.find((row) => row.ruleId === 'FLAT_BONUS')!
    // Paid 100.00 to T1 and T2, expected to cost 2 × 96.00.
    // Extra margin = (500.00 − 200.00) × 2 rewarded = 600.00; ROI = (600 − 192) / 192.
    expect(flat).toMatchObject({
      holdoutShare: 0.5,
      rewarded: 2,
      control: 2,
      cost: 2 * expectedCost,
      paid: 20_000,
      currency: 'BONUS',
      measuredFrom: '2026-01-31',
      ggrChangeRewarded: 50_000,
      ggrChangeControl: 20_000,
      incrementalMargin: 60_000,
      status: 'measured',
      note: 'measured against 2 control players',
    })
    expect(flat.roi).toBeCloseTo((60_000 - 2 * expectedCost) / (2 * expectedCost), 10)
    const lp = report.rows.find((row) => row.ruleId === 'LP_PER_SESSION')!
    expect(lp).toMatchObject({ rewarded: 4, control: 0, status: 'no_control_group', note: 'no control group: ROI not measurable' })
    expect(lp.roi).toBeUndefined()
    // In February nothing was paid: the rule has nothing to measure there.
    expect(ruleRoiReport(database, { from: '2026-02-01', to: '2026-02-28' }).rows.find((row) => row.ruleId === 'FLAT_BONUS')).toMatchObject({ rewarded: 0, status: 'no_rewards' })
    // Before the February snapshot there is no later data to compare.
    const early = ruleRoiReport(database, { from: '2026-01-01', to: '2026-01-31' }).rows.find((row) => row.ruleId === 'FLAT_BONUS')!
    expect(early).toMatchObject({ status: 'no_later_data', note: 'no player snapshot after 2026-01-31 yet: ROI measurable after the next import' })
    expect(early.roi).toBeUndefined()
    database.close()
  })

  it('never pays a held-out player: control decisions have no ledger transfer and no balance', async () => {
    const database = await processedBase(tempDir())
    const control = database
      .readRaw("SELECT p.external_id AS id, COUNT(t.id) AS transfers FROM reward_decisions d JOIN players p ON p.id = d.player_id LEFT JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key WHERE d.reason = 'control_group' GROUP BY p.external_id ORDER BY 1")
      .all() as { id: string; transfers: number }[]
    expect(control).toEqual([c1, c2].sort().map((id) => ({ id, transfers: 0 })))
    // The second run holds them out again but keeps the first run's decision: ROI counts from that date.
    const heldSince = database
      .readRaw("SELECT DISTINCT e.as_of AS asOf FROM reward_decisions d JOIN evaluations e ON e.id = d.evaluation_id WHERE d.reason = 'control_group'")
      .all()
    expect(heldSince).toEqual([{ asOf: '2026-01-31' }])
    const bonus = database
      .readRaw("SELECT p.external_id AS id, a.balance FROM ledger_accounts a JOIN players p ON p.id = a.player_id WHERE a.currency = 'BONUS' ORDER BY 1")
      .all() as { id: string; balance: number }[]
    expect(bonus).toEqual([t1, t2].sort().map((id) => ({ id, balance: 10_000 })))
    database.close()
  })

  it('splits GGR, reward cost and NGR by segment and by month over the range asked for', async () => {
    const database = await processedBase(tempDir())
    const january = segmentPerformance(database, { from: '2026-01-01', to: '2026-01-31' })
    const losing = january.rows.find((row) => row.segment === 'LOSING')!
    // Four first snapshots of 1,000.00 GGR; 2 × 100.00 bonus paid, expected to cost 2 × 96.00.
    expect(losing).toMatchObject({ players: 4, ggr: 400_000, rewardCost: 2 * expectedCost, ngr: 400_000 - 2 * expectedCost, bonusPaid: 20_000 })
    expect(losing.costToGgr).toBeCloseTo((2 * expectedCost) / 400_000, 10)
    expect(january.total).toMatchObject({ players: 4, ggr: 400_000, rewardCost: 2 * expectedCost, ngr: 400_000 - 2 * expectedCost })
    expect(january.rows.filter((row) => row.segment !== 'LOSING').every((row) => row.players === 0 && row.ggr === 0)).toBe(true)
    // February only: the growth since January, and nothing paid.
    expect(segmentPerformance(database, { from: '2026-02-01', to: '2026-02-28' }).total).toMatchObject({ players: 4, ggr: 140_000, rewardCost: 0, ngr: 140_000 })

    const profit = profitReport(database, { from: '2026-01-01', to: '2026-03-31' }, 'month')
    expect(profit.rows.map((row) => [row.period, row.label, row.ggr, row.rewardCost, row.ngr, row.players])).toEqual([
      ['2026-01-01', 'Jan 2026', 400_000, 2 * expectedCost, 400_000 - 2 * expectedCost, 4],
      ['2026-02-01', 'Feb 2026', 140_000, 0, 140_000, 4],
      ['2026-03-01', 'Mar 2026', 0, 0, 0, 0],
    ])
    expect(profit.total).toMatchObject({ ggr: 540_000, rewardCost: 2 * expectedCost, ngr: 540_000 - 2 * expectedCost })
    // Weeks start on Monday: 2026-01-31 is a Saturday, in the week of Monday 2026-01-26.
    const weekly = profitReport(database, { from: '2026-01-26', to: '2026-02-08' }, 'week')
    expect(weekly.rows.map((row) => [row.period, row.ggr])).toEqual([['2026-01-26', 400_000], ['2026-02-02', 0]])
    database.close()
  })

  it('lists the player who went quiet, with how long, how much less, and what they are worth', async () => {
    const database = await processedBase(tempDir())
    const report = churnReport(database, { from: '2026-01-01', to: '2026-02-28' })
    expect(report.total).toBe(1)
    const [row] = report.rows
    const usual = 1_000_000 / days('2025-06-01', '2026-01-31')
    const recent = 20_000 / days('2026-01-31', '2026-02-28')
    expect(row).toMatchObject({ playerId: c1, segment: 'LOSING', lastActive: '2026-01-10', inactiveDays: 49, risk: 'high', lifetimeGgr: 120_000 })
    expect(row!.activityChange).toBeCloseTo(recent / usual - 1, 10)
    expect(row!.monthlyValue).toBe(Math.round((120_000 / days('2025-06-01', '2026-02-28')) * 30))
    expect(row!.why).toBe(`no activity for 49 days; wagering ${Math.round((1 - recent / usual) * 100)}% below usual`)
    // A range reaching past the newest file counts inactivity to that file's day, not to the end of March.
    expect(churnReport(database, { from: '2026-01-01', to: '2026-03-31' }).rows[0]).toMatchObject({ playerId: c1, inactiveDays: 49 })
    // At the end of January nobody had been quiet for 14 days yet (last deposits on the 10th: 21 days).
    expect(churnReport(database, { from: '2026-01-01', to: '2026-01-31' }, { inactiveDays: 30 }).total).toBe(0)
    database.close()
  })

  it('values what is still owed: bonus balances and open lots, points at their configured value', async () => {
    const database = await processedBase(tempDir())
    const report = liabilityReport(database, '2026-03-01T00:00:00.000Z')
    const bonus = report.rows.find((row) => row.currency === 'BONUS')!
    expect(bonus).toMatchObject({ holders: 2, outstanding: 20_000, value: 20_000, expectedValue: 20_000 })
    const lp = report.rows.find((row) => row.currency === 'LP')!
    // LP once per player at the January run: 10 sessions × 10 each; a loyalty point is worth 0 by default.
    expect(lp).toMatchObject({ holders: 4, outstanding: 400, value: 0 })
    // Each lot still needs its 100.00 wagered on slots.
    expect(report.lots).toMatchObject({ open: 2, amount: 20_000, remainingWagering: 20_000 })
    expect(report.total.value).toBe(20_000)
    database.close()
  })
})
