// validateRow, compiled once per file for the common case. A million-row import spent ~12 µs a row
// in validateRow (a result object per cell, three Maps and several closures per row), which capped
// the importer at ~70k rows/s whatever the reader did. Here each column gets a parser chosen once,
// and cells in the shapes exports usually have — plain digits, ISO dates, numbers, short text — are
// read with character scans straight to their value, allocating nothing but the record.
//
// Exactness rests on one rule: the fast path only accepts what it reads exactly as validateRow
// would; at the first cell or row rule it is not sure of (whitespace, signs, separators, currency,
// a negative, a date after the as-of date, won without wagered, …) the whole row goes to
// validateRow, which produces the same record or the row's every error message. A property test
// (tests/unit/import/row-validator.test.ts) holds the two to the same output.
import type { PlayerRecord } from '../../engine/player-table'
import { majorToMinor, roundToInteger } from '../../../shared/money'
import { fieldNames, type FieldName, type MappedColumn } from './columns'
import { validateRow, type RowOptions, type RowResult } from './rows'
import { excelSerialToIso, isoOf, maxTextLength } from './values'

export type RowValidator = (cells: readonly unknown[], rowNumber: number) => RowResult

/** Returned by a fast cell reader when the cell needs the full parser. */
const slow = Symbol('slow')
type Fast<T> = T | undefined | typeof slow

const noAmbiguousDates: FieldName[] = []
Object.freeze(noAmbiguousDates)

/**
 * Plain decimal text — digits with an optional '.' and fraction, nothing else — as a number of
 * 10^-scale units; `slow` when the text has any other character, a fraction longer than `scale`,
 * or more than 15 digits (beyond which the arithmetic below would not be exact).
 */
function scaledDigits(text: string, scale: number): number | typeof slow {
  const length = text.length
  if (length === 0 || length > 16) return slow
  let value = 0
  let digits = 0
  let fraction = -1
  for (let i = 0; i < length; i += 1) {
    const code = text.charCodeAt(i)
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48)
      digits += 1
      if (fraction >= 0) fraction += 1
    } else if (code === 46 && fraction < 0 && i > 0 && i < length - 1) {
      fraction = 0
    } else {
      return slow
    }
  }
  if (fraction > scale || digits > 15) return slow
  for (let i = fraction < 0 ? 0 : fraction; i < scale; i += 1) value *= 10
  // Past 2^53 the full parser refuses the amount as not of a sensible size; it says so.
  return Number.isSafeInteger(value) ? value : slow
}

/** Text validateRow would keep as it is: no surrounding whitespace to trim, not too long. */
function isPlainText(text: string): boolean {
  const length = text.length
  if (length === 0 || length > maxTextLength) return false
  const first = text.charCodeAt(0)
  const last = text.charCodeAt(length - 1)
  // Anything at or below space, or beyond ASCII, might be whitespace that trim() removes.
  return first > 32 && first < 127 && last > 32 && last < 127
}

function fastMoney(cell: unknown, minorDigits: number, decimalPoint: boolean): Fast<number> {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return slow
    const minor = majorToMinor(cell, minorDigits)
    return Number.isSafeInteger(minor) ? minor : slow
  }
  if (cell === undefined || cell === null || cell === '') return undefined
  if (typeof cell === 'string' && decimalPoint) return scaledDigits(cell, minorDigits)
  return slow
}

function fastCount(cell: unknown, decimalPoint: boolean): Fast<number> {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) && cell >= 0 ? cell : slow
  if (cell === undefined || cell === null || cell === '') return undefined
  if (typeof cell === 'string' && decimalPoint) return scaledDigits(cell, 0)
  return slow
}

function fastMinutes(cell: unknown, decimalPoint: boolean): Fast<number> {
  let hours: number
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 0) return slow
    hours = cell
  } else if (cell === undefined || cell === null || cell === '') {
    return undefined
  } else if (typeof cell === 'string' && decimalPoint && scaledDigits(cell, 6) !== slow) {
    // Plain decimal text: Number() reads it exactly as the full parser's digit reassembly does.
    hours = Number(cell)
  } else {
    return slow
  }
  const minutes = roundToInteger(hours * 60)
  return Number.isSafeInteger(minutes) ? minutes : slow
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48
  return code >= 0 && code <= 9 ? code : -1
}

