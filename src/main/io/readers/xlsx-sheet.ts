// The worksheet scanner: the bytes of xl/worksheets/sheetN.xml in, rows of cell values out.
//
// Why a hand-written scanner: the sheet XML's vocabulary is fixed and small (<sheetData>, <row r>,
// <c r t s>, <v>, <f>, <is><t>, then <mergeCells> after the data), and a general parser costs more
// than the whole budget. Measured on this 2-core VM over the 92.5 MB sheet XML of 200,000 rows × 12
// columns, parsing alone (already inflated, no cell values built): saxes 2.9 s (69k rows/s), sax
// 4.1 s (49k rows/s); exceljs's streaming reader end to end 13.5 s (15k rows/s). A 100k rows/s target
// leaves 10 µs per row for inflating, parsing and building values, so neither general parser fits.
// This scanner works on the inflated bytes directly: byte loops to the next '<' (a Buffer.indexOf
// call costs more than the few bytes between tags), byte comparisons for names, attributes in one
// pass, a fast path for <c …><v>…</v></c>, numbers built from their digits, strings decoded only for
// the cells that hold them (a fresh flat string each, never a slice pinning the chunk). It scans a
// 15-column player row in ~3 µs. Rows are parsed once all of their XML is in the buffer; a row cut
// by a chunk boundary is parsed again from its start, joined with the next chunk's head up to the
// row's end tag (xlsxElementBytesMax bounds a hostile row).
//
// Cell values (what `cells` holds; column positions come from the cell reference, gaps are null):
// - t="s" shared string, t="inlineStr" inline string, t="str" a formula's text result → string
//   (rich text runs concatenated; entities and _xHHHH_ escapes decoded; numbers stored as text stay
//   text);
// - a number → number; with a date format → Date (UTC; 1900 or 1904 date system as workbook.xml
//   says; the 1900 system's fictitious 1900-02-29, serial 60, stays the number 60, which the
//   importer's parseDate refuses with its own message); with a time or elapsed-time format →
//   { durationDays: number } (see xlsx-styles.ts); a number too far out for a date stays a number;
//   with a percentage format → { percent: number } (0.1 for a cell showing 10%: what the operator
//   sees is 10, so the importer refuses it as an amount instead of reading 0.10);
// - t="b" → true / false; t="e" → { error: '#DIV/0!' } (the shape exceljs uses, which the
//   importer's value parsers already refuse as "a spreadsheet error"); t="d" (ISO date text) → Date;
// - a formula with a cached value → that value (as above); a formula without one →
//   { formula: 'A1+B1' } with no value (the text is '' for a shared formula's dependent cells, whose
//   formula is written only once, in the first cell of the range);
// - an empty cell (<c r="B2" s="3"/>) → nothing. A row with no values at all is not yielded.
//
// Merged ranges: <mergeCells> comes after <sheetData>, so it is known only once the whole sheet XML
// has been read. A full rows pass collects them on the way (free); a separate mergedRanges() call
// inflates the sheet and jumps over the rows with indexOf('</sheetData'), without parsing them.
import { isUtf8 } from 'node:buffer'
import { XlsxError, fmt, limitError, xlsxRowsMax, type XlsxLimits } from './xlsx-limits'
import type { SharedStrings } from './xlsx-strings'
import { kindDate, kindDuration, kindPercent } from './xlsx-styles'
import {
  APOS,
  BANG,
  ChunkJoiner,
  EQ,
  GT,
  LT,
  QMARK,
  QUOTE,
  SLASH,
  decodeXEscapes,
  find,
  item,
  matchName,
  mixed,
  parseIndex,
  parseNumber,
  qualified,
  readMixedText,
  readProlog,
  readStringItem,
  root,
  runText,
  skipBang,
  skipElement,
  skipPi,
  tagEnd,
  textOf,
  type StringItemNames,
} from './xlsx-xml'

export interface XlsxRow {
  /** The sheet's own 1-based row number (the r attribute), as the operator sees it in Excel. */
  rowNumber: number
  cells: unknown[]
}

/** A cell whose formula has no cached value: the importer makes it a row error. */
export interface XlsxFormulaCell {
  formula: string
}

