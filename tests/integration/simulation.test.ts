// Scenarios and the simulation against a real SQLite ledger: stored and compared without touching
// the ledger, simulated over the base `process` left, and applied as new rule versions that the
// next `process` uses.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyScenario, previewApply } from '../../src/main/jobs/apply-scenario'
import { processFiles } from '../../src/main/jobs/process'
import { compareScenarios, deleteScenario, duplicateScenario, getScenario, listScenarios, saveScenario } from '../../src/main/jobs/scenario-store'
import { runSensitivityJob, runSimulationJob } from '../../src/main/jobs/simulation'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { readEngineSettings, writeSetting } from '../../src/main/ledger/settings-store'
import { seedRule } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'

const sheet = [
  'Player summary — exported 2026-01-31',
  'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date',
  'P1,"5,000.00","10,000.00","9,000.00",40,2026-01-28,2025-06-01',
  'P2,"2,000.00","10,000.00","8,000.00",12,2026-01-30,2025-06-01',
  'P3,"1,000.00","5,000.00","9,000.00",8,2026-01-20,2025-06-01',
].join('\n')
const lpRule = { rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }
const raisedCashback = { ...seedRule, reward: { ...seedRule.reward, formula: 'net_loss * 0.15' } }
const actor = { actor: 'alice', now: '2026-02-01T09:00:00.000Z' }
const control = { today: '2026-02-01', now: '2026-02-01T09:00:00.000Z' }

async function processedLedger(dir: string): Promise<LedgerDatabase> {
  const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
  database.write((transaction) => writeSetting(transaction, 'engine', { safetyFactor: 1, marginHorizonDays: 365 }, '2026-01-01T00:00:00.000Z'))
  const path = join(dir, 'players.csv')
  writeFileSync(path, sheet)
  await processFiles(database, { files: [path], rules: [seedRule, lpRule], defaultAsOf: '2026-01-31', now: '2026-01-31T18:00:00.000Z', actor: 'test', dryRun: false })
  return database
}

function ledgerRows(database: LedgerDatabase) {
  return database.readRaw('SELECT (SELECT count(*) FROM ledger_transfers) AS transfers, (SELECT count(*) FROM reward_decisions) AS decisions, (SELECT count(*) FROM reward_rule_versions) AS versions').get()
}

