import { join } from 'node:path'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  XlsxError,
  columnName,
  formatKind,
  openXlsx,
  readXlsxRows,
  serialToDate,
  xlsxCellLengthMax,
  xlsxColumnsMax,
  xlsxRowsMax,
  type XlsxReadOptions,
  type XlsxRow,
} from '../../../src/main/io/readers/xlsx'
import { resolveLimits } from '../../../src/main/io/readers/xlsx-limits'
import { SheetScanner, scanSheet } from '../../../src/main/io/readers/xlsx-sheet'
import { loadSharedStrings } from '../../../src/main/io/readers/xlsx-strings'
import { useTempDir } from '../../helpers/temp'
import { sharedStringsXml, sheetXml, stylesXml, writeWorkbook, type WorkbookSpec } from '../../helpers/xlsx-zip'

const tempDir = useTempDir()

async function collect(gen: AsyncGenerator<XlsxRow>): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = []
  for await (const row of gen) rows.push(row)
  return rows
}

async function rowsOf(path: string, options: XlsxReadOptions & { sheet?: string | number } = {}): Promise<XlsxRow[]> {
  return collect(readXlsxRows(path, options))
}

async function errorOf(promise: Promise<unknown>): Promise<XlsxError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(XlsxError)
    return error as XlsxError
  }
  throw new Error('expected an XlsxError')
}

/** A hand-made workbook with one sheet of these rows' XML. */
function handMade(spec: Partial<WorkbookSpec> & { rows?: string; after?: string } = {}): string {
  const path = join(tempDir(), 'hand.xlsx')
  writeWorkbook(path, { sheets: spec.sheets ?? [{ name: 'Sheet1', xml: sheetXml(spec.rows ?? '', spec.after ?? '') }], ...spec })
  return path
}

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => new Date(Date.UTC(y, m - 1, d, h, min, s))

// ---- exceljs's own files, compared with exceljs's own reading ---------------------------------------

/** What our reader should yield for a cell exceljs reads, in our conventions. */
function expectedFromExceljs(cell: ExcelJS.Cell, date1904: boolean): unknown {
  if (cell.type === ExcelJS.ValueType.Merge) return null // a merged range's other cells hold nothing in the file
  const value = cell.value as unknown
  const plain = (v: unknown): unknown => {
    if (v === null || v === undefined) return null
    if (formatKind(cell.numFmt ?? 'General') === 2) {
      // exceljs reads [h]:mm and h:mm cells as Dates near 1899-12-30; we give the serial as days.
      if (v instanceof Date) return { durationDays: v.getTime() / 86_400_000 + 25_569 - (date1904 ? 1_462 : 0) }
      if (typeof v === 'number') return { durationDays: v }
    }
    if (formatKind(cell.numFmt ?? 'General') === 3 && typeof v === 'number') return { percent: v }
    return v
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>
    if (Array.isArray(record.richText)) return (record.richText as { text: string }[]).map((run) => run.text).join('')
    if ('formula' in record || 'sharedFormula' in record) return record.result === undefined ? { formula: record.formula ?? '' } : plain(record.result)
    if ('error' in record) return { error: record.error }
    if (typeof record.text === 'string') return record.text
  }
  return plain(value)
}

async function readWithExceljs(path: string): Promise<Map<string, XlsxRow[]>> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const date1904 = workbook.properties.date1904 === true
  const sheets = new Map<string, XlsxRow[]>()
  workbook.eachSheet((sheet) => {
    const rows: XlsxRow[] = []
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: unknown[] = []
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        while (cells.length < column - 1) cells.push(null)
        cells[column - 1] = expectedFromExceljs(cell, date1904)
      })
      while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop()
      if (cells.length > 0) rows.push({ rowNumber, cells })
    })
    sheets.set(sheet.name, rows)
  })
  return sheets
}

