// The Dashboard and the Rules list read shared running totals of the decisions, kept by a host
// that stays open while the operator processes again and again. A second run over the same day
// rewrites the decisions that did not issue in place (same row, new evaluation): a long-running
// host must then show what a freshly started one shows.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBackend, type Backend } from '../../src/main/backend'
import type { DashboardSummary } from '../../src/shared/api/types-operations'
import type { RuleListRow } from '../../src/shared/api/types-desk'

let folder: string
let path: string
let host: Backend
let calls = 0

async function ok<T>(backend: Backend, name: string, input: unknown): Promise<T> {
  const reply = await backend.dispatcher.dispatch(name, input, `totals${(calls += 1)}`, () => undefined)
  expect(reply.error).toBeUndefined()
  return reply.data as T
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'lw-totals-'))
  path = join(folder, 'totals.sqlite')
  host = openBackend({ runtime: 'test', databasePath: path, dataDir: folder })
  await ok(host, 'process/run', { paths: [resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')] })
}, 60_000)

afterAll(() => {
  host.close()
  rmSync(folder, { recursive: true, force: true })
})

describe('decision totals of a long-running host', () => {
  it('after a second run of the same day, the Dashboard and the Rules list equal a fresh host', async () => {
    const before = await ok<{ rules: RuleListRow[] }>(host, 'rules/list', {})
    await ok<DashboardSummary>(host, 'dashboard/summary', { bucket: 'day' })
    const firstRun = new Set(before.rules.flatMap((rule) => (rule.lastRun ? [rule.lastRun.evaluationId] : [])))
    expect(firstRun.size).toBe(1)

    await ok(host, 'process/run', {})
    const moved = host.services.database.readRaw('SELECT count(*) AS n FROM reward_decisions WHERE evaluation_id > ?').get([...firstRun][0]) as { n: number }
    expect(moved.n).toBeGreaterThan(0) // the second run took over decisions of the first

    const fresh = openBackend({ runtime: 'test', databasePath: path, dataDir: folder })
    try {
      const rules = await ok<{ rules: RuleListRow[] }>(host, 'rules/list', {})
      expect(rules).toEqual(await ok(fresh, 'rules/list', {}))
      expect(rules.rules.some((rule) => rule.lastRun && !firstRun.has(rule.lastRun.evaluationId))).toBe(true)
      const summary = await ok<DashboardSummary>(host, 'dashboard/summary', { bucket: 'day' })
      expect(summary).toEqual(await ok(fresh, 'dashboard/summary', { bucket: 'day' }))
    } finally {
      fresh.close()
    }
  })
})