/** An error value such as #DIV/0!, #N/A, #VALUE!, #REF!. */
export interface XlsxErrorCell {
  error: string
}

/** A time or elapsed time ([h]:mm, h:mm, mm:ss): a number of days, 1.5 = 36 hours. */
export interface XlsxDurationCell {
  durationDays: number
}

/** A number formatted as a percentage: 0.1 shows as 10%. */
export interface XlsxPercentCell {
  percent: number
}

export interface XlsxMergedRange {
  /** As written, e.g. "A1:C1". */
  ref: string
  firstRow: number
  firstColumn: number
  lastRow: number
  lastColumn: number
}

export interface SheetContext {
  /** The zip part, e.g. xl/worksheets/sheet1.xml. */
  part: string
  sheetName: string
  strings: SharedStrings | undefined
  /** Format kind per cellXfs index (see xlsx-styles.ts). */
  kinds: Uint8Array
  date1904: boolean
  limits: XlsxLimits
}

const T_N = 0
const T_S = 1
const T_B = 2
const T_E = 3
const T_STR = 4
const T_INLINE = 5
const T_D = 6

const phaseProlog = 0
const phaseRows = 1
const phaseAfter = 2
const phaseEnd = 3

const msPerDay = 86_400_000
const epoch1900 = Date.UTC(1899, 11, 30)
/** Serials 1–59 count from 1899-12-31: Excel's 1900 is a leap year, so its day 60 does not exist. */
const epoch1900Early = Date.UTC(1899, 11, 31)
const epoch1904 = Date.UTC(1904, 0, 1)
/** 9999-12-31 in each system. */
const lastSerial1900 = 2_958_465
const lastSerial1904 = 2_957_003

/** Excel serial → Date (UTC), or the number itself when it is no date (negative, 60 in 1900, too far). */
export function serialToDate(serial: number, date1904: boolean): Date | number {
  if (date1904) {
    if (!(serial >= 0 && serial < lastSerial1904 + 1)) return serial
    return new Date(epoch1904 + Math.round(serial * msPerDay))
  }
  if (!(serial >= 0 && serial < lastSerial1900 + 1) || (serial >= 60 && serial < 61)) return serial
  return new Date((serial < 60 ? epoch1900Early : epoch1900) + Math.round(serial * msPerDay))
}

/** 1 → A, 27 → AA, 16384 → XFD. */
export function columnName(column: number): string {
  let name = ''
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26)) name = String.fromCharCode(65 + ((c - 1) % 26)) + name
  return name
}

/** "B3" → { row: 3, column: 2 }; undefined when it is not a cell reference. */
export function parseCellRef(ref: string): { row: number; column: number } | undefined {
  const match = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/.exec(ref.trim())
  if (!match) return undefined
  let column = 0
  for (const ch of match[1]!.toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64)
  return { row: Number(match[2]), column }
}

const refAttribute = /\sref\s*=\s*(?:"([^"]*)"|'([^']*)')/

export class SheetScanner {
  /** Rows completed by the last feed(); take() hands them over. */
  rows: XlsxRow[] = []
  /** Byte offset of each of `rows` in the last buffer, to name the row of an invalid UTF-8 byte. */
  readonly rowStarts: number[] = []
  readonly merges: XlsxMergedRange[] = []
  private phase = phaseProlog
  private lastRow = 0
  private rowCount = 0
  private yielded = 0
  private names!: {
    row: Uint8Array
    c: Uint8Array
    v: Uint8Array
    f: Uint8Array
    is: Uint8Array
    sheetData: Uint8Array
    mergeCell: Uint8Array
    worksheet: Uint8Array
    endSheetData: Buffer
    endRow: Buffer
    strings: StringItemNames
  }
  /** Longest name compared at a tag: a tag closer than this to the buffer's end waits for more bytes. */
  private longest = 0
  /** Element names have no namespace prefix (the usual case; the cell fast path needs it). */
  private plainNames = false
  // Attributes of the last scanned start tag (scratch, to avoid an object per cell).
  private rStart = -1
  private rEnd = -1
  private tStart = -1
  private tEnd = -1
  private style = -1
  private selfClosing = false
  private readonly strings: SharedStrings | undefined
  private readonly kinds: Uint8Array
  private readonly date1904: boolean
  private readonly limits: XlsxLimits
  private readonly label: string

