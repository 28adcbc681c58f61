// The quarantine of an import as a spreadsheet the operator can fix and re-import: one row per
// refused row with its row number, every problem found in it, and the row's original cells under
// the file's own headers. Text is neutralised like every export (no cell can run as a formula).
import { basename } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import { writeReportCsv, writeReportWorkbook, type ReportColumn, type ReportRow } from '../io/export'
import type { LedgerDatabase } from '../ledger/database'

export interface QuarantineExportResult {
  path: string
  rows: number
  bytes: number
}

interface ErrorRow {
  rowNumber: number
  column: string | null
  message: string
  original: string | null
}

/**
 * The headers of the columns an import mapped to fields, in file order. A workbook row stops at its
 * last value, so a column empty in every refused row is in no row's stored cells; such a column is
 * after all the others, and is added at the end so the fixed file still has it under its own header.
 */
function mappedHeaders(mapping: string | null): string[] {
  try {
    const columns = (JSON.parse(mapping ?? 'null') as { columns?: unknown } | null)?.columns
    if (!Array.isArray(columns)) return []
    return columns.flatMap((column: unknown) => {
      const header = (column as { header?: unknown } | null)?.header
      return typeof header === 'string' && header !== '' ? [header] : []
    })
  } catch {
    return []
  }
}

export async function exportQuarantine(
  database: LedgerDatabase,
  options: { importId: number; path: string; overwrite?: boolean; minorDigits: number; signal?: AbortSignal },
): Promise<QuarantineExportResult> {
  const found = database.readRaw('SELECT file_name AS file, as_of AS asOf, rows_rejected AS rejected, mapping FROM imports WHERE id = ?').get(options.importId) as
    | { file: string; asOf: string | null; rejected: number; mapping: string | null }
    | undefined
  if (!found) throw new ApiFailure('not_found', `There is no import ${options.importId}.`)
  const errors = database
    .readRaw('SELECT row_number AS rowNumber, "column", message, original FROM import_row_errors WHERE import_id = ? ORDER BY row_number, id')
    .all(options.importId) as ErrorRow[]
  // Group the problems of each row; the original cells are stored with the row's first problem.
  const rows: { row: number; problems: string[]; original: [string, unknown][] }[] = []
  for (const error of errors) {
    let last = rows.at(-1)
    if (!last || last.row !== error.rowNumber) {
      last = { row: error.rowNumber, problems: [], original: [] }
      rows.push(last)
    }
    last.problems.push(error.message)
    if (error.original) last.original = JSON.parse(error.original) as [string, unknown][]
  }
  const headers: string[] = []
  for (const row of rows) for (const [header] of row.original) if (!headers.includes(header)) headers.push(header)
  if (rows.length > 0) for (const header of mappedHeaders(found.mapping)) if (!headers.includes(header)) headers.push(header)
  const columns: ReportColumn[] = [
    { key: 'row', header: 'Row', kind: 'integer' },
    { key: 'problems', header: 'Problems', kind: 'text', width: 80 },
    // 'original': a number stays a number (not the text "'-250"), so the fixed file imports again.
    ...headers.map((header, index) => ({ key: `c${index}`, header, kind: 'original' as const })),
  ]
  function* reportRows(): Generator<ReportRow> {
    for (const row of rows) {
      const record: Record<string, unknown> = { row: row.row, problems: row.problems.join('\n') }
      for (const [header, value] of row.original) {
        const index = headers.indexOf(header)
        record[`c${index}`] = value === null || value === undefined ? null : typeof value === 'string' || typeof value === 'number' ? value : String(value)
      }
      yield record
    }
  }
  const view = { name: 'Quarantine', description: `Rows of ${found.file} that were not imported`, columns, rows: reportRows(), frozenColumns: 2 }
  const control = { overwrite: options.overwrite, signal: options.signal }
  if (options.path.toLowerCase().endsWith('.csv')) {
    const written = await writeReportCsv(options.path, view, { ...control, minorDigits: options.minorDigits })
    return { path: written.path, rows: written.rows, bytes: written.bytes }
  }
  const written = await writeReportWorkbook(options.path, {
    ...control,
    minorDigits: options.minorDigits,
    summary: {
      title: `Quarantine of ${basename(found.file)}`,
      parameters: [
        ['Import', `#${options.importId}`],
        ['File', found.file],
        ['As of', found.asOf ?? ''],
        ['Rows refused', found.rejected],
      ],
    },
    views: [view],
  })
  return { path: written.path, rows: rows.length, bytes: written.bytes }
}
