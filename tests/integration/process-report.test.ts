// The process report of a large run: past the limit of decisions a workbook lists, every decision
// goes to a CSV beside it (values neutralised like any CSV export) and the Decisions sheet keeps
// the reduced and blocked ones; under the limit the workbook lists them all and writes no CSV.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../src/shared/engine-settings'
import { runPipeline } from '../../src/main/engine/pipeline'
import { compileRuleSet } from '../../src/main/engine/rules'
import { outcomeNames } from '../../src/main/engine/evaluate'
import { writeProcessReport } from '../../src/main/jobs/process-report'
import { seedRule, wealthyLoser } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'

describe('the process report of a large run', () => {
  const tempDir = useTempDir()
  const settings = engineSettingsSchema.parse({ safetyFactor: 1, marginHorizonDays: 365, caps: { perPlayerDay: { BONUS: 300 } } })
  const ids = ['=HYPERLINK("http://x","y")', ...Array.from({ length: 11 }, (_, index) => `P${index + 1}`)]
  const players = ids.map((id, index) => wealthyLoser(id, { sessions: 1 + index }))
  const lp = { rule_id: 'LP_DAILY', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }
  const { rules } = compileRuleSet([seedRule, lp], { minorDigits: 2 })
  const result = runPipeline({ players, rules, settings, asOf: '2026-01-31' })
  const stored = rules.map((rule, index) => ({ rule, versionId: index + 1, created: false }))
  const write = (path: string, limit: number) =>
    writeProcessReport({ path, result, rules: stored, imports: [], settings, asOf: '2026-01-31', dryRun: true, evaluationId: null, generatedAt: new Date('2026-01-31T18:00:00Z'), decisionsInWorkbookMax: limit })

  it('puts every decision in a CSV beside the workbook and lists the reduced and blocked ones in it', async () => {
    const { decisions } = result.evaluation
    const notIssued = Array.from(decisions.outcome).filter((code) => outcomeNames[code] !== 'issued').length
    expect(notIssued).toBeGreaterThan(0)
    expect(decisions.count).toBeGreaterThan(notIssued)
    const dir = tempDir()
    const written = await write(join(dir, 'run.xlsx'), 5)
    expect(written.decisionsCsv).toEqual({ path: join(dir, 'run-decisions.csv'), bytes: expect.any(Number), rows: decisions.count })
    const csv = readFileSync(written.decisionsCsv!.path, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    expect(csv).toHaveLength(1 + decisions.count)
    expect(csv[0]).toMatch(/^Player,Rule,Version,Outcome/)
    // The formula-looking player id comes back as inert text.
    expect(csv.some((line) => line.startsWith(`"'=HYPERLINK(""http://x"",""y"")"`))).toBe(true)

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(written.path)
    const sheet = workbook.getWorksheet('Decisions')!
    const outcomes = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => row.getCell(4).value)
    expect(outcomes).toHaveLength(Math.min(5, notIssued))
    expect(outcomes.every((outcome) => outcome === 'reduced' || outcome === 'blocked')).toBe(true)
    const summary = workbook.getWorksheet('Summary')!
    const line = summary.getRows(1, summary.rowCount)!.find((row) => row.getCell(1).value === 'Decisions')!
    expect(line.getCell(2).value).toBe(`${decisions.count} (all in run-decisions.csv; the Decisions sheet lists ${Math.min(5, notIssued)} reduced or blocked)`)
  })

  it('lists every decision in the workbook, and writes no CSV, under the limit', async () => {
    const dir = tempDir()
    const written = await write(join(dir, 'run.xlsx'), 100_000)
    expect(written.decisionsCsv).toBeUndefined()
    expect(existsSync(join(dir, 'run-decisions.csv'))).toBe(false)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(written.path)
    expect(workbook.getWorksheet('Decisions')!.rowCount).toBe(1 + result.evaluation.decisions.count)
  })
})
