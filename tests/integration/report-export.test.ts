import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { ApiFailure } from '../../src/shared/api/result'
import { csvRecords } from '../../src/main/io/payout-file'
import { restoreNeutralised } from '../../src/main/io/spreadsheet-safety'
import {
  renderChartPng,
  renderChartSvg,
  sanitiseSheetName,
  SheetNames,
  writeReportCsv,
  writeReportWorkbook,
  type ReportChart,
  type ReportColumn,
  type ReportRow,
  type ReportView,
} from '../../src/main/io/export'
import { useTempDir } from '../helpers/temp'

const tempDir = useTempDir()

const evil = '=HYPERLINK("http://x","y")'
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

const columns: ReportColumn[] = [
  { key: 'player', header: 'Player ID', kind: 'text' },
  { key: 'segment', header: 'Segment', kind: 'text' },
  { key: 'cost', header: 'Expected cost', kind: 'money', currency: 'EUR' },
  { key: 'points', header: 'RP issued', kind: 'points' },
  { key: 'share', header: 'Share of cost', kind: 'percent' },
  { key: 'roi', header: 'ROI', kind: 'ratio' },
  { key: 'asOf', header: 'As of', kind: 'date' },
  { key: 'at', header: 'Evaluated at', kind: 'datetime' },
  { key: 'rewards', header: 'Rewards', kind: 'integer' },
  { key: 'note', header: '=SUM(A1:A9)', kind: 'text' },
]

const rows: ReportRow[] = [
  { player: evil, segment: 'VIP', cost: 123456, points: 1500, share: 0.125, roi: 1.75, asOf: '2026-03-01', at: '2026-03-01T12:34:56Z', rewards: 3, note: 'plain' },
  { player: '+1', segment: '-2', cost: -5, points: 0, share: 0, roi: -0.5, asOf: new Date('2026-02-28T23:59:00Z'), at: '2026-03-01T12:00', rewards: 0, note: '@x' },
  { player: '\tfoo', segment: '\rbar', cost: 0.5, points: 2.5, share: 1, roi: 0, asOf: '2026-03-01T22:00:00+02:00', at: new Date('2026-03-02T00:00:00Z'), rewards: 10n, note: 'a, "quoted"\nline' },
  { player: 'P-EMPTY', segment: null, cost: null, points: undefined, share: null, roi: null, asOf: null, at: '', rewards: null, note: '' },
]

const barChart: ReportChart = {
  title: 'Cost vs margin by segment',
  option: {
    legend: {},
    xAxis: { type: 'category', data: ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] },
    yAxis: { type: 'value' },
    series: [
      { name: 'Cost', type: 'bar', data: [120, 200, 150, 80, 70] },
      { name: 'Margin', type: 'line', data: [300, 500, 100, 90, 400] },
    ],
  },
}

const playersView = (): ReportView => ({ name: 'Players', description: 'Every player evaluated', columns, rows, frozenColumns: 1, charts: [barChart] })

const generatedAt = new Date('2026-03-02T08:00:00Z')

async function writeSample(folder: string): Promise<{ path: string; result: Awaited<ReturnType<typeof writeReportWorkbook>> }> {
  const path = join(folder, 'report.xlsx')
  const result = await writeReportWorkbook(path, {
    minorDigits: 2,
    generatedAt,
    summary: {
      title: 'Simulation: VIP cashback 12%',
      parameters: [
        ['As of', new Date('2026-03-01T00:00:00Z')],
        ['Scenario', 'vip-cashback-12'],
        ['Rule set version', 7],
        ['Daily budget', { kind: 'money', value: 5_000_000, currency: 'EUR' }],
        ['Safety factor', { kind: 'percent', value: 0.8 }],
        ['Filter', '=cmd|calc'],
        ['Include paused rules', false],
      ],
    },
    views: [playersView(), { name: 'Charts', description: 'Charts only', columns: [], rows: [], charts: [barChart, { ...barChart, title: 'Second chart' }] }],
  })
  return { path, result }
}

