// `loyalty import | process | players | decisions` as a user runs them: the real bin, a real file,
// a real database, and the JSON field names scripts and auditors depend on.
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { writeSetting } from '../../src/main/ledger/settings-store'
import { useTempDir } from '../helpers/temp'

const bin = join(process.cwd(), 'bin', 'loyalty.js')

function loyalty(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const sheet = [
  'Player summary — exported 2026-01-31',
  'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date',
  'P1,"50,000.00","100,000.00","90,000.00",40,2026-01-28,2025-06-01',
  'P2,"2,000.00","3,000.00","2,000.00",2,2026-01-30,2025-06-01',
  'P3,-5,100,50,1,,',
  'P4,"1,000.00","5,000.00","9,000.00",8,2026-01-20,2025-06-01',
].join('\n')
const rules = [{ rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }]

describe('loyalty import / process / players / decisions', () => {
  const tempDir = useTempDir()
  beforeAll(() => {
    if (!existsSync(join(process.cwd(), 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build (npm test does).')
  })

  it('process --json prints the documented fields, and a second run changes nothing in the ledger', () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    writeFileSync(join(dir, 'players.csv'), sheet)
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules))
    const run = loyalty(['--db', db, '--json', 'process', join(dir, 'players.csv'), '--rules', join(dir, 'rules.json')])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.import).toEqual({
      rows: 4,
      accepted: 3,
      rejected: 1,
      errors: [{ row: 5, column: 'total_deposited', message: 'Row 5, total_deposited: expected a money amount of 0 or more, found "-5"' }],
    })
    expect(Object.keys(result.segments).sort()).toEqual(['BREAKEVEN', 'LOSING', 'NEW', 'VIP', 'WINNING'])
    expect(result.rewards).toMatchObject({ issued: 3, byCurrency: { BONUS: 0, LP: 500, RP: 0, TICKETS: 0 } })
    expect(result.rewards.blocked).toEqual({})

    const verify = () => JSON.parse(loyalty(['--db', db, '--json', 'verify']).stdout)
    const before = verify()
    expect(before).toMatchObject({ ok: true, transfers: 3, totals: { LP: 500 } })
    const again = JSON.parse(loyalty(['--db', db, '--json', 'process', join(dir, 'players.csv'), '--rules', join(dir, 'rules.json')]).stdout)
    expect(again.imports[0].status).toBe('already_imported')
    expect(again.ledger).toEqual({ posted: 0, alreadyPosted: 0 })
    expect(verify()).toEqual(before)

    const players = JSON.parse(loyalty(['--db', db, '--json', 'players']).stdout)
    expect(players.map((p: { player_id: string }) => p.player_id)).toEqual(['P1', 'P2', 'P4'])
    expect(Object.keys(players[0]).sort()).toEqual(['abuse_score', 'balances', 'player_id', 'risk_score', 'segment', 'tier'])
    expect(players[0]).toMatchObject({ player_id: 'P1', tier: 'BRONZE', balances: { LP: 400, RP: 0, BONUS: 0, TICKETS: 0 } })
    const winners = JSON.parse(loyalty(['--db', db, '--json', 'players', '--segment', 'winning']).stdout)
    expect(winners.every((p: { segment: string }) => p.segment === 'WINNING')).toBe(true)

    const imports = JSON.parse(loyalty(['--db', db, '--json', 'imports']).stdout)
    expect(imports).toEqual([{ importId: 1, kind: 'summary', file: 'players.csv', asOf: '2026-01-31', rows: 4, accepted: 3, rejected: 1, importedAt: expect.any(String) }])
    const quarantine = loyalty(['--db', db, 'quarantine', '1', '--out', join(dir, 'rows.csv')])
    expect(quarantine.stdout).toMatch(/Wrote 1 refused row\(s\) to .*rows\.csv/)

    const decisions = JSON.parse(loyalty(['--db', db, '--json', 'decisions', '--player', 'P1']).stdout)
    expect(decisions).toEqual([
      { player_id: 'P1', rule_id: 'LP_PER_SESSION', rule_version: 1, outcome: 'issued', amount: 400, currency: 'LP', reason: 'issued', as_of: '2026-01-31' },
    ])
  })

  it("process prints money in the database's currency: no decimals for a currency without minor units", () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const database = LedgerDatabase.open({ path: db })
    database.write((transaction) => writeSetting(transaction, 'engine', { currency: { code: 'JPY', minorDigits: 0 }, safetyFactor: 1, marginHorizonDays: 365 }, '2026-01-01T00:00:00.000Z'))
    database.close()
    writeFileSync(join(dir, 'players.csv'), sheet)
    const bonus = [{ rule_id: 'BONUS_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'BONUS', formula: 'sessions * 10' } }]
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(bonus))
    const run = loyalty(['--db', db, 'process', join(dir, 'players.csv'), '--rules', join(dir, 'rules.json')])
    expect(run.code).toBe(0)
    const issued = JSON.parse(loyalty(['--db', db, '--json', 'decisions']).stdout) as { amount: number; outcome: string }[]
    const total = issued.filter((each) => each.outcome !== 'blocked').reduce((sum, each) => sum + each.amount, 0)
    expect(total).toBeGreaterThan(0)
    expect(run.stdout).toContain(`; BONUS ${total.toLocaleString('en-US')}, LP 0, RP 0, TICKETS 0\n`)
  })

  it('import explains a refused file on stderr with exit 1; a bad option value is refused before anything runs', () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    writeFileSync(join(dir, 'names.csv'), 'Name,Turnover\nAnn,5\n')
    const refused = loyalty(['--db', db, 'import', join(dir, 'names.csv')])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^loyalty: \S*names\.csv: This sheet cannot be imported: it needs a player id column/)
    const badOrder = loyalty(['--db', db, 'import', join(dir, 'names.csv'), '--date-order', 'YMD'])
    expect(badOrder.code).toBe(2)
    expect(badOrder.stderr).toMatch(/option '--date-order <order>' argument 'YMD' is invalid\. Expected DMY \(day first\) or MDY \(month first\)\./)
    const badLimit = loyalty(['--db', db, 'imports', '--limit', '0'])
    expect(badLimit.code).toBe(2)
    expect(badLimit.stderr).toMatch(/option '--limit <n>' argument '0' is invalid\. Expected a whole number from 1 to 1,000\./)
    const noRules = loyalty(['--db', db, 'process', '--rules', join(dir, 'missing.json')])
    expect(noRules.code).toBe(1)
    expect(noRules.stderr).toMatch(/Cannot read the rules file .*missing\.json: no such file/)
  })

  it('the sample workbook and its events give the results the sample was designed for (resources/samples/README.md), and a second run adds nothing', async () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const samples = join(process.cwd(), 'resources', 'samples')
    const report = join(dir, 'report.xlsx')
    const args = ['--db', db, '--json', 'process', join(samples, 'players.xlsx'), join(samples, 'events.jsonl'), '--out', report]
    const run = loyalty(args)
    expect(run.stderr).toBe('')
    const result = JSON.parse(run.stdout)
    expect(result.asOf).toBe('2026-11-20')
    expect(result.import).toMatchObject({ rows: 104 + 2794, accepted: 100 + 2791, rejected: 3 + 1 })
    expect(result.import.errors.map((error: { row: number }) => error.row)).toEqual([26, 54, 90, 612])
    expect(result.segments).toEqual({ NEW: 15, VIP: 12, WINNING: 18, BREAKEVEN: 20, LOSING: 35 })
    expect(result.rewards).toMatchObject({ issued: 155, reduced: 35, byCurrency: { BONUS: 392_353, LP: 524_790, RP: 71_796, TICKETS: 10 } })
    expect(Object.values(result.rewards.blocked as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(14)
    expect(result.abuse).toEqual({ flagged: 24, reviewOpened: 5 })

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(report)
    expect(workbook.getWorksheet('Decisions')!.rowCount).toBe(1 + 155 + 14)

    const before = JSON.parse(loyalty(['--db', db, '--json', 'verify']).stdout)
    expect(before).toMatchObject({ ok: true, transfers: 155 })
    const again = JSON.parse(loyalty(args).stdout)
    expect(again.imports.map((each: { status: string }) => each.status)).toEqual(['already_imported', 'already_imported'])
    expect(again.ledger.posted).toBe(0)
    expect(JSON.parse(loyalty(['--db', db, '--json', 'verify']).stdout)).toEqual(before)
  })
})
