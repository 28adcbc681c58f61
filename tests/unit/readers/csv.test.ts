import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  CsvError,
  csvCellLengthMax,
  csvColumnsMax,
  csvRowsMax,
  detectDelimiter,
  readCsvFile,
  readCsvRows,
  type CsvReadOptions,
  type CsvRow,
} from '../../../src/main/io/readers/csv'

/** Splits bytes into chunks of the given sizes (cycled). */
async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0
  let k = 0
  while (at < bytes.length) {
    const size = Math.max(1, sizes[k++ % sizes.length] ?? 1)
    yield bytes.subarray(at, at + size)
    at += size
  }
}

async function collect(gen: AsyncGenerator<CsvRow>): Promise<CsvRow[]> {
  const rows: CsvRow[] = []
  for await (const row of gen) rows.push(row)
  return rows
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text)

function read(input: string | Uint8Array, options: CsvReadOptions = {}, sizes: readonly number[] = [65536]): Promise<CsvRow[]> {
  const bytes = typeof input === 'string' ? bytesOf(input) : input
  return collect(readCsvRows(chunked(bytes, sizes), options))
}

async function cellsOf(input: string | Uint8Array, options: CsvReadOptions = {}, sizes?: readonly number[]): Promise<string[][]> {
  return (await read(input, options, sizes)).map((r) => r.cells)
}

async function errorOf(promise: Promise<unknown>): Promise<CsvError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError)
    return error as CsvError
  }
  throw new Error('expected a CsvError')
}

