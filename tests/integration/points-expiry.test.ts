// Points expiry by the engine settings (pointsExpiry): FIFO over each player's LP / RP account,
// as-of driven, idempotent, and part of the whole expiry job (runExpiry) with lots and tickets.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { playerBalances } from '../../src/main/ledger/balances'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { issueBonus } from '../../src/main/ledger/lots'
import { players } from '../../src/main/ledger/schema'
import { engineSettingsKey, readEngineSettings, writeSetting } from '../../src/main/ledger/settings-store'
import { postTransfers, type TransferRequest } from '../../src/main/ledger/transfers'
import { verifyLedger } from '../../src/main/ledger/verify'
import { adjust, expirePoints, redeemRewardPoints, runExpiry } from '../../src/main/ledger/wallet'
import { defaultEngineSettings, type EngineSettingsInput } from '../../src/shared/engine-settings'
import { useTempDir } from '../helpers/temp'

const t0 = '2026-03-01T10:00:00.000Z'
const days = (n: number) => new Date(Date.parse(t0) + n * 86_400_000).toISOString()

const tempDir = useTempDir()
const opened: LedgerDatabase[] = []

afterEach(() => {
  for (const database of opened.splice(0)) {
    try {
      expect(verifyLedger(database).findings).toEqual([])
    } finally {
      database.close()
    }
  }
})

function openWithPlayers(...ids: string[]): LedgerDatabase {
  const database = LedgerDatabase.open({ path: join(tempDir(), 'ledger.sqlite') })
  opened.push(database)
  database.write((tx) => {
    for (const externalId of ids) tx.insert(players).values({ externalId, firstSeenAt: t0, updatedAt: t0 }).run()
  })
  return database
}

function saveSettings(database: LedgerDatabase, settings: EngineSettingsInput | Record<string, unknown>): void {
  database.write((tx) => writeSetting(tx, engineSettingsKey, settings, t0))
}

const grant = (player: string, currency: TransferRequest['currency'], amount: number, key: string): TransferRequest => ({
  idempotencyKey: key,
  from: { system: 'issuance' },
  to: { player },
  currency,
  amount,
  kind: 'reward',
  reason: 'test grant',
  sourceType: 'system',
  sourceId: 'test',
})

const balances = (database: LedgerDatabase, player: string) => playerBalances(database, player).balances
const transferByKey = (database: LedgerDatabase, key: string) =>
  database.readRaw('SELECT id, kind, amount, currency, created_at AS createdAt, reason FROM ledger_transfers WHERE idempotency_key = ?').get(key) as
    | { id: number; kind: string; amount: number; currency: string; createdAt: string; reason: string }
    | undefined
const transferCount = (database: LedgerDatabase) => (database.readRaw('SELECT count(*) AS n FROM ledger_transfers').get() as { n: number }).n

describe('points expiry setting', () => {
  it('defaults to points that never expire', () => {
    expect(defaultEngineSettings().pointsExpiry).toEqual({})
    const database = openWithPlayers('P1')
    expect(readEngineSettings(database).pointsExpiry).toEqual({})
    postTransfers(database, [grant('P1', 'RP', 100, 'rp:1'), grant('P1', 'LP', 40, 'lp:1')], days(0))
    expect(expirePoints(database, { asOf: days(3650) })).toEqual({ cutoffs: {}, expired: [] })
    expect(balances(database, 'P1')).toMatchObject({ RP: 100, LP: 40 })
  })

  it('refuses saved settings it does not understand, naming the path, and writes nothing', () => {
    const database = openWithPlayers('P1')
    postTransfers(database, [grant('P1', 'RP', 100, 'rp:1')], days(0))
    saveSettings(database, { pointsExpiry: { RP: { afterDays: 0 } } })
    expect(() => expirePoints(database, { asOf: days(400) })).toThrow(/saved engine settings are invalid at "pointsExpiry.RP.afterDays"/)
    saveSettings(database, { pointsExpiry: { BONUS: { afterDays: 30 } } })
    expect(() => expirePoints(database, { asOf: days(400) })).toThrow(/invalid at "pointsExpiry"/)
    expect(transferCount(database)).toBe(1)
  })
})

