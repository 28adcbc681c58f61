// Report export: views (typed tables and charts) to an Excel workbook or a CSV file.
export { writeReportWorkbook, excelMaxDataRows, summarySheetName } from './workbook'
export { writeReportCsv } from './csv'
export { renderChartPng, renderChartSvg, rasteriseSvg, chartFontFamily } from './chart-image'
export { sanitiseSheetName, SheetNames, maxSheetNameLength } from './sheet-names'
export { numberFormatOf } from './cell-values'
export { ReportValueError } from './errors'
export * from './types'
