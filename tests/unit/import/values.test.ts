import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  describeCell,
  excelSerialToIso,
  parseBoolean,
  parseCount,
  parseDate,
  parseHours,
  parseList,
  parseMoney,
  parseText,
} from '../../../src/main/io/import/values'

const money = 'a money amount such as 1,234.56'

describe('parseMoney', () => {
  it.each([
    [1234.56, 123456],
    [0, 0],
    [-12.5, -1250],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1,234,567.89', 123456789],
    ['  42 ', 4200],
    ['.5', 50],
    ['€1,234.56', 123456],
    ['$ 12', 1200],
    ['£0.99', 99],
    ['1,234.56 EUR', 123456],
    ['USD 1,000', 100000],
    ['usd1000', 100000],
    ['1\u00a0234.56', 123456],
    ['1\u202f234.56', 123456],
    ['-1,234.00', -123400],
    ['−5', -500],
    ['(1,234.00)', -123400],
    ['($12.50)', -1250],
    ['-€12', -1200],
    ['€-12', -1200],
    ['+7', 700],
    ["1'234.56", 123456],
    ['-0', 0],
    ['12.345', 1235],
    ['0.005', 1],
    [{ formula: 'SUM(A1:A3)', result: 99.5 }, 9950],
    [{ formula: 'A1', result: '1,000' }, 100000],
    [{ richText: [{ text: '1,2' }, { text: '00.00' }] }, 120000],
  ])('reads %j as %d minor units', (cell, minor) => {
    expect(parseMoney(cell, 2)).toEqual({ ok: true, value: minor })
  })

  it('reads the European decimal comma when told to', () => {
    expect(parseMoney('1.234,56', 2, { decimalSeparator: ',' })).toEqual({ ok: true, value: 123456 })
    expect(parseMoney('1 234,5 €', 2, { decimalSeparator: ',' })).toEqual({ ok: true, value: 123450 })
    expect(parseMoney('(1.234,00)', 2, { decimalSeparator: ',' })).toEqual({ ok: true, value: -123400 })
    expect(parseMoney('1.234,56', 2)).toEqual({ ok: false, expected: money })
    expect(parseMoney('1,234.56', 2, { decimalSeparator: ',' })).toEqual({ ok: false, expected: 'a money amount such as 1.234,56' })
  })

  it('uses the currency minor digits', () => {
    expect(parseMoney('1,234', 0)).toEqual({ ok: true, value: 1234 })
    expect(parseMoney('1.5', 3)).toEqual({ ok: true, value: 1500 })
    expect(parseMoney(1.5, 0)).toEqual({ ok: true, value: 2 })
  })

  it('treats empty cells as missing', () => {
    for (const cell of [undefined, null, '', '   ', '\u00a0']) expect(parseMoney(cell, 2)).toEqual({ ok: true, value: undefined })
  })

  it.each([
    ['abc', money],
    ['12%', `${money} (not a percentage)`],
    ['1,23.45', money],
    ['1.2.3', money],
    ['-(5)', money],
    ['$', money],
    ['12 apples', money],
    [true, money],
    [new Date(Date.UTC(2024, 0, 1)), money],
    [Number.NaN, 'a finite number'],
    [Number.POSITIVE_INFINITY, 'a finite number'],
    ['99999999999999999999', `${money} of a sensible size`],
    [1e300, `${money} of a sensible size`],
    [{ formula: 'SUM(A1:A3)' }, 'a calculated value (the cell holds a formula with no saved result: open the file in the spreadsheet program and save it)'],
    [{ formula: 'A1/0', result: { error: '#DIV/0!' } }, 'a value, not a spreadsheet error'],
    [{ error: '#N/A' }, 'a value, not a spreadsheet error'],
    [[1, 2], money],
  ])('refuses %j', (cell, expected) => {
    expect(parseMoney(cell, 2)).toEqual({ ok: false, expected })
  })

  it('round-trips formatted amounts (en-US and de-DE grouping, with currency and parentheses)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom('plain', 'grouped', 'euro', 'accounting', 'de'), (minor, style) => {
        const major = Math.abs(minor) / 100
        const en = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: style !== 'plain' }).format(major)
        const sign = minor < 0 ? '-' : ''
        let text: string
        let options: { decimalSeparator: '.' | ',' } | undefined
        switch (style) {
          case 'euro':
            text = `${sign}€${en}`
            break
          case 'accounting':
            text = minor < 0 ? `(${en})` : en
            break
          case 'de':
            text = `${sign}${new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(major)} EUR`
            options = { decimalSeparator: ',' }
            break
          default:
            text = `${sign}${en}`
        }
        expect(parseMoney(text, 2, options)).toEqual({ ok: true, value: minor })
      }),
    )
  })

  it('never throws, whatever the cell', () => {
    const hostile: Record<string, unknown> = Object.create(null)
    hostile['toString'] = 5
    hostile['valueOf'] = 'x'
    const trap = new Proxy({}, { has: () => { throw new Error('trap') }, get: () => { throw new Error('trap') } })
    for (const cell of [hostile, trap, { formula: 1, result: hostile }, Symbol('s'), () => 1, 10n, 2n ** 80n]) {
      expect(() => parseMoney(cell, 2)).not.toThrow()
      expect(() => describeCell(cell)).not.toThrow()
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (cell) => {
        const results = [
          parseMoney(cell, 2),
          parseMoney(cell, 2, { decimalSeparator: ',' }),
          parseCount(cell),
          parseHours(cell),
          parseDate(cell, { order: 'DMY' }),
          parseBoolean(cell),
          parseText(cell),
          parseList(cell),
        ]
        for (const result of results) expect(typeof result.ok).toBe('boolean')
        const parsed = parseMoney(cell, 2)
        if (parsed.ok && parsed.value !== undefined) expect(Number.isSafeInteger(parsed.value)).toBe(true)
        expect(typeof describeCell(cell)).toBe('string')
      }),
    )
  })
})

