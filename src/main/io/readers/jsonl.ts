// Streaming JSON Lines reader for activity events (DESIGN.md "Data in": events as CSV/XLSX/JSONL,
// one bad row never sinks the others).
//
// - One JSON object per line. rowNumber is the 1-based physical line (LF; a CR before it is dropped).
//   Blank lines (only spaces, tabs) are skipped but counted. A UTF-8 BOM at the start is dropped.
// - A line that is not a JSON object (invalid JSON, an array, a number, null…) is yielded as
//   { rowNumber, error } with a message naming the line: the importer quarantines it and reads on.
//   So is a line that is not valid UTF-8 (never silently U+FFFD: an event id with a replacement
//   character would deduplicate wrongly), and a line longer than jsonlLineLengthMax, whose bytes are
//   skipped as they arrive (never held).
// - More than jsonlLinesMax lines stops the file with a JsonlError naming the limit and the line.
// - The objects handed out have no "__proto__", "constructor" or "prototype" keys at any depth.
//   JSON.parse makes them own data properties (it does not pollute by itself), but a consumer's
//   Object.assign or a recursive merge would turn "__proto__" into a prototype change. They are never
//   legitimate event fields, so they are dropped. The check is cheap: only a line whose text contains
//   one of the names, or a \u escape (which could spell one), is walked.
// - Nested values are JSON as parsed (objects, arrays, strings, numbers, booleans, null).
import { isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'

export const jsonlLineLengthMax = 2 ** 20
export const jsonlLinesMax = 10_000_000
/** Refused before a byte is parsed. */
export const jsonlFileSizeMax = 4 * 2 ** 30

export interface JsonlLimits {
  /** Bytes per line, line break excluded. */
  lineLengthMax: number
  linesMax: number
}

export interface JsonlReadOptions {
  limits?: Partial<JsonlLimits>
}

export type JsonlItem = { rowNumber: number; value: Record<string, unknown> } | { rowNumber: number; error: string }

export class JsonlError extends Error {
  override readonly name = 'JsonlError'
  constructor(
    message: string,
    /** The line the problem belongs to. */
    readonly row: number,
    /** Name of the exceeded limit. */
    readonly limit?: 'jsonlLinesMax' | 'jsonlFileSizeMax',
  ) {
    super(message)
  }
}

const LF = 10
const CR = 13
const fmt = (n: number): string => n.toLocaleString('en-US')

const unsafeKeys = ['__proto__', 'constructor', 'prototype'] as const

function mayHoldUnsafeKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u')
}

/** Deletes the unsafe keys from every object in the tree (iteratively: JSON can nest deeper than the stack). */
function dropUnsafeKeys(root: object): void {
  const stack: object[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (Array.isArray(node)) {
      for (const child of node) if (typeof child === 'object' && child !== null) stack.push(child as object)
      continue
    }
    const record = node as Record<string, unknown>
    for (const key of unsafeKeys) if (Object.prototype.hasOwnProperty.call(record, key)) delete record[key]
    for (const key of Object.keys(record)) {
      const child = record[key]
      if (typeof child === 'object' && child !== null) stack.push(child)
    }
  }
}

/** Index of the first byte that breaks UTF-8 (only called once isUtf8 said no). */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    if (length === 0 || i + length > bytes.length || !isUtf8(bytes.subarray(i, i + length))) return i
    i += length
  }
  return bytes.length
}

function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