/** 'YYYY-MM-DD' exactly, a real calendar day: returned as it is. */
function fastIsoText(text: string): Fast<string> {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return slow
  const y0 = digitAt(text, 0)
  const y1 = digitAt(text, 1)
  const y2 = digitAt(text, 2)
  const y3 = digitAt(text, 3)
  const m0 = digitAt(text, 5)
  const m1 = digitAt(text, 6)
  const d0 = digitAt(text, 8)
  const d1 = digitAt(text, 9)
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return slow
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
  const month = m0 * 10 + m1
  const day = d0 * 10 + d1
  if (year < 1900 || month < 1 || month > 12 || day < 1) return slow
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && leap ? 29 : daysInMonth[month - 1]!)) return slow
  return text
}

function fastDate(cell: unknown): Fast<string> {
  if (typeof cell === 'string') return cell === '' ? undefined : fastIsoText(cell)
  if (cell === undefined || cell === null) return undefined
  // Serial 60 (Excel's 1900-02-29) and anything out of range take the full path and its message.
  if (typeof cell === 'number') return cell >= 61 ? (excelSerialToIso(cell) ?? slow) : slow
  // What the XLSX reader gives for a date-formatted cell; read in UTC, as parseDate does.
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return slow
    return isoOf(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate()) ?? slow
  }
  return slow
}

function fastText(cell: unknown): Fast<string> {
  if (typeof cell === 'string') return cell === '' ? undefined : isPlainText(cell) ? cell : slow
  if (cell === undefined || cell === null) return undefined
  if (typeof cell === 'number') return Number.isFinite(cell) && Number.isSafeInteger(Math.trunc(cell)) ? String(cell) : slow
  return slow
}

/** parseList's split on , ; | with items trimmed, empties and repeats dropped — without a regex, Set or spread. */
function fastList(cell: unknown): Fast<string[]> {
  if (cell === undefined || cell === null || cell === '') return undefined
  if (typeof cell !== 'string' || !isPlainText(cell)) return slow
  let items: string[] | undefined
  let start = 0
  const length = cell.length
  for (let i = 0; i <= length; i += 1) {
    const code = i < length ? cell.charCodeAt(i) : 44
    if (code !== 44 && code !== 59 && code !== 124) continue
    const item = start === 0 && i === length ? cell : cell.slice(start, i).trim()
    if (item !== '' && (items === undefined || !items.includes(item))) (items ??= []).push(item)
    start = i + 1
  }
  return items
}

/** Where each field's cell is in a row; -1 when the file has no such column. */
type FieldIndex = Record<FieldName, number>

function indexOfFields(columns: readonly MappedColumn[]): FieldIndex {
  const index = {} as FieldIndex
  for (const field of fieldNames) index[field] = -1
  for (const column of columns) if (index[column.field] === -1) index[column.field] = column.index
  return index
}

