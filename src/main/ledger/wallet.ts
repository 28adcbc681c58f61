// Wallet movements other than bonus lots: redeeming reward points, spending and expiring tickets,
// operator adjustments and reversals. Each is one transaction: the transfers, any audit row and the
// checks that guard them land together or not at all, and each is idempotent by a deterministic key.
//
// Decisions:
// - Ticket expiry is FIFO over the player's TICKETS account: every credit to it (rewards,
//   adjustments, reversed spends) is a batch of tickets dated by its transfer's created_at; every
//   debit (spends, earlier expiries, negative adjustments, reversed credits — even of a newer
//   credit) uses up the oldest tickets first. So the
//   tickets still held are the newest ones: after D tickets have left the account, the first D
//   units of the credits in (created_at, id) order are gone. Tickets credited at or before
//   asOf − ticketExpiryDays that are still held expire, in one transfer per player whose key names
//   the units it expires (`tickets-expiry:<player>:<from>-<to>`): re-running changes nothing.
//   Players are handled in external-id order, so a run's transfer order is reproducible.
// - Points (LP, RP) expire only if the engine settings say so (`pointsExpiry: { RP: { afterDays } }`;
//   the default {} expires nothing), by the same FIFO rule as tickets: what expires is what was
//   credited at or before asOf − afterDays and not used up since (spending, redemption, negative
//   adjustments and earlier expiries take the oldest points first), i.e. points not spent within
//   afterDays of being earned. Every credit counts as earned when it was posted. Keys
//   `points-expiry:<currency>:<player>:<from>-<to>` name the units, like the ticket keys.
// - runExpiry is the whole as-of job (bonus lots, tickets, points), each part idempotent.
// - A redemption is two transfers: RP player → 'redemption' (key `<key>:rp`) and BONUS
//   'conversion' → player (key `<key>:bonus`) for roundToInteger(points × rate). That BONUS is
//   not a lot: it carries no wagering. Reversing a redemption means reversing both transfers.
// - Transfers that open or close a bonus lot are not reversed here: forfeit the lot instead.
//   BONUS taken out by an adjustment or a reversal may not dip into the player's open lots.
import { createHash } from 'node:crypto'
import { ApiFailure } from '../../shared/api/result'
import { currencyCodes, roundToInteger, type Currency } from '../../shared/money'
import type { LedgerDatabase, StatementCache } from './database'
import { engineSettingsSchema, type EngineSettings } from '../../shared/engine-settings'
import {
  assertBonusCoversOpenLots,
  balanceWithin,
  canonicalInstant,
  expireLots,
  playerRowId,
  requirePositiveInteger,
  requireText,
  type ExpireLotsResult,
} from './lots'
import { auditLog } from './schema'
import { readEngineSettings } from './settings-store'
import { postWithin, type AccountRef, type SystemAccountName } from './transfers'

const dayMilliseconds = 86_400_000
export const ticketExpiryDaysMax = 36_500

export interface TransferOutcome {
  transferId: number
  /** True when this key was posted before: nothing was written. */
  alreadyPosted: boolean
}

export interface RedeemRewardPointsRequest {
  idempotencyKey: string
  playerId: string
  /** Whole reward points to redeem. */
  points: number
  /** BONUS minor units per reward point (from the player's tier); may be fractional. */
  rate: number
}

export interface RedeemRewardPointsResult {
  points: number
  /** roundToInteger(points × rate), minor units. */
  bonus: number
  /** [the RP debit, the BONUS credit] */
  transferIds: [number, number]
  alreadyRedeemed: boolean
}

export interface ConsumeTicketsRequest {
  idempotencyKey: string
  playerId: string
  tickets: number
  reason: string
}

export interface AdjustRequest {
  /** The operator action's id; the transfer's key is `adjust:<actionId>`. */
  actionId: string
  playerId: string
  currency: Currency
  /** Signed, non-zero: positive credits the player, negative debits them. */
  amount: number
  reason: string
  actor: string
}

export interface ReverseTransferRequest {
  transferId: number
  reason: string
  actor: string
}

export interface ReverseTransferResult {
  reversalTransferId: number
  /** True when the transfer had been reversed before: nothing was written. */
  alreadyReversed: boolean
  original: { id: number; currency: Currency; amount: number; kind: string }
}

