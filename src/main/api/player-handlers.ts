// The read models of the player base: the Players table (paged, sorted and filtered in SQL so a
// page of a million players costs one index walk), one player's page, and the decisions list.
// Field names of players/list and decisions/list are stable: CLI scripts and auditors use them.
import type { CurrencyCode, DecisionListRow, PlayerListRow, PlayerSortColumn, SegmentCode } from '../../shared/api/types'
import type { LedgerDatabase } from '../ledger/database'
import { playersByBalance } from '../jobs/desk-balance-order'
import { playerDetail } from '../jobs/player-detail'
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

const currencyCodes: readonly CurrencyCode[] = ['LP', 'RP', 'BONUS', 'TICKETS']

// Every sort ends with the player id, so pages are stable when many players share a value.
// player_id, segment and tier walk an index (external_id, segment, tier_id); the score sorts read
// the filtered rows and keep the top page; the balance sorts are in desk-balance-order.ts.
const sortSql: Record<Exclude<PlayerSortColumn, `balance_${string}`>, string> = {
  player_id: 'p.external_id',
  segment: 'p.segment',
  tier: 'p.tier_id',
  abuse_score: 'p.abuse_score',
  risk_score: 'p.risk_score',
}

/** Balances of a page of players in one query (by the unique (player_id, currency) index). */
function balancesOf(database: LedgerDatabase, rowIds: readonly number[]): Map<number, Record<CurrencyCode, number>> {
  const byPlayer = new Map<number, Record<CurrencyCode, number>>()
  for (const id of rowIds) byPlayer.set(id, Object.fromEntries(currencyCodes.map((code) => [code, 0])) as Record<CurrencyCode, number>)
  if (rowIds.length === 0) return byPlayer
  const placeholders = rowIds.map(() => '?').join(',')
  const accounts = database.readRaw(`SELECT player_id AS playerId, currency, balance FROM ledger_accounts WHERE player_id IN (${placeholders})`).all(...rowIds) as {
    playerId: number
    currency: CurrencyCode
    balance: number
  }[]
  for (const account of accounts) {
    const balances = byPlayer.get(account.playerId)
    if (balances) balances[account.currency] = account.balance
  }
  return byPlayer
}

/**
 * Counting a million rows costs more than reading a page, and paging asks the same count again and
 * again: remember it until the database changes. data_version moves when another connection (the
 * job worker) commits, total_changes() when this one writes.
 */
function countCache(database: LedgerDatabase) {
  const cached = new Map<string, number>()
  let version = ''
  return (sql: string, parameters: readonly unknown[]): number => {
    const now = `${(database.readRaw('PRAGMA data_version').get() as { data_version: number }).data_version}:${(database.readRaw('SELECT total_changes() AS n').get() as { n: number }).n}`
    if (now !== version) {
      cached.clear()
      version = now
    }
    const key = JSON.stringify([sql, parameters])
    let total = cached.get(key)
    if (total === undefined) {
      total = (database.readRaw(sql).get(...parameters) as { n: number }).n
      if (cached.size >= 200) cached.clear()
      cached.set(key, total)
    }
    return total
  }
}

