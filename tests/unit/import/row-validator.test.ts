// The compiled row validator must give exactly what validateRow gives — the same record, the same
// ambiguous-date list, the same error messages — for every row, however messy. Its fast path is
// only a shortcut; these properties are what make it safe to use in the importer.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fieldNames, type MappedColumn } from '../../../src/main/io/import/columns'
import { compileRowValidator } from '../../../src/main/io/import/row-validator'
import { validateRow } from '../../../src/main/io/import/rows'

const digitText = fc.stringMatching(/^\d{1,18}(\.\d{0,6})?$/)
const messyText = fc.constantFrom(
  ' 12 ', '12.', '.5', '-12', '(12.00)', '1,234.56', '1.234,56', '€12', '12 EUR', '12%', '0012.50', '1e3', '+3', 'abc', '\u00a012', '12\u00a0',
  '2024-01-31', '2024-02-30', '2023-02-29', '2024-02-29', '1899-12-31', '2030-01-01', '31/01/2024', '01/02/2024', '13/13/2024', '31 Jan 2024',
  'Jan 31, 2024', '45000', '45000.5', '12:30', 'slots, roulette', 'slots;slots|poker', ' , ', 'a,,b', 'a|b|a', 'x ,y ; z', ';', 'live casino', 'P-001', 'x'.repeat(1001), '9999999999999999', '90071992547409.91',
)
const numberCell = fc.oneof(
  fc.integer({ min: -1_000_000, max: 100_000_000 }),
  fc.double({ min: -1e6, max: 1e9, noNaN: true }),
  fc.constantFrom(0, -0, 60, 59, 61, 2_958_465, 2_958_466, Number.NaN, Infinity, -Infinity, 1e20, 2 ** 53, 0.1 + 0.2, 1.005, 2.675),
)
const otherCell = fc.constantFrom<unknown>(
  undefined, null, '', true, false, new Date(Date.UTC(2024, 0, 31)), new Date(Date.UTC(2024, 0, 31, 23, 59)), new Date(Number.NaN), new Date(Date.UTC(2031, 5, 1)),
  { formula: 'A1*2', result: 42 }, { formula: 'A1' }, { richText: [{ text: '12' }, { text: '.5' }] }, { error: '#DIV/0!' }, { durationDays: 0.5 }, 12n, [1],
)
const cellValue = fc.oneof({ weight: 4, arbitrary: digitText }, { weight: 3, arbitrary: messyText }, { weight: 3, arbitrary: numberCell }, { weight: 2, arbitrary: otherCell })

/** A header: some fields (player_id usually among them), at distinct positions, sometimes one mapped twice. */
const columnsArbitrary = fc
  .tuple(fc.shuffledSubarray([...fieldNames], { minLength: 1 }), fc.boolean(), fc.boolean())
  .map(([fields, withPlayer, duplicated]) => {
    const chosen = withPlayer && !fields.includes('player_id') ? ['player_id' as const, ...fields] : fields
    const columns: MappedColumn[] = chosen.map((field, index) => ({ field, index, header: field }))
    if (duplicated && columns.length > 1) columns.push({ field: columns[0]!.field, index: columns.length, header: 'again' })
    return columns
  })

const optionsArbitrary = fc.record({
  minorDigits: fc.integer({ min: 0, max: 4 }),
  dateOrder: fc.constantFrom('DMY' as const, 'MDY' as const),
  decimalSeparator: fc.constantFrom('.' as const, ',' as const, undefined),
  asOf: fc.constantFrom('2026-01-01', '2024-01-31', '2000-06-15'),
})

describe('compileRowValidator', () => {
  it('gives exactly what validateRow gives, for any row', () => {
    fc.assert(
      fc.property(columnsArbitrary, optionsArbitrary, fc.array(cellValue, { minLength: 0, maxLength: 20 }), fc.integer({ min: 2, max: 1_000_000 }), (columns, options, cells, rowNumber) => {
        const fast = compileRowValidator(columns, options)(cells, rowNumber)
        expect(fast).toEqual(validateRow(cells, columns, { ...options, rowNumber }))
      }),
      { numRuns: 20_000 },
    )
  })

  it('reads the shapes exports usually have without losing a unit', () => {
    const columns: MappedColumn[] = ['player_id', 'total_wagered', 'total_won', 'sessions', 'playtime_hours', 'last_active_date', 'game_types'].map((field, index) => ({
      field: field as MappedColumn['field'],
      index,
      header: field,
    }))
    const validate = compileRowValidator(columns, { minorDigits: 2, dateOrder: 'DMY', asOf: '2026-01-01' })
    expect(validate(['P1', '90071992547409.91', '0.07', '12', '1.5', '2025-12-31', 'slots, poker'], 5)).toEqual({
      record: { playerId: 'P1', totalWagered: 9_007_199_254_740_991, totalWon: 7, sessions: 12, playtimeMinutes: 90, lastActiveDate: '2025-12-31', gameTypes: ['slots', 'poker'] },
      ambiguousDates: [],
    })
    // One step past the largest exact amount is refused, with the row and the column named.
    const refused = validate(['P1', '90071992547409.92', '0', '1', '1', '', ''], 7)
    expect(refused).toEqual({ errors: [expect.objectContaining({ row: 7, column: 'total_wagered', message: expect.stringContaining('Row 7, total_wagered: expected a money amount') })] })
  })
})
