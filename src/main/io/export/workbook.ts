// Report workbooks: a Summary sheet with the parameters used, then one sheet per view, written
// with exceljs's streaming writer so a million-row player list never sits in memory (each row
// is committed to the zip as soon as it is converted). Each data sheet has a bold filled header,
// a frozen header pane, an auto-filter over its rows, widths from the header and the first rows,
// and a number format per column; values are numbers and dates, never text; text is neutralised
// against formula injection. Charts are rendered to PNG before the file is opened and placed
// under a short table or beside a long one (chartAnchor). The file appears at `path` complete or
// not at all (atomic-file).
import ExcelJS from 'exceljs'
import { ApiFailure } from '../../../shared/api/result'
import { writeAtomically, type AtomicFile, type AtomicFileWording } from '../atomic-file'
import { xlsxCellValue } from '../spreadsheet-safety'
import { dateFormat, dateTimeFormat, headerFont, styleHeaderRow } from '../spreadsheet-format'
import { checkColumn, checkColumns, numberFormatOf, plainValue, type PlainValue } from './cell-values'
import { asApiFailure, checkMinorDigits, ReportValueError } from './errors'
import { renderChartPng, type ChartPng } from './chart-image'
import { displayLength, estimateWidths, widthSampleRows } from './column-widths'
import { RowSource } from './row-source'
import { SheetNames } from './sheet-names'
import { sheetDrained } from './sheet-backpressure'
import { StreamingPictures, type SheetPicture } from './streaming-pictures'
import type { ExportControl, ReportColumn, ReportRow, ReportSummary, ReportView, SummaryValue, WriteReportWorkbookOptions, WrittenReport, WrittenSheet } from './types'

/** Excel's last row is 1,048,576; one is the header. */
export const excelMaxDataRows = 1_048_575
export const summarySheetName = 'Summary'

/** Printed (and converted to PDF) landscape, one page wide and as many long as needed, so columns are never split across pages. */
const printSetup: Partial<ExcelJS.PageSetup> = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 }

/** Rows converted between pauses that let the zip and the file catch up (and check cancel, report progress). */
const batchRows = 1000
/** Default row height in pixels (15 pt), for stacking pictures. */
const rowHeightPixels = 20
const maxSummaryLabelWidth = 40
const maxSummaryValueWidth = 80

const reportWording: AtomicFileWording = {
  what: 'the report',
  untouched: 'nothing was written',
  untouchedAfterWrite: 'the new report was not saved',
  afterOpenFailure: '',
}

/**
 * Writes the workbook to `path` and resolves once it is complete and durable. Failures reject
 * with an ApiFailure naming the file ('cancelled' when the signal aborted it), and leave nothing
 * at `path`.
 */
export async function writeReportWorkbook(path: string, options: WriteReportWorkbookOptions): Promise<WrittenReport> {
  try {
    checkMinorDigits(options.minorDigits)
    const maxRows = options.maxRowsPerSheet ?? excelMaxDataRows
    if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > excelMaxDataRows) {
      throw new ApiFailure('invalid_input', `maxRowsPerSheet must be a whole number from 1 to ${excelMaxDataRows}, got ${maxRows}.`)
    }
    const names = new SheetNames([summarySheetName])
    const plans = options.views.map((view) => planView(view, names.take(view.name)))
    const charts = await renderCharts(options.views, options.signal)
    const written = await writeAtomically(path, { overwrite: options.overwrite ?? false, wording: reportWording }, (file) =>
      writeWorkbook(file, { ...options, maxRows, names, plans, charts }),
    )
    return { path, bytes: written.bytes, sha256: written.sha256, sheets: written.value }
  } catch (error) {
    throw asApiFailure(error, `Could not write the report ${path}`)
  }
}

interface ViewPlan {
  view: ReportView
  sheetName: string
}

