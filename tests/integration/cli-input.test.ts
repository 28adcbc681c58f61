// What the `loyalty` command does with bad input, as a script or an operator sees it: the exit code,
// stderr, and with --json one error object on stdout. The CLI's own `main` runs in this process
// over a real database file (no build needed); the API checks are made through the real dispatcher.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { openBackend } from '../../src/main/backend'
import { useTempDir } from '../helpers/temp'

async function loyalty(args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), interactive: false })
  return { code, stdout, stderr }
}

const summarySheet = ['Player ID,Turnover,Winnings,Sessions', 'P1,1000,500,4', 'P2,2000,1000,2', 'P3,500,400,1'].join('\n')
const sessionRule = [{ rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }]

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('loyalty: dates from outside must be real calendar days', () => {
  const tempDir = useTempDir()

  it('process --as-of 2026-13-01 is a usage error naming the option, the value and the form, and posts nothing', async () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const sheet = write(dir, 'd1.csv', summarySheet)
    const refused = await loyalty(['--db', db, 'process', sheet, '--as-of', '2026-13-01'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("option '--as-of <date>' argument '2026-13-01' is invalid")
    expect(refused.stderr).toContain('real calendar date as YYYY-MM-DD')
    expect(refused.stdout).toBe('')
    expect(JSON.parse((await loyalty(['--db', db, 'decisions', '--json'])).stdout)).toEqual([])
    expect(JSON.parse((await loyalty(['--db', db, 'imports', '--json'])).stdout)).toEqual([])
  })

  it('refuses days that do not exist on every command taking --as-of, and accepts 29 February of a leap year', async () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const sheet = write(dir, 'd1.csv', summarySheet)
    const scenario = write(dir, 'scenario.json', JSON.stringify({ name: 'none', changes: {} }))
    for (const args of [
      ['import', sheet, '--as-of', '2026-02-30'],
      ['process', sheet, '--as-of', '2026-02-29'],
      ['expire', '--as-of', '2026-04-31'],
      ['simulate', '--scenario', scenario, '--as-of', '2026-00-10'],
    ]) {
      const refused = await loyalty(['--db', db, ...args])
      expect(refused.code, args.join(' ')).toBe(2)
      expect(refused.stderr, args.join(' ')).toMatch(/option '--as-of <date>' argument '\d{4}-\d{2}-\d{2}' is invalid\. It must be a real calendar date as YYYY-MM-DD/)
    }
    const leapDay = await loyalty(['--db', db, 'import', sheet, '--as-of', '2024-02-29', '--json'])
    expect(leapDay.code, leapDay.stderr).toBe(0)
    expect(JSON.parse(leapDay.stdout).imports[0].asOf).toBe('2024-02-29')
  })

  it('the API the desktop and web UI call refuses the same dates, naming the field', async () => {
    const dir = tempDir()
    const sheet = write(dir, 'd1.csv', summarySheet)
    const backend = openBackend({ runtime: 'test', databasePath: join(dir, 'api.sqlite'), dataDir: dir })
    try {
      const calls: [string, unknown, string][] = [
        ['import/files', { paths: [sheet], asOf: '2026-13-01' }, 'asOf'],
        ['process/run', { paths: [sheet], asOf: '2026-02-30' }, 'asOf'],
        ['ledger/expire', { asOf: '2025-02-29' }, 'asOf'],
        ['simulation/run', { scenario: { name: 'none', changes: {} }, asOf: '2026-06-31' }, 'asOf'],
        ['dashboard/summary', { from: '2026-09-31' }, 'from'],
        ['ledger/transfers', { to: '2026-11-31' }, 'to'],
        ['reports/profit', { from: '2026-02-30' }, 'from'],
      ]
      for (const [name, input, field] of calls) {
        const reply = await backend.dispatcher.dispatch(name, input, `dates-${name.replace('/', '-')}`, () => undefined)
        expect(reply.error?.code, name).toBe('invalid_input')
        expect(reply.error?.message, name).toContain(`at "${field}": expected a real calendar date`)
      }
      expect(backend.services.database.readRaw('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 })
    } finally {
      backend.close()
    }
  })
})

describe('loyalty --json: a failure is one error object on stdout', () => {
  const tempDir = useTempDir()

  it('a refused file gives {"error": {"code", "message"}} on stdout, the same message on stderr and exit 1', async () => {
    const dir = tempDir()
    const names = write(dir, 'names.csv', 'Name,Turnover\nAnn,5\n')
    const refused = await loyalty(['--db', join(dir, 'ledger.sqlite'), 'import', names, '--json'])
    expect(refused.code).toBe(1)
    const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('invalid_input')
    expect(error.message).toMatch(/cannot be imported: it needs a player id column/)
    expect(refused.stderr).toBe(`loyalty: ${error.message}\n`)
  })

  it('a usage error gives {"error": {"code": "usage"}} on stdout and exit 2', async () => {
    const refused = await loyalty(['--db', join(tempDir(), 'ledger.sqlite'), 'expire', '--as-of', '2026-02-30', '--json'])
    expect(refused.code).toBe(2)
    const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string } }
    expect(error.code).toBe('usage')
    expect(error.message).toContain("option '--as-of <date>' argument '2026-02-30' is invalid")
    expect(refused.stderr).toContain('2026-02-30')
  })
})

