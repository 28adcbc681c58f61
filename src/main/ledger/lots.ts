// Bonus lots: every BONUS credit is a lot with its own wagering target, max bet, eligible games and
// expiry. A lot is opened by its issuing transfer, progresses as bets are applied to it, and closes
// exactly once — completed (its amount converts to withdrawable value), expired or forfeited — with
// the transfer that moves its amount out of the player's BONUS account posted in the same
// transaction as the status change. Only transfers are append-only; lot rows are updated in place.
//
// Rules (each one a decision an operator can read here):
// - Rounding: wagering_target = roundToInteger(wageringMultiple × amount), the project's one rule
//   (snap to 1e-6, half away from zero). A multiple of 0 makes a lot that completes at issue.
// - Contributions are basis points per game type (0–10000). There is no silent default: a game type
//   the lot does not list contributes 0, and a map with no contributing game type is refused.
//   Game types are compared trimmed and lower-cased ("Slots " = "slots").
// - A bet counts toward exactly one lot: the player's open lot that was issued at or before the
//   bet and has not expired at the bet's time (expires_at > bet time), the one expiring earliest
//   (lots without expiry last; ties: lowest lot id). It counts toward that lot even when that lot
//   gives its game type nothing — it does not fall through to a later lot.
// - counted = floor(amount × contribution / 10000), capped at what the lot still needs. A bet above
//   the lot's max bet counts 0 and is recorded with over_max_bet (returned as flagged). A bet whose
//   game type contributes 0 is recorded too, with counted 0: every bet that reached a lot is in
//   lot_wagers, so a re-run is a no-op and reports can show the bets that did not count.
// - A bet with no eligible lot is not recorded (lot_wagers needs a lot) and is returned as unmatched.
// - Bets of a batch are applied in time order (ties: input order), whatever order they arrive in.
// - Timestamps are stored as canonical ISO-8601 UTC (`Date#toISOString`) so they compare as text.
//   A date-time must carry `Z` or an offset; a bare date means midnight UTC.
// - Invariant kept across the ledger: a player's BONUS balance is never below the sum of their open
//   lots. Closing a lot when it is (which the ledger's own functions never cause) is refused loudly.
// - The transfer that closes a lot has a key derived from the lot's own key — the idempotency key
//   of the BONUS credit that opened it: `bonus-lot:<issue key>:conversion|expiry|forfeit` (an issue
//   key too long for that is replaced by its SHA-256). The issue key is deterministic and the same
//   wherever the lot is (several workstations feeding one central database), where a local lot id
//   is not. Both transfers also carry the local lot id, for joins in this database.
import { createHash } from 'node:crypto'
import { ApiFailure } from '../../shared/api/result'
import { roundToInteger } from '../../shared/money'
import { bulkRun, valuesList } from './bulk-write'
import type { LedgerDatabase, StatementCache } from './database'
import { auditLog } from './schema'
import { LedgerConflict, postWithin, type KnownAccounts, type SourceType, type SystemAccountName, type TransferKind, type TransferRequest } from './transfers'

export const contributionBasisPointsMax = 10_000
export const gameTypeLengthMax = 100
export const eventIdLengthMax = 200
/** A larger multiple is almost certainly a typo (a percentage written as a multiple). */
export const wageringMultipleMax = 1_000

const sourceTypes: readonly SourceType[] = ['rule_version', 'import', 'operator', 'system', 'reversal']

export type LotStatus = 'open' | 'completed' | 'expired' | 'forfeited'

export interface BonusLot {
  id: number
  /** The player's external id. */
  playerId: string
  issueTransferId: number
  /** When the issuing transfer was posted: bets placed before it do not count toward the lot. */
  issuedAt: string
  /** Minor units. */
  amount: number
  wageringTarget: number
  wageringProgress: number
  maxBet: number | null
  /** Game type → basis points; a game type not listed contributes 0. */
  contributions: Record<string, number>
  expiresAt: string | null
  status: LotStatus
  closedAt: string | null
}

/** A lot that closed in this call, with the transfer that moved its amount out of the player's BONUS. */
export type ClosedLot = BonusLot & { transferId: number }

export interface IssueBonusRequest {
  idempotencyKey: string
  /** The player's external id; the player must exist. */
  playerId: string
  /** Minor units, positive. */
  amount: number
  /** Wagering requirement as a multiple of the amount (e.g. 30 for 30×); 0 = no wagering. */
  wageringMultiple: number
  /** Largest bet, in minor units, that counts toward the lot; none when omitted. */
  maxBet?: number | null
  /** Game type → contribution in basis points (10000 = 100%). Not listed = 0. Must not be empty. */
  eligibleGames: Record<string, number>
  expiresAt?: string | null
  reason: string
  sourceType: SourceType
  sourceId: string
}

