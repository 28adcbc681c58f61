// Hostile and broken files against the XLSX, CSV and JSONL readers: each is refused with a message that
// names the limit (or says what the file is), and the process's memory stays bounded while it is.
// Memory is a resource bound, not a timing: the peak RSS growth is compared with what a reader that
// held the hostile content would need.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readJsonlFile, type JsonlItem } from '../../src/main/io/readers/jsonl'
import { XlsxError, openXlsx, readXlsxRows, xlsxCellLengthMax, xlsxColumnsMax, type XlsxRow } from '../../src/main/io/readers/xlsx'
import { useTempDir } from '../helpers/temp'
import { deflateRepeated, sharedStringsXml, sheetXml, workbookEntries, writeWorkbook, writeZip, type DeflatedData } from '../helpers/xlsx-zip'

const tempDir = useTempDir()
const MiB = 2 ** 20
/** Generous: a reader that inflated the 200 MB bomb into memory, or kept a 20 MB cell, would exceed it. */
const rssGrowthBound = 150 * MiB

async function drain(path: string): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = []
  for await (const row of readXlsxRows(path)) rows.push(row)
  return rows
}

async function refusal(promise: Promise<unknown>): Promise<XlsxError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(XlsxError)
    return error as XlsxError
  }
  throw new Error('expected the file to be refused')
}

/**
 * Runs `fn` and returns how far RSS rose above where it started: sampled every 5 ms, and the process's
 * high-water mark if it rose during `fn` (a peak between samples still counts).
 */
async function rssGrowth(fn: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss()
  const maxBefore = process.resourceUsage().maxRSS * 1024
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 5)
  try {
    await fn()
  } finally {
    clearInterval(timer)
  }
  peak = Math.max(peak, process.memoryUsage.rss())
  const maxAfter = process.resourceUsage().maxRSS * 1024
  if (maxAfter > maxBefore) peak = Math.max(peak, maxAfter)
  return peak - before
}

/** Letters from xorshift32: text that compresses like real data (~1.6×), not like a bomb. */
function variedText(length: number, seed = 1): Buffer {
  const bytes = Buffer.allocUnsafe(length)
  let state = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    bytes[i] = 97 + (state % 26)
  }
  return bytes
}

const sheetHead = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
const sheetTail = '</sheetData></worksheet>'
const bombRow = '<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>'

const billionLaughs =
  '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, k) => ` <!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`).join('\n') +
  '\n]>\n'