/** An operator's messy workbook: title row, merged header, dates, durations, formulas, errors, gaps. */
async function writeMessyWorkbook(path: string, date1904 = false): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  workbook.properties.date1904 = date1904
  const summary = workbook.addWorksheet('Player Summary')
  summary.getCell('A1').value = 'Player summary as of 2026-01-31'
  summary.mergeCells('A1:H1')
  summary.getCell('B2').value = 'Money'
  summary.mergeCells('B2:C2')
  summary.getRow(3).values = ['Player ID', 'Total Wagered', 'Total Won', 'Last Deposit', 'Playtime', 'VIP', 'Note', 'Net']
  summary.getRow(4).values = [
    'P001',
    1234.5,
    '1,000.25',
    utc(2025, 3, 1),
    1.5,
    true,
    { richText: [{ text: 'Bold', font: { bold: true } }, { text: ' and plain' }] },
    { formula: 'B4-1000', result: 234.5 },
  ]
  summary.getRow(5).values = ['P002', 10, 5, utc(2024, 2, 29, 13, 45, 30), 0.75, false, `a < b & c > "d" 'e'`, { formula: 'B5*2' } as ExcelJS.CellFormulaValue]
  summary.getRow(7).values = ['P003', { error: '#DIV/0!' } as ExcelJS.CellErrorValue, 0, null, null, null, 'tab\there\nnewline', { formula: 'B7/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue]
  summary.getCell('Z7').value = 'far away'
  summary.getRow(8).values = ['__proto__', 'constructor', 'toString', 'Total']
  for (const row of [4, 5, 7]) {
    summary.getCell(`D${row}`).numFmt = 'yyyy-mm-dd hh:mm:ss'
    summary.getCell(`E${row}`).numFmt = '[h]:mm'
  }
  const hidden = workbook.addWorksheet('Lookup', { state: 'hidden' })
  hidden.getRow(1).values = ['code', 'name']
  hidden.getRow(2).values = ['DE', 'Germany']
  const events = workbook.addWorksheet('Events')
  events.getRow(1).values = ['event_id', 'timestamp', 'amount']
  events.getRow(2).values = ['E1', utc(2026, 1, 2, 10, 30), 12.5]
  events.getCell('B2').numFmt = 'dd/mm/yyyy hh:mm'
  await workbook.xlsx.writeFile(path)
}

describe('readXlsxRows on files exceljs writes', () => {
  it('lists the sheets in order with their state, and the date system', async () => {
    const path = join(tempDir(), 'messy.xlsx')
    await writeMessyWorkbook(path)
    const workbook = await openXlsx(path)
    try {
      expect(workbook.sheets.map(({ name, index, state }) => ({ name, index, state }))).toEqual([
        { name: 'Player Summary', index: 0, state: 'visible' },
        { name: 'Lookup', index: 1, state: 'hidden' },
        { name: 'Events', index: 2, state: 'visible' },
      ])
      expect(workbook.date1904).toBe(false)
      expect(workbook.sheet('player summary ').name).toBe('Player Summary')
      expect(workbook.sheet(2).name).toBe('Events')
      const missing = await errorOf(Promise.resolve().then(() => workbook.sheet('Players')))
      expect(missing.code).toBe('noSuchSheet')
      expect(missing.message).toContain('"Player Summary", "Lookup", "Events"')
    } finally {
      await workbook.close()
    }
  })

  it('yields the values exceljs reads, cell for cell, on every sheet', async () => {
    for (const date1904 of [false, true]) {
      const path = join(tempDir(), `messy-${date1904}.xlsx`)
      await writeMessyWorkbook(path, date1904)
      const theirs = await readWithExceljs(path)
      const workbook = await openXlsx(path)
      try {
        expect(workbook.date1904).toBe(date1904)
        for (const sheet of workbook.sheets) {
          const ours = await collect(workbook.rows(sheet))
          expect(ours, `${sheet.name}, date1904 ${date1904}`).toEqual(theirs.get(sheet.name))
        }
      } finally {
        await workbook.close()
      }
    }
  })

  it('gives the conventions the importer relies on', async () => {
    const path = join(tempDir(), 'messy.xlsx')
    await writeMessyWorkbook(path)
    const rows = await rowsOf(path)
    const byRow = new Map(rows.map((row) => [row.rowNumber, row.cells]))
    expect([...byRow.keys()]).toEqual([1, 2, 3, 4, 5, 7, 8]) // row 6 is blank: not yielded, numbers kept
    expect(byRow.get(1)).toEqual(['Player summary as of 2026-01-31']) // the merged title: its other cells are empty
    expect(byRow.get(2)).toEqual([null, 'Money'])
    expect(byRow.get(4)).toEqual(['P001', 1234.5, '1,000.25', utc(2025, 3, 1), { durationDays: 1.5 }, true, 'Bold and plain', 234.5])
    expect(byRow.get(5)).toEqual(['P002', 10, 5, utc(2024, 2, 29, 13, 45, 30), { durationDays: 0.75 }, false, `a < b & c > "d" 'e'`, { formula: 'B5*2' }])
    const row7 = byRow.get(7)!
    expect(row7.slice(0, 3)).toEqual(['P003', { error: '#DIV/0!' }, 0])
    expect(row7[6]).toBe('tab\there\nnewline')
    expect(row7[7]).toEqual({ error: '#DIV/0!' })
    expect(row7).toHaveLength(26)
    expect(row7[25]).toBe('far away')
    expect(row7.slice(8, 25).every((cell) => cell === null)).toBe(true)
    const hostile = byRow.get(8)!
    expect(hostile).toEqual(['__proto__', 'constructor', 'toString', 'Total'])
    expect(Object.getPrototypeOf(hostile)).toBe(Array.prototype)
    expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString)
  })

  it('reads inline strings (exceljs streaming writer without shared strings)', async () => {
    const path = join(tempDir(), 'inline.xlsx')
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true })
    const sheet = writer.addWorksheet('Inline')
    sheet.addRow(['player_id', 'note']).commit()
    sheet.addRow(['P1', 'x & <y>']).commit()
    sheet.addRow(['P2', 42]).commit()
    await sheet.commit()
    await writer.commit()
    expect((await rowsOf(path)).map((row) => row.cells)).toEqual([
      ['player_id', 'note'],
      ['P1', 'x & <y>'],
      ['P2', 42],
    ])
  })

  it('reads a large sheet across many chunk boundaries exactly as exceljs does', async () => {
    const path = join(tempDir(), 'large.xlsx')
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true })
    const sheet = writer.addWorksheet('Players')
    sheet.addRow(['player_id', 'wagered', 'registered', 'note', 'flag']).commit()
    for (let i = 1; i <= 20_000; i++) {
      const row = sheet.addRow([`P${i}`, i * 1.25, utc(2020, 1, 1 + (i % 1000)), i % 7 === 0 ? `é ü ✓ 𝄞 ${i}` : i % 11 === 0 ? null : `n${i % 13}`, i % 2 === 0])
      row.getCell(3).numFmt = 'yyyy-mm-dd'
      row.commit()
    }
    await sheet.commit()
    await writer.commit()
    const ours = await rowsOf(path)
    expect(ours).toHaveLength(20_001)
    expect(ours).toEqual((await readWithExceljs(path)).get('Players'))
  })

  it('previews the first rows of every sheet and stops early', async () => {
    const path = join(tempDir(), 'messy.xlsx')
    await writeMessyWorkbook(path)
    const workbook = await openXlsx(path)
    try {
      const previews = await workbook.preview(3)
      expect(previews.map((preview) => [preview.sheet.name, preview.rows.map((row) => row.rowNumber)])).toEqual([
        ['Player Summary', [1, 2, 3]],
        ['Lookup', [1, 2]],
        ['Events', [1, 2]],
      ])
      expect(previews[0]!.rows[2]!.cells[0]).toBe('Player ID')
    } finally {
      await workbook.close()
    }
  })

  it('reports merged ranges, from a full pass or by skipping the rows', async () => {
    const path = join(tempDir(), 'messy.xlsx')
    await writeMessyWorkbook(path)
    const expected = [
      { ref: 'A1:H1', firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: 8 },
      { ref: 'B2:C2', firstRow: 2, firstColumn: 2, lastRow: 2, lastColumn: 3 },
    ]
    const byRef = (a: { ref: string }, b: { ref: string }) => a.ref.localeCompare(b.ref)
    const skipping = await openXlsx(path)
    try {
      expect((await skipping.mergedRanges(0)).sort(byRef)).toEqual(expected)
      expect(await skipping.mergedRanges('Events')).toEqual([])
    } finally {
      await skipping.close()
    }
    const afterPass = await openXlsx(path)
    try {
      await collect(afterPass.rows(0))
      expect((await afterPass.mergedRanges(0)).sort(byRef)).toEqual(expected)
    } finally {
      await afterPass.close()
    }
  })
})

