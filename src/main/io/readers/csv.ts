// Streaming CSV reader for large player files (DESIGN.md "Data in": huge files, blank rows,
// row-numbered messages).
//
// - RFC 4180 quoting: quoted fields may hold the delimiter, doubled quotes ("") and CR, LF or CRLF.
//   Lenient where spreadsheets are: a quote inside an unquoted field is text (ab"c), and text after a
//   closing quote is appended to the field ("ab"c -> abc).
// - Line breaks outside quotes are LF, CRLF or a lone CR. Every break counts as one physical line.
// - rowNumber is the 1-based physical line on which a record starts (what a spreadsheet or editor shows);
//   empty lines are skipped but counted. A line of only delimiters (",,,") is a record of empty cells.
// - A UTF-8 BOM is stripped.
// - encoding 'auto': the first 64 KB (or the whole file, if smaller) are checked; if they are valid UTF-8
//   the file is read as UTF-8, otherwise as windows-1252. The decision is final: invalid bytes after the
//   first 64 KB of a file judged UTF-8 become U+FFFD. 'latin1' means windows-1252, what Windows calls
//   "ANSI" and Excel's CSV export writes: ISO-8859-1 except 0x80-0x9F, which are printable characters
//   such as 0x80 = € and 0x92 = ’ (see decodeWindows1252: Node's TextDecoder ignores that difference).
// - delimiter 'auto': the first non-empty line is scanned and the most frequent of , ; TAB | outside
//   quotes wins (ties in that order; none at all -> ','). Extension: if that line holds none of them
//   (a title row above the header), the next lines are tried, up to 20 lines or 1 MB of text.
// - Limits (csvRowsMax, csvColumnsMax, csvCellLengthMax) throw a CsvError naming the limit, the row and
//   the offending value as soon as they are exceeded; the rest of the input is not read.
//
// Speed: the text is decoded chunk by chunk with a streaming TextDecoder. At the start of a record the
// parser looks for the next line break and the next quote with cached indexOf positions; a line without
// quotes is cut with one slice + split. Quoted records go through a small state machine that slices
// whole runs (indexOf for the closing quote) and keeps its state across chunk boundaries, so a chunk
// may end anywhere: inside quotes, between CR and LF, or inside a multi-byte character.

import { createReadStream } from 'node:fs'
import { TextDecoder } from 'node:util'

/** Refused before a byte is parsed: past it a file would run for seconds only to reach csvRowsMax. */
export const csvFileSizeMax = 2 * 2 ** 30
export const csvRowsMax = 5_000_000
export const csvColumnsMax = 1_000
export const csvCellLengthMax = 32_767

/** Bytes inspected by encoding 'auto' before deciding between UTF-8 and Latin-1. */
export const csvEncodingSniffBytes = 64 * 1024

export type CsvDelimiter = ',' | ';' | '\t' | '|'

export interface CsvLimits {
  rowsMax: number
  columnsMax: number
  cellLengthMax: number
}

export interface CsvReadOptions {
  delimiter?: CsvDelimiter | 'auto'
  encoding?: 'utf-8' | 'latin1' | 'auto'
  limits?: Partial<CsvLimits>
}

export interface CsvRow {
  /** 1-based physical line where the record starts. */
  rowNumber: number
  cells: string[]
}

export interface ReadableStreamLike {
  getReader(): {
    read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>
    releaseLock(): void
    cancel?(reason?: unknown): Promise<void>
  }
}

export type CsvSource = AsyncIterable<Uint8Array> | ReadableStreamLike

export class CsvError extends Error {
  override readonly name = 'CsvError'
  constructor(
    message: string,
    /** Physical line the problem belongs to. */
    readonly row: number,
    /** Name of the exceeded limit, when a limit was hit. */
    readonly limit?: 'csvFileSizeMax' | 'csvRowsMax' | 'csvColumnsMax' | 'csvCellLengthMax',
  ) {
    super(message)
  }
}

const QUOTE = 34
const LF = 10
const CR = 13

const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_IN_QUOTED = 3 // saw a quote inside a quoted field; the next character decides