  constructor(
    private readonly context: SheetContext,
    /** 'merges': skip the rows unparsed and collect only the merged ranges. */
    readonly mode: 'rows' | 'merges',
    /** Stop after this many rows have been yielded. */
    private readonly maxRows = Infinity,
  ) {
    this.strings = context.strings
    this.kinds = context.kinds
    this.date1904 = context.date1904
    this.limits = context.limits
    this.label = `Sheet "${context.sheetName}"`
  }

  /** The rows completed so far, handed over (the scanner starts a new list). */
  take(): XlsxRow[] {
    const rows = this.rows
    if (rows.length > 0) this.rows = []
    return rows
  }

  /** True once nothing more is wanted from the part (its end, or maxRows reached). */
  get done(): boolean {
    return this.phase === phaseEnd || (this.phase === phaseRows && this.yielded >= this.maxRows)
  }

  /** The end tag of the element a chunk boundary may cut (see ChunkJoiner.pieces), if there is one. */
  get boundary(): Buffer | undefined {
    return this.phase === phaseRows && this.mode === 'rows' ? this.names.endRow : undefined
  }

  /** True once the whole of <sheetData> has been read (so `merges` is complete when done). */
  get pastData(): boolean {
    return this.phase === phaseAfter || this.phase === phaseEnd
  }

  private where(row: number, column?: number): string {
    return column === undefined ? `${this.label}, row ${fmt(row)}` : `${this.label}, row ${fmt(row)}, cell ${columnName(column)}${row}`
  }

  private bad(message: string, row?: number): XlsxError {
    return new XlsxError(`${row === undefined ? this.label : this.where(row)}: ${message}`, 'badXml', undefined, row)
  }

  /** Parses what it can of `b`; returns how many bytes are consumed (the rest is carried into the next call). */
  feed(b: Buffer): number {
    this.rowStarts.length = 0
    let i = 0
    if (this.phase === phaseProlog) {
      i = this.prolog(b)
      if (i === -1) return 0
    }
    if (this.phase === phaseRows) {
      i = this.mode === 'rows' ? this.scanRows(b, i) : this.skipRows(b, i)
      if (this.phase === phaseRows) return i
    }
    if (this.phase === phaseAfter) i = this.after(b, i)
    return this.phase === phaseEnd ? b.length : i
  }

  /** Call after the last chunk: refuses a sheet whose XML stops short. */
  finish(): void {
    if (this.phase === phaseEnd || this.phase === phaseAfter) return
    if (this.phase === phaseRows && this.yielded >= this.maxRows) return
    throw new XlsxError(
      `${this.label}: the sheet's XML ends ${this.phase === phaseProlog ? 'before its data' : `inside its data (after row ${fmt(this.lastRow)})`}; the file is truncated or damaged.`,
      'badXml',
    )
  }

  // ---- before <sheetData> -----------------------------------------------------------------------

