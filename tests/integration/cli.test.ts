// The CLI as a user runs it: the real bin, a real database file, real exit codes.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTempDir } from '../helpers/temp'

const bin = join(process.cwd(), 'bin', 'loyalty.js')

function loyalty(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('loyalty CLI', () => {
  const tempDir = useTempDir()
  beforeAll(() => {
    if (!existsSync(join(process.cwd(), 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build (npm test does).')
  })

  it('prints help for the program and for every command', () => {
    const help = loyalty(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/Usage: loyalty/)
    expect(help.stdout).toMatch(/--db <path>/)
    expect(help.stdout).toMatch(/--json/)
    const dbHelp = loyalty(['db', 'info', '--help'])
    expect(dbHelp.code).toBe(0)
    expect(dbHelp.stdout).toMatch(/row counts per table/)
  })

  it('prints its version', () => {
    const version = loyalty(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('exits 2 with usage on a bad flag or command', () => {
    for (const args of [['--bogus'], ['db', 'explode'], ['db', 'info', '--nope']]) {
      const result = loyalty(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(/unknown|error/i)
      expect(result.stderr).toMatch(/--help/)
    }
  })

  it('db info --json reports path, schema version and row counts of the chosen database', () => {
    const path = join(tempDir(), 'cli.sqlite')
    const result = loyalty(['db', 'info', '--json', '--db', path])
    expect(result.code).toBe(0)
    const info = JSON.parse(result.stdout) as { path: string; schemaVersion: number; latestSchemaVersion: number; tables: { name: string; rows: number }[] }
    expect(info.path).toBe(path)
    expect(info.schemaVersion).toBe(info.latestSchemaVersion)
    expect(info.tables.find((table) => table.name === 'players')).toEqual({ name: 'players', rows: 0 })
  })

  it('uses $LOYALTY_DB when --db is not given, and --db when both are', () => {
    const folder = tempDir()
    const fromEnv = loyalty(['--json', 'db', 'info'], { LOYALTY_DB: join(folder, 'env.sqlite') })
    expect(JSON.parse(fromEnv.stdout).path).toBe(join(folder, 'env.sqlite'))
    const fromFlag = loyalty(['db', 'info', '--json', '--db', join(folder, 'flag.sqlite')], { LOYALTY_DB: join(folder, 'env.sqlite') })
    expect(JSON.parse(fromFlag.stdout).path).toBe(join(folder, 'flag.sqlite'))
  })

  it('defaults to the desktop app\'s database in the app-data folder', () => {
    const home = tempDir()
    const result = loyalty(['db', 'info', '--json'], { HOME: home, XDG_CONFIG_HOME: '', LOYALTY_DB: '' })
    expect(JSON.parse(result.stdout).path).toBe(join(home, '.config', 'Loyalty Workstation', 'loyalty.sqlite'))
  })

  it('exits 1 with a one-paragraph message and no stack when the database is refused', () => {
    const path = join(tempDir(), 'foreign.sqlite')
    const raw = new BetterSqlite3(path)
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)')
    raw.close()
    const result = loyalty(['db', 'info', '--db', path])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^loyalty: .*not a Loyalty Workstation database.*invoices/)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('loyalty verify and balances', () => {
  const tempDir = useTempDir()

  it('verify --json prints ok, transfers, totals and findings, and exits 0 on a clean ledger', () => {
    const path = join(tempDir(), 'v.sqlite')
    const result = loyalty(['verify', '--json', '--db', path])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, transfers: 0, totals: { LP: 0, RP: 0, BONUS: 0, TICKETS: 0 }, findings: [] })
    expect(loyalty(['verify', '--db', path]).stdout).toMatch(/Ledger verified: no discrepancies/)
  })

  it('verify exits 1 and lists the findings when the books were tampered with', () => {
    const path = join(tempDir(), 'v.sqlite')
    loyalty(['db', 'info', '--db', path])
    const raw = new BetterSqlite3(path)
    raw.prepare("INSERT INTO players (external_id, first_seen_at, updated_at) VALUES ('P1', 'x', 'x')").run()
    raw.prepare("INSERT INTO ledger_accounts (player_id, currency, balance) VALUES (1, 'BONUS', 500)").run()
    raw.close()
    const result = loyalty(['verify', '--db', path])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Ledger NOT verified: 2 finding\(s\)/)
    expect(result.stdout).toMatch(/The BONUS balance of player P1 is 500, but its transfers add up to 0/)
    expect(result.stdout).toMatch(/The BONUS books do not balance/)
  })

  it('balances of an unknown player is refused with exit 1', () => {
    const result = loyalty(['balances', 'P404', '--db', join(tempDir(), 'b.sqlite')])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/There is no player P404/)
  })
})

describe('loyalty payouts', () => {
  const tempDir = useTempDir()

  it('exports rewards once, never again as new, and applies the confirmation file', async () => {
    const folder = tempDir()
    const path = join(folder, 'p.sqlite')
    const { LedgerDatabase } = await import('../../src/main/ledger/database')
    const { postTransfers } = await import('../../src/main/ledger/transfers')
    const database = LedgerDatabase.open({ path })
    database.write((_tx, statements) => {
      const insert = statements.prepare("INSERT INTO players (external_id, first_seen_at, updated_at) VALUES (?, 'x', 'x')")
      for (const id of ['P1', 'P2']) insert.run(id)
    })
    const reward = (player: string, currency: 'BONUS' | 'RP' | 'LP', amount: number) => ({
      idempotencyKey: `reward:R1:v1:${player}:${currency}`, from: { system: 'issuance' as const }, to: { player }, currency, amount,
      kind: 'reward' as const, reason: 'R1 v1', sourceType: 'rule_version' as const, sourceId: 'R1:v1',
    })
    postTransfers(database, [reward('P1', 'BONUS', 12_345), reward('P2', 'RP', 500), reward('P1', 'LP', 70)], '2026-01-31T00:00:00.000Z')
    database.close()

    const first = loyalty(['payouts', 'export', '--out', join(folder, 'payouts.xlsx'), '--json', '--db', path])
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 2, queued: 2, totals: { BONUS: 12_345, RP: 500 } })
    const second = loyalty(['payouts', 'export', '--out', join(folder, 'again.csv'), '--json', '--db', path])
    expect(JSON.parse(second.stdout)).toMatchObject({ rows: 0, queued: 0 })

    const confirmation = join(folder, 'confirm.csv')
    writeFileSync(confirmation, 'reference,status\r\nreward:R1:v1:P1:BONUS,paid\r\nreward:R1:v1:P2:RP,rejected\r\n')
    const confirmed = loyalty(['payouts', 'confirm', confirmation, '--db', path])
    expect(confirmed.code, confirmed.stderr).toBe(0)
    expect(confirmed.stdout).toMatch(/1 confirmed, 1 rejected, 0 unchanged \(2 rows\)/)
    const listed = JSON.parse(loyalty(['payouts', 'list', '--json', '--db', path]).stdout) as { counts: Record<string, number> }
    expect(listed.counts).toEqual({ pending: 0, exported: 0, confirmed: 1, rejected: 1 })

    writeFileSync(confirmation, 'reference,status\r\nreward:NOPE,paid\r\n')
    const bad = loyalty(['payouts', 'confirm', confirmation, '--db', path])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/row 2/i)
  })
})

describe('loyalty adjust and expire', () => {
  const tempDir = useTempDir()

  it('adjusts a balance with a reason and an operator, refuses one without, and never overdraws', () => {
    const path = join(tempDir(), 'a.sqlite')
    loyalty(['db', 'info', '--db', path])
    const raw = new BetterSqlite3(path)
    raw.prepare("INSERT INTO players (external_id, first_seen_at, updated_at) VALUES ('P1', 'x', 'x')").run()
    raw.close()
    const credited = loyalty(['adjust', 'P1', 'BONUS', '12.50', '--reason', 'goodwill after the outage', '--by', 'alice', '--json', '--db', path])
    expect(credited.code, credited.stderr).toBe(0)
    expect(JSON.parse(credited.stdout)).toMatchObject({ amount: 1250, currency: 'BONUS', alreadyPosted: false })
    expect(loyalty(['adjust', 'P1', 'BONUS', '5', '--by', 'alice', '--db', path]).code).toBe(2)
    const overdraw = loyalty(['adjust', 'P1', 'bonus', '-20', '--reason', 'correction', '--by', 'alice', '--db', path])
    expect(overdraw.code).toBe(1)
    expect(overdraw.stderr).toMatch(/fewer than the 2000 .*Nothing was written/)
    expect(loyalty(['adjust', 'P1', 'BONUS', '1.005', '--reason', 'x', '--by', 'alice', '--db', path]).stderr).toMatch(/BONUS adjustments have at most 2 decimals; 1.005 is not\./)
    const balances = JSON.parse(loyalty(['balances', 'P1', '--json', '--db', path]).stdout) as { balances: Record<string, number> }
    expect(balances.balances.BONUS).toBe(1250)
    const audit = new BetterSqlite3(path)
    expect(audit.prepare('SELECT action, actor, subject, reason FROM audit_log').all()).toEqual([
      expect.objectContaining({ actor: 'alice', reason: 'goodwill after the outage' }),
    ])
    audit.close()
  })

  it('expire runs twice safely', () => {
    const path = join(tempDir(), 'e.sqlite')
    for (let run = 0; run < 2; run += 1) {
      const result = loyalty(['expire', '--as-of', '2026-01-31', '--json', '--db', path])
      expect(result.code, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({ cutoff: '2026-01-31T23:59:59.999Z', lotsExpired: 0, bonusExpired: 0, ticketsExpired: 0, pointsExpired: { LP: 0, RP: 0 } })
    }
    expect(loyalty(['expire', '--as-of', '31/01/2026', '--db', path]).stderr).toMatch(/expected a date as YYYY-MM-DD/)
  })

  it('expire expires points when the saved settings say so', () => {
    const path = join(tempDir(), 'p.sqlite')
    loyalty(['db', 'info', '--db', path])
    const raw = new BetterSqlite3(path)
    raw.prepare("INSERT INTO players (external_id, first_seen_at, updated_at) VALUES ('P1', 'x', 'x')").run()
    raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('engine', ?, 'x')").run(JSON.stringify({ pointsExpiry: { RP: { afterDays: 30 } } }))
    raw.close()
    expect(loyalty(['adjust', 'P1', 'RP', '40', '--reason', 'welcome points', '--by', 'alice', '--db', path]).code).toBe(0)
    const asOf = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10)
    const first = loyalty(['expire', '--as-of', asOf, '--db', path])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/0 LP and 40 RP/)
    expect(JSON.parse(loyalty(['expire', '--as-of', asOf, '--json', '--db', path]).stdout)).toMatchObject({ pointsExpired: { LP: 0, RP: 0 } })
    expect((JSON.parse(loyalty(['balances', 'P1', '--json', '--db', path]).stdout) as { balances: Record<string, number> }).balances.RP).toBe(0)
  })
})