// ---- hand-written XML: the semantics one by one ----------------------------------------------------

describe('readXlsxRows: cell values', () => {
  it('places cells by reference (gaps null), numbers rows without r, and skips rows without values', async () => {
    const path = handMade({
      rows:
        '<row r="2"><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c></row>' +
        '<row><c><v>1</v></c><c><v>2</v></c><c r="E3"><v>5</v></c><c><v>6</v></c></row>' +
        '<row r="5" spans="1:3"><c r="A5" s="0"/><c r="B5" t="s"/></row>' +
        '<row r="7"/>' +
        '<row r="9"><c r="AA9" t="inlineStr"><is><t>far</t></is></c></row>',
    })
    expect(await rowsOf(path)).toEqual([
      { rowNumber: 2, cells: [1, null, 3] },
      { rowNumber: 3, cells: [1, 2, null, null, 5, 6] },
      { rowNumber: 9, cells: [...new Array<null>(26).fill(null), 'far'] },
    ])
  })

  it('decodes entities, character references, _xHHHH_ escapes, CDATA and rich text', async () => {
    const path = handMade({
      sharedStrings: sharedStringsXml([
        'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;',
        '&#65;&#x42;&#x1D11E;',
        'line_x000D_break and _x005F_x000D_ literal',
        '<si><r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r></si>',
        '<si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh><phoneticPr fontId="1"/></si>',
        '<si><t/></si>',
        '<si><t><![CDATA[<raw> & text]]></t></si>',
      ]),
      rows: '<row r="1">' + [0, 1, 2, 3, 4, 5, 6].map((k) => `<c t="s"><v>${k}</v></c>`).join('') + '</row>' +
        '<row r="2"><c t="inlineStr"><is><r><t>in</t></r><r><t>line &amp; rich</t></r></is></c><c t="str"><f>A1&amp;"x"</f><v>cached &lt;text&gt;</v></c></row>',
    })
    expect((await rowsOf(path)).map((row) => row.cells)).toEqual([
      ['a & b <c> "d" \'e\'', 'AB𝄞', 'line\rbreak and _x000D_ literal', 'Rich text', '漢字', '', '<raw> & text'],
      ['inline & rich', 'cached <text>'],
    ])
  })

  it('reads booleans, errors, ISO date cells, and formulas with and without cached values', async () => {
    const path = handMade({
      rows:
        '<row r="1"><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2024-05-06T07:08:09</v></c></row>' +
        '<row r="2"><c><f>1+1</f><v>2</v></c><c><f>A1+B1</f></c><c r="C2"><f t="shared" ref="C2:C3" si="0">B2*2</f></c><c t="str"><f>""</f><v></v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c></row>' +
        '<row r="3"><c r="C3"><f t="shared" si="0"/></c></row>',
    })
    expect((await rowsOf(path)).map((row) => row.cells)).toEqual([
      [true, false, { error: '#N/A' }, utc(2024, 5, 6, 7, 8, 9)],
      [2, { formula: 'A1+B1' }, { formula: 'B2*2' }, '', { error: '#DIV/0!' }],
      [null, null, { formula: '' }],
    ])
  })

  it('turns date-formatted numbers into UTC dates (1900 system, its leap-year bug) and time formats into durations', async () => {
    const path = handMade({
      styles: stylesXml([0, 14, 22, 164, 165, 166, 20, 46, 167, 168, 169], {
        164: 'dd/mm/yyyy',
        165: '[h]:mm',
        166: '"Day "d" of "mmmm',
        167: '#,##0.00 "h"',
        168: 'mmm-yy',
        169: '[Red][<0]0.00;[Blue]0.00',
      }),
      rows:
        '<row r="1"><c s="1"><v>1</v></c><c s="1"><v>59</v></c><c s="1"><v>60</v></c><c s="1"><v>61</v></c><c s="1"><v>45322</v></c></row>' +
        '<row r="2"><c s="2"><v>45322.75</v></c><c s="3"><v>45322</v></c><c s="4"><v>1.5</v></c><c s="5"><v>45322</v></c><c s="6"><v>0.5</v></c><c s="7"><v>2.25</v></c></row>' +
        '<row r="3"><c s="8"><v>12.5</v></c><c s="9"><v>45322</v></c><c s="10"><v>3.5</v></c><c s="1"><v>-1</v></c><c s="1"><v>3000000</v></c><c s="42"><v>7</v></c><c s="1" t="s"/></row>',
    })
    expect((await rowsOf(path)).map((row) => row.cells)).toEqual([
      [utc(1900, 1, 1), utc(1900, 2, 28), 60, utc(1900, 3, 1), utc(2024, 1, 31)],
      [utc(2024, 1, 31, 18), utc(2024, 1, 31), { durationDays: 1.5 }, utc(2024, 1, 31), { durationDays: 0.5 }, { durationDays: 2.25 }],
      [12.5, utc(2024, 1, 31), 3.5, -1, 3_000_000, 7],
    ])
  })

  it('uses the 1904 date system when workbook.xml says so', async () => {
    const path = handMade({ date1904: true, styles: stylesXml([0, 14]), rows: '<row r="1"><c s="1"><v>0</v></c><c s="1"><v>43860</v></c><c s="1"><v>60</v></c></row>' })
    expect((await rowsOf(path))[0]!.cells).toEqual([utc(1904, 1, 1), utc(2024, 1, 31), utc(1904, 3, 1)])
  })

  it('understands a namespace prefix, comments and processing instructions', async () => {
    const xml =
      '<?xml version="1.0"?><!-- made by hand --><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<x:sheetData><!-- rows --><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c><?pi here?><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData>' +
      '<x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>'
    const path = handMade({ sheets: [{ name: 'P', xml }] })
    const workbook = await openXlsx(path)
    try {
      expect(await collect(workbook.rows())).toEqual([{ rowNumber: 1, cells: ['prefixed', 2] }])
      expect(await workbook.mergedRanges()).toEqual([{ ref: 'A1:B1', firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: 2 }])
    } finally {
      await workbook.close()
    }
  })

  it('parses a row longer than 1 MiB (it spans many chunks) and keeps counting rows after it', async () => {
    // Varied text, so the part compresses like real data (a run of one letter would be refused as a bomb).
    let seed = 7
    const long = Array.from({ length: 30_000 }, () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26))).join('')
    const big = Array.from({ length: 60 }, (_, k) => `<c r="${columnName(k + 1)}2" t="inlineStr"><is><t>${long}${k}</t></is></c>`).join('')
    const path = handMade({ rows: `<row r="1"><c><v>1</v></c></row><row r="2">${big}</row><row r="3"><c><v>3</v></c></row>` })
    const rows = await rowsOf(path)
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3])
    expect(rows[1]!.cells).toHaveLength(60)
    expect(rows[1]!.cells[59]).toBe(`${long}59`)
  })
})

