// Payouts: rewards that must reach the real gaming platform.
//
//   queue    a `pending` payout item per reward transfer credited to a player in BONUS, RP or
//            TICKETS (LP is tier progress and never leaves the workstation). Only kind 'reward'
//            is queued: adjustments, conversions and reversals are internal bookkeeping and are
//            not paid out by this path. A reward that has been reversed is not queued.
//   export   every pending item → a CSV/XLSX payout file, written whole to a temp file, flushed,
//            renamed into place, and only then marked `exported` (one transaction). An item that
//            was exported is never exported again as new.
//   confirm  the platform's confirmation file → `confirmed` / `rejected`, all-or-nothing: one bad
//            row and nothing is applied, with every problem listed by row number.
//
// Nothing is paid twice: the reference of every row is the transfer's idempotency key (unique),
// and the platform should treat it as its own idempotency key too.
import type { PayoutConfirmResult, PayoutItem } from '../../shared/api/types'
import { randomBytes } from 'node:crypto'
import { stat, unlink } from 'node:fs/promises'
import { basename } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import type { Currency } from '../../shared/money'
import {
  confirmationFormat,
  hashFile,
  readConfirmationRows,
  writePayoutFile,
  type PayoutFileFormat,
  type PayoutFileRow,
} from '../io/payout-file'
import { restoreNeutralised } from '../io/spreadsheet-safety'
import type { LedgerDatabase, StatementCache } from './database'

export const payoutStatuses = ['pending', 'exported', 'confirmed', 'rejected'] as const
export type PayoutStatus = (typeof payoutStatuses)[number]

/** Currencies that reach the platform. LP (tier progress) never leaves the workstation. */
export const payoutCurrencies = ['BONUS', 'RP', 'TICKETS'] as const satisfies readonly Currency[]

/** Rows read from the database per page while a payout file is written. */
export const exportPageRows = 1000
/** Problems listed in a refused confirmation file's message (the total is always given). */
export const confirmationProblemsListed = 50
const noteLengthMax = 1000
const batchPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

const sqlPayoutCurrencies = payoutCurrencies.map((code) => `'${code}'`).join(', ')

// ---------------------------------------------------------------------------------------------
// Queue

export interface QueueResult {
  /** New pending payout items. */
  queued: number
  /** Eligible transfers that already had a payout item (in any status). */
  alreadyQueued: number
}

/**
 * Creates a `pending` payout item per eligible reward transfer: kind 'reward', credited to a
 * player's account, in BONUS, RP or TICKETS, and not reversed. Idempotent (one item per
 * transfer, ever). `'all-rewards'` takes every eligible transfer; an explicit list is refused
 * whole — nothing queued — when any id is not eligible, with each id and its reason.
 */
export function queuePayouts(database: LedgerDatabase, transferIds: readonly number[] | 'all-rewards', at: string): QueueResult {
  checkTimestamp(at)
  if (transferIds !== 'all-rewards') {
    if (!Array.isArray(transferIds)) throw new ApiFailure('invalid_input', "transferIds must be a list of transfer ids or 'all-rewards'.")
    const bad = transferIds.filter((id) => !Number.isSafeInteger(id) || id <= 0)
    if (bad.length > 0) throw new ApiFailure('invalid_input', `Transfer ids must be positive whole numbers; got ${bad.slice(0, 10).join(', ')}.`)
  }
  return database.write((_transaction, statements) => {
    const result =
      transferIds === 'all-rewards' ? queueAllRewards(statements) : queueListed(statements, [...new Set(transferIds)].sort((a, b) => a - b))
    if (result.queued > 0) {
      audit(statements, {
        action: 'payouts.queue',
        actor: 'system',
        subject: 'payouts',
        reason: transferIds === 'all-rewards' ? 'queued every reward not yet queued' : `queued ${transferIds.length} listed transfer(s)`,
        details: result,
        at,
      })
    }
    return result
  })
}

const reversedTransfers = 'SELECT reverses_transfer_id FROM ledger_transfers WHERE reverses_transfer_id IS NOT NULL'
const eligibleRewards = `
  FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
  WHERE t.kind = 'reward' AND a.player_id IS NOT NULL AND t.currency IN (${sqlPayoutCurrencies})
    AND t.id NOT IN (${reversedTransfers})`
const insertItems = `
  INSERT INTO payout_items (transfer_id, player_id, currency, amount, reference, status)
  SELECT t.id, a.player_id, t.currency, t.amount, t.idempotency_key, 'pending'`

