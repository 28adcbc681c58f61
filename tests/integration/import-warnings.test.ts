// What an import tells the operator beside its errors: dates that read either way (03/11/2026), decided
// by the date-order setting, with the rows, columns and values so read; a title row's "exported
// 20/11/2026" as the as-of date; an event delivered twice with other values; progress through a workbook.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { importFile } from '../../src/main/jobs/import-file'
import { useTempDir } from '../helpers/temp'

const base = { defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2 }

describe('dates read by the date-order setting', () => {
  const tempDir = useTempDir()

  it('reports the rows whose dates read either way, and how they were read', async () => {
    const dir = tempDir()
    const path = join(dir, 'dates.csv')
    writeFileSync(
      path,
      ['Player ID,Turnover,Winnings,Last Deposit', '1,100,50,03/11/2026', '2,100,50,25/10/2026', '3,100,50,2026-11-02', '4,100,50,01/02/2026', '5,100,50,04/05/2026', '6,100,50,06/07/2026'].join('\n'),
    )
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path, asOf: '2026-11-20', dateOrder: 'DMY' })
    expect(summary).toMatchObject({ accepted: 6, ambiguousDates: 4 })
    expect(summary.warnings).toEqual([
      {
        row: 2,
        message:
          '4 row(s) have dates that read either way; they were read day first (DD/MM/YYYY) by the date-order setting ' +
          '(row 2, last_deposit_date "03/11/2026" → 2026-11-03; row 5, last_deposit_date "01/02/2026" → 2026-02-01; row 6, last_deposit_date "04/05/2026" → 2026-05-04; …). ' +
          'Change the setting if the file writes them the other way.',
      },
    ])
    database.close()
  })

  it('takes the as-of date from "exported 20/11/2026" in the title, and says when that date reads either way', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const unambiguous = join(dir, 'titled.csv')
    writeFileSync(unambiguous, ['Player summary, exported 20/11/2026', 'Player ID,Turnover,Winnings', '1,100,50'].join('\n'))
    expect(await importFile(database, { ...base, path: unambiguous, dateOrder: 'DMY' })).toMatchObject({ asOf: '2026-11-20', asOfSource: 'title', warnings: [] })

    const either = join(dir, 'either.csv')
    writeFileSync(either, ['Player summary, exported 11/10/2026', 'Player ID,Turnover,Winnings', '2,100,50'].join('\n'))
    const summary = await importFile(database, { ...base, path: either, dateOrder: 'MDY' })
    expect(summary).toMatchObject({ asOf: '2026-11-10', asOfSource: 'title' })
    expect(summary.warnings).toEqual([{ row: 2, message: 'The title\'s date "11/10/2026" reads either way: taken month first (MM/DD/YYYY) as 2026-11-10, by the date-order setting.' }])
    database.close()
  })
})

describe('events delivered twice', () => {
  const tempDir = useTempDir()

  it('counts a repeated event id once, and warns when the repeat carries other values', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const header = 'event_id,player_id,timestamp,type,amount,game_type,ip,device_id'
    const first = join(dir, 'events-1.csv')
    writeFileSync(first, [header, 'E1,P1,2026-11-01T10:00:00Z,deposit,50.00,,10.0.0.1,', 'E2,P1,2026-11-01T10:05:00Z,bet,5.00,slots,10.0.0.1,'].join('\n'))
    await importFile(database, { ...base, path: first, asOf: '2026-11-20', dateOrder: 'DMY' })
    const second = join(dir, 'events-2.csv')
    writeFileSync(second, [header, 'E1,P1,2026-11-01T10:00:00Z,deposit,50.00,,10.0.0.1,', 'E2,P1,2026-11-01T10:05:00Z,bet,7.50,slots,10.0.0.1,', 'E3,P2,2026-11-02T09:00:00Z,deposit,20.00,,,'].join('\n'))
    const summary = await importFile(database, { ...base, path: second, asOf: '2026-11-20', dateOrder: 'DMY' })
    expect(summary).toMatchObject({ kind: 'events', accepted: 1, duplicates: 2 })
    // E1 is the same event again: no warning. E2 came back with another amount: the first is kept.
    expect(summary.warnings).toEqual([{ row: 3, message: 'Event "E2" was already recorded with other values (amount 5.00 vs 7.50): the first record is kept and this row is ignored' }])
    expect(database.readRaw("SELECT amount FROM activity_events WHERE event_id = 'E2'").get()).toEqual({ amount: 500 })
    database.close()
  })
})

describe('progress through a workbook', () => {
  const tempDir = useTempDir()

  it('counts the sheet read so far against its size, so a bar and an ETA can be shown', async () => {
    const dir = tempDir()
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player ID', 'Turnover', 'Winnings'])
    for (let index = 0; index < 5_000; index += 1) sheet.addRow([`P${index}`, 1000 + index, 500])
    const path = join(dir, 'players.xlsx')
    await workbook.xlsx.writeFile(path)
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const seen: { rows: number; bytes: number; totalBytes: number }[] = []
    await importFile(database, { ...base, path, asOf: '2026-11-20', dateOrder: 'DMY', onProgress: (progress) => seen.push(progress) })
    const total = seen[0]!.totalBytes
    expect(total).toBeGreaterThan(100_000)
    expect(seen.every((each) => each.totalBytes === total)).toBe(true)
    expect(seen.some((each) => each.bytes > 0 && each.bytes < total)).toBe(true)
    expect(seen.map((each) => each.bytes)).toEqual([...seen.map((each) => each.bytes)].sort((a, b) => a - b))
    expect(seen.at(-1)).toMatchObject({ rows: 5_000, bytes: total })
    database.close()
  })
})

describe('event timestamps that read either way', () => {
  const tempDir = useTempDir()

  it('are counted and reported like a summary file\'s dates', async () => {
    const dir = tempDir()
    const path = join(dir, 'events.csv')
    writeFileSync(
      path,
      ['event_id,player_id,timestamp,type,amount', 'E1,P1,02/11/2026 10:05,deposit,50.00', 'E2,P1,25/10/2026 09:00,deposit,20.00', 'E3,P2,2026-11-03T08:00:00Z,deposit,10.00'].join('\n'),
    )
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path, asOf: '2026-11-20', dateOrder: 'DMY' })
    expect(summary).toMatchObject({ kind: 'events', accepted: 3, ambiguousDates: 1 })
    expect(summary.warnings).toEqual([
      {
        row: 2,
        message:
          '1 row(s) have dates that read either way; they were read day first (DD/MM/YYYY) by the date-order setting (row 2, timestamp "02/11/2026 10:05" → 2026-11-02T10:05:00.000Z). Change the setting if the file writes them the other way.',
      },
    ])
    database.close()
  })
})
