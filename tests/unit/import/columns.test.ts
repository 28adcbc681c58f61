import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fieldSpecs, findHeaderRow, mapHeader, matchField, normalizeHeader, refusalMessage } from '../../../src/main/io/import/columns'

describe('matchField', () => {
  it.each([
    ['Player ID', 'player_id'],
    ['PlayerId', 'player_id'],
    ['player-id', 'player_id'],
    ['PLAYER_ID', 'player_id'],
    [' player id ', 'player_id'],
    ['UID', 'player_id'],
    ['Customer ID', 'player_id'],
    ['Customer #No.', 'player_id'],
    ['Turnover', 'total_wagered'],
    ['Total Bets', 'total_wagered'],
    ['Wagered', 'total_wagered'],
    ['Turnover (€)', 'total_wagered'],
    ['Turnover EUR', 'total_wagered'],
    ['Winnings', 'total_won'],
    ['Total Won', 'total_won'],
    ['GGR', 'ggr'],
    ['Net Result', 'net_pnl'],
    ['P&L', 'net_pnl'],
    ['P/L', 'net_pnl'],
    ['Playtime (h)', 'playtime_hours'],
    ['Last Deposit', 'last_deposit_date'],
    ['Sign-up Date', 'registration_date'],
    ['IP Address', 'ip'],
    ['Games', 'game_types'],
    ['Last Login', 'last_active_date'],
    ['Total Withdrawals', 'total_withdrawn'],
    ['Bonus', 'bonus_received'],
    ['Sessions', 'sessions'],
    ['Deposits', 'total_deposited'],
  ])('%s → %s', (header, field) => {
    expect(matchField(header)).toBe(field)
  })

  it('does not match unrelated or hostile headers', () => {
    for (const header of ['Name', 'Email', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '   ', 'x'.repeat(10_000), 'EUR']) {
      expect(matchField(header)).toBeUndefined()
    }
  })

  it('every synonym normalises to a distinct key owned by one field', () => {
    const owner = new Map<string, string>()
    for (const spec of fieldSpecs) {
      for (const synonym of spec.synonyms) {
        const key = normalizeHeader(synonym)
        expect(key).not.toBe('')
        expect(owner.get(key) ?? spec.field).toBe(spec.field)
        owner.set(key, spec.field)
        expect(matchField(synonym)).toBe(spec.field)
      }
    }
  })

  it('is insensitive to case, separators and punctuation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fieldSpecs.flatMap((spec) => spec.synonyms.map((synonym) => [synonym, spec.field] as const))),
        fc.array(fc.constantFrom(' ', '_', '-', '.', ':', '\u00a0'), { maxLength: 3 }),
        fc.boolean(),
        ([synonym, field], junk, upper) => {
          const cased = upper ? synonym.toUpperCase() : synonym.toLowerCase()
          const messy = `${junk.join('')}${cased.replace(/ /g, junk[0] ?? '')}${junk.join('')}`
          expect(matchField(messy)).toBe(field)
        },
      ),
    )
  })
})

describe('mapHeader', () => {
  it('maps known headers, lists unknown ones and reports nothing missing', () => {
    const result = mapHeader(['Player ID', 'Name', 'Turnover', 'Winnings', null, '', 'Sessions'])
    expect(result).toEqual({
      columns: [
        { field: 'player_id', index: 0, header: 'Player ID' },
        { field: 'total_wagered', index: 2, header: 'Turnover' },
        { field: 'total_won', index: 3, header: 'Winnings' },
        { field: 'sessions', index: 6, header: 'Sessions' },
      ],
      unknown: [{ index: 1, header: 'Name' }],
      missingRequired: [],
      duplicates: [],
    })
  })

  it('accepts wagered with net result or GGR instead of won', () => {
    expect(mapHeader(['UID', 'Wagered', 'Net Result']).missingRequired).toEqual([])
    expect(mapHeader(['UID', 'Wagered', 'GGR']).missingRequired).toEqual([])
    expect(mapHeader(['UID', 'Net Result']).missingRequired).toEqual(['total_wagered'])
    expect(mapHeader(['Name', 'Deposits']).missingRequired).toEqual(['player_id', 'total_wagered', 'total_won'])
  })

  it('uses the first of two columns for one field and reports the second', () => {
    const result = mapHeader(['Player ID', 'Turnover', 'Total Bets', 'Won'])
    expect(result.columns.map((column) => column.index)).toEqual([0, 1, 3])
    expect(result.duplicates).toEqual([{ field: 'total_wagered', index: 2, header: 'Total Bets', usedIndex: 1 }])
  })

  it('applies a saved profile first, normalised, and can ignore columns', () => {
    const result = mapHeader(['Spieler', 'Einsatz', 'Gewinn', 'Turnover', 'Notes'], {
      spieler: 'player_id',
      'EINSATZ ': 'total_wagered',
      Gewinn: 'total_won',
      Turnover: 'ignore',
      Notes: 'not_a_field',
    })
    expect(result.columns).toEqual([
      { field: 'player_id', index: 0, header: 'Spieler' },
      { field: 'total_wagered', index: 1, header: 'Einsatz' },
      { field: 'total_won', index: 2, header: 'Gewinn' },
    ])
    expect(result.unknown).toEqual([{ index: 4, header: 'Notes' }])
  })

  it('is safe with hostile headers and profiles', () => {
    const long = 'h'.repeat(10_000)
    const profile = JSON.parse('{"__proto__": "player_id", "constructor": "total_wagered", "prototype": "toString"}') as Record<string, string>
    const result = mapHeader(['__proto__', 'constructor', 'prototype', long, 'Won'], profile)
    expect(result.columns).toEqual([
      { field: 'player_id', index: 0, header: '__proto__' },
      { field: 'total_wagered', index: 1, header: 'constructor' },
      { field: 'total_won', index: 4, header: 'Won' },
    ])
    expect(result.unknown).toEqual([
      { index: 2, header: 'prototype' },
      { index: 3, header: 'h'.repeat(1000) },
    ])
    expect(({} as Record<string, unknown>).player_id).toBeUndefined()

    const plain = mapHeader(['__proto__', 'constructor', long])
    expect(plain.columns).toEqual([])
    expect(plain.unknown.map((column) => column.index)).toEqual([0, 1, 2])
    expect(refusalMessage(plain)!.length).toBeLessThan(3000)
  })

  it('never throws on arbitrary cells', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 12 }), (cells) => {
        const result = mapHeader(cells)
        expect(Array.isArray(result.columns)).toBe(true)
        refusalMessage(result)
      }),
    )
  })
})

