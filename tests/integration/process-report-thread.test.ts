// The process report written on its own thread (jobs/process-report-thread.ts, run by the built job
// worker) while the ledger posts: the same workbook and CSV as written inline, its errors reported
// as the inline writer's, and `process` using it end to end.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../src/shared/engine-settings'
import { runPipeline } from '../../src/main/engine/pipeline'
import { compileRuleSet } from '../../src/main/engine/rules'
import { processFiles } from '../../src/main/jobs/process'
import { writeProcessReport, type ProcessReportInput } from '../../src/main/jobs/process-report'
import { canWriteReportOnThread, writeProcessReportOnThread } from '../../src/main/jobs/process-report-thread'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { seedRule, wealthyLoser } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'

async function sheetValues(path: string): Promise<Record<string, unknown[]>> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  return Object.fromEntries(workbook.worksheets.map((sheet) => [sheet.name, sheet.getSheetValues()]))
}

describe('the process report on its own thread', () => {
  const tempDir = useTempDir()
  beforeAll(() => {
    if (!canWriteReportOnThread()) throw new Error('Build first: npm run build (npm test does).')
  })

  const settings = engineSettingsSchema.parse({ safetyFactor: 1, marginHorizonDays: 365, caps: { perPlayerDay: { BONUS: 300 } } })
  const ids = ['=HYPERLINK("http://x","y")', ...Array.from({ length: 40 }, (_, index) => `P${index + 1}`)]
  const players = ids.map((id, index) => wealthyLoser(id, { sessions: 1 + index }))
  const lp = { rule_id: 'LP_DAILY', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }
  const { rules } = compileRuleSet([seedRule, lp], { minorDigits: 2 })
  const result = runPipeline({ players, rules, settings, asOf: '2026-01-31' })
  const input = (path: string): ProcessReportInput => ({
    path,
    result,
    rules: rules.map((rule, index) => ({ rule, versionId: index + 1, created: false })),
    imports: [],
    settings,
    asOf: '2026-01-31',
    dryRun: false,
    evaluationId: 7,
    generatedAt: new Date('2026-01-31T18:00:00Z'),
    // Low, so the CSV of every decision is written too.
    decisionsInWorkbookMax: 5,
  })

  it('writes the same workbook and CSV as the inline writer', async () => {
    const inline = await writeProcessReport(input(join(tempDir(), 'run.xlsx')))
    const threaded = await writeProcessReportOnThread(input(join(tempDir(), 'run.xlsx'))).done
    expect(inline.path).not.toBe(threaded.path)
    expect(threaded.decisionsCsv!.rows).toBe(result.evaluation.decisions.count)
    // Some decisions were reduced or blocked: the Decisions sheet lists them.
    expect((await sheetValues(threaded.path)).Decisions!.length).toBeGreaterThan(2)
    expect(readFileSync(threaded.decisionsCsv!.path, 'utf8')).toBe(readFileSync(inline.decisionsCsv!.path, 'utf8'))
    expect(await sheetValues(threaded.path)).toEqual(await sheetValues(inline.path))
  })

  it('reports a failure as the inline writer does, and leaves no file', async () => {
    const dir = tempDir()
    const path = join(dir, 'missing-folder', 'run.xlsx')
    const failure = (written: Promise<unknown>) => written.then(() => new Error('the report was written'), (error: unknown) => error as Error)
    const inline = await failure(writeProcessReport(input(path)))
    const threaded = await failure(writeProcessReportOnThread(input(path)).done)
    expect(inline.message).toMatch(/missing-folder does not exist/)
    expect(threaded.message).toBe(inline.message)
    expect(existsSync(path)).toBe(false)
  })

  it('is what process uses for a large run: the report is written and the ledger posted', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const file = join(dir, 'players.csv')
    writeFileSync(file, ['player_id,total_deposited,total_wagered,total_won,sessions', ...Array.from({ length: 300 }, (_, index) => `Q${index},500,${4_000 + index},${3_000 + index},${1 + (index % 9)}`)].join('\n'))
    const options = { files: [file], rules: [seedRule, lp], defaultAsOf: '2026-01-31', now: '2026-01-31T18:00:00.000Z', actor: 'test', dryRun: false, reportPath: join(dir, 'run.xlsx') }
    const summary = await processFiles(database, { ...options, reportOnThreadFrom: 0 })
    expect(summary.ledger.posted).toBeGreaterThan(0)
    expect(summary.report).toEqual({ path: join(dir, 'run.xlsx'), bytes: expect.any(Number) })
    const sheets = await sheetValues(join(dir, 'run.xlsx'))
    expect(sheets.Decisions!.length - 2).toBe(summary.rewards.issued + Object.values(summary.rewards.blocked).reduce((sum, count) => sum + count, 0))
    // The Summary sheet names the evaluation the store wrote (the thread starts as soon as it has its id).
    expect(JSON.stringify(sheets.Summary)).toContain(`"#${summary.evaluationId}"`)
    database.close()
  })

  it('is stopped when the store fails after it started: no report, nothing stored', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const file = join(dir, 'players.csv')
    writeFileSync(file, ['player_id,total_deposited,total_wagered,total_won,sessions', ...Array.from({ length: 300 }, (_, index) => `Q${index},500,${4_000 + index},${3_000 + index},${1 + (index % 9)}`)].join('\n'))
    // The tier history is written after the decisions, well after the evaluation row that starts the thread.
    database.write((_transaction, statements) => statements.prepare("CREATE TRIGGER refuse_tier_history BEFORE INSERT ON tier_history BEGIN SELECT RAISE(ABORT, 'disk trouble'); END").run())
    const options = { files: [file], rules: [seedRule, lp], defaultAsOf: '2026-01-31', now: '2026-01-31T18:00:00.000Z', actor: 'test', dryRun: false, reportPath: join(dir, 'run.xlsx') }
    await expect(processFiles(database, { ...options, reportOnThreadFrom: 0 })).rejects.toThrow('disk trouble')
    // Longer than the thread takes to write this report (well under a second): a thread left running would have written it by now.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    expect(existsSync(join(dir, 'run.xlsx'))).toBe(false)
    expect(existsSync(join(dir, 'run-decisions.csv'))).toBe(false)
    expect(database.readRaw('SELECT count(*) AS count FROM evaluations').get()).toEqual({ count: 0 })
    database.close()
  })
})