export interface ExpireTicketsRequest {
  asOf: string
  /** Tickets credited at or before asOf minus this many days expire. */
  ticketExpiryDays: number
}

export interface ExpiredTickets {
  playerId: string
  tickets: number
  transferId: number
}

export const expiringPoints = ['LP', 'RP'] as const
export type ExpiringPoints = (typeof expiringPoints)[number]

export interface ExpirePointsRequest {
  asOf: string
  /** The engine settings' pointsExpiry; read from the saved settings when omitted. */
  pointsExpiry?: EngineSettings['pointsExpiry']
}

export interface ExpiredPoints {
  playerId: string
  currency: ExpiringPoints
  points: number
  transferId: number
}

export interface ExpirePointsResult {
  /** Per expiring currency: points credited at or before this instant (and still held) expired. */
  cutoffs: Partial<Record<ExpiringPoints, string>>
  expired: ExpiredPoints[]
}

export interface RunExpiryRequest {
  asOf: string
  ticketExpiryDays: number
  /** Overrides the saved settings' pointsExpiry (tests, what-if runs). */
  pointsExpiry?: EngineSettings['pointsExpiry']
}

export interface RunExpiryResult {
  asOf: string
  lots: ExpireLotsResult
  tickets: ExpireTicketsResult
  points: ExpirePointsResult
}

export interface ExpireTicketsResult {
  /** Tickets credited at or before this instant (and still held) expired. */
  cutoff: string
  expired: ExpiredTickets[]
}

function transferIdByKey(statements: StatementCache, key: string): number | undefined {
  return (statements.prepare('SELECT id FROM ledger_transfers WHERE idempotency_key = ?').get(key) as { id: number } | undefined)?.id
}

/** A clearer refusal than postWithin's for a debit the player cannot cover; only for keys not yet posted. */
function requireBalance(statements: StatementCache, playerId: string, currency: Currency, amount: number, what: string): void {
  const balance = balanceWithin(statements, playerRowId(statements, playerId), currency)
  if (balance < amount) {
    throw new ApiFailure('refused', `Player ${playerId} has ${balance} ${currency}, fewer than the ${amount} ${what}. Nothing was written.`, {
      playerId,
      currency,
      balance,
      amount,
    })
  }
}

function requireCurrency(value: unknown): Currency {
  if (typeof value !== 'string' || !(currencyCodes as readonly string[]).includes(value)) {
    throw new ApiFailure('invalid_input', `currency must be one of ${currencyCodes.join(', ')}, got ${JSON.stringify(value)}.`)
  }
  return value as Currency
}

// ---------------------------------------------------------------------------------------------

/**
 * Redeems reward points for BONUS money: RP player → 'redemption' and BONUS 'conversion' → player
 * for roundToInteger(points × rate), in one transaction. Refused (nothing written) when the player
 * lacks the points or the result rounds to 0. Idempotent by key.
 */
export function redeemRewardPoints(database: LedgerDatabase, request: RedeemRewardPointsRequest, at: string): RedeemRewardPointsResult {
  const createdAt = canonicalInstant(at, 'at')
  const key = requireText(request.idempotencyKey, 'idempotencyKey', 190) // room for the ':rp' / ':bonus' suffixes
  const playerId = requireText(request.playerId, 'playerId', 200)
  const points = requirePositiveInteger(request.points, 'points')
  const rate = request.rate
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) throw new ApiFailure('invalid_input', `rate must be a positive number of BONUS minor units per point, got ${String(rate)}.`)
  const bonus = roundToInteger(points * rate)
  if (!Number.isSafeInteger(bonus)) throw new ApiFailure('invalid_input', `${points} points × ${rate} is too large.`)
  if (bonus < 1) {
    throw new ApiFailure('refused', `${points} RP at ${rate} minor units per point is worth ${bonus} BONUS after rounding: nothing to redeem. Nothing was written.`, { points, rate, bonus })
  }
  return database.write((_tx, statements) => {
    const alreadyPosted = transferIdByKey(statements, `${key}:rp`) !== undefined
    if (!alreadyPosted) requireBalance(statements, playerId, 'RP', points, 'to redeem')
    const reason = `Redeemed ${points} RP at ${rate} per point for ${bonus} BONUS`
    const result = postWithin(
      statements,
      [
        { idempotencyKey: `${key}:rp`, from: { player: playerId }, to: { system: 'redemption' }, currency: 'RP', amount: points, kind: 'redemption', reason, sourceType: 'system', sourceId: key },
        { idempotencyKey: `${key}:bonus`, from: { system: 'conversion' }, to: { player: playerId }, currency: 'BONUS', amount: bonus, kind: 'redemption', reason, sourceType: 'system', sourceId: key },
      ],
      createdAt,
    )
    if (result.posted !== 0 && result.alreadyPosted !== 0) {
      throw new ApiFailure('internal', `Redemption ${key} was found half posted; nothing more was written.`)
    }
    return { points, bonus, transferIds: [result.transferIds[0]!, result.transferIds[1]!], alreadyRedeemed: result.posted === 0 }
  })
}

