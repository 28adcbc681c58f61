// The refusal for a sheet whose header cannot be imported always lists the names accepted for each
// missing required column, also when not a single column was recognised.
import { describe, expect, it } from 'vitest'
import { findHeaderRow, headerRefusal, refusalMessage } from '../../../src/main/io/import/columns'

describe('headerRefusal', () => {
  it('lists the accepted names for every required column when no column is recognised', () => {
    const rows: unknown[][] = [
      ['Punter', 'Stake Sum', 'Payout Sum', 'Notes'],
      ['A1', 100, 50, 'hi'],
    ]
    expect(findHeaderRow(rows)).toBeUndefined()
    const message = headerRefusal(findHeaderRow(rows), rows)
    expect(message).toMatch(/^This sheet cannot be imported: it needs a player id column \(accepted names: Player ID, PlayerId, .*UID/)
    expect(message).toContain('a total wagered column (accepted names: Total Wagered, Wagered')
    expect(message).toContain('a total won column (accepted names: Total Won, Won, Winnings')
    expect(message).toContain('Columns found: "Punter" (not recognised), "Stake Sum" (not recognised), "Payout Sum" (not recognised), "Notes" (not recognised).')
  })

  it('reads the widest row as the header, not a title row above it', () => {
    const rows: unknown[][] = [['Punters — November'], [], ['Punter', 'Stake Sum', 'Payout Sum'], ['A1', 100, 50]]
    expect(headerRefusal(undefined, rows)).toContain('Columns found: "Punter" (not recognised), "Stake Sum" (not recognised), "Payout Sum" (not recognised).')
  })

  it('is the refusal of the header found when some columns are recognised, and nothing when none is missing', () => {
    const partial: unknown[][] = [['Punter', 'Turnover', 'Winnings']]
    const found = findHeaderRow(partial)!
    expect(headerRefusal(found, partial)).toBe(refusalMessage(found.header))
    const complete: unknown[][] = [['Player ID', 'Turnover', 'Winnings']]
    expect(headerRefusal(findHeaderRow(complete), complete)).toBeUndefined()
    expect(headerRefusal(undefined, [])).toContain('No column headers were found.')
  })
})
