import { createHash } from 'node:crypto'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { count, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { AsyncWriteError, LedgerDatabase } from '../../src/main/ledger/database'
import { ledgerAccounts, ledgerTransfers, players, settings } from '../../src/main/ledger/schema'
import { migrationsDir } from '../../src/main/paths'
import { useTempDir } from '../helpers/temp'

const now = '2026-01-01T00:00:00.000Z'
const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

function playerCount(database: LedgerDatabase): number {
  return database.read.select({ n: count() }).from(players).get()?.n ?? -1
}

function addPlayer(database: LedgerDatabase, externalId: string): number {
  return database.write((tx) =>
    tx.insert(players).values({ externalId, firstSeenAt: now, updatedAt: now }).returning({ id: players.id }).get(),
  ).id
}

describe('opening the database', () => {
  const tempDir = useTempDir()

  it('creates the file, applies every shipped migration and sets the pragmas explicitly', () => {
    const path = join(tempDir(), 'nested', 'loyalty.sqlite')
    const database = LedgerDatabase.open({ path })
    const info = database.info()
    expect(info.path).toBe(path)
    expect(info.schemaVersion).toBe(info.latestSchemaVersion)
    expect(info.schemaVersion).toBeGreaterThanOrEqual(2)
    expect(info.journalMode).toBe('wal')
    expect(info.tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['players', 'metric_snapshots', 'ledger_accounts', 'ledger_transfers', 'bonus_lots', 'reward_rule_versions', 'reward_decisions', 'review_items', 'imports', 'settings']),
    )
    database.close()
    const raw = new BetterSqlite3(path)
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
  })

  it('opens an up-to-date database again without re-applying anything', () => {
    const path = join(tempDir(), 'loyalty.sqlite')
    const first = LedgerDatabase.open({ path })
    addPlayer(first, 'P001')
    first.close()
    const second = LedgerDatabase.open({ path })
    expect(second.info().schemaVersion).toBe(second.info().latestSchemaVersion)
    expect(playerCount(second)).toBe(1)
    second.close()
  })

  it('refuses, unchanged, a database whose migration history this build does not know', () => {
    const folder = tempDir()
    const path = join(folder, 'newer.sqlite')
    LedgerDatabase.open({ path }).close()
    const raw = new BetterSqlite3(path)
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), 4102444800000)
    raw.pragma('wal_checkpoint(TRUNCATE)')
    raw.close()
    const before = fileHash(path)
    expect(() => LedgerDatabase.open({ path })).toThrow(/1 schema migration\(s\) this version of Loyalty Workstation does not know.*left unchanged/s)
    expect(fileHash(path)).toBe(before)
  })

  it('refuses a database written by a build with fewer migrations to open in that older build', () => {
    const folder = tempDir()
    const olderMigrations = join(folder, 'older-migrations')
    cpSync(migrationsDir(), olderMigrations, { recursive: true })
    const journalPath = join(olderMigrations, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] }
    journal.entries = journal.entries.slice(0, 1)
    writeFileSync(journalPath, JSON.stringify(journal))
    const path = join(folder, 'current.sqlite')
    LedgerDatabase.open({ path }).close()
    expect(() => LedgerDatabase.open({ path, migrationsFolder: olderMigrations })).toThrow(/does not know/)
  })

  it('refuses, unchanged, a SQLite file that is not ours and a file that is not SQLite', () => {
    const folder = tempDir()
    const foreign = join(folder, 'foreign.sqlite')
    const raw = new BetterSqlite3(foreign)
    raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)')
    raw.close()
    const before = fileHash(foreign)
    expect(() => LedgerDatabase.open({ path: foreign })).toThrow(/not a Loyalty Workstation database.*customers.*left unchanged/s)
    expect(fileHash(foreign)).toBe(before)

    const text = join(folder, 'players.sqlite')
    writeFileSync(text, 'player_id,total_wagered\nP1,100\n'.repeat(200))
    expect(() => LedgerDatabase.open({ path: text })).toThrow(/not a Loyalty Workstation database/)
  })

  it('enforces foreign keys', () => {
    const database = LedgerDatabase.open({ path: join(tempDir(), 'p.sqlite') })
    expect(() =>
      database.write((tx) =>
        tx.insert(ledgerAccounts).values({ playerId: 999, currency: 'LP' }).run(),
      ),
    ).toThrow(/FOREIGN KEY/)
    database.close()
  })
})

