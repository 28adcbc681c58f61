// Raw better-sqlite3 insert rates with the ledger's durability settings: the ceiling any ledger
// posting path is measured against. No project code is involved on purpose.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { perSecond, ratio, timed, withTempDir, type BenchResult, type Suite } from '../lib'

/**
 * Inserts `count` rows through one prepared statement in one transaction; returns rows/s.
 * Keys are made inside the loop: pre-made, a million UUIDs hold ~470 MB of heap (V8 keeps each as
 * a tree of concatenated pieces), which would swamp the peak-RSS figure, while making one costs
 * ~0.1–0.2 µs, a few per cent of an insert.
 */
async function insertRate(path: string, count: number, keyOf: (index: number) => string): Promise<number> {
  const db = new BetterSqlite3(path)
  try {
    // The pragmas the ledger runs with: WAL, fsync on every commit, foreign keys enforced.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, amount INTEGER NOT NULL)')
    const insert = db.prepare('INSERT INTO rows (key, amount) VALUES (?, ?)')
    const insertAll = db.transaction(() => {
      for (let i = 0; i < count; i += 1) insert.run(keyOf(i), i % 10_000)
    })
    // The commit (and its fsync) is inside the timed region: it is part of the cost of a write.
    const { seconds } = await timed(() => insertAll())
    const { n } = db.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }
    if (n !== count) throw new Error(`Expected ${count} rows, found ${n}`)
    return perSecond(count, seconds)
  } finally {
    db.close()
  }
}

const suite: Suite = {
  name: 'sqlite',
  description: 'raw SQLite limits, the ceiling the ledger is measured against',
  async run({ quick }) {
    const count = quick ? 100_000 : 1_000_000
    const note = `${count.toLocaleString('en-US')} rows, one transaction, WAL + synchronous=FULL`
    return withTempDir(async (dir) => {
      // Zero-padded sequence numbers sort in insertion order, so the UNIQUE index only appends.
      const sequentialRate = await insertRate(join(dir, 'sequential.sqlite'), count, (i) => `r${String(i).padStart(8, '0')}`)
      // Random keys land all over the index's B-tree: most inserts touch an uncached page, many split one.
      const randomRate = await insertRate(join(dir, 'uuid.sqlite'), count, () => randomUUID())

      const results: BenchResult[] = [
        { suite: 'sqlite', name: 'sequential-key insert', value: sequentialRate, unit: 'rows/s', note },
        {
          suite: 'sqlite',
          name: 'UUID-key insert',
          value: randomRate,
          unit: 'rows/s',
          note,
          peers: { 'sequential-key insert': ratio(randomRate, sequentialRate) },
        },
      ]
      return results
    })
  },
}

export default suite