  private prolog(b: Buffer): number {
    let i = 0
    if (this.names === undefined) {
      i = readProlog(b, 0, this.context.part, 'worksheet')
      if (i === -1) return -1
      const p = root.prefix
      // Longest name compared (sheetData, worksheet, mergeCell), prefix included.
      const longest = (p === '' ? 0 : p.length + 1) + 9
      const names = {
        row: qualified(p, 'row'),
        c: qualified(p, 'c'),
        v: qualified(p, 'v'),
        f: qualified(p, 'f'),
        is: qualified(p, 'is'),
        sheetData: qualified(p, 'sheetData'),
        mergeCell: qualified(p, 'mergeCell'),
        worksheet: qualified(p, 'worksheet'),
        endSheetData: Buffer.from(`</${p === '' ? '' : `${p}:`}sheetData`, 'latin1'),
        endRow: Buffer.from(`</${p === '' ? '' : `${p}:`}row>`, 'latin1'),
        strings: { t: qualified(p, 't'), rPh: qualified(p, 'rPh') },
      }
      this.names = names
      this.longest = longest
      this.plainNames = p === ''
      if (root.selfClosing) {
        this.phase = phaseEnd
        return b.length
      }
    }
    const n = b.length
    for (;;) {
      const lt = b.indexOf(LT, i)
      if (lt === -1) return n
      if (lt + 2 + this.longest >= n) return lt
      const c = b[lt + 1]
      if (c === BANG || c === QMARK) {
        const next = this.skipSpecial(b, lt)
        if (next === -1) return lt
        i = next
        continue
      }
      const gt = tagEnd(b, lt + 1)
      if (gt === -1) return lt
      i = gt + 1
      if (c === SLASH) {
        if (matchName(b, lt + 2, this.names.worksheet)) {
          this.phase = phaseEnd // a worksheet without <sheetData>
          return n
        }
        continue
      }
      if (matchName(b, lt + 1, this.names.sheetData)) {
        this.phase = b[gt - 1] === SLASH ? phaseAfter : phaseRows
        return i
      }
    }
  }

  /** A comment, a processing instruction, or a refused DOCTYPE; -1 when incomplete. */
  private skipSpecial(b: Buffer, lt: number): number {
    if (b[lt + 1] === QMARK) return skipPi(b, lt)
    const next = skipBang(b, lt, this.context.part)
    if (next === -2) throw this.bad('unexpected CDATA section')
    return next
  }

  // ---- <sheetData> ----------------------------------------------------------------------------------

  private scanRows(b: Buffer, from: number): number {
    const n = b.length
    const names = this.names
    let i = from
    while (this.yielded < this.maxRows) {
      const lt = find(b, LT, i)
      if (lt === -1) return n
      if (lt + 2 + this.longest >= n) return lt
      const c = b[lt + 1]
      if (matchName(b, lt + 1, names.row)) {
        const next = this.row(b, lt)
        if (next === -1) return lt
        i = next
        continue
      }
      if (c === SLASH) {
        if (!matchName(b, lt + 2, names.sheetData)) throw this.bad(`unexpected end tag after row ${fmt(this.lastRow)}`)
        const gt = find(b, GT, lt)
        if (gt === -1) return lt
        this.phase = phaseAfter
        return gt + 1
      }
      const next = c === BANG || c === QMARK ? this.skipSpecial(b, lt) : skipElement(b, lt, this.context.part)
      if (next === -1) return lt
      i = next
    }
    return i
  }

  private skipRows(b: Buffer, from: number): number {
    const pattern = this.names.endSheetData
    const at = b.indexOf(pattern, from)
    if (at === -1) return Math.max(from, b.length - pattern.length)
    const gt = b.indexOf(GT, at)
    if (gt === -1) return at
    this.phase = phaseAfter
    return gt + 1
  }

  /**
   * Scans a start tag's attributes from `i` (just after its name) to its '>', remembering r, t and s.
   * Returns the index after the tag, or -1 when the tag is not complete in the buffer.
   */
  private attributes(b: Buffer, i: number, row: number): number {
    const n = b.length
    this.rStart = -1
    this.tStart = -1
    this.style = -1
    for (;;) {
      let c = 0
      while (i < n) {
        c = b[i]!
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break
        i++
      }
      if (i >= n) return -1
      if (c === GT) {
        this.selfClosing = false
        return i + 1
      }
      if (c === SLASH) {
        if (i + 1 >= n) return -1
        if (b[i + 1] !== GT) throw this.bad('malformed tag', row)
        this.selfClosing = true
        return i + 2
      }
      const nameStart = i
      while (i < n) {
        c = b[i]!
        if (c === EQ || c === 32 || c === GT || c === SLASH || c === 10 || c === 13 || c === 9) break
        i++
      }
      const nameLength = i - nameStart
      while (i < n) {
        c = b[i]!
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break
        i++
      }
      if (i >= n) return -1
      if (c !== EQ) throw this.bad('an attribute without a value', row)
      i++
      while (i < n) {
        c = b[i]!
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break
        i++
      }
      if (i >= n) return -1
      if (c !== QUOTE && c !== APOS) throw this.bad('an attribute value without quotes', row)
      const close = find(b, c, i + 1)
      if (close === -1) return -1
      if (nameLength === 1) {
        const name = b[nameStart]
        if (name === 114) {
          this.rStart = i + 1
          this.rEnd = close
        } else if (name === 116) {
          this.tStart = i + 1
          this.tEnd = close
        } else if (name === 115) {
          this.style = parseIndex(b, i + 1, close)
        }
      }
      i = close + 1
    }
  }

