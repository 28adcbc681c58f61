// Streaming XLSX reader for large player and activity workbooks (DESIGN.md "Data in": several sheets,
// title rows, merged header cells, Excel dates, formulas, huge and hostile files).
//
// - The workbook is never loaded whole: the zip's central directory is read (yauzl), then one part at
//   a time is inflated as a stream (xlsx-zip.ts). In memory at once: the shared strings table (compact,
//   xlsx-strings.ts), the styles' date/duration flags, and the current ~256 KB chunk of sheet XML.
// - Sheets are listed from workbook.xml and its relationships, in workbook order, with their state
//   (visible / hidden / veryHidden); only worksheets are listed (not chart or dialog sheets).
// - rows(sheet) yields { rowNumber, cells }: rowNumber is the sheet's own 1-based row number; cells
//   are placed by their reference (gaps null); rows without any value are not yielded.
// - Cell values (what values.ts's parsers are handed; details in xlsx-sheet.ts):
//     text (shared, inline, a formula's text result)  string, as written (numbers stored as text
//                                                     stay text; rich text runs joined)
//     number                                          number
//     number with a date format                       Date (UTC), 1900 or 1904 system per workbook;
//                                                     the 1900 system's non-existent 1900-02-29
//                                                     (serial 60) stays the number 60
//     number with a time or [h]:mm elapsed format     { durationDays: number } (1.5 = 36 hours)
//     number with a percentage format (0%, 0.00%)     { percent: number } (0.1 shows as 10%)
//     TRUE / FALSE                                    true / false
//     error (#DIV/0!, #N/A, …), cached or not         { error: '#DIV/0!' }
//     formula with a cached value                     that value, converted as above
//     formula without a cached value                  { formula: 'A1+B1' } (no result property;
//                                                     '' for a shared formula's other cells)
//     empty                                           null (gap) / not present (end of row)
// - preview(n) reads the first n rows of every sheet (the importer picks the sheet whose header
//   matches best); it stops inflating each sheet as soon as it has its rows.
// - mergedRanges(sheet): merges are written after the data, so they cost a pass over the sheet XML;
//   rows() collects them for free when it reads a sheet to the end, and mergedRanges() then answers
//   from that; otherwise it inflates the sheet and skips the rows unparsed (~inflate speed, about
//   2 s for a 1,000,000-row sheet).
// - Hostile files are refused with an XlsxError naming the limit and the numbers (limits in
//   xlsx-limits.ts, re-exported here): empty, not a zip, .xls/encrypted (OLE), a zip bomb (declared
//   sizes, ratio, and bytes actually inflated), DOCTYPE/ENTITY anywhere, too many rows/columns/
//   strings, overlong cells, invalid UTF-8.
// - Cell text is only ever a value: nothing in the reader uses it as an object key (lookups are Maps).
// - The caller closes the workbook (close()); readXlsxRows() does it for a single pass.
import { posix } from 'node:path'
import { XlsxError, resolveLimits, type XlsxLimits } from './xlsx-limits'
import { SheetScanner, scanSheet, type XlsxMergedRange, type XlsxRow } from './xlsx-sheet'
import { loadSharedStrings, type SharedStrings } from './xlsx-strings'
import { parseStyles } from './xlsx-styles'
import { partText, prefixedAttr, scanTags } from './xlsx-xml'
import { XlsxZip, type ZipPart } from './xlsx-zip'

export {
  XlsxError,
  xlsxCellLengthMax,
  xlsxColumnsMax,
  xlsxCompressionRatioMax,
  xlsxDefaultLimits,
  xlsxElementBytesMax,
  xlsxEntriesMax,
  xlsxEntrySizeMax,
  xlsxFileSizeMax,
  xlsxMergedRangesMax,
  xlsxPartSizeMax,
  xlsxRatioCheckMinBytes,
  xlsxRowsMax,
  xlsxSharedStringsBytesMax,
  xlsxSharedStringsMax,
  xlsxTotalSizeMax,
  type XlsxErrorCode,
  type XlsxLimitName,
  type XlsxLimits,
} from './xlsx-limits'
export { columnName, serialToDate, type XlsxDurationCell, type XlsxPercentCell, type XlsxErrorCell, type XlsxFormulaCell, type XlsxMergedRange, type XlsxRow } from './xlsx-sheet'
export { formatKind } from './xlsx-styles'