function planView(view: ReportView, sheetName: string): ViewPlan {
  checkColumns(view.name, view.columns)
  const frozen = view.frozenColumns ?? 0
  if (!Number.isInteger(frozen) || frozen < 0 || frozen > view.columns.length) {
    throw new ReportValueError(`view "${view.name}": frozenColumns must be a whole number from 0 to the number of columns (${view.columns.length})`)
  }
  return { view, sheetName }
}

async function renderCharts(views: readonly ReportView[], signal: AbortSignal | undefined): Promise<ChartPng[][]> {
  const rendered: ChartPng[][] = []
  for (const view of views) {
    const pictures: ChartPng[] = []
    for (const chart of view.charts ?? []) {
      signal?.throwIfAborted()
      try {
        pictures.push(await renderChartPng(chart))
      } catch (error) {
        throw new ReportValueError(`view "${view.name}", chart ${JSON.stringify(chart.title)} could not be drawn: ${(error as Error).message}`)
      }
    }
    rendered.push(pictures)
  }
  return rendered
}

interface WorkbookJob extends WriteReportWorkbookOptions {
  maxRows: number
  names: SheetNames
  plans: ViewPlan[]
  charts: ChartPng[][]
}

async function writeWorkbook(file: AtomicFile, job: WorkbookJob): Promise<WrittenSheet[]> {
  const generatedAt = job.generatedAt ?? new Date()
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: file.stream, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } })
  workbook.creator = 'Loyalty Workstation'
  workbook.lastModifiedBy = 'Loyalty Workstation'
  workbook.created = generatedAt
  workbook.modified = generatedAt
  const pictures = StreamingPictures.connect(workbook)
  const sheets: WrittenSheet[] = [{ name: summarySheetName, view: summarySheetName, rows: writeSummary(workbook, job.summary, job.plans, generatedAt, job.minorDigits) }]
  await pause(file)
  for (const [index, plan] of job.plans.entries()) {
    sheets.push(...(await writeView(workbook, file, pictures, plan, job.charts[index] ?? [], job)))
  }
  await workbook.commit()
  return sheets
}

// ---------------------------------------------------------------------------------------------
// Summary

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, summary: ReportSummary, plans: readonly ViewPlan[], generatedAt: Date, minorDigits: number): number {
  const sheet = workbook.addWorksheet(summarySheetName, { pageSetup: printSetup })
  const parameters: Array<[string, ExcelJS.CellValue, string | undefined]> = [['Generated at (UTC)', generatedAt, dateTimeFormat]]
  for (const [label, value] of summary.parameters) parameters.push([label, ...summaryCell(value, label, minorDigits)])
  const contents = plans.map((plan) => [plan.sheetName, plan.view.description ?? ''] as const)

  const labels = [...parameters.map(([label]) => label), ...contents.map(([name]) => name), 'Parameter', 'Sheet']
  const values = [...parameters.map(([, value, format]) => summaryText(value, format)), ...contents.map(([, description]) => description)]
  sheet.columns = [
    { width: Math.min(maxSummaryLabelWidth, Math.max(...labels.map(displayLength)) + 2) },
    { width: Math.min(maxSummaryValueWidth, Math.max(12, ...values.map(displayLength)) + 2) },
  ]

  const title = sheet.addRow([xlsxCellValue(summary.title)])
  title.font = { ...headerFont, size: 14 }
  title.commit()
  sheet.addRow([]).commit()
  const header = sheet.addRow(['Parameter', 'Value'])
  styleHeaderRow(header)
  header.commit()
  for (const [label, value, format] of parameters) {
    const row = sheet.addRow([xlsxCellValue(label), value])
    if (format) row.getCell(2).numFmt = format
    row.getCell(2).alignment = { horizontal: 'left' }
    row.commit()
  }
  if (contents.length > 0) {
    sheet.addRow([]).commit()
    const contentsHeader = sheet.addRow(['Sheet', 'Contents'])
    styleHeaderRow(contentsHeader)
    contentsHeader.commit()
    for (const [name, description] of contents) sheet.addRow([xlsxCellValue(name), xlsxCellValue(description)]).commit()
  }
  sheet.commit()
  return parameters.length
}

