// The rows a summary import writes, many per statement. A statement per row (an upsert of the player
// and an insert of the snapshot) made the SQLite calls half of a million-row import; one multi-row
// INSERT per 64 rows, with the values every row shares bound once, does the same work in a few
// native calls. Every statement runs under the import's write lock, so the AUTOINCREMENT ids of
// one statement's rows are consecutive: the caller knows each row's id without asking for it (and
// checks the last one).
import type { PlayerRecord } from '../engine/player-table'
import type { StatementCache } from '../ledger/database'

/** Rows per statement: 17 bound values a snapshot row, well under SQLite's 32,766. */
const rowsPerStatement = 64
/** External ids per json_each lookup. */
const idsPerLookup = 20_000

const snapshotColumns =
  'player_id, import_id, as_of, total_deposited, total_withdrawn, total_wagered, total_won, bonus_received, sessions, playtime_minutes, ' +
  'last_deposit_date, registration_date, last_active_date, country, ip, device_id, game_types'
const snapshotRow = '(?, :importId, :asOf, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
const playerRow = '(?, :now, :now, ?, :asOf)'

const texts = new Map<string, string>()
function repeated(head: string, row: string, rows: number): string {
  const key = `${head}|${rows}`
  let text = texts.get(key)
  if (text === undefined) {
    text = head + Array<string>(rows).fill(row).join(', ')
    texts.set(key, text)
  }
  return text
}

/** The players.id of each external id already in the table (one query per 20,000 ids). */
export function existingPlayers(statements: StatementCache, externalIds: readonly string[]): Map<string, number> {
  const found = new Map<string, number>()
  const lookup = statements.prepare('SELECT p.external_id AS externalId, p.id FROM json_each(?) j JOIN players p ON p.external_id = j.value')
  for (let start = 0; start < externalIds.length; start += idsPerLookup) {
    const rows = lookup.all(JSON.stringify(externalIds.slice(start, start + idsPerLookup))) as { externalId: string; id: number }[]
    for (const row of rows) found.set(row.externalId, row.id)
  }
  return found
}

/**
 * Inserts new players whose current snapshot is already known (`snapshotIds[k]` for
 * `externalIds[k]`, both as of `asOf`); returns their players.id, in order.
 */
export function insertPlayers(statements: StatementCache, externalIds: readonly string[], snapshotIds: readonly number[], now: string, asOf: string): number[] {
  const ids = new Array<number>(externalIds.length)
  const values: unknown[] = []
  const named = { now, asOf }
  for (let start = 0; start < externalIds.length; start += rowsPerStatement) {
    const end = Math.min(externalIds.length, start + rowsPerStatement)
    values.length = 0
    for (let k = start; k < end; k += 1) values.push(externalIds[k], snapshotIds[k])
    const sql = repeated('INSERT INTO players (external_id, first_seen_at, updated_at, current_snapshot_id, current_as_of) VALUES ', playerRow, end - start)
    const last = Number(statements.prepare(sql).run(...values, named).lastInsertRowid)
    for (let k = start; k < end; k += 1) ids[k] = last - (end - 1 - k)
  }
  return ids
}

/**
 * Inserts one snapshot per record, for the player in `playerRowIds` at the same position; the k-th
 * gets id `expectedFirst + k`. The caller has already pointed new players at those ids, so they are
 * checked: a mismatch throws, and the import's transaction rolls back.
 */
export function insertSnapshots(
  statements: StatementCache,
  records: readonly PlayerRecord[],
  playerRowIds: readonly number[],
  importId: number,
  asOf: string,
  expectedFirst: number,
): void {
  const values: unknown[] = []
  const named = { importId, asOf }
  for (let start = 0; start < records.length; start += rowsPerStatement) {
    const end = Math.min(records.length, start + rowsPerStatement)
    values.length = 0
    for (let k = start; k < end; k += 1) {
      const r = records[k]!
      values.push(
        playerRowIds[k], r.totalDeposited ?? null, r.totalWithdrawn ?? null, r.totalWagered ?? null, r.totalWon ?? null, r.bonusReceived ?? null,
        r.sessions ?? null, r.playtimeMinutes ?? null, r.lastDepositDate ?? null, r.registrationDate ?? null, r.lastActiveDate ?? null,
        r.country ?? null, r.ip ?? null, r.deviceId ?? null, r.gameTypes ? JSON.stringify(r.gameTypes) : null,
      )
    }
    const last = Number(statements.prepare(repeated(`INSERT INTO metric_snapshots (${snapshotColumns}) VALUES `, snapshotRow, end - start)).run(...values, named).lastInsertRowid)
    const expectedLast = expectedFirst + end - 1
    if (last !== expectedLast) throw new Error(`metric_snapshots ids are not consecutive: expected ${expectedLast}, got ${last}`)
  }
}

/** The id the next metric_snapshots row gets (AUTOINCREMENT: past the largest id ever used). */
export function nextSnapshotId(statements: StatementCache): number {
  const row = statements
    .prepare("SELECT max(coalesce((SELECT max(id) FROM metric_snapshots), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'metric_snapshots'), 0)) + 1 AS next")
    .get() as { next: number }
  return row.next
}