function queueAllRewards(statements: StatementCache): QueueResult {
  const eligible = (statements.prepare(`SELECT count(*) AS n ${eligibleRewards}`).get() as { n: number }).n
  const inserted = statements.prepare(`${insertItems} ${eligibleRewards} ORDER BY t.id ON CONFLICT DO NOTHING`).run()
  return { queued: inserted.changes, alreadyQueued: eligible - inserted.changes }
}

function queueListed(statements: StatementCache, ids: number[]): QueueResult {
  if (ids.length === 0) return { queued: 0, alreadyQueued: 0 }
  const json = JSON.stringify(ids)
  const found = statements
    .prepare(
      `SELECT j.value AS requested, t.id, t.kind, t.currency, a.player_id AS playerId,
              t.id IN (${reversedTransfers}) AS reversed
       FROM json_each(?) j
       LEFT JOIN ledger_transfers t ON t.id = j.value
       LEFT JOIN ledger_accounts a ON a.id = t.credit_account_id`,
    )
    .all(json) as { requested: number; id: number | null; kind: string | null; currency: string | null; playerId: number | null; reversed: number | null }[]
  const problems: string[] = []
  for (const row of found) {
    if (row.id === null) problems.push(`transfer ${row.requested} does not exist`)
    else if (row.kind !== 'reward') problems.push(`transfer ${row.id} is of kind ${row.kind}, not a reward`)
    else if (row.playerId === null) problems.push(`transfer ${row.id} does not credit a player`)
    else if (!(payoutCurrencies as readonly string[]).includes(row.currency ?? '')) {
      problems.push(`transfer ${row.id} is in ${row.currency}, which never leaves the workstation`)
    } else if (row.reversed) problems.push(`transfer ${row.id} has been reversed`)
  }
  if (problems.length > 0) {
    throw new ApiFailure(
      'refused',
      `Nothing was queued: ${problems.length} transfer(s) cannot be paid out (${listed(problems, 20)}).`,
      { problems: problems.slice(0, confirmationProblemsListed), total: problems.length },
    )
  }
  const inserted = statements.prepare(`${insertItems} ${eligibleRewards} AND t.id IN (SELECT value FROM json_each(?)) ORDER BY t.id ON CONFLICT DO NOTHING`).run(json)
  return { queued: inserted.changes, alreadyQueued: ids.length - inserted.changes }
}

// ---------------------------------------------------------------------------------------------
// Export

export interface ExportPayoutsOptions {
  format: PayoutFileFormat
  /** Where the file goes; its folder must exist. An existing file is refused unless `overwrite`. */
  path: string
  /** Batch id recorded on every exported item; default derived from `at` plus a random suffix. */
  batch?: string
  /** Digits of BONUS's minor unit (the engine settings' currency.minorDigits). Default 2. */
  minorDigits?: number
  overwrite?: boolean
  /** Who exported, for the audit log. Default 'operator'. */
  actor?: string
}

export interface ExportPayoutsResult {
  file: string
  rows: number
  batch: string
  /** Sum of the exported amounts per currency, integer minor units / points. */
  totals: Partial<Record<Currency, number>>
  /** Pending items left out because their reward was reversed in the ledger after queuing. */
  withheld: number
  sha256: string
}

const exportsRunning = new WeakSet<LedgerDatabase>()

/**
 * Writes every pending payout item to a CSV or XLSX file and then — only after the complete
 * file is on disk under its final name — marks exactly those items `exported` in one
 * transaction. If the file cannot be written nothing is marked; if the items changed meanwhile
 * (another export took them, or a reward was reversed) the file is removed and nothing is marked.
 * With nothing pending the file has only its header and `rows` is 0.
 */
export async function exportPayouts(database: LedgerDatabase, options: ExportPayoutsOptions, at: string): Promise<ExportPayoutsResult> {
  checkTimestamp(at)
  if (options.format !== 'csv' && options.format !== 'xlsx') throw new ApiFailure('invalid_input', `Unknown payout file format ${String(options.format)}; use csv or xlsx.`)
  checkExtension(options.path, options.format)
  const batch = options.batch ?? defaultBatch(at)
  if (!batchPattern.test(batch)) {
    throw new ApiFailure('invalid_input', `Batch id "${batch.slice(0, 80)}" must be 1–64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.`)
  }
  if (database.readRaw('SELECT 1 FROM payout_items WHERE export_batch = ? LIMIT 1').get(batch)) {
    throw new ApiFailure('conflict', `Batch ${batch} was already used by an earlier export; choose another batch id.`)
  }
  if (exportsRunning.has(database)) throw new ApiFailure('conflict', 'A payout export is already running on this database; wait for it to finish.')
  exportsRunning.add(database)
  try {
    return await exportLocked(database, options, batch, at)
  } finally {
    exportsRunning.delete(database)
  }
}