export interface XlsxReadOptions {
  limits?: Partial<XlsxLimits>
}

export interface XlsxSheet {
  name: string
  /** 0-based position in the workbook's tab order. */
  index: number
  state: 'visible' | 'hidden' | 'veryHidden'
  /** The worksheet's part inside the archive, e.g. xl/worksheets/sheet1.xml. */
  part: string
}

export interface XlsxSheetPreview {
  sheet: XlsxSheet
  rows: XlsxRow[]
}

/** A sheet by name (exact, then ignoring case and surrounding spaces), by 0-based index, or as listed. */
export type XlsxSheetRef = string | number | XlsxSheet

const relationshipSuffix = {
  officeDocument: '/officeDocument',
  worksheet: '/worksheet',
  sharedStrings: '/sharedStrings',
  styles: '/styles',
}

interface Relationship {
  type: string
  /** Resolved part name inside the archive. */
  target: string
}

/** Relationships of a part (its _rels/NAME.rels), by id. Missing .rels → an empty map. */
async function readRelationships(zip: XlsxZip, owner: string): Promise<Map<string, Relationship>> {
  const dir = posix.dirname(owner)
  const relsName = posix.join(dir === '.' ? '' : dir, '_rels', `${posix.basename(owner)}.rels`)
  const part = zip.find(owner === '' ? '_rels/.rels' : relsName)
  const result = new Map<string, Relationship>()
  if (!part) return result
  const xml = partText(await zip.readWhole(part), part.name)
  scanTags(xml, part.name, (tag) => {
    if (tag.name !== 'Relationship' || tag.kind === 'close') return
    const id = tag.attrs.get('Id')
    const type = tag.attrs.get('Type')
    const target = tag.attrs.get('Target')
    if (id === undefined || type === undefined || target === undefined || tag.attrs.get('TargetMode') === 'External') return
    const resolved = target.startsWith('/') ? posix.normalize(target).replace(/^\/+/, '') : posix.normalize(posix.join(owner === '' ? '' : dir, target))
    result.set(id, { type, target: resolved })
  })
  return result
}

function findByType(relationships: Map<string, Relationship>, suffix: string): string | undefined {
  for (const relationship of relationships.values()) if (relationship.type.endsWith(suffix)) return relationship.target
  return undefined
}

function notAWorkbook(zip: XlsxZip): XlsxError {
  const names = zip.names
  const has = (prefix: string) => names.some((name) => name.startsWith(prefix))
  const what = has('word/')
    ? 'it is a Word document (.docx)'
    : has('ppt/')
      ? 'it is a PowerPoint presentation (.pptx)'
      : has('content.xml')
        ? 'it is an OpenDocument file (.ods/.odt): save it as .xlsx first'
        : `it has no xl/workbook.xml (parts found: ${names.slice(0, 8).join(', ') || 'none'}${names.length > 8 ? ', …' : ''})`
  return new XlsxError(`This zip archive is not an Excel workbook: ${what}.`, 'missingPart')
}

export class XlsxWorkbook {
  private stringsLoad: Promise<SharedStrings | undefined> | undefined
  private readonly mergeCache = new Map<string, XlsxMergedRange[]>()
  private closed = false
  private scanned = 0

  private constructor(
    private readonly zip: XlsxZip,
    readonly path: string,
    readonly sheets: readonly XlsxSheet[],
    /** workbook.xml's date1904 flag: serial 0 is 1904-01-01 instead of 1900-01-00. */
    readonly date1904: boolean,
    private readonly sharedStringsPart: ZipPart | undefined,
    private readonly kinds: Uint8Array,
    private readonly limits: XlsxLimits,
  ) {}

