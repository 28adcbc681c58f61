// Cell values that a spreadsheet can never run as a formula (CSV / formula injection).
//
// Any text that reaches a CSV or XLSX file we write goes through neutraliseCell(): text that
// begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote,
// as OWASP's "CSV Injection" advice says, so Excel, LibreOffice and Google Sheets show it as
// text instead of evaluating it. Numbers, dates and booleans are values, not text, and are left
// alone (a negative amount is the number -12.5, never the text "-12.5", so it needs no prefix).
//
// csvField() is the one place a CSV field is produced: neutralised text, quoted per RFC 4180.
// xlsxCellValue() is the same rule for exceljs cell values. Use both for every export.

/** Leading characters that make a spreadsheet treat a cell as a formula (OWASP list). */
export const formulaTriggerCharacters: readonly string[] = ['=', '+', '-', '@', '\t', '\r']

/** The prefix that turns a would-be formula into inert text. */
export const neutralisingPrefix = "'"

/** True when a spreadsheet could evaluate this text as a formula. */
export function isFormulaLike(text: string): boolean {
  return text.length > 0 && formulaTriggerCharacters.includes(text.charAt(0))
}

/** Text that can never run as a formula: `=1+1` becomes `'=1+1`; everything else is unchanged. */
export function neutraliseCell(text: string): string {
  return isFormulaLike(text) ? neutralisingPrefix + text : text
}

/**
 * The inverse of neutraliseCell for text read back from a file we wrote: `'=x` → `=x`. Only a
 * quote followed by a trigger character is removed, so ordinary text starting with `'` survives.
 */
export function restoreNeutralised(text: string): string {
  return text.startsWith(neutralisingPrefix) && isFormulaLike(text.slice(neutralisingPrefix.length))
    ? text.slice(neutralisingPrefix.length)
    : text
}

export type CsvValue = string | number | bigint | boolean | Date | null | undefined

export interface CsvFieldOptions {
  /** Field separator the file uses (quoted when it appears in a value). Default `,`. */
  delimiter?: string
  /** For numbers: exactly this many decimals (e.g. 2 → `12.50`). Default: as many as needed. */
  decimals?: number
}

/**
 * One CSV field per RFC 4180: text is neutralised (see neutraliseCell) and then quoted when it
 * contains the delimiter, a double quote, CR or LF (inner quotes doubled). Numbers are written
 * in plain decimal notation (never `1e21`), booleans as TRUE/FALSE, dates as ISO-8601 UTC, and
 * null/undefined as an empty field. A non-finite number is a bug in the caller and throws.
 */
export function csvField(value: CsvValue, options: CsvFieldOptions = {}): string {
  const delimiter = options.delimiter ?? ','
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return plainNumber(value, options.decimals)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError('csvField: invalid Date')
    return value.toISOString()
  }
  return quoteCsv(neutraliseCell(String(value)), delimiter)
}

/** One CSV record (no line ending) from its values. */
export function csvRecord(values: readonly CsvValue[], options: CsvFieldOptions = {}): string {
  const delimiter = options.delimiter ?? ','
  return values.map((value) => csvField(value, { delimiter })).join(delimiter)
}

/** RFC 4180 quoting of text that is already safe. */
export function quoteCsv(text: string, delimiter = ','): string {
  const needsQuotes = text.includes('"') || text.includes('\n') || text.includes('\r') || text.includes(delimiter)
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text
}

function plainNumber(value: number, decimals: number | undefined): string {
  if (!Number.isFinite(value)) throw new RangeError(`csvField: ${value} is not a finite number`)
  if (decimals !== undefined) {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new RangeError(`csvField: bad decimals ${decimals}`)
    if (Math.abs(value) < 1e21) {
      const fixed = value.toFixed(decimals)
      return /^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed
    }
  }
  if (Object.is(value, -0)) return '0'
  const text = String(value)
  if (!/e/i.test(text)) return text
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
}

/** An exceljs cell value with the same guarantee: text neutralised, everything else as is. */
export function xlsxCellValue<T>(value: T): T | string {
  return typeof value === 'string' ? neutraliseCell(value) : value
}