  /** One <row> from `lt`; returns the index after it, or -1 when it is not complete in the buffer. */
  private row(b: Buffer, lt: number): number {
    const n = b.length
    const names = this.names
    let i = this.attributes(b, lt + 1 + names.row.length, this.lastRow + 1)
    if (i === -1) return -1
    let rowNumber = this.rStart === -1 ? this.lastRow + 1 : parseIndex(b, this.rStart, this.rEnd)
    if (rowNumber < 1) rowNumber = this.lastRow + 1
    if (rowNumber > this.limits.rowsMax || this.rowCount >= this.limits.rowsMax) {
      const message =
        rowNumber > this.limits.rowsMax
          ? `${this.label}: row ${fmt(rowNumber)} is beyond xlsxRowsMax (${fmt(this.limits.rowsMax)} rows${this.limits.rowsMax === xlsxRowsMax ? ", Excel's own maximum" : ''}).`
          : `${this.label}: more than ${fmt(this.limits.rowsMax)} rows exceeds xlsxRowsMax.`
      throw limitError(message, 'xlsxRowsMax', rowNumber)
    }
    const cells: unknown[] = []
    if (!this.selfClosing) {
      let nextColumn = 1
      for (;;) {
        // Names are compared only once their tag's '>' is in the buffer (end tags), or a name cut by
        // the buffer's end simply does not match (start tags) and the fallback finds the tag incomplete.
        const at = find(b, LT, i)
        if (at === -1 || at + 1 >= n) return -1
        const c = b[at + 1]
        if (c === SLASH) {
          const gt = find(b, GT, at + 2)
          if (gt === -1) return -1
          if (!matchName(b, at + 2, names.row)) throw this.bad('unexpected end tag inside a row', rowNumber)
          i = gt + 1
          break
        }
        if (matchName(b, at + 1, names.c)) {
          const next = this.cell(b, at, rowNumber, nextColumn, cells)
          if (next === -1) return -1
          nextColumn = this.column + 1
          i = next
          continue
        }
        const next = c === BANG || c === QMARK ? this.skipSpecial(b, at) : skipElement(b, at, this.context.part)
        if (next === -1) return -1
        i = next
      }
    }
    this.lastRow = rowNumber
    this.rowCount++
    if (cells.length > 0) {
      this.rows.push({ rowNumber, cells })
      this.rowStarts.push(lt)
      this.yielded++
    }
    return i
  }

  /** Column and row of the current cell() (scratch). */
  private column = 0
  private currentRow = 0
  /** The current cell, for messages; one function for the scanner's life (no closure per cell). */
  private readonly whereCell = (): string => this.where(this.currentRow, this.column)

