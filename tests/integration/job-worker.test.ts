// The UI hosts run import and process in a worker thread (out/main/job-worker.js, built by
// `npm test` before the tests): the result, the progress and a cancel must cross the thread.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../src/shared/api/progress'
import type { ImportSummary, ProcessSummary } from '../../src/shared/api/types'
import { openBackend } from '../../src/main/backend'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { useTempDir } from '../helpers/temp'

describe('jobs in a worker thread (web and desktop hosts)', () => {
  const tempDir = useTempDir()

  it('imports and processes off the main thread, with progress, and reports refusals as the same errors', async () => {
    const dir = tempDir()
    const backend = openBackend({ runtime: 'web', databasePath: join(dir, 'ledger.sqlite'), dataDir: dir })
    expect(backend.services.jobs).toBeDefined()
    const lines = ['Player summary — exported 2026-01-31', 'player_id,total_wagered,total_won,sessions,last_deposit_date']
    for (let index = 0; index < 20_000; index += 1) lines.push(`P${String(index).padStart(5, '0')},${1000 + index},${900 + (index % 300)},${1 + (index % 9)},2026-01-2${index % 10}`)
    const path = join(dir, 'players.csv')
    writeFileSync(path, lines.join('\n'))
    const progress: ProgressEvent[] = []
    const imported = await backend.dispatcher.dispatch('import/files', { paths: [path] }, 'job-1', (event) => progress.push(event))
    expect(imported.error).toBeUndefined()
    const summary = (imported.data as { imports: ImportSummary[] }).imports[0]!
    expect(summary).toMatchObject({ status: 'imported', rows: 20_000, accepted: 20_000, asOf: '2026-01-31' })
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.every((event) => event.callId === 'job-1' && event.unit === 'bytes')).toBe(true)

    const rules = join(dir, 'rules.json')
    writeFileSync(rules, JSON.stringify([{ rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }]))
    const processed = await backend.dispatcher.dispatch('process/run', { rulesPath: rules }, 'job-2', () => undefined)
    expect(processed.error).toBeUndefined()
    const result = processed.data as ProcessSummary
    expect(result.players).toBe(20_000)
    expect(result.rewards.issued).toBe(20_000)
    // The main connection sees what the worker committed.
    const players = await backend.dispatcher.dispatch('players/list', { limit: 1 }, 'q-1', () => undefined)
    expect(players.data).toMatchObject({ total: 20_000 })

    const missing = await backend.dispatcher.dispatch('import/files', { paths: [join(dir, 'nope.csv')] }, 'job-3', () => undefined)
    expect(missing.error).toMatchObject({ code: 'not_found' })
    expect(missing.error!.message).toMatch(/nope\.csv: no such file/)
    backend.close()
  })

  it('cancelling an import stops the worker and leaves nothing behind', async () => {
    const dir = tempDir()
    const backend = openBackend({ runtime: 'web', databasePath: join(dir, 'ledger.sqlite'), dataDir: dir })
    const lines = ['player_id,total_wagered,total_won']
    for (let index = 0; index < 300_000; index += 1) lines.push(`P${index},${index},${index >> 1}`)
    const path = join(dir, 'big.csv')
    writeFileSync(path, lines.join('\n'))
    let cancelled = false
    const pending = backend.dispatcher.dispatch('import/files', { paths: [path] }, 'job-x', () => {
      if (cancelled) return
      cancelled = true
      void backend.dispatcher.dispatch('job/cancel', { callId: 'job-x' }, 'cancel-1', () => undefined)
    })
    const result = await pending
    expect(result.error).toMatchObject({ code: 'cancelled' })
    const info = await backend.dispatcher.dispatch('db/info', {}, 'q-2', () => undefined)
    const tables = (info.data as { tables: { name: string; rows: number }[] }).tables
    expect(tables.find((table) => table.name === 'players')!.rows).toBe(0)
    expect(tables.find((table) => table.name === 'imports')!.rows).toBe(0)
    backend.close()
  })
})

describe('a write while a job holds the database', () => {
  const tempDir = useTempDir()

  it('is refused with a conflict that says a job is writing, not an internal error', async () => {
    const dir = tempDir()
    const path = join(dir, 'ledger.sqlite')
    const backend = openBackend({ runtime: 'test', databasePath: path, dataDir: dir })
    // A second connection plays the worker: an import session holds the write lock.
    const job = LedgerDatabase.open({ path })
    const session = job.beginSession()
    const result = await backend.dispatcher.dispatch(
      'ledger/adjust',
      { playerId: 'P1', currency: 'LP', amount: 10, reason: 'goodwill', actor: 'ops' },
      'adjust-1',
      () => undefined,
    )
    expect(result.error).toMatchObject({ code: 'conflict' })
    expect(result.error!.message).toMatch(/another job \(an import or processing\) is writing to the database/)
    session.rollback()
    job.close()
    backend.close()
  })
})
