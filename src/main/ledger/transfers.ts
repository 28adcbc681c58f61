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

/**
 * What a caller posting many transfers already knows, so each batch skips its lookups: players' row
 * ids and their accounts (see account-directory.ts). `accountId` must be authoritative: 0 means the
 * player has no account in that currency yet (it is then created).
 */
export interface KnownAccounts {
  playerRowId(externalId: string): number | undefined
  /** ledger_accounts.id of the player's account in currencyCodes[currency]; 0 = none. */
  accountId(playerRowId: number, currency: number): number
  /**
   * An account this post created. A failed batch ends the caller's whole post, so an id from a
   * rolled-back batch is never used again.
   */
  remember(playerRowId: number, currency: number, accountId: number): void
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
  return chainHash(
    previousHash,
    row.idempotencyKey,
    row.debitAccountId,
    row.creditAccountId,
    row.currency,
    row.amount,
    hashTail(row.kind, row.reason, row.sourceType, row.sourceId, row.lotId, row.reversesTransferId, row.createdAt),
  )
}

/**
 * The hashed text is the fields joined by U+001F (a null lot or reversal as empty), byte for byte
 * what the first version hashed with Array#join, so existing chains still verify. It is built in
 * two parts: the tail (kind … created_at) is usually the same for a whole chunk of a post and is
 * then built once per chunk. crypto.hash is the one-shot SHA-256, without a Hash object per transfer.
 */
function chainHash(previousHash: string, idempotencyKey: string, debitAccountId: number, creditAccountId: number, currency: string, amount: number, tail: string): string {
  return digest('sha256', `${previousHash}\u001f${idempotencyKey}\u001f${debitAccountId}\u001f${creditAccountId}\u001f${currency}\u001f${amount}${tail}`, 'hex')
}

