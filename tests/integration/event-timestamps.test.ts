// Event files exported with a regional date format (02/11/2026 10:05) import by the date-order
// setting, as date columns of a player file do; a timestamp that fits neither order says why.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFile } from '../../src/main/jobs/import-file'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { useTempDir } from '../helpers/temp'

const base = { asOf: '2026-11-20', defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2 }

function occurred(database: LedgerDatabase): Record<string, string> {
  const rows = database.readRaw('SELECT event_id AS id, occurred_at AS at FROM activity_events ORDER BY event_id').all() as { id: string; at: string }[]
  return Object.fromEntries(rows.map((row) => [row.id, row.at]))
}

describe('event timestamps in day-first or month-first form', () => {
  const tempDir = useTempDir()

  it('reads DD/MM/YYYY HH:MM[:SS] day first in a CSV with a decimal comma', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const path = join(dir, 'events.csv')
    writeFileSync(path, ['\uFEFFevent_id;player_id;timestamp;type;amount', 'E7;1;02/11/2026 10:05;bet;3,00', 'E8;1;2026-11-03 10:00;bet;4', 'E9;1;13.11.2026 23:59:30;win;1,50'].join('\r\n'))
    const summary = await importFile(database, { ...base, path, dateOrder: 'DMY', decimalSeparator: ',' })
    expect(summary.errors).toEqual([])
    expect(occurred(database)).toEqual({ E7: '2026-11-02T10:05:00.000Z', E8: '2026-11-03T10:00:00.000Z', E9: '2026-11-13T23:59:30.000Z' })
    database.close()
  })

  it('reads MM/DD/YYYY HH:MM month first in JSON lines, and says when a timestamp is day first instead', async () => {
    const dir = tempDir()
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const path = join(dir, 'events.jsonl')
    const event = (id: string, timestamp: string) => JSON.stringify({ event_id: id, player_id: 'P1', timestamp, type: 'deposit', amount: 10 })
    writeFileSync(path, [event('E1', '02/11/2026 10:05'), event('E2', '11/19/2026 08:00:15'), event('E3', '19/11/2026 08:00')].join('\n'))
    const summary = await importFile(database, { ...base, path, dateOrder: 'MDY' })
    expect(summary.errors.map((error) => error.message)).toEqual([
      'Row 3, timestamp: expected a date in MM/DD/YYYY order (this looks like DD/MM/YYYY: check the date order setting), found "19/11/2026 08:00"',
    ])
    expect(occurred(database)).toEqual({ E1: '2026-02-11T10:05:00.000Z', E2: '2026-11-19T08:00:15.000Z' })
    database.close()
  })
})
