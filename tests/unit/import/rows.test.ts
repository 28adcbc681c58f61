import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { findHeaderRow, mapHeader, type MappedColumn } from '../../../src/main/io/import/columns'
import { isBlankRow, isTotalRow, resolveDuplicates, validateRow, type RowOptions, type RowResult } from '../../../src/main/io/import/rows'
import type { PlayerRecord } from '../../../src/main/engine/player-table'

const header = [
  'Player ID',
  'Total Deposited',
  'Turnover',
  'Winnings',
  'Sessions',
  'Playtime Hours',
  'Last Deposit Date',
  'Registration Date',
  'Total Withdrawn',
  'Bonus Received',
  'Country',
  'IP',
  'Device ID',
  'Game Types',
  'Last Active',
]
const columns = mapHeader(header).columns
const options: RowOptions = { rowNumber: 17, asOf: '2026-11-25', minorDigits: 2, dateOrder: 'DMY' }

function errorsOf(result: RowResult): string[] {
  return 'errors' in result ? result.errors.map((error) => error.message) : []
}

function recordOf(result: RowResult): PlayerRecord {
  if (!('record' in result)) throw new Error(`expected a record, got ${JSON.stringify(result.errors)}`)
  return result.record
}

describe('validateRow', () => {
  it('builds a full record from messy but valid cells', () => {
    const result = validateRow(
      [' P-001 ', '€1,234.56', '10 000.00', { formula: 'C2*0.9', result: 9000 }, '12', 1.5, 45292, '03/05/2024', '(0)', '', ' MT ', '10.0.0.1', 'dev-9', 'slots; poker', '2026-11-24'],
      columns,
      options,
    )
    expect(result).toEqual({
      record: {
        playerId: 'P-001',
        totalDeposited: 123456,
        totalWagered: 1000000,
        totalWon: 900000,
        sessions: 12,
        playtimeMinutes: 90,
        lastDepositDate: '2024-01-01',
        registrationDate: '2024-05-03',
        totalWithdrawn: 0,
        country: 'MT',
        ip: '10.0.0.1',
        deviceId: 'dev-9',
        gameTypes: ['slots', 'poker'],
        lastActiveDate: '2026-11-24',
      },
      ambiguousDates: ['registration_date'],
    })
  })

  it('leaves empty cells and short rows unavailable', () => {
    expect(recordOf(validateRow([1001, '', 500, 0], columns, options))).toEqual({ playerId: '1001', totalWagered: 50000, totalWon: 0 })
  })

  it('gives an actionable message per bad cell and keeps all of a row’s problems', () => {
    const result = validateRow(['P1', '-100', 'abc', '12%', 2.5, -1, '31/02/2024', '2027-01-01', '', '', '', '', '', '', ''], columns, options)
    expect(errorsOf(result)).toEqual([
      'Row 17, total_deposited: expected a money amount of 0 or more, found "-100"',
      'Row 17, total_wagered: expected a money amount such as 1,234.56, found "abc"',
      'Row 17, total_won: expected a money amount such as 1,234.56 (not a percentage), found "12%"',
      'Row 17, sessions: expected a whole number of 0 or more such as 12, found 2.5',
      'Row 17, playtime_hours: expected a number of hours of 0 or more such as 1,234.5 or 12:30, found -1',
      'Row 17, last_deposit_date: expected a date such as 2024-01-31 or DD/MM/YYYY, found "31/02/2024"',
      'Row 17, registration_date: 2027-01-01 is after the as-of date 2026-11-25',
    ])
    expect('errors' in result && result.errors[1]).toEqual({
      row: 17,
      column: 'total_wagered',
      value: '"abc"',
      message: 'Row 17, total_wagered: expected a money amount such as 1,234.56, found "abc"',
    })
  })

  it('refuses negative wagers, formulas without a result and a missing player id', () => {
    expect(errorsOf(validateRow(['P1', 0, '(50.00)', 0], columns, options))).toEqual([
      'Row 17, total_wagered: expected a money amount of 0 or more, found "(50.00)"',
    ])
    expect(errorsOf(validateRow(['P1', 0, { formula: 'SUM(D2:D9)' }, 0], columns, options))).toEqual([
      'Row 17, total_wagered: expected a calculated value (the cell holds a formula with no saved result: open the file in the spreadsheet program and save it), found the formula "=SUM(D2:D9)"',
    ])
    expect(errorsOf(validateRow(['  ', 0, 10, 5], columns, options))).toEqual(['Row 17, player_id: expected a player id, found an empty cell'])
    expect(errorsOf(validateRow(['x'.repeat(2000), 0, 10, 5], columns, options))).toEqual([
      `Row 17, player_id: expected text of at most 1,000 characters, found "${'x'.repeat(60)}…" (2,000 characters)`,
    ])
  })

  it('refuses anything won with nothing wagered', () => {
    expect(errorsOf(validateRow(['P1', 10, 0, 50], columns, options))).toEqual([
      'Row 17, total_won: won without wagered: 50.00 won but total_wagered is 0.00',
    ])
    expect(recordOf(validateRow(['P1', 10, 0, 0], columns, options))).toEqual({ playerId: 'P1', totalDeposited: 1000, totalWagered: 0, totalWon: 0 })
  })

  it('converts the player’s net result to total won', () => {
    const netColumns = mapHeader(['UID', 'Wagered', 'Net Result']).columns
    expect(recordOf(validateRow(['P1', 1000, -250.5], netColumns, options))).toEqual({ playerId: 'P1', totalWagered: 100000, totalWon: 74950 })
    expect(recordOf(validateRow(['P1', 1000, '120'], netColumns, options))).toEqual({ playerId: 'P1', totalWagered: 100000, totalWon: 112000 })
    expect(errorsOf(validateRow(['P1', 100, -150], netColumns, options))).toEqual(['Row 17, net_pnl: a loss of 150.00 is more than total_wagered 100.00'])
    expect(errorsOf(validateRow(['P1', 0, 30], netColumns, options))).toEqual(['Row 17, net_pnl: won without wagered: 30.00 won but total_wagered is 0.00'])
    expect(recordOf(validateRow(['P1', '', -20], netColumns, options))).toEqual({ playerId: 'P1' })
  })

  it('converts the operator’s GGR to total won (GGR = wagered − won)', () => {
    const ggrColumns = mapHeader(['Customer ID', 'Total Bets', 'GGR']).columns
    expect(recordOf(validateRow(['C9', '2,000.00', '150.00'], ggrColumns, options))).toEqual({ playerId: 'C9', totalWagered: 200000, totalWon: 185000 })
    expect(recordOf(validateRow(['C9', 100, -40], ggrColumns, options))).toEqual({ playerId: 'C9', totalWagered: 10000, totalWon: 14000 })
    expect(errorsOf(validateRow(['C9', 100, 150], ggrColumns, options))).toEqual(['Row 17, ggr: GGR 150.00 is more than total_wagered 100.00'])
  })

  it('prefers total won over the alternatives when both are present', () => {
    const both = mapHeader(['UID', 'Wagered', 'Won', 'Net Result']).columns
    expect(recordOf(validateRow(['P1', 100, 40, 999], both, options))).toEqual({ playerId: 'P1', totalWagered: 10000, totalWon: 4000 })
  })

  it('reads ambiguous dates by the order setting and reports that it did', () => {
    const dateColumns = mapHeader(['UID', 'Wagered', 'Won', 'Last Deposit']).columns
    const dmy = validateRow(['P1', 1, 0, '04/07/2025'], dateColumns, options)
    const mdy = validateRow(['P1', 1, 0, '04/07/2025'], dateColumns, { ...options, dateOrder: 'MDY' })
    expect(dmy).toEqual({ record: { playerId: 'P1', totalWagered: 100, totalWon: 0, lastDepositDate: '2025-07-04' }, ambiguousDates: ['last_deposit_date'] })
    expect(mdy).toEqual({ record: { playerId: 'P1', totalWagered: 100, totalWon: 0, lastDepositDate: '2025-04-07' }, ambiguousDates: ['last_deposit_date'] })
  })

  it('keeps hostile ids and headers as plain data', () => {
    const hostileColumns: MappedColumn[] = mapHeader(['__proto__', 'constructor', 'Player ID', 'Wagered', 'Won']).columns
    const result = recordOf(validateRow(['x', 'y', '__proto__', 1, 0], hostileColumns, options))
    expect(result).toEqual({ playerId: '__proto__', totalWagered: 100, totalWon: 0 })
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.keys(result)).toEqual(['playerId', 'totalWagered', 'totalWon'])
    expect(recordOf(validateRow(['', '', 'constructor', 1, 0], hostileColumns, options)).playerId).toBe('constructor')
  })

  it('never throws on arbitrary rows', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), fc.string(), fc.double()), { maxLength: 16 }), (cells) => {
        const result = validateRow(cells, columns, options)
        if ('record' in result) {
          for (const key of ['totalDeposited', 'totalWagered', 'totalWon', 'totalWithdrawn', 'bonusReceived', 'sessions', 'playtimeMinutes'] as const) {
            const value = result.record[key]
            if (value !== undefined) expect(Number.isSafeInteger(value) && value >= 0).toBe(true)
          }
        } else {
          expect(result.errors.length).toBeGreaterThan(0)
        }
      }),
    )
  })
})

