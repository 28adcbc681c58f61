// Each player's state after an evaluation — segment, abuse and risk scores, tier and tier dates —
// written in one pass: one UPDATE … FROM (VALUES …) per 64 players, rewriting only the rows that
// changed. When most players change (a first evaluation, a new threshold), the players indexes on
// these columns are rebuilt around the UPDATE (withIndexesRebuilt): moving a million entries in
// each of four indexes one at a time took about 20 s at 1M players, rebuilding them a few.
import type { StatementCache } from '../ledger/database'
import { bulkRun, valuesList, withIndexesRebuilt } from '../ledger/bulk-write'

/** Values per player after its row id, in this order (see storePlayerState's `fill`). */
export const playerStateColumns = ['segment', 'abuse_score', 'risk_score', 'tier_id', 'tier_since', 'tier_qualified_on'] as const
const width = playerStateColumns.length + 1
/** From this share of the players changing, rebuilding the indexes is cheaper than updating them. */
const rebuildShare = 0.2

/**
 * Stores `count` players' state inside the caller's write: `fill(index, values, at)` writes the
 * player's row id and then the values of `playerStateColumns` from `values[at]`. `changed`, when
 * given, is the indexes of the players whose state may have changed (the caller compared the new
 * state with what is stored); the others are not sent at all. `expectedChanges` is the caller's
 * estimate of how many players' state changes (it decides whether the indexes are rebuilt; the
 * UPDATE itself compares every column). Returns how many players changed.
 */
export function storePlayerState(
  statements: StatementCache,
  count: number,
  fill: (index: number, values: unknown[], at: number) => void,
  now: string,
  expectedChanges: number,
  changed?: Int32Array,
): number {
  const total = (statements.prepare('SELECT count(*) AS total FROM players').get() as { total: number }).total
  const column = (position: number) => `v.column${position + 2}`
  const sql = (rows: number) =>
    `UPDATE players SET ${playerStateColumns.map((name, position) => `${name} = ${column(position)}`).join(', ')}, updated_at = :now ` +
    `FROM (VALUES ${valuesList(rows, `(${Array<string>(width).fill('?').join(', ')})`)}) AS v ` +
    `WHERE players.id = v.column1 AND (${playerStateColumns.map((name, position) => `players.${name} IS NOT ${column(position)}`).join(' OR ')})`
  const state = new Set<string>(playerStateColumns)
  const rebuild = expectedChanges >= total * rebuildShare
  const rows = changed ? changed.length : count
  const fillRow = changed ? (row: number, values: unknown[], at: number) => fill(changed[row]!, values, at) : fill
  return withIndexesRebuilt(statements, 'players', (columns) => rebuild && columns.some((name) => state.has(name)), () => bulkRun(statements, sql, width, rows, fillRow, { now }))
}
