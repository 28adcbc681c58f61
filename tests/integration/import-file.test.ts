import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { importFile, type ImportFileOptions } from '../../src/main/jobs/import-file'
import { exportQuarantine } from '../../src/main/jobs/quarantine-export'
import { useTempDir } from '../helpers/temp'

const base = { asOf: '2026-11-20', defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2, dateOrder: 'DMY' as const }

function counts(database: LedgerDatabase): Record<string, number> {
  const count = (table: string) => (database.readRaw(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  return {
    imports: count('imports'),
    players: count('players'),
    snapshots: count('metric_snapshots'),
    events: count('activity_events'),
    quarantine: count('import_row_errors'),
  }
}

function current(database: LedgerDatabase, externalId: string) {
  return database
    .readRaw(
      'SELECT s.total_wagered AS wagered, s.total_won AS won, s.as_of AS asOf FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id WHERE p.external_id = ?',
    )
    .get(externalId) as { wagered: number; won: number; asOf: string } | undefined
}

describe('importing a player summary file', () => {
  const tempDir = useTempDir()
  const setup = () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const write = (name: string, text: string) => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }
    const run = (path: string, extra: Partial<ImportFileOptions> = {}) => importFile(database, { ...base, path, ...extra })
    return { database, write, run }
  }

  it('skips a title row, imports valid rows, quarantines bad ones with row numbers, and ignores blank and total rows', async () => {
    const { database, write, run } = setup()
    const path = write(
      'players.csv',
      [
        'Player summary — exported 2026-11-20',
        'Player ID;Turnover;Winnings;Sessions;Last Deposit',
        'P1;"1.234,50";1000;3;18/11/2026',
        'P2;-5;0;1;',
        '',
        'P3;200;100;2.5;',
        'P4;500;400;4;02/03/2026',
        'Total;1934;1500;;',
      ].join('\n'),
    )
    const summary = await run(path, { decimalSeparator: ',' })
    expect(summary).toMatchObject({ status: 'imported', kind: 'summary', asOf: '2026-11-20', asOfSource: 'option', headerRow: 2, rows: 4, accepted: 2, rejected: 2, duplicates: 0, ambiguousDates: 1 })
    expect(summary.errors.map((error) => [error.row, error.column])).toEqual([
      [4, 'total_wagered'],
      [6, 'sessions'],
    ])
    expect(summary.errors[0]!.message).toBe('Row 4, total_wagered: expected a money amount of 0 or more, found "-5"')
    expect(current(database, 'P1')).toEqual({ wagered: 123_450, won: 100_000, asOf: '2026-11-20' })
    expect(counts(database)).toMatchObject({ imports: 1, players: 2, snapshots: 2, quarantine: 2 })
    const original = database.readRaw('SELECT original FROM import_row_errors WHERE row_number = 4').get() as { original: string }
    expect(JSON.parse(original.original)).toEqual([
      ['Player ID', 'P2'],
      ['Turnover', '-5'],
      ['Winnings', '0'],
      ['Sessions', '1'],
      ['Last Deposit', ''],
    ])
    database.close()
  })

  it('takes the as-of date from the title row when none is given', async () => {
    const { database, write, run } = setup()
    const path = write('titled.csv', 'Player summary — exported 2026-11-18\nplayer_id,total_wagered,total_won,last_deposit_date\nP1,100,50,2026-11-19\nP2,100,50,2026-11-17\n')
    const summary = await run(path, { asOf: undefined })
    expect(summary).toMatchObject({ asOf: '2026-11-18', asOfSource: 'title', accepted: 1, rejected: 1 })
    expect(summary.errors[0]!.message).toBe('Row 3, last_deposit_date: 2026-11-19 is after the as-of date 2026-11-18')
    const untitled = await run(write('plain.csv', 'player_id,total_wagered,total_won\nP3,1,0\n'), { asOf: undefined })
    expect(untitled).toMatchObject({ asOf: '2026-11-25', asOfSource: 'default' })
    database.close()
  })

  it('exports the quarantine beside the original cells, with formula-like text made inert', async () => {
    const { database, write, run } = setup()
    const path = write('q.csv', ['Player ID,Turnover,Winnings', 'P1,100,50', '"=HYPERLINK(""http://x"",""y"")",-5,abc', 'P3,10,2', 'P4,1,0'].join('\n'))
    const summary = await run(path)
    expect(summary.rejected).toBe(1)
    const out = join(tempDir(), 'quarantine.xlsx')
    expect(await exportQuarantine(database, { importId: summary.importId, path: out, minorDigits: 2 })).toMatchObject({ rows: 1 })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(out)
    const sheet = workbook.getWorksheet('Quarantine')!
    expect(sheet.getRow(1).values).toEqual([undefined, 'Row', 'Problems', 'Player ID', 'Turnover', 'Winnings'])
    const row = sheet.getRow(2)
    expect(row.getCell(1).value).toBe(3)
    expect(String(row.getCell(2).value).split('\n')).toEqual([
      'Row 3, total_wagered: expected a money amount of 0 or more, found "-5"',
      'Row 3, total_won: expected a money amount such as 1,234.56, found "abc"',
    ])
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.String)
    expect(row.getCell(3).value).toBe(`'=HYPERLINK("http://x","y")`)
    await expect(exportQuarantine(database, { importId: 999, path: out, minorDigits: 2 })).rejects.toThrow('There is no import 999.')
    database.close()
  })

  it('recognises the same file by content and writes nothing the second time', async () => {
    const { database, write, run } = setup()
    const path = write('a.csv', 'player_id,total_wagered,total_won\nP1,100,50\nP2,300,10\n')
    const first = await run(path)
    const before = counts(database)
    const again = await run(write('renamed.csv', 'player_id,total_wagered,total_won\nP1,100,50\nP2,300,10\n'))
    expect(again).toMatchObject({ status: 'already_imported', importId: first.importId, accepted: 2, file: 'renamed.csv' })
    expect(counts(database)).toEqual(before)
    database.close()
  })

  it('replaces totals with a newer snapshot, keeps the history, and never lets an older file replace them', async () => {
    const { database, write, run } = setup()
    await run(write('nov.csv', 'player_id,total_wagered,total_won\nP1,100,50\n'), { asOf: '2026-11-20' })
    await run(write('dec.csv', 'player_id,total_wagered,total_won\nP1,900,450\n'), { asOf: '2026-12-01' })
    expect(current(database, 'P1')).toEqual({ wagered: 90_000, won: 45_000, asOf: '2026-12-01' })
    await run(write('oct.csv', 'player_id,total_wagered,total_won\nP1,10,5\n'), { asOf: '2026-10-01' })
    expect(current(database, 'P1')).toEqual({ wagered: 90_000, won: 45_000, asOf: '2026-12-01' })
    expect(counts(database)).toMatchObject({ players: 1, snapshots: 3 })
    database.close()
  })

  it('keeps the last row of a player id repeated in the file and says which rows', async () => {
    const { database, write, run } = setup()
    const summary = await run(write('dup.csv', 'player_id,total_wagered,total_won\nP1,100,50\nP2,10,1\nP1,200,60\n'))
    expect(summary).toMatchObject({ rows: 3, accepted: 2, duplicates: 1 })
    expect(summary.warnings[0]!.message).toBe('Player "P1" appears in rows 2 and 4: row 4 is used (the last occurrence wins) and row 2 is ignored')
    expect(current(database, 'P1')).toMatchObject({ wagered: 20_000 })
    expect(counts(database)).toMatchObject({ snapshots: 2 })
    database.close()
  })

  it('points every player at the right snapshot when a file mixes new and known players and repeats some far apart', async () => {
    const { database, write, run } = setup()
    await run(write('jan10.csv', 'player_id,total_wagered,total_won\nK1,100,50\nK2,200,60\n'), { asOf: '2026-01-10' })
    // 12,000 filler players put the repeats in different write chunks of the import.
    const filler = Array.from({ length: 12_000 }, (_, index) => `F${index},1,0`)
    const lines = ['N1,10,1', 'K2,20,2', 'N2,30,3', 'K1,1,1', ...filler, 'N1,40,4', 'K2,50,5', 'N2,60,6', 'N2,70,7']
    const newer = await run(write('jan20.csv', ['player_id,total_wagered,total_won', ...lines].join('\n')), { asOf: '2026-01-20' })
    expect(newer).toMatchObject({ rows: lines.length, accepted: 12_000 + 4, duplicates: 4 })
    expect(current(database, 'N1')).toEqual({ wagered: 4_000, won: 400, asOf: '2026-01-20' })
    expect(current(database, 'N2')).toEqual({ wagered: 7_000, won: 700, asOf: '2026-01-20' })
    expect(current(database, 'K1')).toEqual({ wagered: 100, won: 100, asOf: '2026-01-20' })
    expect(current(database, 'K2')).toEqual({ wagered: 5_000, won: 500, asOf: '2026-01-20' })
    expect(current(database, 'F11999')).toEqual({ wagered: 100, won: 0, asOf: '2026-01-20' })
    // An older file adds its history but moves no one's totals, new players apart.
    await run(write('jan05.csv', 'player_id,total_wagered,total_won\nK1,9,9\nN3,80,8\nK2,9,9\n'), { asOf: '2026-01-05' })
    expect(current(database, 'K1')).toEqual({ wagered: 100, won: 100, asOf: '2026-01-20' })
    expect(current(database, 'N3')).toEqual({ wagered: 8_000, won: 800, asOf: '2026-01-05' })
    expect(counts(database)).toMatchObject({ players: 12_000 + 5, snapshots: 2 + 12_004 + 3 })
    // Every player points at a snapshot of their own.
    expect(database.readRaw('SELECT count(*) AS n FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id AND s.player_id = p.id').get()).toEqual({ n: 12_005 })
    database.close()
  })

  it('refuses a file where most rows fail, writing nothing', async () => {
    const { database, write, run } = setup()
    const path = write('bad.csv', 'player_id,total_wagered,total_won\nP1,abc,1\nP2,-1,1\nP3,100,50\n')
    await expect(run(path)).rejects.toThrow(/bad\.csv was not imported: 2 of 3 rows failed validation/)
    expect(counts(database)).toEqual({ imports: 0, players: 0, snapshots: 0, events: 0, quarantine: 0 })
    database.close()
  })

  it('refuses a file without a player id column, listing the columns found', async () => {
    const { database, write, run } = setup()
    const path = write('nocol.csv', 'Name,Turnover,Winnings\nAnn,100,50\n')
    await expect(run(path)).rejects.toThrow(/needs a player id column \(accepted names: Player ID, PlayerId.*Columns found: "Name" \(not recognised\), "Turnover" \(total_wagered\)/)
    // No column recognised at all: the accepted names are listed all the same.
    const unknown = write('punters.csv', 'Punter,Stake Sum,Payout Sum,Notes\nA1,100,50,hi\n')
    await expect(run(unknown)).rejects.toThrow(/needs a player id column \(accepted names: Player ID, PlayerId.*Columns found: "Punter" \(not recognised\)/)
    expect(counts(database).imports).toBe(0)
    database.close()
  })

  it('leaves nothing behind when cancelled mid-file', async () => {
    const { database, write, run } = setup()
    const lines = ['player_id,total_wagered,total_won']
    for (let index = 0; index < 30_000; index += 1) lines.push(`P${index},${index},${index >> 1}`)
    const controller = new AbortController()
    const path = write('big.csv', lines.join('\n'))
    const progress: number[] = []
    const pending = run(path, {
      signal: controller.signal,
      onProgress: (update) => {
        progress.push(update.rows)
        if (update.rows >= 10_000) controller.abort()
      },
    })
    await expect(pending).rejects.toThrow('The import was cancelled; nothing was written.')
    expect(progress.length).toBeGreaterThan(0)
    expect(counts(database)).toEqual({ imports: 0, players: 0, snapshots: 0, events: 0, quarantine: 0 })
    // The connection is usable afterwards.
    expect((await run(write('small.csv', 'player_id,total_wagered,total_won\nP1,1,0\n'))).accepted).toBe(1)
    database.close()
  })
})

describe('importing activity events', () => {
  const tempDir = useTempDir()

  it('adds events once per event id and quarantines bad rows', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const path = join(dir, 'events.csv')
    writeFileSync(
      path,
      [
        'event_id,player_id,timestamp,type,amount,game_type',
        'E1,P1,2026-11-01T10:00:00Z,deposit,100,',
        'E2,P1,2026-11-01T10:05:00Z,bet,5,Slots',
        'E2,P1,2026-11-01T10:05:00Z,bet,5,Slots',
        'E3,P1,2026-11-01T10:06:00Z,bet,,slots',
        'E4,P2,2026-11-01 11:00,session_start,,',
      ].join('\n'),
    )
    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ kind: 'events', rows: 5, accepted: 3, rejected: 1, duplicates: 1 })
    expect(summary.errors[0]!.message).toBe('Row 5, amount: expected an amount for a bet event, found an empty cell')
    const rows = database.readRaw('SELECT event_id AS id, occurred_at AS at, amount, game_type AS game FROM activity_events ORDER BY id').all()
    expect(rows).toEqual([
      { id: 'E1', at: '2026-11-01T10:00:00.000Z', amount: 10_000, game: null },
      { id: 'E2', at: '2026-11-01T10:05:00.000Z', amount: 500, game: 'slots' },
      { id: 'E4', at: '2026-11-01T11:00:00.000Z', amount: null, game: null },
    ])
    database.close()
  })

  it("maps an events file's own column names with the saved mapping, in CSV and in JSON lines, and refuses a mapping naming no field", async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const mapping = { Ref: 'event_id', Punter: 'player_id', When: 'timestamp', What: 'type', Notes: 'ignore', Amount: 'ignore', Stake: 'amount' }
    const csv = join(dir, 'platform-events.csv')
    writeFileSync(csv, ['Ref,Punter,When,What,Stake,Amount,Notes', 'R1,P1,2026-11-01T10:00:00Z,deposit,100,999,first', 'R2,P1,2026-11-01T10:05:00Z,bet,5,999,'].join('\n'))
    const jsonl = join(dir, 'platform-events.jsonl')
    writeFileSync(jsonl, ['{"Ref":"R3","Punter":"P2","When":"2026-11-02T09:00:00Z","What":"bet","Stake":7,"Amount":999}'].join('\n'))

    // Without the mapping the file is not recognised as events.
    await expect(importFile(database, { ...base, path: csv })).rejects.toThrow(/player id column/)
    expect(await importFile(database, { ...base, path: csv, mapping })).toMatchObject({ kind: 'events', accepted: 2, rejected: 0 })
    expect(await importFile(database, { ...base, path: jsonl, mapping })).toMatchObject({ kind: 'events', accepted: 1, rejected: 0 })
    const rows = database.readRaw('SELECT event_id AS id, type, amount FROM activity_events ORDER BY id').all()
    expect(rows).toEqual([
      { id: 'R1', type: 'deposit', amount: 10_000 },
      { id: 'R2', type: 'bet', amount: 500 },
      { id: 'R3', type: 'bet', amount: 700 },
    ])

    const before = counts(database)
    await expect(importFile(database, { ...base, path: csv, mapping: { ...mapping, Stake: 'amuont' } })).rejects.toThrow(
      /^The header mapping has 1 entry whose field is not known: "Stake": "amuont"\. Map each column to one of: player_id, .*timestamp.*, or "ignore"\.$/,
    )
    expect(counts(database)).toEqual(before)
    database.close()
  })
})

