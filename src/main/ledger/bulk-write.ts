// Many rows through one statement per chunk. A statement run per row costs a call into SQLite and a
// VDBE run, and for a million players' decisions, scores and tiers that overhead was most of the
// time spent storing an evaluation; 64 rows per statement cut it several-fold (the same reasoning
// as the ledger's hot path in transfers.ts).
import type { StatementCache } from './database'

export const bulkChunkRows = 64

/**
 * Runs `sqlFor(rows)` — a statement with `rows` groups of `width` positional values each (see
 * `valuesList`) — over `count` rows, each filled by `fill(row, values, at)` writing its `width`
 * values from `values[at]`. `named` values (e.g. { now }) are bound once per statement. Returns the
 * total of changes().
 */
export function bulkRun(
  statements: StatementCache,
  sqlFor: (rows: number) => string,
  width: number,
  count: number,
  fill: (row: number, values: unknown[], at: number) => void,
  named?: Record<string, unknown>,
): number {
  let changes = 0
  const values: unknown[] = new Array(bulkChunkRows * width)
  for (let start = 0; start < count; start += bulkChunkRows) {
    const rows = Math.min(bulkChunkRows, count - start)
    if (values.length !== rows * width) values.length = rows * width
    for (let row = 0; row < rows; row += 1) fill(start + row, values, row * width)
    const statement = statements.prepare(sqlFor(rows))
    changes += (named ? statement.run(...values, named) : statement.run(...values)).changes
  }
  return changes
}

const lists = new Map<string, string>()
/**
 * `rows` copies of `group` — e.g. "(?, ?, :now)" — joined by commas; cached, since the statement
 * text is the statement cache's key.
 */
export function valuesList(rows: number, group: string): string {
  const key = `${rows}:${group}`
  let text = lists.get(key)
  if (text === undefined) {
    text = new Array<string>(rows).fill(group).join(', ')
    lists.set(key, text)
  }
  return text
}

/**
 * Runs `work` (inside the caller's write) with `table`'s non-unique indexes that `pick` selects by
 * their columns dropped, then rebuilds them from their stored definitions (sqlite_master), so the
 * schema ends as it began; if anything fails, the transaction rolls the drop back too. For writes
 * that touch a large share of a table: SQLite then builds each index in one sorted pass instead of
 * moving entries one row at a time, several times faster at a million rows. Unique indexes stay,
 * since they are what refuses a duplicate.
 */
export function withIndexesRebuilt<T>(statements: StatementCache, table: string, pick: (columns: readonly string[]) => boolean, work: () => T): T {
  const indexes = statements.prepare('SELECT l.name, m.sql FROM pragma_index_list(?) l JOIN sqlite_master m ON m.name = l.name WHERE l."unique" = 0 AND m.sql IS NOT NULL').all(table) as { name: string; sql: string }[]
  const columnsOf = statements.prepare('SELECT name FROM pragma_index_info(?)')
  const dropped = indexes.filter((index) => pick((columnsOf.all(index.name) as { name: string | null }[]).flatMap((column) => (column.name === null ? [] : [column.name]))))
  for (const index of dropped) statements.prepare(`DROP INDEX "${index.name.replaceAll('"', '""')}"`).run()
  const result = work()
  for (const index of dropped) statements.prepare(index.sql).run()
  return result
}