describe('XLSX zip bombs', () => {
  let bomb: DeflatedData
  beforeAll(async () => {
    bomb = await deflateRepeated(sheetHead, bombRow, 200 * MiB, sheetTail)
    expect(bomb.size).toBeGreaterThan(200 * MiB)
    expect(bomb.raw.length).toBeLessThan(MiB)
  }, 60_000)

  it('refuses a 200 MB sheet that compresses to under 1 MB by its ratio, before inflating it', async () => {
    const path = join(tempDir(), 'bomb.xlsx')
    writeWorkbook(path, { sheets: [{ name: 'Bomb', entry: { deflated: bomb } }] })
    let error: XlsxError | undefined
    const growth = await rssGrowth(async () => {
      error = await refusal(drain(path))
    })
    expect(error!.limit).toBe('xlsxCompressionRatioMax')
    const ratio = Math.round(bomb.size / bomb.raw.length).toLocaleString('en-US')
    expect(error!.message).toBe(
      `xl/worksheets/sheet1.xml declares ${(Math.round((bomb.size / MiB) * 10) / 10).toLocaleString('en-US')} MiB from ${bomb.raw.length.toLocaleString('en-US')} compressed bytes, a ratio of ${ratio} to 1, which exceeds xlsxCompressionRatioMax (100): refused as a possible zip bomb.`,
    )
    expect(growth).toBeLessThan(rssGrowthBound)
  })

  it('stops a part whose header lies about its size at the declared size', async () => {
    const path = join(tempDir(), 'liar.xlsx')
    writeWorkbook(path, { sheets: [{ name: 'Liar', entry: { deflated: bomb, declaredSize: 1_000 } }] })
    let error: XlsxError | undefined
    const growth = await rssGrowth(async () => {
      error = await refusal(drain(path))
    })
    expect(error!.code).toBe('corrupt')
    expect(error!.message).toBe(
      'xl/worksheets/sheet1.xml inflates to more than the 1,000 bytes its zip header declares: the archive is corrupt or hostile (a lying header), and reading stopped there.',
    )
    expect(growth).toBeLessThan(rssGrowthBound)
  })

  it('stops a lying shared strings part the same way', async () => {
    const strings = await deflateRepeated('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', '<si><t>x</t></si>', 50 * MiB, '</sst>')
    const path = join(tempDir(), 'liar-strings.xlsx')
    writeWorkbook(path, { sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c t="s"><v>0</v></c></row>') }], sharedStrings: { deflated: strings, declaredSize: 2_000 } })
    const error = await refusal(drain(path))
    expect(error.message).toBe(
      'xl/sharedStrings.xml inflates to more than the 2,000 bytes its zip header declares: the archive is corrupt or hostile (a lying header), and reading stopped there.',
    )
  })

  it('refuses an archive whose declared sizes add up past xlsxTotalSizeMax, and a part past xlsxEntrySizeMax', async () => {
    const total = join(tempDir(), 'total.xlsx')
    const media = Array.from({ length: 3 }, (_, k) => ({ name: `xl/media/image${k}.bin`, data: 'x', declaredSize: 1_600 * MiB }))
    writeWorkbook(total, { sheets: [{ name: 'A' }], extra: media })
    const totalError = await refusal(openXlsx(total))
    expect(totalError.limit).toBe('xlsxTotalSizeMax')
    expect(totalError.message).toBe('The archive declares 4,800 MiB of uncompressed content, which exceeds xlsxTotalSizeMax (4,096 MiB).')
    const entry = join(tempDir(), 'entry.xlsx')
    writeWorkbook(entry, { sheets: [{ name: 'Huge', entry: { data: sheetXml(''), declaredSize: 2_100 * MiB } }] })
    const entryError = await refusal(drain(entry))
    expect(entryError.limit).toBe('xlsxEntrySizeMax')
    expect(entryError.message).toBe('xl/worksheets/sheet1.xml declares 2,100 MiB uncompressed, which exceeds xlsxEntrySizeMax (2,048 MiB).')
  })

  it('refuses a file over xlsxFileSizeMax without opening the archive', async () => {
    const path = join(tempDir(), 'big.xlsx')
    writeWorkbook(path, { sheets: [{ name: 'A', xml: sheetXml(`<row r="1"><c t="inlineStr"><is><t>${variedText(4_000).toString('latin1')}</t></is></c></row>`) }] })
    const error = await refusal(openXlsx(path, { limits: { fileSizeMax: 1_000 } }))
    expect(error.limit).toBe('xlsxFileSizeMax')
    const { statSync } = await import('node:fs')
    expect(error.message).toBe(`The file is ${statSync(path).size.toLocaleString('en-US')} bytes, which exceeds xlsxFileSizeMax (1,000 bytes).`)
  })
})

describe('XLSX entity expansion', () => {
  it('refuses a billion-laughs DOCTYPE in a sheet', async () => {
    const path = join(tempDir(), 'laughs-sheet.xlsx')
    writeWorkbook(path, { sheets: [{ name: 'Lol', xml: sheetXml('<row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row>', '', billionLaughs) }] })
    const error = await refusal(drain(path))
    expect(error.code).toBe('doctype')
    expect(error.message).toBe(
      'xl/worksheets/sheet1.xml contains a DOCTYPE or ENTITY declaration. Workbooks never need one, and it is how "billion laughs" and external-entity attacks work, so the file is refused.',
    )
  })

  it('refuses a billion-laughs DOCTYPE in the shared strings', async () => {
    const path = join(tempDir(), 'laughs-strings.xlsx')
    const strings = `${billionLaughs}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>`
    writeWorkbook(path, { sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c t="s"><v>0</v></c></row>') }], sharedStrings: strings })
    const error = await refusal(drain(path))
    expect(error.code).toBe('doctype')
    expect(error.message).toMatch(/^xl\/sharedStrings\.xml contains a DOCTYPE or ENTITY declaration\./)
  })

  it('refuses a DOCTYPE hidden inside the rows, and one in workbook.xml', async () => {
    const inside = join(tempDir(), 'inside.xlsx')
    writeWorkbook(inside, { sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c><v>1</v></c></row><!DOCTYPE x [<!ENTITY a "b">]><row r="2"/>') }] })
    expect((await refusal(drain(inside))).code).toBe('doctype')
    const workbook = join(tempDir(), 'workbook.xlsx')
    const entries = workbookEntries({ sheets: [{ name: 'S' }] }).map((entry) =>
      entry.name === 'xl/workbook.xml' ? { ...entry, data: `${billionLaughs}${String(entry.data).replace(/^<\?xml[^>]*>/, '')}` } : entry,
    )
    writeZip(workbook, entries)
    const error = await refusal(openXlsx(workbook))
    expect(error.code).toBe('doctype')
    expect(error.message).toMatch(/^xl\/workbook\.xml contains a DOCTYPE/)
  })
})

describe('XLSX oversized content', () => {
  it('refuses 100,000 columns at the first cell past column XFD', async () => {
    const letters = (n: number) => {
      let name = ''
      for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) name = String.fromCharCode(65 + ((c - 1) % 26)) + name
      return name
    }
    const cells = Array.from({ length: 100_000 }, (_, k) => `<c r="${letters(k + 1)}1"><v>${k}</v></c>`).join('')
    const path = join(tempDir(), 'wide.xlsx')
    writeWorkbook(path, { sheets: [{ name: 'Wide', xml: sheetXml(`<row r="1">${cells}</row>`) }] })
    const error = await refusal(drain(path))
    expect(error.limit).toBe('xlsxColumnsMax')
    expect(error.message).toBe(`Sheet "Wide", row 1: cell XFE1 is beyond column XFD, which exceeds xlsxColumnsMax (${xlsxColumnsMax.toLocaleString('en-US')} columns).`)
  })

  it('refuses a 40 KB cell, inline or shared', async () => {
    const text = variedText(40_000).toString('latin1')
    const inline = join(tempDir(), 'inline-40k.xlsx')
    writeWorkbook(inline, { sheets: [{ name: 'Long', xml: sheetXml(`<row r="3"><c r="D3" t="inlineStr"><is><t>${text}</t></is></c></row>`) }] })
    const inlineError = await refusal(drain(inline))
    expect(inlineError.limit).toBe('xlsxCellLengthMax')
    expect(inlineError.row).toBe(3)
    expect(inlineError.message).toBe(`Sheet "Long", row 3, cell D3: 40,000 characters exceeds xlsxCellLengthMax (${xlsxCellLengthMax.toLocaleString('en-US')} characters per cell).`)
    const shared = join(tempDir(), 'shared-40k.xlsx')
    writeWorkbook(shared, { sheets: [{ name: 'Long', xml: sheetXml('<row r="1"><c t="s"><v>0</v></c></row>') }], sharedStrings: sharedStringsXml([text]) })
    expect((await refusal(drain(shared))).message).toBe('xl/sharedStrings.xml, shared string 1: 40,000 characters exceeds xlsxCellLengthMax (32,767 characters per cell).')
  })

  it('refuses a row holding 20 MB of XML without keeping it', async () => {
    const path = join(tempDir(), 'huge-row.xlsx')
    // A 64 KB unit of varied text repeated: deflate's 32 KB window cannot see the repeats, so the part
    // compresses like text (~1.6×), and the test never holds the 20 MB itself.
    const unit = variedText(64 * 1024).toString('latin1')
    const sheet = await deflateRepeated(`${sheetHead}<row r="1"><c t="inlineStr"><is><t>`, unit, 20 * MiB, `</t></is></c></row>${sheetTail}`)
    writeWorkbook(path, { sheets: [{ name: 'Row', entry: { deflated: sheet } }] })
    let error: XlsxError | undefined
    const growth = await rssGrowth(async () => {
      error = await refusal(drain(path))
    })
    expect(error!.limit).toBe('xlsxElementBytesMax')
    expect(error!.message).toBe('Sheet "Row": one row holds more than 16,777,216 bytes of XML, which exceeds xlsxElementBytesMax.')
    expect(growth).toBeLessThan(rssGrowthBound)
  })
})

describe('XLSX text that is not what it claims', () => {
  it('refuses invalid UTF-8 in a cell, naming the row', async () => {
    const path = join(tempDir(), 'bad-utf8.xlsx')
    const xml = Buffer.concat([
      Buffer.from(sheetXml('<row r="1"><c t="inlineStr"><is><t>fine</t></is></c></row><row r="2"><c t="inlineStr"><is><t>caf').split('</sheetData>')[0]!),
      Buffer.from([0xe9, 0x20, 0xff]),
      Buffer.from('</t></is></c></row></sheetData></worksheet>'),
    ])
    writeWorkbook(path, { sheets: [{ name: 'Latin', entry: { data: xml } }] })
    const error = await refusal(drain(path))
    expect(error.code).toBe('invalidUtf8')
    expect(error.row).toBe(2)
    expect(error.message).toBe('Sheet "Latin", row 2: the cell text is not valid UTF-8. Save the workbook again from Excel.')
  })

  it('refuses invalid UTF-8 in a shared string, naming the string', async () => {
    const path = join(tempDir(), 'bad-utf8-strings.xlsx')
    const strings = Buffer.concat([Buffer.from(sharedStringsXml(['ok', 'caf']).replace('caf</t></si></sst>', 'caf')), Buffer.from([0xc3, 0x28]), Buffer.from('</t></si></sst>')])
    writeWorkbook(path, { sheets: [{ name: 'S', xml: sheetXml('<row r="1"><c t="s"><v>0</v></c></row>') }], sharedStrings: { data: strings } })
    expect((await refusal(drain(path))).message).toBe('xl/sharedStrings.xml, shared string 2: the text is not valid UTF-8. Save the workbook again from Excel.')
  })

  it('returns "__proto__" and friends as plain text, in cells, sheet names and attributes', async () => {
    const path = join(tempDir(), 'proto.xlsx')
    const row = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty'].map((text) => `<c t="inlineStr"><is><t>${text}</t></is></c>`).join('')
    const xml = sheetXml(`<row r="1" __proto__="x" constructor="y">${row}</row><row r="2"><c><v>1</v></c></row>`)
    writeWorkbook(path, { sheets: [{ name: '__proto__', xml }] })
    const workbook = await openXlsx(path)
    try {
      expect(workbook.sheets.map((sheet) => sheet.name)).toEqual(['__proto__'])
      const rows: XlsxRow[] = []
      for await (const each of workbook.rows('__proto__')) rows.push(each)
      expect(rows).toEqual([
        { rowNumber: 1, cells: ['__proto__', 'constructor', 'prototype', 'hasOwnProperty'] },
        { rowNumber: 2, cells: [1] },
      ])
      expect(Object.getPrototypeOf(rows[0]!.cells)).toBe(Array.prototype)
      expect(({} as Record<string, unknown>).x).toBeUndefined()
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'x')).toBe(false)
    } finally {
      await workbook.close()
    }
  })
})

describe('Files that are not workbooks', () => {
  it('says what an .xls (OLE compound file) is, and a password-protected workbook', async () => {
    const xls = join(tempDir(), 'old.xlsx')
    const header = Buffer.alloc(4096)
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header)
    Buffer.from('Workbook', 'utf16le').copy(header, 1024)
    writeFileSync(xls, header)
    const old = await refusal(openXlsx(xls))
    expect(old.code).toBe('oleCompound')
    expect(old.message).toBe(
      'This file is an Excel 97–2003 workbook (.xls, an OLE compound file), not an .xlsx workbook. Open it in Excel and save it as "Excel Workbook (.xlsx)", or export the sheet as CSV, then import that file.',
    )
    Buffer.from('EncryptionInfo', 'utf16le').copy(header, 2048)
    const encrypted = join(tempDir(), 'locked.xlsx')
    writeFileSync(encrypted, header)
    expect((await refusal(openXlsx(encrypted))).message).toMatch(/^This workbook is password-protected \(encrypted\), so it cannot be read\./)
  })

  it('says a text file renamed .xlsx may be a CSV, and an empty file is empty', async () => {
    const csv = join(tempDir(), 'players.xlsx')
    writeFileSync(csv, 'player_id,total_wagered\nP1,100\n')
    const text = await refusal(openXlsx(csv))
    expect(text.code).toBe('notZip')
    expect(text.message).toBe(
      'This file is not an Excel .xlsx workbook (an .xlsx file is a zip archive); it starts with text, so it may be a CSV or text file renamed .xlsx: import it as CSV instead.',
    )
    const empty = join(tempDir(), 'empty.xlsx')
    writeFileSync(empty, '')
    const nothing = await refusal(openXlsx(empty))
    expect(nothing.code).toBe('empty')
    expect(nothing.message).toBe('The file is empty (0 bytes): it is not an Excel workbook.')
  })

  it('refuses a truncated zip, a zip without a workbook, and an encrypted entry', async () => {
    const ok = join(tempDir(), 'ok.xlsx')
    writeWorkbook(ok, { sheets: [{ name: 'A' }] })
    const { readFileSync } = await import('node:fs')
    const truncated = join(tempDir(), 'truncated.xlsx')
    writeFileSync(truncated, readFileSync(ok).subarray(0, 200))
    const cut = await refusal(openXlsx(truncated))
    expect(cut.code).toBe('notZip')
    expect(cut.message).toMatch(/^This file is not a readable \.xlsx workbook: the zip archive is damaged or truncated \(/)
    const docx = join(tempDir(), 'letter.xlsx')
    writeZip(docx, [{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }])
    const word = await refusal(openXlsx(docx))
    expect(word.code).toBe('missingPart')
    expect(word.message).toBe('This zip archive is not an Excel workbook: it is a Word document (.docx).')
    const locked = join(tempDir(), 'zip-crypto.xlsx')
    writeZip(locked, workbookEntries({ sheets: [{ name: 'A' }] }).map((entry) => (entry.name.startsWith('xl/worksheets/') ? { ...entry, encrypted: true } : entry)))
    const crypto = await refusal(drain(locked))
    expect(crypto.code).toBe('encrypted')
    expect(crypto.message).toBe('xl/worksheets/sheet1.xml is encrypted inside the zip archive, so the workbook cannot be read. Save it again without a password.')
  })
})

describe('JSONL hostile lines', () => {
  async function items(path: string): Promise<JsonlItem[]> {
    const out: JsonlItem[] = []
    for await (const item of readJsonlFile(path)) out.push(item)
    return out
  }

  it('drops __proto__, constructor and prototype keys at every depth, escaped or not', async () => {
    const path = join(tempDir(), 'proto.jsonl')
    writeFileSync(
      path,
      [
        '{"event_id":"E1","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        '{"event_id":"E2","nested":{"__proto__":{"polluted":true},"ok":1},"list":[{"__proto__":{"polluted":true}}]}',
        '{"event_id":"E3","\\u005f_proto__":{"polluted":true}}',
      ].join('\n'),
    )
    const result = await items(path)
    expect(result).toHaveLength(3)
    for (const item of result) {
      expect('value' in item).toBe(true)
      const value = (item as { value: Record<string, unknown> }).value
      expect(Object.keys(value)).not.toContain('__proto__')
      expect(Object.prototype.hasOwnProperty.call(value, 'constructor')).toBe(false)
      expect(Object.assign({}, value)).not.toHaveProperty('polluted')
    }
    const second = (result[1] as { value: Record<string, unknown> }).value
    expect(second.nested).toEqual({ ok: 1 })
    expect(Object.keys((second.list as object[])[0]!)).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('quarantines an overlong line without holding it, and goes on', async () => {
    const path = join(tempDir(), 'long.jsonl')
    writeFileSync(path, `{"event_id":"E1"}\n{"blob":"${variedText(30 * MiB).toString('latin1')}"}\n{"event_id":"E3"}\n`)
    let result: JsonlItem[] = []
    const growth = await rssGrowth(async () => {
      result = await items(path)
    })
    expect(result.map((item) => item.rowNumber)).toEqual([1, 2, 3])
    expect(result[1]).toEqual({ rowNumber: 2, error: 'Line 2 is longer than jsonlLineLengthMax (1,048,576 bytes); it was skipped.' })
    expect(growth).toBeLessThan(rssGrowthBound)
  })
})

describe('CSV and JSON lines past their file size limit', () => {
  it('refuses them before reading a byte, naming the limit', async () => {
    const { truncateSync } = await import('node:fs')
    const { openTable } = await import('../../src/main/io/import/table-source')
    const { csvFileSizeMax } = await import('../../src/main/io/readers/csv')
    const { jsonlFileSizeMax } = await import('../../src/main/io/readers/jsonl')
    const csv = join(tempDir(), 'huge.csv')
    writeFileSync(csv, 'player_id,total_wagered\n')
    truncateSync(csv, csvFileSizeMax + 1) // sparse: no disk used
    await expect(openTable(csv)).rejects.toThrow('huge.csv cannot be imported: the file is 2,147,483,649 bytes, more than the 2 GiB a CSV file may have (csvFileSizeMax). Split it into smaller files and import each.')
    const jsonl = join(tempDir(), 'huge.jsonl')
    writeFileSync(jsonl, '{}\n')
    truncateSync(jsonl, jsonlFileSizeMax + 1)
    await expect(openTable(jsonl)).rejects.toThrow(/huge\.jsonl cannot be imported: the file is 4,294,967,297 bytes, more than the 4 GiB a JSON lines file may have \(jsonlFileSizeMax\)/)
  })
})
