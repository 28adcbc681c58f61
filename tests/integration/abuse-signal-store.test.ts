// A player's abuse signals are stored when they change (jobs/abuse-signal-store.ts): a re-run on the
// same data writes none, a later file writes the sets of exactly the players whose signals moved, and
// the player's page shows the newest set either way.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { processFiles, type ProcessOptions } from '../../src/main/jobs/process'
import { playerDetail } from '../../src/main/jobs/player-detail'
import type { LedgerDatabase } from '../../src/main/ledger/database'
import { lpRule, openLedger } from '../helpers/process-fixtures'
import { useTempDir } from '../helpers/temp'

const header = 'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date,IP'
// W1 and W2 win far more than their volume allows; S1–S3 share one IP (a cluster of three).
const dayOne = [
  header,
  'W1,"5,000.00","100,000.00","130,000.00",100,2026-01-28,2025-06-01,10.0.0.1',
  'W2,"5,000.00","50,000.00","70,000.00",60,2026-01-28,2025-06-01,10.0.0.2',
  'S1,100,100,50,3,2026-01-28,2025-06-01,10.0.0.9',
  'S2,100,100,50,3,2026-01-28,2025-06-01,10.0.0.9',
  'S3,100,100,50,3,2026-01-28,2025-06-01,10.0.0.9',
  'C1,"2,000.00","3,000.00","2,000.00",5,2026-01-30,2025-06-01,10.0.0.3',
].join('\n')
// The next day: W1 won more still; S3 moved to an IP of its own, so S1 and S2 are a cluster of two.
const dayTwo = [header, 'W1,"5,000.00","110,000.00","150,000.00",110,2026-01-28,2025-06-01,10.0.0.1', 'S3,100,100,50,3,2026-01-28,2025-06-01,10.0.0.7'].join('\n')

type Row = { player: string; signal: string; score: number; details: string; evaluation: number }
const storedRows = (database: LedgerDatabase): Row[] =>
  database
    .readRaw('SELECT p.external_id AS player, a.signal, a.score, a.details, a.evaluation_id AS evaluation FROM abuse_signals a JOIN players p ON p.id = a.player_id ORDER BY a.id')
    .all() as Row[]

describe('abuse signals are stored when they change', () => {
  const tempDir = useTempDir()

  it('a same-day re-run writes none; a later file writes only the players whose signals changed', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const first = join(dir, 'day-one.csv')
    writeFileSync(first, dayOne)
    const options: ProcessOptions = { files: [first], rules: [lpRule], asOf: '2026-01-31', defaultAsOf: '2026-01-31', now: '2026-01-31T18:00:00.000Z', actor: 'test', dryRun: false }
    await processFiles(database, options)
    const written = storedRows(database)
    expect(written.map((row) => `${row.player}:${row.signal}`).sort()).toEqual(['S1:shared_identity', 'S2:shared_identity', 'S3:shared_identity', 'W1:improbable_win_rate', 'W2:improbable_win_rate'])
    const pageBefore = playerDetail(database, 'W1').abuseSignals

    const again = await processFiles(database, { ...options, files: [], now: '2026-01-31T19:00:00.000Z' })
    expect(again.evaluationId).toBeGreaterThan(written[0]!.evaluation)
    expect(storedRows(database)).toEqual(written)
    // The page shows the same set, detected by the run that first found it.
    expect(playerDetail(database, 'W1').abuseSignals).toEqual(pageBefore)
    expect(pageBefore[0]!.detectedAt).toBe('2026-01-31T18:00:00.000Z')

    const second = join(dir, 'day-two.csv')
    writeFileSync(second, dayTwo)
    const next = await processFiles(database, { ...options, files: [second], asOf: '2026-02-01', now: '2026-02-01T18:00:00.000Z' })
    const added = storedRows(database).slice(written.length)
    expect(added.every((row) => row.evaluation === next.evaluationId)).toBe(true)
    // W1's numbers moved (same score, new details); S1 and S2 are now a cluster of two; W2 is as it was.
    expect(added.map((row) => `${row.player}:${row.signal}`).sort()).toEqual(['S1:shared_identity', 'S2:shared_identity', 'W1:improbable_win_rate'])
    const w1 = added.find((row) => row.player === 'W1')!
    expect(JSON.parse(w1.details)).toMatchObject({ totalWagered: 11_000_000, totalWon: 15_000_000 })
    expect(added.filter((row) => row.player !== 'W1').map((row) => JSON.parse(row.details) as { clusterSize: number })).toEqual([
      expect.objectContaining({ clusterSize: 2 }),
      expect.objectContaining({ clusterSize: 2 }),
    ])
    expect(playerDetail(database, 'W1').abuseSignals).toEqual([{ signal: 'improbable_win_rate', score: w1.score, detectedAt: '2026-02-01T18:00:00.000Z' }])
    expect(playerDetail(database, 'W2').abuseSignals).toEqual([{ signal: 'improbable_win_rate', score: 35, detectedAt: '2026-01-31T18:00:00.000Z' }])
    database.close()
  })
})
