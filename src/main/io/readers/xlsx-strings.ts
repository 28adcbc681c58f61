// The shared strings table (xl/sharedStrings.xml): every t="s" cell holds an index into it, so it is
// the one part the reader must hold in memory while it streams a sheet.
//
// Stored compactly: the strings' UTF-8 bytes packed into 1 MiB blocks plus two Uint32Arrays (start,
// length), decoded on each lookup. Measured on the 1,000,000-player bench sheet (2,788,658 strings,
// 36 MB of text): the table adds ~70 MB RSS; holding the same strings as JS strings adds ~110 MB more
// (a header per string and an array slot), and millions of long-lived strings would also slow every
// full garbage collection. A lookup returns a fresh, flat string that dies young unless the caller
// keeps it. A plain run without entities or _x escapes (almost all of them) is copied byte for byte.
import { isUtf8 } from 'node:buffer'
import { XlsxError, fmt, limitError, type XlsxLimits } from './xlsx-limits'
import { BANG, ChunkJoiner, GT, LT, find, QMARK, SLASH, item, matchName, qualified, readProlog, readStringItem, root, runText, skipBang, skipElement, skipPi, place, utf8, type StringItemNames, type Where } from './xlsx-xml'

const blockBytes = 2 ** 20
const blockShift = 20
const blockMask = blockBytes - 1

export class SharedStrings {
  private readonly blocks: Buffer[] = []
  private block: Buffer = Buffer.alloc(0)
  private used = 0
  private starts = new Uint32Array(1024)
  private lengths = new Uint32Array(1024)
  /** Number of strings. */
  count = 0
  /** Bytes of UTF-8 text held. */
  bytes = 0

  get(index: number): string | undefined {
    if (index >= this.count) return undefined
    const start = this.starts[index]!
    const offset = start & blockMask
    return utf8(this.blocks[start >>> blockShift]!, offset, offset + this.lengths[index]!)
  }

  private room(length: number): number {
    if (this.count === this.starts.length) {
      const starts = new Uint32Array(this.count * 2)
      starts.set(this.starts)
      this.starts = starts
      const lengths = new Uint32Array(this.count * 2)
      lengths.set(this.lengths)
      this.lengths = lengths
    }
    if (this.used + length > this.block.length) {
      // A string never spans two blocks (each is at most 32,767 characters, < 100 KB of UTF-8).
      this.block = Buffer.allocUnsafe(Math.max(blockBytes, length))
      this.blocks.push(this.block)
      this.used = 0
    }
    const at = (this.blocks.length - 1) * blockBytes + this.used
    this.starts[this.count] = at
    this.lengths[this.count] = length
    this.used += length
    this.bytes += length
    this.count++
    return at & blockMask
  }

  addBytes(source: Buffer, start: number, end: number): void {
    const offset = this.room(end - start)
    const block = this.block
    // Most strings are a few bytes: a loop beats Buffer.copy's call overhead (~100 ns) below ~64.
    if (end - start < 64) for (let i = start, at = offset; i < end; i++, at++) block[at] = source[i]!
    else source.copy(block, offset, start, end)
  }

  addString(text: string): void {
    const length = Buffer.byteLength(text, 'utf8')
    const offset = this.room(length)
    this.block.write(text, offset, length, 'utf8')
  }
}

/** Bytes that force decoding a run: '&' (an entity) and '_' (perhaps an _xHHHH_ escape). */
function isPlain(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i]!
    if (c === 38 || c === 95) return false
  }
  return true
}

const phaseProlog = 0
const phaseItems = 1
const phaseEnd = 2