describe('isTotalRow and isBlankRow', () => {
  it('detects total rows by their first non-empty cell', () => {
    expect(isTotalRow(['Total', '', 1000, 500])).toBe(true)
    expect(isTotalRow(['', ' Grand total: ', 1000])).toBe(true)
    expect(isTotalRow(['TOTALS', 1000])).toBe(true)
    expect(isTotalRow(['P-Total', 1000])).toBe(false)
    expect(isTotalRow(['P1', 'Total'])).toBe(false)
    expect(isTotalRow([1000, 'Total'])).toBe(false)
    expect(isTotalRow([])).toBe(false)
  })

  it('detects blank rows', () => {
    expect(isBlankRow([null, '', '  ', undefined])).toBe(true)
    expect(isBlankRow(['', 0])).toBe(false)
  })
})

describe('a messy sheet end to end', () => {
  it('finds the header under title rows, skips blank and total rows, validates and resolves duplicates', () => {
    const sheet: unknown[][] = [
      ['Casino X — player summary', null, null, null],
      ['As of 25/11/2026', '', '', ''],
      ['Player-ID', 'Total Bets', '', 'Total Won'],
      ['P1', '1,000.00', '', '400'],
      [],
      ['P2', '500', '', 'abc'],
      ['P1', '1,200.00', '', '450'],
      ['Grand Total', '2,700.00', '', '850'],
    ]
    const found = findHeaderRow(sheet)!
    expect(found.rowIndex).toBe(2)
    const valid: { row: number; record: PlayerRecord }[] = []
    const errors: string[] = []
    sheet.forEach((cells, index) => {
      if (index <= found.rowIndex || isBlankRow(cells) || (index === sheet.length - 1 && isTotalRow(cells))) return
      const result = validateRow(cells, found.header.columns, { ...options, rowNumber: index + 1 })
      if ('record' in result) valid.push({ row: index + 1, record: result.record })
      else errors.push(...result.errors.map((error) => error.message))
    })
    expect(errors).toEqual(['Row 6, total_won: expected a money amount such as 1,234.56, found "abc"'])
    const resolved = resolveDuplicates(valid)
    expect(resolved.records).toEqual([{ row: 7, record: { playerId: 'P1', totalWagered: 120000, totalWon: 45000 } }])
    expect(resolved.warnings.map((warning) => warning.message)).toEqual([
      'Player "P1" appears in rows 4 and 7: row 7 is used (the last occurrence wins) and row 4 is ignored',
    ])
  })
})

