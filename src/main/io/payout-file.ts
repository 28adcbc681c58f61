// Payout files exchanged with the real gaming platform.
//
// Out: the payout file (CSV or XLSX), streamed page by page into a temporary file in the target
// folder, flushed to disk, closed and only then renamed into place — a crash or a failed write
// never leaves a half-written file under the operator's name. The caller marks rows exported
// only after writePayoutFile() has resolved.
//
// In: the platform's confirmation file (CSV or XLSX) as raw rows (reference, status, note) with
// the row numbers the operator sees in Excel; validating them is the ledger's job.
//
// Every text cell goes through spreadsheet-safety (formula-injection neutralisation).
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import ExcelJS from 'exceljs'
import { sheetDrained } from './export/sheet-backpressure'
import { ApiFailure } from '../../shared/api/result'
import { isMoneyCurrency, type Currency } from '../../shared/money'
import { writeAtomically, type AtomicFile, type AtomicFileOptions } from './atomic-file'
import { csvField, neutraliseCell, xlsxCellValue } from './spreadsheet-safety'
import { dateFormat, dateTimeFormat, moneyFormat, styleHeaderRow } from './spreadsheet-format'

export { hashFile } from './atomic-file'
export { moneyFormat } from './spreadsheet-format'

export type PayoutFileFormat = 'csv' | 'xlsx'

/** One payout as it leaves the workstation. Amounts are integers (minor units / whole points). */
export interface PayoutFileRow {
  /** The platform's player id (players.external_id). */
  playerId: string
  currency: Currency
  amountMinor: number
  /** Wagering requirement as a multiple of the bonus (BONUS only). */
  wageringMultiple: number | null
  /** Largest bet allowed while wagering, minor units (BONUS only). */
  maxBetMinor: number | null
  /** ISO date or timestamp as stored in the ledger (UTC). */
  expiresAt: string | null
  eligibleGames: readonly string[]
  reference: string
}

export interface PayoutColumn {
  key: string
  header: string
  width: number
}

/** The payout file's columns, in order. */
export const payoutColumns: readonly PayoutColumn[] = [
  { key: 'player_id', header: 'player_id', width: 24 },
  { key: 'currency', header: 'currency', width: 10 },
  { key: 'amount', header: 'amount', width: 16 },
  { key: 'amount_minor', header: 'amount_minor', width: 16 },
  { key: 'wagering_multiple', header: 'wagering_multiple', width: 18 },
  { key: 'max_bet', header: 'max_bet', width: 14 },
  { key: 'expires_at', header: 'expires_at', width: 20 },
  { key: 'eligible_games', header: 'eligible_games', width: 32 },
  { key: 'reference', header: 'reference', width: 48 },
]

/** Separator between eligible game types in one cell: not a CSV delimiter in any locale. */
export const eligibleGamesSeparator = '|'

export interface WritePayoutFileOptions {
  path: string
  format: PayoutFileFormat
  /** Digits of the money currency's minor unit (2 for cents). */
  minorDigits: number
  /** Replace an existing file at `path`. Default false: an existing file is refused. */
  overwrite?: boolean
}

export interface WrittenFile {
  file: string
  rows: number
  bytes: number
  sha256: string
}

/**
 * Writes every page of rows to `options.path` atomically (temp file in the same folder, fsync,
 * close, rename). Resolves only once the complete file is in place; on any failure the temp file
 * is removed, nothing is left at `path`, and the error is an ApiFailure naming the file.
 */
export async function writePayoutFile(options: WritePayoutFileOptions, pages: AsyncIterable<readonly PayoutFileRow[]>): Promise<WrittenFile> {
  checkMinorDigits(options.minorDigits)
  const target = options.path
  const atomic: AtomicFileOptions = { overwrite: options.overwrite ?? false, wording: payoutWording }
  try {
    const written = await writeAtomically(target, atomic, (file) =>
      options.format === 'xlsx' ? writeXlsx(file, pages, options.minorDigits) : writeCsv(file, pages, options.minorDigits),
    )
    return { file: target, rows: written.value, bytes: written.bytes, sha256: written.sha256 }
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw new ApiFailure('refused', `Could not write the payout file ${target}: ${(error as Error).message}`)
  }
}

const payoutWording = {
  what: 'the payout file',
  untouched: 'nothing was written or marked exported',
  untouchedAfterWrite: 'nothing was marked exported',
  afterOpenFailure: ' Nothing was marked exported.',
}

function checkMinorDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) throw new ApiFailure('invalid_input', `minorDigits must be a whole number from 0 to 6, got ${digits}.`)
}

/** Amount in major units as a number: 12345 minor with 2 digits → 123.45; points unchanged. */
export function majorAmount(minor: number, currency: Currency, minorDigits: number): number {
  return isMoneyCurrency(currency) ? minor / 10 ** minorDigits : minor
}