/** One entry of a zip file as text (central directory lookup, then inflate): enough to look inside an xlsx. */
function zipEntry(path: string, name: string): string {
  const zip = readFileSync(path)
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  let offset = zip.readUInt32LE(end + 16)
  for (let entry = 0; entry < zip.readUInt16LE(end + 10); entry += 1) {
    const method = zip.readUInt16LE(offset + 10)
    const size = zip.readUInt32LE(offset + 20)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const local = zip.readUInt32LE(offset + 42)
    if (zip.toString('utf8', offset + 46, offset + 46 + nameLength).replace(/^\//, '') === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
      const data = zip.subarray(start, start + size)
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    }
    offset += 46 + nameLength + extraLength + commentLength
  }
  throw new Error(`${name} is not in ${path}`)
}

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  return workbook
}

describe('report workbook', () => {
  it('puts a Summary sheet first with the parameters used, then one sheet per view', async () => {
    const { path, result } = await writeSample(tempDir())
    expect(result.sheets).toEqual([
      { name: 'Summary', view: 'Summary', rows: 8 },
      { name: 'Players', view: 'Players', rows: 4 },
      { name: 'Charts', view: 'Charts', rows: 0 },
    ])
    expect(result.bytes).toBe(readFileSync(path).length)
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/)

    const workbook = await readWorkbook(path)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Players', 'Charts'])
    const summary = workbook.worksheets[0]!
    expect(summary.getCell('A1').value).toBe('Simulation: VIP cashback 12%')
    expect(summary.getCell('A1').font?.bold).toBe(true)
    const parameters = new Map<string, ExcelJS.Cell>()
    summary.eachRow((row) => {
      const label = row.getCell(1).value
      if (typeof label === 'string') parameters.set(label, row.getCell(2))
    })
    expect(parameters.get('Generated at (UTC)')!.value).toEqual(generatedAt)
    expect(parameters.get('As of')!.value).toEqual(new Date('2026-03-01T00:00:00Z'))
    expect(parameters.get('As of')!.numFmt).toBe('yyyy-mm-dd')
    expect(parameters.get('Scenario')!.value).toBe('vip-cashback-12')
    expect(parameters.get('Rule set version')!.value).toBe(7)
    expect(parameters.get('Daily budget')!.value).toBe(50_000)
    expect(parameters.get('Daily budget')!.numFmt).toBe('#,##0.00 "EUR"')
    expect(parameters.get('Safety factor')!.value).toBe(0.8)
    expect(parameters.get('Safety factor')!.numFmt).toBe('0.0%')
    expect(parameters.get('Filter')!.value).toBe("'=cmd|calc")
    expect(parameters.get('Include paused rules')!.value).toBe('no')
    // The list of contents names each view's sheet.
    expect(parameters.get('Players')!.value).toBe('Every player evaluated')
    expect(parameters.get('Charts')!.value).toBe('Charts only')
  })

  it('styles and freezes the header, filters the data range and formats every column kind as numbers and dates', async () => {
    const { path } = await writeSample(tempDir())
    const sheet = (await readWorkbook(path)).getWorksheet('Players')!

    const header = sheet.getRow(1)
    expect(header.getCell(1).value).toBe('Player ID')
    for (let column = 1; column <= columns.length; column += 1) {
      expect(header.getCell(column).font?.bold).toBe(true)
      expect(header.getCell(column).fill).toMatchObject({ type: 'pattern', pattern: 'solid' })
    }
    // A header is text like any other: one that looks like a formula is neutralised.
    expect(header.getCell(10).value).toBe("'=SUM(A1:A9)")
    expect(header.getCell(10).formula).toBeUndefined()

    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 1 })
    expect(sheet.autoFilter).toBe('A1:J5')

    const formats = ['', '', '#,##0.00 "EUR"', '#,##0', '0.0%', '#,##0.00', 'yyyy-mm-dd', 'yyyy-mm-dd hh:mm:ss', '#,##0']
    formats.forEach((format, index) => {
      if (format) expect(sheet.getRow(2).getCell(index + 1).numFmt, columns[index]!.header).toBe(format)
    })

    const first = sheet.getRow(2)
    expect(first.getCell(3).value).toBe(1234.56)
    expect(first.getCell(3).type).toBe(ExcelJS.ValueType.Number)
    expect(first.getCell(4).value).toBe(1500)
    expect(first.getCell(5).value).toBe(0.125)
    expect(first.getCell(6).value).toBe(1.75)
    expect(first.getCell(7).value).toEqual(new Date('2026-03-01T00:00:00Z'))
    expect(first.getCell(7).type).toBe(ExcelJS.ValueType.Date)
    expect(first.getCell(8).value).toEqual(new Date('2026-03-01T12:34:56Z'))
    expect(first.getCell(9).value).toBe(3)

    const second = sheet.getRow(3)
    expect(second.getCell(3).value).toBe(-0.05)
    expect(second.getCell(7).value).toEqual(new Date('2026-02-28T00:00:00Z'))
    // A timestamp without an offset is UTC.
    expect(second.getCell(8).value).toEqual(new Date('2026-03-01T12:00:00Z'))

    const third = sheet.getRow(4)
    // Fractional minor units and points are rounded by the one rule (half away from zero).
    expect(third.getCell(3).value).toBe(0.01)
    expect(third.getCell(4).value).toBe(3)
    // A date column takes the UTC calendar day of a timestamp: 22:00+02:00 is 20:00 UTC the same day.
    expect(third.getCell(7).value).toEqual(new Date('2026-03-01T00:00:00Z'))
    expect(third.getCell(9).value).toBe(10)

    const empty = sheet.getRow(5)
    for (let column = 2; column <= columns.length; column += 1) expect(empty.getCell(column).value ?? null).toBeNull()
  })

  it('writes text that looks like a formula as inert text', async () => {
    const { path } = await writeSample(tempDir())
    const sheet = (await readWorkbook(path)).getWorksheet('Players')!
    const player = sheet.getCell('A2')
    expect(player.type).toBe(ExcelJS.ValueType.String)
    expect(player.formula).toBeUndefined()
    expect(player.value).toBe(`'${evil}`)
    expect(restoreNeutralised(player.value as string)).toBe(evil)
    const cells: Array<[string, string]> = [
      ['A3', "'+1"],
      ['B3', "'-2"],
      ['J3', "'@x"],
      ['A4', "'\tfoo"],
      // XML turns a raw CR into LF when it is read back; the prefix is what matters.
      ['B4', "'\nbar"],
    ]
    for (const [address, expected] of cells) {
      expect(sheet.getCell(address).type, address).toBe(ExcelJS.ValueType.String)
      expect(sheet.getCell(address).value, address).toBe(expected)
    }
    // Numbers are values, never text: a negative amount needs no neutralising.
    expect(sheet.getCell('C3').value).toBe(-0.05)
    // Nothing in the file is a formula.
    for (const sheet of ['sheet1', 'sheet2', 'sheet3']) expect(zipEntry(path, `xl/worksheets/${sheet}.xml`)).not.toMatch(/<f[ >]/)
  })

  it('sizes columns from the header and the first rows', async () => {
    const { path } = await writeSample(tempDir())
    const sheet = (await readWorkbook(path)).getWorksheet('Players')!
    const width = (column: number) => sheet.getColumn(column).width ?? 0
    // The neutralised HYPERLINK text (27 characters) is the widest player id.
    expect(width(1)).toBeGreaterThanOrEqual(27)
    expect(width(1)).toBeLessThanOrEqual(32)
    // Short header and short values: the minimum, with room for the filter button.
    expect(width(2)).toBeGreaterThanOrEqual('Segment'.length + 2)
    expect(width(2)).toBeLessThan(15)
    // Money: "1,234.56 EUR" (12) plus headroom for larger amounts further down.
    expect(width(3)).toBeGreaterThanOrEqual(16)
    // Dates: exactly their text plus padding.
    expect(width(7)).toBeGreaterThanOrEqual(10)
    expect(width(7)).toBeLessThanOrEqual(13)
    expect(width(8)).toBeGreaterThanOrEqual(19)
  })

  it('embeds charts as PNG pictures under a short table, beside a long one, and on a chart-only sheet', async () => {
    const { path } = await writeSample(tempDir())
    const workbook = await readWorkbook(path)
    const media = workbook.model.media as unknown as Array<{ type: string; extension: string; buffer: Uint8Array }>
    expect(media).toHaveLength(3)
    for (const medium of media) {
      expect(medium.extension).toBe('png')
      expect(Buffer.from(medium.buffer).subarray(0, 8).equals(pngSignature)).toBe(true)
    }
    const under = workbook.getWorksheet('Players')!.getImages()
    expect(under).toHaveLength(1)
    // Header and four rows, then one empty row: the picture starts in A7 (index 6).
    expect([under[0]!.range.tl.nativeCol, under[0]!.range.tl.nativeRow]).toEqual([0, 6])
    const charts = workbook.getWorksheet('Charts')!.getImages()
    expect(charts.map((image) => [image.range.tl.nativeCol, image.range.tl.nativeRow])).toEqual([
      [0, 0],
      [0, 24],
    ])
    const drawing = zipEntry(path, 'xl/drawings/drawing1.xml')
    expect(drawing).toContain('descr="Cost vs margin by segment"')
    const types = zipEntry(path, '[Content_Types].xml')
    expect(types).toContain('<Override PartName="/xl/drawings/drawing2.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>')

    const long = join(tempDir(), 'long.xlsx')
    await writeReportWorkbook(long, {
      minorDigits: 2,
      maxRowsPerSheet: 100,
      summary: { title: 'Long', parameters: [] },
      views: [{ name: 'Long', columns: columns.slice(0, 3), rows: Array.from({ length: 150 }, (_, n) => ({ player: `P${n}`, segment: 'VIP', cost: n })), charts: [barChart] }],
    })
    const longBook = await readWorkbook(long)
    // Beside a long table, at the top, after one empty column; only on the view's first sheet.
    expect(longBook.getWorksheet('Long')!.getImages().map((image) => [image.range.tl.nativeCol, image.range.tl.nativeRow])).toEqual([[4, 0]])
    expect(longBook.getWorksheet('Long (2)')!.getImages()).toEqual([])
  })

  it('makes sheet names legal and unique', async () => {
    const folder = tempDir()
    const names = ['Players', 'players', 'A very long sheet name that goes past thirty-one characters', 'a[b]c:d*e?f/g\\h', 'Summary', 'History', "'quoted'", '', 'A very long sheet name that goes past thirty-one characters']
    const result = await writeReportWorkbook(join(folder, 'names.xlsx'), {
      minorDigits: 2,
      summary: { title: 'Names', parameters: [] },
      views: names.map((name) => ({ name, columns: [{ key: 'a', header: 'A', kind: 'text' as const }], rows: [{ a: name }] })),
    })
    const expected = [
      'Summary',
      'Players',
      'players (2)',
      'A very long sheet name that goe',
      'a_b_c_d_e_f_g_h',
      'Summary (2)',
      'History_',
      'quoted',
      'Sheet',
      'A very long sheet name that (2)',
    ]
    expect(result.sheets.map((sheet) => sheet.name)).toEqual(expected)
    const workbook = await readWorkbook(join(folder, 'names.xlsx'))
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(expected)
    for (const name of expected) expect(name.length).toBeLessThanOrEqual(31)

    expect(sanitiseSheetName('x'.repeat(40))).toHaveLength(31)
    expect(sanitiseSheetName('tab\there')).toBe('tab here')
    // A surrogate pair is never cut in half.
    expect(sanitiseSheetName(`${'x'.repeat(30)}😀`)).toBe('x'.repeat(30))
    const taken = new SheetNames()
    expect([taken.take('Data'), taken.take('DATA'), taken.take('data')]).toEqual(['Data', 'DATA (2)', 'data (3)'])
  })

  it('continues a view past the per-sheet row limit on numbered sheets, each with its header and filter', async () => {
    const folder = tempDir()
    const path = join(folder, 'long.xlsx')
    const result = await writeReportWorkbook(path, {
      minorDigits: 2,
      maxRowsPerSheet: 10,
      summary: { title: 'Long', parameters: [] },
      views: [{ name: 'Big', columns: [{ key: 'n', header: 'n', kind: 'integer' }], rows: Array.from({ length: 25 }, (_, n) => ({ n })) }],
    })
    expect(result.sheets.slice(1)).toEqual([
      { name: 'Big', view: 'Big', rows: 10 },
      { name: 'Big (2)', view: 'Big', rows: 10 },
      { name: 'Big (3)', view: 'Big', rows: 5 },
    ])
    const workbook = await readWorkbook(path)
    const third = workbook.getWorksheet('Big (3)')!
    expect(third.getCell('A1').value).toBe('n')
    expect(third.getCell('A2').value).toBe(20)
    expect(third.autoFilter).toBe('A1:A6')
    expect(third.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
  })

  it('refuses a value that does not fit its column, naming the row, and leaves no file behind', async () => {
    const folder = tempDir()
    const path = join(folder, 'bad.xlsx')
    const bad = (value: unknown, kind: ReportColumn['kind']) =>
      writeReportWorkbook(path, {
        minorDigits: 2,
        summary: { title: 'Bad', parameters: [] },
        views: [{ name: 'V', columns: [{ key: 'v', header: 'Value', kind }], rows: [{ v: null }, { v: value }] }],
      })
    const failure = await bad('12.50', 'money').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ApiFailure)
    expect((failure as ApiFailure).code).toBe('invalid_input')
    expect((failure as ApiFailure).message).toMatch(/Could not write the report .*bad\.xlsx: view "V", row 2, column "Value": expected a number, got the text "12\.50"/)
    await expect(bad(Number.NaN, 'ratio')).rejects.toThrow(/NaN is not a finite number/)
    await expect(bad('2026-02-30', 'date')).rejects.toThrow(/is not a calendar date/)
    await expect(bad('01/03/2026', 'date')).rejects.toThrow(/is not an ISO date/)
    await expect(bad({ a: 1 }, 'text')).rejects.toThrow(/expected text, got an object/)
    expect(readdirSync(folder)).toEqual([])

    const duplicate = writeReportWorkbook(path, {
      minorDigits: 2,
      summary: { title: 'Bad', parameters: [] },
      views: [{ name: 'V', columns: [{ key: 'v', header: 'A', kind: 'text' }, { key: 'v', header: 'B', kind: 'text' }], rows: [] }],
    })
    await expect(duplicate).rejects.toThrow(/the key "v" is used by two columns/)
    await expect(writeReportWorkbook(path, { minorDigits: 9, summary: { title: 'x', parameters: [] }, views: [] })).rejects.toThrow(/minorDigits/)
    expect(readdirSync(folder)).toEqual([])
  })

  it('refuses to replace an existing file unless asked, and can be cancelled', async () => {
    const folder = tempDir()
    const path = join(folder, 'exists.xlsx')
    writeFileSync(path, 'keep me')
    const options = { minorDigits: 2, summary: { title: 'x', parameters: [] }, views: [] }
    await expect(writeReportWorkbook(path, options)).rejects.toMatchObject({ code: 'conflict' })
    expect(readFileSync(path, 'utf8')).toBe('keep me')
    await writeReportWorkbook(path, { ...options, overwrite: true })
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK')

    const controller = new AbortController()
    let closed = false
    function* endless(): Generator<ReportRow> {
      try {
        for (let n = 0; ; n += 1) yield { n }
      } finally {
        closed = true
      }
    }
    const cancelled = join(folder, 'cancelled.xlsx')
    const pending = writeReportWorkbook(cancelled, {
      ...options,
      signal: controller.signal,
      onProgress: ({ rows }) => {
        if (rows >= 5000) controller.abort()
      },
      views: [{ name: 'Endless', columns: [{ key: 'n', header: 'n', kind: 'integer' }], rows: endless() }],
    })
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' })
    expect(closed).toBe(true)
    expect(readdirSync(folder)).toEqual(['exists.xlsx'])
  })

  it('streams a 200,000-row view without holding it in memory', { timeout: 180_000 }, async () => {
    const folder = tempDir()
    const path = join(folder, 'players.xlsx')
    const total = 200_000
    // About 450 bytes of sheet XML a row, 90 MB for the view: held anywhere, it would show.
    const note = 'Eligible for the weekly reload bonus; last reviewed by the VIP desk. '.repeat(3)
    async function* players(): AsyncGenerator<ReportRow> {
      for (let n = 0; n < total; n += 1) {
        yield { player: `P${String(n).padStart(7, '0')}`, segment: n % 7 === 0 ? 'VIP' : 'LOSING', balance: n * 137, points: n % 5000, churn: (n % 100) / 100, last: '2026-02-14', note }
      }
    }
    const bigColumns: ReportColumn[] = [
      { key: 'player', header: 'Player ID', kind: 'text' },
      { key: 'segment', header: 'Segment', kind: 'text' },
      { key: 'balance', header: 'Bonus balance', kind: 'money', currency: 'EUR' },
      { key: 'points', header: 'RP', kind: 'points' },
      { key: 'churn', header: 'Churn risk', kind: 'percent' },
      { key: 'last', header: 'Last deposit', kind: 'date' },
      { key: 'note', header: 'Note', kind: 'text' },
    ]
    const baseline = process.memoryUsage()
    let peakRss = baseline.rss
    let peakBuffers = baseline.arrayBuffers
    const result = await writeReportWorkbook(path, {
      minorDigits: 2,
      summary: { title: 'Player list', parameters: [] },
      views: [{ name: 'Players', columns: bigColumns, rows: players() }],
      onProgress: () => {
        const usage = process.memoryUsage()
        peakRss = Math.max(peakRss, usage.rss)
        peakBuffers = Math.max(peakBuffers, usage.arrayBuffers)
      },
    })
    expect(result.sheets[1]).toEqual({ name: 'Players', view: 'Players', rows: total })
    // Generous bounds: an in-memory workbook of these rows takes several hundred MB, and sheet XML
    // queued for the zip (exceljs applies no backpressure of its own) would pass 64 MB of buffers.
    expect(peakRss - baseline.rss).toBeLessThan(300 * 1024 * 1024)
    expect(peakBuffers - baseline.arrayBuffers).toBeLessThan(64 * 1024 * 1024)

    // Read back with the streaming reader (the in-memory one would need the memory we just saved).
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' })
    let sheets = 0
    let count = 0
    let last: ExcelJS.Row | undefined
    for await (const worksheet of reader) {
      sheets += 1
      if (sheets !== 2) {
        for await (const _row of worksheet) void _row
        continue
      }
      for await (const row of worksheet) {
        count += 1
        last = row
      }
    }
    expect(count).toBe(total + 1)
    expect(last!.getCell(1).value).toBe('P0199999')
    expect(last!.getCell(3).value).toBe((199_999 * 137) / 100)
    expect(last!.getCell(6).value).toEqual(new Date('2026-02-14T00:00:00Z'))
  })
})

