// A CSV saved by Excel as "CSV (semicolon delimited)" on a European Windows is windows-1252
// ("ANSI"): € is byte 0x80 and ’ is 0x92. Those bytes must become the characters the operator typed,
// not invisible control characters, and a message must show invisible characters it quotes.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFile } from '../../src/main/jobs/import-file'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { readCsvFile } from '../../src/main/io/readers/csv'
import { useTempDir } from '../helpers/temp'

const base = { asOf: '2026-11-20', defaultAsOf: '2026-11-25', now: '2026-11-21T09:00:00.000Z', minorDigits: 2, dateOrder: 'DMY' as const }

/** windows-1252 bytes of text whose characters are all in that code page. */
function windows1252(text: string): Buffer {
  const high = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'
  return Buffer.from([...text].map((c) => (high.includes(c) ? 0x80 + high.indexOf(c) : c.charCodeAt(0))))
}

describe('windows-1252 CSV files', () => {
  const tempDir = useTempDir()

  it('imports € amounts with a decimal comma and keeps ’ in a country name', async () => {
    const dir = tempDir()
    const path = join(dir, 'ansi.csv')
    const bytes = windows1252(['Player ID;Turnover (€);Winnings (€);Country', '1;€1.234,50;€1.000,00;Österreich', '2;€2.000,00;€1.500,00;Côte d’Ivoire'].join('\r\n'))
    expect(bytes.includes(0x80) && bytes.includes(0x92)).toBe(true)
    writeFileSync(path, bytes)
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path, decimalSeparator: ',' })
    expect(summary.errors).toEqual([])
    expect(summary).toMatchObject({ accepted: 2, rejected: 0 })
    const stored = database
      .readRaw('SELECT p.external_id AS id, s.total_wagered AS wagered, s.country FROM players p JOIN metric_snapshots s ON s.id = p.current_snapshot_id ORDER BY p.external_id')
      .all()
    expect(stored).toEqual([
      { id: '1', wagered: 123_450, country: 'Österreich' },
      { id: '2', wagered: 200_000, country: 'Côte d’Ivoire' },
    ])
    database.close()
  })

  it('reads every byte from 0x80 to 0x9F as its windows-1252 character, in any chunking', async () => {
    const dir = tempDir()
    const path = join(dir, 'all.csv')
    const high = Array.from({ length: 32 }, (_, k) => 0x80 + k)
    writeFileSync(path, Buffer.from([...Buffer.from('text\n'), ...high, 0x0a]))
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'
    for (const encoding of ['auto', 'latin1'] as const) {
      const rows = []
      for await (const row of readCsvFile(path, { encoding })) rows.push(row.cells)
      expect(rows).toEqual([['text'], [expected]])
    }
  })

  it('shows an invisible control character in a refused value as an escape', async () => {
    const dir = tempDir()
    const path = join(dir, 'control.csv')
    // UTF-8 file holding U+0080 where € was meant (what the old decoding produced from 0x80).
    writeFileSync(path, 'Player ID;Turnover;Winnings\n1;\u00801.234,50;10\n2;5;1\n')
    const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
    const summary = await importFile(database, { ...base, path, decimalSeparator: ',' })
    expect(summary.errors.map((error) => error.message)).toEqual(['Row 2, total_wagered: expected a money amount such as 1.234,56, found "\\u00801.234,50"'])
    database.close()
  })
})