const fmt = (n: number): string => n.toLocaleString('en-US')

/** Incremental parser over decoded text. Exported for tests and for readers that already hold text. */
export class CsvParser {
  private readonly delimiter: string
  private readonly delimiterCode: number
  private readonly rowsMax: number
  private readonly columnsMax: number
  private readonly cellLengthMax: number

  private cells: string[] = []
  private field = ''
  private state = FIELD_START
  private line = 1
  private recordLine = 1
  private quoteLine = 1
  private rows = 0
  /** A CR ended the previous chunk outside quotes: skip an LF at the start of the next one. */
  private pendingCR = false
  /** The previous chunk's last character was a CR (for CRLF inside quotes split across chunks). */
  private prevEndedCR = false

  constructor(delimiter: CsvDelimiter, limits: CsvLimits) {
    this.delimiter = delimiter
    this.delimiterCode = delimiter.charCodeAt(0)
    this.rowsMax = limits.rowsMax
    this.columnsMax = limits.columnsMax
    this.cellLengthMax = limits.cellLengthMax
  }

  /** Parses one chunk of text; complete records are pushed onto `out`. */
  feed(s: string, out: CsvRow[]): void {
    const n = s.length
    if (n === 0) return
    let i = 0
    if (this.pendingCR) {
      this.pendingCR = false
      if (s.charCodeAt(0) === LF) i = 1
    }
    const d = this.delimiter
    const dc = this.delimiterCode
    // Cached positions of the next LF, CR and quote at or after i (-2: unknown, -1: none left).
    let nextLF = -2
    let nextCR = -2
    let nextQ = -2

    while (i < n) {
      // Fast path: at the start of a record, a whole line without quotes.
      if (this.state === FIELD_START && this.cells.length === 0) {
        if (nextLF !== -1 && nextLF < i) nextLF = s.indexOf('\n', i)
        if (nextCR !== -1 && nextCR < i) nextCR = s.indexOf('\r', i)
        const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : nextLF < nextCR ? nextLF : nextCR
        if (end !== -1) {
          if (nextQ !== -1 && nextQ < i) nextQ = s.indexOf('"', i)
          if (nextQ === -1 || nextQ > end) {
            if (end > i) {
              const text = s.slice(i, end)
              const cells = text.split(d)
              if (cells.length > this.columnsMax) this.tooManyColumns(cells.length, true)
              if (text.length > this.cellLengthMax) {
                for (let k = 0; k < cells.length; k++) {
                  const len = (cells[k] as string).length
                  if (len > this.cellLengthMax) this.cellTooLong(k + 1, len, true)
                }
              }
              this.emit(cells, out)
            }
            i = this.endLine(s, end)
            continue
          }
        }
      }

      // General path: one record through the state machine (it may continue in the next chunk).
      while (i < n) {
        const st = this.state
        if (st === FIELD_START) {
          const c = s.charCodeAt(i)
          if (c === QUOTE) {
            this.state = QUOTED
            this.quoteLine = this.line
            i++
            continue
          }
          if (this.cells.length === 0 && (c === LF || c === CR)) {
            i = this.endLine(s, i) // empty line
            break
          }
          this.state = UNQUOTED
          continue
        }
        if (st === UNQUOTED) {
          let j = i
          while (j < n) {
            const c = s.charCodeAt(j)
            if (c === dc || c === LF || c === CR) break
            j++
          }
          if (j > i) this.append(s, i, j)
          if (j === n) {
            i = n
            break
          }
          this.pushField()
          if (s.charCodeAt(j) === dc) {
            this.state = FIELD_START
            i = j + 1
            continue
          }
          const cells = this.cells
          this.cells = []
          this.state = FIELD_START
          this.emit(cells, out)
          i = this.endLine(s, j)
          break
        }
        if (st === QUOTED) {
          const q = s.indexOf('"', i)
          const stop = q === -1 ? n : q
          if (stop > i) {
            this.countBreaks(s, i, stop)
            this.append(s, i, stop)
          }
          if (q === -1) {
            i = n
            break
          }
          i = q + 1
          this.state = QUOTE_IN_QUOTED
          continue
        }
        // QUOTE_IN_QUOTED
        if (s.charCodeAt(i) === QUOTE) {
          this.appendText('"')
          this.state = QUOTED
          i++
        } else {
          this.state = UNQUOTED // the quote closed the field; what follows is delimiter, line end or text
        }
      }
    }
    this.prevEndedCR = s.charCodeAt(n - 1) === CR
  }

