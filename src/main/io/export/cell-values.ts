// One conversion per column kind, shared by the XLSX and CSV writers, so both files carry the
// same values: money in major units, whole points, fractions for percentages, real dates.
// Numbers stay numbers (never text), and text goes through spreadsheet-safety.
import { minorToMajor, roundToInteger } from '../../../shared/money'
import { csvField } from '../spreadsheet-safety'
import { dateFormat, dateTimeFormat, moneyFormat } from '../spreadsheet-format'
import { ReportValueError } from './errors'
import { columnKinds, type ColumnKind, type ReportColumn } from './types'

/** A value ready for a cell: text not yet neutralised, numbers in display units, dates as UTC Dates. */
export type PlainValue = string | number | Date | null

/** Where a value sits, for error messages; built only when something is wrong. */
export type Where = () => string

export const integerFormat = '#,##0'
export const percentFormat = '0.0%'
export const ratioFormat = '#,##0.00'

/** The Excel number format of a column, or undefined for General (text). */
export function numberFormatOf(column: Pick<ReportColumn, 'kind' | 'currency'>, minorDigits: number): string | undefined {
  switch (column.kind) {
    case 'text':
    case 'original':
      return undefined
    case 'integer':
    case 'points':
      return integerFormat
    case 'money':
      return moneyFormat(minorDigits, column.currency)
    case 'percent':
      return percentFormat
    case 'ratio':
      return ratioFormat
    case 'date':
      return dateFormat
    case 'datetime':
      return dateTimeFormat
  }
}

/** Refuses a column the writers could not render: unknown kind, a currency on a non-money column, an unusable code. */
export function checkColumn(column: ReportColumn, where: Where): void {
  if (!(columnKinds as readonly string[]).includes(column.kind)) throw new ReportValueError(`${where()}: unknown column kind ${JSON.stringify(column.kind)}`)
  if (column.currency !== undefined) {
    if (column.kind !== 'money') throw new ReportValueError(`${where()}: only a money column has a currency`)
    if (!/^[^"\\\p{Cc}]{1,12}$/u.test(column.currency)) throw new ReportValueError(`${where()}: currency ${JSON.stringify(column.currency)} must be 1–12 characters without quotes or backslashes`)
  }
  if (column.width !== undefined && !(Number.isFinite(column.width) && column.width > 0 && column.width <= 255)) {
    throw new ReportValueError(`${where()}: width must be a number from above 0 to 255`)
  }
}

/** Checks every column of a view (see checkColumn) and that no two share a key. */
export function checkColumns(viewName: string, columns: readonly ReportColumn[]): void {
  const keys = new Set<string>()
  columns.forEach((column, index) => {
    const where = () => `view "${viewName}", column ${index + 1} (${JSON.stringify(column.header)})`
    checkColumn(column, where)
    if (keys.has(column.key)) throw new ReportValueError(`${where()}: the key ${JSON.stringify(column.key)} is used by two columns`)
    keys.add(column.key)
  })
}

/** The row value converted for its column kind. */
export function plainValue(kind: ColumnKind, value: unknown, minorDigits: number, where: Where): PlainValue {
  if (value === null || value === undefined || value === '') return null
  switch (kind) {
    case 'text':
      return textOf(value, where)
    case 'integer':
    case 'points':
      return wholeNumber(value, where)
    case 'money':
      return minorToMajor(wholeNumber(value, where), minorDigits)
    case 'percent':
    case 'ratio':
      return finiteNumber(value, where)
    case 'date':
      return utcDay(instantOf(value, where))
    case 'datetime':
      return instantOf(value, where)
    case 'original':
      return originalOf(value, where)
  }
}

// A plain decimal that a number cell holds exactly: no leading zeros (an id such as 007 stays text)
// and at most 15 digits (Excel keeps no more).
const plainDecimal = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/
const maxExactDigits = 15

/**
 * An imported cell's value as a number when it is one, so Excel shows a number and a re-import reads
 * the same value; text such as "-250" would otherwise need the neutralising quote in front.
 */
function originalOf(value: unknown, where: Where): PlainValue {
  if (typeof value === 'number' || typeof value === 'bigint') return finiteNumber(value, where)
  if (typeof value === 'string') {
    const trimmed = value.trim()
    if (plainDecimal.test(trimmed) && trimmed.replace(/\D/g, '').length <= maxExactDigits) return finiteNumber(Number(trimmed), where)
  }
  return textOf(value, where)
}

/** The CSV field for a converted value of a column kind (text neutralised and quoted by csvField). */
export function csvText(kind: ColumnKind, value: PlainValue, minorDigits: number, delimiter: string): string {
  if (value === null) return ''
  if (value instanceof Date) return kind === 'date' ? isoDay(value) : `${isoDay(value)} ${value.toISOString().slice(11, 19)}`
  if (kind === 'money' && typeof value === 'number') return csvField(value, { decimals: minorDigits, delimiter })
  // 15 significant digits, as Excel keeps them: 0.035 + 0.001 is written 0.036, not 0.036000000000000004.
  if ((kind === 'percent' || kind === 'ratio') && typeof value === 'number') return csvField(Number(value.toPrecision(15)), { delimiter })
  return csvField(value, { delimiter })
}

function textOf(value: unknown, where: Where): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ReportValueError(`${where()}: invalid Date`)
    return value.toISOString()
  }
  throw new ReportValueError(`${where()}: expected text, got ${describe(value)}`)
}