describe('parseCount and parseHours', () => {
  it('reads whole counts and refuses fractions and negatives', () => {
    expect(parseCount(12)).toEqual({ ok: true, value: 12 })
    expect(parseCount('1,234')).toEqual({ ok: true, value: 1234 })
    expect(parseCount('12.0')).toEqual({ ok: true, value: 12 })
    expect(parseCount('')).toEqual({ ok: true, value: undefined })
    const expected = 'a whole number of 0 or more such as 12'
    expect(parseCount(12.5)).toEqual({ ok: false, expected })
    expect(parseCount('12.5')).toEqual({ ok: false, expected })
    expect(parseCount(-1)).toEqual({ ok: false, expected })
    expect(parseCount('-3')).toEqual({ ok: false, expected })
    expect(parseCount('ten')).toEqual({ ok: false, expected })
  })

  it('turns hours into whole minutes', () => {
    expect(parseHours(1.5)).toEqual({ ok: true, value: 90 })
    expect(parseHours('2,5', { decimalSeparator: ',' })).toEqual({ ok: true, value: 150 })
    expect(parseHours('12:30')).toEqual({ ok: true, value: 750 })
    expect(parseHours(0.01)).toEqual({ ok: true, value: 1 })
    expect(parseHours(undefined)).toEqual({ ok: true, value: undefined })
    expect(parseHours(-2)).toEqual({ ok: false, expected: 'a number of hours of 0 or more such as 1,234.5 or 12:30' })
  })
})