describe('the scanners across chunk boundaries', () => {
  async function* chunked(bytes: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
    let at = 0
    let k = 0
    while (at < bytes.length) {
      const size = Math.max(1, sizes[k++ % sizes.length] ?? 1)
      yield bytes.subarray(at, at + size)
      at += size
    }
  }
  const limits = resolveLimits({})
  const flat = async (batches: AsyncGenerator<XlsxRow[]>): Promise<XlsxRow[]> => {
    const rows: XlsxRow[] = []
    for await (const batch of batches) rows.push(...batch)
    return rows
  }
  const stringsXml = Buffer.from(
    sharedStringsXml(['plain', 'a &amp; b', '<si><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r></si>', '<si><t>漢</t><rPh sb="0" eb="1"><t>カ</t></rPh></si>', 'x_x000D_y']),
  )
  const sheet = Buffer.from(
    sheetXml(
      '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>' +
        '<row r="2">\n  <c r="A2" s="1"><v>45322.5</v></c>\n  <c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#REF!</v></c><!-- note --><c r="E2"><f>A2*2</f></c></row>' +
        '<row r="3"/><row r="4"><c r="B4" t="inlineStr"><is><t xml:space="preserve"> é &lt;x&gt; </t></is></c><c r="C4" t="str"><f>"a"</f><v><![CDATA[c<d]]></v></c><c r="D4"><v>-1.5E-3</v></c></row>',
      '<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C4:D5"/></mergeCells>',
    ),
  )

  async function scan(sizes: readonly number[]) {
    const strings = await loadSharedStrings(chunked(stringsXml, sizes), 'xl/sharedStrings.xml', limits)
    const scanner = new SheetScanner({ part: 'sheet.xml', sheetName: 'S', strings, kinds: Uint8Array.from([0, 1]), date1904: false, limits }, 'rows')
    const rows = await flat(scanSheet(chunked(sheet, sizes), scanner, 'Sheet "S"', limits))
    const skipper = new SheetScanner({ part: 'sheet.xml', sheetName: 'S', strings: undefined, kinds: new Uint8Array(0), date1904: false, limits }, 'merges')
    expect(await flat(scanSheet(chunked(sheet, sizes), skipper, 'Sheet "S"', limits))).toEqual([])
    return { rows, merges: scanner.merges, skipped: skipper.merges }
  }

  it('gives the same rows, strings and merged ranges for any chunking', async () => {
    const whole = await scan([1 << 20])
    expect(whole.rows).toEqual([
      { rowNumber: 1, cells: ['plain', 'a & b', 'rich', '漢', 'x\ry'] },
      { rowNumber: 2, cells: [utc(2024, 1, 31, 12), null, true, { error: '#REF!' }, { formula: 'A2*2' }] },
      { rowNumber: 4, cells: [null, ' é <x> ', 'c<d', -0.0015] },
    ])
    expect(whole.merges.map((range) => range.ref)).toEqual(['A1:B1', 'C4:D5'])
    expect(whole.skipped).toEqual(whole.merges)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }), async (sizes) => {
        expect(await scan(sizes)).toEqual(whole)
      }),
      { numRuns: 150 },
    )
  })
})

