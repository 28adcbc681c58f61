// A file on disk as rows of cells, whatever its format: the import job reads every format through
// this one shape. The format is decided by the file's first bytes (a zip is a workbook), then by its
// extension (.jsonl/.ndjson), else CSV; a wrong extension never makes us parse a workbook as text,
// and a file named .xlsx that is not a zip is refused as such rather than read as CSV.
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { ApiFailure } from '../../../shared/api/result'
import { CsvError, csvFileSizeMax, readCsvBatches } from '../readers/csv'
import { JsonlError, jsonlFileSizeMax, readJsonlRows } from '../readers/jsonl'
import { XlsxError, XlsxWorkbook, type XlsxSheet } from '../readers/xlsx'
import { findHeaderRow } from './columns'
import { mapEventHeader } from './events'

export type TableFormat = 'csv' | 'xlsx' | 'jsonl'

export interface SourceRow {
  /** The row number the operator sees: spreadsheet row, or physical line. */
  rowNumber: number
  cells: unknown[]
}

export interface JsonLine {
  rowNumber: number
  value?: Record<string, unknown>
  error?: string
}

export interface TableSource {
  format: TableFormat
  /** The sheet read, for workbooks. */
  sheet?: string
  rows?: AsyncIterable<SourceRow>
  /** The same rows in the reader's own arrays: read `rows` or `batches`, not both. */
  batches?: AsyncIterable<SourceRow[]>
  lines?: AsyncIterable<JsonLine>
  /** Bytes consumed so far, for progress against totalBytes: the file's, or a workbook's sheet XML (inflated). */
  bytesRead(): number
  /** What bytesRead() counts up to; undefined = the file's size. */
  totalBytes?: number
}

const zipMagic = [0x50, 0x4b, 0x03, 0x04]
const cfbMagic = [0xd0, 0xcf, 0x11, 0xe0]

export async function detectFormat(path: string): Promise<TableFormat> {
  const handle = await open(path, 'r')
  const head = Buffer.alloc(8)
  let bytesRead = 0
  try {
    bytesRead = (await handle.read(head, 0, 8, 0)).bytesRead
    const starts = (magic: number[]) => bytesRead >= magic.length && magic.every((byte, index) => head[index] === byte)
    if (starts(zipMagic)) return 'xlsx'
    if (starts(cfbMagic)) {
      throw new ApiFailure(
        'invalid_input',
        `${path} is an old-style Excel (.xls) or encrypted workbook; save it as .xlsx (File → Save As → Excel Workbook) or CSV and import that.`,
      )
    }
  } finally {
    await handle.close()
  }
  const extension = extname(path).toLowerCase()
  // Read as CSV, a damaged or mislabelled workbook would fail on its first binary byte with a message
  // about CSV rows and columns, which names no real problem.
  if (workbookExtensions.has(extension)) throw notAWorkbook(basename(path), extension, head.subarray(0, bytesRead))
  return extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : 'csv'
}

function notAWorkbook(name: string, extension: string, head: Buffer): ApiFailure {
  const what = `${name} is named ${extension} but is not an Excel workbook (not a zip archive)`
  if (head.length === 0) return new ApiFailure('invalid_input', `${what}: the file is empty (0 bytes).`)
  const text = head.every((byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 0xc2)
  return new ApiFailure(
    'invalid_input',
    text
      ? `${what}: it starts with text, so it may be a CSV file renamed; rename it to .csv and import that.`
      : `${what}: it may be damaged or another kind of file renamed; export it from Excel again.`,
  )
}

/** Extensions of zip-based Excel workbooks. */
const workbookExtensions = new Set(['.xlsx', '.xlsm', '.xltx', '.xltm'])

/** The file's bytes as a stream that counts what has been read. */
export function countingStream(path: string): { chunks: AsyncIterable<Uint8Array>; bytesRead(): number } {
  let bytes = 0
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 })
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length
        yield chunk
      }
    } finally {
      stream.destroy()
    }
  }
  return { chunks: chunks(), bytesRead: () => bytes }
}

export interface OpenTableOptions {
  sheet?: string
  /** A saved header mapping, so a sheet with the source's own names is still recognised. */
  mapping?: Readonly<Record<string, string>>
}

