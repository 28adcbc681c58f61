// One data row of the player summary sheet → a PlayerRecord, or every problem in it with a
// row-numbered message the operator can act on. Pure; one bad row never affects another.
//
// Rules:
// - player_id is required in every row; lifetime totals (deposited, withdrawn, wagered, won, bonus)
//   may not be negative; net_pnl and ggr may.
// - total_won comes from the total_won column when present; otherwise from net_pnl
//   (won = wagered + net_pnl, the player's result) or ggr (won = wagered − ggr, the operator's
//   revenue). A derived won below 0 is refused. Without wagered, won stays unavailable.
// - Anything won with nothing wagered (wagered = 0, or its cell empty in a file that has the
//   column) is refused: "won without wagered".
// - A row with a player id and no other value is refused: there is nothing to evaluate.
// - Dates after the as-of date are refused.
// - Empty cells leave the metric unavailable; they are not errors (except player_id).
// - Records are built from explicit fields only: no header text or player id ever becomes a key.
//
// Duplicate player ids in one file (resolveDuplicates): the LAST occurrence wins. A summary is a
// snapshot and operators fix a sheet by appending a corrected row, so the later row is the newer
// one; each earlier row is dropped with a warning naming both row numbers.
import type { ImportRowError } from '../../../shared/api/types'
import { formatAmount } from '../../../shared/money'
import type { PlayerRecord } from '../../engine/player-table'
import type { FieldName, MappedColumn } from './columns'
import {
  describeCell,
  parseCount,
  parseDate,
  parseHours,
  parseList,
  parseMoney,
  parseText,
  type DateOrder,
  type DecimalSeparator,
  type Parsed,
  type ParsedDate,
} from './values'

export interface RowOptions {
  /** The row number the operator sees in the spreadsheet (1-based). */
  rowNumber: number
  /** 'YYYY-MM-DD': dates after it are refused. */
  asOf: string
  minorDigits: number
  dateOrder: DateOrder
  decimalSeparator?: DecimalSeparator
}

export type RowError = ImportRowError

export type RowResult =
  | { record: PlayerRecord; /** Date fields whose day/month order was decided by the setting. */ ambiguousDates: FieldName[] }
  | { errors: RowError[] }

type MoneyField = 'total_deposited' | 'total_withdrawn' | 'total_wagered' | 'total_won' | 'bonus_received'
type DateField = 'last_deposit_date' | 'registration_date' | 'last_active_date'
type TextField = 'country' | 'ip' | 'device_id'

