// Model-based property: random sequences of issue / wager (which completes lots) / expire / forfeit /
// redeem / spend / adjust / reverse / ticket expiry against the plain model in ledger-model.ts.
// After every action the players' balances and lots equal the model's, and a refused action wrote
// nothing; after every run the run's transfers are chained and add up to every balance change,
// the books balance, no balance is negative and no lot's progress exceeds its target;
// verifyLedger (the whole database) is ok every `runsPerDatabase` runs and at the end.
//
// Speed: opening and migrating a database per run would dominate, so runs share a database
// (a fresh one every `runsPerDatabase` runs) and each run gets its own players (`r<run>:A`).
// Expiry is global, so each run ends by closing everything it opened (expire all lots at a far
// date, forfeit the lots without expiry, expire all tickets), checked against the model too.
// The databases are in memory (the same migrations, triggers and transactions as a file): a run
// is ~10 commits, and writing each commit's pages to a WAL file doubled the test's time even on
// tmpfs. The ledger on real files is what tests/integration covers.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ApiFailure } from '../../src/shared/api/result'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { applyWagers, expireLots, forfeitLot, issueBonus } from '../../src/main/ledger/lots'
import { players } from '../../src/main/ledger/schema'
import { genesisHash, postWithin, transferHash, type HashedTransfer } from '../../src/main/ledger/transfers'
import { verifyLedger } from '../../src/main/ledger/verify'
import { adjust, consumeTickets, expireTickets, redeemRewardPoints, reverseTransfer } from '../../src/main/ledger/wallet'
import { currencies, LedgerModel, newState, type Action, type Currency, type Outcome } from './ledger-model'

const numRuns = Number(process.env.LEDGER_PROPERTY_RUNS ?? 10_000)
const runsPerDatabase = 1_000
const t0 = Date.parse('2026-03-01T00:00:00.000Z')
const farFuture = t0 + 100 * 365 * 86_400_000
const iso = (time: number) => new Date(time).toISOString()
const games = ['slots', 'Roulette', ' live', 'keno', 'crash'] as const

// ---------------------------------------------------------------------------------------------
// Commands as generated: amounts are mostly fractions of what the model says the player holds, so
// most commands are valid and some overdraw on purpose.

const player = fc.integer({ min: 0, max: 1 })
// Times move on a 30-minute grid so that bets, expiries and expiry runs often fall on the same instant.
const slot = 30
const advance = fc.integer({ min: 0, max: 24 }).map((slots) => slots * slot)
/** Percent of a balance: mostly within it, sometimes above it. */
const share = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.integer({ min: 101, max: 200 }) })
/** Max bets come from a short list, and bets often equal one of them, so the boundary is exercised. */
const maxBets = [100, 250, 500, 1000, 2500] as const
const betAmount = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 3, arbitrary: fc.integer({ min: 300, max: 6000 }) },
  { weight: 1, arbitrary: fc.constantFrom(...maxBets) },
)
const basisPoints = fc.constantFrom(10_000, 5_000, 2_000, 0)

const issue = fc.record({
  type: fc.constant('issue' as const),
  advance,
  player,
  amount: fc.integer({ min: 1, max: 2000 }),
  multiple: fc.constantFrom(0, 0.5, 1, 1.5, 2, 3, 10),
  maxBet: fc.option(fc.constantFrom(...maxBets), { nil: null, freq: 2 }),
  games: fc.record({ slots: basisPoints, ROULETTE: basisPoints, live: basisPoints }, { requiredKeys: [] }),
  expiresIn: fc.option(fc.integer({ min: 1, max: 120 }).map((slots) => slots * slot), { nil: null }),
})