function amountDigits(currency: Currency, minorDigits: number): number {
  return isMoneyCurrency(currency) ? minorDigits : 0
}

export const pointsFormat = '0'

// ---------------------------------------------------------------------------------------------
// CSV: UTF-8 with a BOM (so Excel detects the encoding), comma separated, CRLF line ends.

const csvLineEnd = '\r\n'

async function writeCsv(file: AtomicFile, pages: AsyncIterable<readonly PayoutFileRow[]>, minorDigits: number): Promise<number> {
  await file.write('\uFEFF' + payoutColumns.map((column) => csvField(column.header)).join(',') + csvLineEnd)
  let rows = 0
  for await (const page of pages) {
    let text = ''
    for (const row of page) {
      const digits = amountDigits(row.currency, minorDigits)
      text +=
        [
          csvField(row.playerId),
          csvField(row.currency),
          csvField(majorAmount(row.amountMinor, row.currency, minorDigits), { decimals: digits }),
          csvField(row.amountMinor),
          csvField(row.wageringMultiple),
          row.maxBetMinor === null ? '' : csvField(row.maxBetMinor / 10 ** minorDigits, { decimals: minorDigits }),
          csvField(row.expiresAt),
          csvField(row.eligibleGames.join(eligibleGamesSeparator)),
          csvField(row.reference),
        ].join(',') + csvLineEnd
    }
    rows += page.length
    if (text) await file.write(text)
  }
  return rows
}

// ---------------------------------------------------------------------------------------------
// XLSX: exceljs's streaming writer; bold frozen header, auto-filter, number formats, real dates.

async function writeXlsx(file: AtomicFile, pages: AsyncIterable<readonly PayoutFileRow[]>, minorDigits: number): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file.stream, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Loyalty Workstation'
  const sheet = workbook.addWorksheet('Payouts', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
  })
  sheet.columns = payoutColumns.map((column) => ({ key: column.key, width: column.width }))
  const header = sheet.addRow(payoutColumns.map((column) => xlsxCellValue(column.header)))
  styleHeaderRow(header)
  header.commit()
  const money = moneyFormat(minorDigits)
  let rows = 0
  for await (const page of pages) {
    for (const item of page) {
      const expires = toExcelDate(item.expiresAt)
      const row = sheet.addRow([
        xlsxCellValue(item.playerId),
        xlsxCellValue(item.currency),
        majorAmount(item.amountMinor, item.currency, minorDigits),
        item.amountMinor,
        item.wageringMultiple,
        item.maxBetMinor === null ? null : item.maxBetMinor / 10 ** minorDigits,
        expires.value,
        xlsxCellValue(item.eligibleGames.join(eligibleGamesSeparator)),
        xlsxCellValue(item.reference),
      ])
      row.getCell(3).numFmt = isMoneyCurrency(item.currency) ? money : pointsFormat
      row.getCell(4).numFmt = pointsFormat
      if (item.maxBetMinor !== null) row.getCell(6).numFmt = money
      if (expires.format) row.getCell(7).numFmt = expires.format
      row.commit()
    }
    rows += page.length
    // Let the zip stream and the file catch up before the next page, so memory stays flat.
    await new Promise<void>((resolve) => setImmediate(resolve))
    // exceljs queues committed rows' XML without backpressure; wait for its zip to take them.
    await sheetDrained(sheet)
    await file.drained()
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows + 1, column: payoutColumns.length } }
  sheet.commit()
  await workbook.commit()
  return rows
}

/** A stored ISO date (`2026-03-01`) or timestamp as a JS Date for Excel (UTC), else neutralised text. */
function toExcelDate(stored: string | null): { value: Date | string | null; format?: string } {
  if (stored === null || stored === '') return { value: null }
  if (/^\d{4}-\d{2}-\d{2}$/.test(stored)) {
    const date = new Date(`${stored}T00:00:00.000Z`)
    if (!Number.isNaN(date.getTime())) return { value: date, format: dateFormat }
  }
  const parsed = Date.parse(stored)
  if (/^\d{4}-\d{2}-\d{2}T/.test(stored) && !Number.isNaN(parsed)) return { value: new Date(parsed), format: dateTimeFormat }
  return { value: neutraliseCell(stored) }
}

// ---------------------------------------------------------------------------------------------
// Confirmation file reader.

export interface ConfirmationRow {
  /** 1-based row number as the operator sees it in Excel (the header row counts). */
  rowNumber: number
  reference: string
  status: string
  note: string
}

export interface ConfirmationHeader {
  format: PayoutFileFormat
  /** Row number of the header. */
  headerRow: number
  columns: { reference: number; status: number; note: number | null }
  delimiter?: string
  sheet?: string
}