async function exportLocked(database: LedgerDatabase, options: ExportPayoutsOptions, batch: string, at: string): Promise<ExportPayoutsResult> {
  // What "pending" means for this export is fixed at its start: later items wait for the next one.
  const lastItemId = (database.readRaw('SELECT coalesce(max(id), 0) AS id FROM payout_items').get() as { id: number }).id
  const lastTransferId = (database.readRaw('SELECT coalesce(max(id), 0) AS id FROM ledger_transfers').get() as { id: number }).id
  // Two scans up front instead of one per page: there is no index on these columns.
  const reversed = new Set(
    (
      database
        .readRaw(
          `SELECT DISTINCT reverses_transfer_id AS id FROM ledger_transfers
           WHERE reverses_transfer_id IN (SELECT transfer_id FROM payout_items WHERE status = 'pending' AND id <= ?)`,
        )
        .all(lastItemId) as { id: number }[]
    ).map((row) => row.id),
  )
  const lotByTransfer = new Map(
    (
      database
        .readRaw(
          `SELECT issue_transfer_id AS transferId, min(id) AS lotId FROM bonus_lots
           WHERE issue_transfer_id IN (SELECT transfer_id FROM payout_items WHERE status = 'pending' AND id <= ?)
           GROUP BY issue_transfer_id`,
        )
        .all(lastItemId) as { transferId: number; lotId: number }[]
    ).map((row) => [row.transferId, row.lotId]),
  )

  const written: number[] = []
  const writtenTransfers = new Set<number>()
  const totals: Partial<Record<Currency, number>> = {}
  let withheld = 0
  const pageQuery = database.readRaw(
    `SELECT p.id, p.transfer_id AS transferId, pl.external_id AS playerId, p.currency, p.amount, p.reference
     FROM payout_items p JOIN players pl ON pl.id = p.player_id
     WHERE p.status = 'pending' AND p.id > ? AND p.id <= ? ORDER BY p.id LIMIT ?`,
  )
  const lotQuery = database.readRaw(
    `SELECT id, amount, wagering_target AS wageringTarget, max_bet AS maxBet, expires_at AS expiresAt, contributions
     FROM bonus_lots WHERE id IN (SELECT value FROM json_each(?))`,
  )
  async function* pages(): AsyncGenerator<PayoutFileRow[], void, undefined> {
    let after = 0
    for (;;) {
      const items = pageQuery.all(after, lastItemId, exportPageRows) as PendingRow[]
      if (items.length === 0) return
      after = items[items.length - 1]!.id
      const lotIds = items.map((item) => lotByTransfer.get(item.transferId)).filter((id): id is number => id !== undefined)
      const lots = new Map((lotIds.length ? (lotQuery.all(JSON.stringify(lotIds)) as LotRow[]) : []).map((lot) => [lot.id, lot]))
      const page: PayoutFileRow[] = []
      for (const item of items) {
        if (reversed.has(item.transferId)) {
          withheld += 1
          continue
        }
        const lotId = lotByTransfer.get(item.transferId)
        page.push(fileRow(item, lotId === undefined ? undefined : lots.get(lotId)))
        written.push(item.id)
        writtenTransfers.add(item.transferId)
        totals[item.currency] = (totals[item.currency] ?? 0) + item.amount
      }
      yield page
    }
  }

  const file = await writePayoutFile(
    { path: options.path, format: options.format, minorDigits: options.minorDigits ?? 2, overwrite: options.overwrite ?? false },
    pages(),
  )

  try {
    database.write((_transaction, statements) => {
      const mark = statements.prepare("UPDATE payout_items SET status = 'exported', export_batch = ?, exported_at = ? WHERE id = ? AND status = 'pending'")
      let changed = 0
      for (const id of written) {
        const result = mark.run(batch, at, id)
        if (result.changes !== 1) changed += 1
      }
      if (changed > 0) {
        throw new ApiFailure(
          'conflict',
          `${changed} of the ${written.length} payout(s) in the file stopped being pending while it was written (another export took them?). ` +
            'The file was removed and nothing was marked exported; run the export again.',
        )
      }
      const newlyReversed = (
        statements.prepare('SELECT reverses_transfer_id AS id FROM ledger_transfers WHERE id > ? AND reverses_transfer_id IS NOT NULL').all(lastTransferId) as {
          id: number
        }[]
      ).filter((row) => writtenTransfers.has(row.id))
      if (newlyReversed.length > 0) {
        throw new ApiFailure(
          'conflict',
          `${newlyReversed.length} reward(s) in the file were reversed in the ledger while it was written. The file was removed and nothing was marked exported; run the export again.`,
        )
      }
      audit(statements, {
        action: 'payouts.export',
        actor: options.actor ?? 'operator',
        subject: `payout-batch:${batch}`,
        reason: `payout file ${basename(file.file)}`,
        details: { file: file.file, format: options.format, rows: file.rows, totals, withheld, sha256: file.sha256, bytes: file.bytes },
        at,
      })
    })
  } catch (error) {
    await removeQuietly(file.file)
    throw error
  }
  return { file: file.file, rows: file.rows, batch, totals, withheld, sha256: file.sha256 }
}