/** Spends tickets: TICKETS player → 'redemption'. Refused (nothing written) when the player lacks them. */
export function consumeTickets(database: LedgerDatabase, request: ConsumeTicketsRequest, at: string): TransferOutcome {
  const createdAt = canonicalInstant(at, 'at')
  const key = requireText(request.idempotencyKey, 'idempotencyKey', 200)
  const playerId = requireText(request.playerId, 'playerId', 200)
  const tickets = requirePositiveInteger(request.tickets, 'tickets')
  const reason = requireText(request.reason, 'reason')
  return database.write((_tx, statements) => {
    if (transferIdByKey(statements, key) === undefined) requireBalance(statements, playerId, 'TICKETS', tickets, 'to spend')
    const result = postWithin(
      statements,
      [{ idempotencyKey: key, from: { player: playerId }, to: { system: 'redemption' }, currency: 'TICKETS', amount: tickets, kind: 'redemption', reason, sourceType: 'system', sourceId: key }],
      createdAt,
    )
    return { transferId: result.transferIds[0]!, alreadyPosted: result.posted === 0 }
  })
}

/**
 * An operator's correction: positive = 'adjustment' → player, negative = player → 'adjustment',
 * key `adjust:<actionId>`, with an audit_log row in the same transaction. Reason and actor are
 * mandatory. Idempotent by actionId (the audit row is written once).
 */
export function adjust(database: LedgerDatabase, request: AdjustRequest, at: string): TransferOutcome {
  const createdAt = canonicalInstant(at, 'at')
  const reason = requireText(request.reason, 'reason', 500, 'An adjustment needs a reason: say what is being corrected and why.')
  const actor = requireText(request.actor, 'actor', 200, 'An adjustment needs the operator (actor) who makes it.')
  const actionId = requireText(request.actionId, 'actionId', 190)
  const playerId = requireText(request.playerId, 'playerId', 200)
  const currency = requireCurrency(request.currency)
  const amount = request.amount
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount === 0) {
    throw new ApiFailure('invalid_input', `amount must be a non-zero whole number of units (negative to take away), got ${String(amount)}.`)
  }
  const key = `adjust:${actionId}`
  const player: AccountRef = { player: playerId }
  const system: AccountRef = { system: 'adjustment' }
  return database.write((tx, statements) => {
    const existing = transferIdByKey(statements, key)
    if (existing === undefined && amount < 0) requireBalance(statements, playerId, currency, -amount, 'this adjustment takes away')
    const result = postWithin(
      statements,
      [{ idempotencyKey: key, from: amount > 0 ? system : player, to: amount > 0 ? player : system, currency, amount: Math.abs(amount), kind: 'adjustment', reason, sourceType: 'operator', sourceId: actor }],
      createdAt,
    )
    const transferId = result.transferIds[0]!
    if (result.posted === 0) return { transferId, alreadyPosted: true }
    if (currency === 'BONUS' && amount < 0) assertBonusCoversOpenLots(statements, playerId, `Adjustment ${actionId}`)
    tx.insert(auditLog).values({ action: 'ledger.adjust', actor, subject: `player:${playerId}`, reason, details: { actionId, currency, amount, transferId }, at: createdAt }).run()
    return { transferId, alreadyPosted: false }
  })
}

interface TransferForReversal {
  id: number
  currency: Currency
  amount: number
  kind: string
  lotId: number | null
  reversesTransferId: number | null
  debitPlayer: string | null
  debitSystem: SystemAccountName | null
  creditPlayer: string | null
  creditSystem: SystemAccountName | null
}

