// players/list counts a filter in its index while no player is deleted, and with the deleted_at
// test once one is: the total must always be the number of rows the filter pages through.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openBackend } from '../../src/main/backend'
import type { PlayerListResult } from '../../src/shared/api/types'
import { useTempDir } from '../helpers/temp'

describe('players/list totals', () => {
  const tempDir = useTempDir()

  it('equal the rows of every filter, before and after players are deleted', async () => {
    const dir = tempDir()
    const backend = openBackend({ runtime: 'test', databasePath: join(dir, 'totals.sqlite'), dataDir: dir })
    try {
      const database = backend.services.database
      database.write((_tx, statements) => {
        const insert = statements.prepare("INSERT INTO players (external_id, segment, abuse_score, first_seen_at, updated_at) VALUES (?, ?, ?, 'now', 'now')")
        for (let index = 0; index < 40; index += 1) insert.run(`P${String(index).padStart(3, '0')}`, index % 4 === 0 ? 'LOSING' : 'WINNING', index)
      })
      let calls = 0
      const list = async (input: Record<string, unknown>) => {
        const reply = await backend.dispatcher.dispatch('players/list', { limit: 1000, ...input }, `t${(calls += 1)}`, () => undefined)
        expect(reply.error).toBeUndefined()
        return reply.data as PlayerListResult
      }
      const filters = [{}, { segment: 'LOSING' }, { minAbuseScore: 30 }, { search: 'P01' }, { segment: 'WINNING', minAbuseScore: 10 }]
      const check = async (deleted: Set<string>) => {
        for (const filter of filters) {
          const result = await list(filter)
          expect(result.total, JSON.stringify(filter)).toBe(result.players.length)
          expect(result.players.some((player) => deleted.has(player.player_id))).toBe(false)
        }
      }
      await check(new Set())
      expect((await list({ segment: 'LOSING' })).total).toBe(10)

      database.write((_tx, statements) => statements.prepare("UPDATE players SET deleted_at = 'now' WHERE external_id IN ('P000', 'P012', 'P031')").run())
      await check(new Set(['P000', 'P012', 'P031']))
      expect((await list({})).total).toBe(37)
      expect((await list({ segment: 'LOSING' })).total).toBe(8)
    } finally {
      backend.close()
    }
  })
})
