// Cell value parsing for the spreadsheet importer: one cell in, a typed value or what was expected out.
// Pure and format-independent: file readers hand over cell values (string, number, boolean, Date,
// null, or an exceljs-style object such as { formula, result }, { richText }, { error }).
//
// Every parser returns { ok: true, value } (value undefined = empty cell, the metric is missing) or
// { ok: false, expected } where `expected` completes the sentence "expected …, found …" (see
// describeCell for the "found" part). No parser throws, whatever it is given.
//
// Rules:
// - Formulas: the cached result is used; a formula object without a result is an error.
// - Money becomes integer minor units. Text amounts with at most `minorDigits` decimals are converted
//   exactly (string arithmetic); more decimals, or a number cell, go through majorToMinor (the
//   project's one rounding rule in src/shared/money.ts).
// - Dates become 'YYYY-MM-DD'. Date objects are read in UTC (what spreadsheet readers produce for a
//   date cell). Numbers are Excel serials in the 1900 system. Day/month order of slash dates comes
//   from the `order` setting; a date that does not fit that order is refused (it would mean the
//   setting is wrong for this file), never silently re-read the other way round.
import { majorToMinor, roundToInteger } from '../../../shared/money'

export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; expected: string }
export type ParsedDate = { ok: true; value: string | undefined; ambiguous: boolean } | { ok: false; expected: string }
export type DecimalSeparator = '.' | ','
export type DateOrder = 'DMY' | 'MDY'

export interface NumberOptions {
  /** '.' reads 1,234.56; ',' reads 1.234,56. Default '.'. */
  decimalSeparator?: DecimalSeparator
}

export const maxTextLength = 1_000

// ---------------------------------------------------------------------------------------------
// Cells

type Plain =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; value: Date }
  | { kind: 'bad'; expected: string }

const formulaWithoutResult =
  'a calculated value (the cell holds a formula with no saved result: open the file in the spreadsheet program and save it)'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** A cell as one plain value: formulas give their cached result, rich text its text. */
