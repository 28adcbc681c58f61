// The import readers against their peers on the same synthetic player files (1,000,000 rows; quick:
// 100,000), as CSV and as XLSX:
//   ours (read)              readCsvFileBatches / readXlsxBatches alone (rows in batches, as the importer
//                            takes them): every row's cells, nothing else;
//   ours (read + import)     the same, plus what the importer does per row: findHeaderRow over the first
//                            20 rows (mapHeader), then isBlankRow and the compiled row validator on each
//                            data row (parse + validate + map to a PlayerRecord);
//   csv-parse                its streaming parser (createReadStream | parse), records counted;
//   exceljs                  its streaming WorkbookReader, every row's values materialised.
// Rows/s are end to end: opening the file to the last row (for XLSX: the shared strings table too).
//
// Each measurement runs in its own child process (this file, run with --child), so one reader's
// garbage, JIT state or heap growth cannot colour another's figures, and the peak RSS reported is
// the child's own high-water mark (getrusage maxRSS, exact, not sampled). A child that only loads
// the modules gives the floor (node + tsx + the readers) that every figure includes.
//
// Files (generated once, cached under .cache/bench/, reused while the generator's seed and size match):
//   CSV and XLSX from scripts/gen/synthetic.ts (writeSyntheticPlayers). Its XLSX is written without
//   shared strings (exceljs keeps every distinct string in memory until commit otherwise), so a
//   second XLSX of the same players WITH shared strings — what Excel itself writes — is made here
//   with exceljs's WorkbookWriter; the XLSX target (≥ 100k rows/s) is for that one.
// Children run through tsx, whose esbuild transform wraps closures created in hot loops in __name()
// (see engine.ts); the readers and the compiled row validator avoid per-row closures.
import { spawn } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import { findHeaderRow } from '../../../src/main/io/import/columns'
import { isBlankRow } from '../../../src/main/io/import/rows'
import { compileRowValidator, type RowValidator } from '../../../src/main/io/import/row-validator'
import { readCsvFileBatches } from '../../../src/main/io/readers/csv'
import { readXlsxBatches } from '../../../src/main/io/readers/xlsx'
import { defaultSyntheticSeed, syntheticAsOf, syntheticColumns, syntheticPlayer, writeSyntheticPlayers } from '../../gen/synthetic'
import { perSecond, ratio, type BenchResult, type Suite } from '../lib'

const suiteName = 'import'
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const cacheDir = join(repoRoot, '.cache', 'bench')
const thisFile = fileURLToPath(import.meta.url)
/** Targets from the issue, for ours (read + import). */
const targets = { csvRowsPerSecond: 500_000, xlsxRowsPerSecond: 100_000, peakRssMiB: 400 }

type Task = 'noop' | 'ours-csv' | 'ours-csv-import' | 'csv-parse' | 'ours-xlsx' | 'ours-xlsx-import' | 'exceljs' | 'gen-csv' | 'gen-xlsx' | 'gen-xlsx-shared'

interface ChildResult {
  rows: number
  seconds: number
  /** The child's peak RSS in bytes (getrusage high-water mark). */
  maxRss: number
  valid?: number
  invalid?: number
}

// ---- what runs inside a child --------------------------------------------------------------------

interface SheetRow {
  rowNumber: number
  cells: readonly unknown[]
}

/** The importer's per-row work over a stream of rows: header detection, then validate and map. */
async function importRows(batches: AsyncIterable<readonly SheetRow[]>): Promise<{ rows: number; valid: number; invalid: number }> {
  const head: SheetRow[] = []
  let validate: RowValidator | undefined
  let headerRow = 0
  let count = 0
  let valid = 0
  let invalid = 0
  const take = (row: SheetRow) => {
    // The importer looks for a total row only among the last rows of the file (import-file.ts).
    if (row.rowNumber <= headerRow || isBlankRow(row.cells)) return
    const result = validate!(row.cells, row.rowNumber)
    if ('record' in result) valid += 1
    else invalid += 1
  }
  const decide = () => {
    const found = findHeaderRow(head.map((row) => row.cells))
    if (!found || found.header.missingRequired.length > 0) throw new Error(`no usable header in the first ${head.length} rows`)
    validate = compileRowValidator(found.header.columns, { asOf: syntheticAsOf, minorDigits: 2, dateOrder: 'DMY' })
    headerRow = head[found.rowIndex]!.rowNumber
    for (const row of head) take(row)
    head.length = 0
  }
  for await (const batch of batches) {
    for (const row of batch) {
      count += 1
      if (validate) take(row)
      else {
        head.push(row)
        if (head.length === 20) decide()
      }
    }
  }
  if (!validate) decide()
  return { rows: count, valid, invalid }
}

