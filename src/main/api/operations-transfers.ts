// The Ledger screen's transfer search: newest first, paged in SQL. A player's transfers are found
// through their accounts (the unique (player, currency) index) and the debit/credit indexes.
import type { InputOf } from '../../shared/api/contract'
import type { TransferListResult, TransferRow } from '../../shared/api/types-operations'
import type { LedgerDatabase } from '../ledger/database'
import { changeStamp } from '../jobs/dashboard'

type TransferQuery = Required<Pick<InputOf<'ledger/transfers'>, 'limit' | 'offset'>> & Omit<InputOf<'ledger/transfers'>, 'limit' | 'offset'>

/** A row as the query selects it: the transfer with its two sides as flat columns. */
type RawTransfer = Omit<TransferRow, 'from' | 'to'> & {
  fromPlayer: string | null
  fromSystem: string | null
  toPlayer: string | null
  toSystem: string | null
}

/**
 * Counting a filtered ledger of millions costs more than reading a page, and paging asks the same
 * count again: keep it until the database changes.
 */
export function transferSearch(database: LedgerDatabase): (query: TransferQuery) => TransferListResult {
  const counts = new Map<string, number>()
  let stamp = ''
  return (query) =>
    searchTransfers(database, query, (sql, parameters) => {
      const now = changeStamp(database)
      if (now !== stamp) {
        counts.clear()
        stamp = now
      }
      const key = JSON.stringify([sql, parameters])
      let total = counts.get(key)
      if (total === undefined) {
        total = (database.readRaw(sql).get(...parameters) as { n: number }).n
        if (counts.size >= 200) counts.clear()
        counts.set(key, total)
      }
      return total
    })
}

export function searchTransfers(database: LedgerDatabase, query: TransferQuery, count: (sql: string, parameters: unknown[]) => number = (sql, parameters) => (database.readRaw(sql).get(...parameters) as { n: number }).n): TransferListResult {
  const where: string[] = []
  const parameters: unknown[] = []
  if (query.playerId !== undefined) {
    const accounts = 'SELECT a.id FROM ledger_accounts a JOIN players p ON p.id = a.player_id WHERE p.external_id = ?'
    where.push(`(t.debit_account_id IN (${accounts}) OR t.credit_account_id IN (${accounts}))`)
    parameters.push(query.playerId, query.playerId)
  }
  if (query.currency) {
    where.push('t.currency = ?')
    parameters.push(query.currency)
  }
  if (query.kind) {
    where.push('t.kind = ?')
    parameters.push(query.kind)
  }
  if (query.from) {
    where.push('t.created_at >= ?')
    parameters.push(query.from)
  }
  if (query.to) {
    // Timestamps are ISO text: everything on that day sorts below the next character after the date.
    where.push('t.created_at < ?')
    parameters.push(`${query.to}~`)
  }
  if (query.idempotencyKey) {
    if (query.idempotencyKey.endsWith('*')) {
      // A prefix as a range on the unique key index (keys are case-sensitive).
      const prefix = query.idempotencyKey.slice(0, -1)
      where.push('t.idempotency_key >= ? AND t.idempotency_key < ?')
      parameters.push(prefix, `${prefix}\u{10FFFF}`)
    } else {
      where.push('t.idempotency_key = ?')
      parameters.push(query.idempotencyKey)
    }
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = count(`SELECT count(*) AS n FROM ledger_transfers t ${clause}`, parameters)
  const rows = database
    .readRaw(
      'SELECT t.id, t.idempotency_key AS idempotencyKey, t.created_at AS createdAt, t.currency, t.amount, t.kind, t.reason, t.source_type AS sourceType, ' +
        't.source_id AS sourceId, t.reverses_transfer_id AS reversesTransferId, pd.external_id AS fromPlayer, da.system_name AS fromSystem, ' +
        'pc.external_id AS toPlayer, ca.system_name AS toSystem ' +
        'FROM ledger_transfers t JOIN ledger_accounts da ON da.id = t.debit_account_id JOIN ledger_accounts ca ON ca.id = t.credit_account_id ' +
        `LEFT JOIN players pd ON pd.id = da.player_id LEFT JOIN players pc ON pc.id = ca.player_id ${clause} ORDER BY t.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...parameters, query.limit, query.offset) as RawTransfer[]
  const transfers: TransferRow[] = rows.map(({ fromPlayer, fromSystem, toPlayer, toSystem, ...row }) => ({
    ...row,
    from: { player: fromPlayer, system: fromSystem },
    to: { player: toPlayer, system: toSystem },
  }))
  return { total, transfers }
}
