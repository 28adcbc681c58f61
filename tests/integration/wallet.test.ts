import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiFailure } from '../../src/shared/api/result'
import { playerBalances } from '../../src/main/ledger/balances'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { applyWagers, expireLots, forfeitLot, getLot, issueBonus, issueBonusesWithin, issueBonusWithin, lotClosingKey, playerLots, type Bet, type IssueBonusRequest } from '../../src/main/ledger/lots'
import { players } from '../../src/main/ledger/schema'
import { LedgerConflict, postTransfers, type TransferRequest } from '../../src/main/ledger/transfers'
import { verifyLedger } from '../../src/main/ledger/verify'
import { adjust, consumeTickets, expireTickets, redeemRewardPoints, reverseTransfer } from '../../src/main/ledger/wallet'
import { useTempDir } from '../helpers/temp'

const t0 = '2026-03-01T10:00:00.000Z'
const hours = (n: number) => new Date(Date.parse(t0) + n * 3_600_000).toISOString()
const days = (n: number) => hours(24 * n)

const tempDir = useTempDir()
const opened: LedgerDatabase[] = []

/** Every scenario ends with a ledger that verifies: hash chain, balances, books, no negatives. */
afterEach(() => {
  for (const database of opened.splice(0)) {
    try {
      const report = verifyLedger(database)
      expect(report.findings).toEqual([])
      expect(report.ok).toBe(true)
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

const balances = (database: LedgerDatabase, player: string) => playerBalances(database, player).balances
const count = (database: LedgerDatabase, table: string) => (database.readRaw(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const transferByKey = (database: LedgerDatabase, key: string) =>
  database.readRaw('SELECT id, kind, amount, currency, lot_id AS lotId, reverses_transfer_id AS reversesTransferId, created_at AS createdAt, reason, source_id AS sourceId FROM ledger_transfers WHERE idempotency_key = ?').get(key) as
    | { id: number; kind: string; amount: number; currency: string; lotId: number | null; reversesTransferId: number | null; createdAt: string; reason: string; sourceId: string }
    | undefined
const systemBalance = (database: LedgerDatabase, name: string, currency: string) =>
  (database.readRaw('SELECT balance FROM ledger_accounts WHERE system_name = ? AND currency = ?').get(name, currency) as { balance: number } | undefined)?.balance ?? 0
const auditRows = (database: LedgerDatabase) =>
  (database.readRaw('SELECT action, actor, subject, reason, details, at FROM audit_log ORDER BY id').all() as { details: string }[]).map((row) => ({ ...row, details: JSON.parse(row.details) as unknown }))

function bonus(playerId: string, key: string, overrides: Partial<IssueBonusRequest> = {}): IssueBonusRequest {
  return {
    idempotencyKey: key,
    playerId,
    amount: 1000,
    wageringMultiple: 5,
    eligibleGames: { slots: 10000, roulette: 2000 },
    reason: 'Welcome bonus',
    sourceType: 'rule_version',
    sourceId: 'WELCOME:v1',
    ...overrides,
  }
}

const bet = (eventId: string, playerId: string, amount: number, gameType: string | null, at: string): Bet => ({ eventId, playerId, amount, gameType, at })

const grant = (playerId: string, currency: TransferRequest['currency'], amount: number, key: string): TransferRequest => ({
  idempotencyKey: key,
  from: { system: 'issuance' },
  to: { player: playerId },
  currency,
  amount,
  kind: 'reward',
  reason: 'test grant',
  sourceType: 'rule_version',
  sourceId: 'R:v1',
})

function refusal(action: () => unknown): ApiFailure {
  try {
    action()
  } catch (error) {
    if (error instanceof ApiFailure) return error
    throw error
  }
  throw new Error('expected the action to be refused')
}

describe('issueBonusesWithin (how process issues bonuses)', () => {
  const dump = (database: LedgerDatabase) => ({
    transfers: database.readRaw('SELECT * FROM ledger_transfers ORDER BY id').all(),
    lots: database.readRaw('SELECT * FROM bonus_lots ORDER BY id').all(),
    accounts: database.readRaw('SELECT * FROM ledger_accounts ORDER BY id').all(),
  })
  const batch = [
    bonus('P2', 'k-b'),
    bonus('P1', 'k-a', { amount: 250, maxBet: 500, expiresAt: days(7) }),
    bonus('P3', 'k-zero', { wageringMultiple: 0 }),
    bonus('P2', 'k-b'), // the same key twice in one batch: issued once
    bonus('P1', 'k-old'), // issued by an earlier run
  ]

  it('writes exactly what issuing the same bonuses one at a time writes, hash chain included', () => {
    const oneByOne = openWithPlayers('P1', 'P2', 'P3')
    const batched = openWithPlayers('P1', 'P2', 'P3')
    for (const database of [oneByOne, batched]) issueBonus(database, bonus('P1', 'k-old'), t0)
    const single = oneByOne.write((_tx, statements) => batch.map((request) => issueBonusWithin(statements, request, hours(1)).alreadyIssued))
    const result = batched.write((_tx, statements) => issueBonusesWithin(statements, batch, hours(1)))
    expect(result).toEqual({ issued: single.filter((again) => !again).length, alreadyIssued: single.filter(Boolean).length })
    expect(result).toEqual({ issued: 3, alreadyIssued: 2 })
    expect(dump(batched)).toEqual(dump(oneByOne))
    expect(getLot(batched, transferByKey(batched, 'k-zero')!.lotId!)?.status).toBe('completed')
  })

  it('refuses the whole batch when a key was issued before on other terms, or a player is unknown', () => {
    const database = openWithPlayers('P1', 'P2', 'P3')
    issueBonus(database, bonus('P1', 'k-old', { amount: 999 }), t0)
    const before = dump(database)
    expect(() => database.write((_tx, statements) => issueBonusesWithin(statements, batch, hours(1)))).toThrow(/amount 999 then, 1000 now/)
    expect(refusal(() => database.write((_tx, statements) => issueBonusesWithin(statements, [bonus('P1', 'k-new'), bonus('NOPE', 'k-x')], hours(1)))).message).toMatch(/^Player NOPE is not in the database; import them/)
    expect(dump(database)).toEqual(before)
  })
})

describe('issueBonus', () => {
  it('credits the bonus and opens its lot in one transaction, rounding the target once', () => {
    const database = openWithPlayers('P1')
    // 1001 × 2.5 = 2502.5 → 2503 (half away from zero).
    const { lot, alreadyIssued, completed } = issueBonus(
      database,
      bonus('P1', 'welcome:P1', { amount: 1001, wageringMultiple: 2.5, maxBet: 500, eligibleGames: { ' Slots ': 10000, LIVE: 0 }, expiresAt: '2026-03-08T10:00:00Z' }),
      t0,
    )
    expect(alreadyIssued).toBe(false)
    expect(completed).toBeNull()
    expect(lot).toMatchObject({
      playerId: 'P1',
      amount: 1001,
      wageringTarget: 2503,
      wageringProgress: 0,
      maxBet: 500,
      contributions: { live: 0, slots: 10000 },
      expiresAt: '2026-03-08T10:00:00.000Z',
      issuedAt: t0,
      status: 'open',
      closedAt: null,
    })
    const issue = transferByKey(database, 'welcome:P1')
    expect(issue).toMatchObject({ id: lot.issueTransferId, kind: 'reward', currency: 'BONUS', amount: 1001, lotId: lot.id })
    expect(balances(database, 'P1').BONUS).toBe(1001)
    expect(systemBalance(database, 'issuance', 'BONUS')).toBe(-1001)
  })

  it('is idempotent by key, and the same key with other terms is a conflict that writes nothing', () => {
    const database = openWithPlayers('P1')
    const first = issueBonus(database, bonus('P1', 'k1'), t0)
    const again = issueBonus(database, bonus('P1', 'k1', { eligibleGames: { ROULETTE: 2000, slots: 10000 } }), hours(5))
    expect(again).toEqual({ lot: first.lot, alreadyIssued: true, completed: null })
    expect(() => issueBonus(database, bonus('P1', 'k1', { wageringMultiple: 6 }), t0)).toThrow(LedgerConflict)
    expect(() => issueBonus(database, bonus('P1', 'k1', { wageringMultiple: 6 }), t0)).toThrow(/wagering target 5000 then, 6000 now/)
    expect(() => issueBonus(database, bonus('P1', 'k1', { eligibleGames: { slots: 10000 } }), t0)).toThrow(/contributions/)
    expect(() => issueBonus(database, bonus('P1', 'k1', { amount: 999 }), t0)).toThrow(/amount 1000 then, 999 now/)
    // A key already used by a plain transfer cannot open a lot.
    postTransfers(database, [grant('P1', 'RP', 10, 'plain')], t0)
    expect(() => issueBonus(database, bonus('P1', 'plain'), t0)).toThrow(/opened no bonus lot/)
    expect(count(database, 'bonus_lots')).toBe(1)
    expect(balances(database, 'P1')).toMatchObject({ BONUS: 1000, RP: 10 })
  })

  it('refuses a bonus without eligible games (no silent 100% default) and other bad terms, writing nothing', () => {
    const database = openWithPlayers('P1')
    expect(refusal(() => issueBonus(database, bonus('P1', 'a', { eligibleGames: {} }), t0)).message).toMatch(/eligibleGames is empty.*There is no default/)
    expect(() => issueBonus(database, bonus('P1', 'b', { eligibleGames: { slots: 0 } }), t0)).toThrow(/no bet could ever count/)
    expect(() => issueBonus(database, bonus('P1', 'c', { eligibleGames: { slots: 10001 } }), t0)).toThrow(/0 to 10000/)
    expect(() => issueBonus(database, bonus('P1', 'd', { eligibleGames: { slots: 50.5 } }), t0)).toThrow(/whole basis points/)
    expect(() => issueBonus(database, bonus('P1', 'e', { eligibleGames: { Slots: 100, slots: 200 } }), t0)).toThrow(/lists slots twice/)
    expect(() => issueBonus(database, bonus('P1', 'f', { expiresAt: t0 }), t0)).toThrow(/born expired/)
    expect(() => issueBonus(database, bonus('P1', 'g', { amount: 10.5 }), t0)).toThrow(/positive whole number/)
    expect(() => issueBonus(database, bonus('P1', 'h', { wageringMultiple: -1 }), t0)).toThrow(/wageringMultiple/)
    expect(() => issueBonus(database, bonus('P1', 'i', { maxBet: 0 }), t0)).toThrow(/maxBet/)
    expect(() => issueBonus(database, bonus('P1', 'j', { expiresAt: '2026-02-30T00:00:00Z' }), t0)).toThrow(/not a real date/)
    expect(() => issueBonus(database, bonus('P1', 'k'), '2026-03-01T10:00:00')).toThrow(/with Z or an offset/)
    expect(refusal(() => issueBonus(database, bonus('NOBODY', 'l'), t0)).code).toBe('not_found')
    expect(count(database, 'bonus_lots')).toBe(0)
    expect(verifyLedger(database).transfers).toBe(0)
  })

  it('a bonus without wagering (multiple 0) converts at issue', () => {
    const database = openWithPlayers('P1')
    const { lot, completed } = issueBonus(database, bonus('P1', 'free', { wageringMultiple: 0 }), t0)
    expect(lot).toMatchObject({ wageringTarget: 0, status: 'completed', closedAt: t0 })
    expect(completed).toMatchObject({ id: lot.id, status: 'completed' })
    expect(transferByKey(database, 'bonus-lot:free:conversion')).toMatchObject({ id: completed?.transferId, kind: 'conversion', amount: 1000, lotId: lot.id, sourceId: 'bonus-lot:free' })
    expect(balances(database, 'P1').BONUS).toBe(0)
    expect(systemBalance(database, 'conversion', 'BONUS')).toBe(1000)
  })
})

describe('applyWagers', () => {
  it('counts each bet toward the open lot expiring earliest, capped at what it needs, then moves on', () => {
    const database = openWithPlayers('P1')
    // A: issued first, expires in 10 days; B: issued an hour later, expires in 3 days → B goes first.
    const a = issueBonus(database, bonus('P1', 'A', { amount: 1000, wageringMultiple: 2, expiresAt: days(10) }), t0).lot
    const b = issueBonus(database, bonus('P1', 'B', { amount: 500, wageringMultiple: 3, expiresAt: days(3), eligibleGames: { slots: 5000 } }), hours(1)).lot
    expect([a.wageringTarget, b.wageringTarget]).toEqual([2000, 1500])

    const result = applyWagers(
      database,
      [
        // Given out of order: applied in time order. e3 is before B was issued → it goes to A.
        bet('e2', 'P1', 1999, 'slots', hours(3)), // B: floor(1999 × 50%) = 999
        bet('e3', 'P1', 300, 'slots', hours(0.5)), // A (B not issued yet): 300
        bet('e4', 'P1', 2000, 'slots', hours(4)), // B needs 501 of its 1000 → 501, B completes
        bet('e5', 'P1', 700, 'roulette', hours(5)), // A now: floor(700 × 20%) = 140
      ],
      hours(6),
    )
    expect(result.results).toEqual([
      { eventId: 'e2', playerId: 'P1', lotId: b.id, outcome: 'counted', counted: 999 },
      { eventId: 'e3', playerId: 'P1', lotId: a.id, outcome: 'counted', counted: 300 },
      { eventId: 'e4', playerId: 'P1', lotId: b.id, outcome: 'counted', counted: 501 },
      { eventId: 'e5', playerId: 'P1', lotId: a.id, outcome: 'counted', counted: 140 },
    ])
    expect(result.recorded).toBe(4)
    expect(result.completed.map((lot) => [lot.id, lot.status, lot.closedAt])).toEqual([[b.id, 'completed', hours(4)]])
    expect(getLot(database, a.id)).toMatchObject({ wageringProgress: 440, status: 'open' })
    expect(getLot(database, b.id)).toMatchObject({ wageringProgress: 1500, status: 'completed' })
    expect(balances(database, 'P1').BONUS).toBe(1000)
    expect(systemBalance(database, 'conversion', 'BONUS')).toBe(500)
  })

  it('records a bet above the max bet as flagged, counting nothing, and applies each event once ever', () => {
    const database = openWithPlayers('P1')
    const lot = issueBonus(database, bonus('P1', 'L', { maxBet: 200 }), t0).lot
    const first = applyWagers(database, [bet('big', 'P1', 201, 'slots', hours(1)), bet('ok', 'P1', 200, 'slots', hours(1))], hours(2))
    expect(first.flagged).toEqual([{ eventId: 'big', playerId: 'P1', lotId: lot.id, outcome: 'over_max_bet', counted: 0 }])
    expect(first.results[1]).toMatchObject({ outcome: 'counted', counted: 200 })
    expect(database.readRaw('SELECT event_id AS eventId, counted, over_max_bet AS overMaxBet, applied_at AS appliedAt FROM lot_wagers ORDER BY id').all()).toEqual([
      { eventId: 'big', counted: 0, overMaxBet: 1, appliedAt: hours(2) },
      { eventId: 'ok', counted: 200, overMaxBet: 0, appliedAt: hours(2) },
    ])
    // The same events again (and a duplicate inside one batch): nothing more is written.
    const again = applyWagers(database, [bet('ok', 'P1', 200, 'slots', hours(1)), bet('new', 'P1', 50, 'slots', hours(3)), bet('new', 'P1', 50, 'slots', hours(3))], hours(4))
    expect(again.results.map((result) => result.outcome)).toEqual(['already_applied', 'counted', 'already_applied'])
    expect(getLot(database, lot.id).wageringProgress).toBe(250)
    expect(count(database, 'lot_wagers')).toBe(3)
  })

  it('a game type the lot does not list (or lists at 0) is recorded and counts nothing; case and spaces do not matter', () => {
    const database = openWithPlayers('P1')
    const lot = issueBonus(database, bonus('P1', 'L', { eligibleGames: { slots: 10000, blackjack: 0 } }), t0).lot
    const result = applyWagers(
      database,
      [bet('w1', 'P1', 100, 'crash', hours(1)), bet('w2', 'P1', 100, 'blackjack', hours(1)), bet('w3', 'P1', 100, null, hours(1)), bet('w4', 'P1', 100, '  SLOTS', hours(1))],
      hours(2),
    )
    expect(result.results.map((r) => [r.outcome, r.lotId, r.counted])).toEqual([
      ['not_eligible', lot.id, 0],
      ['not_eligible', lot.id, 0],
      ['not_eligible', lot.id, 0],
      ['counted', lot.id, 100],
    ])
    expect(getLot(database, lot.id).wageringProgress).toBe(100)
    expect(count(database, 'lot_wagers')).toBe(4)
  })

  it('bets without an eligible lot are not recorded: before issue, after expiry, unknown player, no lots', () => {
    const database = openWithPlayers('P1', 'P2')
    issueBonus(database, bonus('P1', 'L', { expiresAt: days(1) }), t0)
    const result = applyWagers(
      database,
      [bet('early', 'P1', 10, 'slots', hours(-1)), bet('late', 'P1', 10, 'slots', days(1)), bet('ghost', 'NOBODY', 10, 'slots', hours(1)), bet('p2', 'P2', 10, 'slots', hours(1))],
      days(2),
    )
    expect(result.results.map((r) => r.outcome)).toEqual(['no_open_lot', 'no_open_lot', 'unknown_player', 'no_open_lot'])
    expect(result.recorded).toBe(0)
    expect(count(database, 'lot_wagers')).toBe(0)
  })

  it('completion converts the lot: status, closed_at, a conversion transfer keyed by the lot, and later bets find no lot', () => {
    const database = openWithPlayers('P1')
    const lot = issueBonus(database, bonus('P1', 'L', { amount: 300, wageringMultiple: 1 }), t0).lot
    const result = applyWagers(database, [bet('b1', 'P1', 250, 'slots', hours(1)), bet('b2', 'P1', 900, 'slots', hours(2))], hours(3))
    expect(result.results.map((r) => r.counted)).toEqual([250, 50])
    expect(result.completed).toEqual([{ ...getLot(database, lot.id), transferId: transferByKey(database, 'bonus-lot:L:conversion')!.id }])
    expect(getLot(database, lot.id)).toMatchObject({ status: 'completed', closedAt: hours(2), wageringProgress: 300 })
    expect(transferByKey(database, 'bonus-lot:L:conversion')).toMatchObject({ kind: 'conversion', currency: 'BONUS', amount: 300, lotId: lot.id, createdAt: hours(3) })
    expect(balances(database, 'P1').BONUS).toBe(0)
    expect(systemBalance(database, 'conversion', 'BONUS')).toBe(300)
    expect(applyWagers(database, [bet('b3', 'P1', 10, 'slots', hours(4))], hours(4)).results[0]?.outcome).toBe('no_open_lot')
  })

  it('refuses loudly, writing nothing of the batch, when the BONUS balance no longer covers the lot', () => {
    const database = openWithPlayers('P1')
    const lot = issueBonus(database, bonus('P1', 'L', { amount: 100, wageringMultiple: 1 }), t0).lot
    // Bypass the wallet's guards: BONUS leaves the account without closing the lot.
    postTransfers(database, [{ ...grant('P1', 'BONUS', 40, 'raw'), from: { player: 'P1' }, to: { system: 'adjustment' }, kind: 'adjustment' }], t0)
    const failure = refusal(() => applyWagers(database, [bet('x1', 'P1', 60, 'slots', hours(1)), bet('x2', 'P1', 60, 'slots', hours(2))], hours(3)))
    expect(failure.code).toBe('refused')
    expect(failure.message).toMatch(/BONUS balance is 60, less than the lot's 100.*Nothing of this batch was written/)
    expect(getLot(database, lot.id)).toMatchObject({ status: 'open', wageringProgress: 0 })
    expect(count(database, 'lot_wagers')).toBe(0)
  })

  it('refuses a malformed bet by position and writes nothing', () => {
    const database = openWithPlayers('P1')
    issueBonus(database, bonus('P1', 'L'), t0)
    expect(() => applyWagers(database, [bet('a', 'P1', 10, 'slots', hours(1)), bet('b', 'P1', 0, 'slots', hours(1))], hours(2))).toThrow(/bet 2 \(b\): amount must be a positive whole number/)
    expect(() => applyWagers(database, [bet('', 'P1', 10, 'slots', hours(1))], hours(2))).toThrow(/bet 1: eventId/)
    expect(count(database, 'lot_wagers')).toBe(0)
  })
})

describe('expireLots', () => {
  it('expires lots due as of the given time, moving their amount to expiry; running twice changes nothing', () => {
    const database = openWithPlayers('P1', 'P2')
    const soon = issueBonus(database, bonus('P1', 'soon', { amount: 400, expiresAt: days(2) }), t0).lot
    const later = issueBonus(database, bonus('P1', 'later', { amount: 600, expiresAt: days(5) }), t0).lot
    const never = issueBonus(database, bonus('P2', 'never', { amount: 50 }), t0).lot
    applyWagers(database, [bet('w', 'P1', 120, 'slots', hours(1))], hours(1))

    expect(expireLots(database, hours(47)).expired).toEqual([])
    const first = expireLots(database, days(2))
    expect(first.expired.map((lot) => [lot.id, lot.status, lot.closedAt])).toEqual([[soon.id, 'expired', days(2)]])
    const transfer = transferByKey(database, 'bonus-lot:soon:expiry')
    expect(transfer).toMatchObject({ id: first.expired[0]?.transferId, kind: 'expiry', amount: 400, lotId: soon.id, createdAt: days(2) })
    expect(transfer?.reason).toBe(`Bonus lot ${soon.id} expired at ${days(2)} with 120 of 2000 wagered`)
    expect(expireLots(database, days(2)).expired).toEqual([])
    expect(expireLots(database, days(1)).expired).toEqual([])

    // A bet placed before the expiry but applied after it: the lot is closed; it goes to the next lot.
    expect(applyWagers(database, [bet('late-report', 'P1', 10, 'slots', hours(30))], days(3)).results[0]).toMatchObject({ lotId: later.id })

    expect(expireLots(database, days(30)).expired.map((lot) => lot.id)).toEqual([later.id])
    expect(expireLots(database, days(30)).expired).toEqual([])
    expect(getLot(database, never.id).status).toBe('open')
    expect(balances(database, 'P1').BONUS).toBe(0)
    expect(balances(database, 'P2').BONUS).toBe(50)
    expect(systemBalance(database, 'expiry', 'BONUS')).toBe(1000)
    expect(playerLots(database, 'P1').map((lot) => lot.status)).toEqual(['expired', 'expired'])
  })
})

describe('forfeitLot', () => {
  it('forfeits an open lot with an audit row; again is a no-op; a closed lot is refused; reason and actor are required', () => {
    const database = openWithPlayers('P1')
    const lot = issueBonus(database, bonus('P1', 'L', { amount: 700 }), t0).lot
    expect(() => forfeitLot(database, lot.id, { reason: ' ', actor: 'ops@x' }, hours(1))).toThrow(/needs a reason/)
    expect(() => forfeitLot(database, lot.id, { reason: 'abuse', actor: '' }, hours(1))).toThrow(/needs the operator/)
    expect(() => forfeitLot(database, 999, { reason: 'abuse', actor: 'ops@x' }, hours(1))).toThrow(/no bonus lot 999/)

    const result = forfeitLot(database, lot.id, { reason: 'Bonus abuse confirmed in review', actor: 'ops@x' }, hours(1))
    expect(result).toMatchObject({ alreadyForfeited: false, lot: { status: 'forfeited', closedAt: hours(1) } })
    expect(transferByKey(database, 'bonus-lot:L:forfeit')).toMatchObject({ id: result.transferId, kind: 'forfeit', amount: 700, lotId: lot.id, sourceId: 'ops@x' })
    expect(auditRows(database)).toEqual([
      {
        action: 'bonus_lot.forfeit',
        actor: 'ops@x',
        subject: `lot:${lot.id}`,
        reason: 'Bonus abuse confirmed in review',
        details: { playerId: 'P1', amount: 700, wageringProgress: 0, wageringTarget: 3500, transferId: result.transferId },
        at: hours(1),
      },
    ])
    expect(forfeitLot(database, lot.id, { reason: 'again', actor: 'ops@x' }, hours(2))).toEqual({ ...result, alreadyForfeited: true })
    expect(auditRows(database)).toHaveLength(1)
    expect(systemBalance(database, 'forfeit', 'BONUS')).toBe(700)

    const done = issueBonus(database, bonus('P1', 'M', { wageringMultiple: 0 }), t0).lot
    expect(refusal(() => forfeitLot(database, done.id, { reason: 'x', actor: 'y' }, hours(3))).message).toMatch(/already completed/)
  })

  it('finds the forfeit transfer of a lot forfeited when closing keys were `lot:<id>:forfeit`', () => {
    const database = openWithPlayers('P1')
    const lot = issueBonus(database, bonus('P1', 'L', { amount: 700 }), t0).lot
    // What the earlier build wrote: the transfer keyed by the local lot id, and the lot closed.
    postTransfers(database, [{ ...grant('P1', 'BONUS', 700, `lot:${lot.id}:forfeit`), from: { player: 'P1' }, to: { system: 'forfeit' }, kind: 'forfeit', lotId: lot.id }], hours(1))
    database.write((_tx, statements) => statements.prepare("UPDATE bonus_lots SET status = 'forfeited', closed_at = ? WHERE id = ?").run(hours(1), lot.id))
    expect(forfeitLot(database, lot.id, { reason: 'again', actor: 'ops@x' }, hours(2))).toMatchObject({
      alreadyForfeited: true,
      transferId: transferByKey(database, `lot:${lot.id}:forfeit`)!.id,
    })
  })
})

describe('lot closing keys', () => {
  it('derive from the lot\'s issue key, not its local id: the same lot closes with the same key in any database', () => {
    const keysOf = (database: LedgerDatabase) =>
      (database.readRaw("SELECT idempotency_key AS key FROM ledger_transfers WHERE kind IN ('conversion', 'expiry', 'forfeit') ORDER BY idempotency_key").all() as { key: string }[]).map((row) => row.key)
    const first = openWithPlayers('P1')
    const second = openWithPlayers('P1')
    // The second database has another lot first, so the same bonuses get other local ids there.
    issueBonus(second, bonus('P1', 'other'), t0)
    const lots = [first, second].map((database) => ({
      done: issueBonus(database, bonus('P1', 'reward:R1:v1:P1:2026-03', { wageringMultiple: 0 }), t0).lot,
      due: issueBonus(database, bonus('P1', 'reward:R2:v1:P1:2026-03', { expiresAt: days(1) }), t0).lot,
      gone: issueBonus(database, bonus('P1', 'reward:R3:v1:P1:2026-03'), t0).lot,
    }))
    expect(lots[0]!.due.id).not.toBe(lots[1]!.due.id)
    for (const [index, database] of [first, second].entries()) {
      expireLots(database, days(2))
      forfeitLot(database, lots[index]!.gone.id, { reason: 'abuse', actor: 'ops@x' }, days(2))
      expireLots(database, days(3)) // a re-run: nothing more
    }
    const expected = ['bonus-lot:reward:R1:v1:P1:2026-03:conversion', 'bonus-lot:reward:R2:v1:P1:2026-03:expiry', 'bonus-lot:reward:R3:v1:P1:2026-03:forfeit']
    expect(keysOf(first)).toEqual(expected)
    expect(keysOf(second)).toEqual(expected)
    expect(lotClosingKey('k', 'expiry')).toBe('bonus-lot:k:expiry')
  })

  it('hash an issue key too long to carry a suffix, so the key stays within 200 characters', () => {
    const database = openWithPlayers('P1')
    const long = `reward:${'x'.repeat(190)}`
    const { lot } = issueBonus(database, bonus('P1', long, { expiresAt: days(1) }), t0)
    const [expired] = expireLots(database, days(1)).expired
    const key = lotClosingKey(long, 'expiry')
    expect(key).toMatch(/^bonus-lot:sha256:[0-9a-f]{64}:expiry$/)
    expect(transferByKey(database, key)).toMatchObject({ id: expired?.transferId, lotId: lot.id, amount: 1000 })
  })
})

describe('redeemRewardPoints', () => {
  it('redeems RP for BONUS in one transaction, idempotently', () => {
    const database = openWithPlayers('P1')
    postTransfers(database, [grant('P1', 'RP', 1000, 'rp')], t0)
    const result = redeemRewardPoints(database, { idempotencyKey: 'redeem:1', playerId: 'P1', points: 301, rate: 2.5 }, hours(1))
    // 301 × 2.5 = 752.5 → 753.
    expect(result).toMatchObject({ points: 301, bonus: 753, alreadyRedeemed: false })
    expect(balances(database, 'P1')).toMatchObject({ RP: 699, BONUS: 753 })
    expect(transferByKey(database, 'redeem:1:rp')).toMatchObject({ id: result.transferIds[0], kind: 'redemption', currency: 'RP', amount: 301 })
    expect(transferByKey(database, 'redeem:1:bonus')).toMatchObject({ id: result.transferIds[1], kind: 'redemption', currency: 'BONUS', amount: 753 })
    expect(systemBalance(database, 'redemption', 'RP')).toBe(301)
    expect(systemBalance(database, 'conversion', 'BONUS')).toBe(-753)
    expect(redeemRewardPoints(database, { idempotencyKey: 'redeem:1', playerId: 'P1', points: 301, rate: 2.5 }, hours(2))).toEqual({ ...result, alreadyRedeemed: true })
    expect(() => redeemRewardPoints(database, { idempotencyKey: 'redeem:1', playerId: 'P1', points: 301, rate: 3 }, hours(2))).toThrow(LedgerConflict)
    expect(balances(database, 'P1')).toMatchObject({ RP: 699, BONUS: 753 })
  })

  it('refuses when the player lacks the points or the value rounds to 0, leaving nothing written', () => {
    const database = openWithPlayers('P1')
    postTransfers(database, [grant('P1', 'RP', 100, 'rp')], t0)
    const before = verifyLedger(database).transfers
    const failure = refusal(() => redeemRewardPoints(database, { idempotencyKey: 'r1', playerId: 'P1', points: 101, rate: 1 }, hours(1)))
    expect(failure.code).toBe('refused')
    expect(failure.message).toBe('Player P1 has 100 RP, fewer than the 101 to redeem. Nothing was written.')
    expect(refusal(() => redeemRewardPoints(database, { idempotencyKey: 'r2', playerId: 'P1', points: 1, rate: 0.49 }, hours(1))).message).toMatch(/worth 0 BONUS/)
    expect(refusal(() => redeemRewardPoints(database, { idempotencyKey: 'r3', playerId: 'NOBODY', points: 1, rate: 1 }, hours(1))).code).toBe('not_found')
    expect(verifyLedger(database).transfers).toBe(before)
    expect(balances(database, 'P1')).toMatchObject({ RP: 100, BONUS: 0 })
    expect(database.readRaw("SELECT count(*) AS n FROM ledger_accounts WHERE system_name IN ('redemption', 'conversion')").get()).toEqual({ n: 0 })
    // 1 point at 0.5 is worth 1 after rounding (half away from zero).
    expect(redeemRewardPoints(database, { idempotencyKey: 'r4', playerId: 'P1', points: 1, rate: 0.5 }, hours(1)).bonus).toBe(1)
  })
})

describe('consumeTickets', () => {
  it('spends tickets, refuses an overspend', () => {
    const database = openWithPlayers('P1')
    postTransfers(database, [grant('P1', 'TICKETS', 5, 'tix')], t0)
    const spent = consumeTickets(database, { idempotencyKey: 'entry:T1:P1', playerId: 'P1', tickets: 3, reason: 'Tournament T1 entry' }, hours(1))
    expect(spent.alreadyPosted).toBe(false)
    expect(consumeTickets(database, { idempotencyKey: 'entry:T1:P1', playerId: 'P1', tickets: 3, reason: 'Tournament T1 entry' }, hours(1))).toEqual({ ...spent, alreadyPosted: true })
    expect(() => consumeTickets(database, { idempotencyKey: 'entry:T2:P1', playerId: 'P1', tickets: 3, reason: 'T2' }, hours(2))).toThrow(/has 2 TICKETS, fewer than the 3 to spend/)
    expect(balances(database, 'P1').TICKETS).toBe(2)
    expect(systemBalance(database, 'redemption', 'TICKETS')).toBe(3)
  })
})

describe('adjust', () => {
  it('credits and debits with an audit row each, idempotent by action id', () => {
    const database = openWithPlayers('P1')
    const credit = adjust(database, { actionId: 'A-1', playerId: 'P1', currency: 'RP', amount: 250, reason: 'Missing March points', actor: 'ops@x' }, hours(1))
    const debit = adjust(database, { actionId: 'A-2', playerId: 'P1', currency: 'RP', amount: -50, reason: 'Double credit', actor: 'ops@x' }, hours(2))
    expect(adjust(database, { actionId: 'A-1', playerId: 'P1', currency: 'RP', amount: 250, reason: 'Missing March points', actor: 'ops@x' }, hours(3))).toEqual({ ...credit, alreadyPosted: true })
    expect(() => adjust(database, { actionId: 'A-1', playerId: 'P1', currency: 'RP', amount: -250, reason: 'flip', actor: 'ops@x' }, hours(3))).toThrow(LedgerConflict)
    expect(balances(database, 'P1').RP).toBe(200)
    expect(systemBalance(database, 'adjustment', 'RP')).toBe(-200)
    expect(transferByKey(database, 'adjust:A-2')).toMatchObject({ id: debit.transferId, kind: 'adjustment', amount: 50 })
    expect(auditRows(database)).toEqual([
      { action: 'ledger.adjust', actor: 'ops@x', subject: 'player:P1', reason: 'Missing March points', details: { actionId: 'A-1', currency: 'RP', amount: 250, transferId: credit.transferId }, at: hours(1) },
      { action: 'ledger.adjust', actor: 'ops@x', subject: 'player:P1', reason: 'Double credit', details: { actionId: 'A-2', currency: 'RP', amount: -50, transferId: debit.transferId }, at: hours(2) },
    ])
  })

  it('refuses an adjustment without a reason or an actor, a zero amount, an overdraw and BONUS held by open lots', () => {
    const database = openWithPlayers('P1')
    const base = { actionId: 'A-1', playerId: 'P1', currency: 'RP' as const, amount: 10, reason: 'why', actor: 'ops@x' }
    const noReason = refusal(() => adjust(database, { ...base, reason: '   ' }, hours(1)))
    expect(noReason).toMatchObject({ code: 'invalid_input', message: 'An adjustment needs a reason: say what is being corrected and why.' })
    expect(refusal(() => adjust(database, { ...base, actor: '' }, hours(1))).message).toBe('An adjustment needs the operator (actor) who makes it.')
    expect(() => adjust(database, { ...base, amount: 0 }, hours(1))).toThrow(/non-zero whole number/)
    expect(() => adjust(database, { ...base, amount: -1 }, hours(1))).toThrow(/has 0 RP, fewer than the 1 this adjustment takes away/)
    expect(() => adjust(database, { ...base, currency: 'GOLD' as 'RP' }, hours(1))).toThrow(/currency must be one of/)

    issueBonus(database, bonus('P1', 'L', { amount: 100 }), t0)
    adjust(database, { ...base, actionId: 'A-2', currency: 'BONUS', amount: 30 }, hours(1))
    expect(refusal(() => adjust(database, { ...base, actionId: 'A-3', currency: 'BONUS', amount: -31 }, hours(2))).message).toMatch(/less than the 100 held in their open bonus lots/)
    adjust(database, { ...base, actionId: 'A-4', currency: 'BONUS', amount: -30 }, hours(2))
    expect(balances(database, 'P1').BONUS).toBe(100)
    expect(auditRows(database).map((row) => row.details)).toEqual([
      { actionId: 'A-2', currency: 'BONUS', amount: 30, transferId: expect.any(Number) as number },
      { actionId: 'A-4', currency: 'BONUS', amount: -30, transferId: expect.any(Number) as number },
    ])
  })
})

describe('reverseTransfer', () => {
  it('posts the opposite transfer once; reversing again is a no-op; a reversal is not reversed', () => {
    const database = openWithPlayers('P1')
    postTransfers(database, [grant('P1', 'RP', 80, 'rp:1')], t0)
    const original = transferByKey(database, 'rp:1')!
    const first = reverseTransfer(database, { transferId: original.id, reason: 'Rule misconfigured', actor: 'ops@x' }, hours(1))
    expect(first).toEqual({ reversalTransferId: expect.any(Number) as number, alreadyReversed: false, original: { id: original.id, currency: 'RP', amount: 80, kind: 'reward' } })
    expect(transferByKey(database, `reverse:${original.id}`)).toMatchObject({ id: first.reversalTransferId, kind: 'reversal', amount: 80, reversesTransferId: original.id, reason: 'Rule misconfigured' })
    expect(balances(database, 'P1').RP).toBe(0)
    expect(systemBalance(database, 'issuance', 'RP')).toBe(0)

    expect(reverseTransfer(database, { transferId: original.id, reason: 'again', actor: 'ops@x' }, hours(2))).toEqual({ ...first, alreadyReversed: true })
    expect(refusal(() => reverseTransfer(database, { transferId: first.reversalTransferId, reason: 'undo', actor: 'ops@x' }, hours(2))).message).toMatch(/is itself a reversal/)
    expect(verifyLedger(database).transfers).toBe(2)
    expect(auditRows(database)).toEqual([
      {
        action: 'ledger.reverse',
        actor: 'ops@x',
        subject: `transfer:${original.id}`,
        reason: 'Rule misconfigured',
        details: { id: original.id, currency: 'RP', amount: 80, kind: 'reward', reversalTransferId: first.reversalTransferId },
        at: hours(1),
      },
    ])
  })

  it('refuses what it cannot take back, transfers of bonus lots, unknown ids and a missing reason', () => {
    const database = openWithPlayers('P1')
    postTransfers(database, [grant('P1', 'RP', 80, 'rp:1')], t0)
    const reward = transferByKey(database, 'rp:1')!
    redeemRewardPoints(database, { idempotencyKey: 'red', playerId: 'P1', points: 50, rate: 1 }, hours(1))
    expect(refusal(() => reverseTransfer(database, { transferId: reward.id, reason: 'oops', actor: 'ops@x' }, hours(2))).message).toBe(
      `Player P1 has 30 RP, fewer than the 80 reversing transfer ${reward.id} takes back. Nothing was written.`,
    )
    const lot = issueBonus(database, bonus('P1', 'L', { amount: 10 }), hours(2)).lot
    expect(refusal(() => reverseTransfer(database, { transferId: lot.issueTransferId, reason: 'oops', actor: 'ops@x' }, hours(3))).message).toMatch(/belongs to bonus lot .* Forfeit the lot/)
    // The redemption's BONUS credit (50) is free money, not held by the lot: it can be reversed.
    const bonusLeg = transferByKey(database, 'red:bonus')!
    reverseTransfer(database, { transferId: bonusLeg.id, reason: 'undo redemption', actor: 'ops@x' }, hours(3))
    reverseTransfer(database, { transferId: transferByKey(database, 'red:rp')!.id, reason: 'undo redemption', actor: 'ops@x' }, hours(3))
    expect(balances(database, 'P1')).toMatchObject({ RP: 80, BONUS: 10 })
    // Free BONUS that has already left the account: reversing its credit would eat into the lot.
    const free = adjust(database, { actionId: 'free', playerId: 'P1', currency: 'BONUS', amount: 5, reason: 'goodwill', actor: 'ops@x' }, hours(3))
    adjust(database, { actionId: 'take', playerId: 'P1', currency: 'BONUS', amount: -5, reason: 'goodwill withdrawn', actor: 'ops@x' }, hours(3))
    expect(refusal(() => reverseTransfer(database, { transferId: free.transferId, reason: 'undo', actor: 'ops@x' }, hours(4))).message).toMatch(
      /Reversing transfer \d+ would leave player P1 with 5 BONUS, less than the 10 held in their open bonus lots/,
    )
    expect(() => reverseTransfer(database, { transferId: 9999, reason: 'x', actor: 'y' }, hours(3))).toThrow(/no transfer 9999/)
    expect(() => reverseTransfer(database, { transferId: reward.id, reason: '', actor: 'y' }, hours(3))).toThrow(/needs a reason/)
    expect(auditRows(database)).toHaveLength(4)
  })
})

describe('expireTickets', () => {
  it('expires the oldest unspent tickets first (FIFO), as of the given date; running twice changes nothing', () => {
    const database = openWithPlayers('P1', 'P2')
    postTransfers(database, [grant('P1', 'TICKETS', 10, 't1')], days(1))
    postTransfers(database, [grant('P1', 'TICKETS', 5, 't5')], days(5))
    postTransfers(database, [grant('P2', 'TICKETS', 2, 'p2')], days(1))
    // 12 spent on day 6: all 10 of day 1 and 2 of day 5.
    consumeTickets(database, { idempotencyKey: 'spend', playerId: 'P1', tickets: 12, reason: 'Raffle' }, days(6))

    // As of day 9 with 7 days: credited on or before day 2 → P1's day-1 tickets are all spent; P2's 2 expire.
    const first = expireTickets(database, { asOf: days(9), ticketExpiryDays: 7 })
    expect(first.cutoff).toBe(days(2))
    expect(first.expired).toEqual([{ playerId: 'P2', tickets: 2, transferId: expect.any(Number) as number }])
    expect(expireTickets(database, { asOf: days(9), ticketExpiryDays: 7 }).expired).toEqual([])

    adjust(database, { actionId: 'goodwill', playerId: 'P1', currency: 'TICKETS', amount: 4, reason: 'Goodwill', actor: 'ops@x' }, days(7))
    // As of day 12: cutoff day 5 → the 3 left of day 5 expire; the 4 of day 7 stay.
    const second = expireTickets(database, { asOf: days(12), ticketExpiryDays: 7 })
    expect(second.expired).toEqual([{ playerId: 'P1', tickets: 3, transferId: expect.any(Number) as number }])
    expect(transferByKey(database, 'tickets-expiry:P1:12-15')).toMatchObject({ id: second.expired[0]?.transferId, kind: 'expiry', amount: 3, createdAt: days(12) })
    expect(expireTickets(database, { asOf: days(12), ticketExpiryDays: 7 }).expired).toEqual([])
    expect(balances(database, 'P1').TICKETS).toBe(4)
    expect(expireTickets(database, { asOf: days(14), ticketExpiryDays: 7 }).expired.map((e) => e.tickets)).toEqual([4])
    expect(balances(database, 'P1').TICKETS).toBe(0)
    expect(systemBalance(database, 'expiry', 'TICKETS')).toBe(9)
    expect(() => expireTickets(database, { asOf: days(14), ticketExpiryDays: -1 })).toThrow(/ticketExpiryDays/)
  })
})
