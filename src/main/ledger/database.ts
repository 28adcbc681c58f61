// Opening the local SQLite database: refuse what this build does not understand, migrate what
// it does, set every pragma explicitly, and funnel all writes through one synchronous helper.
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { ApiFailure } from '../../shared/api/result'
import type { DatabaseInfo } from '../../shared/api/types'
import { migrationsDir } from '../paths'
import * as schema from './schema'

export type Schema = typeof schema
type Drizzle = BetterSQLite3Database<Schema> & { $client: BetterSqlite3.Database }
/** What a write callback receives; valid only while its transaction is open. */
export type WriteTransaction = Omit<Drizzle, 'transaction' | '$client' | 'batch'>
/** Query side: drizzle's select/query builders. Anything else is refused at run time. */
export type ReadHandle = Pick<Drizzle, 'select' | 'selectDistinct' | 'query'>

const migrationsTable = '__drizzle_migrations'
const busyTimeoutMilliseconds = 5000
const walSizeLimitBytes = 64 * 2 ** 20
const pageCacheKibibytes = 65_536
const readMembers = new Set<PropertyKey>(['select', 'selectDistinct', 'query'])

export interface OpenDatabaseOptions {
  path: string
  /** Electron loads an Electron-ABI build of better-sqlite3 from here; Node uses the default. */
  nativeBinding?: string
  migrationsFolder?: string
}

export interface KnownMigration {
  tag: string
  hash: string
  createdAt: number
}

export function readKnownMigrations(folder: string = migrationsDir()): KnownMigration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[]
  }
  const files = readMigrationFiles({ migrationsFolder: folder })
  return files.map((file, index) => ({
    tag: journal.entries[index]?.tag ?? `#${index}`,
    hash: file.hash,
    createdAt: file.folderMillis,
  }))
}

/**
 * Prepared statements for hot write paths (ledger posting), cached per database and usable only
 * inside the write() that handed them out — the same guard as the drizzle handle.
 */
export interface StatementCache {
  prepare(sql: string): GuardedStatement
}
export interface GuardedStatement {
  run(...parameters: unknown[]): BetterSqlite3.RunResult
  get(...parameters: unknown[]): unknown
  all(...parameters: unknown[]): unknown[]
}

export interface WriteSession {
  readonly statements: StatementCache
  readonly open: boolean
  commit(): void
  /** Safe to call more than once, and after a failed commit. */
  rollback(): void
}

/** Writes made after an `await` would escape the transaction; so a callback may not be async. */
type SyncOnly<T> = T extends PromiseLike<unknown> ? never : T

export class AsyncWriteError extends Error {
  constructor() {
    super(
      'A write callback returned a promise. Writes must be synchronous: after an await they would run outside ' +
        'the transaction and commit half a change. The transaction was rolled back.',
    )
    this.name = 'AsyncWriteError'
  }
}

export class LedgerDatabase {
  readonly path: string
  readonly read: ReadHandle
  private readonly sqlite: BetterSqlite3.Database
  private readonly orm: Drizzle
  private readonly known: KnownMigration[]
  private writing = false
  /** Inside rolledBack(): writes become savepoints of its transaction, which is never committed. */
  private rollingBack = false
  private readonly statements = new Map<string, BetterSqlite3.Statement>()

  private constructor(path: string, sqlite: BetterSqlite3.Database, known: KnownMigration[]) {
    this.path = path
    this.sqlite = sqlite
    this.known = known
    this.orm = drizzle({ client: sqlite, schema }) as Drizzle
    const orm = this.orm
    this.read = new Proxy(orm, {
      get(target, member) {
        if (!readMembers.has(member)) throw new Error(`database.read.${String(member)} is not a read; use database.write()`)
        const value = Reflect.get(target, member, target) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      },
    }) as ReadHandle
  }

