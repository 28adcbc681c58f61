// Rows that are not players: a total or subtotal row anywhere in the sheet, and a note under the data,
// are skipped with a warning (imported, "Total" would be a player and be paid); a row with a player
// id and nothing else, or winnings with an empty turnover, or an amount in a cell formatted as a
// percentage, is refused with its row number.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { importFile } from '../../src/main/jobs/import-file'
import { useTempDir } from '../helpers/temp'

const base = { asOf: '2026-11-20', defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2, dateOrder: 'DMY' as const }
const playerIds = (database: LedgerDatabase) => (database.readRaw('SELECT external_id AS id FROM players ORDER BY id').all() as { id: string }[]).map((row) => row.id)

describe('rows that are not players', () => {
  const tempDir = useTempDir()

  it('skips a Total row of formulas followed by a blank row and a footnote, in a workbook', async () => {
    const dir = tempDir()
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player ID', 'Turnover', 'Winnings', 'Last Deposit'])
    for (let index = 1; index <= 20; index += 1) sheet.addRow([1000 + index, 1000 * index, 900 * index, new Date(Date.UTC(2026, 10, 10))])
    sheet.addRow(['Total', { formula: 'SUM(B2:B21)', result: 210_000 }, { formula: 'SUM(C2:C21)', result: 189_000 }])
    sheet.addRow([])
    sheet.addRow(['Source: back office, figures in EUR'])
    const path = join(dir, 'totals.xlsx')
    await workbook.xlsx.writeFile(path)
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })

    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ status: 'imported', rows: 20, accepted: 20, rejected: 0 })
    expect(summary.warnings).toEqual([
      { row: 22, message: 'Skipped: "Total" is a total row, not a player' },
      { row: 24, message: 'Skipped: "Source: back office, figures in EUR" is a note, not a player' },
    ])
    expect(playerIds(database)).toHaveLength(20)
    expect(playerIds(database)).not.toContain('Total')
    database.close()
  })

  it('skips subtotal rows between the data and a total row at the end, in a CSV', async () => {
    const dir = tempDir()
    const path = join(dir, 'subtotals.csv')
    writeFileSync(path, ['Player ID,Turnover,Winnings', '1,1000,500', '2,2000,1000', 'Subtotal DE,3000,1500', '3,500,100', 'Sub-total FR,500,100', 'Grand Total:,3500,1600'].join('\n'))
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ rows: 3, accepted: 3, rejected: 0 })
    expect(summary.warnings.map((warning) => warning.row)).toEqual([4, 6, 7])
    expect(playerIds(database)).toEqual(['1', '2', '3'])
    database.close()
  })

  it('refuses a row with only a player id, and winnings beside an empty turnover', async () => {
    const dir = tempDir()
    const path = join(dir, 'empty-cells.csv')
    writeFileSync(path, ['Player ID,Turnover,Winnings', '1,1000,500', '2,2000,1000', '3,,', '4,,100', '5,100,', '6,300,200'].join('\n'))
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ rows: 6, accepted: 4, rejected: 2 })
    expect(summary.errors).toEqual([
      { row: 4, column: 'player_id', value: '"3"', message: 'Row 4, player_id: player "3" has no other value in this row: expected at least one of total_wagered, total_won' },
      { row: 5, column: 'total_won', value: '"100"', message: 'Row 5, total_won: won without wagered: 100.00 won but total_wagered is empty' },
    ])
    expect(playerIds(database)).toEqual(['1', '2', '5', '6'])
    database.close()
  })
})

describe('a money cell formatted as a percentage', () => {
  const tempDir = useTempDir()

  it('is refused as what the operator sees (10%), not read as 0.10', async () => {
    const dir = tempDir()
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Players')
    sheet.addRow(['Player ID', 'Turnover', 'Winnings'])
    sheet.addRow(['P1', 1000, 900])
    sheet.addRow(['P2', 0.1, 0])
    sheet.getCell('B3').numFmt = '0%'
    sheet.addRow(['P3', 2000, 0.255])
    sheet.getCell('C4').numFmt = '0.00%'
    sheet.addRow(['P4', 3000, 1500])
    const path = join(dir, 'percent.xlsx')
    await workbook.xlsx.writeFile(path)
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path })
    expect(summary).toMatchObject({ rows: 4, accepted: 2, rejected: 2 })
    expect(summary.errors.map((error) => error.message)).toEqual([
      'Row 3, total_wagered: expected a plain number, not a percentage, found 10% (a cell formatted as a percentage)',
      'Row 4, total_won: expected a plain number, not a percentage, found 25.5% (a cell formatted as a percentage)',
    ])
    expect(playerIds(database)).toEqual(['P1', 'P4'])
    database.close()
  })
})