export function validateRow(cells: readonly unknown[], columns: readonly MappedColumn[], options: RowOptions): RowResult {
  const row = options.rowNumber
  const digits = options.minorDigits
  const numberOptions = { decimalSeparator: options.decimalSeparator ?? '.' }
  const errors: RowError[] = []
  const ambiguousDates: FieldName[] = []
  const money = new Map<MoneyField | 'net_pnl' | 'ggr', number>()
  const dates = new Map<DateField, string>()
  const texts = new Map<TextField, string>()
  let playerId: string | undefined
  let sessions: number | undefined
  let playtimeMinutes: number | undefined
  let gameTypes: string[] | undefined

  const fail = (field: string, cell: unknown, message: string) => {
    errors.push({ row, column: field, value: describeCell(cell), message: `Row ${row}, ${field}: ${message}` })
  }
  const take = <T>(field: FieldName, cell: unknown, parsed: Parsed<T> | ParsedDate): T | undefined => {
    if (parsed.ok) return parsed.value as T | undefined
    fail(field, cell, `expected ${parsed.expected}, found ${describeCell(cell)}`)
    return undefined
  }
  const amount = (minor: number) => formatAmount(minor, digits)
  // Only error messages need a field's cell after the loop: look it up then, not for every row.
  const cellOf = { get: (wanted: FieldName): unknown => cells[columns.find((column) => column.field === wanted)?.index ?? -1] }

  for (const column of columns) {
    const field = column.field
    const cell = cells[column.index]
    switch (field) {
      case 'player_id': {
        const id = take<string>(field, cell, parseText(cell))
        if (id !== undefined) playerId = id
        else if (parseText(cell).ok) fail(field, cell, `expected a player id, found ${describeCell(cell)}`)
        break
      }
      case 'total_deposited':
      case 'total_withdrawn':
      case 'total_wagered':
      case 'total_won':
      case 'bonus_received': {
        const value = take<number>(field, cell, parseMoney(cell, digits, numberOptions))
        if (value === undefined) break
        if (value < 0) fail(field, cell, `expected a money amount of 0 or more, found ${describeCell(cell)}`)
        else money.set(field, value)
        break
      }
      case 'net_pnl':
      case 'ggr': {
        const value = take<number>(field, cell, parseMoney(cell, digits, numberOptions))
        if (value !== undefined) money.set(field, value)
        break
      }
      case 'sessions':
        sessions = take<number>(field, cell, parseCount(cell, numberOptions))
        break
      case 'playtime_hours':
        playtimeMinutes = take<number>(field, cell, parseHours(cell, numberOptions))
        break
      case 'last_deposit_date':
      case 'registration_date':
      case 'last_active_date': {
        const parsed = parseDate(cell, { order: options.dateOrder })
        const value = take<string>(field, cell, parsed)
        if (value === undefined) break
        if (parsed.ok && parsed.ambiguous) ambiguousDates.push(field)
        if (value > options.asOf) fail(field, cell, `${value} is after the as-of date ${options.asOf}`)
        else dates.set(field, value)
        break
      }
      case 'country':
      case 'ip':
      case 'device_id': {
        const value = take<string>(field, cell, parseText(cell))
        if (value !== undefined) texts.set(field, value)
        break
      }
      case 'game_types':
        gameTypes = take<string[]>(field, cell, parseList(cell))
        break
    }
  }

  if (playerId === undefined && !errors.some((error) => error.column === 'player_id')) {
    fail('player_id', cellOf.get('player_id'), `expected a player id, found ${describeCell(cellOf.get('player_id'))}`)
  }

  const wagered = money.get('total_wagered')
  let won = money.get('total_won')
  if (won === undefined && wagered !== undefined) {
    const net = money.get('net_pnl')
    const ggr = money.get('ggr')
    if (net !== undefined) {
      if (wagered + net < 0) fail('net_pnl', cellOf.get('net_pnl'), `a loss of ${amount(-net)} is more than total_wagered ${amount(wagered)}`)
      else won = wagered + net
    } else if (ggr !== undefined) {
      if (wagered - ggr < 0) fail('ggr', cellOf.get('ggr'), `GGR ${amount(ggr)} is more than total_wagered ${amount(wagered)}`)
      else won = wagered - ggr
    }
  }
  if (won !== undefined && won > 0 && (wagered === 0 || (wagered === undefined && columns.some((column) => column.field === 'total_wagered') && isEmptyCell(cellOf.get('total_wagered'))))) {
    const field = money.has('total_won') ? 'total_won' : money.has('net_pnl') ? 'net_pnl' : 'ggr'
    fail(field, cellOf.get(field), `won without wagered: ${amount(won)} won but total_wagered is ${wagered === 0 ? amount(0) : 'empty'}`)
  }
  if (playerId !== undefined && errors.length === 0 && columns.every((column) => column.field === 'player_id' || isEmptyCell(cells[column.index]))) {
    fail('player_id', cellOf.get('player_id'), `player ${JSON.stringify(playerId)} has no other value in this row: expected at least one of ${columns.filter((column) => column.field !== 'player_id').map((column) => column.field).join(', ')}`)
  }

  if (errors.length > 0 || playerId === undefined) return { errors }
  const record: PlayerRecord = { playerId }
  const put = <K extends keyof PlayerRecord>(key: K, value: PlayerRecord[K] | undefined) => {
    if (value !== undefined) record[key] = value
  }
  put('totalDeposited', money.get('total_deposited'))
  put('totalWithdrawn', money.get('total_withdrawn'))
  put('totalWagered', wagered)
  put('totalWon', won)
  put('bonusReceived', money.get('bonus_received'))
  put('sessions', sessions)
  put('playtimeMinutes', playtimeMinutes)
  put('lastDepositDate', dates.get('last_deposit_date'))
  put('registrationDate', dates.get('registration_date'))
  put('lastActiveDate', dates.get('last_active_date'))
  put('country', texts.get('country'))
  put('ip', texts.get('ip'))
  put('deviceId', texts.get('device_id'))
  put('gameTypes', gameTypes)
  return { record, ambiguousDates }
}