function accountRef(player: string | null, system: SystemAccountName | null): AccountRef {
  if (player !== null) return { player }
  if (system !== null) return { system }
  throw new ApiFailure('internal', 'A ledger account has neither a player nor a system owner.')
}

/**
 * Posts the opposite of a transfer (kind 'reversal', reverses_transfer_id set, key
 * `reverse:<transferId>`) with an audit_log row. A reversal cannot itself be reversed; reversing
 * a transfer again is a no-op that returns the first reversal. Refused when the player no longer
 * holds what the reversal takes back, and for transfers that open or close a bonus lot.
 */
export function reverseTransfer(database: LedgerDatabase, request: ReverseTransferRequest, at: string): ReverseTransferResult {
  const createdAt = canonicalInstant(at, 'at')
  const transferId = request.transferId
  if (typeof transferId !== 'number' || !Number.isSafeInteger(transferId) || transferId <= 0) {
    throw new ApiFailure('invalid_input', `transferId must be a positive whole number, got ${String(transferId)}.`)
  }
  const reason = requireText(request.reason, 'reason', 500, 'A reversal needs a reason: say why the transfer is being undone.')
  const actor = requireText(request.actor, 'actor', 200, 'A reversal needs the operator (actor) who makes it.')
  return database.write((tx, statements) => {
    const original = statements
      .prepare(
        `SELECT t.id, t.currency, t.amount, t.kind, t.lot_id AS lotId, t.reverses_transfer_id AS reversesTransferId,
                dp.external_id AS debitPlayer, d.system_name AS debitSystem, cp.external_id AS creditPlayer, c.system_name AS creditSystem
         FROM ledger_transfers t
         JOIN ledger_accounts d ON d.id = t.debit_account_id LEFT JOIN players dp ON dp.id = d.player_id
         JOIN ledger_accounts c ON c.id = t.credit_account_id LEFT JOIN players cp ON cp.id = c.player_id
         WHERE t.id = ?`,
      )
      .get(transferId) as TransferForReversal | undefined
    if (!original) throw new ApiFailure('not_found', `There is no transfer ${transferId}.`)
    const summary = { id: original.id, currency: original.currency, amount: original.amount, kind: original.kind }
    if (original.kind === 'reversal' || original.reversesTransferId !== null) {
      throw new ApiFailure(
        'refused',
        `Transfer ${transferId} is itself a reversal (of transfer ${String(original.reversesTransferId)}); a reversal is not reversed. Post an adjustment if it was wrong.`,
      )
    }
    // A reversal always comes after what it reverses: scan forward from the original only.
    const earlier = statements.prepare('SELECT id FROM ledger_transfers WHERE id > ? AND reverses_transfer_id = ? ORDER BY id LIMIT 1').get(transferId, transferId) as { id: number } | undefined
    if (earlier) return { reversalTransferId: earlier.id, alreadyReversed: true, original: summary }
    if (original.lotId !== null) {
      throw new ApiFailure(
        'refused',
        `Transfer ${transferId} (${original.kind}) belongs to bonus lot ${original.lotId}; reversing it would leave the lot and the ledger disagreeing. Forfeit the lot if it is still open; a closed lot stays closed.`,
        { lotId: original.lotId },
      )
    }
    // What already went to the platform in a payout file is settled there, not here.
    const payout = statements.prepare("SELECT status, export_batch AS batch FROM payout_items WHERE transfer_id = ? AND status IN ('exported', 'confirmed')").get(transferId) as
      | { status: string; batch: string | null }
      | undefined
    if (payout) {
      throw new ApiFailure(
        'refused',
        `Transfer ${transferId} was ${payout.status} to the platform in payout batch ${String(payout.batch)}; reverse it on the platform first, or record a rejection through its confirmation file.`,
      )
    }
    if (original.creditPlayer !== null) {
      requireBalance(statements, original.creditPlayer, original.currency, original.amount, `reversing transfer ${transferId} takes back`)
    }
    const result = postWithin(
      statements,
      [
        {
          idempotencyKey: `reverse:${transferId}`,
          from: accountRef(original.creditPlayer, original.creditSystem),
          to: accountRef(original.debitPlayer, original.debitSystem),
          currency: original.currency,
          amount: original.amount,
          kind: 'reversal',
          reason,
          sourceType: 'reversal',
          sourceId: `transfer:${transferId}`,
          reversesTransferId: transferId,
        },
      ],
      createdAt,
    )
    const reversalTransferId = result.transferIds[0]!
    if (original.currency === 'BONUS' && original.creditPlayer !== null) assertBonusCoversOpenLots(statements, original.creditPlayer, `Reversing transfer ${transferId}`)
    tx.insert(auditLog)
      .values({ action: 'ledger.reverse', actor, subject: `transfer:${transferId}`, reason, details: { ...summary, reversalTransferId }, at: createdAt })
      .run()
    return { reversalTransferId, alreadyReversed: false, original: summary }
  })
}