  /** One <c> from `lt`; stores its value in `cells`. Returns the index after it, or -1 when incomplete. */
  private cell(b: Buffer, lt: number, row: number, defaultColumn: number, cells: unknown[]): number {
    const n = b.length
    const names = this.names
    let i = this.attributes(b, lt + 1 + names.c.length, row)
    if (i === -1) return -1
    let column = 0
    if (this.rStart !== -1) {
      const max = this.limits.columnsMax
      for (let k = this.rStart; k < this.rEnd; k++) {
        let c = b[k]!
        if (c >= 97 && c <= 122) c -= 32
        if (c < 65 || c > 90) break
        column = column * 26 + (c - 64)
        if (column > max) {
          const ref = b.toString('latin1', this.rStart, Math.min(this.rEnd, this.rStart + 20))
          throw limitError(
            `${this.where(row)}: cell ${ref} is beyond column ${columnName(max)}, which exceeds xlsxColumnsMax (${fmt(max)} columns).`,
            'xlsxColumnsMax',
            row,
          )
        }
      }
    }
    if (column === 0) column = defaultColumn
    if (column > this.limits.columnsMax) {
      throw limitError(`${this.where(row)}: more than ${fmt(this.limits.columnsMax)} cells in one row exceeds xlsxColumnsMax.`, 'xlsxColumnsMax', row)
    }
    this.column = column
    this.currentRow = row
    let type = T_N
    if (this.tStart !== -1) {
      const length = this.tEnd - this.tStart
      const t0 = b[this.tStart]
      if (length === 1) type = t0 === 115 ? T_S : t0 === 98 ? T_B : t0 === 101 ? T_E : t0 === 100 ? T_D : T_N
      else if (length === 3 && t0 === 115) type = T_STR
      else if (length === 9 && t0 === 105) type = T_INLINE
    }
    const style = this.style
    if (this.selfClosing) return i

    let vStart = -1
    let vEnd = -1
    let vText: string | undefined // <v> text that held CDATA
    let hasFormula = false
    let fStart = -1
    let fEnd = -1
    let fText: string | undefined
    let inline: string | undefined
    // Fast path for the common cell, <c …><v>text</v></c> without a prefix: byte compares instead of
    // the general loop's name matching (~20% of the scan time on a 1,000,000-row sheet).
    let done = false
    if (this.plainNames && b[i] === LT && b[i + 1] === 118 && b[i + 2] === GT) {
      let k = i + 3
      while (k < n && b[k] !== LT) k++
      if (k + 7 < n && b[k + 1] === SLASH && b[k + 2] === 118 && b[k + 3] === GT && b[k + 4] === LT && b[k + 5] === SLASH && b[k + 6] === 99 && b[k + 7] === GT) {
        vStart = i + 3
        vEnd = k
        i = k + 8
        done = true
      }
    }
    while (!done) {
      const at = find(b, LT, i)
      if (at === -1 || at + 1 >= n) return -1
      const c = b[at + 1]
      if (c === SLASH) {
        const gt = find(b, GT, at + 2)
        if (gt === -1) return -1
        if (!matchName(b, at + 2, names.c)) throw this.bad(`unexpected end tag in cell ${columnName(column)}${row}`, row)
        i = gt + 1
        break
      }
      const isV = matchName(b, at + 1, names.v)
      if (isV || matchName(b, at + 1, names.f)) {
        const gt = tagEnd(b, at + 1)
        if (gt === -1) return -1
        let start = gt + 1
        let end = gt + 1
        let text: string | undefined
        let next = gt + 1
        if (b[gt - 1] !== SLASH) {
          const te = find(b, LT, gt + 1)
          if (te === -1 || te + 1 >= n) return -1
          if (b[te + 1] === BANG) {
            next = readMixedText(b, gt + 1, isV ? names.v : names.f, this.whereCell)
            if (next === -1) return -1
            text = mixed.text
          } else {
            const gt2 = find(b, GT, te + 2)
            if (gt2 === -1) return -1
            if (b[te + 1] !== SLASH) throw this.bad(`unexpected markup in cell ${columnName(column)}${row}`, row)
            end = te
            next = gt2 + 1
          }
        } else start = end = gt + 1
        if (isV) {
          vStart = start
          vEnd = end
          vText = text
        } else {
          hasFormula = true
          fStart = start
          fEnd = end
          fText = text
        }
        i = next
        continue
      }
      if (matchName(b, at + 1, names.is)) {
        const gt = tagEnd(b, at + 1)
        if (gt === -1) return -1
        if (b[gt - 1] === SLASH) {
          inline = ''
          i = gt + 1
          continue
        }
        const next = readStringItem(b, gt + 1, names.is, names.strings, this.whereCell)
        if (next === -1) return -1
        inline = item.simple ? runText(b, item.start, item.end, this.whereCell) : item.text
        i = next
        continue
      }
      const next = c === BANG || c === QMARK ? this.skipSpecial(b, at) : skipElement(b, at, this.context.part)
      if (next === -1) return -1
      i = next
    }

    let value: unknown
    // An empty <v/> is a value only for a formula's text result (""); otherwise there is no cached value.
    const hasValue = vText !== undefined ? vText !== '' || type === T_STR : vEnd > vStart || (vStart !== -1 && type === T_STR)
    if (inline !== undefined) {
      value = this.text(inline, row, column)
    } else if (hasValue) {
      switch (type) {
        case T_S: {
          const index = vText !== undefined ? (/^\s*\d+\s*$/.test(vText) ? Number(vText) : -1) : parseIndex(b, vStart, vEnd)
          const text = index < 0 ? undefined : this.strings?.get(index)
          if (text === undefined) {
            throw this.bad(
              `cell ${columnName(column)}${row} refers to shared string ${index < 0 ? '(not a number)' : fmt(index)}, but the workbook has ${fmt(this.strings?.count ?? 0)}`,
              row,
            )
          }
          value = text
          break
        }
        case T_N: {
          const number = vText !== undefined ? Number(vText.trim() === '' ? NaN : vText) : parseNumber(b, vStart, vEnd)
          if (Number.isNaN(number)) {
            value = this.text(vText ?? textOf(b, vStart, vEnd, this.whereCell), row, column)
            break
          }
          const kind = style >= 0 && style < this.kinds.length ? this.kinds[style] : 0
          value = kind === kindDate ? serialToDate(number, this.date1904) : kind === kindDuration ? { durationDays: number } : kind === kindPercent ? { percent: number } : number
          break
        }
        case T_B: {
          const first = vText !== undefined ? vText.trim().charCodeAt(0) : b[vStart]
          value = first === 49 || first === 116 || first === 84 // "1", "true"
          break
        }
        case T_E:
          value = { error: vText ?? textOf(b, vStart, vEnd, this.whereCell) }
          break
        case T_D: {
          const text = vText ?? b.toString('latin1', vStart, vEnd)
          const date = new Date(/(?:Z|[+-]\d\d:?\d\d)$/.test(text) || !text.includes('T') ? text : `${text}Z`)
          value = Number.isNaN(date.getTime()) ? this.text(text, row, column) : date
          break
        }
        default: // T_STR, T_INLINE with a <v>
          value = this.text(decodeXEscapes(vText ?? textOf(b, vStart, vEnd, this.whereCell)), row, column)
      }
    } else if (hasFormula) {
      const formula = fText ?? (fEnd > fStart ? textOf(b, fStart, fEnd, this.whereCell) : '')
      value = { formula: formula.length > this.limits.cellLengthMax ? formula.slice(0, this.limits.cellLengthMax) : formula }
    } else {
      return i
    }
    while (cells.length < column - 1) cells.push(null)
    cells[column - 1] = value
    return i
  }