describe('readXlsxRows: limits and broken parts', () => {
  it('refuses a row number or a column beyond the limits, naming them', async () => {
    const farRow = await errorOf(rowsOf(handMade({ rows: `<row r="${xlsxRowsMax + 1}"><c><v>1</v></c></row>` })))
    expect(farRow.limit).toBe('xlsxRowsMax')
    expect(farRow.message).toContain('row 1,048,577 is beyond xlsxRowsMax (1,048,576 rows')
    const farColumn = await errorOf(rowsOf(handMade({ rows: '<row r="4"><c r="XFE4"><v>1</v></c></row>' })))
    expect(farColumn.limit).toBe('xlsxColumnsMax')
    expect(farColumn.row).toBe(4)
    expect(farColumn.message).toBe(`Sheet "Sheet1", row 4: cell XFE4 is beyond column XFD, which exceeds xlsxColumnsMax (${xlsxColumnsMax.toLocaleString('en-US')} columns).`)
  })

  it('applies smaller limits given as options', async () => {
    const rows = Array.from({ length: 5 }, (_, k) => `<row r="${k + 1}"><c t="inlineStr"><is><t>row ${k + 1}</t></is></c></row>`).join('')
    const path = handMade({ rows })
    const tooMany = await errorOf(rowsOf(path, { limits: { rowsMax: 3 } }))
    expect(tooMany.limit).toBe('xlsxRowsMax')
    expect(tooMany.message).toBe('Sheet "Sheet1": row 4 is beyond xlsxRowsMax (3 rows).')
    const repeated = handMade({ rows: '<row r="1"><c><v>1</v></c></row>'.repeat(5) })
    expect((await errorOf(rowsOf(repeated, { limits: { rowsMax: 3 } }))).message).toBe('Sheet "Sheet1": more than 3 rows exceeds xlsxRowsMax.')
    const tooLong = await errorOf(rowsOf(path, { limits: { cellLengthMax: 4 } }))
    expect(tooLong.message).toBe('Sheet "Sheet1", row 1, cell A1: 5 characters exceeds xlsxCellLengthMax (4 characters per cell).')
    const strings = handMade({ sharedStrings: sharedStringsXml(['a', 'b', 'c']), rows: '<row r="1"><c t="s"><v>0</v></c></row>' })
    expect((await errorOf(rowsOf(strings, { limits: { sharedStringsMax: 2 } }))).limit).toBe('xlsxSharedStringsMax')
    expect((await errorOf(rowsOf(strings, { limits: { sharedStringsBytesMax: 2 } }))).limit).toBe('xlsxSharedStringsBytesMax')
    const wide = handMade({ rows: '<row r="1"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>' })
    expect((await errorOf(rowsOf(wide, { limits: { columnsMax: 2 } }))).message).toContain('more than 2 cells in one row exceeds xlsxColumnsMax')
    const merged = handMade({ rows: '<row r="1"><c><v>1</v></c></row>', after: '<mergeCells><mergeCell ref="A1:B1"/><mergeCell ref="A2:B2"/></mergeCells>' })
    const workbook = await openXlsx(merged, { limits: { mergedRangesMax: 1 } })
    try {
      expect((await errorOf(workbook.mergedRanges())).limit).toBe('xlsxMergedRangesMax')
    } finally {
      await workbook.close()
    }
  })

  it('refuses a shared string longer than xlsxCellLengthMax when it loads the table', async () => {
    const path = handMade({ sharedStrings: sharedStringsXml(['ok', 'y'.repeat(xlsxCellLengthMax + 1)]), rows: '<row r="1"><c t="s"><v>0</v></c></row>' })
    const error = await errorOf(rowsOf(path))
    expect(error.limit).toBe('xlsxCellLengthMax')
    expect(error.message).toBe('xl/sharedStrings.xml, shared string 2: 32,768 characters exceeds xlsxCellLengthMax (32,767 characters per cell).')
  })

  it('refuses a shared string index that is not in the table, naming the cell', async () => {
    const path = handMade({ sharedStrings: sharedStringsXml(['only']), rows: '<row r="3"><c r="B3" t="s"><v>7</v></c></row>' })
    const error = await errorOf(rowsOf(path))
    expect(error.code).toBe('badXml')
    expect(error.message).toBe('Sheet "Sheet1", row 3: cell B3 refers to shared string 7, but the workbook has 1')
  })

  it('refuses an entity that is not predefined, and a truncated sheet', async () => {
    const entity = await errorOf(rowsOf(handMade({ rows: '<row r="1"><c t="inlineStr"><is><t>&nbsp;</t></is></c></row>' })))
    expect(entity.code).toBe('badXml')
    expect(entity.message).toContain('"&nbsp;", which is not a predefined entity')
    const truncated = handMade({ sheets: [{ name: 'Cut', xml: '<worksheet><sheetData><row r="1"><c><v>1</v></c></row><row r="2"><c><v>2' }] })
    const error = await errorOf(rowsOf(truncated))
    expect(error.message).toBe('Sheet "Cut": the sheet\'s XML ends inside its data (after row 1); the file is truncated or damaged.')
  })

  it('names the missing part or sheet', async () => {
    const path = join(tempDir(), 'no-sheet-part.xlsx')
    const { writeZip, workbookEntries } = await import('../../helpers/xlsx-zip')
    writeZip(path, workbookEntries({ sheets: [{ name: 'Gone' }] }).filter((entry) => !entry.name.startsWith('xl/worksheets/')))
    const error = await errorOf(rowsOf(path))
    expect(error.code).toBe('missingPart')
    expect(error.message).toContain('Sheet "Gone" has no data part in the archive (xl/worksheets/sheet1.xml)')
  })
})