async function countRows(batches: AsyncIterable<readonly SheetRow[]>): Promise<number> {
  let count = 0
  let cells = 0
  for await (const batch of batches) {
    for (const row of batch) {
      count += 1
      cells += row.cells.length
    }
  }
  if (cells === 0 && count > 0) throw new Error('rows without cells')
  return count
}

/** exceljs's own writer, with shared strings, for the same players as writeSyntheticPlayers. */
async function writeSharedStringsXlsx(path: string, players: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true })
  const sheet = workbook.addWorksheet('Players')
  const money = (minor: number | undefined) => (minor === undefined ? null : minor / 100)
  const date = (iso: string | undefined) => (iso === undefined ? null : new Date(`${iso}T00:00:00Z`))
  sheet.columns = syntheticColumns.map((header) => ({
    header,
    key: header,
    style: header.startsWith('total_') || header === 'bonus_received' ? { numFmt: '#,##0.00' } : header.endsWith('_date') ? { numFmt: 'yyyy-mm-dd' } : {},
  }))
  sheet.getRow(1).commit()
  for (let i = 0; i < players; i += 1) {
    const p = syntheticPlayer(i, defaultSyntheticSeed)
    sheet
      .addRow([
        p.playerId,
        money(p.totalDeposited),
        money(p.totalWagered),
        money(p.totalWon),
        p.sessions,
        p.playtimeHours,
        date(p.lastDepositDate),
        date(p.registrationDate),
        money(p.totalWithdrawn),
        money(p.bonusReceived),
        p.country ?? null,
        p.ip ?? null,
        p.deviceId ?? null,
        p.gameTypes?.join(', ') ?? null,
        date(p.lastActiveDate),
      ])
      .commit()
    // exceljs ignores backpressure between the sheet and the zip; yielding lets the zip catch up.
    if ((i + 1) % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  sheet.commit()
  await workbook.commit()
}

async function runChild(task: Task, file: string, players: number): Promise<ChildResult> {
  const start = process.hrtime.bigint()
  let rows = 0
  let valid: number | undefined
  let invalid: number | undefined
  switch (task) {
    case 'noop':
      break
    case 'ours-csv':
      rows = await countRows(readCsvFileBatches(file))
      break
    case 'ours-xlsx':
      rows = await countRows(readXlsxBatches(file))
      break
    case 'ours-csv-import':
    case 'ours-xlsx-import':
      ;({ rows, valid, invalid } = await importRows(task === 'ours-csv-import' ? readCsvFileBatches(file) : readXlsxBatches(file)))
      break
    case 'csv-parse':
      for await (const record of createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(parse({ bom: true, relax_column_count: true }))) {
        if ((record as string[]).length > 0) rows += 1
      }
      break
    case 'exceljs': {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' })
      for await (const sheet of reader) {
        for await (const row of sheet as AsyncIterable<ExcelJS.Row>) if ((row.values as unknown[]).length > 0) rows += 1
      }
      break
    }
    case 'gen-csv':
    case 'gen-xlsx':
    case 'gen-xlsx-shared': {
      // Written under a temporary name: an interrupted run never leaves a partial file in the cache.
      const partial = `${file}.partial`
      if (task === 'gen-xlsx-shared') await writeSharedStringsXlsx(partial, players)
      else await writeSyntheticPlayers(partial, { players, format: task === 'gen-csv' ? 'csv' : 'xlsx', seed: defaultSyntheticSeed })
      renameSync(partial, file)
      break
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return { rows, seconds, maxRss: process.resourceUsage().maxRSS * 1024, ...(valid === undefined ? {} : { valid, invalid }) }
}

// ---- the parent -------------------------------------------------------------------------------------

function child(task: Task, file: string, players = 0): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', thisFile, '--child', task, file, String(players)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    proc.stdout.setEncoding('utf8')
    proc.stdout.on('data', (text: string) => (out += text))
    proc.on('error', reject)
    proc.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`child ${task} ${file} exited with ${code}: ${out.slice(-500)}`))
        return
      }
      resolve(JSON.parse(line) as ChildResult)
    })
  })
}

async function cachedFile(name: string, task: 'gen-csv' | 'gen-xlsx' | 'gen-xlsx-shared', players: number): Promise<{ path: string; note: string }> {
  const path = join(cacheDir, name)
  if (existsSync(path)) return { path, note: 'cached' }
  mkdirSync(dirname(path), { recursive: true })
  rmSync(`${path}.partial`, { force: true })
  const made = await child(task, path, players)
  return { path, note: `generated in ${made.seconds.toFixed(0)} s` }
}