function hashTail(kind: string, reason: string, sourceType: string, sourceId: string, lotId: number | null, reversesTransferId: number | null, createdAt: string): string {
  return `\u001f${kind}\u001f${reason}\u001f${sourceType}\u001f${sourceId}\u001f${lotId ?? ''}\u001f${reversesTransferId ?? ''}\u001f${createdAt}`
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

function sameAccount(a: AccountRef, b: AccountRef): boolean {
  const playerA = (a as { player?: string }).player
  const playerB = (b as { player?: string }).player
  return playerA !== undefined || playerB !== undefined ? playerA === playerB : (a as { system: string }).system === (b as { system: string }).system
}

const surrogate = /[\uD800-\uDFFF]/
const unpairedSurrogate = /\p{Cs}/u

function validate(request: TransferRequest, index: number): void {
  // Built only for a refusal: a million transfers should not build a million messages.
  const where = () => `transfer ${index + 1} (${String(request.idempotencyKey).slice(0, 80)})`
  if (typeof request.idempotencyKey !== 'string' || request.idempotencyKey.length === 0 || request.idempotencyKey.length > idempotencyKeyLengthMax) {
    throw new ApiFailure('invalid_input', `${where()}: the idempotency key must be 1–${idempotencyKeyLengthMax} characters.`)
  }
  // SQLite stores an unpaired surrogate as U+FFFD, so two different keys could become one.
  if (surrogate.test(request.idempotencyKey) && unpairedSurrogate.test(request.idempotencyKey)) {
    throw new ApiFailure('invalid_input', `${where()}: the idempotency key is not valid Unicode text (it has an unpaired surrogate).`)
  }
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    throw new ApiFailure('invalid_input', `${where()}: the amount must be a positive whole number of units, got ${request.amount}.`)
  }
  if (!Object.hasOwn(currencyIndex, request.currency)) {
    throw new ApiFailure('invalid_input', `${where()}: unknown currency ${request.currency}; expected one of ${currencyCodes.join(', ')}.`)
  }
  if (sameAccount(request.from, request.to)) throw new ApiFailure('invalid_input', `${where()}: the source and target accounts are the same.`)
  if (typeof request.reason !== 'string' || request.reason.length > reasonLengthMax || request.reason.trim() === '') {
    throw new ApiFailure('invalid_input', `${where()}: a reason of 1–${reasonLengthMax} characters is required.`)
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
  known?: KnownAccounts,
): PostResult {
  requests.forEach(validate)
  const total: PostResult = { posted: 0, alreadyPosted: 0 }
  for (let start = 0; start < requests.length; start += batchSize) {
    const batch = requests.slice(start, start + batchSize)
    // No transfer ids: a large post does not need them, and they would be an array per batch.
    const result = database.write((_transaction, statements) => postValidated(statements, batch, createdAt, false, known))
    total.posted += result.posted
    total.alreadyPosted += result.alreadyPosted
  }
  return total
}

/**
 * Posts inside a write() the caller already holds, so other rows (bonus lots, payout items) can
 * land in the same transaction as their transfers. Validates like postTransfers.
 */
export function postWithin(statements: StatementCache, batch: readonly TransferRequest[], createdAt: string, known?: KnownAccounts): PostWithinResult {
  batch.forEach(validate)
  return postValidated(statements, batch, createdAt, true, known)
}

// ---------------------------------------------------------------------------------------------
// The hot path
//
// Measured on the bench (1,000,000 reward transfers to 200,000 first-time players, 50,000 per
// transaction; scripts/bench/suites/ledger.ts has the figures): SQLite's own work — the rows, three
// indexes, the commits — is most of the cost and the floor; what is around it is kept to a few
// native calls per chunk of rows or per batch:
// - one multi-row INSERT per chunk of rows, not one statement per row (each statement is a call into
//   SQLite, a VDBE run and an AUTOINCREMENT sequence update);
// - values the whole chunk shares (created_at always; kind, reason, source, currency, lot and
//   reversal when they are the same in every row, as a rule's rewards are) are bound once as named
//   parameters: binding a text value converts it to UTF-8 and copies it into SQLite, and per-row
//   binding of 13 values was a quarter of SQLite's share;
// - idempotency is checked by the unique index itself: a chunk is inserted as if every key were
//   new; if one was not, SQLite undoes just that statement and the chunk is redone after looking
//   its keys up (and the next chunks are looked up first until one has no old key — a re-run is
//   usually all old keys). Looking every key up first instead costs as much as a second index;
// - accounts: the batch's players and their accounts are read with one query each (json_each of
//   the ids, one bound value instead of hundreds), missing accounts created with one INSERT …
//   SELECT; each account gets a dense slot for the batch, so balances move in a typed array, not
//   a Map, and are written once per account at the end of the batch, in account order;
// - the hash: one crypto.hash (one-shot SHA-256) per transfer over a template string whose tail
//   (kind … created_at) is built once per chunk when the chunk shares it. The chain stays one hash
//   per transfer over the same text as before, so verify.ts and existing databases are unchanged.

/** Rows per INSERT statement: amortises the per-statement work, 12 bound values a row at most. */
const insertChunkRows = 64
/** Distinct players or accounts per json_each query or INSERT … SELECT. */
const jsonChunkIds = 20_000

/**
 * Columns that may hold the same value in every row of a chunk; such a column is bound once per
 * statement as a named parameter. created_at is always shared (one post, one time).
 */
const sharedColumns = [
  { name: 'currency', value: (request: TransferRequest): unknown => request.currency },
  { name: 'kind', value: (request: TransferRequest): unknown => request.kind },
  { name: 'reason', value: (request: TransferRequest): unknown => request.reason },
  { name: 'sourceType', value: (request: TransferRequest): unknown => request.sourceType },
  { name: 'sourceId', value: (request: TransferRequest): unknown => request.sourceId },
  { name: 'reverses', value: (request: TransferRequest): unknown => request.reversesTransferId ?? null },
  { name: 'lot', value: (request: TransferRequest): unknown => request.lotId ?? null },
] as const
const [currencyBit, kindBit, reasonBit, sourceTypeBit, sourceIdBit, reversesBit, lotBit] = sharedColumns.map((_, index) => 1 << index) as [number, number, number, number, number, number, number]
/** The columns of the hash's tail (created_at is always shared). */
const tailBits = kindBit | reasonBit | sourceTypeBit | sourceIdBit | reversesBit | lotBit

const insertSql = new Map<number, string>()
/** The INSERT for `rows` rows whose shared columns are the bits of `shared` (cached: the statement cache is keyed by this text). */
function insertText(rows: number, shared: number): string {
  const key = rows * 128 + shared
  let text = insertSql.get(key)
  if (text === undefined) {
    const value = (bit: number, name: string) => (shared & bit ? `:${name}` : '?')
    const row = `(?, ?, ?, ${value(currencyBit, 'currency')}, ?, ${value(kindBit, 'kind')}, ${value(reasonBit, 'reason')}, ${value(sourceTypeBit, 'sourceType')}, ${value(sourceIdBit, 'sourceId')}, ${value(reversesBit, 'reverses')}, ${value(lotBit, 'lot')}, :createdAt, ?)`
    text =
      'INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id, currency, amount, kind, reason, source_type, source_id, reverses_transfer_id, lot_id, created_at, hash) VALUES ' +
      Array<string>(rows).fill(row).join(', ')
    insertSql.set(key, text)
  }
  return text
}

interface PostedTransfer {
  id: number
  debit: number
  credit: number
  currency: string
  amount: number
  kind: string
}

/** The unique index on idempotency_key refused a row: some key of the statement was posted before. */
function isKeyConflict(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('ledger_transfers.idempotency_key')
  )
}

