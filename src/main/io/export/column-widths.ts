// Column widths that fit the content. The streaming writer must write <cols> before the first
// row, so the widths are estimated from the header and a sample of the first rows (the writer
// holds back that many rows, then streams). Text is measured in characters (East Asian wide
// characters count two); numbers as they will be shown by their number format. Numeric columns
// get room for larger values further down than the sample saw, since Excel shows a number that
// does not fit as ####, while long text merely runs under the next cell.
import { neutraliseCell } from '../spreadsheet-safety'
import type { PlainValue } from './cell-values'
import type { ReportColumn } from './types'

/** Rows read before the first row is written, to size the columns. */
export const widthSampleRows = 1000

export const minColumnWidth = 6
export const maxTextColumnWidth = 60
export const maxNumberColumnWidth = 30
/** Bold header text is wider than regular, and the auto-filter button takes about two characters. */
const headerAllowance = 3
/** Padding so text does not touch the cell border. */
const padding = 2
/** Headroom over the sample's widest number: one more digit group. */
const numberHeadroom = 4

/** Width in Excel character units for each column, in order. */
export function estimateWidths(columns: readonly ReportColumn[], sample: readonly (readonly PlainValue[])[], minorDigits: number): number[] {
  return columns.map((column, index) => {
    if (column.width !== undefined) return column.width
    const formatter = displayFormatter(column, minorDigits)
    let widest = 0
    for (const row of sample) {
      const value = row[index]
      if (value === null || value === undefined) continue
      widest = Math.max(widest, displayLength(formatter(value)))
    }
    const numeric = column.kind !== 'text' && column.kind !== 'original'
    const growable = numeric && column.kind !== 'date' && column.kind !== 'datetime'
    const content = growable && widest > 0 ? widest + numberHeadroom : widest
    const header = displayLength(column.header) + headerAllowance
    const width = Math.max(minColumnWidth, content, header) + padding
    return Math.min(width, numeric ? maxNumberColumnWidth : maxTextColumnWidth)
  })
}

/** Width in characters of `text` on screen: wide (CJK, fullwidth, emoji) characters count two. */
export function displayLength(text: string): number {
  let length = 0
  for (const character of text) length += wideCharacter.test(character) ? 2 : 1
  return length
}

const wideCharacter = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u

/** How a converted value will read in the cell, near enough for sizing. */
export function displayFormatter(column: Pick<ReportColumn, 'kind' | 'currency'>, minorDigits: number): (value: PlainValue) => string {
  const grouped = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  switch (column.kind) {
    case 'text':
    case 'original':
      return (value) => (typeof value === 'string' ? neutraliseCell(value) : String(value))
    case 'integer':
    case 'points': {
      const format = grouped(0)
      return (value) => format.format(value as number)
    }
    case 'money': {
      const format = grouped(minorDigits)
      const suffix = column.currency ? ` ${column.currency}` : ''
      return (value) => format.format(value as number) + suffix
    }
    case 'ratio': {
      const format = grouped(2)
      return (value) => format.format(value as number)
    }
    case 'percent':
      return (value) => `${((value as number) * 100).toFixed(1)}%`
    case 'date':
      return () => '0000-00-00'
    case 'datetime':
      return () => '0000-00-00 00:00:00'
  }
}
