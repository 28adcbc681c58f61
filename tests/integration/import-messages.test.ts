// A refused value or file is explained by what is actually wrong with it, so the operator fixes the
// right thing: not "looks like DD/MM/YYYY" for a day that exists in neither order, not "after the
// as-of date" for a number that was never a date, not CSV rows for a damaged workbook.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFile, type ImportFileOptions } from '../../src/main/jobs/import-file'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { useTempDir } from '../helpers/temp'

const base = { asOf: '2026-11-20', defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2, dateOrder: 'DMY' as const }

describe('import messages name the real problem', () => {
  const tempDir = useTempDir()
  const setup = () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const write = (name: string, content: string | Buffer) => {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    }
    const messages = async (path: string, extra: Partial<ImportFileOptions> = {}) => (await importFile(database, { ...base, path, ...extra })).errors.map((error) => error.message)
    return { database, write, messages }
  }

  it('a slash date that is real in neither order, and a date before 1900', async () => {
    const { database, write, messages } = setup()
    const path = write(
      'players.csv',
      ['Player ID,Turnover,Winnings,Registered On', 'P1,100,50,31/02/2026', 'P2,100,50,1899-01-01', 'P3,100,50,12/25/2025', 'P4,100,50,25/12/2025', 'P5,100,50,01/02/2026', 'P6,100,50,', 'P7,100,50,'].join('\n'),
    )
    expect(await messages(path, { dateOrder: 'MDY' })).toEqual([
      'Row 2, registration_date: expected a real date in MM/DD/YYYY order (there is no month 31, and read as DD/MM/YYYY it is not a real date either), found "31/02/2026"',
      'Row 3, registration_date: expected a date on or after 1900-01-01 (the earliest date accepted), found "1899-01-01"',
      'Row 5, registration_date: expected a date in MM/DD/YYYY order (this looks like DD/MM/YYYY: check the date order setting), found "25/12/2025"',
    ])
    database.close()
  })

  it('a number as a JSON timestamp is refused as a number, not as a date after the as-of date', async () => {
    const { database, write, messages } = setup()
    const event = (id: string, timestamp: unknown) => JSON.stringify({ event_id: id, player_id: 'P1', timestamp, type: 'bet', amount: 2 })
    const path = write('events.jsonl', [event('E1', '2026-11-01T10:00:00Z'), event('E2', 1762000000), event('E3', '2026-11-02T10:00:00Z')].join('\n'))
    expect(await messages(path)).toEqual([
      'Row 2, timestamp: expected a date and time such as 2026-03-01T10:15:00Z written as text (a number is not accepted as a timestamp; seconds since 1970 are not read), found 1762000000',
    ])
    database.close()
  })

  it('a file named .xlsx that is not a zip archive is refused as such, not read as CSV', async () => {
    const { database, write } = setup()
    const binary = write('players.xlsx', Buffer.from([0x00, 0x01, 0xfe, 0x80, 0x13, 0x37, 0x00, 0x00, 0x42]))
    await expect(importFile(database, { ...base, path: binary })).rejects.toThrow(
      'players.xlsx is named .xlsx but is not an Excel workbook (not a zip archive): it may be damaged or another kind of file renamed; export it from Excel again.',
    )
    const text = write('renamed.xlsx', 'Player ID,Turnover,Winnings\nP1,100,50\n')
    await expect(importFile(database, { ...base, path: text })).rejects.toThrow(
      'renamed.xlsx is named .xlsx but is not an Excel workbook (not a zip archive): it starts with text, so it may be a CSV file renamed; rename it to .csv and import that.',
    )
    database.close()
  })
})