const headerSynonyms = {
  reference: ['reference', 'ref', 'payout_reference', 'payout_ref'],
  status: ['status', 'result', 'payout_status', 'state'],
  note: ['note', 'notes', 'comment', 'comments', 'message', 'reason'],
} as const

/** Rows above the header we look through (title rows, blank rows). */
const headerSearchRows = 20
const csvSniffBytes = 64 * 1024
const csvDelimiters = [',', ';', '\t'] as const

function normaliseHeader(text: string): string {
  return text.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_')
}

function findColumns(cells: readonly string[]): ConfirmationHeader['columns'] | null {
  const names = cells.map(normaliseHeader)
  const indexOf = (synonyms: readonly string[]) => names.findIndex((name) => synonyms.includes(name))
  const reference = indexOf(headerSynonyms.reference)
  if (reference < 0) return null
  const status = indexOf(headerSynonyms.status)
  const note = indexOf(headerSynonyms.note)
  return { reference, status, note: note < 0 ? null : note }
}

/** CSV or XLSX by extension (content sniffed for anything else). */
export async function confirmationFormat(path: string): Promise<PayoutFileFormat> {
  const extension = extname(path).toLowerCase()
  if (extension === '.xlsx' || extension === '.xlsm') return 'xlsx'
  if (extension === '.csv' || extension === '.txt' || extension === '.tsv') return 'csv'
  if (extension === '.xls') {
    throw new ApiFailure('invalid_input', `${basename(path)} is an old-style .xls workbook; save it as .xlsx or CSV and try again.`)
  }
  const head = await readHead(path, 4)
  return head[0] === 0x50 && head[1] === 0x4b ? 'xlsx' : 'csv'
}

/**
 * Reads the platform's confirmation file row by row. The header row is the first of the first
 * 20 rows with a `reference` column; a `status` column is required, `note` is optional. Blank
 * rows are skipped (but counted, so row numbers match Excel's).
 */
export async function* readConfirmationRows(path: string): AsyncGenerator<ConfirmationRow, void, undefined> {
  const format = await confirmationFormat(path)
  if (format === 'xlsx') yield* readXlsxConfirmation(path)
  else yield* readCsvConfirmation(path)
}

function missingHeader(path: string, firstCells: readonly string[] | undefined): ApiFailure {
  const found = (firstCells ?? []).map((cell) => cell.trim()).filter(Boolean)
  return new ApiFailure(
    'invalid_input',
    `${basename(path)} has no "reference" column in its first ${headerSearchRows} rows` +
      (found.length ? ` (the first row has: ${found.slice(0, 20).join(', ')})` : ' (it looks empty)') +
      '. A confirmation file needs the columns reference and status, and may have note.',
  )
}

function missingStatus(path: string, cells: readonly string[], row: number): ApiFailure {
  return new ApiFailure(
    'invalid_input',
    `${basename(path)}: the header on row ${row} has a reference column but no status column (found: ${cells.map((cell) => cell.trim()).filter(Boolean).join(', ')}).`,
  )
}

function rowFrom(cells: readonly string[], rowNumber: number, columns: ConfirmationHeader['columns']): ConfirmationRow | null {
  const reference = (cells[columns.reference] ?? '').trim()
  const status = (cells[columns.status] ?? '').trim()
  const note = columns.note === null ? '' : (cells[columns.note] ?? '').trim()
  if (reference === '' && status === '' && note === '' && cells.every((cell) => cell.trim() === '')) return null
  return { rowNumber, reference, status, note }
}

// --- CSV ---

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

function encodingOf(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  return 'utf-8'
}

async function* decodedChunks(path: string, encoding: string, limitBytes?: number): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder(encoding)
  const stream = createReadStream(path, limitBytes === undefined ? {} : { start: 0, end: limitBytes - 1 })
  let first = true
  for await (const chunk of stream) {
    let text = decoder.decode(chunk as Buffer, { stream: true })
    if (first) {
      text = text.replace(/^\uFEFF/, '')
      first = false
    }
    if (text) yield text
  }
  const rest = decoder.decode()
  if (rest) yield first ? rest.replace(/^\uFEFF/, '') : rest
}

async function* readCsvConfirmation(path: string): AsyncGenerator<ConfirmationRow, void, undefined> {
  const encoding = encodingOf(await readHead(path, 4))
  const sniff = await sniffCsvHeader(path, encoding)
  let rowNumber = 0
  let columns: ConfirmationHeader['columns'] | null = null
  for await (const cells of csvRecords(decodedChunks(path, encoding), sniff.delimiter)) {
    rowNumber += 1
    if (rowNumber < sniff.headerRow) continue
    if (rowNumber === sniff.headerRow) {
      columns = findColumns(cells)
      if (!columns) throw missingHeader(path, cells)
      if (columns.status < 0) throw missingStatus(path, cells, rowNumber)
      continue
    }
    const row = columns ? rowFrom(cells, rowNumber, columns) : null
    if (row) yield row
  }
  if (!columns) throw missingHeader(path, undefined)
}