const command = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('grant' as const), advance, player, currency: fc.constantFrom<Currency>('RP', 'TICKETS', 'LP'), amount: fc.integer({ min: 1, max: 500 }) }) },
  { weight: 4, arbitrary: issue },
  {
    weight: 7,
    arbitrary: fc.record({
      type: fc.constant('wager' as const),
      advance,
      bets: fc.array(
        fc.record({
          player,
          amount: betAmount,
          game: fc.option(fc.constantFrom(...games), { nil: null, freq: 8 }),
          minutesAgo: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }).map((slots) => slots * slot) }),
          reuse: fc.option(fc.nat(), { nil: null, freq: 2 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('expireLots' as const), advance }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('forfeit' as const), advance, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('redeem' as const), advance, player, share, rate: fc.constantFrom(0.01, 0.5, 1, 2.5, 7) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('consume' as const), advance, player, share }) },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('adjust' as const), advance, player, currency: fc.constantFrom(...currencies), credit: fc.boolean(), amount: fc.integer({ min: 1, max: 500 }), share }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('reverse' as const), advance, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('expireTickets' as const), advance, days: fc.constantFrom(0, 1, 2) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('repeat' as const) }) },
)
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never
/** Each run starts with some points, tickets and bonuses, so most later commands have something to act on. */
const prologue = fc.tuple(
  fc.array(fc.record({ type: fc.constant('grant' as const), advance: fc.constant(0), player, currency: fc.constantFrom<Currency>('RP', 'TICKETS'), amount: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 2 }),
  fc.array(issue, { minLength: 1, maxLength: 2 }),
)
const commandSequence = fc.tuple(prologue, fc.array(command, { minLength: 1, maxLength: 8 })).map(([[grants, issues], rest]): Command[] => [...grants, ...issues, ...rest])

/** Turns a generated command into a concrete action against the model's current state. */
function resolve(command: Command, model: LedgerModel, ids: string[], ns: string, step: number, now: number, previous: Action | null, pastEvents: string[]): Action | null {
  const who = (index: number) => ids[index]!
  const holding = (index: number, currency: Currency) => model.state.balances[who(index)]![currency]
  const part = (total: number, percent: number) => Math.max(1, Math.floor((total * percent) / 100))
  switch (command.type) {
    case 'repeat':
      return previous
    case 'grant':
      return { type: 'grant', key: `${ns}:grant:${step}`, player: who(command.player), currency: command.currency, amount: command.amount, at: now }
    case 'issue': {
      const eligible: Record<string, number> = { ...command.games }
      if (!Object.values(eligible).some((value) => value > 0)) eligible.slots = 10_000
      return {
        type: 'issue',
        key: `${ns}:issue:${step}`,
        player: who(command.player),
        amount: command.amount,
        multiple: command.multiple,
        maxBet: command.maxBet,
        games: eligible,
        expiresAt: command.expiresIn === null ? null : now + command.expiresIn * 60_000,
        at: now,
      }
    }
    case 'wager': {
      // Reused event ids include bets that found no lot and were not recorded: those may count later.
      const bets = command.bets.map((bet, index) => ({
        eventId: bet.reuse !== null && pastEvents.length > 0 ? pastEvents[bet.reuse % pastEvents.length]! : `${ns}:bet:${step}:${index}`,
        player: who(bet.player),
        amount: bet.amount,
        game: bet.game,
        at: now - bet.minutesAgo * 60_000,
      }))
      pastEvents.push(...bets.map((bet) => bet.eventId))
      return { type: 'wager', at: now, bets }
    }
    case 'expireLots':
      return { type: 'expireLots', at: now }
    case 'forfeit': {
      const lots = model.state.lots
      return lots.length === 0 ? null : { type: 'forfeit', lotId: lots[command.pick % lots.length]!.id, at: now }
    }
    case 'redeem':
      return { type: 'redeem', key: `${ns}:redeem:${step}`, player: who(command.player), points: part(holding(command.player, 'RP'), command.share), rate: command.rate, at: now }
    case 'consume':
      return { type: 'consume', key: `${ns}:spend:${step}`, player: who(command.player), tickets: part(holding(command.player, 'TICKETS'), command.share), at: now }
    case 'adjust': {
      const amount = command.credit ? command.amount : -part(holding(command.player, command.currency), command.share)
      return { type: 'adjust', actionId: `${ns}:${step}`, player: who(command.player), currency: command.currency, amount, at: now }
    }
    case 'reverse': {
      const transfers = model.state.transfers
      return transfers.length === 0 ? null : { type: 'reverse', transferId: transfers[command.pick % transfers.length]!.id, at: now }
    }
    case 'expireTickets':
      return { type: 'expireTickets', days: command.days, at: now }
  }
}

// ---------------------------------------------------------------------------------------------
// The same actions against the ledger, mapped onto the model's outcome shape.

function perform(database: LedgerDatabase, action: Action): Outcome {
  const at = iso(action.at)
  try {
    switch (action.type) {
      case 'grant': {
        const { transferIds } = database.write((_tx, statements) =>
          postWithin(statements, [{ idempotencyKey: action.key, from: { system: 'issuance' }, to: { player: action.player }, currency: action.currency, amount: action.amount, kind: 'reward', reason: 'grant', sourceType: 'rule_version', sourceId: 'R:v1' }], at),
        )
        return { type: 'grant', transferId: transferIds[0]! }
      }
      case 'issue': {
        const result = issueBonus(
          database,
          {
            idempotencyKey: action.key,
            playerId: action.player,
            amount: action.amount,
            wageringMultiple: action.multiple,
            maxBet: action.maxBet,
            eligibleGames: action.games,
            expiresAt: action.expiresAt === null ? null : iso(action.expiresAt),
            reason: 'bonus',
            sourceType: 'rule_version',
            sourceId: 'B:v1',
          },
          at,
        )
        return { type: 'issue', lotId: result.lot.id, alreadyIssued: result.alreadyIssued, completedTransferId: result.completed?.transferId ?? null }
      }
      case 'wager': {
        const result = applyWagers(database, action.bets.map((bet) => ({ eventId: bet.eventId, playerId: bet.player, amount: bet.amount, gameType: bet.game, at: iso(bet.at) })), at)
        return {
          type: 'wager',
          results: result.results.map(({ eventId, lotId, outcome, counted }) => ({ eventId, lotId, outcome: outcome as Exclude<typeof outcome, 'unknown_player'>, counted })),
          completed: result.completed.map((lot) => [lot.id, lot.transferId]),
          flagged: result.flagged.map((flagged) => flagged.eventId),
        }
      }
      case 'expireLots':
        return { type: 'expireLots', expired: expireLots(database, at).expired.map((lot) => [lot.id, lot.transferId]) }
      case 'forfeit': {
        const result = forfeitLot(database, action.lotId, { reason: 'property', actor: 'model' }, at)
        return { type: 'forfeit', transferId: result.transferId, alreadyForfeited: result.alreadyForfeited }
      }
      case 'redeem': {
        const result = redeemRewardPoints(database, { idempotencyKey: action.key, playerId: action.player, points: action.points, rate: action.rate }, at)
        return { type: 'redeem', bonus: result.bonus, transferIds: result.transferIds, alreadyRedeemed: result.alreadyRedeemed }
      }
      case 'consume':
        return { type: 'consume', ...consumeTickets(database, { idempotencyKey: action.key, playerId: action.player, tickets: action.tickets, reason: 'entry' }, at) }
      case 'adjust':
        return { type: 'adjust', ...adjust(database, { actionId: action.actionId, playerId: action.player, currency: action.currency, amount: action.amount, reason: 'property', actor: 'model' }, at) }
      case 'reverse': {
        const result = reverseTransfer(database, { transferId: action.transferId, reason: 'property', actor: 'model' }, at)
        return { type: 'reverse', reversalTransferId: result.reversalTransferId, alreadyReversed: result.alreadyReversed }
      }
      case 'expireTickets': {
        const result = expireTickets(database, { asOf: at, ticketExpiryDays: action.days })
        return { type: 'expireTickets', expired: result.expired.map((entry): [string, number, number] => [entry.playerId, entry.tickets, entry.transferId]).sort((a, b) => (a[0] < b[0] ? -1 : 1)) }
      }
    }
  } catch (error) {
    if (error instanceof ApiFailure && error.code === 'refused') return { refused: true }
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the ledger back

const scalar = (database: LedgerDatabase, sql: string, ...parameters: unknown[]) => (database.readRaw(sql).get(...parameters) as { value: number | null } | undefined)?.value ?? 0

function balancesOf(database: LedgerDatabase, ids: string[]): Record<string, Record<Currency, number>> {
  const balances = Object.fromEntries(ids.map((id) => [id, { LP: 0, RP: 0, BONUS: 0, TICKETS: 0 }])) as Record<string, Record<Currency, number>>
  const rows = database
    .readRaw('SELECT p.external_id AS player, a.currency, a.balance FROM ledger_accounts a JOIN players p ON p.id = a.player_id WHERE p.external_id IN (?, ?)')
    .all(...ids) as { player: string; currency: Currency; balance: number }[]
  for (const row of rows) balances[row.player]![row.currency] = row.balance
  return balances
}

function lotsOf(database: LedgerDatabase, ids: string[]) {
  const rows = database
    .readRaw(
      `SELECT l.id, t.idempotency_key AS key, p.external_id AS player, l.amount, l.wagering_target AS target, l.wagering_progress AS progress, l.max_bet AS maxBet, l.contributions,
              l.expires_at AS expiresAt, l.status, l.closed_at AS closedAt, t.created_at AS issuedAt
       FROM bonus_lots l JOIN players p ON p.id = l.player_id JOIN ledger_transfers t ON t.id = l.issue_transfer_id WHERE p.external_id IN (?, ?) ORDER BY l.id`,
    )
    .all(...ids) as { contributions: string; expiresAt: string | null; closedAt: string | null; issuedAt: string }[]
  return rows.map((lot) => ({
    ...lot,
    contributions: JSON.parse(lot.contributions) as Record<string, number>,
    expiresAt: lot.expiresAt === null ? null : Date.parse(lot.expiresAt),
    closedAt: lot.closedAt === null ? null : Date.parse(lot.closedAt),
    issuedAt: Date.parse(lot.issuedAt),
  }))
}

/** expect(…).toEqual, with a cheap strict comparison first: the matcher runs (for its diff) only on a mismatch. */
function expectEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, message).toEqual(expected)
}

const lotActions = new Set<Action['type']>(['issue', 'wager', 'expireLots', 'forfeit'])

/** The players' balances (after every action) and lots (after actions that can touch lots) equal the model's. */
function expectMatchesModel(database: LedgerDatabase, model: LedgerModel, ids: string[], action: Action): void {
  expectEqual(balancesOf(database, ids), model.state.balances, 'balances')
  if (lotActions.has(action.type)) expectEqual(lotsOf(database, ids), model.state.lots, 'lots')
  for (const id of ids) for (const currency of currencies) if (model.state.balances[id]![currency] < 0) expect.fail(`model balance of ${id} ${currency} is negative`)
}

interface Counters {
  transfer: number
  wager: number
  sequence: number
}
const countersSql = `SELECT (SELECT MAX(id) FROM ledger_transfers) AS transfer, (SELECT MAX(id) FROM lot_wagers) AS wager,
  (SELECT seq FROM sqlite_sequence WHERE name = 'ledger_transfers') AS sequence`
function counters(database: LedgerDatabase): Counters {
  const row = database.readRaw(countersSql).get() as { transfer: number | null; wager: number | null; sequence: number | null }
  return { transfer: row.transfer ?? 0, wager: row.wager ?? 0, sequence: row.sequence ?? 0 }
}

interface Watermarks {
  transfer: number
  lot: number
  audit: number
  wagers: number
  system: Map<number, number>
}

function watermarks(database: LedgerDatabase): Watermarks {
  const system = database.readRaw('SELECT id, balance FROM ledger_accounts WHERE system_name IS NOT NULL').all() as { id: number; balance: number }[]
  return {
    transfer: scalar(database, 'SELECT MAX(id) AS value FROM ledger_transfers'),
    lot: scalar(database, "SELECT seq AS value FROM sqlite_sequence WHERE name = 'bonus_lots'"),
    audit: scalar(database, 'SELECT MAX(id) AS value FROM audit_log'),
    wagers: scalar(database, 'SELECT MAX(id) AS value FROM lot_wagers'),
    system: new Map(system.map((account) => [account.id, account.balance])),
  }
}

/**
 * verifyLedger for one run's slice: the run's transfers continue the hash chain and each hashes
 * to itself, they add up to every balance change of the accounts they touch (only the run's
 * players and system accounts), the changes balance per currency, and lots are within bounds
 * with their recorded wagers adding up to their progress.
 */
function verifyRun(database: LedgerDatabase, before: Watermarks, ids: string[], model: LedgerModel): void {
  const problems: string[] = []
  const check = (holds: boolean, problem: () => string) => {
    if (!holds) problems.push(problem())
  }
  let previousHash = before.transfer === 0 ? genesisHash : (database.readRaw('SELECT hash FROM ledger_transfers WHERE id = ?').get(before.transfer) as { hash: string }).hash
  const rows = database
    .readRaw(
      `SELECT id, idempotency_key AS idempotencyKey, debit_account_id AS debitAccountId, credit_account_id AS creditAccountId, currency, amount, kind, reason,
              source_type AS sourceType, source_id AS sourceId, lot_id AS lotId, reverses_transfer_id AS reversesTransferId, created_at AS createdAt, hash
       FROM ledger_transfers WHERE id > ? ORDER BY id`,
    )
    .all(before.transfer) as (HashedTransfer & { id: number; hash: string })[]
  expectEqual(
    rows.map((row) => row.id),
    model.state.transfers.map((transfer) => transfer.id),
    'the run posted exactly the model\'s transfers',
  )
  // Lot transfers (issue and close) carry the model's keys: a closing key derives from the issue key.
  expectEqual(
    rows.filter((row) => row.lotId !== null).map((row) => row.idempotencyKey),
    model.state.transfers.filter((transfer) => transfer.lotId !== null).map((transfer) => transfer.key),
    'the keys of the run\'s lot transfers',
  )
  const moved = new Map<number, number>()
  for (const row of rows) {
    check(transferHash(previousHash, row) === row.hash, () => `transfer ${row.id} breaks the hash chain`)
    previousHash = row.hash
    check(Number.isSafeInteger(row.amount) && row.amount > 0, () => `transfer ${row.id} has amount ${row.amount}`)
    moved.set(row.debitAccountId, (moved.get(row.debitAccountId) ?? 0) - row.amount)
    moved.set(row.creditAccountId, (moved.get(row.creditAccountId) ?? 0) + row.amount)
  }
  const accounts = [
    ...(database.readRaw('SELECT id, currency, balance, 1 AS system FROM ledger_accounts WHERE system_name IS NOT NULL').all() as { id: number; currency: Currency; balance: number; system: number }[]),
    ...(database
      .readRaw('SELECT a.id, a.currency, a.balance, 0 AS system FROM ledger_accounts a WHERE a.player_id IN (SELECT id FROM players WHERE external_id IN (?, ?))')
      .all(...ids) as { id: number; currency: Currency; balance: number; system: number }[]),
  ]
  const change: Record<Currency, number> = { LP: 0, RP: 0, BONUS: 0, TICKETS: 0 }
  for (const account of accounts) {
    const delta = account.balance - (account.system ? (before.system.get(account.id) ?? 0) : 0)
    check(delta === (moved.get(account.id) ?? 0), () => `account ${account.id} changed by ${delta} but its transfers add up to ${moved.get(account.id) ?? 0}`)
    check(account.system === 1 || account.balance >= 0, () => `player account ${account.id} is negative (${account.balance})`)
    change[account.currency] += delta
    moved.delete(account.id)
  }
  check(moved.size === 0, () => `transfers touched accounts outside the run: ${[...moved.keys()].join(', ')}`)
  for (const currency of currencies) check(change[currency] === 0, () => `the ${currency} books moved by ${change[currency]}`)
  const audits = scalar(database, 'SELECT COUNT(*) AS value FROM audit_log WHERE id > ?', before.audit)
  check(audits === model.state.audit, () => `${audits} audit rows, the model expects ${model.state.audit}`)
  const lots = database
    .readRaw(
      `SELECT l.id, l.wagering_progress AS progress, l.wagering_target AS target, COALESCE(SUM(w.counted), 0) AS counted
       FROM bonus_lots l LEFT JOIN lot_wagers w ON w.lot_id = l.id WHERE l.id > ? GROUP BY l.id`,
    )
    .all(before.lot) as { id: number; progress: number; target: number; counted: number }[]
  for (const lot of lots) {
    check(lot.progress >= 0 && lot.progress <= lot.target, () => `lot ${lot.id} progress ${lot.progress} is outside 0…${lot.target}`)
    check(lot.counted === lot.progress, () => `lot ${lot.id} progress ${lot.progress} but its wagers count ${lot.counted}`)
  }
  check(lots.length === model.state.lots.length, () => `${lots.length} lots, the model has ${model.state.lots.length}`)
  expect(problems).toEqual([])
}

// ---------------------------------------------------------------------------------------------

describe('ledger against an in-memory model', () => {
  it(`agrees with the model over ${numRuns} random command sequences`, () => {
    let database: LedgerDatabase | null = null
    let run = 0 // runs executed, shrinking included
    const seen = new Map<string, number>()
    const note = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1)
    let dirty = false
    const fresh = () => {
      if (database) {
        const previous: LedgerDatabase = database
        database = null
        if (!dirty) expect(verifyLedger(previous)).toMatchObject({ ok: true, findings: [] })
        previous.close()
      }
      database = LedgerDatabase.open({ path: ':memory:' })
      playersUpTo = run
      return database
    }
    /** Players for the next runs are inserted in one write, not one per run. */
    let playersUpTo = 0
    const playersFor = (db: LedgerDatabase, runNumber: number) => {
      if (runNumber <= playersUpTo) return
      const from = playersUpTo + 1
      playersUpTo = runNumber + runsPerDatabase
      db.write((tx) => {
        for (let number = from; number <= playersUpTo; number += 1) {
          for (const suffix of ['A', 'B']) tx.insert(players).values({ externalId: `r${number}:${suffix}`, firstSeenAt: iso(t0), updatedAt: iso(t0) }).run()
        }
      })
    }

    try {
      fc.assert(
        fc.property(commandSequence, (commands) => {
          // After a failure, start over on a fresh database so that shrinking sees clean runs.
          const db: LedgerDatabase = dirty || run % runsPerDatabase === 0 || !database ? fresh() : database
          dirty = true
          run += 1
          const ns = `r${run}`
          const ids = [`${ns}:A`, `${ns}:B`]
          playersFor(db, run)
          const before = watermarks(db)
          const model = new LedgerModel(newState(ids, before.transfer + 1, before.lot + 1))
          let now = t0
          let previous: Action | null = null
          const pastEvents: string[] = []
          const unmatched = new Set<string>()
          const step = (action: Action) => {
            const last = counters(db)
            // Transfer ids come from SQLite's AUTOINCREMENT sequence, which also advances when an
            // already-posted key is offered again (INSERT … ON CONFLICT DO NOTHING): the model
            // takes the next id from the sequence instead of guessing that detail.
            model.state.nextTransferId = last.sequence + 1
            const expected = model.apply(action)
            const actual = perform(db, action)
            expectEqual(actual, expected, `${action.type} ${JSON.stringify(action)}`)
            if ('refused' in actual) {
              note(`refused ${action.type}`)
              expectEqual(counters(db), last, 'a refused action wrote nothing')
            } else {
              note(action.type)
              if (actual.type === 'wager') {
                for (const result of actual.results) {
                  note(`bet ${result.outcome}`)
                  if (result.lotId !== null && unmatched.has(result.eventId)) note('bet recorded after an earlier attempt found no lot')
                  if (result.outcome === 'no_open_lot') unmatched.add(result.eventId)
                }
                if (actual.completed.length > 0) note('lot completed by wagers')
              }
              if (actual.type === 'expireLots' && actual.expired.length > 0) note('lots expired')
              if (actual.type === 'expireTickets' && actual.expired.length > 0) note('tickets expired')
              if (actual.type === 'reverse' && actual.alreadyReversed) note('reversed again')
              if (actual.type === 'issue' && actual.alreadyIssued) note('issued again')
            }
            expectMatchesModel(db, model, ids, action)
          }

          commands.forEach((generated, index) => {
            if (generated.type !== 'repeat') now += generated.advance * 60_000
            const action = resolve(generated, model, ids, ns, index, now, previous, pastEvents)
            if (action === null) return
            step(action)
            previous = action
          })
          // Close everything this run opened, so the next run's (global) expiry sees only its own.
          if (model.state.lots.some((lot) => lot.status === 'open' && lot.expiresAt !== null)) step({ type: 'expireLots', at: farFuture })
          for (const lot of model.state.lots.filter((candidate) => candidate.status === 'open')) step({ type: 'forfeit', lotId: lot.id, at: farFuture })
          if (ids.some((id) => model.state.balances[id]!.TICKETS > 0)) step({ type: 'expireTickets', days: 0, at: farFuture })
          expectEqual(lotsOf(db, ids), model.state.lots, 'lots after the close-out')
          if (model.state.lots.some((lot) => lot.status === 'open') || ids.some((id) => model.state.balances[id]!.TICKETS > 0)) expect.fail('the close-out left lots open or tickets held')
          verifyRun(db, before, ids, model)
          dirty = false
        }),
        { numRuns },
      )
      if (database) expect(verifyLedger(database)).toMatchObject({ ok: true, findings: [] })
    } finally {
      ;(database as LedgerDatabase | null)?.close()
    }

    expect(run).toBeGreaterThanOrEqual(numRuns)
    // The generator must keep reaching every path, not just the easy ones.
    const required = [
      'issue', 'issued again', 'lot completed by wagers', 'lots expired', 'forfeit', 'redeem', 'refused redeem', 'consume', 'refused consume',
      'adjust', 'refused adjust', 'reverse', 'refused reverse', 'reversed again', 'tickets expired', 'bet counted', 'bet not_eligible',
      'bet over_max_bet', 'bet already_applied', 'bet no_open_lot', 'refused forfeit',
    ]
    if (numRuns >= 1_000) expect(required.filter((what) => !seen.has(what))).toEqual([])
    if (process.env.LEDGER_PROPERTY_STATS) console.log(Object.fromEntries([...seen].sort()))
  }, 300_000)
})
