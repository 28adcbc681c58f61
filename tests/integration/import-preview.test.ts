// import/preview through the real dispatcher, over real files: what the import would read, before
// anything is written, decided by the importer's own functions.
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { openBackend, type Backend } from '../../src/main/backend'
import type { ImportPreview } from '../../src/shared/api/types'
import { useTempDir } from '../helpers/temp'

describe('import/preview', () => {
  const tempDir = useTempDir()
  let backend: Backend | undefined
  afterEach(() => {
    backend?.close()
    backend = undefined
  })

  const setup = () => {
    const dir = tempDir()
    backend = openBackend({ runtime: 'test', databasePath: join(dir, 'preview.sqlite'), dataDir: dir })
    const call = async <T>(name: string, input: unknown): Promise<{ data?: T; error?: { code: string; message: string } }> =>
      (await backend!.dispatcher.dispatch(name, input, `t${Math.random().toString(36).slice(2, 10)}`, () => {})) as { data?: T; error?: { code: string; message: string } }
    const tableCount = (table: string) => (backend!.services.database.readRaw(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    return { dir, call, tableCount }
  }

  it('previews a CSV with an unknown header: says what is missing, and a mapping completes it; nothing is written', async () => {
    const { dir, call, tableCount } = setup()
    const path = join(dir, 'punters.csv')
    writeFileSync(path, 'Punter,Turnover,Winnings,Notes\n501,"1,200.00",900.5,vip\n502,300,310,\n503,0,0,new\n')
    const first = await call<ImportPreview>('import/preview', { path })
    expect(first.error).toBeUndefined()
    const preview = first.data!
    expect(preview).toMatchObject({ file: 'punters.csv', format: 'csv', kind: 'summary', headerRow: 1, missingRequired: ['player_id'] })
    expect(preview.sizeBytes).toBeGreaterThan(40)
    expect(preview.columns).toEqual([
      { index: 0, header: 'Punter', field: null },
      { index: 1, header: 'Turnover', field: 'total_wagered' },
      { index: 2, header: 'Winnings', field: 'total_won' },
      { index: 3, header: 'Notes', field: null },
    ])
    expect(preview.refusal).toMatch(/^This sheet cannot be imported: it needs a player id column .*Columns found: "Punter" \(not recognised\)/)
    expect(preview.sample).toEqual([
      ['501', '1,200.00', '900.5', 'vip'],
      ['502', '300', '310', ''],
      ['503', '0', '0', 'new'],
    ])
    expect(preview.fields.find((field) => field.field === 'player_id')?.synonyms).toContain('UID')
    expect(preview.alreadyImported).toBeUndefined()

    const mapped = await call<ImportPreview>('import/preview', { path, mapping: { Punter: 'player_id', Notes: 'ignore' } })
    expect(mapped.data).toMatchObject({ kind: 'summary', missingRequired: [] })
    expect(mapped.data!.refusal).toBeUndefined()
    expect(mapped.data!.columns.map((column) => column.field)).toEqual(['player_id', 'total_wagered', 'total_won', null])
    expect(tableCount('imports')).toBe(0)
    expect(tableCount('players')).toBe(0)

    // After the import, the same content is recognised.
    const imported = await call<{ imports: { importId: number }[] }>('import/files', { paths: [path], mapping: { Punter: 'player_id' }, asOf: '2026-11-20' })
    expect(imported.error).toBeUndefined()
    const again = await call<ImportPreview>('import/preview', { path })
    expect(again.data!.alreadyImported).toEqual({ importId: imported.data!.imports[0]!.importId })
  })

  it('previews an XLSX: visible sheets, the best sheet, a title row above the header, dates and formulas as text', async () => {
    const { dir, call } = setup()
    const path = join(dir, 'export.xlsx')
    const workbook = new ExcelJS.Workbook()
    const notes = workbook.addWorksheet('Notes')
    notes.addRow(['This workbook holds the player export.'])
    const players = workbook.addWorksheet('Players')
    players.addRow(['Player summary — exported 2026-11-20'])
    players.addRow(['Player ID', 'Turnover (€)', 'Winnings (€)', 'GGR', 'Last Deposit', 'Mystery'])
    players.addRow([1001, 1500, 1200, { formula: 'B3-C3', result: 300 }, new Date(Date.UTC(2026, 10, 18)), 'x'])
    players.addRow([1002, 80, 100, { formula: 'B4-C4', result: -20 }, null, 'y'])
    const hidden = workbook.addWorksheet('Secret', { state: 'hidden' })
    hidden.addRow(['Player ID', 'Turnover', 'Winnings'])
    await workbook.xlsx.writeFile(path)

    const { data, error } = await call<ImportPreview>('import/preview', { path })
    expect(error).toBeUndefined()
    expect(data).toMatchObject({ format: 'xlsx', sheets: ['Notes', 'Players'], sheet: 'Players', kind: 'summary', headerRow: 2, missingRequired: [] })
    expect(data!.columns.map((column) => [column.header, column.field])).toEqual([
      ['Player ID', 'player_id'],
      ['Turnover (€)', 'total_wagered'],
      ['Winnings (€)', 'total_won'],
      ['GGR', 'ggr'],
      ['Last Deposit', 'last_deposit_date'],
      ['Mystery', null],
    ])
    expect(data!.sample[0]).toEqual(['1001', '1500', '1200', '300', '2026-11-18', 'x'])
    expect(data!.sample[1]!.slice(0, 4)).toEqual(['1002', '80', '100', '-20'])

    const notesSheet = await call<ImportPreview>('import/preview', { path, sheet: 'Notes' })
    expect(notesSheet.data).toMatchObject({ sheet: 'Notes', kind: null, missingRequired: ['player_id', 'total_wagered', 'total_won'] })
    expect(notesSheet.data!.refusal).toMatch(/player id/)
    const missing = await call<ImportPreview>('import/preview', { path, sheet: 'Nope' })
    expect(missing.error?.code).toBe('invalid_input')
    expect(missing.error?.message).toMatch(/no sheet "Nope"; its sheets are: "Notes", "Players", "Secret"/)
  })

  it('previews the sample events file as events, and refuses bad input plainly', async () => {
    const { call } = setup()
    const events = await call<ImportPreview>('import/preview', { path: resolve('resources/samples/events.jsonl') })
    expect(events.error).toBeUndefined()
    expect(events.data).toMatchObject({ format: 'jsonl', kind: 'events', missingRequired: [] })
    // Keys in the order the first lines name them (a session line has no amount).
    expect(events.data!.columns.map((column) => column.field).sort()).toEqual(['amount', 'device_id', 'event_id', 'game_type', 'ip', 'player_id', 'timestamp', 'type'])
    expect(events.data!.sample).toHaveLength(10)
    expect(events.data!.fields.map((field) => field.field)).toContain('timestamp')

    const sample = await call<ImportPreview>('import/preview', { path: resolve('resources/samples/players.xlsx') })
    expect(sample.data).toMatchObject({ sheets: ['Players', 'Notes'], sheet: 'Players', headerRow: 3, kind: 'summary', missingRequired: [] })

    expect((await call('import/preview', { path: '/no/such/file.csv' })).error?.code).toBe('not_found')
    expect((await call('import/preview', { path: 'x.csv', extra: 1 })).error?.code).toBe('invalid_input')
    expect((await call('import/preview', { path: 'x.csv', mapping: { a: 'x'.repeat(65) } })).error?.code).toBe('invalid_input')
  })
})