function unwrap(cell: unknown, depth = 0): Plain {
  if (cell === undefined || cell === null) return { kind: 'empty' }
  if (typeof cell === 'string') {
    const trimmed = cell.trim()
    return trimmed === '' ? { kind: 'empty' } : { kind: 'string', value: trimmed }
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? { kind: 'number', value: cell } : { kind: 'bad', expected: 'a finite number' }
  if (typeof cell === 'bigint') {
    const asNumber = Number(cell)
    return Number.isSafeInteger(asNumber) ? { kind: 'number', value: asNumber } : { kind: 'bad', expected: 'a number of a sensible size' }
  }
  if (typeof cell === 'boolean') return { kind: 'boolean', value: cell }
  if (cell instanceof Date) return { kind: 'date', value: cell }
  if (!isRecord(cell) || Array.isArray(cell)) return { kind: 'bad', expected: 'a single value' }
  if ('formula' in cell || 'sharedFormula' in cell) {
    if (!('result' in cell) || cell.result === undefined || cell.result === null || depth > 2) return { kind: 'bad', expected: formulaWithoutResult }
    return unwrap(cell.result, depth + 1)
  }
  if (typeof cell.error === 'string') return { kind: 'bad', expected: 'a value, not a spreadsheet error' }
  // No field we import is a percentage: a money or count column formatted as one shows 10 where it
  // holds 0.1, and read as 0.10 it would be a hundred times off.
  if (typeof cell.percent === 'number') return { kind: 'bad', expected: 'a plain number, not a percentage' }
  if (Array.isArray(cell.richText)) {
    const parts: string[] = []
    for (const run of cell.richText as unknown[]) if (isRecord(run) && typeof run.text === 'string') parts.push(run.text)
    return unwrap(parts.join(''), depth + 1)
  }
  if (typeof cell.text === 'string') return unwrap(cell.text, depth + 1)
  return { kind: 'bad', expected: 'a single value' }
}

function safeUnwrap(cell: unknown): Plain {
  try {
    return unwrap(cell)
  } catch {
    return { kind: 'bad', expected: 'a single value' }
  }
}

/** 0.1 → "10%", as the spreadsheet shows it (12 significant digits drop the float noise of × 100). */
export function percentText(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

// Control and format characters (U+0080 from a mis-decoded €, a zero-width space, a bidi mark) are
// invisible in a message; shown as escapes they explain why two equal-looking values differ.
const invisibleCharacter = /[\p{Cc}\p{Cf}\u2028\u2029]/gu
const namedEscapes: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' }

function showInvisible(text: string): string {
  return text.replace(invisibleCharacter, (c) => {
    const code = c.codePointAt(0)!
    return namedEscapes[c] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`)
  })
}

/** The "found …" part of a message: what the cell holds, short and safe to show. */
export function describeCell(cell: unknown): string {
  try {
    if (cell === undefined || cell === null) return 'an empty cell'
    if (typeof cell === 'string') {
      if (cell.trim() === '') return 'an empty cell'
      return cell.length > 60 ? `"${showInvisible(cell.slice(0, 60))}…" (${cell.length.toLocaleString('en-US')} characters)` : `"${showInvisible(cell)}"`
    }
    if (typeof cell === 'number' || typeof cell === 'bigint') return String(cell)
    if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE'
    if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? 'an invalid date' : `the date ${cell.toISOString().slice(0, 10)}`
    if (isRecord(cell) && !Array.isArray(cell)) {
      const formula = typeof cell.formula === 'string' ? cell.formula : typeof cell.sharedFormula === 'string' ? cell.sharedFormula : undefined
      if (formula !== undefined || 'formula' in cell) {
        const plain = unwrap(cell)
        if (plain.kind === 'bad' || plain.kind === 'empty') return formula === undefined ? 'a formula' : `the formula "=${shorten(formula.replace(/^=/, ''), 60)}"`
        return describeCell('result' in cell ? cell.result : undefined)
      }
      if (typeof cell.error === 'string') return `the error ${shorten(cell.error, 20)}`
      if (typeof cell.percent === 'number') return `${percentText(cell.percent)} (a cell formatted as a percentage)`
      const plain = unwrap(cell)
      if (plain.kind === 'string') return describeCell(plain.value)
    }
    return 'an unreadable value'
  } catch {
    return 'an unreadable value'
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers as text

interface DecimalText {
  negative: boolean
  integer: string
  fraction: string
}

const currencyPrefix = /^(?:us\$|€|\$|£|¥|₹|eur|usd|gbp|chf)/i
const currencySuffix = /(?:us\$|€|\$|£|¥|₹|eur|usd|gbp|chf)$/i

/**
 * Reads "1,234.56", "(1,234.00)", "-€12", "1.234,56 EUR", "USD 1 234.5" as sign, integer digits and
 * fraction digits. Grouping must be regular (groups of three); apostrophes group too (1'234.56).
 */
// Built once: this runs for every numeric text cell of a million-row file.
const decimalPatterns: Record<DecimalSeparator, RegExp> = {
  '.': /^(\d{1,3}(?:[,'’]\d{3})+|\d+)?(?:\.(\d+))?$/,
  ',': /^(\d{1,3}(?:[.'’]\d{3})+|\d+)?(?:,(\d+))?$/,
}
const plainNumber = /^\d{1,15}(?:\.\d{1,6})?$/
const apostrophe = 39

function readDecimalText(text: string, decimalSeparator: DecimalSeparator): DecimalText | undefined {
  if (text.length > 100) return undefined
  // Excel's text prefix: '-250 is -250 kept as text (a quarantine export or a spreadsheet wrote it so).
  if (text.charCodeAt(0) === apostrophe) return text.charCodeAt(1) === apostrophe ? undefined : readDecimalText(text.slice(1).trimStart(), decimalSeparator)
  // The common case — digits with an optional fraction, as CSV exports write them — skips the rest.
  if (decimalSeparator === '.' && plainNumber.test(text)) {
    const dot = text.indexOf('.')
    return dot < 0 ? { negative: false, integer: text, fraction: '' } : { negative: false, integer: text.slice(0, dot), fraction: text.slice(dot + 1) }
  }
  let s = text.replace(/\s/g, '')
  let negative = false
  let signed = false
  let parenthesised = false
  for (let round = 0; round < 4; round += 1) {
    const before = s
    s = s.replace(currencyPrefix, '').replace(currencySuffix, '')
    if (!parenthesised && s.length >= 2 && s.startsWith('(') && s.endsWith(')')) {
      parenthesised = true
      negative = true
      s = s.slice(1, -1)
    }
    const sign = s[0]
    if (!signed && (sign === '-' || sign === '−' || sign === '+')) {
      signed = true
      if (sign !== '+') negative = true
      s = s.slice(1)
    }
    if (s === before) break
  }
  if (signed && parenthesised) return undefined
  const match = decimalPatterns[decimalSeparator].exec(s)
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined
  return { negative, integer: (match[1] ?? '0').replace(/\D/g, ''), fraction: match[2] ?? '' }
}

function decimalToNumber(parts: DecimalText): number {
  const value = Number(`${parts.integer}.${parts.fraction || '0'}`)
  return parts.negative && value !== 0 ? -value : value
}

function moneyExample(options: NumberOptions | undefined): string {
  return options?.decimalSeparator === ',' ? '1.234,56' : '1,234.56'
}

function numberExample(options: NumberOptions | undefined): string {
  return options?.decimalSeparator === ',' ? '1.234,5' : '1,234.5'
}

// ---------------------------------------------------------------------------------------------
// Parsers

/** Money → integer minor units. Percentages are refused; negatives allowed here (rows decide). */
export function parseMoney(cell: unknown, minorDigits: number, options?: NumberOptions): Parsed<number> {
  const expected = `a money amount such as ${moneyExample(options)}`
  const plain = safeUnwrap(cell)
  switch (plain.kind) {
    case 'empty':
      return { ok: true, value: undefined }
    case 'bad':
      return { ok: false, expected: plain.expected === 'a single value' ? expected : plain.expected }
    case 'boolean':
    case 'date':
      return { ok: false, expected }
    case 'number': {
      const minor = majorToMinor(plain.value, minorDigits)
      return Number.isSafeInteger(minor) ? { ok: true, value: minor } : { ok: false, expected: `${expected} of a sensible size` }
    }
    case 'string': {
      if (plain.value.includes('%')) return { ok: false, expected: `${expected} (not a percentage)` }
      const parts = readDecimalText(plain.value, options?.decimalSeparator ?? '.')
      if (!parts) return { ok: false, expected }
      let minor: number
      if (parts.fraction.length <= minorDigits) {
        const digits = `${parts.integer}${parts.fraction.padEnd(minorDigits, '0')}`.replace(/^0+(?=\d)/, '')
        minor = Number(digits)
        if (digits.length > 16 || !Number.isSafeInteger(minor)) return { ok: false, expected: `${expected} of a sensible size` }
        if (parts.negative && minor !== 0) minor = -minor
      } else {
        minor = majorToMinor(decimalToNumber(parts), minorDigits)
        if (!Number.isSafeInteger(minor)) return { ok: false, expected: `${expected} of a sensible size` }
      }
      return { ok: true, value: minor }
    }
  }
}

function parseNonNegativeNumber(cell: unknown, expected: string, options?: NumberOptions): Parsed<number> {
  const plain = safeUnwrap(cell)
  switch (plain.kind) {
    case 'empty':
      return { ok: true, value: undefined }
    case 'bad':
      return { ok: false, expected: plain.expected === 'a single value' ? expected : plain.expected }
    case 'boolean':
    case 'date':
      return { ok: false, expected }
    case 'number':
      return plain.value >= 0 ? { ok: true, value: plain.value } : { ok: false, expected }
    case 'string': {
      const parts = plain.value.includes('%') ? undefined : readDecimalText(plain.value, options?.decimalSeparator ?? '.')
      if (!parts || (parts.negative && /[1-9]/.test(parts.integer + parts.fraction))) return { ok: false, expected }
      const value = decimalToNumber(parts)
      return Number.isFinite(value) ? { ok: true, value: value === 0 ? 0 : value } : { ok: false, expected }
    }
  }
}

/** A whole count of 0 or more (sessions): 12 or "1,234"; 12.5 is refused. */
export function parseCount(cell: unknown, options?: NumberOptions): Parsed<number> {
  const expected = 'a whole number of 0 or more such as 12'
  const parsed = parseNonNegativeNumber(cell, expected, options)
  if (!parsed.ok || parsed.value === undefined) return parsed
  return Number.isSafeInteger(parsed.value) ? parsed : { ok: false, expected }
}

/** Hours (fractional allowed, or "h:mm") → whole minutes by the project's rounding rule. */
export function parseHours(cell: unknown, options?: NumberOptions): Parsed<number> {
  const expected = `a number of hours of 0 or more such as ${numberExample(options)} or 12:30`
  // An Excel time or elapsed-time cell ([h]:mm) is a fraction of days (see readers/xlsx-sheet.ts).
  if (isRecord(cell) && typeof cell.durationDays === 'number') {
    const minutes = roundToInteger(cell.durationDays * 24 * 60)
    return Number.isSafeInteger(minutes) && minutes >= 0 ? { ok: true, value: minutes } : { ok: false, expected }
  }
  const plain = safeUnwrap(cell)
  if (plain.kind === 'string') {
    const clock = /^(\d{1,7}):([0-5]\d)$/.exec(plain.value)
    if (clock) return { ok: true, value: Number(clock[1]) * 60 + Number(clock[2]) }
  }
  const parsed = parseNonNegativeNumber(cell, expected, options)
  if (!parsed.ok || parsed.value === undefined) return parsed
  const minutes = roundToInteger(parsed.value * 60)
  return Number.isSafeInteger(minutes) ? { ok: true, value: minutes } : { ok: false, expected }
}

const millisecondsPerDay = 86_400_000
/** Excel's 1900 system: serial 1 = 1900-01-01; 60 is the fictitious 1900-02-29; 2958465 = 9999-12-31. */
const maxExcelSerial = 2_958_465

/** The earliest year a date may have: Excel's dates start on 1900-01-01. */
const firstYear = 1900

const daysInMonthOf = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** 'YYYY-MM-DD' for a real calendar date, without allocating a Date (it runs per date cell). */
export function isoOf(year: number, month: number, day: number): string | undefined {
  if (year < firstYear || year > 9999 || month < 1 || month > 12 || day < 1) return undefined
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && leap ? 29 : daysInMonthOf[month - 1]!)) return undefined
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`
}

/**
 * Excel 1900-system serial → ISO date. Excel believes 1900 was a leap year: serial 60 is the
 * non-existent 1900-02-29 (refused), serials 1–59 count from 1899-12-31 and serials from 61 on from
 * 1899-12-30. A fractional part is a time of day and is dropped.
 */
export function excelSerialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial)) return undefined
  const day = Math.floor(serial)
  if (day < 1 || day === 60 || day > maxExcelSerial) return undefined
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30)
  return new Date(epoch + day * millisecondsPerDay).toISOString().slice(0, 10)
}

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

