// The reports workbook as a manager receives it: read back with exceljs (types, formats, frozen
// header, filters, charts as pictures, formula-looking text inert), and `loyalty report` on the
// sample converted by LibreOffice to a PDF with a page per sheet.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { processFiles } from '../../src/main/jobs/process'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { writeSetting } from '../../src/main/ledger/settings-store'
import { exportReports } from '../../src/main/reports'
import { restoreNeutralised } from '../../src/main/io/spreadsheet-safety'
import { useTempDir } from '../helpers/temp'

const evil = '=HYPERLINK("http://x","y")'
const bin = join(process.cwd(), 'bin', 'loyalty.js')
const samples = join(process.cwd(), 'resources', 'samples')

function loyalty(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('reports workbook', () => {
  const tempDir = useTempDir()

  it('has the parameters, a typed and formatted sheet per report, charts as pictures, and inert text', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    database.write((transaction) => writeSetting(transaction, 'engine', { safetyFactor: 1, marginHorizonDays: 365 }, '2026-01-01T00:00:00.000Z'))
    // The formula-looking id stopped playing in December: it heads the churn list.
    const csv = [
      'Player summary — exported 2026-01-31',
      'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date',
      `"${evil.replaceAll('"', '""')}","9,000.00","50,000.00","40,000.00",30,2025-12-01,2025-01-01`,
      'P2,"1,000.00","5,000.00","4,500.00",12,2026-01-29,2025-06-01',
    ].join('\n')
    writeFileSync(join(dir, 'players.csv'), csv)
    const rules = [{ rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' } }]
    await processFiles(database, { files: [join(dir, 'players.csv')], rules, defaultAsOf: '2026-02-01', now: '2026-01-31T18:00:00.000Z', actor: 'test', dryRun: false })

    const path = join(dir, 'reports.xlsx')
    const written = await exportReports(database, { path, from: '2026-01-01', to: '2026-01-31' }, new Date('2026-02-01T09:30:00Z'))
    database.close()
    expect(written.sheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Rule ROI', 'Segments', 'Profit', 'Churn risk', 'Liability'])

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const summary = workbook.getWorksheet('Summary')!
    const parameters = new Map<string, ExcelJS.Cell>()
    summary.eachRow((row) => parameters.set(String(row.getCell(1).value), row.getCell(2)))
    expect(parameters.get('From')!.value).toEqual(new Date('2026-01-01T00:00:00Z'))
    expect(parameters.get('To')!.value).toEqual(new Date('2026-01-31T00:00:00Z'))
    expect(parameters.get('Currency')!.value).toBe('EUR (2 decimals)')
    expect(parameters.get('Generated at (UTC)')!.value).toEqual(new Date('2026-02-01T09:30:00Z'))

    for (const name of ['Rule ROI', 'Segments', 'Profit', 'Churn risk', 'Liability']) {
      const sheet = workbook.getWorksheet(name)!
      expect(sheet.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 })
      expect(sheet.autoFilter, name).toMatch(/^A1:[A-Z]+\d+$/)
      expect(sheet.getRow(1).font?.bold, name).toBe(true)
    }
    // Every report but the churn list carries its chart as a picture.
    for (const name of ['Rule ROI', 'Segments', 'Profit', 'Liability']) expect(workbook.getWorksheet(name)!.getImages(), name).toHaveLength(1)

    const headers = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1)
    const segments = workbook.getWorksheet('Segments')!
    const ggrColumn = headers(segments).indexOf('GGR') + 1
    const total = segments.getRow(segments.rowCount)
    expect(total.getCell(1).value).toBe('Total')
    // 10,000.00 + 500.00 GGR, a number in major units with the money format.
    expect(total.getCell(ggrColumn).value).toBe(10_500)
    expect(total.getCell(ggrColumn).numFmt).toBe('#,##0.00 "EUR"')
    const costShare = segments.getRow(2).getCell(headers(segments).indexOf('Cost / GGR') + 1)
    expect(costShare.numFmt).toBe('0.0%')

    const churn = workbook.getWorksheet('Churn risk')!
    const player = churn.getRow(2).getCell(1)
    expect(player.type).toBe(ExcelJS.ValueType.String)
    expect(player.value).toBe(`'${evil}`)
    expect(restoreNeutralised(player.value as string)).toBe(evil)
    expect(churn.getRow(2).getCell(headers(churn).indexOf('Last active') + 1).value).toEqual(new Date('2025-12-01T00:00:00Z'))
    expect(churn.getRow(2).getCell(headers(churn).indexOf('Days inactive') + 1).value).toBe(61)

    const roi = workbook.getWorksheet('Rule ROI')!
    expect(roi.getRow(2).getCell(1).value).toBe('LP_PER_SESSION')
    expect(roi.getRow(2).getCell(headers(roi).indexOf('Note') + 1).value).toBe('no control group: ROI not measurable')
  })
})

// LibreOffice and poppler's pdftotext are test prerequisites (.ci/run installs both).
const soffice = ['soffice', 'libreoffice'].find((command) => spawnSync('which', [command]).status === 0)

describe('loyalty report on the sample', () => {
  const tempDir = useTempDir()
  beforeAll(() => {
    if (!existsSync(join(process.cwd(), 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build (npm test does).')
  })

  it('refuses a date that does not exist (a usage error) or a range that ends before it starts, naming the option', () => {
    const db = join(tempDir(), 'ledger.sqlite')
    const impossible = loyalty(['--db', db, 'report', '--from', '2026-02-30'])
    expect(impossible.code).toBe(2)
    expect(impossible.stderr).toMatch(/option '--from <date>' argument '2026-02-30' is invalid\. It must be a real calendar date as YYYY-MM-DD: there is no day 2026-02-30\./)
    const backwards = loyalty(['--db', db, 'report', '--from', '2026-03-01', '--to', '2026-02-01'])
    expect(backwards.code).toBe(1)
    expect(backwards.stderr).toContain('at "from": must not be after "to"')
    const period = loyalty(['--db', db, 'report', '--period', 'year'])
    expect(period.code).toBe(2)
    expect(period.stderr).toMatch(/option '--period <period>' argument 'year' is invalid\. Expected one of day, week, month\./)
  })

  it('prints the reports as JSON consistent with the run, and writes a workbook LibreOffice turns into one page per sheet', { timeout: 180_000 }, () => {
    if (!soffice) throw new Error('LibreOffice is needed for this test: apt-get install libreoffice-calc-nogui (see README).')
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const run = loyalty(['--db', db, '--json', 'process', join(samples, 'players.xlsx'), join(samples, 'events.jsonl')])
    expect(run.code).toBe(0)
    const processed = JSON.parse(run.stdout) as { asOf: string; segments: Record<string, number>; rewards: { byCurrency: Record<string, number> } }

    const out = join(dir, 'report.xlsx')
    const report = loyalty(['--db', db, '--json', 'report', '--out', out])
    expect(report.stderr).toBe('')
    expect(report.code).toBe(0)
    const json = JSON.parse(report.stdout) as {
      range: { from: string; to: string }
      ruleRoi: { rows: { ruleId: string; status: string; note: string }[] }
      segments: { rows: { segment: string; players: number }[] }
      liability: { rows: { currency: string; outstanding: number }[] }
      export: { path: string; sheets: { name: string }[] }
    }
    expect(json.range).toEqual({ from: processed.asOf, to: processed.asOf })
    expect(Object.fromEntries(json.segments.rows.map((row) => [row.segment, row.players]))).toEqual(processed.segments)
    // The sample's rules have no hold-out: every rule that paid says ROI cannot be measured.
    const paying = json.ruleRoi.rows.filter((row) => row.status !== 'no_rewards')
    expect(paying.length).toBeGreaterThan(0)
    expect(paying.every((row) => row.status === 'no_control_group' && row.note === 'no control group: ROI not measurable')).toBe(true)
    // Nothing was redeemed or expired yet: what is owed is what was issued.
    for (const currency of ['BONUS', 'RP', 'LP', 'TICKETS']) {
      expect(json.liability.rows.find((row) => row.currency === currency)!.outstanding, currency).toBe(processed.rewards.byCurrency[currency])
    }
    expect(json.export.path).toBe(out)

    execFileSync(soffice!, ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'pdf', '--outdir', dir, out], { stdio: 'ignore', timeout: 150_000 })
    const pdf = join(dir, 'report.pdf')
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((page) => page.trim() !== '')
    // Each sheet fits the width of one landscape page: Summary, then one page per report.
    expect(pages).toHaveLength(6)
    expect(pages[0]).toContain(`Loyalty Workstation — reports ${processed.asOf} to ${processed.asOf}`)
    expect(pages[0]).toContain('EUR (2 decimals)')
    expect(pages[1]).toContain('no control group: ROI not measurable')
    for (const segment of ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING', 'Total']) expect(pages[2]).toContain(segment)
    expect(pages[3]).toMatch(/Nov 2026\s+\d+\s+[\d,]+\.\d\d EUR/)
    expect(pages[4]).toMatch(/no activity for \d+ days/)
    expect(pages[5]).toMatch(/TICKETS\s+\d+/)
  })
})