describe('readCsvRows: quoting (RFC 4180)', () => {
  it('reads plain and quoted fields', async () => {
    expect(await cellsOf('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ])
  })

  it('keeps delimiters, doubled quotes and line breaks inside quotes', async () => {
    const text = 'id,name\n1,"Smith, J."\n2,"say ""hi"""\n3,"two\nlines"\n4,"cr\rlf\r\nend"\n5,""\n'
    expect(await cellsOf(text)).toEqual([
      ['id', 'name'],
      ['1', 'Smith, J.'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
      ['4', 'cr\rlf\r\nend'],
      ['5', ''],
    ])
  })

  it('accepts LF, CRLF and CR line ends and a last line without a break', async () => {
    expect(await cellsOf('a,b\r\nc,d\re,f\ng,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ])
  })

  it('is lenient with stray quotes as spreadsheets are', async () => {
    expect(await cellsOf('ab"c,"x"y\n')).toEqual([['ab"c', 'xy']])
  })

  it('keeps empty cells and rows of only delimiters', async () => {
    expect(await cellsOf(',a,\n,,\n')).toEqual([
      ['', 'a', ''],
      ['', '', ''],
    ])
  })

  it('treats __proto__ as plain text', async () => {
    const rows = await cellsOf('__proto__,constructor\n"__proto__",toString\n')
    expect(rows).toEqual([
      ['__proto__', 'constructor'],
      ['__proto__', 'toString'],
    ])
    expect(Object.getPrototypeOf(rows[0])).toBe(Array.prototype)
  })
})

describe('readCsvRows: row numbers', () => {
  it('numbers records by the physical line they start on, skipping but counting blank lines', async () => {
    const text = 'h1,h2\n\n1,"multi\nline"\r\n\r\n\r\n2,x\r3,y\n\n'
    const rows = await read(text)
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['h1', 'h2'] },
      { rowNumber: 3, cells: ['1', 'multi\nline'] },
      { rowNumber: 7, cells: ['2', 'x'] },
      { rowNumber: 8, cells: ['3', 'y'] },
    ])
  })

  it('gives the same rows when read one byte at a time', async () => {
    const text = '\uFEFFh1;h2\r\n\r\n1;"multi\r\nline; ""q"""\r\n2;é€😀\r\n'
    const whole = await read(text)
    expect(whole).toEqual([
      { rowNumber: 1, cells: ['h1', 'h2'] },
      { rowNumber: 3, cells: ['1', 'multi\r\nline; "q"'] },
      { rowNumber: 5, cells: ['2', 'é€😀'] },
    ])
    expect(await read(text, {}, [1])).toEqual(whole)
    expect(await read(text, {}, [1, 2, 3, 5, 7])).toEqual(whole)
  })

  it('names the row where an unterminated quoted field began', async () => {
    const error = await errorOf(read('a,b\n1,2\n3,"never\nclosed,4\n5,6\n'))
    expect(error.row).toBe(3)
    expect(error.message).toMatch(/row 3\b.*never closed/)
    const later = await errorOf(read('a,b\n1,"ok\nfine","open\n\nstill'))
    expect(later.row).toBe(3)
  })
})

describe('readCsvRows: BOM, encoding and delimiter', () => {
  it('strips a UTF-8 BOM', async () => {
    expect(await cellsOf('\uFEFFplayer_id,x\n1,2\n')).toEqual([
      ['player_id', 'x'],
      ['1', '2'],
    ])
    expect(await cellsOf('\uFEFFplayer_id,x\n', {}, [1])).toEqual([['player_id', 'x']])
    expect(await cellsOf('\uFEFFplayer_id,x\n', { encoding: 'utf-8' }, [1])).toEqual([['player_id', 'x']])
  })

  it('reads invalid UTF-8 as Latin-1 (é as 0xE9)', async () => {
    const bytes = Uint8Array.from([...bytesOf('name,city\nRen'), 0xe9, ...bytesOf(',Z'), 0xfc, ...bytesOf('rich\n')])
    expect(await cellsOf(bytes)).toEqual([
      ['name', 'city'],
      ['René', 'Zürich'],
    ])
    expect(await cellsOf(bytes, { encoding: 'auto' }, [1])).toEqual([
      ['name', 'city'],
      ['René', 'Zürich'],
    ])
    expect(await cellsOf(bytes, { encoding: 'latin1' })).toEqual([
      ['name', 'city'],
      ['René', 'Zürich'],
    ])
  })

  it('reads valid UTF-8 as UTF-8, even when a character is split across chunks', async () => {
    const text = 'name\nRené Ålesund 😀 €\n'
    expect(await cellsOf(text, {}, [1])).toEqual([['name'], ['René Ålesund 😀 €']])
    expect(await cellsOf(text, { encoding: 'utf-8' }, [1, 2])).toEqual([['name'], ['René Ålesund 😀 €']])
  })

  it('strips a UTF-8 BOM when the file is read as Latin-1', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...bytesOf('a,b\n'), 0xe9, ...bytesOf(',x\n')])
    expect(await cellsOf(bytes, {}, [1])).toEqual([
      ['a', 'b'],
      ['é', 'x'],
    ])
  })

  it.each([
    [',', 'a,b,c\n1,2,3\n'],
    [';', 'a;b;c\n1,5;2;3\n'],
    ['\t', 'a\tb\tc\n1\t2\t3\n'],
    ['|', 'a|b|c\n1|2|3\n'],
  ])('detects %j from the first line', async (delimiter, text) => {
    const rows = await cellsOf(text)
    expect(rows[0]).toEqual(['a', 'b', 'c'])
    expect(detectDelimiter(text, true)).toBe(delimiter)
  })

  it('ignores delimiters inside quotes when detecting', async () => {
    expect(detectDelimiter('"a,b,c,d";"e";"f"\n', true)).toBe(';')
    expect(await cellsOf('"a,b,c,d";"e";"f"\n1;2;3\n', {}, [1])).toEqual([
      ['a,b,c,d', 'e', 'f'],
      ['1', '2', '3'],
    ])
  })

  it('looks past a title row without delimiters, and falls back to a comma', async () => {
    expect(detectDelimiter('Player report March\n\nid;name\n1;x\n', true)).toBe(';')
    expect(detectDelimiter('just one column\n', true)).toBe(',')
    expect(detectDelimiter('a;b', false)).toBeUndefined()
    expect(detectDelimiter('a;b', true)).toBe(';')
  })

  it('uses an explicit delimiter', async () => {
    expect(await cellsOf('a,b;c\n', { delimiter: ';' })).toEqual([['a,b', 'c']])
  })

  it('reads a ReadableStream', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf('a,"b'))
        controller.enqueue(bytesOf('\nc"\n1,2'))
        controller.close()
      },
    })
    expect((await collect(readCsvRows(stream))).map((r) => r.cells)).toEqual([
      ['a', 'b\nc'],
      ['1', '2'],
    ])
  })
})