describe('excel serial dates', () => {
  it('handles the 1900 leap-year bug around serials 59, 60 and 61', () => {
    expect(excelSerialToIso(1)).toBe('1900-01-01')
    expect(excelSerialToIso(59)).toBe('1900-02-28')
    expect(excelSerialToIso(60)).toBeUndefined()
    expect(excelSerialToIso(61)).toBe('1900-03-01')
    expect(excelSerialToIso(45292)).toBe('2024-01-01')
    expect(excelSerialToIso(45292.75)).toBe('2024-01-01')
    expect(excelSerialToIso(2958465)).toBe('9999-12-31')
    expect(excelSerialToIso(0)).toBeUndefined()
  })

  it('parses serials as cells and refuses the fictitious 1900-02-29 by name', () => {
    expect(parseDate(59, { order: 'DMY' })).toEqual({ ok: true, value: '1900-02-28', ambiguous: false })
    expect(parseDate(61, { order: 'DMY' })).toEqual({ ok: true, value: '1900-03-01', ambiguous: false })
    expect(parseDate(60, { order: 'DMY' })).toEqual({
      ok: false,
      expected: 'a date such as 2024-01-31 or DD/MM/YYYY (Excel serial 60 is 1900-02-29, a day that never existed)',
    })
    expect(parseDate(46000, { order: 'MDY' })).toEqual({ ok: true, value: '2025-12-09', ambiguous: false })
    expect(parseDate('45292', { order: 'MDY' })).toEqual({ ok: true, value: '2024-01-01', ambiguous: false })
    expect(parseDate({ formula: 'TODAY()', result: 45292 }, { order: 'MDY' })).toEqual({ ok: true, value: '2024-01-01', ambiguous: false })
  })
})

describe('parseDate', () => {
  it('reads Date objects in UTC and ISO strings', () => {
    expect(parseDate(new Date(Date.UTC(2024, 1, 29)), { order: 'DMY' })).toEqual({ ok: true, value: '2024-02-29', ambiguous: false })
    expect(parseDate('2024-03-05', { order: 'MDY' })).toEqual({ ok: true, value: '2024-03-05', ambiguous: false })
    expect(parseDate('2024-03-05T10:00:00Z', { order: 'MDY' })).toEqual({ ok: true, value: '2024-03-05', ambiguous: false })
    expect(parseDate('2024/3/5', { order: 'DMY' })).toEqual({ ok: true, value: '2024-03-05', ambiguous: false })
    expect(parseDate('5 Mar 2024', { order: 'MDY' })).toEqual({ ok: true, value: '2024-03-05', ambiguous: false })
    expect(parseDate('March 5, 2024', { order: 'DMY' })).toEqual({ ok: true, value: '2024-03-05', ambiguous: false })
  })

  it('decides an ambiguous date by the order setting and says so', () => {
    expect(parseDate('03/05/2024', { order: 'DMY' })).toEqual({ ok: true, value: '2024-05-03', ambiguous: true })
    expect(parseDate('03/05/2024', { order: 'MDY' })).toEqual({ ok: true, value: '2024-03-05', ambiguous: true })
    expect(parseDate('03.05.2024 14:30', { order: 'DMY' })).toEqual({ ok: true, value: '2024-05-03', ambiguous: true })
    expect(parseDate('05/05/2024', { order: 'MDY' })).toEqual({ ok: true, value: '2024-05-05', ambiguous: false })
  })

  it('reads an unambiguous date in its order and refuses one that contradicts the setting', () => {
    expect(parseDate('25/12/2024', { order: 'DMY' })).toEqual({ ok: true, value: '2024-12-25', ambiguous: false })
    expect(parseDate('12/25/2024', { order: 'MDY' })).toEqual({ ok: true, value: '2024-12-25', ambiguous: false })
    expect(parseDate('25/12/2024', { order: 'MDY' })).toEqual({
      ok: false,
      expected: 'a date in MM/DD/YYYY order (this looks like DD/MM/YYYY: check the date order setting)',
    })
    expect(parseDate('12/25/2024', { order: 'DMY' })).toEqual({
      ok: false,
      expected: 'a date in DD/MM/YYYY order (this looks like MM/DD/YYYY: check the date order setting)',
    })
  })

  it('refuses impossible dates, two-digit years and formulas without results', () => {
    const expected = 'a date such as 2024-01-31 or DD/MM/YYYY'
    expect(parseDate('31/02/2024', { order: 'DMY' })).toEqual({ ok: false, expected })
    expect(parseDate('2023-02-29', { order: 'DMY' })).toEqual({ ok: false, expected })
    expect(parseDate('yesterday', { order: 'DMY' })).toEqual({ ok: false, expected })
    expect(parseDate('2024', { order: 'DMY' })).toEqual({ ok: false, expected })
    expect(parseDate(new Date(Number.NaN), { order: 'DMY' })).toEqual({ ok: false, expected })
    expect(parseDate('03/05/24', { order: 'DMY' })).toEqual({ ok: false, expected: `${expected} with a four-digit year` })
    expect(parseDate({ formula: 'TODAY()' }, { order: 'DMY' }).ok).toBe(false)
    expect(parseDate('', { order: 'DMY' })).toEqual({ ok: true, value: undefined, ambiguous: false })
  })
})