const count = (n: number) => n.toLocaleString('en-US')
const mib = (bytes: number) => bytes / 2 ** 20

const suite: Suite = {
  name: suiteName,
  description: 'import readers (CSV, XLSX; alone and with header mapping + row validation) vs csv-parse and exceljs on 1M player rows',
  async run({ quick }) {
    const players = quick ? 100_000 : 1_000_000
    const tag = `${players}-${defaultSyntheticSeed}`
    const csv = await cachedFile(`players-${tag}.csv`, 'gen-csv', players)
    const xlsxShared = await cachedFile(`players-${tag}-shared-strings.xlsx`, 'gen-xlsx-shared', players)
    const xlsxInline = await cachedFile(`players-${tag}.xlsx`, 'gen-xlsx', players)
    const results: BenchResult[] = []
    const floor = await child('noop', csv.path)
    const oursPeaks: number[] = []

    const measure = async (label: string, file: string, fileNote: string, ours: Task, oursImport: Task, peer: Task, peerName: string, target: number) => {
      const mine = await child(ours, file)
      const imported = await child(oursImport, file)
      const theirs = await child(peer, file)
      const expectedRows = players + 1 // header + one row per player
      for (const [who, run] of [[ours, mine], [oursImport, imported], [peer, theirs]] as const) {
        if (run.rows !== expectedRows) throw new Error(`${who} read ${run.rows} rows of ${file}, expected ${expectedRows}`)
      }
      if (imported.valid !== players) throw new Error(`${oursImport}: ${imported.valid} valid rows and ${imported.invalid} invalid, expected ${players} valid`)
      oursPeaks.push(mine.maxRss, imported.maxRss)
      const rate = (run: ChildResult) => perSecond(run.rows, run.seconds)
      const rss = (run: ChildResult) => `peak RSS ${mib(run.maxRss).toFixed(0)} MiB`
      results.push({
        suite: suiteName,
        name: `${label}: ours, read`,
        value: rate(mine),
        unit: 'rows/s',
        note: `${count(mine.rows)} rows in ${mine.seconds.toFixed(2)} s; ${rss(mine)}; file ${fileNote}; ratio = × ${peerName}'s rows/s`,
        peers: { [peerName]: ratio(rate(mine), rate(theirs)) },
      })
      const met = rate(imported) >= target ? 'met' : 'MISSED'
      results.push({
        suite: suiteName,
        name: `${label}: ours, read + import`,
        value: rate(imported),
        unit: 'rows/s',
        note: `header mapping + row validator → ${count(imported.valid!)} records in ${imported.seconds.toFixed(2)} s; ${rss(imported)}; target ≥ ${count(target)} rows/s${quick ? ' (at 1M)' : ` ${met}`}`,
        peers: { [peerName]: ratio(rate(imported), rate(theirs)) },
      })
      results.push({
        suite: suiteName,
        name: `${label}: ${peerName}`,
        value: rate(theirs),
        unit: 'rows/s',
        note: `${count(theirs.rows)} rows in ${theirs.seconds.toFixed(2)} s; ${rss(theirs)}`,
      })
    }

    await measure('CSV', csv.path, csv.note, 'ours-csv', 'ours-csv-import', 'csv-parse', 'csv-parse', targets.csvRowsPerSecond)
    await measure('XLSX, shared strings', xlsxShared.path, xlsxShared.note, 'ours-xlsx', 'ours-xlsx-import', 'exceljs', 'exceljs', targets.xlsxRowsPerSecond)
    await measure('XLSX, inline strings', xlsxInline.path, xlsxInline.note, 'ours-xlsx', 'ours-xlsx-import', 'exceljs', 'exceljs', targets.xlsxRowsPerSecond)

    const peak = mib(Math.max(...oursPeaks))
    results.push({
      suite: suiteName,
      name: 'ours: peak RSS, largest',
      value: peak,
      unit: 'MiB',
      note: `each reader in its own process (getrusage high-water mark), of which ${mib(floor.maxRss).toFixed(0)} MiB is node + tsx + the modules loaded; target < ${targets.peakRssMiB} MiB ${peak < targets.peakRssMiB ? 'met' : 'MISSED'}`,
    })
    return results
  },
}

export default suite

// A child: `node --import tsx import.ts --child TASK FILE [PLAYERS]` prints one JSON line.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--child') {
  const [task, file, players] = process.argv.slice(3) as [Task, string, string | undefined]
  const result = await runChild(task, file, Number(players ?? 0))
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
