// What an import would read, before anything is written: the format, the sheets and the one the
// importer would choose, the header row, the kind of file, each column's field, what required
// field is missing (with the importer's own refusal), the first data rows, and whether this very
// content was imported before. It reads only the head of the file (plus a hash of the whole), and
// decides everything with the importer's own functions, so the preview and the import never disagree.
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import type { ImportPreview, ImportPreviewColumn } from '../../shared/api/types'
import { fieldSpecs, findHeaderRow, headerText, mapHeader, refusalMessage } from '../io/import/columns'
import { eventFieldNames, eventRefusalMessage, mapEventHeader, matchEventField } from '../io/import/events'
import { detectFormat, openTable, readerFailure, type SourceRow } from '../io/import/table-source'
import { XlsxWorkbook } from '../io/readers/xlsx'
import type { LedgerDatabase } from '../ledger/database'
import { hashFile } from './import-file'
import { mappingProblem } from '../io/import/mapping'
import { percentText } from '../io/import/values'

/** The importer looks for the header in this many rows (import-file.ts uses the same number). */
const headerScanRows = 20
export const previewSampleRows = 10
const cellTextMax = 200

export interface PreviewOptions {
  path: string
  sheet?: string
  mapping?: Readonly<Record<string, string>>
  signal?: AbortSignal
}