describe('parseBoolean, parseText, parseList', () => {
  it('reads yes/no in its usual spellings', () => {
    expect(parseBoolean('Yes')).toEqual({ ok: true, value: true })
    expect(parseBoolean('N')).toEqual({ ok: true, value: false })
    expect(parseBoolean(true)).toEqual({ ok: true, value: true })
    expect(parseBoolean(0)).toEqual({ ok: true, value: false })
    expect(parseBoolean('')).toEqual({ ok: true, value: undefined })
    expect(parseBoolean('maybe')).toEqual({ ok: false, expected: 'yes or no (TRUE/FALSE, Y/N, 1/0)' })
  })

  it('trims text, keeps numeric ids exact and caps the length', () => {
    expect(parseText('  P-001 ')).toEqual({ ok: true, value: 'P-001' })
    expect(parseText(1001)).toEqual({ ok: true, value: '1001' })
    expect(parseText('__proto__')).toEqual({ ok: true, value: '__proto__' })
    expect(parseText('x'.repeat(1000))).toEqual({ ok: true, value: 'x'.repeat(1000) })
    expect(parseText('x'.repeat(1001))).toEqual({ ok: false, expected: 'text of at most 1,000 characters' })
    expect(parseText(1e21)).toEqual({ ok: false, expected: 'text (this number is too large to be exact: format the column as text in the spreadsheet)' })
  })

  it('splits game types on , ; and |', () => {
    expect(parseList('slots, roulette; poker|live casino')).toEqual({ ok: true, value: ['slots', 'roulette', 'poker', 'live casino'] })
    expect(parseList('slots,,slots;')).toEqual({ ok: true, value: ['slots'] })
    expect(parseList(' ; ')).toEqual({ ok: true, value: undefined })
    expect(parseList('x'.repeat(1001))).toEqual({ ok: false, expected: 'a list separated by , ; or | of at most 1,000 characters' })
  })

  it('describes cells for messages', () => {
    expect(describeCell('abc')).toBe('"abc"')
    expect(describeCell('  ')).toBe('an empty cell')
    expect(describeCell(12.5)).toBe('12.5')
    expect(describeCell({ formula: 'SUM(A1:A3)' })).toBe('the formula "=SUM(A1:A3)"')
    expect(describeCell({ formula: 'B2', result: 'x' })).toBe('"x"')
    expect(describeCell({ error: '#REF!' })).toBe('the error #REF!')
    expect(describeCell('y'.repeat(100))).toBe(`"${'y'.repeat(60)}…" (100 characters)`)
  })
})

describe("a leading apostrophe (Excel's text prefix) on a number-like cell", () => {
  it('reads the number behind it, once', () => {
    expect(parseMoney("'-370", 2)).toEqual({ ok: true, value: -37_000 })
    expect(parseMoney("'-1.234,50", 2, { decimalSeparator: ',' })).toEqual({ ok: true, value: -123_450 })
    expect(parseMoney("' 12", 2)).toEqual({ ok: true, value: 1_200 })
    expect(parseCount("'12")).toEqual({ ok: true, value: 12 })
    expect(parseMoney("''-370", 2)).toEqual({ ok: false, expected: money })
    expect(parseMoney("'", 2)).toEqual({ ok: false, expected: money })
    expect(parseMoney("'abc", 2)).toEqual({ ok: false, expected: money })
  })
})