function monthOfName(name: string): number | undefined {
  const lower = name.toLowerCase()
  if (lower.length < 3) return undefined
  const index = monthNames.indexOf(lower.slice(0, 3))
  return index < 0 ? undefined : index + 1
}

/**
 * A date → 'YYYY-MM-DD'. Accepts Date objects, Excel serial numbers, ISO text (2024-01-31, optionally
 * with a time), 31/01/2024 or 01/31/2024 by `order` (also with '.' or '-'), 31 Jan 2024 and
 * Jan 31, 2024. `ambiguous` is true when the day/month order setting decided the reading (both
 * parts ≤ 12 and different). Two-digit years are refused rather than guessed.
 */
export function parseDate(cell: unknown, options: { order: DateOrder }): ParsedDate {
  const orderName = options.order === 'DMY' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'
  const expected = `a date such as 2024-01-31 or ${orderName}`
  const plain = safeUnwrap(cell)
  const done = (value: string | undefined, ambiguous = false): ParsedDate =>
    value === undefined ? { ok: false, expected } : { ok: true, value, ambiguous }
  // A well-formed date outside the years accepted is named as such, not as an unreadable date.
  const dated = (year: number, month: number, day: number, ambiguous = false): ParsedDate =>
    year < firstYear ? { ok: false, expected: `a date on or after ${firstYear}-01-01 (the earliest date accepted)` } : done(isoOf(year, month, day), ambiguous)
  switch (plain.kind) {
    case 'empty':
      return { ok: true, value: undefined, ambiguous: false }
    case 'bad':
      return { ok: false, expected: plain.expected === 'a single value' ? expected : plain.expected }
    case 'boolean':
      return { ok: false, expected }
    case 'date': {
      const time = plain.value.getTime()
      if (Number.isNaN(time)) return { ok: false, expected }
      const d = plain.value
      return dated(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
    }
    case 'number':
      if (Math.floor(plain.value) === 60) return { ok: false, expected: `${expected} (Excel serial 60 is 1900-02-29, a day that never existed)` }
      return done(excelSerialToIso(plain.value))
    case 'string': {
      const text = plain.value
      if (text.length > 40) return { ok: false, expected }
      // Serials stored as text: five digits only (1927–2173); "2024" alone is a year, not a date.
      if (/^\d{5}(?:\.\d+)?$/.test(text)) return parseDate(Number(text), options)
      const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\S.*)?$/.exec(text)
      if (iso) return dated(Number(iso[1]), Number(iso[2]), Number(iso[3]))
      const numeric = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})(?:[T ]\S.*)?$/.exec(text)
      if (numeric) {
        if (numeric[4]!.length === 2) return { ok: false, expected: `${expected} with a four-digit year` }
        const first = Number(numeric[1])
        const second = Number(numeric[3])
        const [day, month] = options.order === 'DMY' ? [first, second] : [second, first]
        const year = Number(numeric[4])
        if (month > 12 && year >= firstYear) {
          const other = options.order === 'DMY' ? 'MM/DD/YYYY' : 'DD/MM/YYYY'
          // Only a date that is real the other way round means the order setting is wrong for the file.
          if (isoOf(year, day, month) !== undefined) return { ok: false, expected: `a date in ${orderName} order (this looks like ${other}: check the date order setting)` }
          return { ok: false, expected: `a real date in ${orderName} order (there is no month ${month}, and read as ${other} it is not a real date either)` }
        }
        return dated(year, month, day, first <= 12 && second <= 12 && first !== second)
      }
      const dayFirst = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -,]*(\d{4})$/.exec(text)
      if (dayFirst) {
        const month = monthOfName(dayFirst[2]!)
        return month === undefined ? done(undefined) : dated(Number(dayFirst[3]), month, Number(dayFirst[1]))
      }
      const monthFirst = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(text)
      if (monthFirst) {
        const month = monthOfName(monthFirst[1]!)
        return month === undefined ? done(undefined) : dated(Number(monthFirst[3]), month, Number(monthFirst[2]))
      }
      return { ok: false, expected }
    }
  }
}

