// One view as CSV: UTF-8 with a byte-order mark (Excel then reads accents right), a header row,
// CRLF line ends, RFC 4180 quoting. The values are the XLSX writer's (cell-values): money in
// major units with exactly the minor digits, whole points, percentages as fractions, dates as
// YYYY-MM-DD and timestamps as YYYY-MM-DD hh:mm:ss in UTC (both read as dates by Excel), and
// every text field neutralised by csvField so it cannot run as a formula. Rows stream straight
// to the temp file; the file appears complete or not at all.
import { ApiFailure } from '../../../shared/api/result'
import { writeAtomically, type AtomicFile, type AtomicFileWording } from '../atomic-file'
import { csvField } from '../spreadsheet-safety'
import { checkColumns, csvText, plainValue } from './cell-values'
import { asApiFailure, checkMinorDigits, ReportValueError } from './errors'
import { RowSource } from './row-source'
import type { ReportView, WriteReportCsvOptions, WrittenCsv } from './types'

const lineEnd = '\r\n'
const byteOrderMark = '\uFEFF'
/** Text gathered before one write: large enough to keep syscalls few, small enough to stay flat. */
const chunkCharacters = 64 * 1024
const progressRows = 1000

const csvWording: AtomicFileWording = {
  what: 'the CSV file',
  untouched: 'nothing was written',
  untouchedAfterWrite: 'the new file was not saved',
  afterOpenFailure: '',
}

export async function writeReportCsv(path: string, view: ReportView, options: WriteReportCsvOptions): Promise<WrittenCsv> {
  try {
    checkMinorDigits(options.minorDigits)
    const delimiter = options.delimiter ?? ','
    if (![',', ';', '\t'].includes(delimiter)) throw new ApiFailure('invalid_input', `delimiter must be ",", ";" or a tab, got ${JSON.stringify(delimiter)}.`)
    checkColumns(view.name, view.columns)
    if (view.columns.length === 0) throw new ReportValueError(`view "${view.name}" has no columns to write as CSV`)
    const written = await writeAtomically(path, { overwrite: options.overwrite ?? false, wording: csvWording }, (file) => writeRows(file, view, options, delimiter))
    return { path, bytes: written.bytes, sha256: written.sha256, rows: written.value }
  } catch (error) {
    throw asApiFailure(error, `Could not write the CSV file ${path}`)
  }
}

async function writeRows(file: AtomicFile, view: ReportView, options: WriteReportCsvOptions, delimiter: string): Promise<number> {
  const { columns } = view
  const bom = options.bom ?? true
  let text = (bom ? byteOrderMark : '') + columns.map((column) => csvField(column.header, { delimiter })).join(delimiter) + lineEnd
  const source = new RowSource(view.rows)
  let rows = 0
  try {
    for (let row = await source.next(); row !== undefined; row = await source.next()) {
      rows += 1
      const record = row
      const number = rows
      text +=
        columns
          .map((column) => {
            const value = plainValue(column.kind, record[column.key], options.minorDigits, () => `view "${view.name}", row ${number}, column ${JSON.stringify(column.header)}`)
            return csvText(column.kind, value, options.minorDigits, delimiter)
          })
          .join(delimiter) + lineEnd
      if (text.length >= chunkCharacters) {
        await file.write(text)
        text = ''
      }
      if (rows % progressRows === 0) {
        // Yields even when the producer is synchronous, so a cancel can arrive.
        await new Promise<void>((resolve) => setImmediate(resolve))
        options.signal?.throwIfAborted()
        options.onProgress?.({ view: view.name, rows })
      }
    }
  } finally {
    await source.close()
  }
  if (text) await file.write(text)
  options.onProgress?.({ view: view.name, rows })
  return rows
}