// ---------------------------------------------------------------------------------------------

/** A player's external id as it appears in an expiry key: a long one is hashed so the key stays under 200 characters. */
function keyPlayer(playerId: string): string {
  return playerId.length <= 120 ? playerId : `sha256:${createHash('sha256').update(playerId).digest('hex')}`
}

function ticketExpiryKey(playerId: string, from: number, to: number): string {
  return `tickets-expiry:${keyPlayer(playerId)}:${from}-${to}`
}

function pointsExpiryKey(currency: ExpiringPoints, playerId: string, from: number, to: number): string {
  return `points-expiry:${currency}:${keyPlayer(playerId)}:${from}-${to}`
}

interface HeldUnitsExpiry {
  currency: 'TICKETS' | ExpiringPoints
  /** Units credited at or before this instant (ms) that are still held expire. */
  cutoffTime: number
  /** The as-of instant: the expiry transfers are dated by it. */
  asOf: string
  key(playerId: string, from: number, to: number): string
  reason(units: number): string
  sourceId: string
}

/**
 * FIFO expiry of one currency, inside the caller's write (see the top of this file): for every
 * player holding some, the units credited at or before the cutoff that are still held move to
 * 'expiry' (kind 'expiry'), one transfer per player, players in external-id order. The key names
 * the units it expires (the player's units from..to in credit order), so a re-run finds those
 * units already gone and posts nothing.
 */
function expireHeldUnits(statements: StatementCache, spec: HeldUnitsExpiry): { playerId: string; units: number; transferId: number }[] {
  const holders = statements
    .prepare(
      `SELECT a.id, a.balance, p.external_id AS playerId FROM ledger_accounts a JOIN players p ON p.id = a.player_id
       WHERE a.currency = ? AND a.balance > 0 ORDER BY p.external_id`,
    )
    .all(spec.currency) as { id: number; balance: number; playerId: string }[]
  const credits = statements.prepare('SELECT id, amount, created_at AS createdAt FROM ledger_transfers WHERE credit_account_id = ?')
  const debited = statements.prepare('SELECT COALESCE(SUM(amount), 0) AS total FROM ledger_transfers WHERE debit_account_id = ?')
  const expired: { playerId: string; units: number; transferId: number }[] = []
  for (const holder of holders) {
    const gone = (debited.get(holder.id) as { total: number }).total
    const batches = (credits.all(holder.id) as { id: number; amount: number; createdAt: string }[])
      .map((credit) => ({ ...credit, time: Date.parse(credit.createdAt) }))
      .sort((a, b) => a.time - b.time || a.id - b.id)
    // Walk the credits oldest first: the first `gone` units were used; of the rest, those
    // credited at or before the cutoff expire.
    let skipped = 0
    let expiring = 0
    for (const batch of batches) {
      if (!(batch.time <= spec.cutoffTime)) break
      const used = Math.min(batch.amount, Math.max(0, gone - skipped))
      skipped += used
      expiring += batch.amount - used
    }
    if (expiring === 0) continue
    const result = postWithin(
      statements,
      [
        {
          idempotencyKey: spec.key(holder.playerId, gone, gone + expiring),
          from: { player: holder.playerId },
          to: { system: 'expiry' },
          currency: spec.currency,
          amount: expiring,
          kind: 'expiry',
          reason: spec.reason(expiring),
          sourceType: 'system',
          sourceId: spec.sourceId,
        },
      ],
      spec.asOf,
    )
    expired.push({ playerId: holder.playerId, units: expiring, transferId: result.transferIds[0]! })
  }
  return expired
}

