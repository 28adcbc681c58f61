// The look every workbook we write shares: number formats and the header row's style, so a
// payout file and a report read alike in Excel and LibreOffice.
import type ExcelJS from 'exceljs'

/**
 * Excel number format for money with `digits` decimals: '#,##0.00' for 2, and with a currency
 * code '#,##0.00 "EUR"'. The code is quoted literal text inside the format, so it may not
 * contain a double quote or a backslash (refused rather than escaped: no real code has them).
 */
export function moneyFormat(digits: number, currency?: string): string {
  const number = digits > 0 ? `#,##0.${'0'.repeat(digits)}` : '#,##0'
  if (currency === undefined || currency === '') return number
  if (/["\\\p{Cc}]/u.test(currency)) throw new RangeError(`moneyFormat: currency ${JSON.stringify(currency)} cannot appear in a number format`)
  return `${number} "${currency}"`
}

export const dateFormat = 'yyyy-mm-dd'
export const dateTimeFormat = 'yyyy-mm-dd hh:mm:ss'

/** Header row: bold on a light fill with a thin rule below. The font is named, as exceljs's default
 * cell font is, because a font with only `bold` makes LibreOffice fall back to a serif face. */
export const headerFont: Partial<ExcelJS.Font> = { name: 'Calibri', family: 2, size: 11, bold: true }
export const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE5F0' } }
export const headerBorder: Partial<ExcelJS.Borders> = { bottom: { style: 'thin' } }

/** Applies the shared header style to a row of a streaming or in-memory worksheet. */
export function styleHeaderRow(row: ExcelJS.Row): void {
  // Copies: exceljs keeps the object on every cell, and one cell's later change must not leak.
  row.font = { ...headerFont }
  row.fill = { ...headerFill }
  row.border = { ...headerBorder }
}