export function compileRowValidator(columns: readonly MappedColumn[], options: Omit<RowOptions, 'rowNumber'>): RowValidator {
  const at = indexOfFields(columns)
  // validateRow reads each mapped column in order; a field mapped twice (a mapping file can do
  // that) is left to it entirely.
  const fieldsSeen = new Set(columns.map((column) => column.field))
  if (fieldsSeen.size !== columns.length) return (cells, rowNumber) => validateRow(cells, columns, { ...options, rowNumber })
  const digits = options.minorDigits
  const asOf = options.asOf
  const decimalPoint = (options.decimalSeparator ?? '.') === '.'
  const cell = (cells: readonly unknown[], index: number): unknown => (index < 0 ? undefined : cells[index])
  const full = (cells: readonly unknown[], rowNumber: number): RowResult => validateRow(cells, columns, { ...options, rowNumber })

  return (cells, rowNumber) => {
    const playerId = fastText(cell(cells, at.player_id))
    if (playerId === slow || playerId === undefined) return full(cells, rowNumber)
    const deposited = fastMoney(cell(cells, at.total_deposited), digits, decimalPoint)
    const withdrawn = fastMoney(cell(cells, at.total_withdrawn), digits, decimalPoint)
    const wagered = fastMoney(cell(cells, at.total_wagered), digits, decimalPoint)
    let won = fastMoney(cell(cells, at.total_won), digits, decimalPoint)
    const bonus = fastMoney(cell(cells, at.bonus_received), digits, decimalPoint)
    if (deposited === slow || withdrawn === slow || wagered === slow || won === slow || bonus === slow) return full(cells, rowNumber)
    // Lifetime totals may not be negative: a negative number cell gets its message from the full path.
    if ((deposited ?? 0) < 0 || (withdrawn ?? 0) < 0 || (wagered ?? 0) < 0 || (won ?? 0) < 0 || (bonus ?? 0) < 0) return full(cells, rowNumber)
    const net = fastMoney(cell(cells, at.net_pnl), digits, decimalPoint)
    const ggr = fastMoney(cell(cells, at.ggr), digits, decimalPoint)
    if (net === slow || ggr === slow) return full(cells, rowNumber)
    if (won === undefined && wagered !== undefined) {
      if (net !== undefined) won = wagered + net
      else if (ggr !== undefined) won = wagered - ggr
      if (won !== undefined && won < 0) return full(cells, rowNumber)
    }
    if (won !== undefined && won > 0 && (wagered === 0 || (wagered === undefined && at.total_wagered >= 0))) return full(cells, rowNumber)
    const sessions = fastCount(cell(cells, at.sessions), decimalPoint)
    const minutes = fastMinutes(cell(cells, at.playtime_hours), decimalPoint)
    if (sessions === slow || minutes === slow) return full(cells, rowNumber)
    const lastDeposit = fastDate(cell(cells, at.last_deposit_date))
    const registered = fastDate(cell(cells, at.registration_date))
    const lastActive = fastDate(cell(cells, at.last_active_date))
    if (lastDeposit === slow || registered === slow || lastActive === slow) return full(cells, rowNumber)
    if ((lastDeposit !== undefined && lastDeposit > asOf) || (registered !== undefined && registered > asOf) || (lastActive !== undefined && lastActive > asOf)) {
      return full(cells, rowNumber)
    }
    const country = fastText(cell(cells, at.country))
    const ip = fastText(cell(cells, at.ip))
    const deviceId = fastText(cell(cells, at.device_id))
    const gameTypes = fastList(cell(cells, at.game_types))
    if (country === slow || ip === slow || deviceId === slow || gameTypes === slow) return full(cells, rowNumber)
    // An id and nothing else is refused (validateRow says why).
    if (
      deposited === undefined && withdrawn === undefined && wagered === undefined && won === undefined && bonus === undefined && net === undefined && ggr === undefined &&
      sessions === undefined && minutes === undefined && lastDeposit === undefined && registered === undefined && lastActive === undefined &&
      country === undefined && ip === undefined && deviceId === undefined && gameTypes === undefined
    ) {
      return full(cells, rowNumber)
    }

    // Keys in validateRow's order, only those with a value.
    const record: PlayerRecord = { playerId }
    if (deposited !== undefined) record.totalDeposited = deposited
    if (withdrawn !== undefined) record.totalWithdrawn = withdrawn
    if (wagered !== undefined) record.totalWagered = wagered
    if (won !== undefined) record.totalWon = won
    if (bonus !== undefined) record.bonusReceived = bonus
    if (sessions !== undefined) record.sessions = sessions
    if (minutes !== undefined) record.playtimeMinutes = minutes
    if (lastDeposit !== undefined) record.lastDepositDate = lastDeposit
    if (registered !== undefined) record.registrationDate = registered
    if (lastActive !== undefined) record.lastActiveDate = lastActive
    if (country !== undefined) record.country = country
    if (ip !== undefined) record.ip = ip
    if (deviceId !== undefined) record.deviceId = deviceId
    if (gameTypes !== undefined) record.gameTypes = gameTypes
    return { record, ambiguousDates: noAmbiguousDates }
  }
}