function postValidated(statements: StatementCache, batch: readonly TransferRequest[], createdAt: string, wantIds: boolean, known: KnownAccounts | undefined): PostWithinResult {
  const count = batch.length
  const result: PostWithinResult = { posted: 0, alreadyPosted: 0, transferIds: wantIds ? new Array<number>(count) : [] }
  if (count === 0) return result
  const { debitSlot, creditSlot, accountIds, startBalances } = resolveAccounts(statements, batch, known)
  // This batch's balance change per account slot; the starting balance is known (not NaN) for
  // player accounts, which must not go below zero.
  const deltas = new Float64Array(accountIds.length)
  const move = (index: number) => {
    const request = batch[index]!
    const amount = request.amount
    const debit = debitSlot[index]!
    deltas[debit]! -= amount
    deltas[creditSlot[index]!]! += amount
    const start = startBalances[debit]!
    if (start + deltas[debit]! < 0) {
      throw new ApiFailure(
        'refused',
        `${accountLabel(request.from)} has ${start + deltas[debit]! + amount} ${request.currency}, less than the ${amount} that ${request.idempotencyKey} takes. Nothing was written.`,
      )
    }
  }

  const values: unknown[] = []
  /** Inserts the given rows (request indexes, in order) with one statement, chaining their hashes. */
  const insertRows = (rows: readonly number[], rowCount: number, previous: string): { lastId: number; lastHash: string } => {
    const first = batch[rows[0]!]!
    let shared = 0
    for (let column = 0; column < sharedColumns.length; column += 1) {
      const value = sharedColumns[column]!.value
      const wanted = value(first)
      let same = true
      for (let position = 1; position < rowCount && same; position += 1) same = value(batch[rows[position]!]!) === wanted
      if (same) shared |= 1 << column
    }
    const named: Record<string, unknown> = { createdAt }
    for (let column = 0; column < sharedColumns.length; column += 1) if (shared & (1 << column)) named[sharedColumns[column]!.name] = sharedColumns[column]!.value(first)
    const sharedTail = (shared & tailBits) === tailBits ? hashTail(first.kind, first.reason, first.sourceType, first.sourceId, first.lotId ?? null, first.reversesTransferId ?? null, createdAt) : undefined
    let hash = previous
    let at = 0
    for (let position = 0; position < rowCount; position += 1) {
      const index = rows[position]!
      const request = batch[index]!
      const debitId = accountIds[debitSlot[index]!]!
      const creditId = accountIds[creditSlot[index]!]!
      const lotId = request.lotId ?? null
      const reversesTransferId = request.reversesTransferId ?? null
      const tail = sharedTail ?? hashTail(request.kind, request.reason, request.sourceType, request.sourceId, lotId, reversesTransferId, createdAt)
      hash = chainHash(hash, request.idempotencyKey, debitId, creditId, request.currency, request.amount, tail)
      values[at++] = request.idempotencyKey
      values[at++] = debitId
      values[at++] = creditId
      if (!(shared & currencyBit)) values[at++] = request.currency
      values[at++] = request.amount
      if (!(shared & kindBit)) values[at++] = request.kind
      if (!(shared & reasonBit)) values[at++] = request.reason
      if (!(shared & sourceTypeBit)) values[at++] = request.sourceType
      if (!(shared & sourceIdBit)) values[at++] = request.sourceId
      if (!(shared & reversesBit)) values[at++] = reversesTransferId
      if (!(shared & lotBit)) values[at++] = lotId
      values[at++] = hash
    }
    values.length = at
    // Spread, not an array argument: better-sqlite3 reads arguments directly but an array element
    // by element through the V8 object API.
    const inserted = statements.prepare(insertText(rowCount, shared)).run(...values, named)
    return { lastId: Number(inserted.lastInsertRowid), lastHash: hash }
  }

  let previousHash = (statements.prepare('SELECT hash FROM ledger_transfers ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined)?.hash ?? genesisHash
  const lookUp = statements.prepare(
    'SELECT j.key AS position, t.id, t.debit_account_id AS debit, t.credit_account_id AS credit, t.currency, t.amount, t.kind FROM json_each(?) j JOIN ledger_transfers t ON t.idempotency_key = j.value',
  )
  const fresh: number[] = []
  let lookUpFirst = false
  for (let start = 0; start < count; start += insertChunkRows) {
    const end = Math.min(count, start + insertChunkRows)
    const size = end - start
    if (!lookUpFirst) {
      fresh.length = size
      for (let position = 0; position < size; position += 1) fresh[position] = start + position
      let inserted: { lastId: number; lastHash: string } | undefined
      try {
        inserted = insertRows(fresh, size, previousHash)
      } catch (error) {
        if (!isKeyConflict(error)) throw error
        lookUpFirst = true
      }
      if (inserted) {
        // One statement under our write lock: its AUTOINCREMENT ids are consecutive.
        for (let index = start; index < end; index += 1) {
          move(index)
          if (wantIds) result.transferIds[index] = inserted.lastId - (end - 1 - index)
        }
        result.posted += size
        previousHash = inserted.lastHash
        continue
      }
    }
    // Look the chunk's keys up, then insert only the new ones.
    const keys = new Array<string>(size)
    for (let position = 0; position < size; position += 1) keys[position] = batch[start + position]!.idempotencyKey
    // By position in the chunk, not by the key text SQLite hands back: the request's own string is the reference.
    const existing = new Array<PostedTransfer | undefined>(size)
    let existingCount = 0
    for (const row of lookUp.all(JSON.stringify(keys)) as (PostedTransfer & { position: number })[]) {
      existing[row.position] = row
      existingCount += 1
    }
    // A key twice in this chunk: the later one is compared with the earlier one.
    const firstInChunk = new Map<string, number>()
    const repeats: [number, number][] = []
    fresh.length = 0
    for (let index = start; index < end; index += 1) {
      const request = batch[index]!
      const debitId = accountIds[debitSlot[index]!]!
      const creditId = accountIds[creditSlot[index]!]!
      const before = existing[index - start]
      if (before) {
        compareWithPosted(request, debitId, creditId, before)
        result.alreadyPosted += 1
        if (wantIds) result.transferIds[index] = before.id
        continue
      }
      const earlier = firstInChunk.get(request.idempotencyKey)
      if (earlier !== undefined) {
        const first = batch[earlier]!
        compareWithPosted(request, debitId, creditId, {
          id: 0,
          debit: accountIds[debitSlot[earlier]!]!,
          credit: accountIds[creditSlot[earlier]!]!,
          currency: first.currency,
          amount: first.amount,
          kind: first.kind,
        })
        result.alreadyPosted += 1
        repeats.push([index, earlier])
        continue
      }
      firstInChunk.set(request.idempotencyKey, index)
      move(index)
      fresh.push(index)
    }
    if (fresh.length > 0) {
      const inserted = insertRows(fresh, fresh.length, previousHash)
      if (wantIds) for (let position = 0; position < fresh.length; position += 1) result.transferIds[fresh[position]!] = inserted.lastId - (fresh.length - 1 - position)
      result.posted += fresh.length
      previousHash = inserted.lastHash
    }
    if (wantIds) for (const [index, earlier] of repeats) result.transferIds[index] = result.transferIds[earlier]!
    // A chunk of only new keys: back to inserting first.
    if (existingCount === 0 && repeats.length === 0) lookUpFirst = false
  }
  applyDeltas(statements, accountIds, deltas)
  return result
}

function compareWithPosted(request: TransferRequest, debitAccountId: number, creditAccountId: number, existing: PostedTransfer): void {
  const differences: string[] = []
  if (existing.debit !== debitAccountId) differences.push('a different source account')
  if (existing.credit !== creditAccountId) differences.push('a different target account')
  if (existing.currency !== request.currency) differences.push(`currency ${existing.currency} then, ${request.currency} now`)
  if (existing.amount !== request.amount) differences.push(`amount ${existing.amount} then, ${request.amount} now`)
  if (existing.kind !== request.kind) differences.push(`kind ${existing.kind} then, ${request.kind} now`)
  if (differences.length > 0) throw new LedgerConflict(request.idempotencyKey, differences)
}

/** Accounts per balance UPDATE: two integer parameters each. */
const deltaChunkRows = 500

/**
 * Writes the batch's balance changes in account order (neighbouring accounts share B-tree pages),
 * a few hundred accounts per UPDATE … FROM (VALUES …): integers bind cheaply, so this beats
 * handing SQLite one JSON text to parse.
 */
function applyDeltas(statements: StatementCache, accountIds: readonly number[], deltas: Float64Array): void {
  const changed: [number, number][] = []
  for (let slot = 0; slot < deltas.length; slot += 1) if (deltas[slot] !== 0) changed.push([accountIds[slot]!, deltas[slot]!])
  changed.sort((a, b) => a[0] - b[0])
  const values: number[] = []
  for (let start = 0; start < changed.length; start += deltaChunkRows) {
    const end = Math.min(changed.length, start + deltaChunkRows)
    values.length = 0
    for (let index = start; index < end; index += 1) values.push(changed[index]![0], changed[index]![1])
    statements
      .prepare(
        `WITH changes(account_id, delta) AS (VALUES ${Array<string>(end - start).fill('(?, ?)').join(', ')})
         UPDATE ledger_accounts SET balance = balance + changes.delta FROM changes WHERE ledger_accounts.id = changes.account_id`,
      )
      .run(...values)
  }
}

interface ResolvedAccounts {
  /** Per request: the account slot of the source and of the target (owner × 4 + currency index). */
  debitSlot: Int32Array
  creditSlot: Int32Array
  /** Per slot: the account id (0 where the batch uses no such account). */
  accountIds: number[]
  /** Per slot: the balance before this batch for a player account, NaN for a system account (never checked). */
  startBalances: number[]
}

const currencyCount = currencyCodes.length

/**
 * Finds (or creates) every account the batch touches with a handful of queries: the players, then
 * their accounts, then the missing accounts in one INSERT … SELECT. Players must exist.
 * Owners (players and system purposes) are numbered in order of first use and an account's slot is
 * owner × 4 + currency index, so the hot loop indexes plain arrays and allocates nothing per owner.
 */
function resolveAccounts(statements: StatementCache, batch: readonly TransferRequest[], known: KnownAccounts | undefined): ResolvedAccounts {
  const count = batch.length
  const players = new Map<string, number>()
  const systems = new Map<string, number>()
  /** Per owner: the player's external id, or null for a system purpose. */
  const ownerPlayer: (string | null)[] = []
  /** Per owner: the currencies the batch needs, as bits of currency indexes. */
  const needed: number[] = []
  const debitSlot = new Int32Array(count)
  const creditSlot = new Int32Array(count)
  // Transfers come grouped by player more often than not (keys sorted by rule, player, period):
  // the previous player is checked first, which also spares hashing each request's own copy of the id.
  let lastPlayer: string | undefined
  let lastOwner = -1
  const owner = (ref: AccountRef): number => {
    const player = (ref as { player?: string }).player
    if (player !== undefined) {
      if (player === lastPlayer) return lastOwner
      let found = players.get(player)
      if (found === undefined) {
        found = ownerPlayer.length
        players.set(player, found)
        ownerPlayer.push(player)
        needed.push(0)
      }
      lastPlayer = player
      lastOwner = found
      return found
    }
    const system = (ref as { system: string }).system
    let found = systems.get(system)
    if (found === undefined) {
      if (!(systemAccountNames as readonly string[]).includes(system)) throw new ApiFailure('invalid_input', `Unknown system account ${system}.`)
      found = ownerPlayer.length
      systems.set(system, found)
      ownerPlayer.push(null)
      needed.push(0)
    }
    return found
  }
  for (let index = 0; index < count; index += 1) {
    const request = batch[index]!
    const currency = currencyIndex[request.currency]
    const from = owner(request.from)
    const to = owner(request.to)
    needed[from]! |= 1 << currency
    needed[to]! |= 1 << currency
    debitSlot[index] = from * currencyCount + currency
    creditSlot[index] = to * currencyCount + currency
  }

  const owners = ownerPlayer.length
  const accountIds = new Array<number>(owners * currencyCount).fill(0)
  const startBalances = new Array<number>(owners * currencyCount).fill(Number.NaN)
  const ownerRowId = new Array<number>(owners).fill(0)
  const missing: number[] = []
  // Players the caller knows take their row and accounts from it. The others are looked up: their
  // owner numbers and external ids, in one JSON array each.
  const playerOwners: number[] = []
  const externalIds: string[] = []
  for (let at = 0; at < owners; at += 1) {
    const player = ownerPlayer[at]
    if (player === null || player === undefined) continue
    const rowId = known?.playerRowId(player)
    if (rowId === undefined) {
      playerOwners.push(at)
      externalIds.push(player)
      continue
    }
    ownerRowId[at] = rowId
    for (let currency = 0; currency < currencyCount; currency += 1) {
      if (!(needed[at]! & (1 << currency))) continue
      const slot = at * currencyCount + currency
      const id = known!.accountId(rowId, currency)
      if (id === 0) missing.push(slot)
      else accountIds[slot] = id
    }
  }
  if (known) readDebitedBalances(statements, debitSlot, accountIds, startBalances, ownerPlayer)
  const findPlayers = statements.prepare('SELECT j.key AS position, p.id FROM json_each(?) j JOIN players p ON p.external_id = j.value')
  const findAccounts = statements.prepare('SELECT j.key AS position, a.id, a.currency, a.balance FROM json_each(?) j JOIN ledger_accounts a ON a.player_id = j.value')
  for (let start = 0; start < externalIds.length; start += jsonChunkIds) {
    const chunkOwners = playerOwners.slice(start, start + jsonChunkIds)
    const found: number[] = []
    const rowIds: number[] = []
    for (const row of findPlayers.all(JSON.stringify(externalIds.slice(start, start + jsonChunkIds))) as { position: number; id: number }[]) {
      const at = chunkOwners[row.position]!
      ownerRowId[at] = row.id
      found.push(at)
      rowIds.push(row.id)
    }
    for (const row of findAccounts.all(JSON.stringify(rowIds)) as { position: number; id: number; currency: Currency; balance: number }[]) {
      const slot = found[row.position]! * currencyCount + currencyIndex[row.currency]
      accountIds[slot] = row.id
      startBalances[slot] = row.balance
    }
    for (const at of found) {
      for (let currency = 0; currency < currencyCount; currency += 1) {
        const slot = at * currencyCount + currency
        if (needed[at]! & (1 << currency) && accountIds[slot] === 0) missing.push(slot)
      }
    }
  }
  for (let start = 0; start < missing.length; start += jsonChunkIds) createPlayerAccounts(statements, missing.slice(start, start + jsonChunkIds), ownerRowId, accountIds, startBalances)
  if (known) for (const slot of missing) known.remember(ownerRowId[Math.floor(slot / currencyCount)]!, slot % currencyCount, accountIds[slot]!)
  for (const [system, at] of systems) {
    for (let currency = 0; currency < currencyCount; currency += 1) {
      if (!(needed[at]! & (1 << currency))) continue
      const code = currencyCodes[currency]!
      const account = statements.prepare('SELECT id FROM ledger_accounts WHERE system_name = ? AND currency = ?').get(system, code) as { id: number } | undefined
      accountIds[at * currencyCount + currency] =
        account?.id ?? (statements.prepare('INSERT INTO ledger_accounts (system_name, currency, balance) VALUES (?, ?, 0) RETURNING id').get(system, code) as { id: number }).id
    }
  }
  // A player not in the database: refused at the first transfer that names them.
  for (let index = 0; index < count; index += 1) {
    for (const slot of [debitSlot[index]!, creditSlot[index]!]) {
      if (accountIds[slot] !== 0) continue
      const missingPlayer = ownerPlayer[Math.floor(slot / currencyCount)]
      throw new ApiFailure('not_found', `Player ${String(missingPlayer)} is not in the database; import them before posting to their account.`)
    }
  }
  return { debitSlot, creditSlot, accountIds, startBalances }
}

/**
 * The balance before this batch of every known player account the batch takes from: only a debit
 * is checked against it, and reward batches only credit players, so usually nothing is read.
 */
function readDebitedBalances(statements: StatementCache, debitSlot: Int32Array, accountIds: readonly number[], startBalances: number[], ownerPlayer: readonly (string | null)[]): void {
  const slots = new Set<number>()
  for (const slot of debitSlot) if (accountIds[slot] !== 0 && ownerPlayer[Math.floor(slot / currencyCount)] !== null) slots.add(slot)
  if (slots.size === 0) return
  const list = [...slots]
  const read = statements.prepare('SELECT j.key AS position, a.balance FROM json_each(?) j JOIN ledger_accounts a ON a.id = j.value')
  for (let start = 0; start < list.length; start += jsonChunkIds) {
    const chunk = list.slice(start, start + jsonChunkIds)
    for (const row of read.all(JSON.stringify(chunk.map((slot) => accountIds[slot]))) as { position: number; balance: number }[]) startBalances[chunk[row.position]!] = row.balance
  }
  // An account the caller vouched for but the ledger lacks would otherwise skip the overdraft check.
  for (const slot of list) {
    if (Number.isNaN(startBalances[slot])) throw new ApiFailure('internal', `Ledger account ${accountIds[slot]} of player ${String(ownerPlayer[Math.floor(slot / currencyCount)])} was not found; nothing was written.`)
  }
}

/**
 * Creates player accounts (given as slots) with one INSERT … SELECT over json_each, in array
 * order. It runs under our write lock, so its AUTOINCREMENT ids are consecutive in that order; the
 * first and the last are read back to make sure before anything uses them.
 */
function createPlayerAccounts(statements: StatementCache, slots: readonly number[], ownerRowId: readonly number[], accountIds: number[], startBalances: number[]): void {
  const rows = slots.map((slot) => [ownerRowId[Math.floor(slot / currencyCount)]!, currencyCodes[slot % currencyCount]!] as const)
  const inserted = statements
    .prepare('INSERT INTO ledger_accounts (player_id, currency, balance) SELECT j.value ->> 0, j.value ->> 1, 0 FROM json_each(?) j ORDER BY j.key')
    .run(JSON.stringify(rows))
  const lastId = Number(inserted.lastInsertRowid)
  const firstId = lastId - slots.length + 1
  const readBack = statements.prepare('SELECT player_id AS playerId, currency FROM ledger_accounts WHERE id = ?')
  for (const [id, row] of [
    [firstId, rows[0]!],
    [lastId, rows[rows.length - 1]!],
  ] as const) {
    const stored = readBack.get(id) as { playerId: number; currency: string } | undefined
    if (inserted.changes !== slots.length || stored?.playerId !== row[0] || stored?.currency !== row[1]) {
      throw new ApiFailure('internal', `Creating ${slots.length} ledger accounts did not give consecutive ids; nothing was written.`)
    }
  }
  for (let position = 0; position < slots.length; position += 1) {
    accountIds[slots[position]!] = firstId + position
    startBalances[slots[position]!] = 0
  }
}