function summaryCell(value: SummaryValue, label: string, minorDigits: number): [ExcelJS.CellValue, string | undefined] {
  const where = () => `Summary parameter ${JSON.stringify(label)}`
  if (value === null) return [null, undefined]
  if (typeof value === 'string') return [xlsxCellValue(value), undefined]
  if (typeof value === 'boolean') return [value ? 'yes' : 'no', undefined]
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ReportValueError(`${where()}: ${value} is not a finite number`)
    return [value, undefined]
  }
  if (value instanceof Date) {
    const converted = plainValue('datetime', value, minorDigits, where) as Date
    const midnight = converted.getTime() % 86_400_000 === 0
    return [converted, midnight ? dateFormat : dateTimeFormat]
  }
  const column = { kind: value.kind, currency: value.currency }
  checkColumn({ key: label, header: label, ...column }, where)
  const converted = plainValue(value.kind, value.value, minorDigits, where)
  return [typeof converted === 'string' ? xlsxCellValue(converted) : converted, numberFormatOf(column, minorDigits)]
}

/** Approximate shown text of a Summary value, for the column width. */
function summaryText(value: ExcelJS.CellValue, format: string | undefined): string {
  if (value instanceof Date) return format === dateFormat ? '0000-00-00' : '0000-00-00 00:00:00'
  if (typeof value === 'number') return format?.includes('%') ? `${(value * 100).toFixed(1)}%` : value.toLocaleString('en-US') + (format?.match(/"([^"]*)"/)?.[1] ?? '')
  return value === null || value === undefined ? '' : String(value)
}

// ---------------------------------------------------------------------------------------------
// Views

async function writeView(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  file: AtomicFile,
  pictures: StreamingPictures,
  plan: ViewPlan,
  charts: readonly ChartPng[],
  job: WorkbookJob,
): Promise<WrittenSheet[]> {
  const { view } = plan
  const columns = view.columns
  if (columns.length === 0) {
    const sheet = workbook.addWorksheet(plan.sheetName, { pageSetup: printSetup })
    pictures.place(sheet, stack(charts, view, 0, 0))
    sheet.commit()
    await pause(file)
    return [{ name: plan.sheetName, view: view.name, rows: 0 }]
  }

  const source = new RowSource(view.rows)
  try {
    let rowNumber = 0
    // Made once per column, not per cell (a million rows are many cells); read only on an error, while its row is converted.
    const where = columns.map((column) => () => `view "${view.name}", row ${rowNumber}, column ${JSON.stringify(column.header)}`)
    const convert = (row: ReportRow): PlainValue[] => {
      rowNumber += 1
      return columns.map((column, index) => plainValue(column.kind, row[column.key], job.minorDigits, where[index]!))
    }
    const sample = (await source.take(widthSampleRows)).map(convert)
    const widths = estimateWidths(columns, sample, job.minorDigits)
    const formats = columns.map((column) => numberFormatOf(column, job.minorDigits))
    // One style object per column, given to each of its cells: exceljs finds a style object it has
    // seen in a WeakMap, while the fresh copy each cell otherwise gets is rendered to XML to look its
    // style up — per cell, most of the time of writing a million rows.
    const cellStyles: Partial<ExcelJS.Style>[] = formats.map((format) => (format ? { numFmt: format } : {}))

    const written: WrittenSheet[] = []
    let sheet = openDataSheet(workbook, plan.sheetName, columns, widths, formats, view.frozenColumns ?? 0)
    let current: WrittenSheet = { name: plan.sheetName, view: view.name, rows: 0 }
    // Charts go on the view's first sheet, placed once its row count is known (see chartAnchor).
    let chartsPending = charts.length > 0
    const close = () => {
      if (chartsPending) {
        const anchor = chartAnchor(current.rows, columns.length)
        pictures.place(sheet, stack(charts, view, anchor.column, anchor.row))
        chartsPending = false
      }
      closeDataSheet(sheet, current.rows, columns.length)
    }
    let total = 0
    let pending = 0
    for (;;) {
      // The sampled rows were converted already; after them, rows are pulled one by one.
      const values = total < sample.length ? sample[total] : await nextConverted(source, convert)
      if (values === undefined) break
      if (current.rows === job.maxRows) {
        close()
        written.push(current)
        const name = job.names.take(`${plan.sheetName} (${written.length + 1})`)
        sheet = openDataSheet(workbook, name, columns, widths, formats, view.frozenColumns ?? 0)
        current = { name, view: view.name, rows: 0 }
      }
      const row = sheet.addRow(values.map(xlsxCellValue))
      for (let column = 0; column < cellStyles.length; column += 1) row.getCell(column + 1).style = cellStyles[column]!
      row.commit()
      current.rows += 1
      total += 1
      pending += 1
      if (pending === batchRows) {
        pending = 0
        await sheetDrained(sheet)
        await checkpoint(file, job, view.name, total)
      }
    }
    close()
    written.push(current)
    await checkpoint(file, job, view.name, total)
    return written
  } finally {
    await source.close()
  }
}