describe('formatKind and serialToDate', () => {
  it('classifies number formats', () => {
    const cases: [string, number][] = [
      ['General', 0],
      ['0.00', 0],
      ['#,##0.00 "days"', 0],
      ['0.00E+00', 0],
      ['@', 0],
      ['yyyy-mm-dd', 1],
      ['d-mmm', 1],
      ['mmm-yy', 1],
      ['[$-409]mmmm d, yyyy;@', 1],
      ['dd/mm/yyyy hh:mm', 1],
      ['h:mm AM/PM', 2],
      ['mm:ss', 2],
      ['[h]:mm:ss', 2],
      ['[mm]', 2],
      ['\\d0', 0],
      ['0_d', 0],
      ['[Red]0.00', 0],
      ['0%', 3],
      ['0.00%', 3],
      ['#,##0.0%;[Red]-#,##0.0%', 3],
      ['0.00"%"', 0],
      ['0.00\\%', 0],
    ]
    for (const [code, kind] of cases) expect(formatKind(code), code).toBe(kind)
  })

  it('converts serials in both date systems', () => {
    expect(serialToDate(1, false)).toEqual(utc(1900, 1, 1))
    expect(serialToDate(60, false)).toBe(60)
    expect(serialToDate(60.5, false)).toBe(60.5)
    expect(serialToDate(61, false)).toEqual(utc(1900, 3, 1))
    expect(serialToDate(45322.5, false)).toEqual(utc(2024, 1, 31, 12))
    expect(serialToDate(0, true)).toEqual(utc(1904, 1, 1))
    expect(serialToDate(2_958_465, false)).toEqual(utc(9999, 12, 31))
    expect(serialToDate(2_958_466, false)).toBe(2_958_466)
    expect(serialToDate(-1, true)).toBe(-1)
  })
})
