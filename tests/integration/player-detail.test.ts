// players/list (server-side filter, sort, paging) and players/get (the player's page with every
// decision explained) over the processed sample workbook, through the real dispatcher.
import { join, resolve } from 'node:path'
import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { openBackend, type Backend } from '../../src/main/backend'
import type { PlayerDetail, PlayerListResult } from '../../src/shared/api/types'

describe('players/list and players/get on the processed samples', () => {
  let backend: Backend
  let folder: string
  const call = async <T>(name: string, input: unknown): Promise<{ data?: T; error?: { code: string; message: string } }> =>
    (await backend.dispatcher.dispatch(name, input, `t${Math.random().toString(36).slice(2, 10)}`, () => {})) as { data?: T; error?: { code: string; message: string } }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lw-players-'))
    backend = openBackend({ runtime: 'test', databasePath: join(folder, 'players.sqlite'), dataDir: folder })
    const processed = await call('process/run', { paths: [resolve('resources/samples/players.xlsx'), resolve('resources/samples/events.jsonl')] })
    expect(processed.error).toBeUndefined()
  }, 60_000)
  afterAll(() => {
    backend.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('filters by segment, tier and abuse score, searches by prefix, and pages', async () => {
    const losing = await call<PlayerListResult>('players/list', { segment: 'LOSING', limit: 10 })
    expect(losing.data!.total).toBe(35)
    expect(losing.data!.players).toHaveLength(10)
    expect(losing.data!.players.every((player) => player.segment === 'LOSING')).toBe(true)
    // Default order: by player id, as before (the CLI's listing).
    const ids = losing.data!.players.map((player) => player.player_id)
    expect(ids).toEqual([...ids].sort())
    const page2 = await call<PlayerListResult>('players/list', { segment: 'LOSING', limit: 10, offset: 10 })
    expect(page2.data!.players[0]!.player_id > ids.at(-1)!).toBe(true)

    const abusive = await call<PlayerListResult>('players/list', { minAbuseScore: 60, sort: 'abuse_score', order: 'desc' })
    expect(abusive.data!.players.map((player) => [player.player_id, player.abuse_score])).toEqual([
      ['1004631', 84],
      ['1006203', 83],
      ['1007520', 78],
      // Ties in the direction of the sort, so one index on (score, player id) can serve it.
      ['1006999', 60],
      ['1005479', 60],
    ])
    const bronze = await call<PlayerListResult>('players/list', { tier: 'BRONZE', limit: 1 })
    expect(bronze.data!.total).toBe(100)
    expect((await call<PlayerListResult>('players/list', { tier: 'NOPE' })).data!.total).toBe(0)
    const prefix = await call<PlayerListResult>('players/list', { search: '10055' })
    expect(prefix.data!.players.length).toBeGreaterThan(0)
    expect(prefix.data!.players.every((player) => player.player_id.startsWith('10055'))).toBe(true)

    const richest = await call<PlayerListResult>('players/list', { sort: 'balance_LP', order: 'desc', limit: 3 })
    const lp = richest.data!.players.map((player) => player.balances.LP)
    expect(lp).toEqual([...lp].sort((a, b) => b - a))
    expect(lp[0]).toBeGreaterThan(0)
    expect((await call('players/list', { sort: 'name' })).error?.code).toBe('invalid_input')
  })

  it("shows one player's page with balances, history, transfers and every decision explained in sentences", async () => {
    const { data, error } = await call<PlayerDetail>('players/get', { playerId: '1005516' })
    expect(error).toBeUndefined()
    const player = data!
    expect(player).toMatchObject({ player_id: '1005516', segment: 'LOSING', tier: 'BRONZE', money: { code: 'EUR', minorDigits: 2 } })
    expect(player.current?.asOf).toBe('2026-11-20')
    expect(player.current?.totalWagered).toBeGreaterThan(0)
    // A first evaluation is no transition: the history starts with the second.
    expect(player.segmentHistory).toEqual([])
    expect(player.balances.LP).toBeGreaterThan(0)
    expect(player.transfers.length).toBeGreaterThan(0)
    expect(player.transfers.every((transfer) => transfer.amount !== 0)).toBe(true)
    const cashback = player.decisions.find((decision) => decision.ruleId === 'LOSING_PLAYER_CASHBACK')
    expect(cashback).toBeDefined()
    expect(cashback!.sentences?.[0]).toMatch(/^LOSING_PLAYER_CASHBACK v1 for player 1005516:/)
    expect(cashback!.sentences!.some((line) => line.startsWith('✓'))).toBe(true)
    expect(cashback!.sentences!.at(-1)).toMatch(/^Outcome: /)
    if (cashback!.outcome !== 'blocked') expect(player.bonusLots.length).toBeGreaterThan(0)
    // Every decision in the database for this player is on the page, each with an explanation.
    const listed = await call<{ total: number }>('decisions/list', { playerId: '1005516' })
    expect(player.decisions).toHaveLength(listed.data!.total)
    expect(player.decisions.every((decision) => (decision.sentences?.length ?? 0) > 1)).toBe(true)

    const ring = await call<PlayerDetail>('players/get', { playerId: '1004631' })
    expect(ring.data!.abuse_score).toBe(84)
    expect(ring.data!.abuseSignals.map((signal) => signal.signal)).toHaveLength(3)
    const blocked = ring.data!.decisions.find((decision) => decision.outcome === 'blocked')
    expect(blocked?.sentences?.join('\n')).toMatch(/blocked/)

    const missing = await call('players/get', { playerId: 'nobody' })
    expect(missing.error).toMatchObject({ code: 'not_found' })
  })
})