  /** Opens a workbook: checks the file, reads the sheet list and the styles. */
  static async open(path: string, options: XlsxReadOptions = {}): Promise<XlsxWorkbook> {
    const limits = resolveLimits(options.limits)
    const zip = await XlsxZip.open(path, limits)
    try {
      const rootRels = await readRelationships(zip, '')
      const workbookName = findByType(rootRels, relationshipSuffix.officeDocument) ?? 'xl/workbook.xml'
      const workbookPart = zip.find(workbookName) ?? zip.find('xl/workbook.xml')
      if (!workbookPart) throw notAWorkbook(zip)
      const rels = await readRelationships(zip, workbookPart.name)
      const xml = partText(await zip.readWhole(workbookPart), workbookPart.name)
      let date1904 = false
      const sheets: XlsxSheet[] = []
      scanTags(xml, workbookPart.name, (tag) => {
        if (tag.kind === 'close') return
        if (tag.name === 'workbookPr') {
          const flag = tag.attrs.get('date1904')
          date1904 = flag === '1' || flag === 'true'
        } else if (tag.name === 'sheet') {
          const name = tag.attrs.get('name') ?? ''
          const id = prefixedAttr(tag.attrs, 'id')
          const relationship = id === undefined ? undefined : rels.get(id)
          if (relationship && !relationship.type.endsWith(relationshipSuffix.worksheet)) return // chart, dialog or macro sheet
          const state = tag.attrs.get('state')
          sheets.push({
            name,
            index: sheets.length,
            state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
            part: relationship?.target ?? '',
          })
        }
      })
      if (sheets.length === 0) throw new XlsxError(`${workbookPart.name} lists no worksheets: there is nothing to import.`, 'missingPart')
      const workbookDir = posix.dirname(workbookPart.name)
      const relatedPart = (suffix: string, fallback: string) => {
        const name = findByType(rels, suffix)
        return (name === undefined ? undefined : zip.find(name)) ?? zip.find(posix.join(workbookDir, fallback))
      }
      const stylesPart = relatedPart(relationshipSuffix.styles, 'styles.xml')
      const kinds = stylesPart ? parseStyles(partText(await zip.readWhole(stylesPart), stylesPart.name), stylesPart.name) : new Uint8Array(0)
      return new XlsxWorkbook(zip, path, sheets, date1904, relatedPart(relationshipSuffix.sharedStrings, 'sharedStrings.xml'), kinds, limits)
    } catch (error) {
      zip.close()
      throw error
    }
  }

  /** Resolves a sheet reference; throws XlsxError 'noSuchSheet' naming the sheets there are. */
  sheet(which: XlsxSheetRef): XlsxSheet {
    if (typeof which === 'object') {
      const found = this.sheets[which.index]
      if (found && found.part === which.part) return found
    } else if (typeof which === 'number') {
      const found = this.sheets[which]
      if (found) return found
    } else {
      const exact = this.sheets.find((sheet) => sheet.name === which)
      if (exact) return exact
      const wanted = which.trim().toLowerCase()
      const loose = this.sheets.find((sheet) => sheet.name.trim().toLowerCase() === wanted)
      if (loose) return loose
    }
    const shown = typeof which === 'object' ? `"${which.name}"` : typeof which === 'number' ? `number ${which + 1}` : `"${which}"`
    throw new XlsxError(`The workbook has no sheet ${shown}; its sheets are: ${this.sheets.map((sheet) => `"${sheet.name}"`).join(', ')}.`, 'noSuchSheet')
  }

  /** The first visible sheet (or the first sheet, if all are hidden). */
  get firstVisibleSheet(): XlsxSheet {
    return this.sheets.find((sheet) => sheet.state === 'visible') ?? this.sheets[0]!
  }

  private sharedStrings(): Promise<SharedStrings | undefined> {
    const part = this.sharedStringsPart
    if (!part) return Promise.resolve(undefined)
    this.stringsLoad ??= loadSharedStrings(this.zip.stream(part), part.name, this.limits)
    return this.stringsLoad
  }

  /** Bytes of sheet XML read so far by the last batches() or rows(): progress against sheetBytes(). */
  get bytesScanned(): number {
    return this.scanned
  }

  /** The sheet's XML size as the archive declares it (the inflated stream is held to it). */
  sheetBytes(which: XlsxSheetRef = this.firstVisibleSheet): number {
    return this.sheetPart(this.sheet(which)).uncompressedSize
  }

