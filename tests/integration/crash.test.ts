// A ledger batch killed with SIGKILL at random moments: after every kill the ledger verifies,
// holds only whole batches, and a final run ends with exactly what an uninterrupted run posts.
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { players } from '../../src/main/ledger/schema'
import { postTransfers } from '../../src/main/ledger/transfers'
import { verifyLedger } from '../../src/main/ledger/verify'
import { useTempDir } from '../helpers/temp'
import { crashCreatedAt, crashRequests } from './fixtures/post-child'
import { mulberry32 } from '../../src/shared/seeded-random'

const total = 12_000
const playerCount = 300
const batch = 1_500
const rounds = 50
const child = join(process.cwd(), 'tests', 'integration', 'fixtures', 'post-child.ts')


function createWithPlayers(path: string): void {
  const database = LedgerDatabase.open({ path })
  database.write((tx) => {
    for (let index = 0; index < playerCount; index += 1) {
      tx.insert(players).values({ externalId: `P${index}`, firstSeenAt: crashCreatedAt, updatedAt: crashCreatedAt }).run()
    }
  })
  database.close()
}

/** Kills the child `delayMilliseconds` after it has opened the database and starts posting. */
function runAndKill(path: string, delayMilliseconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--import', 'tsx', child, path, String(total), String(playerCount), String(batch)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let timer: NodeJS.Timeout | undefined
    process_.stdout.on('data', (chunk: Buffer) => {
      if (!timer && chunk.toString().includes('open')) timer = setTimeout(() => process_.kill('SIGKILL'), delayMilliseconds)
    })
    process_.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL' || code === 0) resolve()
      else reject(new Error(`child failed (${code}): ${stderr}`))
    })
  })
}

function snapshot(path: string) {
  const database = LedgerDatabase.open({ path })
  const rows = database.readRaw('SELECT idempotency_key AS key, amount, hash FROM ledger_transfers ORDER BY id').all() as { key: string; amount: number; hash: string }[]
  const report = verifyLedger(database)
  database.close()
  return { rows, report }
}

describe('crash safety of ledger posting', () => {
  const tempDir = useTempDir()

  it(`survives ${rounds} SIGKILLs at random moments and finishes exactly as an uninterrupted run`, async () => {
    const folder = tempDir()
    const reference = join(folder, 'reference.sqlite')
    createWithPlayers(reference)
    const referenceDatabase = LedgerDatabase.open({ path: reference })
    const started = performance.now()
    postTransfers(referenceDatabase, crashRequests(total, playerCount), crashCreatedAt, batch)
    // How long posting takes on this machine now, so the kills spread over the child's posting
    // whatever the machine's speed or load.
    const postingMilliseconds = performance.now() - started
    referenceDatabase.close()
    const expected = snapshot(reference)
    expect(expected.rows).toHaveLength(total)

    let generation = 0
    let path = join(folder, 'crashed-0.sqlite')
    createWithPlayers(path)
    const random = mulberry32(20260131)
    const counts = new Set<number>()
    for (let round = 0; round < rounds; round += 1) {
      // Kills land before, during and after the child's posting.
      await runAndKill(path, Math.floor(random() * postingMilliseconds * 1.5))
      const { rows, report } = snapshot(path)
      expect(report.findings, `round ${round}`).toEqual([])
      expect(rows.length % batch, `round ${round}: ${rows.length} transfers is not a whole number of batches`).toBe(0)
      expect(rows, `round ${round}`).toEqual(expected.rows.slice(0, rows.length))
      counts.add(rows.length)
      // A ledger the children finished has nothing left to interrupt: the next rounds start a fresh one.
      if (rows.length === total) {
        generation += 1
        path = join(folder, `crashed-${generation}.sqlite`)
        createWithPlayers(path)
      }
    }
    // The kills landed at different moments, some in the middle of the work.
    expect(counts.size).toBeGreaterThan(1)
    expect([...counts].some((count) => count > 0 && count < total)).toBe(true)

    const finished = spawnSync(process.execPath, ['--import', 'tsx', child, path, String(total), String(playerCount), String(batch)], { encoding: 'utf8' })
    expect(finished.status, finished.stderr).toBe(0)
    const final = snapshot(path)
    expect(final.report).toEqual(expected.report)
    expect(final.rows).toEqual(expected.rows)
  }, 300_000)
})