  static open(options: OpenDatabaseOptions): LedgerDatabase {
    const known = readKnownMigrations(options.migrationsFolder)
    mkdirSync(dirname(options.path), { recursive: true })
    const sqlite = new BetterSqlite3(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    try {
      // Check before anything writes to the file: a refused database must be left untouched.
      refuseUnknownHistory(sqlite, options.path, known)
      sqlite.pragma(`busy_timeout = ${busyTimeoutMilliseconds}`)
      sqlite.pragma('journal_mode = WAL')
      // FULL: a committed ledger batch survives power loss, not only a process crash.
      sqlite.pragma('synchronous = FULL')
      sqlite.pragma('foreign_keys = ON')
      sqlite.pragma('temp_store = MEMORY')
      // 64 MiB of page cache (the default is 2 MiB): large ledger batches update several indexes
      // in random order, and a cache miss per index entry is what makes them slow.
      sqlite.pragma(`cache_size = -${pageCacheKibibytes}`)
      // After a checkpoint, a WAL that a large job grew to a gigabyte is cut back to this size.
      sqlite.pragma(`journal_size_limit = ${walSizeLimitBytes}`)
      const database = new LedgerDatabase(options.path, sqlite, known)
      migrate(database.orm, { migrationsFolder: options.migrationsFolder ?? migrationsDir(), migrationsTable })
      return database
    } catch (error) {
      sqlite.close()
      throw error
    }
  }

  /**
   * Runs `work` in one SQLite transaction: all of it commits, or none of it does.
   * The handle it receives stops working when the transaction ends, and an async callback is
   * refused (and rolled back), so a write can never slip out after an `await`.
   */
  write<T>(work: (transaction: WriteTransaction, statements: StatementCache) => SyncOnly<T>): T {
    if (this.writing) throw new Error('database.write() calls may not nest (or run during an import session); pass the transaction handle down instead')
    let open = true
    const statements = this.guardedStatements(() => {
      if (!open) throw new Error('This statement was used after its transaction ended (an await inside write()?)')
    })
    const handle = new Proxy(this.orm, {
      get(target, member) {
        if (!open) throw new Error('This transaction handle was used after its transaction ended (an await inside write()?)')
        if (member === 'transaction' || member === '$client' || member === 'batch') {
          throw new Error(`transaction.${String(member)} is not available inside write()`)
        }
        const value = Reflect.get(target, member, target) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      },
    }) as WriteTransaction
    const run = this.sqlite.transaction(() => {
      const result = work(handle, statements)
      if (isThenable(result)) {
        // Keep the abandoned promise from surfacing as an unhandled rejection.
        Promise.resolve(result).catch(() => undefined)
        throw new AsyncWriteError()
      }
      return result
    })
    this.writing = true
    try {
      return run.immediate() as T
    } finally {
      open = false
      this.writing = false
    }
  }

  /** Cached prepared statements that refuse to run once their transaction is over (`assertOpen` throws). */
  private guardedStatements(assertOpen: () => void): StatementCache {
    return {
      prepare: (sql) => {
        let statement = this.statements.get(sql)
        if (!statement) {
          statement = this.sqlite.prepare(sql)
          this.statements.set(sql, statement)
        }
        const prepared = statement
        return {
          run: (...parameters) => (assertOpen(), prepared.run(...parameters)),
          get: (...parameters) => (assertOpen(), prepared.get(...parameters)),
          all: (...parameters) => (assertOpen(), prepared.all(...parameters)),
        }
      },
    }
  }

  /**
   * One transaction held open across awaits, for a job that streams a file into the database (an
   * import): the file is read asynchronously, each parsed chunk is written with `step`, and the whole
   * job commits or rolls back as one. Only for a connection the job owns — any other write on this
   * connection while the session is open is refused instead of silently joining it.
   */
  beginSession(): WriteSession {
    if (this.writing) throw new Error('A write is already in progress on this connection')
    const nested = this.rollingBack
    this.sqlite.exec(nested ? 'SAVEPOINT session' : 'BEGIN IMMEDIATE')
    this.writing = true
    let open = true
    const finish = (end: 'COMMIT' | 'ROLLBACK') => {
      if (!open) return
      open = false
      this.writing = false
      if (!this.sqlite.inTransaction) return
      this.sqlite.exec(nested ? (end === 'COMMIT' ? 'RELEASE session' : 'ROLLBACK TO session; RELEASE session') : end)
    }
    const statements = this.guardedStatements(() => {
      if (!open) throw new Error('This statement was used after its session ended')
    })
    return {
      statements,
      get open() {
        return open
      },
      commit: () => {
        if (!open) throw new Error('The session has already ended')
        finish('COMMIT')
      },
      rollback: () => finish('ROLLBACK'),
    }
  }

  /**
   * Runs `work` (which may await) inside one transaction that is always rolled back, whatever it
   * wrote: a dry run imports, registers rules and evaluates exactly as a real run, then leaves the
   * database as it was (a dry run that kept its imports made the real run find the file "already
   * imported", with the dry run's as-of date and quarantine). write() and beginSession() inside it
   * become savepoints, which better-sqlite3 nests by itself for write().
   */
  async rolledBack<T>(work: () => Promise<T>): Promise<T> {
    if (this.writing || this.rollingBack) throw new Error('A write is already in progress on this connection')
    this.sqlite.exec('BEGIN IMMEDIATE')
    this.rollingBack = true
    try {
      return await work()
    } finally {
      this.rollingBack = false
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK')
    }
  }

  info(): DatabaseInfo {
    const applied = appliedMigrations(this.sqlite)
    const tableNames = this.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name",
      )
      .pluck()
      .all(migrationsTable) as string[]
    const tables = tableNames.map((name) => ({
      name,
      rows: this.sqlite.prepare(`SELECT count(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get() as number,
    }))
    const newest = this.known.findLast((migration) => applied.some((row) => row.hash === migration.hash))
    return {
      path: this.path,
      sizeBytes: fileSize(this.path) + fileSize(`${this.path}-wal`),
      schemaVersion: applied.length,
      latestSchemaVersion: this.known.length,
      schemaTag: newest?.tag ?? 'none',
      journalMode: String(this.sqlite.pragma('journal_mode', { simple: true })),
      tables,
    }
  }

  /** Raw read-only SQL for scans too large for the query builder; refuses anything that writes. */
  /**
   * Like readRaw(sql).iterate(), with each row as an array of its columns: no object with named
   * members per row, which is most of the cost of scanning a million rows.
   */
  iterateRows(sql: string, ...parameters: unknown[]): IterableIterator<unknown[]> {
    const key = `rows:${sql}`
    let statement = this.statements.get(key)
    if (!statement) {
      statement = this.sqlite.prepare(sql)
      if (!statement.readonly) throw new Error('database.iterateRows() takes read-only SQL; use database.write()')
      statement.raw(true)
      this.statements.set(key, statement)
    }
    return statement.iterate(...parameters) as IterableIterator<unknown[]>
  }

  readRaw(sql: string): { all(...parameters: unknown[]): unknown[]; get(...parameters: unknown[]): unknown; iterate(...parameters: unknown[]): IterableIterator<unknown> } {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.sqlite.prepare(sql)
      this.statements.set(sql, statement)
    }
    if (!statement.readonly) throw new Error('database.readRaw() takes read-only SQL; use database.write()')
    const prepared = statement
    return {
      all: (...parameters) => prepared.all(...parameters),
      get: (...parameters) => prepared.get(...parameters),
      iterate: (...parameters) => prepared.iterate(...parameters),
    }
  }

  sqliteVersion(): string {
    return this.sqlite.prepare('SELECT sqlite_version()').pluck().get() as string
  }

  /** SQLite's own `PRAGMA integrity_check`; returns the problems found (empty when sound). */
  integrityProblems(): string[] {
    const rows = this.sqlite.pragma('integrity_check') as { integrity_check: string }[]
    return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok')
  }

  /**
   * Runs `work` with this connection's automatic WAL checkpoints off, then checkpoints once. A job
   * of many large transactions otherwise checkpoints after each one, copying into the database
   * file pages that the next transaction changes again (indexes, accounts): about 8% of
   * `loyalty process` at a million players. Commits stay as durable: the WAL is synced at each.
   */
  async withDeferredCheckpoint<T>(work: () => Promise<T>): Promise<T> {
    const pages = this.sqlite.pragma('wal_autocheckpoint', { simple: true }) as number
    this.sqlite.pragma('wal_autocheckpoint = 0')
    try {
      return await work()
    } finally {
      this.sqlite.pragma(`wal_autocheckpoint = ${pages}`)
      this.checkpoint()
    }
  }

  /** Copies the WAL's committed pages into the database file now (readers are not waited for). */
  checkpoint(): void {
    if (this.sqlite.open && !this.sqlite.inTransaction) this.sqlite.pragma('wal_checkpoint(PASSIVE)')
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close()
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

function appliedMigrations(sqlite: BetterSqlite3.Database): { hash: string; createdAt: number }[] {
  const rows = sqlite.prepare(`SELECT hash, created_at AS createdAt FROM "${migrationsTable}" ORDER BY created_at`).all() as {
    hash: string
    createdAt: number | string
  }[]
  return rows.map((row) => ({ hash: row.hash, createdAt: Number(row.createdAt) }))
}

function refuseUnknownHistory(sqlite: BetterSqlite3.Database, path: string, known: KnownMigration[]): void {
  let tables: string[]
  try {
    tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  } catch (error) {
    throw new ApiFailure('refused', `${path} is not a Loyalty Workstation database (SQLite says: ${(error as Error).message}).`)
  }
  if (!tables.includes(migrationsTable)) {
    const own = tables.filter((name) => !name.startsWith('sqlite_'))
    if (own.length === 0) return // a new, empty database
    throw new ApiFailure(
      'refused',
      `${path} is not a Loyalty Workstation database: it has tables (${own.slice(0, 5).join(', ')}${own.length > 5 ? ', …' : ''}) ` +
        'but no migration history. It was left unchanged.',
    )
  }
  const applied = appliedMigrations(sqlite)
  const unknown = applied.filter((row) => !known.some((migration) => migration.hash === row.hash && migration.createdAt === row.createdAt))
  if (unknown.length > 0) {
    throw new ApiFailure(
      'refused',
      `${path} has ${unknown.length} schema migration(s) this version of Loyalty Workstation does not know ` +
        `(it knows ${known.length}; the database has ${applied.length}). It was probably written by a newer version. ` +
        'It was left unchanged: open it with that version, or choose another database.',
      { unknown: unknown.map((row) => row.createdAt) },
    )
  }
}