describe('importing workbooks and JSON lines', () => {
  const tempDir = useTempDir()

  it('picks the sheet whose header matches, reads dates, [h]:mm, formulas and quarantines a formula without a saved result', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('Notes').addRow(['These numbers are preliminary'])
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player summary — exported 2026-11-20'])
    sheet.mergeCells('A1:F1')
    sheet.addRow(['Player ID', 'Turnover', 'Winnings', 'Sessions', 'Playtime', 'Last Deposit'])
    sheet.addRow(['P1', 1000, 800, 4, 1.5 / 24, new Date(Date.UTC(2026, 10, 18))])
    sheet.addRow(['P2', { formula: 'B3*2', result: 2000 }, 1500, 2, 0.25, new Date(Date.UTC(2026, 10, 1))])
    sheet.addRow(['P3', { formula: 'B3*3' }, 10, 1, 0, null])
    sheet.addRow([])
    sheet.addRow(['P4', 10, 0, 1, 0, null])
    sheet.addRow(['Total', 4010, 2310, 8, null, null])
    sheet.getColumn(5).numFmt = '[h]:mm'
    sheet.getColumn(6).numFmt = 'dd/mm/yyyy'
    const path = join(dir, 'players.xlsx')
    await workbook.xlsx.writeFile(path)

    const summary = await importFile(database, { ...base, asOf: undefined, path })
    expect(summary).toMatchObject({ sheet: 'Players', headerRow: 2, asOf: '2026-11-20', asOfSource: 'title', rows: 4, accepted: 3, rejected: 1 })
    expect(summary.errors[0]!.row).toBe(5)
    expect(summary.errors[0]!.message).toMatch(/^Row 5, total_wagered: expected a calculated value \(the cell holds a formula with no saved result/)
    const rows = database
      .readRaw('SELECT p.external_id AS id, s.total_wagered AS wagered, s.playtime_minutes AS minutes, s.last_deposit_date AS deposit FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id ORDER BY id')
      .all()
    expect(rows).toEqual([
      { id: 'P1', wagered: 100_000, minutes: 90, deposit: '2026-11-18' },
      { id: 'P2', wagered: 200_000, minutes: 360, deposit: '2026-11-01' },
      { id: 'P4', wagered: 1_000, minutes: 0, deposit: null },
    ])
    database.close()
  })

  it('reads a two-row header whose merged cells name columns over both rows or group the ones below', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player ID', 'Lifetime totals', null, null, 'Sessions'])
    sheet.addRow([null, 'Deposited', 'Turnover', 'Winnings', null])
    sheet.mergeCells('A1:A2')
    sheet.mergeCells('B1:D1')
    sheet.mergeCells('E1:E2')
    sheet.addRow(['P1', 500, 1000, 800, 4])
    sheet.addRow(['P2', 50, 'lots', 10, 2])
    sheet.addRow(['P3', 20, 200, 150, 1])
    const path = join(dir, 'grouped.xlsx')
    await workbook.xlsx.writeFile(path)

    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ status: 'imported', headerRow: 2, rows: 3, accepted: 2, rejected: 1, unknownColumns: [] })
    expect(summary.errors.map((error) => error.message)).toEqual(['Row 4, total_wagered: expected a money amount such as 1,234.56, found "lots"'])
    expect(current(database, 'P1')).toEqual({ wagered: 100_000, won: 80_000, asOf: '2026-11-20' })
    const sessions = database.readRaw("SELECT s.sessions FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id WHERE p.external_id = 'P3'").get()
    expect(sessions).toEqual({ sessions: 1 })
    // The quarantine shows each cell under the header the operator sees, the merged ones included.
    const original = database.readRaw('SELECT original FROM import_row_errors WHERE row_number = 4').get() as { original: string }
    expect((JSON.parse(original.original) as [string, unknown][]).map(([header]) => header)).toEqual(['Player ID', 'Deposited', 'Turnover', 'Winnings', 'Sessions'])
    database.close()
  })

  it('reads events from JSON lines, quarantining a malformed line without stopping', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const path = join(dir, 'events.jsonl')
    writeFileSync(
      path,
      [
        JSON.stringify({ event_id: 'E1', player_id: 'P1', timestamp: '2026-11-01T10:00:00Z', type: 'deposit', amount: 50 }),
        '{"event_id": "E2", "player_id": ',
        '{"event_id":"E3","player_id":"P1","timestamp":"2026-11-01T10:01:00Z","type":"bet","amount":"2.50","__proto__":{"polluted":true}}',
      ].join('\n'),
    )
    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ kind: 'events', rows: 3, accepted: 2, rejected: 1 })
    expect(summary.errors[0]!.message).toMatch(/^Line 2 is not valid JSON \(/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(database.readRaw('SELECT amount FROM activity_events ORDER BY event_id').all()).toEqual([{ amount: 5_000 }, { amount: 250 }])
    database.close()
  })

  it('refuses a file that is not a workbook with a message naming the file, and writes nothing', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const path = join(dir, 'old.xlsx')
    writeFileSync(path, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]))
    await expect(importFile(database, { ...base, path })).rejects.toThrow(/old-style Excel \(\.xls\) or encrypted workbook/)
    const zipPath = join(dir, 'broken.xlsx')
    writeFileSync(zipPath, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]))
    await expect(importFile(database, { ...base, path: zipPath })).rejects.toMatchObject({ name: 'ApiFailure', code: 'invalid_input', message: expect.stringMatching(/^broken\.xlsx cannot be imported: /) })
    expect(counts(database).imports).toBe(0)
    database.close()
  })
})