  /** Signals the end of input; pushes the last record if it had no line break. */
  end(out: CsvRow[]): void {
    if (this.state === QUOTED) {
      throw new CsvError(
        `CSV row ${fmt(this.quoteLine)}: the quoted field that starts on this row is never closed (unterminated quote at end of file)`,
        this.quoteLine,
      )
    }
    if (this.state === FIELD_START && this.cells.length === 0) return
    this.pushField()
    const cells = this.cells
    this.cells = []
    this.state = FIELD_START
    this.emit(cells, out)
  }

  /** Consumes the line break at `at` (LF, CR or CRLF) and returns the index after it. */
  private endLine(s: string, at: number): number {
    let i = at + 1
    if (s.charCodeAt(at) === CR) {
      if (i < s.length) {
        if (s.charCodeAt(i) === LF) i++
      } else {
        this.pendingCR = true
      }
    }
    this.line++
    this.recordLine = this.line
    return i
  }

  /** Counts line breaks inside quoted text s[from, to): CR, LF and CRLF each count once. */
  private countBreaks(s: string, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k)
      if (c === CR) this.line++
      else if (c === LF) {
        const prevCR = k > 0 ? s.charCodeAt(k - 1) === CR : this.prevEndedCR
        if (!prevCR) this.line++
      }
    }
  }

  private append(s: string, from: number, to: number): void {
    const len = this.field.length + (to - from)
    if (len > this.cellLengthMax) this.cellTooLong(this.cells.length + 1, len, false)
    this.field = this.field.length === 0 ? s.slice(from, to) : this.field + s.slice(from, to)
  }

  private appendText(t: string): void {
    const len = this.field.length + t.length
    if (len > this.cellLengthMax) this.cellTooLong(this.cells.length + 1, len, false)
    this.field += t
  }

  private pushField(): void {
    this.cells.push(this.field)
    this.field = ''
    if (this.cells.length > this.columnsMax) this.tooManyColumns(this.cells.length, false)
  }

  private emit(cells: string[], out: CsvRow[]): void {
    this.rows++
    if (this.rows > this.rowsMax) {
      throw new CsvError(
        `CSV row ${fmt(this.recordLine)}: record ${fmt(this.rows)} exceeds csvRowsMax (${fmt(this.rowsMax)} records per file)`,
        this.recordLine,
        'csvRowsMax',
      )
    }
    out.push({ rowNumber: this.recordLine, cells })
  }

  private tooManyColumns(count: number, exact: boolean): never {
    const value = exact ? `${fmt(count)} columns` : `more than ${fmt(count - 1)} columns`
    throw new CsvError(
      `CSV row ${fmt(this.recordLine)}: ${value} exceeds csvColumnsMax (${fmt(this.columnsMax)})`,
      this.recordLine,
      'csvColumnsMax',
    )
  }

  private cellTooLong(column: number, length: number, exact: boolean): never {
    const value = exact ? `${fmt(length)} characters` : `at least ${fmt(length)} characters`
    throw new CsvError(
      `CSV row ${fmt(this.recordLine)}, column ${fmt(column)}: a cell of ${value} exceeds csvCellLengthMax (${fmt(this.cellLengthMax)})`,
      this.recordLine,
      'csvCellLengthMax',
    )
  }
}

const delimiterCandidates: readonly CsvDelimiter[] = [',', ';', '\t', '|']
const delimiterSniffLines = 20
const delimiterSniffChars = 1024 * 1024

/**
 * Picks the delimiter from the first non-empty line (see the header comment). Returns undefined when
 * more text is needed (no complete deciding line yet and `final` is false).
 */