  private async *counted(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      this.scanned += chunk.length
      yield chunk
    }
  }

  private sheetPart(sheet: XlsxSheet): ZipPart {
    const part = sheet.part === '' ? undefined : this.zip.find(sheet.part)
    if (!part) {
      throw new XlsxError(`Sheet "${sheet.name}" has no data part in the archive (${sheet.part || 'no relationship'}): the workbook is damaged.`, 'missingPart')
    }
    return part
  }

  /**
   * The sheet's rows, streaming. `maxRows` stops after that many yielded rows. Breaking out of the
   * loop early closes the part's stream.
   */
  async *rows(which: XlsxSheetRef = this.firstVisibleSheet, options: { maxRows?: number } = {}): AsyncGenerator<XlsxRow> {
    for await (const batch of this.batches(which, options)) for (const row of batch) yield row
  }

  /** The rows of one sheet in batches (one per scanned chunk): what rows() and readXlsxRows() hand out. */
  async *batches(which: XlsxSheetRef = this.firstVisibleSheet, options: { maxRows?: number } = {}): AsyncGenerator<XlsxRow[]> {
    this.assertOpen()
    const sheet = this.sheet(which)
    const part = this.sheetPart(sheet)
    const strings = await this.sharedStrings()
    const label = `Sheet "${sheet.name}"`
    const scanner = new SheetScanner(
      { part: part.name, sheetName: sheet.name, strings, kinds: this.kinds, date1904: this.date1904, limits: this.limits },
      'rows',
      options.maxRows ?? Infinity,
    )
    this.scanned = 0
    yield* scanSheet(this.counted(this.zip.stream(part)), scanner, label, this.limits)
    if (scanner.pastData) this.mergeCache.set(part.name, scanner.merges)
  }

  /** The first `rowsPerSheet` rows of every sheet, in workbook order. */
  async preview(rowsPerSheet = 20): Promise<XlsxSheetPreview[]> {
    const previews: XlsxSheetPreview[] = []
    for (const sheet of this.sheets) {
      const rows: XlsxRow[] = []
      for await (const row of this.rows(sheet, { maxRows: rowsPerSheet })) rows.push(row)
      previews.push({ sheet, rows })
    }
    return previews
  }

  /** The sheet's merged ranges (see the header comment for the cost). */
  async mergedRanges(which: XlsxSheetRef = this.firstVisibleSheet): Promise<XlsxMergedRange[]> {
    this.assertOpen()
    const sheet = this.sheet(which)
    const part = this.sheetPart(sheet)
    const cached = this.mergeCache.get(part.name)
    if (cached) return cached.map((range) => ({ ...range }))
    const scanner = new SheetScanner(
      { part: part.name, sheetName: sheet.name, strings: undefined, kinds: this.kinds, date1904: this.date1904, limits: this.limits },
      'merges',
    )
    for await (const _row of scanSheet(this.zip.stream(part), scanner, `Sheet "${sheet.name}"`, this.limits)) {
      // 'merges' mode yields no rows
    }
    this.mergeCache.set(part.name, scanner.merges)
    return scanner.merges.map((range) => ({ ...range }))
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.zip.close()
  }

  private assertOpen(): void {
    if (this.closed) throw new XlsxError(`The workbook ${this.path} is closed.`, 'missingPart')
  }
}

/** Opens a workbook (see XlsxWorkbook); the caller closes it. */
export function openXlsx(path: string, options: XlsxReadOptions = {}): Promise<XlsxWorkbook> {
  return XlsxWorkbook.open(path, options)
}

/**
 * One pass over one sheet (default: the first visible one), closing the workbook at the end or when
 * the caller stops early.
 */
export async function* readXlsxRows(path: string, options: XlsxReadOptions & { sheet?: XlsxSheetRef; maxRows?: number } = {}): AsyncGenerator<XlsxRow> {
  for await (const batch of readXlsxBatches(path, options)) for (const row of batch) yield row
}

/** readXlsxRows in the reader's own batches (one per scanned chunk), for consumers of millions of rows. */
export async function* readXlsxBatches(path: string, options: XlsxReadOptions & { sheet?: XlsxSheetRef; maxRows?: number } = {}): AsyncGenerator<XlsxRow[]> {
  const workbook = await XlsxWorkbook.open(path, options)
  try {
    yield* workbook.batches(options.sheet ?? workbook.firstVisibleSheet, { maxRows: options.maxRows })
  } finally {
    await workbook.close()
  }
}
