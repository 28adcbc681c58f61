// The shapes a report export is described in: views (tables with typed columns, optional
// charts) and the summary of the parameters that produced them. Callers build these from
// engine or ledger results; the writers never look at where the rows came from.
import type { EChartsOption } from 'echarts'

export const columnKinds = ['text', 'integer', 'money', 'points', 'percent', 'date', 'datetime', 'ratio', 'original'] as const

/**
 * What a column holds, which decides the value accepted, the Excel number format and the CSV text:
 * - text: string (numbers, booleans and Dates are written as their text); neutralised
 * - integer: whole number (count) → `#,##0`
 * - money: integer minor units (cents) → major units, `#,##0.00 "EUR"`
 * - points: whole points → `#,##0`
 * - percent: a fraction (0.125 = 12.5 %) → `0.0%`
 * - ratio: any finite number (ROI, hold) → `#,##0.00`
 * - date: `YYYY-MM-DD`, an ISO timestamp or a Date → an Excel date (UTC calendar day), `yyyy-mm-dd`
 * - datetime: an ISO timestamp (UTC when it has no offset), `YYYY-MM-DD` or a Date → `yyyy-mm-dd hh:mm:ss` (UTC)
 * - original: a cell as read from an imported file, written back so that importing it again reads the
 *   same value: a number, or text that is exactly a plain decimal number (-250, 1234.5; no leading
 *   zeros, at most 15 digits), → a number in General format; any other value → text, neutralised
 *
 * null, undefined and '' are an empty cell in every kind.
 */
export type ColumnKind = (typeof columnKinds)[number]

export interface ReportColumn {
  /** The row property that holds this column's value. */
  key: string
  header: string
  kind: ColumnKind
  /** money only: the currency code shown after the amount ('EUR'); omitted → a bare number format. */
  currency?: string
  /** Width in Excel character units; omitted → estimated from the header and the first rows. */
  width?: number
}

export type ReportRow = Readonly<Record<string, unknown>>

/** Rows are pulled one at a time and never collected, so a generator over a cursor stays flat in memory. */
export type ReportRows = Iterable<ReportRow> | AsyncIterable<ReportRow>

export interface ReportChart {
  /** Shown above the chart (as the echarts title unless the option has its own) and as the picture's description. */
  title: string
  /** A complete echarts option; animation is turned off and a white background and local fonts are set. */
  option: EChartsOption
  /** Size in pixels as placed in the sheet (rendered at twice that for sharpness). Default 800 × 450. */
  width?: number
  height?: number
}

export interface ReportView {
  /** Sheet name; sanitised (no []:*?/\, at most 31 characters) and made unique, case-insensitively. */
  name: string
  /** One line for the Summary sheet's list of contents. */
  description?: string
  /** Empty for a sheet that holds only charts (then `rows` is not read). */
  columns: readonly ReportColumn[]
  rows: ReportRows
  /** Pictures placed to the right of the table (or from A1 on a sheet without columns), one below the other. */
  charts?: readonly ReportChart[]
  /** Columns kept in view when scrolling sideways (1 keeps the player id). Default 0. */
  frozenColumns?: number
}

/** A typed parameter value: shown with the same conversion and number format as a column of that kind. */
export interface TypedSummaryValue {
  kind: ColumnKind
  value: unknown
  currency?: string
}

export type SummaryValue = string | number | boolean | Date | null | TypedSummaryValue

export interface ReportSummary {
  title: string
  /** Label and value, in order: as-of date, filters, scenario, versions… */
  parameters: ReadonlyArray<readonly [label: string, value: SummaryValue]>
}

export interface ExportProgress {
  /** The view being written, by its requested name. */
  view: string
  /** Data rows of that view written so far. */
  rows: number
}

export interface ExportControl {
  /** Checked between batches of rows: an abort removes the partial file and rejects with ApiFailure 'cancelled'. */
  signal?: AbortSignal
  /** Called after every batch of rows (about every thousand). */
  onProgress?: (progress: ExportProgress) => void
  /** Replace an existing file. Default false: an existing file is refused and left alone. */
  overwrite?: boolean
}

export interface WriteReportWorkbookOptions extends ExportControl {
  summary: ReportSummary
  views: readonly ReportView[]
  /** Digits of the money currency's minor unit (2 for cents). */
  minorDigits: number
  /** Shown on the Summary sheet and stored as the workbook's creation time. Default: now. */
  generatedAt?: Date
  /** Data rows on one sheet before a view continues on "Name (2)". Default and maximum: Excel's 1,048,575. */
  maxRowsPerSheet?: number
}

export interface WrittenSheet {
  /** The sheet's name in the workbook. */
  name: string
  /** The view it belongs to (its requested name); a long view spans several sheets. */
  view: string
  /** Data rows, without the header. */
  rows: number
}

export interface WrittenReport {
  path: string
  bytes: number
  sha256: string
  /** Every sheet in workbook order, the Summary first. */
  sheets: WrittenSheet[]
}

export interface WriteReportCsvOptions extends ExportControl {
  minorDigits: number
  /** Field separator. Default ','; ';' for Excel in locales whose list separator is a semicolon. */
  delimiter?: ',' | ';' | '\t'
  /** Start with a UTF-8 byte-order mark so Excel detects the encoding. Default true. */
  bom?: boolean
}

export interface WrittenCsv {
  path: string
  bytes: number
  sha256: string
  /** Data rows, without the header. */
  rows: number
}