/** The delimiter and header row: the first delimiter under which one of the first rows has a reference column. */
async function sniffCsvHeader(path: string, encoding: string): Promise<{ delimiter: string; headerRow: number }> {
  let sample = ''
  for await (const text of decodedChunks(path, encoding, csvSniffBytes)) sample += text
  let firstCells: string[] | undefined
  for (const delimiter of csvDelimiters) {
    let rowNumber = 0
    try {
      for await (const cells of csvRecords(one(sample), delimiter, { lenientEnd: true })) {
        rowNumber += 1
        if (rowNumber > headerSearchRows) break
        if (delimiter === ',' && !firstCells && cells.some((cell) => cell.trim() !== '')) firstCells = cells
        if (findColumns(cells)) return { delimiter, headerRow: rowNumber }
      }
    } catch {
      // an unterminated quote in the sample's last row: fine, the full read reports real ones
    }
  }
  throw missingHeader(path, firstCells)
}

async function* one(text: string): AsyncGenerator<string, void, undefined> {
  yield text
}

/**
 * RFC 4180 records from text chunks: quoted fields with doubled quotes, CRLF / LF / CR line
 * ends, a blank line is a record of one empty field. Lenient like Excel: a quote inside an
 * unquoted field is literal. An unclosed quote at the end is an error naming the row.
 */
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
  options: { lenientEnd?: boolean } = {},
): AsyncGenerator<string[], void, undefined> {
  let record: string[] = []
  let field = ''
  let fieldStarted = false
  let inQuotes = false
  let quoteInQuotes = false
  let skipLineFeed = false
  let recordNumber = 1
  let quoteOpenedAt = 0
  for await (const chunk of chunks) {
    const ready: string[][] = []
    for (let index = 0; index < chunk.length; index += 1) {
      const char = chunk[index]!
      if (skipLineFeed) {
        skipLineFeed = false
        if (char === '\n') continue
      }
      if (inQuotes) {
        if (quoteInQuotes) {
          quoteInQuotes = false
          if (char === '"') {
            field += '"'
            continue
          }
          inQuotes = false // the quote closed the field; fall through to handle `char`
        } else if (char === '"') {
          quoteInQuotes = true
          continue
        } else {
          field += char
          continue
        }
      }
      if (char === delimiter) {
        record.push(field)
        field = ''
        fieldStarted = false
      } else if (char === '\r' || char === '\n') {
        record.push(field)
        ready.push(record)
        record = []
        field = ''
        fieldStarted = false
        recordNumber += 1
        skipLineFeed = char === '\r'
      } else if (char === '"' && !fieldStarted) {
        inQuotes = true
        fieldStarted = true
        quoteOpenedAt = recordNumber
      } else {
        field += char
        fieldStarted = true
      }
    }
    yield* ready
  }
  if (inQuotes && !quoteInQuotes && !options.lenientEnd) {
    throw new ApiFailure('invalid_input', `Row ${quoteOpenedAt}: a quoted field is never closed (a missing " before the end of the file).`)
  }
  if (fieldStarted || field !== '' || record.length > 0) {
    record.push(field)
    yield record
  }
}

// --- XLSX ---

async function* readXlsxConfirmation(path: string): AsyncGenerator<ConfirmationRow, void, undefined> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  })
  let firstCells: string[] | undefined
  let found = false
  try {
    for await (const worksheet of reader) {
      let columns: ConfirmationHeader['columns'] | null = null
      let seen = 0
      for await (const row of worksheet) {
        // Once the header is found, later sheets are read to the end but ignored.
        if (found && !columns) continue
        const cells = rowCells(row)
        if (!columns) {
          seen += 1
          if (!firstCells && cells.some((cell) => cell.trim() !== '')) firstCells = cells
          if (seen > headerSearchRows) continue
          const candidate = findColumns(cells)
          if (!candidate) continue
          if (candidate.status < 0) throw missingStatus(path, cells, row.number)
          columns = candidate
          found = true
          continue
        }
        const parsed = rowFrom(cells, row.number, columns)
        if (parsed) yield parsed
      }
    }
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw new ApiFailure('invalid_input', `${basename(path)} could not be read as an XLSX workbook: ${(error as Error).message}`)
  }
  if (!found) throw missingHeader(path, firstCells)
}

function rowCells(row: ExcelJS.Row): string[] {
  const values = row.values as unknown[]
  const cells: string[] = []
  for (let column = 1; column < values.length; column += 1) cells.push(cellText(values[column]))
  return cells
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown }
    if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join('')
    if ('formula' in cell || 'sharedFormula' in cell) return cellText(cell.result)
    if (cell.text !== undefined) return cellText(cell.text)
    if (cell.error !== undefined) return String(cell.error)
  }
  return String(value)
}