  private text(text: string, row: number, column: number): string {
    if (text.length > this.limits.cellLengthMax) {
      throw limitError(
        `${this.where(row, column)}: ${fmt(text.length)} characters exceeds xlsxCellLengthMax (${fmt(this.limits.cellLengthMax)} characters per cell).`,
        'xlsxCellLengthMax',
        row,
      )
    }
    return text
  }

  // ---- after </sheetData> ---------------------------------------------------------------------------

  private after(b: Buffer, from: number): number {
    const n = b.length
    let i = from
    for (;;) {
      const lt = b.indexOf(LT, i)
      if (lt === -1) return n
      if (lt + 2 + this.longest >= n) return lt
      const c = b[lt + 1]
      if (c === BANG || c === QMARK) {
        const next = this.skipSpecial(b, lt)
        if (next === -1) return lt
        i = next
        continue
      }
      const gt = tagEnd(b, lt + 1)
      if (gt === -1) return lt
      i = gt + 1
      if (c === SLASH) {
        if (matchName(b, lt + 2, this.names.worksheet)) {
          this.phase = phaseEnd
          return n
        }
        continue
      }
      if (matchName(b, lt + 1, this.names.mergeCell)) {
        const match = refAttribute.exec(b.toString('latin1', lt, gt))
        const ref = match?.[1] ?? match?.[2]
        const [first, last] = (ref ?? '').split(':')
        const a = first === undefined ? undefined : parseCellRef(first)
        const z = last === undefined ? a : parseCellRef(last)
        if (a && z) {
          if (this.merges.length >= this.limits.mergedRangesMax) {
            throw limitError(`${this.label}: more than ${fmt(this.limits.mergedRangesMax)} merged ranges exceeds xlsxMergedRangesMax.`, 'xlsxMergedRangesMax')
          }
          this.merges.push({
            ref: ref!,
            firstRow: Math.min(a.row, z.row),
            firstColumn: Math.min(a.column, z.column),
            lastRow: Math.max(a.row, z.row),
            lastColumn: Math.max(a.column, z.column),
          })
        }
      }
    }
  }
}