/**
 * FIFO ticket expiry (see the top of this file): for every player holding tickets, the tickets
 * credited at or before asOf − ticketExpiryDays that are still held move to 'expiry' (kind
 * 'expiry'), one transfer per player, all in one transaction. Safe to run twice; as-of driven.
 */
export function expireTickets(database: LedgerDatabase, request: ExpireTicketsRequest): ExpireTicketsResult {
  const asOf = canonicalInstant(request.asOf, 'asOf')
  const days = request.ticketExpiryDays
  if (typeof days !== 'number' || !Number.isSafeInteger(days) || days < 0 || days > ticketExpiryDaysMax) {
    throw new ApiFailure('invalid_input', `ticketExpiryDays must be a whole number of days from 0 to ${ticketExpiryDaysMax}, got ${String(days)}.`)
  }
  const cutoffTime = Date.parse(asOf) - days * dayMilliseconds
  const cutoff = new Date(cutoffTime).toISOString()
  return database.write((_tx, statements) => {
    const expired = expireHeldUnits(statements, {
      currency: 'TICKETS',
      cutoffTime,
      asOf,
      key: ticketExpiryKey,
      reason: (tickets) => `${tickets} ticket(s) credited on or before ${cutoff} expired unused (${days}-day expiry, as of ${asOf})`,
      sourceId: `tickets-expiry:${asOf}`,
    })
    return { cutoff, expired: expired.map(({ playerId, units, transferId }) => ({ playerId, tickets: units, transferId })) }
  })
}

/**
 * Points expiry by the engine settings' `pointsExpiry` (the saved settings unless the request
 * gives them): for each of LP and RP that has `afterDays`, the points credited at or before
 * asOf − afterDays that are still held expire, FIFO exactly like tickets — spending, earlier
 * expiries and other debits use the oldest points first, so what expires is what was not spent
 * within afterDays of being earned. One transfer per player and currency, key
 * `points-expiry:<currency>:<player>:<from>-<to>`, all in one transaction. A currency without a
 * setting is left alone (the default: points do not expire). Safe to run twice; as-of driven.
 */
export function expirePoints(database: LedgerDatabase, request: ExpirePointsRequest): ExpirePointsResult {
  const asOf = canonicalInstant(request.asOf, 'asOf')
  const settings = request.pointsExpiry === undefined ? readEngineSettings(database).pointsExpiry : engineSettingsSchema.shape.pointsExpiry.parse(request.pointsExpiry)
  const cutoffs: ExpirePointsResult['cutoffs'] = {}
  const plan: { currency: ExpiringPoints; days: number; cutoffTime: number }[] = []
  for (const currency of expiringPoints) {
    const days = settings[currency]?.afterDays
    if (days === undefined) continue
    const cutoffTime = Date.parse(asOf) - days * dayMilliseconds
    cutoffs[currency] = new Date(cutoffTime).toISOString()
    plan.push({ currency, days, cutoffTime })
  }
  if (plan.length === 0) return { cutoffs, expired: [] }
  return database.write((_tx, statements) => {
    const expired: ExpiredPoints[] = []
    for (const { currency, days, cutoffTime } of plan) {
      const cutoff = cutoffs[currency]!
      const posted = expireHeldUnits(statements, {
        currency,
        cutoffTime,
        asOf,
        key: (playerId, from, to) => pointsExpiryKey(currency, playerId, from, to),
        reason: (points) => `${points} ${currency} credited on or before ${cutoff} expired unspent (${days}-day points expiry, as of ${asOf})`,
        sourceId: `points-expiry:${asOf}`,
      })
      for (const { playerId, units, transferId } of posted) expired.push({ playerId, currency, points: units, transferId })
    }
    return { cutoffs, expired }
  })
}

/**
 * The whole expiry job as of an instant: bonus lots due by then, tickets older than
 * ticketExpiryDays, and points per the saved settings — each part idempotent, so the job is safe
 * to run twice (or again after an interruption between the parts).
 */
export function runExpiry(database: LedgerDatabase, request: RunExpiryRequest): RunExpiryResult {
  const asOf = canonicalInstant(request.asOf, 'asOf')
  const lots = expireLots(database, asOf)
  const tickets = expireTickets(database, { asOf, ticketExpiryDays: request.ticketExpiryDays })
  const points = expirePoints(database, { asOf, pointsExpiry: request.pointsExpiry })
  return { asOf, lots, tickets, points }
}
