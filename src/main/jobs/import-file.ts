// Importing one file is one unit (DESIGN.md "Data in"): its valid rows, its snapshots or events, its
// quarantine and its `imports` row land in one transaction, or nothing does (a refusal, an error, a
// cancel). The file is streamed: rows are validated in chunks and each chunk is written inside the
// open transaction, so memory stays flat on a million rows.
//
// - Same content hash as an earlier import → recognised, nothing written, the earlier summary returned.
// - Summary rows: a snapshot per player; a player's current totals move to it unless the player
//   already has a snapshot with a later as-of date (an older file adds history, never replaces).
//   The same player twice in one file: the last row wins, the earlier one is dropped with a warning.
// - Event rows: added once per event id; ids already known (this file or earlier) are counted.
// - A file where more than half the data rows fail is refused as a whole, with a summary.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import { formatAmount } from '../../shared/money'
import type { ImportSummary, ImportWarning } from '../../shared/api/types'
import type { ActivityEvent } from '../engine/activity'
import type { PlayerRecord } from '../engine/player-table'
import { findHeaderRow, headerRefusal, headerText, widestRow, type FieldName, type MappedColumn } from '../io/import/columns'
import { mapEventHeader, validateEventObject, validateEventRow, type EventColumns } from '../io/import/events'
import { isBlankRow, isNoteRow, isTotalRow, type RowError } from '../io/import/rows'
import { compileRowValidator, type RowValidator } from '../io/import/row-validator'
import { mappingProblem } from '../io/import/mapping'
import { openTable, readerFailure, type SourceRow, type TableSource } from '../io/import/table-source'
import { parseDate, percentText, type DateOrder, type DecimalSeparator } from '../io/import/values'
import type { LedgerDatabase, StatementCache, WriteSession } from '../ledger/database'
import { existingPlayers, insertPlayers, insertSnapshots, nextSnapshotId } from './snapshot-rows'

export type ImportKind = ImportSummary['kind']
export type { ImportSummary }

export interface ImportFileOptions {
  path: string
  /**
   * 'YYYY-MM-DD': the date the file's totals are as of; later dates in it are refused. When absent, a
   * date in a title row above the header ("exported 2026-11-20") is used, else `defaultAsOf`.
   */
  asOf?: string
  /** Usually today. */
  defaultAsOf: string
  /** ISO timestamp recorded as the import time. */
  now: string
  minorDigits: number
  dateOrder: DateOrder
  decimalSeparator?: DecimalSeparator
  sheet?: string
  /** Saved header mapping: source header → field name or "ignore". */
  mapping?: Readonly<Record<string, string>>
  mappingProfile?: string
  signal?: AbortSignal
  onProgress?: (progress: ImportProgress) => void
}

export interface ImportProgress {
  rows: number
  /** Of the file, or of a workbook's sheet XML as inflated (totalBytes is then its declared size). */
  bytes: number
  totalBytes: number
}

/** More than this share of failing data rows refuses the whole file. */
export const refuseRejectedShare = 0.5
/**
 * Rows validated per write step. Small on purpose: the rows of a step are alive until it is
 * written, and with 5,000 they outgrew the young generation, so every scavenge copied them
 * (3.5 s of a million-row import in GC; 0.3 s with 1,000).
 */
const chunkRows = 1_000
/** Errors and warnings returned in the summary; the quarantine keeps every one. */
const summaryListMax = 1_000
const headerScanRows = 20
/** Rows named in the warning about dates read by the date-order setting. */
const ambiguousExamplesMax = 3
const dateFieldKeys = { last_deposit_date: 'lastDepositDate', registration_date: 'registrationDate', last_active_date: 'lastActiveDate' } as const

export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal }) as AsyncIterable<Buffer>) hash.update(chunk)
  return hash.digest('hex')
}

function cancelled(): ApiFailure {
  return new ApiFailure('cancelled', 'The import was cancelled; nothing was written.')
}