/** One complete line's bytes → an item, or undefined for a blank line. */
function lineItem(bytes: Buffer, rowNumber: number): JsonlItem | undefined {
  let end = bytes.length
  if (end > 0 && bytes[end - 1] === CR) end--
  let start = 0
  if (rowNumber === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3
  let blank = true
  for (let i = start; i < end; i++) {
    const c = bytes[i]
    if (c !== 32 && c !== 9 && c !== CR) {
      blank = false
      break
    }
  }
  if (blank) return undefined
  const line = bytes.subarray(start, end)
  if (!isUtf8(line)) {
    const at = firstInvalidByte(line)
    return {
      rowNumber,
      error: `Line ${fmt(rowNumber)} is not valid UTF-8 text (byte 0x${line[at]!.toString(16).toUpperCase().padStart(2, '0')} at position ${fmt(at + 1)}); save the file as UTF-8.`,
    }
  }
  const text = line.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { rowNumber, error: `Line ${fmt(rowNumber)} is not valid JSON (${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}).` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { rowNumber, error: `Line ${fmt(rowNumber)} is ${describeJson(value)}, not a JSON object with named fields.` }
  }
  if (mayHoldUnsafeKey(text)) dropUnsafeKeys(value)
  return { rowNumber, value: value as Record<string, unknown> }
}

/**
 * Reads JSON Lines from a byte stream. Yields one item per non-blank line: { rowNumber, value } for
 * an object, { rowNumber, error } for anything else. Throws JsonlError past jsonlLinesMax.
 */
export async function* readJsonlRows(source: AsyncIterable<Uint8Array | string>, options: JsonlReadOptions = {}): AsyncGenerator<JsonlItem> {
  const lineLengthMax = options.limits?.lineLengthMax ?? jsonlLineLengthMax
  const linesMax = options.limits?.linesMax ?? jsonlLinesMax
  let line = 0
  // The current line's bytes so far (it started in an earlier chunk).
  let partial: Buffer[] = []
  let partialBytes = 0
  // The current line passed lineLengthMax: its bytes are dropped up to the next LF.
  let skipping = false
  const out: JsonlItem[] = []

  const startLine = (): number => {
    line++
    if (line > linesMax) throw new JsonlError(`Line ${fmt(line)} exceeds jsonlLinesMax (${fmt(linesMax)} lines per file).`, line, 'jsonlLinesMax')
    return line
  }
  const tooLong = (rowNumber: number): JsonlItem => ({
    rowNumber,
    error: `Line ${fmt(rowNumber)} is longer than jsonlLineLengthMax (${fmt(lineLengthMax)} bytes); it was skipped.`,
  })
  // While a line is still arriving its CR is unknown, so a partial line may run one byte over.
  const finishLine = (bytes: Buffer) => {
    const rowNumber = startLine()
    if (skipping) {
      skipping = false
      out.push(tooLong(rowNumber))
      return
    }
    const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length
    const item = length > lineLengthMax ? tooLong(rowNumber) : lineItem(bytes, rowNumber)
    if (item) out.push(item)
  }

  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    let at = 0
    let failure: unknown
    try {
      while (at < chunk.length) {
        const lf = chunk.indexOf(LF, at)
        if (lf === -1) {
          if (!skipping) {
            partial.push(chunk.subarray(at))
            partialBytes += chunk.length - at
            if (partialBytes > lineLengthMax + 1) {
              skipping = true
              partial = []
              partialBytes = 0
            }
          }
          break
        }
        if (partial.length > 0) {
          partial.push(chunk.subarray(at, lf))
          const bytes = Buffer.concat(partial)
          partial = []
          partialBytes = 0
          finishLine(bytes)
        } else {
          finishLine(chunk.subarray(at, lf))
        }
        at = lf + 1
      }
    } catch (error) {
      failure = error
    }
    for (let k = 0; k < out.length; k++) yield out[k]!
    out.length = 0
    if (failure !== undefined) throw failure
    // A line continued in the next chunk: one copied buffer, so it does not pin the chunks it came from.
    if (partial.length > 0) partial = [Buffer.concat(partial)]
  }
  if (skipping || partialBytes > 0 || partial.length > 0) finishLine(Buffer.concat(partial))
  for (const item of out) yield item
}

/** Reads a JSON Lines file. See readJsonlRows. */
export function readJsonlFile(path: string, options: JsonlReadOptions = {}): AsyncGenerator<JsonlItem> {
  return readJsonlRows(createReadStream(path, { highWaterMark: 64 * 1024 }), options)
}
