// The Players table sorted by a balance, one page at a time, without an index on balances (the
// ledger's posting path is write-hot: an index on ledger_accounts(currency, balance) slowed
// processing and was rejected). The order is that of one ORDER BY over every filtered player, by
// balance then player id in the same direction, with "no account" as the smallest balance.
//
// Sorting every account with its player costs a join per account (~0.2–0.4 s at 1M players). The
// page only needs the accounts at the top (or bottom): a bounded top-N over the currency's accounts
// — integers only, no join — gives the balance the page cannot go below (above), and only the
// accounts from that balance up are joined to their players and sorted.
import type { LedgerDatabase } from '../ledger/database'

/** A cached count: the same SQL and parameters answer the same number until the database changes. */
export type CountQuery = (sql: string, parameters: readonly unknown[]) => number

export interface BalancePageQuery {
  currency: string
  /** The players filter (alias p), e.g. `p.deleted_at IS NULL AND p.segment = ?`, and its parameters. */
  clause: string
  parameters: readonly unknown[]
  direction: 'ASC' | 'DESC'
  limit: number
  offset: number
  /** Players matching the filter (the page's total, already counted by the caller). */
  total: number
}

export interface BalancePageTuning {
  /** Below this many filtered players, walking them through the filter's index and probing each one's account is cheaper than any pass over the accounts. */
  smallFilter: number
  /** From this offset on, a page is first checked against the size of the part it starts in. */
  deepPage: number
}

const defaultTuning: BalancePageTuning = { smallFilter: 20_000, deepPage: 10_000 }

/** The page's rows from `select` (which must select from `p` and `t`, the tier), in order. */
export function playersByBalance<Row>(database: LedgerDatabase, count: CountQuery, select: string, query: BalancePageQuery, tuning: BalancePageTuning = defaultTuning): Row[] {
  const { currency, clause, parameters, direction, limit, offset, total } = query
  const { smallFilter, deepPage } = tuning
  if (offset >= total) return []
  const tiers = 'LEFT JOIN tiers t ON t.id = p.tier_id'
  if (total <= smallFilter) {
    // SQLite sorts NULL (no account) as the smallest value, as the order wants.
    return database
      .readRaw(
        `${select} FROM players p LEFT JOIN ledger_accounts a ON a.player_id = p.id AND a.currency = ? ${tiers} WHERE ${clause} ` +
          `ORDER BY a.balance ${direction}, p.external_id ${direction} LIMIT ? OFFSET ?`,
      )
      .all(currency, ...parameters, limit, offset) as Row[]
  }

  /** Filtered players without an account in the currency, by player id (an index walk with one probe each). */
  const withoutAccount = (take: number, skip: number) =>
    database
      .readRaw(
        `${select} FROM players p ${tiers} WHERE ${clause} AND NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.player_id = p.id AND a.currency = ?) ` +
          `ORDER BY p.external_id ${direction} LIMIT ? OFFSET ?`,
      )
      .all(...parameters, currency, take, skip) as Row[]
  const withAccountCount = () =>
    count(`SELECT count(*) AS n FROM ledger_accounts a JOIN players p ON p.id = a.player_id WHERE a.currency = ? AND ${clause}`, [currency, ...parameters])

  /** Filtered players holding an account, by balance: the accounts past a top-N bound, then their players. */
  const withAccount = (take: number, skip: number): Row[] => {
    const accounts = count('SELECT count(*) AS n FROM ledger_accounts WHERE currency = ? AND player_id IS NOT NULL', [currency])
    const allPlayers = count('SELECT count(*) AS n FROM players', [])
    const need = skip + take
    // The filter keeps about total/allPlayers of the accounts (assuming it is blind to balances):
    // read that many more, with some slack, and widen the bound if the guess fell short.
    let bound = Math.ceil((need * Math.max(1, allPlayers)) / Math.max(1, total) * 1.1) + 16
    const compare = direction === 'DESC' ? '>=' : '<='
    for (;;) {
      if (bound >= accounts) {
        return database
          .readRaw(`${select} FROM ledger_accounts a JOIN players p ON p.id = a.player_id ${tiers} WHERE a.currency = ? AND ${clause} ORDER BY a.balance ${direction}, p.external_id ${direction} LIMIT ? OFFSET ?`)
          .all(currency, ...parameters, take, skip) as Row[]
      }
      const edge = database
        .readRaw(`SELECT balance FROM ledger_accounts WHERE currency = ? AND player_id IS NOT NULL ORDER BY balance ${direction} LIMIT 1 OFFSET ?`)
        .get(currency, bound - 1) as { balance: number } | undefined
      if (edge === undefined) {
        bound = accounts
        continue
      }
      // Every filtered account on the far side of the edge sorts after every one on this side, so
      // the accounts from the edge up are a prefix of the order: if it holds the page, that is the page.
      const rows = database
        .readRaw(
          // CROSS JOIN keeps the accounts outermost: the planner would otherwise walk a filter's
          // index over the players (a fifth of the base for a segment) and probe every account.
          `${select} FROM ledger_accounts a CROSS JOIN players p ON p.id = a.player_id ${tiers} WHERE a.currency = ? AND a.balance ${compare} ? AND ${clause} ` +
            `ORDER BY a.balance ${direction}, p.external_id ${direction} LIMIT ? OFFSET ?`,
        )
        .all(currency, edge.balance, ...parameters, take, skip) as Row[]
      if (rows.length === take) return rows
      bound *= 4
    }
  }

  // Descending: the account holders, then those without. Ascending: the other way round. When the
  // first part ends inside the page, its size is known from the rows read; only a page that starts
  // past it needs the part counted.
  const [first, second] = direction === 'DESC' ? [withAccount, withoutAccount] : [withoutAccount, withAccount]
  const firstCount = () => (direction === 'DESC' ? withAccountCount() : total - withAccountCount())
  // A deep page is first checked against the part's size: reading past the end of a part costs a
  // pass over all of it.
  const rows = offset >= deepPage && offset >= firstCount() ? [] : first(limit, offset)
  if (rows.length === limit) return rows
  const skip = rows.length > 0 ? 0 : Math.max(0, offset - firstCount())
  return rows.concat(second(limit - rows.length, skip))
}