/**
 * Whole (minor) units. A fractional value — an average per player, an expected cost — is rounded
 * with the project's one rounding rule (shared/money roundToInteger), never truncated.
 */
function wholeNumber(value: unknown, where: Where): number {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new ReportValueError(`${where()}: ${value} is too large for a spreadsheet number`)
    return Number(value)
  }
  const number = finiteNumber(value, where)
  if (Math.abs(number) > Number.MAX_SAFE_INTEGER) throw new ReportValueError(`${where()}: ${number} is too large for a spreadsheet number`)
  return Number.isInteger(number) ? number : roundToInteger(number)
}

function finiteNumber(value: unknown, where: Where): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ReportValueError(`${where()}: ${value} is not a finite number (write null for "no value")`)
    return Object.is(value, -0) ? 0 : value
  }
  if (typeof value === 'bigint') return wholeNumber(value, where)
  throw new ReportValueError(`${where()}: expected a number, got ${describe(value)}`)
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/
const isoTimestamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i

/** Years Excel can show: its serial dates start in 1900 and end in 9999. */
const firstExcelYear = 1900
const lastExcelYear = 9999

function instantOf(value: unknown, where: Where): Date {
  let date: Date
  if (value instanceof Date) {
    date = new Date(value.getTime())
  } else if (typeof value === 'string') {
    date = parseIso(value.trim(), where)
  } else {
    throw new ReportValueError(`${where()}: expected an ISO date or a Date, got ${describe(value)}`)
  }
  if (Number.isNaN(date.getTime())) throw new ReportValueError(`${where()}: invalid date`)
  const year = date.getUTCFullYear()
  if (year < firstExcelYear || year > lastExcelYear) throw new ReportValueError(`${where()}: ${date.toISOString()} is outside the dates Excel can show (${firstExcelYear}–${lastExcelYear})`)
  return date
}

function parseIso(text: string, where: Where): Date {
  const day = isoDate.exec(text)
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])))
    if (isoDay(date) !== text) throw new ReportValueError(`${where()}: ${JSON.stringify(text)} is not a calendar date`)
    return date
  }
  const stamp = isoTimestamp.exec(text)
  if (stamp) {
    // A timestamp without an offset is UTC, as the ledger stores them; Date.parse would read local time.
    const zone = (stamp[4] ?? 'Z').toUpperCase()
    const normalised = `${stamp[1]}T${stamp[2]}${stamp[3] ?? ':00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`
    const date = new Date(normalised)
    if (Number.isNaN(date.getTime()) || (zone === 'Z' && isoDay(date) !== stamp[1])) throw new ReportValueError(`${where()}: ${JSON.stringify(text)} is not a valid timestamp`)
    return date
  }
  throw new ReportValueError(`${where()}: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is not an ISO date (YYYY-MM-DD) or timestamp`)
}

function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return `${typeof value} ${String(value)}`
}