describe('report CSV', () => {
  it('writes the same values with a BOM, CRLF, RFC 4180 quoting and neutralised text', async () => {
    const folder = tempDir()
    const path = join(folder, 'players.csv')
    const result = await writeReportCsv(path, playersView(), { minorDigits: 2 })
    expect(result.rows).toBe(4)
    const bytes = readFileSync(path)
    expect(result.bytes).toBe(bytes.length)
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true)
    const text = bytes.toString('utf8').slice(1)
    expect(text.split('\r\n')[0]).toBe("Player ID,Segment,Expected cost,RP issued,Share of cost,ROI,As of,Evaluated at,Rewards,'=SUM(A1:A9)")
    expect(text.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",VIP,1234.56,1500,0.125,1.75,2026-03-01,2026-03-01 12:34:56,3,plain`)

    const records: string[][] = []
    for await (const record of csvRecords(
      (async function* () {
        yield text
      })(),
      ',',
    ))
      records.push(record)
    // Header, four rows, and the empty field after the final CRLF.
    expect(records.slice(0, 5)).toHaveLength(5)
    const [, first, second, third, empty] = records as [string[], string[], string[], string[], string[]]
    expect(first[0]).toBe(`'${evil}`)
    expect(second.slice(0, 2)).toEqual(["'+1", "'-2"])
    expect(second[2]).toBe('-0.05')
    expect(second[9]).toBe("'@x")
    expect(third[0]).toBe("'\tfoo")
    expect(third[1]).toBe("'\rbar")
    expect(third[2]).toBe('0.01')
    expect(third[9]).toBe('a, "quoted"\nline')
    expect(third[8]).toBe('10')
    expect(empty).toEqual(['P-EMPTY', '', '', '', '', '', '', '', '', ''])
  })

  it('takes a semicolon or tab delimiter and can leave out the BOM', async () => {
    const folder = tempDir()
    const view: ReportView = {
      name: 'V',
      columns: [
        { key: 'a', header: 'a;b', kind: 'text' },
        { key: 'm', header: 'money', kind: 'money' },
      ],
      rows: [{ a: 'x;y', m: 100 }, { a: '\tlead', m: 1 }],
    }
    await writeReportCsv(join(folder, 'semi.csv'), view, { minorDigits: 2, delimiter: ';', bom: false })
    expect(readFileSync(join(folder, 'semi.csv'), 'utf8')).toBe('"a;b";money\r\n"x;y";1.00\r\n\'\tlead;0.01\r\n')
    await writeReportCsv(join(folder, 'tab.csv'), view, { minorDigits: 0, delimiter: '\t', bom: false })
    expect(readFileSync(join(folder, 'tab.csv'), 'utf8')).toBe('a;b\tmoney\r\nx;y\t100\r\n"\'\tlead"\t1\r\n')
  })
})