describe('readCsvRows: limits', () => {
  it('exports the default limits', () => {
    expect(csvRowsMax).toBe(5_000_000)
    expect(csvColumnsMax).toBe(1_000)
    expect(csvCellLengthMax).toBe(32_767)
  })

  it('refuses a 100,000-column row naming the limit, the row and the value', async () => {
    const wide = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')
    const error = await errorOf(read(`a,b\n\n${wide}\n1,2\n`))
    expect(error.limit).toBe('csvColumnsMax')
    expect(error.row).toBe(3)
    expect(error.message).toContain('csvColumnsMax')
    // The row is longer than one parsing piece (64 K characters), so the reader stops at column 1,001.
    expect(error.message).toBe('CSV row 3: more than 1,000 columns exceeds csvColumnsMax (1,000)')
  })

  it('gives the exact column count when the whole line was in view', async () => {
    const wide = Array.from({ length: 5_000 }, (_, i) => `${i}`).join(',')
    const error = await errorOf(read(`a,b
${wide}
`))
    expect(error.message).toBe('CSV row 2: 5,000 columns exceeds csvColumnsMax (1,000)')
  })

  it('refuses too many columns in a quoted row, and with chunks of one byte', async () => {
    const wide = Array.from({ length: 2_000 }, () => '"x"').join(',')
    const error = await errorOf(read(`${wide}\n`, {}, [1]))
    expect(error.limit).toBe('csvColumnsMax')
    expect(error.message).toMatch(/row 1: more than 1,000 columns exceeds csvColumnsMax/)
  })

  it('refuses a cell longer than the limit, quoted or not, without reading further', async () => {
    const long = 'x'.repeat(40_000)
    const plain = await errorOf(read(`a,b\n1,${long}\n`))
    expect(plain.limit).toBe('csvCellLengthMax')
    expect(plain.message).toContain('row 2, column 2')
    expect(plain.message).toContain('40,000 characters')
    expect(plain.message).toContain('32,767')

    // An unterminated quote in an endless stream: stopped by the cell limit, not by end of input.
    let chunksRead = 0
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield bytesOf('a\n"')
      for (;;) {
        chunksRead++
        yield bytesOf('y'.repeat(1000))
      }
    }
    const quoted = await errorOf(collect(readCsvRows(endless(), { encoding: 'utf-8', delimiter: ',' })))
    expect(quoted.limit).toBe('csvCellLengthMax')
    expect(quoted.row).toBe(2)
    expect(quoted.message).toMatch(/row 2, column 1: a cell of at least 3[0-9,]+ characters exceeds csvCellLengthMax/)
    expect(chunksRead).toBeLessThan(40)
  })

  it('refuses too many records', async () => {
    const error = await errorOf(read('h\n1\n2\n\n3\n4\n', { limits: { rowsMax: 3 } }))
    expect(error.limit).toBe('csvRowsMax')
    expect(error.row).toBe(5)
    expect(error.message).toContain('csvRowsMax')
    expect(error.message).toContain('row 5')
    expect(error.message).toContain('record 4')
  })

  it('yields the rows before the limit', async () => {
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const row of readCsvRows(chunked(bytesOf('a\nb\nc\n'), [1]), { limits: { rowsMax: 2 } })) seen.push(row.rowNumber)
      })(),
    ).rejects.toThrow(/csvRowsMax/)
    expect(seen).toEqual([1, 2])
  })
})

describe('readCsvFile', () => {
  it('reads a file from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-reader-'))
    try {
      const path = join(dir, 'players.csv')
      const lines = ['player_id;total_wagered']
      for (let i = 1; i <= 5000; i++) lines.push(`P${i};"${i},50"`)
      writeFileSync(path, '\uFEFF' + lines.join('\r\n') + '\r\n')
      const rows = await collect(readCsvFile(path))
      expect(rows).toHaveLength(5001)
      expect(rows[0]).toEqual({ rowNumber: 1, cells: ['player_id', 'total_wagered'] })
      expect(rows[5000]).toEqual({ rowNumber: 5001, cells: ['P5000', '5000,50'] })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('readCsvRows: round trip (property)', () => {
  const delimiters = [',', ';', '\t', '|'] as const
  const cellChar = fc.constantFrom('a', 'Z', '0', ' ', ',', ';', '\t', '|', '"', '\r', '\n', 'é', '€', '😀', '中', '\u0000', '_')
  const cell = fc.array(cellChar, { maxLength: 8 }).map((chars) => chars.join(''))
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 })
  const sizes = fc.oneof(fc.constant([1]), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }))

  function writeCsv(rows: string[][], delimiter: string, eol: string, quoteAll: boolean, trailing: boolean): { text: string; lines: number[] } {
    const out: string[] = []
    const lines: number[] = []
    let line = 1
    for (const row of rows) {
      lines.push(line)
      const fields = row.map((c) => {
        const needs = quoteAll || c.includes(delimiter) || c.includes('"') || c.includes('\r') || c.includes('\n') || (row.length === 1 && c === '')
        return needs ? `"${c.replaceAll('"', '""')}"` : c
      })
      const record = fields.join(delimiter)
      out.push(record)
      line += (record.match(/\r\n|\r|\n/g) ?? []).length + 1
    }
    return { text: out.join(eol) + (trailing ? eol : ''), lines }
  }

  it('reads back what an RFC 4180 writer wrote, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom(...delimiters),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        sizes,
        fc.constantFrom<CsvReadOptions['encoding']>('auto', 'utf-8'),
        async (rows, delimiter, eol, quoteAll, trailing, chunkSizes, encoding) => {
          const { text, lines } = writeCsv(rows, delimiter, eol, quoteAll, trailing)
          const read = await collect(readCsvRows(chunked(bytesOf(text), chunkSizes), { delimiter, encoding }))
          expect(read.map((r) => r.cells)).toEqual(rows)
          expect(read.map((r) => r.rowNumber)).toEqual(lines)
        },
      ),
      { numRuns: 500 },
    )
  })
})