describe('resolveDuplicates', () => {
  it('keeps the last occurrence, warns for each earlier one and keeps row order', () => {
    const entry = (row: number, playerId: string, totalWagered: number) => ({ row, record: { playerId, totalWagered } })
    const result = resolveDuplicates([entry(2, 'A', 1), entry(3, '__proto__', 2), entry(4, 'A', 3), entry(5, 'constructor', 4), entry(6, 'A', 5), entry(7, '__proto__', 6)])
    expect(result.records).toEqual([entry(5, 'constructor', 4), entry(6, 'A', 5), entry(7, '__proto__', 6)])
    expect(result.warnings).toEqual([
      { playerId: 'A', keptRow: 6, droppedRow: 2, message: 'Player "A" appears in rows 2 and 6: row 6 is used (the last occurrence wins) and row 2 is ignored' },
      {
        playerId: '__proto__',
        keptRow: 7,
        droppedRow: 3,
        message: 'Player "__proto__" appears in rows 3 and 7: row 7 is used (the last occurrence wins) and row 3 is ignored',
      },
      { playerId: 'A', keptRow: 6, droppedRow: 4, message: 'Player "A" appears in rows 4 and 6: row 6 is used (the last occurrence wins) and row 4 is ignored' },
    ])
  })

  it('keeps exactly one record per player id', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'), { maxLength: 30 }), (ids) => {
        const input = ids.map((playerId, index) => ({ row: index + 2, record: { playerId } }))
        const result = resolveDuplicates(input)
        expect(result.records.map((each) => each.record.playerId).sort()).toEqual([...new Set(ids)].sort())
        expect(result.records.length + result.warnings.length).toBe(ids.length)
        for (const kept of result.records) expect(kept.row).toBe(Math.max(...input.filter((each) => each.record.playerId === kept.record.playerId).map((each) => each.row)))
      }),
    )
  })
})