export function detectDelimiter(text: string, final: boolean): CsvDelimiter | undefined {
  const counts = [0, 0, 0, 0]
  let inQuotes = false
  let lines = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) inQuotes = !inQuotes
    else if (inQuotes) continue
    else if (c === 44) counts[0]!++
    else if (c === 59) counts[1]!++
    else if (c === 9) counts[2]!++
    else if (c === 124) counts[3]!++
    else if (c === LF || c === CR) {
      const best = pickDelimiter(counts)
      if (best !== undefined) return best
      lines++
      if (c === CR && text.charCodeAt(i + 1) === LF) i++
      if (lines >= delimiterSniffLines) return ','
    }
  }
  if (final || n >= delimiterSniffChars) return pickDelimiter(counts) ?? ','
  return undefined
}

function pickDelimiter(counts: number[]): CsvDelimiter | undefined {
  let best = -1
  let bestCount = 0
  for (let k = 0; k < counts.length; k++) {
    if ((counts[k] as number) > bestCount) {
      best = k
      bestCount = counts[k] as number
    }
  }
  return best === -1 ? undefined : delimiterCandidates[best]
}

// windows-1252's characters for bytes 0x80-0x9F. The five bytes it leaves undefined (0x81, 0x8D, 0x8F,
// 0x90, 0x9D) keep their ISO-8859-1 meaning, as in the WHATWG encoding standard.
const windows1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178'
const c1Control = /[\u0080-\u009f]/
const c1Controls = /[\u0080-\u009f]/g
const windows1252Char = (c: string): string => windows1252High[c.charCodeAt(0) - 0x80] as string

/**
 * Decodes windows-1252 bytes. Node 20's TextDecoder decodes both 'latin1' and 'windows-1252' as
 * ISO-8859-1, where 0x80-0x9F are invisible control characters (€ would become U+0080), so those are
 * mapped here. The encoding has one byte per character, so chunks need no state between them; text
 * without such bytes (most of any file) is returned after one scan.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  return c1Control.test(text) ? text.replace(c1Controls, windows1252Char) : text
}

/** Streaming text decoding, one interface for UTF-8 (TextDecoder) and windows-1252. */
interface ChunkDecoder {
  decode(bytes: Uint8Array, options: { stream: boolean }): string
}

function decoderFor(utf8: boolean): ChunkDecoder {
  return utf8 ? new TextDecoder('utf-8') : { decode: (bytes) => decodeWindows1252(bytes) }
}

/** True when the bytes are valid UTF-8 (a multi-byte character cut off at the end is allowed unless `final`). */
function isValidUtf8(bytes: Uint8Array, final: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !final })
    return true
  } catch {
    return false
  }
}

async function* chunksOf(source: CsvSource): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    }
    return
  }
  const reader = (source as ReadableStreamLike).getReader()
  let finished = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        finished = true
        return
      }
      if (value !== undefined) yield value
    }
  } finally {
    if (!finished && reader.cancel) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Reads CSV records from a byte stream. Yields one `{ rowNumber, cells }` per record, header included.
 * Throws CsvError on an unterminated quote at the end of the input or when a limit is exceeded.
 */
/** Reads CSV records one at a time; see readCsvBatches for the rules. */
export async function* readCsvRows(source: CsvSource, options: CsvReadOptions = {}): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvBatches(source, options)) yield* batch
}

/**
 * The records of each parsed piece of text (up to 64K characters) as one array: a consumer of
 * millions of rows pays the async iteration once per batch, not once per row (about 15% of the
 * reader's time per row when measured on the bench's 1M-row file).
 */