const trueWords = new Set(['true', 'yes', 'y', '1', 'x', 'on'])
const falseWords = new Set(['false', 'no', 'n', '0', 'off'])

export function parseBoolean(cell: unknown): Parsed<boolean> {
  const expected = 'yes or no (TRUE/FALSE, Y/N, 1/0)'
  const plain = safeUnwrap(cell)
  switch (plain.kind) {
    case 'empty':
      return { ok: true, value: undefined }
    case 'boolean':
      return { ok: true, value: plain.value }
    case 'number':
      return plain.value === 1 || plain.value === 0 ? { ok: true, value: plain.value === 1 } : { ok: false, expected }
    case 'string': {
      const lower = plain.value.toLowerCase()
      if (trueWords.has(lower)) return { ok: true, value: true }
      if (falseWords.has(lower)) return { ok: true, value: false }
      return { ok: false, expected }
    }
    case 'bad':
      return { ok: false, expected: plain.expected === 'a single value' ? expected : plain.expected }
    case 'date':
      return { ok: false, expected }
  }
}

/** Text, trimmed; whole numbers become their digits (ids stored as numbers). Capped at 1,000 characters. */
export function parseText(cell: unknown, maxLength = maxTextLength): Parsed<string> {
  // Built only on failure: toLocaleString per cell was the importer's most expensive call.
  const expected = () => `text of at most ${maxLength.toLocaleString('en-US')} characters`
  const plain = safeUnwrap(cell)
  switch (plain.kind) {
    case 'empty':
      return { ok: true, value: undefined }
    case 'string':
      return plain.value.length <= maxLength ? { ok: true, value: plain.value } : { ok: false, expected: expected() }
    case 'number':
      if (Number.isInteger(plain.value) && !Number.isSafeInteger(plain.value)) {
        return { ok: false, expected: 'text (this number is too large to be exact: format the column as text in the spreadsheet)' }
      }
      return { ok: true, value: String(plain.value) }
    case 'bad':
      return { ok: false, expected: plain.expected === 'a single value' ? expected() : plain.expected }
    case 'boolean':
    case 'date':
      return { ok: false, expected: 'text' }
  }
}

/** A list such as "slots, roulette; poker|live": split on , ; | — trimmed, empties and repeats dropped. */
export function parseList(cell: unknown, maxLength = maxTextLength): Parsed<string[]> {
  const text = parseText(cell, maxLength)
  if (!text.ok) return { ok: false, expected: text.expected.replace(/^text/, 'a list separated by , ; or |') }
  if (text.value === undefined) return { ok: true, value: undefined }
  const items = [...new Set(text.value.split(/[,;|]/).map((item) => item.trim()).filter((item) => item !== ''))]
  return { ok: true, value: items.length === 0 ? undefined : items }
}