export interface IssueBonusResult {
  lot: BonusLot
  /** True when this key was issued before: nothing was written and `lot` is the existing lot. */
  alreadyIssued: boolean
  /** Set when the lot had nothing to wager (multiple 0) and converted in this call. */
  completed: ClosedLot | null
}

export interface Bet {
  eventId: string
  playerId: string
  /** Minor units, positive. */
  amount: number
  /** Null or absent when the platform did not say: counts 0. */
  gameType?: string | null
  /** When the bet was placed. */
  at: string
}

export type WagerOutcome =
  /** Applied to a lot; `counted` may still be 0 when the contribution rounds down to nothing. */
  | 'counted'
  /** Applied to a lot whose contributions give this game type 0: recorded, counts 0. */
  | 'not_eligible'
  /** Above the lot's max bet: recorded with over_max_bet, counts 0. */
  | 'over_max_bet'
  /** The event id was applied before (or earlier in this batch): nothing written. */
  | 'already_applied'
  /** The player has no open lot issued at or before the bet and unexpired at its time: not recorded. */
  | 'no_open_lot'
  /** No such player in the database: not recorded. */
  | 'unknown_player'

export interface WagerResult {
  eventId: string
  playerId: string
  lotId: number | null
  outcome: WagerOutcome
  counted: number
}

export interface ApplyWagersResult {
  /** One per bet, in the order given. */
  results: WagerResult[]
  /** The bets above their lot's max bet (also in results). */
  flagged: WagerResult[]
  /** Lots that reached their target in this call: their amount moved to the 'conversion' account. */
  completed: ClosedLot[]
  /** Bets written to lot_wagers in this call (counted or not). */
  recorded: number
}

export interface ExpireLotsResult {
  expired: ClosedLot[]
}

export interface ForfeitLotResult {
  lot: BonusLot
  /** The transfer that moved the lot's amount to 'forfeit'. */
  transferId: number
  alreadyForfeited: boolean
}

// ---------------------------------------------------------------------------------------------
// Small shared helpers (also used by wallet.ts)

const isoPattern = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/

/** A timestamp as canonical ISO-8601 UTC, or invalid_input naming the field. */
export function canonicalInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isoPattern.test(value)) {
    throw new ApiFailure('invalid_input', `${field} must be an ISO-8601 date or a date-time with Z or an offset (e.g. 2026-03-01T12:00:00Z), got ${JSON.stringify(value)}.`)
  }
  const time = Date.parse(value)
  if (Number.isNaN(time)) throw new ApiFailure('invalid_input', `${field} is not a real date: ${value}.`)
  // Date.parse rolls 2026-02-30 over into March; refuse rather than guess.
  const day = value.slice(0, 10)
  const offsetMatch = /([+-])(\d{2}):(\d{2})$/.exec(value)
  const offsetMinutes = offsetMatch ? (offsetMatch[1] === '-' ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3])) : 0
  if (new Date(time + offsetMinutes * 60_000).toISOString().slice(0, 10) !== day) throw new ApiFailure('invalid_input', `${field} is not a real date: ${value}.`)
  return new Date(time).toISOString()
}

export function requireText(value: unknown, field: string, lengthMax = 500, whenBlank?: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ApiFailure('invalid_input', whenBlank ?? `${field} is required and may not be blank.`, { field })
  if (value.length > lengthMax) throw new ApiFailure('invalid_input', `${field} may be at most ${lengthMax} characters, got ${value.length}.`)
  return value
}

export function requirePositiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new ApiFailure('invalid_input', `${field} must be a positive whole number of units, got ${String(value)}.`)
  }
  return value
}

export function normaliseGameType(gameType: string): string {
  return gameType.trim().toLowerCase()
}

/** floor(amount × basisPoints / 10000) in exact integer arithmetic. */
export function contributionOf(amount: number, basisPoints: number): number {
  const product = amount * basisPoints
  if (Number.isSafeInteger(product)) return (product - (product % contributionBasisPointsMax)) / contributionBasisPointsMax
  return Number((BigInt(amount) * BigInt(basisPoints)) / BigInt(contributionBasisPointsMax))
}

function contributionFor(contributions: Record<string, number>, gameType: string | null): number {
  if (gameType === null) return 0
  return Object.hasOwn(contributions, gameType) ? (contributions[gameType] ?? 0) : 0
}

export function playerRowId(statements: StatementCache, externalId: string): number {
  const row = statements.prepare('SELECT id FROM players WHERE external_id = ?').get(externalId) as { id: number } | undefined
  if (!row) throw new ApiFailure('not_found', `Player ${externalId} is not in the database; import them first.`)
  return row.id
}