/** Where in the buffer the first invalid UTF-8 byte's row starts, as a message. */
export function invalidUtf8InSheet(scanner: SheetScanner, b: Buffer, consumed: number, label: string): XlsxError {
  const starts = scanner.rowStarts
  for (let k = 0; k < starts.length; k++) {
    if (!isUtf8(b.subarray(starts[k]!, k + 1 < starts.length ? starts[k + 1]! : consumed))) {
      const row = scanner.rows[k]!.rowNumber
      return new XlsxError(`${label}, row ${fmt(row)}: the cell text is not valid UTF-8. Save the workbook again from Excel.`, 'invalidUtf8', undefined, row)
    }
  }
  return new XlsxError(`${label}: the sheet's XML is not valid UTF-8. Save the workbook again from Excel.`, 'invalidUtf8')
}

/** Above this, a carried (incomplete) element waits for as many new bytes before it is parsed again. */
const bigCarryBytes = 2 ** 20

/**
 * Runs a scanner over a part's chunks, yielding the rows of each scanned piece as one batch once its
 * bytes are known to be valid UTF-8. Stops reading as soon as the scanner is done. Batches, not rows:
 * every level of async generator a row passes through costs a promise round trip, so only the
 * public iterators yield single rows.
 */
export async function* scanSheet(chunks: AsyncIterable<Buffer>, scanner: SheetScanner, label: string, limits: XlsxLimits): AsyncGenerator<XlsxRow[]> {
  const joiner = new ChunkJoiner()
  let pending: Buffer[] = []
  let pendingBytes = 0
  const step = (b: Buffer): XlsxRow[] => {
    const consumed = scanner.feed(b)
    // Each consumed stretch starts and ends between tags, i.e. between whole characters.
    if (scanner.mode !== 'merges' && !isUtf8(b.subarray(0, consumed))) throw invalidUtf8InSheet(scanner, b, consumed, label)
    joiner.keep(b, consumed)
    return scanner.take()
  }
  for await (const chunk of chunks) {
    const carried = joiner.carried
    // A large incomplete element (a hostile row) is re-parsed only when the bytes have doubled, so its
    // cost stays linear; the limit is checked on what is buffered.
    if (carried > bigCarryBytes || pending.length > 0) {
      pending.push(chunk)
      pendingBytes += chunk.length
      if (carried + pendingBytes > 2 * limits.elementBytesMax) throw elementTooLarge(label, limits)
      if (pendingBytes < carried) continue
      const b = joiner.join(pending)
      pending = []
      pendingBytes = 0
      const rows = step(b)
      if (rows.length > 0) yield rows
    } else {
      for (const b of joiner.pieces(chunk, scanner.boundary)) {
        const rows = step(b)
        if (rows.length > 0) yield rows
        if (scanner.done) return
      }
    }
    if (scanner.done) return
    if (joiner.carried > limits.elementBytesMax) throw elementTooLarge(label, limits)
  }
  if (pending.length > 0) {
    const rows = step(joiner.join(pending))
    if (rows.length > 0) yield rows
    if (scanner.done) return
  }
  scanner.finish()
}

function elementTooLarge(label: string, limits: XlsxLimits): XlsxError {
  return limitError(
    `${label}: one row holds more than ${fmt(limits.elementBytesMax)} bytes of XML, which exceeds xlsxElementBytesMax.`,
    'xlsxElementBytesMax',
  )
}