describe('database.write()', () => {
  const tempDir = useTempDir()
  const open = () => LedgerDatabase.open({ path: join(tempDir(), 'w.sqlite') })

  it('commits everything a callback wrote', () => {
    const database = open()
    database.write((tx) => {
      tx.insert(players).values({ externalId: 'A', firstSeenAt: now, updatedAt: now }).run()
      tx.insert(players).values({ externalId: 'B', firstSeenAt: now, updatedAt: now }).run()
    })
    expect(playerCount(database)).toBe(2)
  })

  it('rolls back everything when the callback throws part-way', () => {
    const database = open()
    expect(() =>
      database.write((tx) => {
        tx.insert(players).values({ externalId: 'A', firstSeenAt: now, updatedAt: now }).run()
        tx.insert(players).values({ externalId: 'A', firstSeenAt: now, updatedAt: now }).run() // unique violation
      }),
    ).toThrow(/UNIQUE/)
    expect(playerCount(database)).toBe(0)
  })

  it('refuses an async callback, rolls back what it wrote before its first await, and lets nothing after it land', async () => {
    const database = open()
    let lateWrite: unknown
    let reachedAfterAwait = false
    expect(() =>
      database.write((async (tx: Parameters<Parameters<LedgerDatabase['write']>[0]>[0]) => {
        tx.insert(players).values({ externalId: 'before-await', firstSeenAt: now, updatedAt: now }).run()
        await Promise.resolve()
        reachedAfterAwait = true
        try {
          tx.insert(players).values({ externalId: 'after-await', firstSeenAt: now, updatedAt: now }).run()
        } catch (error) {
          lateWrite = error
        }
      }) as never),
    ).toThrow(AsyncWriteError)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(reachedAfterAwait).toBe(true)
    expect(String(lateWrite)).toMatch(/used after its transaction ended/)
    expect(playerCount(database)).toBe(0)
  })

  it('refuses nested writes and writes through the read handle', () => {
    const database = open()
    expect(() => database.write(() => database.write(() => 1))).toThrow(/may not nest/)
    const read = database.read as unknown as { insert: unknown }
    expect(() => read.insert).toThrow(/not a read/)
  })

  it('keeps ledger transfers append-only at the database level', () => {
    const database = open()
    const playerId = addPlayer(database, 'P1')
    database.write((tx) => {
      const system = tx.insert(ledgerAccounts).values({ systemName: 'issuance', currency: 'LP' }).returning().get()
      const account = tx.insert(ledgerAccounts).values({ playerId, currency: 'LP' }).returning().get()
      tx.insert(ledgerTransfers)
        .values({
          idempotencyKey: 'k1', debitAccountId: system.id, creditAccountId: account.id, currency: 'LP', amount: 10,
          kind: 'reward', reason: 'test', sourceType: 'system', sourceId: 't', createdAt: now, hash: '1',
        })
        .run()
    })
    expect(() => database.write((tx) => tx.update(ledgerTransfers).set({ amount: 11 }).run())).toThrow(/append-only/)
    expect(() => database.write((tx) => tx.delete(ledgerTransfers).where(eq(ledgerTransfers.id, 1)).run())).toThrow(/append-only/)
    expect(() =>
      database.write((tx) => tx.insert(ledgerAccounts).values({ playerId, currency: 'RP', balance: -1 }).run()),
    ).toThrow(/CHECK constraint/)
    expect(database.read.select({ amount: ledgerTransfers.amount }).from(ledgerTransfers).all()).toEqual([{ amount: 10 }])
  })

  it('stores settings as JSON through the same helper', () => {
    const database = open()
    database.write((tx) => tx.insert(settings).values({ key: 'k', value: { a: 1 }, updatedAt: now }).run())
    expect(database.read.select().from(settings).where(sql`${settings.key} = 'k'`).get()?.value).toEqual({ a: 1 })
  })

  it('reports SQLite integrity problems as a list (empty when sound)', () => {
    const path = join(tempDir(), 'i.sqlite')
    const database = LedgerDatabase.open({ path })
    expect(database.integrityProblems()).toEqual([])
    database.close()
  })
})