/**
 * "Total", "Grand total:", "Totals", "Sub-total DE", "Subtotal FR", "Sum", "Overall": a total word
 * first, then at most a short label (a region, a month).
 */
const totalLabel = /^(?:grand[\s-]*)?(?:sub[\s-]*)?totals?(?![a-z0-9])|^(?:sum|overall)(?![a-z0-9])/i

/**
 * A total or subtotal row, anywhere in the sheet: its first non-empty cell is a total label. Such a
 * row is not a player (imported, "Total" would be one and be paid), so it is skipped with a warning.
 */
export function isTotalRow(cells: readonly unknown[]): boolean {
  for (const cell of cells) {
    if (isEmptyCell(cell)) continue
    return typeof cell === 'string' && cell.length < 40 && totalLabel.test(cell.trim())
  }
  return false
}

/**
 * A note such as "Source: back office, figures in EUR" under or between the data: one text cell of
 * words (with a space; player ids have none) and nothing else. Skipped with a warning.
 */
export function isNoteRow(cells: readonly unknown[]): boolean {
  let text: string | undefined
  for (const cell of cells) {
    if (isEmptyCell(cell)) continue
    if (text !== undefined || typeof cell !== 'string') return false
    text = cell.trim()
  }
  return text !== undefined && /\s/.test(text)
}

function isEmptyCell(cell: unknown): boolean {
  return cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '')
}

/** A row whose cells are all empty (blank rows are skipped, not errors). */
export function isBlankRow(cells: readonly unknown[]): boolean {
  for (const cell of cells) {
    if (cell === undefined || cell === null) continue
    if (typeof cell === 'string' && cell.trim() === '') continue
    return false
  }
  return true
}

export interface RowRecord {
  row: number
  record: PlayerRecord
}

export interface DuplicateWarning {
  playerId: string
  /** The row whose values are used. */
  keptRow: number
  /** The row that was dropped. */
  droppedRow: number
  message: string
}

/**
 * Duplicate player ids within one file: the LAST occurrence (highest row number) wins; every
 * earlier occurrence is dropped with a warning naming both rows. The result is in row order.
 */
export function resolveDuplicates(records: readonly RowRecord[]): { records: RowRecord[]; warnings: DuplicateWarning[] } {
  const ordered = [...records].sort((a, b) => a.row - b.row)
  const last = new Map<string, RowRecord>()
  for (const entry of ordered) last.set(entry.record.playerId, entry)
  const kept: RowRecord[] = []
  const warnings: DuplicateWarning[] = []
  for (const entry of ordered) {
    const winner = last.get(entry.record.playerId)!
    if (winner === entry) {
      kept.push(entry)
      continue
    }
    const id = entry.record.playerId
    const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id
    warnings.push({
      playerId: id,
      keptRow: winner.row,
      droppedRow: entry.row,
      message: `Player "${shown}" appears in rows ${entry.row} and ${winner.row}: row ${winner.row} is used (the last occurrence wins) and row ${entry.row} is ignored`,
    })
  }
  return { records: kept, warnings }
}