describe('loyalty import of several files, one refused', () => {
  const tempDir = useTempDir()
  const files = (dir: string) => [write(dir, 's_nov.csv', 'Player ID,Turnover,Winnings\n1,1000,500\n2,2000,1000\n'), write(dir, 'm2.csv', 'Punter,Turnover,Winnings\nA1,100,50\n')]

  it('names the refused file and says which files before it were imported', async () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const [good, bad] = files(dir)
    const result = await loyalty(['--db', db, 'import', good!, bad!])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^s_nov\.csv \(import 1\): player summary/)
    expect(result.stderr).toMatch(/^loyalty: .*m2\.csv: This sheet cannot be imported: it needs a player id column/)
    expect(result.stderr).toContain('Imported before this refusal: s_nov.csv (import 1).')
    expect(JSON.parse((await loyalty(['--db', db, 'imports', '--json'])).stdout).map((row: { file: string }) => row.file)).toEqual(['s_nov.csv'])
  })

  it('with --json, the error object names the file and lists the summaries of the files imported before it', async () => {
    const dir = tempDir()
    const [good, bad] = files(dir)
    const result = await loyalty(['--db', join(dir, 'ledger.sqlite'), 'import', good!, bad!, '--json'])
    expect(result.code).toBe(1)
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; details: { file: string; imported: { file: string; importId: number; accepted: number }[] } } }
    expect(error.code).toBe('invalid_input')
    expect(error.details.file).toBe('m2.csv')
    expect(error.message).toContain('m2.csv')
    expect(error.details.imported).toEqual([expect.objectContaining({ file: 's_nov.csv', importId: 1, accepted: 2 })])
  })
})

describe('loyalty players --segment and decisions --rule', () => {
  const tempDir = useTempDir()

  it('an unknown segment is a usage error (exit 2) listing the segments; a known one in any case is accepted', async () => {
    const db = join(tempDir(), 'ledger.sqlite')
    const unknown = await loyalty(['--db', db, 'players', '--segment', 'FOO'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("option '--segment <segment>' argument 'FOO' is invalid. Expected a segment: NEW, VIP, WINNING, BREAKEVEN, LOSING")
    expect((await loyalty(['--db', db, 'players', '--segment', 'vip', '--json'])).code).toBe(0)
  })

  it('matches rule ids in any case, as segments are', async () => {
    const dir = tempDir()
    const db = join(dir, 'ledger.sqlite')
    const processed = await loyalty(['--db', db, 'process', write(dir, 'players.csv', summarySheet), '--rules', write(dir, 'rules.json', JSON.stringify(sessionRule)), '--as-of', '2026-01-31', '--json'])
    expect(processed.code, processed.stderr).toBe(0)
    const exact = JSON.parse((await loyalty(['--db', db, 'decisions', '--rule', 'LP_PER_SESSION', '--json'])).stdout) as unknown[]
    expect(exact).toHaveLength(3)
    expect(JSON.parse((await loyalty(['--db', db, 'decisions', '--rule', 'lp_per_session', '--json'])).stdout)).toEqual(exact)
  })
})