/** Builds the table from the part's inflated chunks. */
export async function loadSharedStrings(chunks: AsyncIterable<Buffer>, part: string, limits: XlsxLimits): Promise<SharedStrings> {
  const strings = new SharedStrings()
  let phase = phaseProlog
  let names: (StringItemNames & { si: Uint8Array; sst: Uint8Array; endSi: Buffer; longest: number }) | undefined
  const joiner = new ChunkJoiner()
  // Where each item of the current buffer starts, to name the string when the bytes are not UTF-8.
  const itemStarts: number[] = []

  // Built only for a message; reads the count at that moment, which is the failing string's number - 1.
  const where = (): string => `${part}, shared string ${fmt(strings.count + 1)}`

  // Parses complete <si> items from b; returns the index up to which b is consumed.
  const feed = (b: Buffer): number => {
    let i = 0
    if (phase === phaseProlog) {
      const next = readProlog(b, 0, part, 'sst')
      if (next === -1) return 0
      // Longest name compared (sst, rPh), prefix included: a tag closer than that to the buffer's end waits.
      const longest = (root.prefix === '' ? 0 : root.prefix.length + 1) + 3
      const p = root.prefix
      names = {
        si: qualified(p, 'si'),
        sst: qualified(p, 'sst'),
        t: qualified(p, 't'),
        rPh: qualified(p, 'rPh'),
        longest,
        // The end of an item: a chunk's head up to it completes an item cut by the chunk boundary.
        endSi: Buffer.from(`</${p === '' ? '' : `${p}:`}si>`, 'latin1'),
      }
      phase = root.selfClosing ? phaseEnd : phaseItems
      i = next
    }
    const nm = names!
    const n = b.length
    while (phase === phaseItems) {
      const lt = find(b, LT, i)
      if (lt === -1) return n
      if (lt + 2 + nm.longest >= n) return lt
      const c = b[lt + 1]
      if (matchName(b, lt + 1, nm.si)) {
        itemStarts.push(lt)
        // <si> carries no attributes; a self-closing <si/> is an empty string.
        const gt = find(b, GT, lt)
        if (gt === -1) {
          itemStarts.pop()
          return lt
        }
        let next: number
        if (b[gt - 1] === SLASH) {
          item.simple = false
          item.text = ''
          next = gt + 1
        } else {
          next = readStringItem(b, gt + 1, nm.si, nm, where)
          if (next === -1) {
            itemStarts.pop()
            return lt
          }
        }
        if (strings.count >= limits.sharedStringsMax) {
          throw limitError(`${part}: more than ${fmt(limits.sharedStringsMax)} shared strings exceeds xlsxSharedStringsMax.`, 'xlsxSharedStringsMax')
        }
        if (item.simple) {
          const { start, end } = item
          if (end - start > limits.cellLengthMax) checkLength(b.toString('utf8', start, end), where, limits)
          if (isPlain(b, start, end)) strings.addBytes(b, start, end)
          else strings.addString(checkLength(runText(b, start, end, where), where, limits))
        } else {
          strings.addString(checkLength(item.text, where, limits))
        }
        if (strings.bytes > limits.sharedStringsBytesMax) {
          throw limitError(
            `${part}: the shared strings hold more than ${fmt(limits.sharedStringsBytesMax)} bytes of text, which exceeds xlsxSharedStringsBytesMax.`,
            'xlsxSharedStringsBytesMax',
          )
        }
        i = next
        continue
      }
      if (c === SLASH) {
        if (!matchName(b, lt + 2, nm.sst)) throw new XlsxError(`${part}: unexpected end tag.`, 'badXml')
        phase = phaseEnd
        return n
      }
      if (c === BANG) {
        const next = skipBang(b, lt, part)
        if (next === -1) return lt
        if (next === -2) throw new XlsxError(`${part}: unexpected CDATA.`, 'badXml')
        i = next
        continue
      }
      if (c === QMARK) {
        const next = skipPi(b, lt)
        if (next === -1) return lt
        i = next
        continue
      }
      const next = skipElement(b, lt, part) // <extLst> and the like
      if (next === -1) return lt
      i = next
    }
    // After </sst>: only a DOCTYPE would matter, and it cannot come after the root element legally;
    // the rest is ignored.
    return n
  }

  let boundary: Buffer | undefined
  for await (const chunk of chunks) {
    for (const b of joiner.pieces(chunk, boundary)) {
      itemStarts.length = 0
      const countBefore = strings.count
      const consumed = feed(b)
      if (!isUtf8(b.subarray(0, consumed))) throw new XlsxError(invalidUtf8Message(b, consumed, part, itemStarts, countBefore), 'invalidUtf8')
      joiner.keep(b, consumed)
      boundary = names?.endSi
    }
    if (joiner.carried > limits.elementBytesMax) {
      throw limitError(
        `${part}, shared string ${fmt(strings.count + 1)}: more than ${fmt(limits.elementBytesMax)} bytes of XML in one item exceeds xlsxElementBytesMax.`,
        'xlsxElementBytesMax',
      )
    }
    if (phase === phaseEnd) break
  }
  if (phase !== phaseEnd) throw new XlsxError(`${part} ends before its last shared string is complete: the file is truncated or damaged.`, 'badXml')
  return strings
}

function checkLength(text: string, where: Where, limits: XlsxLimits): string {
  if (text.length > limits.cellLengthMax) {
    throw limitError(`${place(where)}: ${fmt(text.length)} characters exceeds xlsxCellLengthMax (${fmt(limits.cellLengthMax)} characters per cell).`, 'xlsxCellLengthMax')
  }
  return text
}

function invalidUtf8Message(b: Buffer, consumed: number, part: string, itemStarts: readonly number[], countBefore: number): string {
  for (let k = 0; k < itemStarts.length; k++) {
    if (!isUtf8(b.subarray(itemStarts[k]!, k + 1 < itemStarts.length ? itemStarts[k + 1]! : consumed))) {
      return `${part}, shared string ${fmt(countBefore + k + 1)}: the text is not valid UTF-8. Save the workbook again from Excel.`
    }
  }
  return `${part}: the XML is not valid UTF-8. Save the workbook again from Excel.`
}