export async function* readCsvBatches(source: CsvSource, options: CsvReadOptions = {}): AsyncGenerator<CsvRow[]> {
  const limits: CsvLimits = {
    rowsMax: options.limits?.rowsMax ?? csvRowsMax,
    columnsMax: options.limits?.columnsMax ?? csvColumnsMax,
    cellLengthMax: options.limits?.cellLengthMax ?? csvCellLengthMax,
  }
  const wantedDelimiter = options.delimiter ?? 'auto'
  const wantedEncoding = options.encoding ?? 'auto'

  let decoder: ChunkDecoder | undefined = wantedEncoding === 'auto' ? undefined : decoderFor(wantedEncoding === 'utf-8')
  let isUtf8 = wantedEncoding === 'utf-8'
  let parser: CsvParser | undefined
  let headBytes: Uint8Array[] = []
  let headByteCount = 0
  let headText = ''
  let bomChecked = false
  let out: CsvRow[] = []

  // Text before the parser exists: strip the BOM and detect the delimiter. Returns the text that is ready
  // for the parser ('' while the head is still being collected).
  const takeText = (text: string, final: boolean): string => {
    if (parser) return text
    headText += text
    if (!bomChecked) {
      if (headText.length === 0 && !final) return ''
      if (headText.charCodeAt(0) === 0xfeff) headText = headText.slice(1)
      // A UTF-8 BOM read as Latin-1.
      if (!isUtf8 && headText.length < 3 && !final && '\u00ef\u00bb\u00bf'.startsWith(headText)) return ''
      if (!isUtf8 && headText.startsWith('\u00ef\u00bb\u00bf')) headText = headText.slice(3)
      bomChecked = true
    }
    const delimiter = wantedDelimiter === 'auto' ? detectDelimiter(headText, final) : wantedDelimiter
    if (delimiter === undefined) return ''
    parser = new CsvParser(delimiter, limits)
    const t = headText
    headText = ''
    return t
  }

  const takeBytes = (bytes: Uint8Array, final: boolean): string => {
    if (!decoder) {
      headBytes.push(bytes)
      headByteCount += bytes.length
      if (headByteCount < csvEncodingSniffBytes && !final) return ''
      const head = concatBytes(headBytes, headByteCount)
      headBytes = []
      isUtf8 = isValidUtf8(head, final)
      decoder = decoderFor(isUtf8)
      bytes = head
    }
    return takeText(decoder.decode(bytes, { stream: !final }), final)
  }

  // The text is fed in pieces of at most feedChars so that the rows of one piece are handed out (and can
  // die young) before the next piece is parsed: with 1 MB pieces most rows outlive a scavenge and the
  // garbage collector costs more than the parsing.
  const chunks = chunksOf(source)
  let final = false
  try {
    while (!final) {
      const next = await chunks.next()
      let text: string
      if (next.done) {
        final = true
        text = takeBytes(new Uint8Array(0), true)
      } else {
        if (next.value.length === 0) continue
        text = takeBytes(next.value, false)
      }
      const p = parser
      if (!p || text.length === 0) continue
      for (let at = 0; at < text.length; at += feedChars) {
        let failure: unknown
        try {
          p.feed(text.length <= feedChars ? text : text.slice(at, at + feedChars), out)
        } catch (error) {
          failure = error
        }
        if (out.length > 0) {
          const batch = out
          out = []
          yield batch
        }
        // The records before the failing one have been handed out; now the error.
        if (failure !== undefined) throw failure
      }
    }
  } finally {
    // Closes the file or stream when the reader stops early (a limit, an error, or the caller's break).
    if (!final) await chunks.return(undefined)
  }
  if (!parser) parser = new CsvParser(wantedDelimiter === 'auto' ? ',' : wantedDelimiter, limits)
  parser.end(out)
  if (out.length > 0) yield out
}

const feedChars = 64 * 1024

// Measured on 1,000,000 rows x 8 columns: 64 KB reads give ~1.5M rows/s, 1 MB reads ~0.9M rows/s (more of
// each read's rows survive a scavenge and get promoted). 64 KB is also fs's default for read streams.
const readHighWaterMark = 64 * 1024

/** Reads a CSV file. See readCsvRows. */
export function readCsvFile(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRow> {
  return readCsvRows(createReadStream(path, { highWaterMark: readHighWaterMark }), options)
}

/** Reads a CSV file in batches. See readCsvBatches. */
export function readCsvFileBatches(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRow[]> {
  return readCsvBatches(createReadStream(path, { highWaterMark: readHighWaterMark }), options)
}