describe('scenarios and simulation on a real ledger', () => {
  const tempDir = useTempDir()

  it('saves, lists, duplicates, compares and deletes scenarios, refusing one that cannot apply', async () => {
    const database = await processedLedger(tempDir())
    const before = ledgerRows(database)
    const saved = saveScenario(database, { name: 'Cashback 15%', changes: { rules: { edit: [raisedCashback] } } }, actor)
    expect(saved).toMatchObject({ name: 'Cashback 15%', description: '', createdBy: 'alice' })
    const copy = duplicateScenario(database, saved.id, actor)
    expect(copy.name).toBe('Cashback 15% (copy)')
    expect(duplicateScenario(database, saved.id, actor).name).toBe('Cashback 15% (copy 2)')
    const safer = saveScenario(database, { name: 'Safer', changes: { safetyFactor: 0.5 } }, actor)
    expect(listScenarios(database).map((row) => row.name).sort()).toEqual(['Cashback 15%', 'Cashback 15% (copy 2)', 'Cashback 15% (copy)', 'Safer'])

    const compared = compareScenarios(database, saved.id, safer.id)
    expect(compared.changes).toEqual([
      { area: 'setting', path: 'safetyFactor', from: 1, to: 0.5 },
      // "Safer" keeps the live cashback, so against "Cashback 15%" it is the formula going back.
      expect.objectContaining({ area: 'rule', action: 'edit', ruleId: 'LOSING_PLAYER_CASHBACK', fields: ['reward.formula'] }),
    ])

    expect(() => saveScenario(database, { name: 'Safer', changes: {} }, actor)).toThrow(/already exists/)
    expect(() => saveScenario(database, { name: 'Ghost', changes: { rules: { disable: ['NO_SUCH_RULE'] } } }, actor)).toThrow(/rules\.disable\[0\]: there is no rule NO_SUCH_RULE/)
    expect(() => saveScenario(database, { name: 'Bad formula', changes: { rules: { edit: [{ ...seedRule, reward: { ...seedRule.reward, formula: 'net_loss * bogus' } }] } } }, actor)).toThrow(/rules\.edit\[0\]\.reward\.formula/)
    expect(() => saveScenario(database, { name: '', changes: {} }, actor)).toThrow(/name: a scenario needs a name/)

    deleteScenario(database, copy.id)
    expect(() => getScenario(database, copy.id)).toThrow(/There is no scenario/)
    expect(ledgerRows(database)).toEqual(before)
    database.close()
  })

  it('simulates over the processed base without writing anything, and cancels on request', async () => {
    const database = await processedLedger(tempDir())
    const before = ledgerRows(database)
    const scenario = { name: 'Cashback 15%', changes: { rules: { edit: [raisedCashback] } } }
    // After process, the once-only cashback is history: a real next run would pay it to no one.
    const withHistory = await runSimulationJob(database, { scenario }, control)
    expect(withHistory.comparison.asOf).toBe('2026-01-31')
    expect(withHistory.comparison.live.byReason.already_issued).toBeGreaterThan(0)
    expect(withHistory.comparison.netImpact).toBe(0)
    // As a design comparison (no history): P1 lost 1,000.00 and P2 2,000.00 → +50.00 and +100.00 of bonus at 66.5%.
    const fresh = await runSimulationJob(database, { scenario, ignoreHistory: true, monteCarlo: { trials: 40, seed: 5, threads: 1 } }, control)
    expect(fresh.comparison.scenario.cost - fresh.comparison.live.cost).toBe(9_975)
    expect(fresh.monteCarlo).toMatchObject({ trials: 40, seed: 5 })
    expect(fresh.monteCarlo!.live.p5).toBeLessThanOrEqual(fresh.monteCarlo!.live.p95)
    expect(ledgerRows(database)).toEqual(before)

    const sweep = await runSensitivityJob(database, { scenario, ignoreHistory: true, parameter: { kind: 'safetyFactor' }, range: { from: 0, to: 1, steps: 3 } }, control)
    expect(sweep.points.map((point) => point.value)).toEqual([0, 0.5, 1])
    // A safety factor of 0 lets no costly reward through.
    expect(sweep.points[0]!.cost).toBe(0)

    const controller = new AbortController()
    controller.abort()
    await expect(runSimulationJob(database, { scenario }, { ...control, signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' })
    database.close()
  })

  it('apply turns the scenario into new rule versions and settings, audited, and the next process uses them', async () => {
    const dir = tempDir()
    const database = await processedLedger(dir)
    const scenario = saveScenario(database, { name: 'Raise and tighten', changes: { rules: { edit: [raisedCashback], disable: ['LP_PER_SESSION'] }, safetyFactor: 0.9 } }, actor)
    const preview = previewApply(database, scenario.id)
    expect(preview.changes).toEqual([
      { area: 'setting', path: 'safetyFactor', from: 1, to: 0.9 },
      { area: 'rule', action: 'edit', ruleId: 'LOSING_PLAYER_CASHBACK', fromVersion: 1, toVersion: 2, fields: ['reward.formula'] },
      { area: 'rule', action: 'disable', ruleId: 'LP_PER_SESSION', fromVersion: 1, toVersion: 2, fields: ['status'] },
    ])

    const applied = applyScenario(database, scenario.id, actor)
    expect(applied.changes).toEqual(preview.changes)
    expect(applied.rules).toEqual([
      { ruleId: 'LOSING_PLAYER_CASHBACK', version: 2 },
      { ruleId: 'LP_PER_SESSION', version: 2 },
    ])
    expect(readEngineSettings(database).safetyFactor).toBe(0.9)
    const audit = database.readRaw('SELECT action, actor, subject FROM audit_log WHERE id = ?').get(applied.auditId)
    expect(audit).toEqual({ action: 'scenario.apply', actor: 'alice', subject: `scenario:${scenario.id}` })
    // Applying again changes nothing, and says so.
    expect(() => applyScenario(database, scenario.id, actor)).toThrow(/changes nothing/)

    const next = await processFiles(database, { files: [], asOf: '2026-02-28', defaultAsOf: '2026-02-28', now: '2026-02-28T18:00:00.000Z', actor: 'test', dryRun: false })
    expect(next.rules).toEqual([
      { ruleId: 'LOSING_PLAYER_CASHBACK', version: 2, newVersion: false },
      { ruleId: 'LP_PER_SESSION', version: 2, newVersion: false },
    ])
    // The paused LP rule issues nothing in the new month.
    const lpIssued = database
      .readRaw("SELECT count(*) AS n FROM reward_decisions d JOIN evaluations e ON e.id = d.evaluation_id WHERE e.as_of = '2026-02-28' AND d.currency = 'LP' AND d.amount > 0")
      .get() as { n: number }
    expect(lpIssued.n).toBe(0)
    database.close()
  })
})