async function nextConverted(source: RowSource, convert: (row: ReportRow) => PlainValue[]): Promise<PlainValue[] | undefined> {
  const row = await source.next()
  return row === undefined ? undefined : convert(row)
}

function openDataSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: readonly ReportColumn[],
  widths: readonly number[],
  formats: readonly (string | undefined)[],
  frozenColumns: number,
): ExcelJS.Worksheet {
  const topLeft = `${columnLetter(frozenColumns + 1)}2`
  // The streaming writer writes the sheet views when the sheet is created and the column widths
  // before its first row, so both are settled here, before any row.
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1, topLeftCell: topLeft, activeCell: topLeft }],
    pageSetup: printSetup,
  })
  sheet.columns = columns.map((_, index) => ({ width: widths[index]!, style: formats[index] ? { numFmt: formats[index] } : {} }))
  const header = sheet.addRow(columns.map((column) => xlsxCellValue(column.header)))
  styleHeaderRow(header)
  header.commit()
  return sheet
}

function closeDataSheet(sheet: ExcelJS.Worksheet, rows: number, columnCount: number): void {
  // The auto-filter is written when the sheet is committed, so it can cover rows counted while streaming.
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows + 1, column: columnCount } }
  sheet.commit()
}

/** Tables up to this many rows get their charts underneath; longer ones beside them. */
export const chartsBelowMaxRows = 60

/**
 * Where a view's charts start (zero-based): under a short table, after one empty row, so the
 * sheet reads (and prints, one page wide) as table then chart; beside a long table, after one
 * empty column at the top, so the charts are seen without scrolling through the rows.
 */
export function chartAnchor(rows: number, columns: number): { column: number; row: number } {
  return rows <= chartsBelowMaxRows ? { column: 0, row: rows + 2 } : { column: columns + 1, row: 0 }
}

/** Pictures one below the other from (`column`, `firstRow`), a row apart. */
function stack(charts: readonly ChartPng[], view: ReportView, column: number, firstRow: number): SheetPicture[] {
  let row = firstRow
  return charts.map((chart, index) => {
    const picture = { png: chart.png, column, row, width: chart.width, height: chart.height, description: view.charts?.[index]?.title ?? '' }
    row += Math.ceil(chart.height / rowHeightPixels) + 1
    return picture
  })
}

/** Yields to the event loop so the zip and the file drain, then checks cancel and reports progress. */
async function checkpoint(file: AtomicFile, control: ExportControl, view: string, rows: number): Promise<void> {
  await pause(file)
  control.signal?.throwIfAborted()
  control.onProgress?.({ view, rows })
}

async function pause(file: AtomicFile): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve))
  await file.drained()
}

/** 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let letters = ''
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  return letters
}