export function balanceWithin(statements: StatementCache, playerRow: number, currency: string): number {
  const row = statements.prepare('SELECT balance FROM ledger_accounts WHERE player_id = ? AND currency = ?').get(playerRow, currency) as { balance: number } | undefined
  return row?.balance ?? 0
}

function openLotTotal(statements: StatementCache, playerRow: number): number {
  const row = statements.prepare("SELECT COALESCE(SUM(amount), 0) AS total FROM bonus_lots WHERE player_id = ? AND status = 'open'").get(playerRow) as { total: number }
  return row.total
}

/**
 * The BONUS a player holds must cover their open lots: BONUS taken out by other means (a negative
 * adjustment, a reversal) may use only the part not tied to a lot. Call after posting, inside the
 * same write: throwing rolls everything back.
 */
export function assertBonusCoversOpenLots(statements: StatementCache, playerExternalId: string, action: string): void {
  const playerRow = playerRowId(statements, playerExternalId)
  const balance = balanceWithin(statements, playerRow, 'BONUS')
  const locked = openLotTotal(statements, playerRow)
  if (balance < locked) {
    throw new ApiFailure(
      'refused',
      `${action} would leave player ${playerExternalId} with ${balance} BONUS, less than the ${locked} held in their open bonus lots. Forfeit the lot instead. Nothing was written.`,
      { playerId: playerExternalId, balance, openLots: locked },
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Reading lots

interface LotRow {
  id: number
  /** The idempotency key of the transfer that opened the lot. */
  issueKey: string
  playerRow: number
  playerId: string
  issueTransferId: number
  issuedAt: string
  amount: number
  wageringTarget: number
  wageringProgress: number
  maxBet: number | null
  contributions: string
  expiresAt: string | null
  status: LotStatus
  closedAt: string | null
}

const lotSelect = `SELECT l.id, t.idempotency_key AS issueKey, l.player_id AS playerRow, p.external_id AS playerId, l.issue_transfer_id AS issueTransferId, t.created_at AS issuedAt,
  l.amount, l.wagering_target AS wageringTarget, l.wagering_progress AS wageringProgress, l.max_bet AS maxBet, l.contributions,
  l.expires_at AS expiresAt, l.status, l.closed_at AS closedAt
  FROM bonus_lots l JOIN players p ON p.id = l.player_id JOIN ledger_transfers t ON t.id = l.issue_transfer_id`

function toLot(row: LotRow): BonusLot {
  return {
    id: row.id,
    playerId: row.playerId,
    issueTransferId: row.issueTransferId,
    issuedAt: row.issuedAt,
    amount: row.amount,
    wageringTarget: row.wageringTarget,
    wageringProgress: row.wageringProgress,
    maxBet: row.maxBet,
    contributions: JSON.parse(row.contributions) as Record<string, number>,
    expiresAt: row.expiresAt,
    status: row.status,
    closedAt: row.closedAt,
  }
}

export function getLot(database: LedgerDatabase, lotId: number): BonusLot {
  const row = database.readRaw(`${lotSelect} WHERE l.id = ?`).get(lotId) as LotRow | undefined
  if (!row) throw new ApiFailure('not_found', `There is no bonus lot ${lotId}.`)
  return toLot(row)
}

/** A player's lots, oldest first. */
export function playerLots(database: LedgerDatabase, playerId: string): BonusLot[] {
  return (database.readRaw(`${lotSelect} WHERE p.external_id = ? ORDER BY l.id`).all(playerId) as LotRow[]).map(toLot)
}

function lotWithin(statements: StatementCache, lotId: number): LotRow | undefined {
  return statements.prepare(`${lotSelect} WHERE l.id = ?`).get(lotId) as LotRow | undefined
}

// ---------------------------------------------------------------------------------------------
// Issue

function normaliseContributions(eligibleGames: unknown): Record<string, number> {
  if (typeof eligibleGames !== 'object' || eligibleGames === null || Array.isArray(eligibleGames)) {
    throw new ApiFailure('invalid_input', 'eligibleGames must map game types to contributions in basis points, e.g. { "slots": 10000 }.')
  }
  const entries = Object.entries(eligibleGames as Record<string, unknown>)
  if (entries.length === 0) {
    throw new ApiFailure('invalid_input', 'eligibleGames is empty: list the game types that count toward wagering and their contribution in basis points (10000 = 100%). There is no default.')
  }
  const normalised = new Map<string, number>()
  for (const [rawType, value] of entries) {
    const gameType = normaliseGameType(rawType)
    if (gameType === '' || gameType.length > gameTypeLengthMax) throw new ApiFailure('invalid_input', `eligibleGames: game type ${JSON.stringify(rawType)} must be 1–${gameTypeLengthMax} characters.`)
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > contributionBasisPointsMax) {
      throw new ApiFailure('invalid_input', `eligibleGames.${rawType}: the contribution must be whole basis points from 0 to ${contributionBasisPointsMax}, got ${String(value)}.`)
    }
    if (normalised.has(gameType)) throw new ApiFailure('invalid_input', `eligibleGames lists ${gameType} twice (game types are compared trimmed and lower-cased).`)
    normalised.set(gameType, value)
  }
  if (![...normalised.values()].some((value) => value > 0)) {
    throw new ApiFailure('invalid_input', 'eligibleGames gives every game type a contribution of 0: no bet could ever count toward this bonus.')
  }
  return Object.fromEntries([...normalised].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function sameContributions(a: Record<string, number>, b: Record<string, number>): boolean {
  const keysA = Object.keys(a).sort()
  const keysB = Object.keys(b).sort()
  return keysA.length === keysB.length && keysA.every((key, index) => key === keysB[index] && a[key] === b[key])
}

/**
 * Credits a bonus to a player and opens its lot, in one transaction. Idempotent by key: issuing
 * the same key again returns the existing lot and writes nothing; the same key with different
 * terms is a LedgerConflict.
 */
export function issueBonus(database: LedgerDatabase, request: IssueBonusRequest, at: string): IssueBonusResult {
  return database.write((_tx, statements) => issueBonusWithin(statements, request, at))
}

/** A request checked and put in the form it is stored in. */
interface PreparedIssue {
  issuedAt: string
  idempotencyKey: string
  playerId: string
  amount: number
  wageringTarget: number
  maxBet: number | null
  contributions: Record<string, number>
  expiresAt: string | null
  transfer: TransferRequest
}

function prepareIssue(request: IssueBonusRequest, at: string): PreparedIssue {
  const issuedAt = canonicalInstant(at, 'at')
  const idempotencyKey = requireText(request.idempotencyKey, 'idempotencyKey', 200)
  const playerId = requireText(request.playerId, 'playerId', 200)
  const amount = requirePositiveInteger(request.amount, 'amount')
  const multiple = request.wageringMultiple
  if (typeof multiple !== 'number' || !Number.isFinite(multiple) || multiple < 0 || multiple > wageringMultipleMax) {
    throw new ApiFailure('invalid_input', `wageringMultiple must be a number from 0 to ${wageringMultipleMax}, got ${String(multiple)}.`)
  }
  const wageringTarget = roundToInteger(multiple * amount)
  if (!Number.isSafeInteger(wageringTarget)) throw new ApiFailure('invalid_input', `The wagering target ${multiple} × ${amount} is too large.`)
  const maxBet = request.maxBet === undefined || request.maxBet === null ? null : requirePositiveInteger(request.maxBet, 'maxBet')
  const contributions = normaliseContributions(request.eligibleGames)
  const expiresAt = request.expiresAt === undefined || request.expiresAt === null ? null : canonicalInstant(request.expiresAt, 'expiresAt')
  if (expiresAt !== null && expiresAt <= issuedAt) throw new ApiFailure('invalid_input', `expiresAt ${expiresAt} is not after the issue time ${issuedAt}: the bonus would be born expired.`)
  const reason = requireText(request.reason, 'reason')
  if (!(sourceTypes as readonly unknown[]).includes(request.sourceType)) {
    throw new ApiFailure('invalid_input', `sourceType must be one of ${sourceTypes.join(', ')}, got ${JSON.stringify(request.sourceType)}.`)
  }
  const sourceId = requireText(request.sourceId, 'sourceId', 200)
  const transfer: TransferRequest = {
    idempotencyKey,
    from: { system: 'issuance' },
    to: { player: playerId },
    currency: 'BONUS',
    amount,
    kind: 'reward',
    reason,
    sourceType: request.sourceType,
    sourceId,
  }
  return { issuedAt, idempotencyKey, playerId, amount, wageringTarget, maxBet, contributions, expiresAt, transfer }
}

/** The id the next bonus lot gets; known before the insert because the caller holds the write lock. */
function nextLotId(statements: StatementCache): number {
  const next = statements
    .prepare("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'bonus_lots'), 0), COALESCE((SELECT MAX(id) FROM bonus_lots), 0)) + 1 AS id")
    .get() as { id: number }
  return next.id
}

const insertLotsHead = 'INSERT INTO bonus_lots (id, player_id, issue_transfer_id, amount, wagering_target, wagering_progress, max_bet, contributions, expires_at, status, closed_at) VALUES'
const insertLotRow = "(?, ?, ?, ?, ?, 0, ?, ?, ?, 'open', NULL)"
const insertLotSql = `INSERT INTO bonus_lots (id, player_id, issue_transfer_id, amount, wagering_target, wagering_progress, max_bet, contributions, expires_at, status, closed_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 'open', NULL)`

/** issueBonus inside a write() the caller holds, so many bonuses share one transaction. */
export function issueBonusWithin(statements: StatementCache, request: IssueBonusRequest, at: string): IssueBonusResult {
  const issue = prepareIssue(request, at)
  const { issuedAt, idempotencyKey, playerId, amount, wageringTarget, maxBet, contributions, expiresAt, transfer } = issue
  const existing = statements.prepare('SELECT id FROM ledger_transfers WHERE idempotency_key = ?').get(idempotencyKey) as { id: number } | undefined
  if (existing) {
    const row = statements.prepare(`${lotSelect} WHERE l.issue_transfer_id = ?`).get(existing.id) as LotRow | undefined
    if (!row) throw new LedgerConflict(idempotencyKey, ['it was posted as a transfer that opened no bonus lot'])
    const differences: string[] = []
    if (row.playerId !== playerId) differences.push(`player ${row.playerId} then, ${playerId} now`)
    if (row.amount !== amount) differences.push(`amount ${row.amount} then, ${amount} now`)
    if (row.wageringTarget !== wageringTarget) differences.push(`wagering target ${row.wageringTarget} then, ${wageringTarget} now`)
    if (row.maxBet !== maxBet) differences.push(`max bet ${String(row.maxBet)} then, ${String(maxBet)} now`)
    if (row.expiresAt !== expiresAt) differences.push(`expiry ${String(row.expiresAt)} then, ${String(expiresAt)} now`)
    const lot = toLot(row)
    if (!sameContributions(lot.contributions, contributions)) differences.push(`contributions ${JSON.stringify(lot.contributions)} then, ${JSON.stringify(contributions)} now`)
    if (differences.length > 0) throw new LedgerConflict(idempotencyKey, differences)
    // The transfer itself is checked the usual way (accounts, currency, kind).
    postWithin(statements, [{ ...transfer, lotId: row.id }], issuedAt)
    return { lot, alreadyIssued: true, completed: null }
  }

  // The issuing transfer carries the lot's id, so the hash chain binds the credit to its lot.
  const lotId = nextLotId(statements)
  const posted = postWithin(statements, [{ ...transfer, lotId }], issuedAt)
  const issueTransferId = posted.transferIds[0]!
  const playerRow = playerRowId(statements, playerId)
  statements.prepare(insertLotSql).run(lotId, playerRow, issueTransferId, amount, wageringTarget, maxBet, JSON.stringify(contributions), expiresAt)
  let completed: ClosedLot | null = null
  if (wageringTarget === 0) {
    completed = closeLot(statements, lotWithin(statements, lotId)!, 'completed', issuedAt, issuedAt)
  }
  return { lot: toLot(lotWithin(statements, lotId)!), alreadyIssued: false, completed }
}

/** Keys of `keys` already in the ledger: one query per 20,000 keys (json_each of one bound value). */
function postedKeys(statements: StatementCache, keys: readonly string[]): Set<string> {
  const found = new Set<string>()
  const lookup = statements.prepare('SELECT t.idempotency_key AS key FROM json_each(?) j JOIN ledger_transfers t ON t.idempotency_key = j.value')
  for (let start = 0; start < keys.length; start += 20_000) {
    for (const row of lookup.all(JSON.stringify(keys.slice(start, start + 20_000))) as { key: string }[]) found.add(row.key)
  }
  return found
}

/** Player row ids by external id, one query per 20,000 players; a missing player is refused by name. */
function playerRowIds(statements: StatementCache, playerIds: readonly string[]): Map<string, number> {
  const distinct = [...new Set(playerIds)]
  const rows = new Map<string, number>()
  const lookup = statements.prepare('SELECT p.external_id AS externalId, p.id FROM json_each(?) j JOIN players p ON p.external_id = j.value')
  for (let start = 0; start < distinct.length; start += 20_000) {
    for (const row of lookup.all(JSON.stringify(distinct.slice(start, start + 20_000))) as { externalId: string; id: number }[]) rows.set(row.externalId, row.id)
  }
  for (const id of distinct) if (!rows.has(id)) throw new ApiFailure('not_found', `Player ${id} is not in the database; import them first.`)
  return rows
}

/**
 * Many issueBonusWithin calls at once, with the same outcome: the new bonuses' transfers are
 * posted in one postWithin (its fixed cost per call — account resolution, balances, the chain —
 * was most of the time when bonuses went one at a time: ~0.2 ms each) and their lots inserted
 * after. A key already in the ledger, or repeated in the batch, takes the one-at-a-time path,
 * which checks its terms against the lot it opened.
 */
export function issueBonusesWithin(statements: StatementCache, requests: readonly IssueBonusRequest[], at: string, known?: KnownAccounts): { issued: number; alreadyIssued: number } {
  const prepared = requests.map((request) => prepareIssue(request, at))
  const posted = postedKeys(statements, prepared.map((issue) => issue.idempotencyKey))
  const fresh: PreparedIssue[] = []
  const again: number[] = []
  const inBatch = new Set<string>()
  prepared.forEach((issue, index) => {
    if (posted.has(issue.idempotencyKey) || inBatch.has(issue.idempotencyKey)) again.push(index)
    else {
      inBatch.add(issue.idempotencyKey)
      fresh.push(issue)
    }
  })
  let issued = 0
  let alreadyIssued = 0
  if (fresh.length > 0) {
    const firstLot = nextLotId(statements)
    const issuedAt = fresh[0]!.issuedAt
    const transferIds = postWithin(statements, fresh.map((issue, index) => ({ ...issue.transfer, lotId: firstLot + index })), issuedAt, known).transferIds
    const playerRows = known ? undefined : playerRowIds(statements, fresh.map((issue) => issue.playerId))
    // postWithin has refused any player it could not find, so every row is known here.
    const playerRow = (playerId: string) => (known ? known.playerRowId(playerId) : playerRows!.get(playerId))!
    bulkRun(statements, (rows) => `${insertLotsHead} ${valuesList(rows, insertLotRow)}`, 8, fresh.length, (index, values, at) => {
      const issue = fresh[index]!
      values[at] = firstLot + index
      values[at + 1] = playerRow(issue.playerId)
      values[at + 2] = transferIds[index]!
      values[at + 3] = issue.amount
      values[at + 4] = issue.wageringTarget
      values[at + 5] = issue.maxBet
      values[at + 6] = JSON.stringify(issue.contributions)
      values[at + 7] = issue.expiresAt
    })
    fresh.forEach((issue, index) => {
      if (issue.wageringTarget === 0) closeLot(statements, lotWithin(statements, firstLot + index)!, 'completed', issuedAt, issuedAt)
    })
    issued += fresh.length
  }
  for (const index of again) {
    if (issueBonusWithin(statements, requests[index]!, at).alreadyIssued) alreadyIssued += 1
    else issued += 1
  }
  return { issued, alreadyIssued }
}

// ---------------------------------------------------------------------------------------------
// Closing a lot

const closing: Record<Exclude<LotStatus, 'open'>, { to: SystemAccountName; kind: TransferKind; key: 'conversion' | 'expiry' | 'forfeit' }> = {
  completed: { to: 'conversion', kind: 'conversion', key: 'conversion' },
  expired: { to: 'expiry', kind: 'expiry', key: 'expiry' },
  forfeited: { to: 'forfeit', kind: 'forfeit', key: 'forfeit' },
}

const idempotencyKeyLengthMax = 200

/**
 * The key of the transfer that closes a lot, derived from the lot's issue key (see the top of this
 * file): globally meaningful, and the same on every re-run, so closing twice posts nothing twice.
 */
export function lotClosingKey(issueKey: string, how: 'conversion' | 'expiry' | 'forfeit'): string {
  const key = `bonus-lot:${issueKey}:${how}`
  return key.length <= idempotencyKeyLengthMax ? key : `bonus-lot:sha256:${createHash('sha256').update(issueKey).digest('hex')}:${how}`
}

function closeReason(lot: LotRow, status: Exclude<LotStatus, 'open'>, operatorReason?: string): string {
  const wagered = `${lot.wageringProgress} of ${lot.wageringTarget} wagered`
  switch (status) {
    case 'completed':
      return `Bonus lot ${lot.id} met its wagering target (${lot.wageringTarget}): converted to withdrawable value`
    case 'expired':
      return `Bonus lot ${lot.id} expired at ${lot.expiresAt ?? '?'} with ${wagered}`
    case 'forfeited':
      return `Bonus lot ${lot.id} forfeited (${wagered}): ${operatorReason ?? ''}`.slice(0, 500)
  }
}

/**
 * Closes an open lot inside the caller's write: the status change and the transfer of its amount
 * out of the player's BONUS account land together. closedAt is the business moment the lot's fate
 * was decided; the transfer is dated when the ledger records it.
 */
function closeLot(
  statements: StatementCache,
  lot: LotRow,
  status: Exclude<LotStatus, 'open'>,
  closedAt: string,
  recordedAt: string,
  operator?: { reason: string; actor: string },
): ClosedLot {
  const balance = balanceWithin(statements, lot.playerRow, 'BONUS')
  if (balance < lot.amount) {
    throw new ApiFailure(
      'refused',
      `Bonus lot ${lot.id} of player ${lot.playerId} cannot be ${status}: the player's BONUS balance is ${balance}, less than the lot's ${lot.amount}. ` +
        'The ledger and the bonus lots disagree (BONUS left the account without closing a lot); run `loyalty verify` and investigate. Nothing of this batch was written.',
      { lotId: lot.id, playerId: lot.playerId, balance, amount: lot.amount },
    )
  }
  const updated = statements.prepare("UPDATE bonus_lots SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'").run(status, closedAt, lot.id)
  if (updated.changes !== 1) throw new ApiFailure('conflict', `Bonus lot ${lot.id} is no longer open.`)
  const how = closing[status]
  const posted = postWithin(
    statements,
    [
      {
        idempotencyKey: lotClosingKey(lot.issueKey, how.key),
        from: { player: lot.playerId },
        to: { system: how.to },
        currency: 'BONUS',
        amount: lot.amount,
        kind: how.kind,
        reason: closeReason(lot, status, operator?.reason),
        sourceType: operator ? 'operator' : 'system',
        // The lot's own key, not its local id: the same lot on every workstation.
        sourceId: operator ? operator.actor : `bonus-lot:${lot.issueKey}`,
        lotId: lot.id,
      },
    ],
    recordedAt,
  )
  return { ...toLot({ ...lot, status, closedAt }), transferId: posted.transferIds[0]! }
}

// ---------------------------------------------------------------------------------------------
// Wagering

interface PreparedBet {
  index: number
  eventId: string
  playerId: string
  amount: number
  gameType: string | null
  at: string
}

function prepareBet(bet: Bet, index: number): PreparedBet {
  const where = `bet ${index + 1}`
  if (typeof bet !== 'object' || bet === null) throw new ApiFailure('invalid_input', `${where}: expected an object.`)
  const eventId = requireText(bet.eventId, `${where}: eventId`, eventIdLengthMax)
  const playerId = requireText(bet.playerId, `${where} (${eventId}): playerId`, 200)
  const amount = requirePositiveInteger(bet.amount, `${where} (${eventId}): amount`)
  if (bet.gameType !== null && bet.gameType !== undefined && typeof bet.gameType !== 'string') throw new ApiFailure('invalid_input', `${where} (${eventId}): gameType must be text or null.`)
  const gameType = typeof bet.gameType === 'string' ? normaliseGameType(bet.gameType) : null
  const at = canonicalInstant(bet.at, `${where} (${eventId}): at`)
  return { index, eventId, playerId, amount, gameType: gameType === '' ? null : gameType, at }
}

/**
 * Applies bets to bonus lots in one transaction. Each event id is applied at most once, ever; lots
 * that reach their target complete and convert (player BONUS → 'conversion', key `bonus-lot:<issue key>:conversion`).
 * A bad bet refuses the whole batch, naming its position; nothing is written.
 */
export function applyWagers(database: LedgerDatabase, bets: readonly Bet[], at: string): ApplyWagersResult {
  const recordedAt = canonicalInstant(at, 'at')
  const prepared = bets.map(prepareBet)
  const order = [...prepared].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.index - b.index))

  return database.write((_tx, statements) => {
    const findEvent = statements.prepare('SELECT lot_id AS lotId FROM lot_wagers WHERE event_id = ?')
    const findPlayer = statements.prepare('SELECT id FROM players WHERE external_id = ?')
    const findLot = statements.prepare(
      `${lotSelect} WHERE l.player_id = ? AND l.status = 'open' AND t.created_at <= ? AND (l.expires_at IS NULL OR l.expires_at > ?)
       ORDER BY l.expires_at IS NULL, l.expires_at, l.id LIMIT 1`,
    )
    const insertWager = statements.prepare('INSERT INTO lot_wagers (event_id, lot_id, counted, over_max_bet, applied_at) VALUES (?, ?, ?, ?, ?)')
    const addProgress = statements.prepare('UPDATE bonus_lots SET wagering_progress = wagering_progress + ? WHERE id = ?')

    const results: WagerResult[] = new Array<WagerResult>(prepared.length)
    const completed: ClosedLot[] = []
    const seen = new Set<string>()
    const playerRows = new Map<string, number | null>()
    let recorded = 0
    for (const bet of order) {
      const base = { eventId: bet.eventId, playerId: bet.playerId }
      if (seen.has(bet.eventId) || findEvent.get(bet.eventId) !== undefined) {
        results[bet.index] = { ...base, lotId: null, outcome: 'already_applied', counted: 0 }
        continue
      }
      seen.add(bet.eventId)
      let playerRow = playerRows.get(bet.playerId)
      if (playerRow === undefined) {
        playerRow = (findPlayer.get(bet.playerId) as { id: number } | undefined)?.id ?? null
        playerRows.set(bet.playerId, playerRow)
      }
      if (playerRow === null) {
        results[bet.index] = { ...base, lotId: null, outcome: 'unknown_player', counted: 0 }
        continue
      }
      const lot = findLot.get(playerRow, bet.at, bet.at) as LotRow | undefined
      if (!lot) {
        results[bet.index] = { ...base, lotId: null, outcome: 'no_open_lot', counted: 0 }
        continue
      }
      const overMaxBet = lot.maxBet !== null && bet.amount > lot.maxBet
      const contribution = contributionFor(JSON.parse(lot.contributions) as Record<string, number>, bet.gameType)
      const counted = overMaxBet ? 0 : Math.min(contributionOf(bet.amount, contribution), lot.wageringTarget - lot.wageringProgress)
      insertWager.run(bet.eventId, lot.id, counted, overMaxBet ? 1 : 0, recordedAt)
      recorded += 1
      const outcome: WagerOutcome = overMaxBet ? 'over_max_bet' : contribution === 0 ? 'not_eligible' : 'counted'
      results[bet.index] = { ...base, lotId: lot.id, outcome, counted }
      if (counted > 0) {
        addProgress.run(counted, lot.id)
        if (lot.wageringProgress + counted === lot.wageringTarget) {
          completed.push(closeLot(statements, { ...lot, wageringProgress: lot.wageringTarget }, 'completed', bet.at, recordedAt))
        }
      }
    }
    return { results, flagged: results.filter((result) => result.outcome === 'over_max_bet'), completed, recorded }
  })
}

// ---------------------------------------------------------------------------------------------
// Expiry and forfeit

/**
 * Expires every open lot with expires_at ≤ asOf: status expired (closed_at = its expires_at) and
 * its amount from the player's BONUS to 'expiry' (key `bonus-lot:<issue key>:expiry`). Running it again, or
 * with an earlier asOf, finds nothing more to do.
 */
export function expireLots(database: LedgerDatabase, asOf: string): ExpireLotsResult {
  const cutoff = canonicalInstant(asOf, 'asOf')
  return database.write((_tx, statements) => {
    const due = statements.prepare(`${lotSelect} WHERE l.status = 'open' AND l.expires_at IS NOT NULL AND l.expires_at <= ? ORDER BY l.expires_at, l.id`).all(cutoff) as LotRow[]
    return { expired: due.map((lot) => closeLot(statements, lot, 'expired', lot.expiresAt!, cutoff)) }
  })
}

/**
 * An operator forfeits an open lot: status forfeited, its amount from the player's BONUS to
 * 'forfeit' (key `bonus-lot:<issue key>:forfeit`), and an audit_log row, in one transaction. Forfeiting a
 * forfeited lot again is a no-op; a completed or expired lot is refused.
 */
export function forfeitLot(database: LedgerDatabase, lotId: number, operator: { reason: string; actor: string }, at: string): ForfeitLotResult {
  const recordedAt = canonicalInstant(at, 'at')
  if (!Number.isSafeInteger(lotId) || lotId <= 0) throw new ApiFailure('invalid_input', `lotId must be a positive whole number, got ${String(lotId)}.`)
  const reason = requireText(operator?.reason, 'reason', 400, 'Forfeiting a bonus needs a reason: say why the player loses it.')
  const actor = requireText(operator?.actor, 'actor', 200, 'Forfeiting a bonus needs the operator (actor) who decides it.')
  return database.write((tx, statements) => {
    const lot = lotWithin(statements, lotId)
    if (!lot) throw new ApiFailure('not_found', `There is no bonus lot ${lotId}.`)
    if (lot.status === 'forfeited') {
      // A lot forfeited before closing keys came from the issue key has `lot:<id>:forfeit`.
      const byKey = statements.prepare('SELECT id FROM ledger_transfers WHERE idempotency_key = ?')
      const transfer = (byKey.get(lotClosingKey(lot.issueKey, 'forfeit')) ?? byKey.get(`lot:${lotId}:forfeit`)) as { id: number }
      return { lot: toLot(lot), transferId: transfer.id, alreadyForfeited: true }
    }
    if (lot.status !== 'open') throw new ApiFailure('refused', `Bonus lot ${lotId} is already ${lot.status} (at ${lot.closedAt ?? '?'}); only an open lot can be forfeited.`)
    const closed = closeLot(statements, lot, 'forfeited', recordedAt, recordedAt, { reason, actor })
    tx.insert(auditLog)
      .values({
        action: 'bonus_lot.forfeit',
        actor,
        subject: `lot:${lotId}`,
        reason,
        details: { playerId: lot.playerId, amount: lot.amount, wageringProgress: lot.wageringProgress, wageringTarget: lot.wageringTarget, transferId: closed.transferId },
        at: recordedAt,
      })
      .run()
    const { transferId, ...rest } = closed
    return { lot: rest, transferId, alreadyForfeited: false }
  })
}
