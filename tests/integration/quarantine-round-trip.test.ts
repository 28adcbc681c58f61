// The quarantine export is meant to be fixed by the operator and imported again: the original cells
// come back as the values they were (a negative amount as the number, not the text "'-250"), every
// column of the file is there under its own header, and formula-like text is still made inert.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { importFile } from '../../src/main/jobs/import-file'
import { exportQuarantine } from '../../src/main/jobs/quarantine-export'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { useTempDir } from '../helpers/temp'

const base = { asOf: '2026-11-20', defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2, dateOrder: 'DMY' as const }

function stored(database: LedgerDatabase, externalId: string) {
  return database
    .readRaw(
      'SELECT s.total_wagered AS wagered, s.total_won AS won, s.sessions, s.ip FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id WHERE p.external_id = ?',
    )
    .get(externalId)
}

/** The Quarantine sheet's cells by header, for the row of one player. */
function rowOf(sheet: ExcelJS.Worksheet, playerId: string): Map<string, ExcelJS.Cell> {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[]
  for (let number = 2; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number)
    const cells = new Map(headers.map((header, index) => [header, row.getCell(index + 1)] as const))
    if (cells.get('Player ID')?.value === playerId) return cells
  }
  throw new Error(`no quarantine row for ${playerId}`)
}

describe('fixing the quarantine and importing it again', () => {
  const tempDir = useTempDir()

  it('XLSX: a column the import does not know keeps its header even when every refused row stops before it', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player ID', 'Turnover', 'Winnings', 'Comment'])
    sheet.addRow(['P1', 1000, 900, 'VIP host: Anna'])
    sheet.addRow(['P2', 1000, 900])
    sheet.addRow(['P3', -5, 900])
    const source = join(dir, 'players.xlsx')
    await workbook.xlsx.writeFile(source)
    const summary = await importFile(database, { ...base, path: source })
    expect(summary).toMatchObject({ accepted: 2, rejected: 1 })
    const quarantine = join(dir, 'quarantine.xlsx')
    await exportQuarantine(database, { importId: summary.importId, path: quarantine, minorDigits: 2 })
    const exported = new ExcelJS.Workbook()
    await exported.xlsx.readFile(quarantine)
    expect((exported.getWorksheet('Quarantine')!.getRow(1).values as unknown[]).slice(1)).toEqual(['Row', 'Problems', 'Player ID', 'Turnover', 'Winnings', 'Comment'])
    database.close()
  })

  it('XLSX: numbers stay numbers, trailing empty columns keep their headers, and the fixed rows import', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player ID', 'Registered On', 'Country', 'Turnover (€)', 'GGR (€)', 'Sessions', 'Notes', 'Last Login IP', 'Device Fingerprint'])
    const registered = new Date(Date.UTC(2026, 4, 4))
    for (const id of ['P1', 'P2', 'P3', 'P4']) sheet.addRow([id, registered, 'DE', 1000, 100, 5, null, '10.0.0.1', `fp-${id}`])
    // P5: a negative session count; its GGR is a formula whose saved result is negative.
    sheet.addRow(['P5', registered, 'DE', 1000, { formula: 'D6-1370', result: -370 }, -3, '@SUM(A1)'])
    // P6: a negative turnover typed as text.
    sheet.addRow(['P6', registered, 'AT', '-250', -100, 2])
    const source = join(dir, 'players.xlsx')
    await workbook.xlsx.writeFile(source)

    const first = await importFile(database, { ...base, path: source })
    expect(first).toMatchObject({ accepted: 4, rejected: 2 })
    const quarantine = join(dir, 'quarantine.xlsx')
    await exportQuarantine(database, { importId: first.importId, path: quarantine, minorDigits: 2 })

    const exported = new ExcelJS.Workbook()
    await exported.xlsx.readFile(quarantine)
    const rows = exported.getWorksheet('Quarantine')!
    expect((rows.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Row',
      'Problems',
      'Player ID',
      'Registered On',
      'Country',
      'Turnover (€)',
      'GGR (€)',
      'Sessions',
      'Notes',
      'Last Login IP',
      'Device Fingerprint',
    ])
    const p5 = rowOf(rows, 'P5')
    expect(p5.get('GGR (€)')!.value).toBe(-370)
    expect(p5.get('Sessions')!.value).toBe(-3)
    expect(p5.get('Notes')!.value).toBe("'@SUM(A1)")
    const p6 = rowOf(rows, 'P6')
    expect(p6.get('Turnover (€)')!.value).toBe(-250)
    expect(p6.get('Turnover (€)')!.type).toBe(ExcelJS.ValueType.Number)

    p5.get('Sessions')!.value = 3
    p6.get('Turnover (€)')!.value = 250
    p6.get('Last Login IP')!.value = '10.0.0.6'
    const fixed = join(dir, 'fixed.xlsx')
    await exported.xlsx.writeFile(fixed)

    const again = await importFile(database, { ...base, path: fixed })
    expect(again.errors).toEqual([])
    expect(again).toMatchObject({ accepted: 2, rejected: 0 })
    // won = wagered − GGR: the untouched −370 came back as −370.
    expect(stored(database, 'P5')).toEqual({ wagered: 100_000, won: 137_000, sessions: 3, ip: null })
    expect(stored(database, 'P6')).toEqual({ wagered: 25_000, won: 35_000, sessions: 2, ip: '10.0.0.6' })
    database.close()
  })

  it('CSV: a plain negative number is written as a number, other text starting with - keeps its quote and still imports', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const source = join(dir, 'players.csv')
    writeFileSync(
      source,
      ['Player ID,Turnover,GGR,Notes', 'P1,1000,100,', 'P2,500,50,', 'P3,300,30,', 'P4,-250,"-1,370.00",=1+1', 'P5,abc,-120.50,'].join('\n'),
    )
    const first = await importFile(database, { ...base, path: source })
    expect(first).toMatchObject({ accepted: 3, rejected: 2 })
    const quarantine = join(dir, 'quarantine.csv')
    await exportQuarantine(database, { importId: first.importId, path: quarantine, minorDigits: 2 })

    const lines = readFileSync(quarantine, 'utf8').replace(/^\uFEFF/, '').split('\r\n')
    expect(lines[0]).toBe('Row,Problems,Player ID,Turnover,GGR,Notes')
    expect(lines[1]).toMatch(/^5,".*",P4,-250,"'-1,370\.00",'=1\+1$/)
    expect(lines[2]).toMatch(/^6,".*",P5,abc,-120\.5,$/)

    const fixed = join(dir, 'fixed.csv')
    writeFileSync(fixed, [lines[0], lines[1]!.replace(',P4,-250,', ',P4,2000,'), lines[2]!.replace(',P5,abc,', ',P5,500,')].join('\r\n'))
    const again = await importFile(database, { ...base, path: fixed })
    expect(again.errors).toEqual([])
    expect(again).toMatchObject({ accepted: 2, rejected: 0 })
    expect(stored(database, 'P4')).toMatchObject({ wagered: 200_000, won: 337_000 })
    expect(stored(database, 'P5')).toMatchObject({ wagered: 50_000, won: 62_050 })
    database.close()
  })
})