export async function importFile(database: LedgerDatabase, options: ImportFileOptions): Promise<ImportSummary> {
  const { path } = options
  const badMapping = options.mapping && mappingProblem(options.mapping)
  if (badMapping) throw new ApiFailure('invalid_input', badMapping)
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new ApiFailure('invalid_input', `${path} is not a file.`)
    size = info.size
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw new ApiFailure('not_found', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`)
  }
  if (size === 0) throw new ApiFailure('invalid_input', `${path} is empty.`)
  const contentHash = await hashFile(path, options.signal).catch((error: unknown) => {
    if (options.signal?.aborted) throw cancelled()
    throw error
  })
  const earlier = database.readRaw('SELECT id, summary FROM imports WHERE content_hash = ?').get(contentHash) as { id: number; summary: string | null } | undefined
  if (earlier) {
    const summary = earlier.summary ? (JSON.parse(earlier.summary) as ImportSummary) : undefined
    if (!summary) throw new ApiFailure('conflict', `${basename(path)} was imported before (import ${earlier.id}).`)
    return { ...summary, importId: earlier.id, status: 'already_imported', file: basename(path) }
  }

  const source = await openTable(path, { sheet: options.sheet, mapping: options.mapping })
  const job = new ImportRun(database, options, source, size, contentHash)
  return job.run()
}

class ImportRun {
  private session: WriteSession | undefined
  private importId = 0
  private kind: ImportKind = 'summary'
  private readonly errors: RowError[] = []
  private readonly warnings: ImportWarning[] = []
  private rows = 0
  private accepted = 0
  private rejectedRows = 0
  private duplicates = 0
  private ambiguousDates = 0
  /** The first rows whose dates were read by the date-order setting, for the warning that reports them. */
  private readonly ambiguousExamples: { row: number; field: FieldName | 'timestamp'; cell: unknown; value: string }[] = []
  /** The title row's date could be read either way (e.g. "exported 03/11/2026"). */
  private titleDateAmbiguous: string | undefined
  private errorCount = 0
  private headerCells: string[] = []
  private summaryColumns: MappedColumn[] = []
  /** Compiled at the first data row, once the as-of date (possibly from the title row) is known. */
  private validateSummary?: RowValidator
  private eventColumns: EventColumns | undefined
  private unknownColumns: string[] = []
  private headerRow: number | undefined
  /** Summary imports: row number of each snapshot written by this import, by snapshot id − first id. */
  private firstSnapshotId = 0
  /** The id the next snapshot written gets. */
  private nextSnapshotId = 0
  /** Some player of this import was in the table before it (their current pointers are set at the end). */
  private existingPlayersSeen = false
  private snapshotRows = new Int32Array(1024)
  /** Summary imports: this import's snapshot id per players.id (0 = none), to find a repeated player. */
  private playerSnapshots = new Int32Array(1024)
  private readonly playerIds = new Map<string, number>()
  private asOf: string
  private asOfSource: ImportSummary['asOfSource']

  constructor(
    private readonly database: LedgerDatabase,
    private readonly options: ImportFileOptions,
    private readonly source: TableSource,
    private readonly size: number,
    private readonly contentHash: string,
  ) {
    this.asOf = options.asOf ?? options.defaultAsOf
    this.asOfSource = options.asOf ? 'option' : 'default'
  }

  async run(): Promise<ImportSummary> {
    try {
      if (this.source.lines) await this.readLines(this.source.lines)
      else if (this.source.batches) await this.readRows(this.source.batches)
      if (this.options.signal?.aborted) throw cancelled()
      if (!this.session) throw new ApiFailure('invalid_input', `${basename(this.options.path)} has no data rows.`)
      this.refuseIfMostRowsFail()
      if (this.kind === 'summary' && this.existingPlayersSeen) this.currentPointers()
      const summary = this.summary()
      this.session.statements
        .prepare('UPDATE imports SET rows_total = ?, rows_accepted = ?, rows_rejected = ?, summary = ?, finished_at = ? WHERE id = ?')
        .run(summary.rows, summary.accepted, summary.rejected, JSON.stringify(summary), this.options.now, this.importId)
      this.session.commit()
      return summary
    } catch (error) {
      throw readerFailure(error, this.options.path) ?? error
    } finally {
      this.session?.rollback()
    }
  }

  private noteAmbiguous(row: number, field: FieldName | 'timestamp', cell: unknown, value: unknown): void {
    this.ambiguousDates += 1
    if (this.ambiguousExamples.length < ambiguousExamplesMax && typeof value === 'string') this.ambiguousExamples.push({ row, field, cell, value })
  }

  /** Dates that read either way are decided by the setting, and the operator is told which and how. */
  private ambiguityWarnings(): ImportWarning[] {
    const order = this.options.dateOrder === 'DMY' ? 'day first (DD/MM/YYYY)' : 'month first (MM/DD/YYYY)'
    const warnings: ImportWarning[] = []
    if (this.titleDateAmbiguous) {
      warnings.push({ row: this.headerRow ?? 1, message: `The title's date "${this.titleDateAmbiguous}" reads either way: taken ${order} as ${this.asOf}, by the date-order setting.` })
    }
    const first = this.ambiguousExamples[0]
    if (first) {
      const examples = this.ambiguousExamples.map((each) => `row ${each.row}, ${each.field} ${JSON.stringify(String(each.cell))} → ${each.value}`).join('; ')
      warnings.push({
        row: first.row,
        message: `${this.ambiguousDates.toLocaleString('en-US')} row(s) have dates that read either way; they were read ${order} by the date-order setting (${examples}${this.ambiguousDates > this.ambiguousExamples.length ? '; …' : ''}). Change the setting if the file writes them the other way.`,
      })
    }
    return warnings
  }

  private summary(): ImportSummary {
    return {
      importId: this.importId,
      status: 'imported',
      kind: this.kind,
      file: basename(this.options.path),
      contentHash: this.contentHash,
      asOf: this.asOf,
      asOfSource: this.asOfSource,
      ...(this.source.sheet !== undefined ? { sheet: this.source.sheet } : {}),
      ...(this.headerRow !== undefined ? { headerRow: this.headerRow } : {}),
      rows: this.rows,
      accepted: this.accepted,
      rejected: this.rejectedRows,
      duplicates: this.duplicates,
      ambiguousDates: this.ambiguousDates,
      errors: this.errors,
      warnings: [...this.ambiguityWarnings(), ...this.warnings],
      unknownColumns: this.unknownColumns,
    }
  }

  private refuseIfMostRowsFail(): void {
    if (this.rows === 0 || this.rejectedRows <= this.rows * refuseRejectedShare) return
    const byColumn = new Map<string, number>()
    for (const error of this.errors) byColumn.set(error.column, (byColumn.get(error.column) ?? 0) + 1)
    const common = [...byColumn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([column, count]) => `${column} (${count.toLocaleString('en-US')})`)
    const examples = this.errors.slice(0, 3).map((error) => error.message)
    throw new ApiFailure(
      'refused',
      `${basename(this.options.path)} was not imported: ${this.rejectedRows.toLocaleString('en-US')} of ${this.rows.toLocaleString('en-US')} rows failed validation ` +
        `(more than ${refuseRejectedShare * 100}%), which usually means the wrong file, sheet or column mapping. ` +
        `Most problems in: ${common.join(', ')}. First problems: ${examples.join('; ')}. Nothing was written.`,
      { rows: this.rows, rejected: this.rejectedRows, errors: this.errors.slice(0, 100) },
    )
  }

  private progress(): void {
    this.options.onProgress?.({ rows: this.rows, bytes: this.source.bytesRead(), totalBytes: this.source.totalBytes ?? this.size })
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  private async readRows(batches: AsyncIterable<readonly SourceRow[]>): Promise<void> {
    const head: SourceRow[] = []
    let chunk: SourceRow[] = []
    for await (const batch of batches) {
      for (const row of batch) {
        if (!this.session) {
          if (isBlankRow(row.cells)) continue
          head.push(row)
          if (head.length < headerScanRows) continue
          chunk = this.startFromHead(head)
          continue
        }
        chunk.push(row)
        if (chunk.length >= chunkRows) {
          this.writeRows(chunk)
          chunk = []
          if (this.options.signal?.aborted) throw cancelled()
          this.progress()
        }
      }
    }
    if (!this.session) chunk = this.startFromHead(head)
    this.writeRows(chunk)
    this.progress()
  }

  /** Finds the header among the first rows, opens the transaction; returns the data rows read so far. */
  private startFromHead(head: SourceRow[]): SourceRow[] {
    const cells = head.map((row) => row.cells)
    for (let index = 0; index < head.length; index += 1) {
      const events = mapEventHeader(cells[index]!, this.options.mapping)
      if (events.missingRequired.length === 0) {
        this.kind = 'events'
        this.eventColumns = events
        return this.begin(head, index)
      }
    }
    const found = findHeaderRow(cells, headerScanRows, this.options.mapping)
    // The refusal lists the columns found and the names accepted for each missing one, also when no
    // row names any field (then the widest of the first rows is read as the header).
    const problem = headerRefusal(found, cells, headerScanRows, this.options.mapping)
    if (!found || problem) {
      const shown = found ? cells[found.rowIndex]! : widestRow(cells.slice(0, headerScanRows))
      const names = shown.map(headerText).filter((text) => text !== '')
      throw new ApiFailure('invalid_input', problem ?? `${basename(this.options.path)} has no header row in its first ${headerScanRows} rows.`, { columnsFound: names })
    }
    const header = found.header
    this.summaryColumns = header.columns
    this.unknownColumns = header.unknown.map((column) => column.header)
    for (const duplicate of header.duplicates) {
      this.warnings.push({ row: head[found.rowIndex]!.rowNumber, message: `Column "${duplicate.header}" also names ${duplicate.field}; it is ignored (the first such column is used)` })
    }
    return this.begin(head, found.rowIndex, found.cells)
  }

  /** `headerCells`: the header as read, when it differs from the row's own cells (a two-row header). */
  private begin(head: SourceRow[], headerIndex: number, headerCells?: readonly unknown[]): SourceRow[] {
    const headerRow = head[headerIndex]!
    if (!this.options.asOf) {
      const titled = titleDate(head.slice(0, headerIndex), this.options.dateOrder)
      if (titled) {
        this.asOf = titled.value
        this.asOfSource = 'title'
        if (titled.ambiguous) this.titleDateAmbiguous = titled.text
      }
    }
    this.headerRow = headerRow.rowNumber
    this.headerCells = (headerCells ?? headerRow.cells).map(headerText)
    this.session = this.database.beginSession()
    const mapping = this.kind === 'summary' ? { columns: this.summaryColumns.map((column) => ({ header: column.header, field: column.field })) } : { columns: this.eventColumns?.index }
    const inserted = this.session.statements
      .prepare(
        'INSERT INTO imports (kind, file_name, content_hash, source_profile, as_of, status, mapping, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(this.kind, basename(this.options.path), this.contentHash, this.options.mappingProfile ?? null, this.asOf, 'completed', JSON.stringify(mapping), this.options.now) as { id: number }
    this.importId = inserted.id
    this.firstSnapshotId = nextSnapshotId(this.session.statements)
    this.nextSnapshotId = this.firstSnapshotId
    return head.slice(headerIndex + 1)
  }

  private async readLines(lines: AsyncIterable<{ rowNumber: number; value?: Record<string, unknown>; error?: string }>): Promise<void> {
    this.kind = 'events'
    this.session = this.database.beginSession()
    const inserted = this.session.statements
      .prepare('INSERT INTO imports (kind, file_name, content_hash, as_of, status, started_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
      .get('events', basename(this.options.path), this.contentHash, this.asOf, 'completed', this.options.now) as { id: number }
    this.importId = inserted.id
    let events: { row: number; event: ActivityEvent }[] = []
    for await (const line of lines) {
      this.rows += 1
      if (line.error !== undefined || !line.value) {
        this.reject(line.rowNumber, [{ row: line.rowNumber, column: '(line)', value: '', message: line.error?.startsWith('Line ') ? line.error : `Line ${line.rowNumber}: ${line.error ?? 'expected a JSON object'}` }], [])
        continue
      }
      const result = validateEventObject(line.value, this.rowOptions(line.rowNumber), this.options.mapping)
      if ('errors' in result) this.reject(line.rowNumber, result.errors, Object.entries(line.value).map(([key, value]) => [key, value] as [string, unknown]))
      else {
        if (result.ambiguousTimestamp) this.noteAmbiguous(line.rowNumber, 'timestamp', line.value.timestamp ?? result.event.timestamp, result.event.timestamp)
        events.push({ row: line.rowNumber, event: result.event })
      }
      if (events.length >= chunkRows) {
        this.writeEvents(events)
        events = []
        if (this.options.signal?.aborted) throw cancelled()
        this.progress()
      }
    }
    this.writeEvents(events)
    this.progress()
  }

  private rowOptions(rowNumber: number) {
    return {
      rowNumber,
      asOf: this.asOf,
      minorDigits: this.options.minorDigits,
      dateOrder: this.options.dateOrder,
      decimalSeparator: this.options.decimalSeparator,
    }
  }

  // ------------------------------------------------------------------------------------------
  // Writing (synchronous, inside the open session)

  private writeRows(chunk: readonly SourceRow[]): void {
    const records: { row: number; record: PlayerRecord }[] = []
    const events: { row: number; event: ActivityEvent }[] = []
    for (const row of chunk) {
      if (isBlankRow(row.cells)) continue
      if (isTotalRow(row.cells) || isNoteRow(row.cells)) {
        this.skipped(row)
        continue
      }
      this.rows += 1
      if (this.kind === 'events') {
        const result = validateEventRow(row.cells, this.eventColumns!, this.rowOptions(row.rowNumber))
        if ('errors' in result) this.reject(row.rowNumber, result.errors, this.original(row.cells))
        else {
          if (result.ambiguousTimestamp) this.noteAmbiguous(row.rowNumber, 'timestamp', row.cells[this.eventColumns!.index.timestamp!], result.event.timestamp)
          events.push({ row: row.rowNumber, event: result.event })
        }
        continue
      }
      this.validateSummary ??= compileRowValidator(this.summaryColumns, this.rowOptions(0))
      const result = this.validateSummary(row.cells, row.rowNumber)
      if ('errors' in result) {
        this.reject(row.rowNumber, result.errors, this.original(row.cells))
        continue
      }
      if (result.ambiguousDates.length > 0) {
        const field = result.ambiguousDates[0]!
        const column = this.summaryColumns.find((each) => each.field === field)
        this.noteAmbiguous(row.rowNumber, field, column ? row.cells[column.index] : undefined, result.record[dateFieldKeys[field as keyof typeof dateFieldKeys]])
      }
      records.push({ row: row.rowNumber, record: result.record })
    }
    if (this.kind === 'events') this.writeEvents(events)
    else this.writeSnapshots(records)
  }

  /** Every column of the header, also those past the row's last value (a workbook row stops there): the quarantine keeps each header. */
  private original(cells: readonly unknown[]): [string, unknown][] {
    const width = Math.max(this.headerCells.length, cells.length)
    return Array.from({ length: width }, (_, index) => [this.headerCells[index] || `column ${index + 1}`, plainCell(cells[index])] as [string, unknown])
  }

  private reject(row: number, errors: readonly RowError[], original: readonly [string, unknown][]): void {
    this.rejectedRows += 1
    const statement = this.session!.statements.prepare(
      'INSERT INTO import_row_errors (import_id, sheet, row_number, "column", value, message, original) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    errors.forEach((error, index) => {
      this.errorCount += 1
      if (this.errors.length < summaryListMax) this.errors.push(error)
      statement.run(this.importId, this.source.sheet ?? null, row, error.column, error.value, error.message, index === 0 ? JSON.stringify(original) : null)
    })
  }

  /** A total, subtotal or note row: not a player, and not data that failed either. */
  private skipped(row: SourceRow): void {
    const label = row.cells.find((cell) => typeof cell === 'string' && cell.trim() !== '') as string
    const shown = label.trim().length > 60 ? `${label.trim().slice(0, 57)}…` : label.trim()
    this.warn(row.rowNumber, `Skipped: "${shown}" is a ${isTotalRow(row.cells) ? 'total row' : 'note'}, not a player`)
  }

  private warn(row: number, message: string): void {
    if (this.warnings.length < summaryListMax) this.warnings.push({ row, message })
  }

  private playerId(statements: StatementCache, externalId: string): number {
    let id = this.playerIds.get(externalId)
    if (id === undefined) {
      const row = statements
        .prepare('INSERT INTO players (external_id, first_seen_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (external_id) DO UPDATE SET updated_at = excluded.updated_at RETURNING id')
        .get(externalId, this.options.now, this.options.now) as { id: number }
      id = row.id
      if (this.playerIds.size > 100_000) this.playerIds.clear()
      this.playerIds.set(externalId, id)
    }
    return id
  }

  private writeSnapshots(records: readonly { row: number; record: PlayerRecord }[]): void {
    if (records.length === 0) return
    const statements = this.session!.statements
    const first = this.nextSnapshotId
    // Each player once: a player already in the table keeps its row; a new one is inserted already
    // pointing at its snapshot in this chunk (its last, if it appears twice), whose id is known
    // ahead (snapshot-rows.ts). Players already in the table get their pointers at the end, in
    // one statement (currentPointers), which also respects a later snapshot they may hold.
    const lastIndex = new Map<string, number>()
    records.forEach(({ record }, k) => lastIndex.set(record.playerId, k))
    const rowIds = existingPlayers(statements, [...lastIndex.keys()])
    if (rowIds.size > 0) this.existingPlayersSeen = true
    const fresh: string[] = []
    const freshSnapshots: number[] = []
    for (const [externalId, k] of lastIndex) {
      if (rowIds.has(externalId)) continue
      fresh.push(externalId)
      freshSnapshots.push(first + k)
    }
    insertPlayers(statements, fresh, freshSnapshots, this.options.now, this.asOf).forEach((id, index) => rowIds.set(fresh[index]!, id))
    const playerRowIds = records.map(({ record }) => rowIds.get(record.playerId)!)
    insertSnapshots(statements, records.map(({ record }) => record), playerRowIds, this.importId, this.asOf, first)
    this.nextSnapshotId = first + records.length

    const dropSnapshot = statements.prepare('DELETE FROM metric_snapshots WHERE id = ?')
    records.forEach(({ row, record }, k) => {
      const playerRowId = playerRowIds[k]!
      const snapshotId = first + k
      const earlier = this.snapshotOfPlayer(playerRowId)
      if (earlier !== 0) {
        // The same player earlier in this file: the later row wins.
        const earlierRow = this.snapshotRows[earlier - this.firstSnapshotId]!
        dropSnapshot.run(earlier)
        this.duplicates += 1
        this.accepted -= 1
        const shown = record.playerId.length > 60 ? `${record.playerId.slice(0, 60)}…` : record.playerId
        this.warn(row, `Player "${shown}" appears in rows ${earlierRow} and ${row}: row ${row} is used (the last occurrence wins) and row ${earlierRow} is ignored`)
      }
      this.rememberSnapshotRow(snapshotId, row)
      this.setSnapshotOfPlayer(playerRowId, snapshotId)
      this.accepted += 1
    })
  }

  /** This import's snapshot of a player (by players.id), 0 when none yet. */
  private snapshotOfPlayer(playerRowId: number): number {
    return playerRowId < this.playerSnapshots.length ? this.playerSnapshots[playerRowId]! : 0
  }

  private setSnapshotOfPlayer(playerRowId: number, snapshotId: number): void {
    if (playerRowId >= this.playerSnapshots.length) {
      const grown = new Int32Array(Math.max(playerRowId + 1, this.playerSnapshots.length * 2))
      grown.set(this.playerSnapshots)
      this.playerSnapshots = grown
    }
    this.playerSnapshots[playerRowId] = snapshotId
  }

  /** Each player's current totals move to this import's snapshot unless they hold a later one. */
  private currentPointers(): void {
    this.session!.statements
      .prepare(
        'UPDATE players SET current_snapshot_id = s.id, current_as_of = s.as_of, updated_at = ? FROM metric_snapshots s ' +
          'WHERE s.import_id = ? AND s.player_id = players.id AND (players.current_as_of IS NULL OR players.current_as_of <= s.as_of)',
      )
      .run(this.options.now, this.importId)
  }

  private rememberSnapshotRow(snapshotId: number, row: number): void {
    const offset = snapshotId - this.firstSnapshotId
    if (offset >= this.snapshotRows.length) {
      const grown = new Int32Array(Math.max(offset + 1, this.snapshotRows.length * 2))
      grown.set(this.snapshotRows)
      this.snapshotRows = grown
    }
    this.snapshotRows[offset] = row
  }

  private writeEvents(events: readonly { row: number; event: ActivityEvent }[]): void {
    const statements = this.session!.statements
    const insert = statements.prepare(
      'INSERT INTO activity_events (event_id, player_id, import_id, occurred_at, type, amount, game_type, ip, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING',
    )
    for (const { row, event } of events) {
      const playerId = this.playerId(statements, event.playerId)
      const result = insert.run(event.eventId, playerId, this.importId, event.timestamp, event.type, event.amount ?? null, event.gameType ?? null, event.ip ?? null, event.deviceId ?? null)
      if (result.changes === 0) {
        this.duplicates += 1
        this.warnIfConflicting(statements, row, event)
      } else this.accepted += 1
    }
  }

  /**
   * An event id seen before is the same event delivered twice, and is counted, not added. When its
   * values differ (another amount, another player), one of the two is wrong: the first is kept, and
   * the operator is told which row disagreed and how.
   */
  private warnIfConflicting(statements: StatementCache, row: number, event: ActivityEvent): void {
    const known = statements
      .prepare(
        'SELECT p.external_id AS playerId, e.occurred_at AS timestamp, e.type, e.amount, e.game_type AS gameType, e.ip, e.device_id AS deviceId FROM activity_events e JOIN players p ON p.id = e.player_id WHERE e.event_id = ?',
      )
      .get(event.eventId) as { playerId: string; timestamp: string; type: string; amount: number | null; gameType: string | null; ip: string | null; deviceId: string | null } | undefined
    if (!known) return
    const money = (value: number | null) => (value === null ? 'none' : formatAmount(value, this.options.minorDigits))
    const text = (value: string | null | undefined) => (value === null || value === undefined ? 'none' : JSON.stringify(value))
    const differences = [
      known.playerId !== event.playerId && `player ${text(known.playerId)} vs ${text(event.playerId)}`,
      known.timestamp !== event.timestamp && `time ${known.timestamp} vs ${event.timestamp}`,
      known.type !== event.type && `type ${known.type} vs ${event.type}`,
      known.amount !== (event.amount ?? null) && `amount ${money(known.amount)} vs ${money(event.amount ?? null)}`,
      known.gameType !== (event.gameType ?? null) && `game type ${text(known.gameType)} vs ${text(event.gameType)}`,
      known.ip !== (event.ip ?? null) && `IP ${text(known.ip)} vs ${text(event.ip)}`,
      known.deviceId !== (event.deviceId ?? null) && `device ${text(known.deviceId)} vs ${text(event.deviceId)}`,
    ].filter((each): each is string => typeof each === 'string')
    if (differences.length === 0) return
    this.warn(row, `Event ${JSON.stringify(event.eventId)} was already recorded with other values (${differences.join('; ')}): the first record is kept and this row is ignored`)
  }
}

/**
 * A date written in the title rows above the header: "Player summary — exported 2026-11-20", or
 * "exported 20/11/2026" read by the date-order setting like the cells' dates.
 */
function titleDate(rows: readonly SourceRow[], order: DateOrder): { value: string; ambiguous: boolean; text: string } | undefined {
  for (const row of rows) {
    for (const cell of row.cells) {
      if (cell instanceof Date && !Number.isNaN(cell.getTime())) return { value: cell.toISOString().slice(0, 10), ambiguous: false, text: '' }
      if (typeof cell !== 'string') continue
      const match = /(?:^|\D)(\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})(?:\D|$)/.exec(cell)
      if (!match) continue
      const parsed = parseDate(match[1], { order })
      if (parsed.ok && parsed.value !== undefined) return { value: parsed.value, ambiguous: parsed.ambiguous, text: match[1]! }
    }
  }
  return undefined
}

/** A cell as JSON can keep it for the quarantine export: the operator sees what the file held. */
function plainCell(cell: unknown): unknown {
  if (cell === undefined || cell === null) return null
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString()
  if (typeof cell === 'object') {
    const record = cell as Record<string, unknown>
    if (typeof record.formula === 'string') return `=${record.formula}`
    if (typeof record.error === 'string') return record.error
    if (typeof record.percent === 'number') return percentText(record.percent)
    return JSON.stringify(cell).slice(0, 1_000)
  }
  if (typeof cell === 'string' && cell.length > 1_000) return `${cell.slice(0, 1_000)}…`
  return cell
}