const headerScanRows = 20

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<TableSource> {
  const format = await detectFormat(path)
  if (format !== 'xlsx') await refuseOversizedText(path, format)
  if (format === 'csv') {
    const counted = countingStream(path)
    const batches = readCsvBatches(counted.chunks)
    return { format, rows: rowsOf(batches), batches, bytesRead: counted.bytesRead }
  }
  if (format === 'jsonl') return openJsonl(path)
  try {
    return await openWorkbook(path, options)
  } catch (error) {
    throw readerFailure(error, path) ?? error
  }
}

/** CSV and JSON lines have a size limit of their own (a workbook's is checked by its reader, xlsxFileSizeMax). */
async function refuseOversizedText(path: string, format: 'csv' | 'jsonl'): Promise<void> {
  const { size } = await stat(path)
  const [max, name] = format === 'csv' ? [csvFileSizeMax, 'csvFileSizeMax'] : [jsonlFileSizeMax, 'jsonlFileSizeMax']
  if (size <= max) return
  const message = `the file is ${size.toLocaleString('en-US')} bytes, more than the ${max / 2 ** 30} GiB a ${format === 'csv' ? 'CSV' : 'JSON lines'} file may have (${name}). Split it into smaller files and import each.`
  throw readerFailure(format === 'csv' ? new CsvError(message, 0, 'csvFileSizeMax') : new JsonlError(message, 0, 'jsonlFileSizeMax'), path)
}

async function* rowsOf(batches: AsyncIterable<SourceRow[]>): AsyncGenerator<SourceRow> {
  for await (const batch of batches) yield* batch
}

function openJsonl(path: string): TableSource {
  const counted = countingStream(path)
  async function* lines(): AsyncGenerator<JsonLine> {
    for await (const item of readJsonlRows(counted.chunks)) {
      yield 'error' in item ? { rowNumber: item.rowNumber, error: item.error } : { rowNumber: item.rowNumber, value: item.value }
    }
  }
  return { format: 'jsonl', lines: lines(), bytesRead: counted.bytesRead }
}

/** How well a sheet's first rows look like data we import: required fields, then fields, found in a header. */
function sheetScore(rows: readonly (readonly unknown[])[], mapping: Readonly<Record<string, string>> | undefined): number {
  let best = 0
  for (const row of rows) {
    const events = mapEventHeader(row, mapping)
    const eventFields = Object.keys(events.index).length
    if (events.missingRequired.length === 0) best = Math.max(best, 100 + eventFields)
  }
  const found = findHeaderRow(rows, rows.length, mapping)
  if (found) best = Math.max(best, (3 - found.header.missingRequired.length) * 30 + found.header.columns.length)
  return best
}

async function openWorkbook(path: string, options: OpenTableOptions): Promise<TableSource> {
  const workbook = await XlsxWorkbook.open(path)
  try {
    let sheet: XlsxSheet
    if (options.sheet !== undefined) {
      sheet = workbook.sheet(options.sheet)
    } else {
      // The sheet whose header matches best; visible sheets first, then workbook order, on a tie.
      const previews = await workbook.preview(headerScanRows)
      let bestScore = -1
      sheet = workbook.firstVisibleSheet
      for (const preview of previews) {
        const score = sheetScore(preview.rows.map((row) => row.cells), options.mapping) - (preview.sheet.state === 'visible' ? 0 : 0.5)
        if (score > bestScore) {
          bestScore = score
          sheet = preview.sheet
        }
      }
    }
    async function* batches(): AsyncGenerator<SourceRow[]> {
      try {
        yield* workbook.batches(sheet)
      } finally {
        await workbook.close()
      }
    }
    const sheetBatches = batches()
    // Progress is the sheet's XML inflated so far against its declared size (the compressed
    // stream's position says little: the inflater reads ahead).
    return { format: 'xlsx', sheet: sheet.name, rows: rowsOf(sheetBatches), batches: sheetBatches, bytesRead: () => workbook.bytesScanned, totalBytes: workbook.sheetBytes(sheet) }
  } catch (error) {
    await workbook.close()
    throw error
  }
}

/** A reader's refusal (a limit, a damaged or hostile file) as the API's error, naming the file. */
export function readerFailure(error: unknown, path: string): ApiFailure | undefined {
  if (error instanceof XlsxError || error instanceof CsvError || error instanceof JsonlError) {
    return new ApiFailure('invalid_input', `${basename(path)} cannot be imported: ${error.message}`)
  }
  return undefined
}