describe('chart images', () => {
  it('renders an echarts option to SVG with its title and to a PNG', async () => {
    const svg = await renderChartSvg(barChart)
    expect(svg).toMatch(/^<svg/)
    expect(svg).toContain('Cost vs margin by segment')
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/)
    const { png, width, height } = await renderChartPng({ ...barChart, width: 400, height: 300 })
    expect(png.subarray(0, 8).equals(pngSignature)).toBe(true)
    // Rendered at twice the placed size: the IHDR chunk holds the pixel size.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([800, 600])
    expect([width, height]).toEqual([400, 300])
    await expect(renderChartPng({ ...barChart, width: 5 })).rejects.toThrow(/width must be/)
  })
})

// LibreOffice is a test prerequisite like Chromium (README "Running the tests"; .ci/run installs it).
const soffice = ['soffice', 'libreoffice'].find((command) => spawnSync('which', [command]).status === 0)

describe('report in LibreOffice', () => {
  it('converts to PDF', { timeout: 120_000 }, async () => {
    if (!soffice) throw new Error('LibreOffice is needed for this test: apt-get install libreoffice-calc-nogui (see README).')
    const folder = tempDir()
    const { path } = await writeSample(folder)
    execFileSync(soffice!, ['--headless', `-env:UserInstallation=file://${join(folder, 'profile')}`, '--convert-to', 'pdf', '--outdir', folder, path], { stdio: 'ignore', timeout: 110_000 })
    const pdf = join(folder, 'report.pdf')
    expect(existsSync(pdf)).toBe(true)
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
  })
})
