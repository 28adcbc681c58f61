// The UI hosts load the Segments screen's player base in a thread of its own (the built job worker,
// out/main/job-worker.js): while the first preview loads, the host keeps answering other calls, and
// the counts are the ones the in-process previewer gives.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openBackend } from '../../src/main/backend'
import { SegmentPreviewer } from '../../src/main/jobs/desk-segments'
import type { LedgerDatabase } from '../../src/main/ledger/database'
import type { PlayerListResult } from '../../src/shared/api/types'
import type { SegmentPreviewResult, SegmentSettingsView } from '../../src/shared/api/types-desk'
import type { SegmentConfig } from '../../src/shared/engine-settings'
import { mulberry32 } from '../../src/shared/seeded-random'
import { useTempDir } from '../helpers/temp'

/** Players with one current summary each, written with SQL (an import would take far longer). */
function fillPlayers(database: LedgerDatabase, players: number): void {
  const random = mulberry32(5)
  database.write((_tx, statements) => {
    const player = statements.prepare("INSERT INTO players (external_id, current_as_of, first_seen_at, updated_at) VALUES (?, '2026-11-20', 'now', 'now') RETURNING id")
    const snapshot = statements.prepare(
      "INSERT INTO metric_snapshots (player_id, as_of, total_deposited, total_wagered, total_won, sessions, last_deposit_date, last_active_date) VALUES (?, '2026-11-20', ?, ?, ?, ?, '2026-11-01', '2026-11-01') RETURNING id",
    )
    const current = statements.prepare('UPDATE players SET current_snapshot_id = ? WHERE id = ?')
    for (let index = 0; index < players; index += 1) {
      const { id } = player.get(`P${String(index).padStart(6, '0')}`) as { id: number }
      const wagered = Math.floor(random() * 5_000_000)
      const { id: snapshotId } = snapshot.get(id, Math.floor(wagered / 3), wagered, Math.floor(wagered * (0.8 + random() * 0.4)), 1 + Math.floor(random() * 300)) as { id: number }
      current.run(snapshotId, id)
    }
  })
}

describe('segment previews in their own thread (web and desktop hosts)', () => {
  const tempDir = useTempDir()

  it('answers other calls while the first preview loads the base, then gives the same counts as in-process', async () => {
    const dir = tempDir()
    const backend = openBackend({ runtime: 'web', databasePath: join(dir, 'ledger.sqlite'), dataDir: dir })
    try {
      fillPlayers(backend.services.database, 60_000)
      const call = (name: string, input: unknown, callId: string) => backend.dispatcher.dispatch(name, input, callId, () => undefined)
      const completed: string[] = []
      const first = call('segments/get', {}, 'segments-1').then((reply) => {
        completed.push('segments/get')
        return reply
      })
      // Page through the Players table, a turn of the event loop apart, while the thread loads.
      for (let page = 0; page < 5; page += 1) {
        await new Promise((resolve) => setImmediate(resolve))
        const reply = await call('players/list', { limit: 50, offset: page * 50 }, `players-${page}`)
        expect(reply.error).toBeUndefined()
        expect((reply.data as PlayerListResult).players).toHaveLength(50)
        completed.push(`players/list ${page}`)
      }
      const settings = await first
      expect(completed).toEqual(['players/list 0', 'players/list 1', 'players/list 2', 'players/list 3', 'players/list 4', 'segments/get'])
      expect(settings.error).toBeUndefined()
      const view = settings.data as SegmentSettingsView

      const inProcess = new SegmentPreviewer(backend.services.database).settings()
      expect(view.preview.players).toBe(60_000)
      expect(view.preview.counts).toEqual(inProcess.preview.counts)
      expect(view.preview.findings).toEqual(inProcess.preview.findings)

      // The next preview reuses the loaded base, and an edited threshold moves the counts.
      const saved = view.config as SegmentConfig
      const edited: SegmentConfig = {
        ...saved,
        order: saved.order.map((definition) => (definition.segment === 'VIP' ? { ...definition, conditions: { total_wagered: { gt: 10000 }, sessions: { gt: 10 } } } : definition)),
      }
      const preview = await call('segments/preview', { config: edited }, 'segments-2')
      expect(preview.error).toBeUndefined()
      const result = preview.data as SegmentPreviewResult
      expect(result.cached).toBe(true)
      expect(result.counts).toEqual(new SegmentPreviewer(backend.services.database).preview(edited).counts)
      expect(result.counts.VIP).toBeGreaterThan(view.preview.counts.VIP)

      // A refused configuration comes back as the same readable error, not an internal one.
      const refused = await call('segments/preview', { config: { ...saved, order: [{ segment: 'VIP', conditions: { no_such_metric: { gt: 1 } } }] } }, 'segments-3')
      expect(refused.error?.code).toBe('invalid_input')
      expect(refused.error?.message).toMatch(/no_such_metric/)
    } finally {
      backend.close()
    }
  })
})
