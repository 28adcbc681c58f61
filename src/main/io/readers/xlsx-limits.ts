// The XLSX reader's limits and its one error type (re-exported by xlsx.ts; kept apart so the zip,
// XML and sheet modules can throw it without importing the reader itself).
//
// Why these numbers:
// - Rows and columns: Excel's own maxima (1,048,576 × 16,384, i.e. A1:XFD1048576). A reference beyond
//   them is not a workbook Excel could have written, and it bounds the width of a row we build.
// - Cell text: 32,767 characters, Excel's own maximum per cell.
// - Sizes: a 1,000,000-row × 12-column player sheet is ~460 MB of sheet XML (97 MB zipped), so one
//   part may inflate to 2 GiB and the whole archive to 4 GiB; the zipped file may be 512 MiB.
// - Compression ratio: real sheets compress 5–7× (measured on exceljs and Excel output); 100× is what
//   Apache POI also allows. Parts under 1 MiB are exempt (a small, very regular part can exceed 100×).
// - Shared strings are the one part held in memory (see xlsx-strings.ts): 4,000,000 strings and
//   128 MiB of UTF-8 text keep it under ~180 MB, so the process stays under ~400 MB RSS. (A
//   1,000,000-player sheet with unique ids, IPs and devices has ~2,800,000 strings, 36 MB.)
// - One row (or one shared string) is parsed once all of its XML is in memory: 16 MiB at most.
// - workbook.xml, the relationship parts and styles.xml are read whole: 64 MiB each at most.

export const xlsxFileSizeMax = 512 * 2 ** 20
export const xlsxEntrySizeMax = 2 * 2 ** 30
export const xlsxTotalSizeMax = 4 * 2 ** 30
export const xlsxCompressionRatioMax = 100
/** Parts that inflate to less than this are not held to xlsxCompressionRatioMax. */
export const xlsxRatioCheckMinBytes = 2 ** 20
export const xlsxEntriesMax = 10_000
export const xlsxPartSizeMax = 64 * 2 ** 20
export const xlsxRowsMax = 1_048_576
export const xlsxColumnsMax = 16_384
export const xlsxCellLengthMax = 32_767
export const xlsxSharedStringsMax = 4_000_000
export const xlsxSharedStringsBytesMax = 128 * 2 ** 20
export const xlsxElementBytesMax = 16 * 2 ** 20
export const xlsxMergedRangesMax = 100_000

export interface XlsxLimits {
  fileSizeMax: number
  entrySizeMax: number
  totalSizeMax: number
  compressionRatioMax: number
  entriesMax: number
  partSizeMax: number
  rowsMax: number
  columnsMax: number
  cellLengthMax: number
  sharedStringsMax: number
  sharedStringsBytesMax: number
  elementBytesMax: number
  mergedRangesMax: number
}

export const xlsxDefaultLimits: Readonly<XlsxLimits> = Object.freeze({
  fileSizeMax: xlsxFileSizeMax,
  entrySizeMax: xlsxEntrySizeMax,
  totalSizeMax: xlsxTotalSizeMax,
  compressionRatioMax: xlsxCompressionRatioMax,
  entriesMax: xlsxEntriesMax,
  partSizeMax: xlsxPartSizeMax,
  rowsMax: xlsxRowsMax,
  columnsMax: xlsxColumnsMax,
  cellLengthMax: xlsxCellLengthMax,
  sharedStringsMax: xlsxSharedStringsMax,
  sharedStringsBytesMax: xlsxSharedStringsBytesMax,
  elementBytesMax: xlsxElementBytesMax,
  mergedRangesMax: xlsxMergedRangesMax,
})

export function resolveLimits(limits: Partial<XlsxLimits> | undefined): XlsxLimits {
  return { ...xlsxDefaultLimits, ...limits }
}

/** The exported constant's name, used in messages so an operator (or a developer) can find it. */
export type XlsxLimitName =
  | 'xlsxFileSizeMax'
  | 'xlsxEntrySizeMax'
  | 'xlsxTotalSizeMax'
  | 'xlsxCompressionRatioMax'
  | 'xlsxEntriesMax'
  | 'xlsxPartSizeMax'
  | 'xlsxRowsMax'
  | 'xlsxColumnsMax'
  | 'xlsxCellLengthMax'
  | 'xlsxSharedStringsMax'
  | 'xlsxSharedStringsBytesMax'
  | 'xlsxElementBytesMax'
  | 'xlsxMergedRangesMax'

export type XlsxErrorCode =
  /** A limit above was exceeded; `limit` names it. */
  | 'limit'
  /** The file has no bytes at all. */
  | 'empty'
  /** Not a zip archive (a CSV or text file renamed .xlsx, or a corrupt/truncated archive). */
  | 'notZip'
  /** An OLE compound file: an Excel 97–2003 .xls, or a password-protected .xlsx. */
  | 'oleCompound'
  /** Zip-level encryption, or an encrypted workbook. */
  | 'encrypted'
  /** A zip archive without the parts of a workbook (e.g. a .docx, or xl/workbook.xml missing). */
  | 'missingPart'
  /** The requested sheet does not exist. */
  | 'noSuchSheet'
  /** A DOCTYPE or ENTITY declaration (billion laughs and external entities are never processed). */
  | 'doctype'
  | 'invalidUtf8'
  /** XML the reader cannot make sense of (unclosed tags, an undefined entity, a bad shared string index). */
  | 'badXml'
  /** The compressed data is damaged, or a part inflates to a size other than the one its header declares. */
  | 'corrupt'

export class XlsxError extends Error {
  override readonly name = 'XlsxError'
  constructor(
    message: string,
    readonly code: XlsxErrorCode,
    /** Name of the exceeded limit, when code is 'limit'. */
    readonly limit?: XlsxLimitName,
    /** The sheet row the problem belongs to, when there is one. */
    readonly row?: number,
  ) {
    super(message)
  }
}

export const fmt = (n: number): string => n.toLocaleString('en-US')

export function limitError(message: string, limit: XlsxLimitName, row?: number): XlsxError {
  return new XlsxError(message, 'limit', limit, row)
}