export async function previewImport(database: LedgerDatabase, options: PreviewOptions): Promise<ImportPreview> {
  const { path } = options
  const badMapping = options.mapping && mappingProblem(options.mapping)
  if (badMapping) throw new ApiFailure('invalid_input', badMapping)
  let sizeBytes: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new ApiFailure('invalid_input', `${path} is not a file.`)
    sizeBytes = info.size
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw new ApiFailure('not_found', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`)
  }
  if (sizeBytes === 0) throw new ApiFailure('invalid_input', `${basename(path)} is empty.`)
  const format = await detectFormat(path)
  const base: Pick<ImportPreview, 'file' | 'format' | 'sizeBytes'> & { alreadyImported?: { importId: number } } = { file: basename(path), format, sizeBytes }
  const contentHash = await hashFile(path, options.signal)
  const earlier = database.readRaw('SELECT id FROM imports WHERE content_hash = ?').get(contentHash) as { id: number } | undefined
  if (earlier) base.alreadyImported = { importId: earlier.id }

  try {
    if (format === 'jsonl') {
      const part = await previewJsonl(path, options.mapping)
      return { ...base, ...part, fields: fieldsFor(part.kind) }
    }
    let sheets: string[] | undefined
    if (format === 'xlsx') {
      const workbook = await XlsxWorkbook.open(path)
      try {
        sheets = workbook.sheets.filter((sheet) => sheet.state === 'visible').map((sheet) => sheet.name)
        if (options.sheet !== undefined) workbook.sheet(options.sheet)
      } finally {
        await workbook.close()
      }
    }
    const source = await openTable(path, { sheet: options.sheet, mapping: options.mapping })
    const head: SourceRow[] = []
    if (source.rows) {
      for await (const row of source.rows) {
        head.push(row)
        if (head.length >= headerScanRows + previewSampleRows) break
      }
    }
    const part = previewRows(head, options.mapping)
    return { ...base, ...(sheets ? { sheets } : {}), ...(source.sheet !== undefined ? { sheet: source.sheet } : {}), ...part, fields: fieldsFor(part.kind) }
  } catch (error) {
    throw readerFailure(error, path) ?? error
  }
}

type TablePart = Pick<ImportPreview, 'kind' | 'headerRow' | 'columns' | 'missingRequired' | 'refusal' | 'sample'>

function previewRows(head: readonly SourceRow[], mapping: Readonly<Record<string, string>> | undefined): TablePart {
  const cells = head.map((row) => row.cells)
  // The importer's order: an events header wins, then the best summary header.
  for (let index = 0; index < Math.min(head.length, headerScanRows); index += 1) {
    const events = mapEventHeader(cells[index]!, mapping)
    if (events.missingRequired.length === 0) {
      const fieldAt = new Map<number, string>(Object.entries(events.index).map(([field, position]) => [position, field]))
      return {
        kind: 'events',
        headerRow: head[index]!.rowNumber,
        columns: headerColumns(cells[index]!, (position) => fieldAt.get(position) ?? null),
        missingRequired: [],
        sample: sampleAfter(head, index),
      }
    }
  }
  const found = findHeaderRow(cells, headerScanRows, mapping)
  if (!found) {
    // No row names any field: offer the first non-empty row as the header, for the mapping editor.
    const index = Math.max(0, cells.findIndex((row) => row.some((cell) => headerText(cell) !== '')))
    const header = mapHeader(cells[index] ?? [], mapping)
    const names = (cells[index] ?? []).map(headerText).filter((text) => text !== '')
    return {
      kind: null,
      ...(head[index] ? { headerRow: head[index].rowNumber } : {}),
      columns: headerColumns(cells[index] ?? [], () => null),
      missingRequired: header.missingRequired,
      refusal:
        refusalMessage(header) ??
        `No header row naming a player id column was found in the first ${headerScanRows} rows. Columns found: ${names.length === 0 ? 'none' : names.slice(0, 50).join(', ')}.`,
      sample: sampleAfter(head, index),
    }
  }
  const fieldAt = new Map<number, string>(found.header.columns.map((column) => [column.index, column.field]))
  const refusal = refusalMessage(found.header)
  return {
    kind: 'summary',
    headerRow: head[found.rowIndex]!.rowNumber,
    columns: headerColumns(found.cells, (position) => fieldAt.get(position) ?? null),
    missingRequired: found.header.missingRequired,
    ...(refusal ? { refusal } : {}),
    sample: sampleAfter(head, found.rowIndex),
  }
}

function headerColumns(cells: readonly unknown[], fieldOf: (index: number) => string | null): ImportPreviewColumn[] {
  const columns: ImportPreviewColumn[] = []
  cells.forEach((cell, index) => {
    const header = headerText(cell)
    if (header !== '') columns.push({ index, header: header.slice(0, cellTextMax), field: fieldOf(index) })
  })
  return columns
}

function sampleAfter(head: readonly SourceRow[], headerIndex: number): string[][] {
  const rows: string[][] = []
  for (const row of head.slice(headerIndex + 1)) {
    const texts = row.cells.map(displayCell)
    if (texts.every((text) => text === '')) continue
    rows.push(texts)
    if (rows.length >= previewSampleRows) break
  }
  return rows
}

/** A cell as the operator would read it in the sheet; never more than a short line. */
export function displayCell(cell: unknown): string {
  let text: string
  if (cell === undefined || cell === null) text = ''
  else if (typeof cell === 'string') text = cell
  else if (typeof cell === 'number') text = Number.isFinite(cell) ? String(cell) : ''
  else if (typeof cell === 'boolean') text = cell ? 'TRUE' : 'FALSE'
  else if (cell instanceof Date) {
    const iso = Number.isNaN(cell.getTime()) ? '' : cell.toISOString()
    text = iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z')
  } else if (typeof cell === 'object') {
    const record = cell as Record<string, unknown>
    if ('result' in record) text = displayCell(record.result)
    else if (typeof record.error === 'string') text = record.error
    else if (typeof record.formula === 'string') text = `=${record.formula.replace(/^=/, '')}`
    else if (typeof record.durationDays === 'number') text = `${Math.round(record.durationDays * 24 * 100) / 100} h`
    else if (typeof record.percent === 'number') text = percentText(record.percent)
    else text = headerText(cell)
  } else text = ''
  return text.length > cellTextMax ? `${text.slice(0, cellTextMax)}…` : text
}

async function previewJsonl(path: string, mapping: Readonly<Record<string, string>> | undefined): Promise<TablePart> {
  const source = await openTable(path)
  const keys: string[] = []
  const seen = new Set<string>()
  const values: Record<string, unknown>[] = []
  let firstLine: number | undefined
  for await (const line of source.lines ?? []) {
    firstLine ??= line.rowNumber
    if (!line.value) continue
    values.push(line.value)
    for (const key of Object.keys(line.value)) {
      if (!seen.has(key) && keys.length < 200) {
        seen.add(key)
        keys.push(key)
      }
    }
    if (values.length >= previewSampleRows) break
  }
  const columns: ImportPreviewColumn[] = keys.map((key, index) => ({ index, header: key.slice(0, cellTextMax), field: matchEventField(key, mapping) ?? null }))
  const present = new Set(columns.map((column) => column.field))
  const missingRequired = (['event_id', 'player_id', 'timestamp', 'type'] as const).filter((field) => !present.has(field))
  const events = mapEventHeader(keys, mapping)
  const refusal = eventRefusalMessage(events, keys)
  return {
    kind: 'events',
    ...(firstLine !== undefined ? { headerRow: firstLine } : {}),
    columns,
    missingRequired,
    ...(refusal ? { refusal } : {}),
    sample: values.map((value) => keys.map((key) => displayCell(Object.hasOwn(value, key) ? value[key] : undefined))),
  }
}

/** What a column can be mapped to: summary fields, or for an events file the event fields. */
function fieldsFor(kind: ImportPreview['kind']): ImportPreview['fields'] {
  if (kind === 'events') return eventFieldNames.map((field) => ({ field, label: field.replace('_', ' '), synonyms: [] }))
  return fieldSpecs.map((spec) => ({ field: spec.field, label: spec.label, synonyms: [...spec.synonyms] }))
}