interface PendingRow {
  id: number
  transferId: number
  playerId: string
  currency: Currency
  amount: number
  reference: string
}

interface LotRow {
  id: number
  amount: number
  wageringTarget: number
  maxBet: number | null
  expiresAt: string | null
  contributions: string
}

function fileRow(item: PendingRow, lot: LotRow | undefined): PayoutFileRow {
  return {
    playerId: item.playerId,
    currency: item.currency,
    amountMinor: item.amount,
    wageringMultiple: lot && lot.amount > 0 ? Math.round((lot.wageringTarget / lot.amount) * 10_000) / 10_000 : null,
    maxBetMinor: lot?.maxBet ?? null,
    expiresAt: lot?.expiresAt ?? null,
    eligibleGames: lot ? eligibleGames(lot.contributions) : [],
    reference: item.reference,
  }
}

/** Game types whose wagering contribution is above zero, sorted. */
function eligibleGames(contributions: string): string[] {
  try {
    const parsed = JSON.parse(contributions) as unknown
    if (typeof parsed !== 'object' || parsed === null) return []
    return Object.entries(parsed as Record<string, unknown>)
      .filter(([, basisPoints]) => typeof basisPoints === 'number' && basisPoints > 0)
      .map(([game]) => game)
      .sort()
  } catch {
    return []
  }
}

function defaultBatch(at: string): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  return `PB-${stamp}-${randomBytes(2).toString('hex')}`
}

function checkExtension(path: string, format: PayoutFileFormat): void {
  if (typeof path !== 'string' || path.trim() === '') throw new ApiFailure('invalid_input', 'A payout file path is required.')
  const lower = path.toLowerCase()
  const other = format === 'csv' ? ['.xlsx', '.xlsm', '.xls'] : ['.csv', '.txt', '.tsv']
  if (other.some((extension) => lower.endsWith(extension))) {
    throw new ApiFailure('invalid_input', `${basename(path)} has the wrong extension for a ${format.toUpperCase()} payout file.`)
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined)
}

// ---------------------------------------------------------------------------------------------
// Confirm

export interface ConfirmPayoutsOptions {
  path: string
  /** Who applied the file, for the audit log. Default 'operator'. */
  actor?: string
}

export type ConfirmPayoutsResult = PayoutConfirmResult

export interface ConfirmationProblem {
  row: number
  reference: string
  message: string
}

const statusSynonyms: Record<string, 'confirmed' | 'rejected'> = {
  confirmed: 'confirmed',
  confirm: 'confirmed',
  ok: 'confirmed',
  paid: 'confirmed',
  success: 'confirmed',
  rejected: 'rejected',
  reject: 'rejected',
  failed: 'rejected',
  fail: 'rejected',
  error: 'rejected',
  declined: 'rejected',
}

/** confirmed | rejected for a status as the platform writes it (case-insensitive), else null. */
export function normaliseConfirmationStatus(text: string): 'confirmed' | 'rejected' | null {
  return statusSynonyms[text.trim().toLowerCase()] ?? null
}