describe('expirePoints', () => {
  it('expires the points not spent within afterDays of being earned, oldest first; running twice changes nothing', () => {
    const database = openWithPlayers('P1', 'P2')
    saveSettings(database, { pointsExpiry: { RP: { afterDays: 30 } } })
    postTransfers(database, [grant('P1', 'RP', 100, 'rp:1'), grant('P2', 'RP', 20, 'rp:p2'), grant('P1', 'LP', 500, 'lp:1')], days(1))
    postTransfers(database, [grant('P1', 'RP', 50, 'rp:2')], days(10))
    // 70 redeemed on day 20 use the day-1 points first: 30 of them are left.
    redeemRewardPoints(database, { idempotencyKey: 'redeem:1', playerId: 'P1', points: 70, rate: 1 }, days(20))

    // As of day 31: points credited on or before day 1 and still held expire.
    const first = expirePoints(database, { asOf: days(31) })
    expect(first.cutoffs).toEqual({ RP: days(1) })
    expect(first.expired).toEqual([
      { playerId: 'P1', currency: 'RP', points: 30, transferId: expect.any(Number) as number },
      { playerId: 'P2', currency: 'RP', points: 20, transferId: expect.any(Number) as number },
    ])
    expect(transferByKey(database, 'points-expiry:RP:P1:70-100')).toMatchObject({ id: first.expired[0]?.transferId, kind: 'expiry', amount: 30, currency: 'RP', createdAt: days(31) })
    expect(transferByKey(database, 'points-expiry:RP:P1:70-100')?.reason).toMatch(/30 RP credited on or before .* expired unspent \(30-day points expiry/)
    expect(balances(database, 'P1')).toMatchObject({ RP: 50, LP: 500 })

    const before = transferCount(database)
    expect(expirePoints(database, { asOf: days(31) }).expired).toEqual([])
    expect(expirePoints(database, { asOf: days(15) }).expired).toEqual([]) // an earlier as-of date finds nothing more
    expect(transferCount(database)).toBe(before)

    // A negative adjustment on day 35 takes the oldest points left: 10 of day 10's 50.
    adjust(database, { actionId: 'fix', playerId: 'P1', currency: 'RP', amount: -10, reason: 'Correction', actor: 'ops@x' }, days(35))
    const second = expirePoints(database, { asOf: days(40) })
    expect(second.expired).toEqual([{ playerId: 'P1', currency: 'RP', points: 40, transferId: expect.any(Number) as number }])
    expect(transferByKey(database, 'points-expiry:RP:P1:110-150')).toMatchObject({ amount: 40 })
    expect(balances(database, 'P1')).toMatchObject({ RP: 0, LP: 500 })
    expect(expirePoints(database, { asOf: days(400) }).expired).toEqual([])
  })

  it('applies each currency its own period, and a request may override the saved settings', () => {
    const database = openWithPlayers('P1')
    saveSettings(database, { pointsExpiry: { LP: { afterDays: 365 }, RP: { afterDays: 90 } } })
    postTransfers(database, [grant('P1', 'RP', 100, 'rp:1'), grant('P1', 'LP', 500, 'lp:1')], days(0))
    postTransfers(database, [grant('P1', 'RP', 7, 'rp:2'), grant('P1', 'LP', 5, 'lp:2')], days(300))

    expect(expirePoints(database, { asOf: days(50) }).expired).toEqual([])
    const rp = expirePoints(database, { asOf: days(95) })
    expect(rp.cutoffs).toEqual({ LP: days(95 - 365), RP: days(5) })
    expect(rp.expired.map(({ currency, points }) => [currency, points])).toEqual([['RP', 100]])
    expect(expirePoints(database, { asOf: days(365) }).expired.map(({ currency, points }) => [currency, points])).toEqual([['LP', 500]])
    expect(balances(database, 'P1')).toMatchObject({ RP: 7, LP: 5 })

    // An explicit setting (what-if, tests) wins over the saved one; {} expires nothing.
    expect(expirePoints(database, { asOf: days(1000), pointsExpiry: {} }).expired).toEqual([])
    expect(expirePoints(database, { asOf: days(301), pointsExpiry: { RP: { afterDays: 1 } } }).expired.map(({ currency, points }) => [currency, points])).toEqual([['RP', 7]])
    expect(() => expirePoints(database, { asOf: days(301), pointsExpiry: { RP: { afterDays: -1 } } })).toThrow()
    expect(balances(database, 'P1')).toMatchObject({ RP: 0, LP: 5 })
  })

  it('keys name the player and the units, so a long player id still fits', () => {
    const longId = `player-${'x'.repeat(150)}`
    const database = openWithPlayers(longId)
    postTransfers(database, [grant(longId, 'LP', 3, 'lp:long')], days(0))
    const result = expirePoints(database, { asOf: days(2), pointsExpiry: { LP: { afterDays: 1 } } })
    expect(result.expired).toHaveLength(1)
    const key = (database.readRaw("SELECT idempotency_key AS key FROM ledger_transfers WHERE kind = 'expiry'").get() as { key: string }).key
    expect(key).toMatch(/^points-expiry:LP:sha256:[0-9a-f]{64}:0-3$/)
  })
})

describe('runExpiry', () => {
  it('expires lots, tickets and points as of one date; a second run finds nothing', () => {
    const database = openWithPlayers('P1', 'P2')
    saveSettings(database, { safetyFactor: 0.5, pointsExpiry: { RP: { afterDays: 30 } } })
    postTransfers(database, [grant('P1', 'RP', 100, 'rp:1'), grant('P2', 'TICKETS', 3, 'tix:1'), grant('P2', 'LP', 9, 'lp:1')], days(0))
    issueBonus(
      database,
      { idempotencyKey: 'bonus:1', playerId: 'P1', amount: 1000, wageringMultiple: 5, eligibleGames: { slots: 10_000 }, expiresAt: days(7), reason: 'Welcome', sourceType: 'system', sourceId: 'test' },
      days(0),
    )

    const first = runExpiry(database, { asOf: days(40), ticketExpiryDays: 30 })
    expect(first.lots.expired.map((lot) => lot.amount)).toEqual([1000])
    expect(first.tickets.expired.map(({ playerId, tickets }) => [playerId, tickets])).toEqual([['P2', 3]])
    expect(first.points.expired.map(({ playerId, currency, points }) => [playerId, currency, points])).toEqual([['P1', 'RP', 100]])
    expect(balances(database, 'P1')).toEqual({ LP: 0, RP: 0, BONUS: 0, TICKETS: 0 })
    expect(balances(database, 'P2')).toEqual({ LP: 9, RP: 0, BONUS: 0, TICKETS: 0 })

    const before = transferCount(database)
    const second = runExpiry(database, { asOf: days(40), ticketExpiryDays: 30 })
    expect([second.lots.expired, second.tickets.expired, second.points.expired]).toEqual([[], [], []])
    expect(transferCount(database)).toBe(before)
  })
})
