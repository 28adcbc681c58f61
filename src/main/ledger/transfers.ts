// The ledger's one write path: immutable transfers of a positive integer amount from one account
// to another, with the balance projection updated in the same transaction and each transfer
// chained to the previous one by a SHA-256 hash. Every transfer carries a deterministic
// idempotency key: posting the same key with the same content again is a no-op reported as
// "already posted"; the same key with different content is a conflict and nothing is written.
import { hash as digest } from 'node:crypto'
import { ApiFailure } from '../../shared/api/result'
import { currencyCodes, type Currency } from '../../shared/money'
import type { LedgerDatabase, StatementCache } from './database'

export const systemAccountNames = ['issuance', 'redemption', 'expiry', 'forfeit', 'adjustment', 'payout', 'conversion'] as const
export type SystemAccountName = (typeof systemAccountNames)[number]

export type AccountRef = { player: string } | { system: SystemAccountName }

export const transferKinds = ['reward', 'adjustment', 'expiry', 'forfeit', 'redemption', 'conversion', 'payout', 'reversal'] as const
export type TransferKind = (typeof transferKinds)[number]
export type SourceType = 'rule_version' | 'import' | 'operator' | 'system' | 'reversal'

export interface TransferRequest {
  idempotencyKey: string
  from: AccountRef
  to: AccountRef
  currency: Currency
  /** Positive integer: minor units for money, whole points or tickets. */
  amount: number
  kind: TransferKind
  reason: string
  sourceType: SourceType
  sourceId: string
  lotId?: number
  reversesTransferId?: number
}

export interface PostResult {
  posted: number
  alreadyPosted: number
}

export interface PostWithinResult extends PostResult {
  /** The transfer id of each request, in request order (the earlier one when already posted). */
  transferIds: number[]
}

/** Transfers per transaction when posting large batches: big enough to amortise the commit. */
export const postBatchTransfersMax = 50_000
export const genesisHash = '0'.repeat(64)
const currencyIndex = Object.fromEntries(currencyCodes.map((code, index) => [code, index])) as Record<Currency, number>
const idempotencyKeyLengthMax = 200
const reasonLengthMax = 500

export class LedgerConflict extends ApiFailure {
  constructor(key: string, differences: string[]) {
    super('conflict', `Idempotency key ${key} was already posted with different content (${differences.join('; ')}). Nothing was written.`, {
      key,
      differences,
    })
  }
}

function accountLabel(ref: AccountRef): string {
  return 'player' in ref ? `player:${ref.player}` : `system:${ref.system}`
}

/** The content a transfer's hash covers, in a fixed order; changing any field breaks the chain. */
export function transferHash(previousHash: string, row: HashedTransfer): string {
  // crypto.hash is the one-shot form: the same SHA-256, without a Hash object per transfer.
  return digest(
    'sha256',
    [previousHash, row.idempotencyKey, row.debitAccountId, row.creditAccountId, row.currency, row.amount, row.kind, row.reason, row.sourceType, row.sourceId, row.lotId ?? '', row.reversesTransferId ?? '', row.createdAt].join('\u001f'),
    'hex',
  )
}

export interface HashedTransfer {
  idempotencyKey: string
  debitAccountId: number
  creditAccountId: number
  currency: string
  amount: number
  kind: string
  reason: string
  sourceType: string
  sourceId: string
  lotId: number | null
  reversesTransferId: number | null
  createdAt: string
}

function validate(request: TransferRequest, index: number): void {
  const where = `transfer ${index + 1} (${String(request.idempotencyKey).slice(0, 80)})`
  if (typeof request.idempotencyKey !== 'string' || request.idempotencyKey.length === 0 || request.idempotencyKey.length > idempotencyKeyLengthMax) {
    throw new ApiFailure('invalid_input', `${where}: the idempotency key must be 1–${idempotencyKeyLengthMax} characters.`)
  }
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    throw new ApiFailure('invalid_input', `${where}: the amount must be a positive whole number of units, got ${request.amount}.`)
  }
  if (!(currencyCodes as readonly string[]).includes(request.currency)) {
    throw new ApiFailure('invalid_input', `${where}: unknown currency ${request.currency}; expected one of ${currencyCodes.join(', ')}.`)
  }
  if (accountLabel(request.from) === accountLabel(request.to)) throw new ApiFailure('invalid_input', `${where}: the source and target accounts are the same.`)
  if (typeof request.reason !== 'string' || request.reason.trim() === '' || request.reason.length > reasonLengthMax) {
    throw new ApiFailure('invalid_input', `${where}: a reason of 1–${reasonLengthMax} characters is required.`)
  }
}