/**
 * Applies the platform's confirmation file (CSV or XLSX). Every row is checked first; if any is
 * invalid nothing is applied and the error lists the problems by row number (the first 50, and
 * how many in all). Otherwise exported items become confirmed / rejected with `confirmed_at`;
 * rows for items already in that status change nothing, so applying a file twice is harmless.
 * One audit_log row per applied file.
 */
export async function confirmPayouts(database: LedgerDatabase, options: ConfirmPayoutsOptions, at: string): Promise<ConfirmPayoutsResult> {
  checkTimestamp(at)
  const path = options.path
  if (typeof path !== 'string' || path.trim() === '') throw new ApiFailure('invalid_input', 'A confirmation file path is required.')
  try {
    if (!(await stat(path)).isFile()) throw new ApiFailure('invalid_input', `${path} is not a file.`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiFailure('not_found', `The confirmation file ${path} does not exist.`)
    throw error
  }
  await confirmationFormat(path)
  const { sha256 } = await hashFile(path)
  // The file is read whole before the transaction (reading is async; a write may not be).
  const rows: { rowNumber: number; reference: string; status: string; note: string }[] = []
  for await (const row of readConfirmationRows(path)) rows.push(row)

  type Outcome = { ok: true; result: ConfirmPayoutsResult } | { ok: false; problems: ConfirmationProblem[]; problemCount: number }
  const outcome = database.write((_transaction, statements): Outcome => {
    const findByReference = statements.prepare('SELECT id, status, confirmed_at AS confirmedAt FROM payout_items WHERE reference = ?')
    const problems: ConfirmationProblem[] = []
    let problemCount = 0
    const problem = (row: number, reference: string, message: string) => {
      problemCount += 1
      if (problems.length < confirmationProblemsListed) problems.push({ row, reference, message: `row ${row}: ${message}` })
    }
    const decided = new Map<number, { status: 'confirmed' | 'rejected'; row: number }>()
    const changes: { id: number; status: 'confirmed' | 'rejected'; note: string | null }[] = []
    let unchanged = 0
    for (const row of rows) {
      const shown = quoteForMessage(row.reference)
      if (row.reference === '') {
        problem(row.rowNumber, '', 'the reference is empty')
        continue
      }
      const status = normaliseConfirmationStatus(row.status)
      if (status === null) {
        problem(
          row.rowNumber,
          row.reference,
          row.status === ''
            ? `the status of ${shown} is empty (use confirmed or rejected)`
            : `status ${quoteForMessage(row.status)} for ${shown} is not recognised (use confirmed or rejected; ok/paid and failed/error are accepted too)`,
        )
        continue
      }
      if (row.note.length > noteLengthMax) {
        problem(row.rowNumber, row.reference, `the note for ${shown} is longer than ${noteLengthMax} characters`)
        continue
      }
      let item = findByReference.get(row.reference) as { id: number; status: PayoutStatus; confirmedAt: string | null } | undefined
      const restored = restoreNeutralised(row.reference)
      if (!item && restored !== row.reference) item = findByReference.get(restored) as typeof item
      if (!item) {
        problem(row.rowNumber, row.reference, `reference ${shown} is not a payout in this ledger`)
        continue
      }
      const earlier = decided.get(item.id)
      if (earlier) {
        if (earlier.status !== status) problem(row.rowNumber, row.reference, `reference ${shown} is also on row ${earlier.row} as ${earlier.status}; here it says ${status}`)
        else unchanged += 1
        continue
      }
      if (item.status === 'pending') {
        problem(row.rowNumber, row.reference, `reference ${shown} has not been exported yet (it is still pending), so it cannot be ${status}`)
        continue
      }
      if (item.status !== 'exported' && item.status !== status) {
        problem(row.rowNumber, row.reference, `reference ${shown} was already ${item.status}${item.confirmedAt ? ` on ${item.confirmedAt}` : ''}; the file says ${status}`)
        continue
      }
      decided.set(item.id, { status, row: row.rowNumber })
      if (item.status === status) unchanged += 1
      else changes.push({ id: item.id, status, note: row.note === '' ? null : row.note })
    }
    if (problemCount > 0) return { ok: false, problems, problemCount }

    const apply = statements.prepare("UPDATE payout_items SET status = ?, confirmed_at = ?, note = coalesce(?, note) WHERE id = ? AND status = 'exported'")
    let confirmed = 0
    let rejected = 0
    for (const change of changes) {
      apply.run(change.status, at, change.note, change.id)
      if (change.status === 'confirmed') confirmed += 1
      else rejected += 1
    }
    const result: ConfirmPayoutsResult = { file: path, rows: rows.length, confirmed, rejected, unchanged, sha256 }
    audit(statements, {
      action: 'payouts.confirm',
      actor: options.actor ?? 'operator',
      subject: `payout-confirmation:${basename(path)}`,
      reason: 'platform confirmation file applied',
      details: result,
      at,
    })
    return { ok: true, result }
  })

  if (!outcome.ok) {
    const { problems, problemCount } = outcome
    throw new ApiFailure(
      'refused',
      `${basename(path)} was not applied: ${problemCount} row problem(s), so nothing was changed.\n` +
        problems.map((entry) => `- ${entry.message}`).join('\n') +
        (problemCount > problems.length ? `\n- … and ${problemCount - problems.length} more` : ''),
      { problems, total: problemCount },
    )
  }
  return outcome.result
}

function quoteForMessage(text: string): string {
  return `"${text.length > 80 ? `${text.slice(0, 80)}…` : text}"`
}

// ---------------------------------------------------------------------------------------------
// List

export interface ListPayoutsOptions {
  status?: PayoutStatus
  batch?: string
  /** Default 1000, at most 10,000. */
  limit?: number
  offset?: number
}

export type PayoutItemView = PayoutItem

export interface PayoutList {
  items: PayoutItemView[]
  /** Items matching the filter (items holds at most `limit` of them). */
  total: number
  /** All payout items by status, regardless of the filter. */
  counts: Record<PayoutStatus, number>
}

/** Payout items by id, optionally filtered by status and batch, for the UI and the CLI. */
export function listPayouts(database: LedgerDatabase, options: ListPayoutsOptions = {}): PayoutList {
  const status = options.status ?? null
  if (status !== null && !(payoutStatuses as readonly string[]).includes(status)) {
    throw new ApiFailure('invalid_input', `Unknown payout status ${String(status)}; expected one of ${payoutStatuses.join(', ')}.`)
  }
  const limit = options.limit ?? 1000
  const offset = options.offset ?? 0
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new ApiFailure('invalid_input', 'limit must be a whole number from 1 to 10,000.')
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ApiFailure('invalid_input', 'offset must be a whole number of 0 or more.')
  const batch = options.batch ?? null
  const filter = '(? IS NULL OR p.status = ?) AND (? IS NULL OR p.export_batch = ?)'
  const items = database
    .readRaw(
      `SELECT p.id, p.transfer_id AS transferId, pl.external_id AS playerId, p.currency, p.amount, p.reference, p.status,
              p.export_batch AS exportBatch, p.exported_at AS exportedAt, p.confirmed_at AS confirmedAt, p.note
       FROM payout_items p JOIN players pl ON pl.id = p.player_id
       WHERE ${filter} ORDER BY p.id LIMIT ? OFFSET ?`,
    )
    .all(status, status, batch, batch, limit, offset) as PayoutItemView[]
  const total = (database.readRaw(`SELECT count(*) AS n FROM payout_items p WHERE ${filter}`).get(status, status, batch, batch) as { n: number }).n
  const counts = Object.fromEntries(payoutStatuses.map((name) => [name, 0])) as Record<PayoutStatus, number>
  for (const row of database.readRaw('SELECT status, count(*) AS n FROM payout_items GROUP BY status').all() as { status: PayoutStatus; n: number }[]) {
    counts[row.status] = row.n
  }
  return { items, total, counts }
}

// ---------------------------------------------------------------------------------------------
// Shared

function audit(
  statements: StatementCache,
  entry: { action: string; actor: string; subject: string; reason: string; details: unknown; at: string },
): void {
  statements
    .prepare('INSERT INTO audit_log (action, actor, subject, reason, details, at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(entry.action, entry.actor, entry.subject, entry.reason, JSON.stringify(entry.details), entry.at)
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

function checkTimestamp(at: string): void {
  if (typeof at !== 'string' || !timestampPattern.test(at) || Number.isNaN(Date.parse(at))) {
    throw new ApiFailure('invalid_input', `The time must be an ISO-8601 timestamp such as 2026-01-31T12:00:00.000Z, got ${String(at).slice(0, 40)}.`)
  }
}

function listed(items: readonly string[], max: number): string {
  return items.slice(0, max).join('; ') + (items.length > max ? `; … and ${items.length - max} more` : '')
}
