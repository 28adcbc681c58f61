// `loyalty simulate` as a user runs it on the sample export: the real bin and database, --json for
// scripts, and the workbook read back with exceljs. And the Monte Carlo threads: two give exactly
// what one does.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTempDir } from '../helpers/temp'
import { engineSettingsSchema } from '../../src/shared/engine-settings'
import { mulberry32 } from '../../src/shared/seeded-random'
import { scenarioChangesSchema } from '../../src/shared/scenario-schema'
import { compileRuleSet } from '../../src/main/engine/rules'
import { simulate } from '../../src/main/engine/simulation/compare'
import { buildMonteCarloModel } from '../../src/main/engine/simulation/monte-carlo'
import { applyScenario, describeChanges } from '../../src/main/engine/simulation/scenario-config'
import { runMonteCarloTrials } from '../../src/main/jobs/monte-carlo-pool'

const bin = join(process.cwd(), 'bin', 'loyalty.js')
const samples = join(process.cwd(), 'resources', 'samples')

function loyalty(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('loyalty simulate', () => {
  const tempDir = useTempDir()
  beforeAll(() => {
    if (!existsSync(join(process.cwd(), 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build (npm test does).')
  })

  it('--json on the sample: the live figures, the scenario, the Monte Carlo; --out writes a workbook exceljs reads back', async () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    expect(loyalty(['--db', db, 'process', join(samples, 'players.xlsx'), join(samples, 'events.jsonl')]).code).toBe(0)
    const file = join(dir, 'scenario.json')
    writeFileSync(file, JSON.stringify({ name: 'Safer', description: 'Half the margin may go to rewards', changes: { safetyFactor: 0.5 } }))
    const out = join(dir, 'simulation.xlsx')
    const run = loyalty(['--db', db, '--json', 'simulate', '--scenario', file, '--ignore-history', '--monte-carlo', '50', '--seed', '9', '--out', out])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.scenario).toEqual({ name: 'Safer' })
    expect(result.comparison.players).toBe(100)
    // A tighter safety factor can only reduce or block rewards: the cost falls, profit_safety reductions rise.
    expect(result.comparison.scenario.cost).toBeLessThan(result.comparison.live.cost)
    expect(result.comparison.scenario.byReason.profit_safety ?? 0).toBeGreaterThan(result.comparison.live.byReason.profit_safety ?? 0)
    expect(result.comparison.changes).toEqual([{ area: 'setting', path: 'safetyFactor', from: 0.8, to: 0.5 }])
    expect(result.comparison.netImpact).toBe(result.comparison.scenario.net - result.comparison.live.net)
    expect(Number.isInteger(result.comparison.live.costByCurrency.BONUS)).toBe(true)
    expect(result.monteCarlo).toMatchObject({ trials: 50, seed: 9 })
    expect(result.export.path).toBe(out)

    // The same seed gives the same numbers.
    const again = JSON.parse(loyalty(['--db', db, '--json', 'simulate', '--scenario', file, '--ignore-history', '--monte-carlo', '50', '--seed', '9']).stdout)
    expect(again.monteCarlo).toEqual(result.monteCarlo)
    // With the ledger's history (the default) right after the run, nothing would be issued: the output says why.
    const withHistory = loyalty(['--db', db, 'simulate', '--scenario', file])
    expect(withHistory.code).toBe(0)
    expect(withHistory.stdout).toMatch(/Nothing would be issued on either side: the rewards of this period are already in the ledger \(155 decision\(s\) blocked as already issued\)\. Add --ignore-history/)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(out)
    const names = workbook.worksheets.map((sheet) => sheet.name)
    expect(names).toEqual(expect.arrayContaining(['Summary', 'Overview', 'Segments', 'Segment movement', 'Rewards by rule', 'Newly eligible', 'No longer eligible', 'Monte Carlo', 'Changes']))
    const overview = workbook.getWorksheet('Overview')!
    expect(overview.getCell('A1').value).toBe('Measure')
    expect(overview.getCell('A4').value).toBe('Net expected (margin − cost)')
    // Money stays a number, in major units, with a money format.
    expect(overview.getCell('B4').value).toBe(result.comparison.live.net / 100)
    expect(overview.getCell('D4').value).toBe(result.comparison.netImpact / 100)
    expect(overview.getCell('B4').numFmt).toContain('0.00')
    const rules = workbook.getWorksheet('Rewards by rule')!
    const ruleIds = rules.getColumn(1).values.slice(2)
    expect(ruleIds).toContain('LOSING_PLAYER_CASHBACK')
    const movement = workbook.getWorksheet('Segment movement')!
    let total = 0
    movement.eachRow((row, number) => {
      if (number > 1) for (let column = 2; column <= 6; column += 1) total += row.getCell(column).value as number
    })
    expect(total).toBe(100)
    expect(workbook.getWorksheet('Summary')!.getColumn(1).values).toEqual(expect.arrayContaining(['Scenario', 'Monte Carlo']))
  }, 120_000)

  it('refuses a scenario file that is not valid, naming the field', () => {
    const dir = tempDir()
    const file = join(dir, 'scenario.json')
    writeFileSync(file, JSON.stringify({ name: 'Bad', changes: { safetyFactor: 2 } }))
    const run = loyalty(['--db', join(dir, 'ledger.sqlite'), 'simulate', '--scenario', file])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('changes.safetyFactor')
  })
})

describe('Monte Carlo threads', () => {
  it('two threads give exactly the numbers one thread gives', async () => {
    const random = mulberry32(5)
    const players = Array.from({ length: 200 }, (_, index) => ({
      playerId: `P${index}`,
      totalWagered: 100_000 + Math.round(random() * 1_000_000),
      totalWon: 90_000 + Math.round(random() * 1_000_000),
      sessions: 20,
      registrationDate: '2025-01-01',
    }))
    const settings = engineSettingsSchema.parse({})
    const live = { settings, rules: compileRuleSet([{ rule_id: 'RP', conditions: {}, reward: { type: 'RP', formula: 100 } }], { minorDigits: 2 }).rules }
    const scenario = applyScenario(live, scenarioChangesSchema.parse({ safetyFactor: 0.5 }), 2)
    const detail = simulate({ players, asOf: '2026-01-31', live, scenario, changes: describeChanges(live, scenario) })
    const model = buildMonteCarloModel({ run: detail.live.run, side: detail.live.side, settings }, { run: detail.scenario.run, side: detail.scenario.side, settings: scenario.settings })
    const one = await runMonteCarloTrials(model, { trials: 120, seed: 11, threads: 1 })
    const two = await runMonteCarloTrials(model, { trials: 120, seed: 11, threads: 2 })
    expect(two.live).toEqual(one.live)
    expect(two.scenario).toEqual(one.scenario)
  })
})