/**
 * Posts transfers in one transaction each `postBatchTransfersMax`: all of a batch lands or none
 * of it. Returns how many were new and how many were already posted.
 */
export function postTransfers(
  database: LedgerDatabase,
  requests: readonly TransferRequest[],
  createdAt: string,
  batchSize: number = postBatchTransfersMax,
): PostResult {
  requests.forEach(validate)
  const total: PostResult = { posted: 0, alreadyPosted: 0 }
  for (let start = 0; start < requests.length; start += batchSize) {
    const batch = requests.slice(start, start + batchSize)
    const result = database.write((_transaction, statements) => postValidated(statements, batch, createdAt))
    total.posted += result.posted
    total.alreadyPosted += result.alreadyPosted
  }
  return total
}

/**
 * Posts inside a write() the caller already holds, so other rows (bonus lots, payout items) can
 * land in the same transaction as their transfers. Validates like postTransfers.
 */
export function postWithin(statements: StatementCache, batch: readonly TransferRequest[], createdAt: string): PostWithinResult {
  batch.forEach(validate)
  return postValidated(statements, batch, createdAt)
}

function postValidated(statements: StatementCache, batch: readonly TransferRequest[], createdAt: string): PostWithinResult {
  const findTransfer = statements.prepare(
    'SELECT id, debit_account_id AS debit, credit_account_id AS credit, currency, amount, kind FROM ledger_transfers WHERE idempotency_key = ?',
  )
  const lastHash = statements.prepare('SELECT hash FROM ledger_transfers ORDER BY id DESC LIMIT 1')
  // ON CONFLICT DO NOTHING: a key already posted costs one failed insert, not a lookup per transfer.
  const insert = statements.prepare(
    `INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id, currency, amount, kind, reason, source_type, source_id, reverses_transfer_id, lot_id, created_at, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
  )
  const readBalance = statements.prepare('SELECT balance, player_id AS playerId FROM ledger_accounts WHERE id = ?')
  const accounts = accountResolver(statements)
  // One query per few hundred players instead of three statements per account.
  const known = accounts.prefetch(batch)
  // Balances move in memory during the batch and are written once per account at its end, in the
  // same transaction: the projection never disagrees with the transfers that are committed.
  const balances = new Map<number, { balance: number; delta: number; player: boolean }>()
  const balanceOf = (accountId: number) => {
    let entry = balances.get(accountId)
    if (!entry) {
      const prefetched = known.get(accountId)
      const row = prefetched ?? (readBalance.get(accountId) as { balance: number; playerId: number | null })
      entry = { balance: row.balance, delta: 0, player: row.playerId !== null }
      balances.set(accountId, entry)
    }
    return entry
  }

  let previousHash = (lastHash.get() as { hash: string } | undefined)?.hash ?? genesisHash
  const result: PostWithinResult = { posted: 0, alreadyPosted: 0, transferIds: [] }
  for (const request of batch) {
    const debitAccountId = accounts.resolve(request.from, request.currency)
    const creditAccountId = accounts.resolve(request.to, request.currency)
    const row: HashedTransfer = {
      idempotencyKey: request.idempotencyKey,
      debitAccountId,
      creditAccountId,
      currency: request.currency,
      amount: request.amount,
      kind: request.kind,
      reason: request.reason,
      sourceType: request.sourceType,
      sourceId: request.sourceId,
      lotId: request.lotId ?? null,
      reversesTransferId: request.reversesTransferId ?? null,
      createdAt,
    }
    const hash = transferHash(previousHash, row)
    const inserted = insert.run(row.idempotencyKey, debitAccountId, creditAccountId, row.currency, row.amount, row.kind, row.reason, row.sourceType, row.sourceId, row.reversesTransferId, row.lotId, createdAt, hash)
    if (inserted.changes === 0) {
      const existing = findTransfer.get(request.idempotencyKey) as { id: number; debit: number; credit: number; currency: string; amount: number; kind: string }
      const differences: string[] = []
      if (existing.debit !== debitAccountId) differences.push('a different source account')
      if (existing.credit !== creditAccountId) differences.push('a different target account')
      if (existing.currency !== request.currency) differences.push(`currency ${existing.currency} then, ${request.currency} now`)
      if (existing.amount !== request.amount) differences.push(`amount ${existing.amount} then, ${request.amount} now`)
      if (existing.kind !== request.kind) differences.push(`kind ${existing.kind} then, ${request.kind} now`)
      if (differences.length > 0) throw new LedgerConflict(request.idempotencyKey, differences)
      result.alreadyPosted += 1
      result.transferIds.push(existing.id)
      continue
    }
    result.transferIds.push(Number(inserted.lastInsertRowid))
    const debit = balanceOf(debitAccountId)
    debit.balance -= request.amount
    debit.delta -= request.amount
    if (debit.player && debit.balance < 0) {
      throw new ApiFailure(
        'refused',
        `${accountLabel(request.from)} has ${debit.balance + request.amount} ${request.currency}, less than the ${request.amount} that ${request.idempotencyKey} takes. Nothing was written.`,
      )
    }
    const credit = balanceOf(creditAccountId)
    credit.balance += request.amount
    credit.delta += request.amount
    previousHash = hash
    result.posted += 1
  }
  applyDeltas(statements, balances)
  return result
}

const deltaChunkRows = 400
const prefetchChunkIds = 500
const createChunkRows = 300

/** Writes the batch's balance changes, a few hundred accounts per UPDATE … FROM (VALUES …). */
function applyDeltas(statements: StatementCache, balances: Map<number, { delta: number }>): void {
  const changed: number[] = []
  for (const [accountId, entry] of balances) if (entry.delta !== 0) changed.push(accountId, entry.delta)
  for (let start = 0; start < changed.length; start += deltaChunkRows * 2) {
    const chunk = changed.slice(start, start + deltaChunkRows * 2)
    const rows = chunk.length / 2
    statements
      .prepare(
        `WITH changes(account_id, delta) AS (VALUES ${Array(rows).fill('(?, ?)').join(', ')})
         UPDATE ledger_accounts SET balance = balance + changes.delta FROM changes WHERE ledger_accounts.id = changes.account_id`,
      )
      .run(...chunk)
  }
}

/** Account ids by (owner, currency), creating accounts on first use; players must exist. */
function accountResolver(statements: StatementCache) {
  const findPlayer = statements.prepare('SELECT id FROM players WHERE external_id = ?')
  const findPlayerAccount = statements.prepare('SELECT id FROM ledger_accounts WHERE player_id = ? AND currency = ?')
  const findSystemAccount = statements.prepare('SELECT id FROM ledger_accounts WHERE system_name = ? AND currency = ?')
  const createPlayerAccount = statements.prepare('INSERT INTO ledger_accounts (player_id, currency, balance) VALUES (?, ?, 0) RETURNING id')
  const createSystemAccount = statements.prepare('INSERT INTO ledger_accounts (system_name, currency, balance) VALUES (?, ?, 0) RETURNING id')
  const byPlayer = new Map<string, Int32Array>()
  const bySystem = new Map<string, Int32Array>()
  const playerIds = new Map<string, number>()
  /** Players whose every account was loaded by prefetch: a missing one does not exist yet. */
  const accountsLoaded = new Set<string>()
  const slot = (ref: AccountRef) => {
    const map = 'player' in ref ? byPlayer : bySystem
    const owner = 'player' in ref ? ref.player : ref.system
    let ids = map.get(owner)
    if (!ids) {
      ids = new Int32Array(currencyCodes.length) // 0 = not looked up yet (ids start at 1)
      map.set(owner, ids)
    }
    return ids
  }
  const inList = (count: number) => Array(count).fill('?').join(', ')
  return {
    /** Looks up the batch's players and their accounts in chunks; returns the balances it read. */
    prefetch(batch: readonly TransferRequest[]): Map<number, { balance: number; playerId: number | null }> {
      const known = new Map<number, { balance: number; playerId: number | null }>()
      const wanted = new Set<string>()
      for (const request of batch) {
        if ('player' in request.from && !playerIds.has(request.from.player)) wanted.add(request.from.player)
        if ('player' in request.to && !playerIds.has(request.to.player)) wanted.add(request.to.player)
      }
      const external = [...wanted]
      const internalToExternal = new Map<number, string>()
      for (let start = 0; start < external.length; start += prefetchChunkIds) {
        const chunk = external.slice(start, start + prefetchChunkIds)
        const rows = statements.prepare(`SELECT id, external_id AS externalId FROM players WHERE external_id IN (${inList(chunk.length)})`).all(...chunk) as { id: number; externalId: string }[]
        for (const row of rows) {
          playerIds.set(row.externalId, row.id)
          internalToExternal.set(row.id, row.externalId)
          accountsLoaded.add(row.externalId)
        }
      }
      const internal = [...internalToExternal.keys()]
      for (let start = 0; start < internal.length; start += prefetchChunkIds) {
        const chunk = internal.slice(start, start + prefetchChunkIds)
        const rows = statements
          .prepare(`SELECT id, player_id AS playerId, currency, balance FROM ledger_accounts WHERE player_id IN (${inList(chunk.length)})`)
          .all(...chunk) as { id: number; playerId: number; currency: Currency; balance: number }[]
        for (const row of rows) {
          slot({ player: internalToExternal.get(row.playerId)! })[currencyIndex[row.currency]] = row.id
          known.set(row.id, { balance: row.balance, playerId: row.playerId })
        }
      }
      // Accounts the batch needs that do not exist yet: created a few hundred per INSERT.
      const missing: number[] = []
      const seen = new Set<string>()
      for (const request of batch) {
        for (const ref of [request.from, request.to]) {
          if (!('player' in ref) || !internalToExternal.size) continue
          const playerId = playerIds.get(ref.player)
          if (playerId === undefined || !accountsLoaded.has(ref.player)) continue
          const index = currencyIndex[request.currency]
          const pair = `${playerId}:${index}`
          if (slot(ref)[index] !== 0 || seen.has(pair)) continue
          seen.add(pair)
          missing.push(playerId, index)
        }
      }
      for (let start = 0; start < missing.length; start += createChunkRows * 2) {
        const chunk = missing.slice(start, start + createChunkRows * 2)
        const values: (number | string)[] = []
        for (let at = 0; at < chunk.length; at += 2) values.push(chunk[at]!, currencyCodes[chunk[at + 1]!]!)
        const created = statements
          .prepare(`INSERT INTO ledger_accounts (player_id, currency, balance) VALUES ${Array(chunk.length / 2).fill('(?, ?, 0)').join(', ')} RETURNING id, player_id AS playerId, currency`)
          .all(...values) as { id: number; playerId: number; currency: Currency }[]
        for (const row of created) {
          slot({ player: internalToExternal.get(row.playerId)! })[currencyIndex[row.currency]] = row.id
          known.set(row.id, { balance: 0, playerId: row.playerId })
        }
      }
      return known
    },
    resolve(ref: AccountRef, currency: Currency): number {
      const ids = slot(ref)
      const index = currencyIndex[currency]
      const cached = ids[index]!
      if (cached !== 0) return cached
      let id: number
      if ('player' in ref) {
        let playerId = playerIds.get(ref.player)
        if (playerId === undefined) {
          const player = findPlayer.get(ref.player) as { id: number } | undefined
          if (!player) throw new ApiFailure('not_found', `Player ${ref.player} is not in the database; import them before posting to their account.`)
          playerId = player.id
          playerIds.set(ref.player, playerId)
        }
        const account = accountsLoaded.has(ref.player) ? undefined : (findPlayerAccount.get(playerId, currency) as { id: number } | undefined)
        id = account?.id ?? (createPlayerAccount.get(playerId, currency) as { id: number }).id
      } else {
        if (!(systemAccountNames as readonly string[]).includes(ref.system)) throw new ApiFailure('invalid_input', `Unknown system account ${ref.system}.`)
        const account = findSystemAccount.get(ref.system, currency) as { id: number } | undefined
        id = account?.id ?? (createSystemAccount.get(ref.system, currency) as { id: number }).id
      }
      ids[index] = id
      return id
    },
  }
}