describe('refusalMessage', () => {
  it('is undefined when the header is usable', () => {
    expect(refusalMessage(mapHeader(['Player ID', 'Turnover', 'GGR']))).toBeUndefined()
  })

  it('names what is missing, the accepted names and every column found', () => {
    const message = refusalMessage(mapHeader(['Name', 'Turnover', 'Total Bets', 'Email']))!
    expect(message).toBe(
      'This sheet cannot be imported: it needs a player id column (accepted names: Player ID, PlayerId, Player, Player No, Player Number, UID, User ID, ' +
        'Customer ID, Customer No, Client ID, Account ID, Account No, Member ID, ID); and a total won column (accepted names: Total Won, Won, Winnings, ' +
        'Total Winnings, Wins, Total Wins, Win Amount, Coin Out), or instead a net result (player) column (Net Result, Net PnL, PnL, P&L, Profit and Loss, ' +
        'Player Result, Player Net, Net Player Result, Net Win Loss, Player Win Loss) or a GGR (operator revenue) column (GGR, Gross Gaming Revenue, ' +
        'Gross Revenue, House Win, Operator Win). Columns found: "Name" (not recognised), "Turnover" (total_wagered), "Total Bets" (second total_wagered, ignored), ' +
        '"Email" (not recognised). Rename the column in the sheet or map it to a field, then import again.',
    )
    expect(message).not.toContain('\n')
  })

  it('says so when there are no headers at all', () => {
    expect(refusalMessage(mapHeader([]))).toContain('No column headers were found.')
  })
})

describe('findHeaderRow', () => {
  it('skips two title rows and reads a header with merged cells', () => {
    const rows: unknown[][] = [
      ['Player report — November', null, null, null, null, null],
      ['Generated 2026-11-25', '', '', 'Money', '', ''],
      ['Player ID', '', 'Turnover', 'Winnings', '', 'Sessions'],
      ['P1', '', 100, 50, '', 3],
    ]
    const found = findHeaderRow(rows)
    expect(found?.rowIndex).toBe(2)
    expect(found?.header.columns).toEqual([
      { field: 'player_id', index: 0, header: 'Player ID' },
      { field: 'total_wagered', index: 2, header: 'Turnover' },
      { field: 'total_won', index: 3, header: 'Winnings' },
      { field: 'sessions', index: 5, header: 'Sessions' },
    ])
    expect(found?.header.unknown).toEqual([])
    expect(found?.header.missingRequired).toEqual([])
  })

  it('prefers the row with the required fields over a group row with more matches', () => {
    const rows: unknown[][] = [
      ['Player', 'Deposits', 'Bonus', 'Sessions', 'Games'],
      ['UID', 'Wagered', 'Won'],
    ]
    expect(findHeaderRow(rows)?.rowIndex).toBe(1)
  })

  it('scans only maxScan rows and returns undefined without any header', () => {
    const rows: unknown[][] = [['title'], ['x'], ['Player ID', 'Turnover', 'Won']]
    expect(findHeaderRow(rows, 2)).toBeUndefined()
    expect(findHeaderRow(rows, 3)?.rowIndex).toBe(2)
    expect(findHeaderRow([])).toBeUndefined()
  })

  it('uses a saved profile while scanning', () => {
    const rows: unknown[][] = [['Report'], ['Spieler', 'Einsatz', 'Gewinn']]
    expect(findHeaderRow(rows, 20, { Spieler: 'player_id', Einsatz: 'total_wagered', Gewinn: 'total_won' })?.header.missingRequired).toEqual([])
  })
})