export function playerHandlers(services: Services) {
  const { database } = services
  const count = countCache(database)
  return {
    'players/list': ({ segment, tier, minAbuseScore, search, sort, order, limit, offset }) => {
      const where: string[] = ['p.deleted_at IS NULL']
      const parameters: unknown[] = []
      if (segment) {
        where.push('p.segment = ?')
        parameters.push(segment)
      }
      if (tier) {
        where.push('p.tier_id = (SELECT id FROM tiers WHERE code = ?)')
        parameters.push(tier)
      }
      if (minAbuseScore !== undefined && minAbuseScore > 0) {
        where.push('p.abuse_score >= ?')
        parameters.push(minAbuseScore)
      }
      if (search && /[A-Za-z]/.test(search)) {
        // Letters match in any case, as before; SQLite's LIKE cannot use the index for that.
        where.push("p.external_id LIKE ? ESCAPE '\\'")
        parameters.push(`${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`)
      } else if (search) {
        // Digits and symbols: the same prefix as a range on the unique external_id index.
        where.push('p.external_id >= ? AND p.external_id < ?')
        parameters.push(search, `${search}\u{10FFFF}`)
      }
      const clause = where.join(' AND ')
      const direction = order === 'desc' ? 'DESC' : 'ASC'
      // The deleted_at test needs each row of the table, while a filter alone is counted in its
      // index (a segment of 200k players: ~200 ms → ~5 ms). Nothing deletes players today, so as
      // long as none is deleted, the filters are counted without it.
      const noneDeleted = count('SELECT count(*) AS n FROM players WHERE deleted_at IS NOT NULL', []) === 0
      const countClause = noneDeleted ? (where.length > 1 ? where.slice(1).join(' AND ') : '1') : clause
      const total = count(`SELECT count(*) AS n FROM players p WHERE ${countClause}`, parameters)
      type Row = { id: number; playerId: string; segment: SegmentCode | null; tier: string | null; riskScore: number | null; abuseScore: number | null }
      const select = 'SELECT p.id, p.external_id AS playerId, p.segment, t.code AS tier, p.risk_score AS riskScore, p.abuse_score AS abuseScore'
      let rows: Row[]
      const balanceCurrency = sort.startsWith('balance_') ? sort.slice('balance_'.length) : undefined
      if (balanceCurrency) {
        rows = playersByBalance<Row>(database, count, select, { currency: balanceCurrency, clause, parameters, direction, limit, offset, total })
      } else {
        // One direction for the value and the tie-break, so an index on (value, external_id) serves
        // the page by walking it; NULL (never evaluated) sorts as the smallest value.
        const column = sortSql[sort as keyof typeof sortSql]
        const orderBy = sort === 'player_id' ? `p.external_id ${direction}` : `${column} ${direction}, p.external_id ${direction}`
        rows = database.readRaw(`${select} FROM players p LEFT JOIN tiers t ON t.id = p.tier_id WHERE ${clause} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(...parameters, limit, offset) as Row[]
      }
      const balances = balancesOf(
        database,
        rows.map((row) => row.id),
      )
      const players: PlayerListRow[] = rows.map((row) => ({
        player_id: row.playerId,
        segment: row.segment,
        tier: row.tier,
        risk_score: row.riskScore,
        abuse_score: row.abuseScore,
        balances: balances.get(row.id)!,
      }))
      return { total, players }
    },
    'players/get': ({ playerId }) => playerDetail(database, playerId),
    'decisions/list': ({ playerId, ruleId, limit, offset }) => {
      const where: string[] = []
      const parameters: unknown[] = []
      if (playerId) {
        where.push('p.external_id = ?')
        parameters.push(playerId)
      }
      if (ruleId) {
        where.push('r.code = ?')
        parameters.push(ruleId)
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const from =
        'FROM reward_decisions d JOIN players p ON p.id = d.player_id JOIN reward_rule_versions v ON v.id = d.rule_version_id ' +
        `JOIN reward_rules r ON r.id = v.rule_id JOIN evaluations e ON e.id = d.evaluation_id ${clause}`
      const total = (database.readRaw(`SELECT count(*) AS n ${from}`).get(...parameters) as { n: number }).n
      const decisions = database
        .readRaw(
          `SELECT p.external_id AS player_id, r.code AS rule_id, v.version AS rule_version, d.outcome, d.amount, d.currency, d.reason, e.as_of ${from} ` +
            'ORDER BY p.external_id, r.code, d.id LIMIT ? OFFSET ?',
        )
        .all(...parameters, limit, offset) as DecisionListRow[]
      return { total, decisions }
    },
  } satisfies HandlerGroup
}
