import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { verifyLedger } from '../../src/main/ledger/verify'
import { adjust } from '../../src/main/ledger/wallet'
import { processFiles, type ProcessOptions } from '../../src/main/jobs/process'
import { seedRule } from '../unit/engine/helpers'
import { useTempDir } from '../helpers/temp'
import { lpRule, openLedger, sheet } from '../helpers/process-fixtures'

describe('loyalty process: one file to decisions, ledger and summary', () => {
  const tempDir = useTempDir()

  it('imports, evaluates, stores decisions and posts rewards; a re-run adds nothing', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const options: ProcessOptions = {
      files: [path],
      rules: [seedRule, lpRule],
      defaultAsOf: '2026-02-05',
      now: '2026-01-31T18:00:00.000Z',
      actor: 'test',
      dryRun: false,
    }
    const first = await processFiles(database, options)
    expect(first.asOf).toBe('2026-01-31')
    expect(first.import).toMatchObject({ rows: 5, accepted: 4, rejected: 1 })
    expect(first.import.errors).toEqual([{ row: 7, column: 'total_deposited', message: 'Row 7, total_deposited: expected a money amount of 0 or more, found "-1"' }])
    expect(first.players).toBe(4)
    expect(first.segments.LOSING + first.segments.WINNING + first.segments.BREAKEVEN + first.segments.VIP + first.segments.NEW).toBe(4)
    // Cashback = 10% of net loss, capped at 500: P1 lost 10,000 → 500.00; P2 lost 2,000 → 200.00.
    // P3 lost 1,000 but had 2 sessions (< 3); P4 won.
    expect(first.rewards.byCurrency).toEqual({ BONUS: 70_000, LP: (40 + 12 + 2 + 8) * 10, RP: 0, TICKETS: 0 })
    expect(first.ledger.posted).toBe(first.rewards.issued)
    const report = verifyLedger(database)
    expect(report).toMatchObject({ ok: true, totals: { BONUS: 70_000, LP: 620 } })

    const decisions = database
      .readRaw(
        'SELECT p.external_id AS player, r.code AS rule, v.version, d.outcome, d.amount, t.id IS NOT NULL AS posted FROM reward_decisions d ' +
          'JOIN players p ON p.id = d.player_id JOIN reward_rule_versions v ON v.id = d.rule_version_id JOIN reward_rules r ON r.id = v.rule_id ' +
          "LEFT JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key WHERE r.code = 'LOSING_PLAYER_CASHBACK' ORDER BY p.external_id",
      )
      .all()
    expect(decisions).toEqual([
      { player: 'P1', rule: 'LOSING_PLAYER_CASHBACK', version: 1, outcome: 'issued', amount: 50_000, posted: 1 },
      { player: 'P2', rule: 'LOSING_PLAYER_CASHBACK', version: 1, outcome: 'issued', amount: 20_000, posted: 1 },
    ])

    const again = await processFiles(database, options)
    expect(again.imports[0]!.status).toBe('already_imported')
    expect(again.rules.every((rule) => !rule.newVersion && rule.version === 1)).toBe(true)
    expect(again.ledger.posted).toBe(0)
    expect(verifyLedger(database)).toMatchObject({ ok: true, transfers: report.transfers, totals: report.totals })
    const after = database.readRaw('SELECT count(*) AS n FROM reward_decisions d JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key').get() as { n: number }
    expect(after.n).toBe(first.rewards.issued)
    database.close()
  })

  it('decides tiers from the LP in the ledger and records each change', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { files: [path], rules: [lpRule], defaultAsOf: '2026-02-05', actor: 't', dryRun: false }
    const first = await processFiles(database, { ...base, now: '2026-01-31T18:00:00.000Z' })
    expect(first.tiers).toEqual({ BRONZE: 4, SILVER: 0, GOLD: 0, PLATINUM: 0 })
    // 400 LP from the rule plus 1,500 by hand: P1 passes Silver's 1,000 LP in its 90-day window.
    adjust(database, { actionId: 'lp-bonus', playerId: 'P1', currency: 'LP', amount: 1_500, reason: 'goodwill', actor: 'ops' }, '2026-01-31T19:00:00.000Z')
    const second = await processFiles(database, { ...base, asOf: '2026-02-01', now: '2026-02-01T18:00:00.000Z' })
    expect(second.tiers).toEqual({ BRONZE: 3, SILVER: 1, GOLD: 0, PLATINUM: 0 })
    const history = database
      .readRaw('SELECT p.external_id AS player, f.code AS "from", t.code AS "to", h.as_of AS asOf FROM tier_history h JOIN players p ON p.id = h.player_id LEFT JOIN tiers f ON f.id = h.from_tier_id JOIN tiers t ON t.id = h.to_tier_id WHERE p.external_id = ? ORDER BY h.id')
      .all('P1')
    expect(history).toEqual([
      { player: 'P1', from: null, to: 'BRONZE', asOf: '2026-01-31' },
      { player: 'P1', from: 'BRONZE', to: 'SILVER', asOf: '2026-02-01' },
    ])
    // LP a rule issued counts on its evaluation's date, however late the file was processed.
    const late = openLedger(tempDir())
    const lateBase = { ...base, rules: [{ ...lpRule, reward: { type: 'LP', formula: 'sessions * 100' } }] }
    await processFiles(late, { ...lateBase, asOf: '2026-01-31', now: '2026-03-10T09:00:00.000Z' })
    const reprocessed = await processFiles(late, { ...lateBase, asOf: '2026-02-01', now: '2026-03-10T10:00:00.000Z' })
    expect(reprocessed.tiers).toEqual({ BRONZE: 2, SILVER: 2, GOLD: 0, PLATINUM: 0 }) // P1 4,000 and P2 1,200 LP, dated 2026-01-31
    late.close()
    database.close()
  })

  it('counts LP taken back against the tier', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { files: [path], rules: [lpRule], defaultAsOf: '2026-02-05', actor: 't', dryRun: false }
    await processFiles(database, { ...base, now: '2026-01-31T18:00:00.000Z' })
    // As in the test above, P1 has 400 + 1,500 LP, enough for Silver; 1,000 taken back leaves 900.
    adjust(database, { actionId: 'lp-bonus', playerId: 'P1', currency: 'LP', amount: 1_500, reason: 'goodwill', actor: 'ops' }, '2026-01-31T19:00:00.000Z')
    adjust(database, { actionId: 'lp-back', playerId: 'P1', currency: 'LP', amount: -1_000, reason: 'goodwill given twice', actor: 'ops' }, '2026-01-31T20:00:00.000Z')
    const second = await processFiles(database, { ...base, asOf: '2026-02-01', now: '2026-02-01T18:00:00.000Z' })
    expect(second.tiers).toEqual({ BRONZE: 4, SILVER: 0, GOLD: 0, PLATINUM: 0 })
    database.close()
  })

  it('rewrites only the players whose state changed, comparing with what is stored', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { files: [path], rules: [lpRule], defaultAsOf: '2026-02-05', asOf: '2026-01-31', actor: 't', dryRun: false }
    await processFiles(database, { ...base, now: '2026-01-31T18:00:00.000Z' })
    const stateSql = 'SELECT external_id AS player, segment, abuse_score AS abuse, risk_score AS risk, tier_id AS tier, tier_since AS since, tier_qualified_on AS qualified, updated_at AS updated FROM players ORDER BY external_id'
    const first = database.readRaw(stateSql).all() as { player: string; updated: string }[]
    expect(first.map((row) => row.updated)).toEqual(first.map(() => '2026-01-31T18:00:00.000Z'))
    // Scores stored behind the run's back: P2's abuse score, P3's risk score (the tier dates are the tier step's input, not only its output).
    database.write((_transaction, statements) => {
      statements.prepare("UPDATE players SET abuse_score = 99 WHERE external_id = 'P2'").run()
      statements.prepare("UPDATE players SET risk_score = NULL WHERE external_id = 'P3'").run()
    })
    await processFiles(database, { ...base, files: [], now: '2026-02-01T09:00:00.000Z' })
    const second = database.readRaw(stateSql).all() as { player: string; updated: string }[]
    // Everyone's state is the first run's again; only P2 and P3 were written.
    expect(second.map(({ updated: _updated, ...state }) => state)).toEqual(first.map(({ updated: _updated, ...state }) => state))
    expect(second.filter((row) => row.updated !== '2026-01-31T18:00:00.000Z').map((row) => row.player)).toEqual(['P2', 'P3'])
    database.close()
  })

  it('re-run in the same period: decisions the ledger holds stay as they were; a new rule version gets decisions of its own', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { files: [path], defaultAsOf: '2026-02-05', asOf: '2026-01-31', actor: 't', dryRun: false }
    const decisionsSql =
      'SELECT p.external_id AS player, v.version, d.evaluation_id AS evaluation, d.outcome, d.amount, d.reason, d.idempotency_key AS key FROM reward_decisions d ' +
      'JOIN players p ON p.id = d.player_id JOIN reward_rule_versions v ON v.id = d.rule_version_id ORDER BY d.idempotency_key'
    const first = await processFiles(database, { ...base, rules: [lpRule], now: '2026-01-31T18:00:00.000Z' })
    const stored = database.readRaw(decisionsSql).all() as { outcome: string }[]
    expect(stored.filter((row) => row.outcome !== 'blocked')).toHaveLength(first.rewards.issued)
    const again = await processFiles(database, { ...base, files: [], rules: [lpRule], now: '2026-01-31T19:00:00.000Z' })
    expect(again.ledger).toEqual({ posted: 0, alreadyPosted: 0 })
    // Every decision that issued is the first run's, untouched; the blocked ones belong to the newest run.
    const afterAgain = database.readRaw(decisionsSql).all() as { outcome: string; evaluation: number }[]
    expect(afterAgain.filter((row) => row.outcome !== 'blocked')).toEqual(stored.filter((row) => row.outcome !== 'blocked'))
    expect(afterAgain.filter((row) => row.outcome === 'blocked').every((row) => row.evaluation === again.evaluationId)).toBe(true)
    // Version 2 of the rule, the same day: its own decisions, blocked because version 1 already issued today.
    const changed = await processFiles(database, { ...base, files: [], rules: [{ ...lpRule, reward: { type: 'LP', formula: 'sessions * 20' } }], now: '2026-01-31T20:00:00.000Z' })
    expect(changed.rules).toEqual([{ ruleId: 'LP_PER_SESSION', version: 2, newVersion: true }])
    const versionTwo = (database.readRaw(decisionsSql).all() as { version: number; outcome: string; reason: string; player: string }[]).filter((row) => row.version === 2)
    expect(versionTwo.map((row) => [row.player, row.outcome, row.reason])).toEqual(
      (stored as unknown as { player: string; outcome: string }[]).filter((row) => row.outcome !== 'blocked').map((row) => [row.player, 'blocked', 'already_issued']),
    )
    database.close()
  })

  it('writes an Excel report of the run that opens with the numbers as numbers', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const reportPath = join(dir, 'report.xlsx')
    const options = { files: [path], rules: [seedRule, lpRule], defaultAsOf: '2026-02-05', now: '2026-01-31T18:00:00.000Z', actor: 't', dryRun: false, reportPath }
    const summary = await processFiles(database, options)
    expect(summary.report?.path).toBe(reportPath)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(reportPath)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Segments', 'Rewards by rule', 'Blocked', 'Decisions', 'Review queue', 'Quarantine'])
    const rules = workbook.getWorksheet('Rewards by rule')!
    const cashback = rules.getRows(2, rules.rowCount - 1)!.find((row) => row.getCell(1).value === 'LOSING_PLAYER_CASHBACK')!
    expect(cashback.getCell(7).value).toBe(700) // 500.00 + 200.00 EUR, as a number in major units
    const quarantine = workbook.getWorksheet('Quarantine')!
    expect(quarantine.getRow(2).getCell(2).value).toBe(7)
    // Running again replaces the report rather than refusing to write it.
    await expect(processFiles(database, options)).resolves.toMatchObject({ report: { path: reportPath } })
    database.close()
  })

  it('a dry run decides and reports but writes no decisions and no transfers', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const summary = await processFiles(database, { files: [path], rules: [seedRule], defaultAsOf: '2026-02-05', now: '2026-01-31T18:00:00.000Z', actor: 't', dryRun: true })
    expect(summary.rewards.byCurrency.BONUS).toBe(70_000)
    expect(summary.evaluationId).toBeNull()
    const count = (table: string) => (database.readRaw(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    expect([count('reward_decisions'), count('ledger_transfers'), count('evaluations')]).toEqual([0, 0, 0])
    // Nor the import, its quarantine or the rule versions: the real run then imports the file afresh.
    expect([count('imports'), count('players'), count('metric_snapshots'), count('import_row_errors'), count('reward_rules'), count('reward_rule_versions')]).toEqual([0, 0, 0, 0, 0, 0])
    const real = await processFiles(database, { files: [path], rules: [seedRule], defaultAsOf: '2026-02-05', now: '2026-01-31T18:00:00.000Z', actor: 't', dryRun: false })
    expect(real.import).toMatchObject({ rows: 5, accepted: 4, rejected: 1 })
    expect(real.imports[0]).toMatchObject({ status: 'imported', asOf: '2026-01-31' })
    expect(real.rewards.byCurrency.BONUS).toBe(70_000)
    database.close()
  })

  it('refuses an as-of date before the players\' newest figures, before importing anything', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { rules: [lpRule], defaultAsOf: '2026-02-05', now: '2026-01-31T18:00:00.000Z', actor: 't', dryRun: false }
    await processFiles(database, { ...base, files: [path] })
    const later = join(dir, 'older.csv')
    writeFileSync(later, sheet.replace('exported 2026-01-31', 'exported 2026-01-15').replace('P1,', 'P9,'))
    const count = (table: string) => (database.readRaw(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    const before = [count('imports'), count('evaluations'), count('ledger_transfers')]
    await expect(processFiles(database, { ...base, files: [later], asOf: '2026-01-20' })).rejects.toThrow(
      "Cannot evaluate as of 2026-01-20: the players' figures are as of 2026-01-31, and a run as of an earlier date would judge them by later figures. Process as of 2026-01-31 or later.",
    )
    expect([count('imports'), count('evaluations'), count('ledger_transfers')]).toEqual(before)
    // The same date or a later one is fine.
    await expect(processFiles(database, { ...base, files: [], asOf: '2026-01-31' })).resolves.toMatchObject({ asOf: '2026-01-31' })
    database.close()
  })

  it('names the file it refuses, and the files imported before it (they stay imported)', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const good = join(dir, 'players.csv')
    writeFileSync(good, sheet)
    const bad = join(dir, 'punters.csv')
    writeFileSync(bad, 'Punter,Stake Sum\nA1,100\n')
    const run = processFiles(database, { files: [good, bad], rules: [lpRule], defaultAsOf: '2026-02-05', now: '2026-01-31T18:00:00.000Z', actor: 't', dryRun: false })
    await expect(run).rejects.toThrow(/^punters\.csv: .*needs a player id column.* Imported before this refusal: players\.csv \(import 1\)\.$/)
    await expect(run).rejects.toMatchObject({ details: { file: 'punters.csv', imported: [expect.objectContaining({ file: 'players.csv', importId: 1, accepted: 4, rejected: 1 })] } })
    expect(database.readRaw('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 1 })
    database.close()
  })

  it('refuses a rule set with problems before touching anything', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const bad = { ...lpRule, reward: { type: 'LP', formula: 'sessions * ' } }
    await expect(processFiles(database, { files: [path], rules: [bad], defaultAsOf: '2026-02-05', now: '2026-01-31T18:00:00.000Z', actor: 't', dryRun: false })).rejects.toThrow(
      /The rule set has 1 problem\(s\): \[0\]\.reward\.formula/,
    )
    expect(database.readRaw('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 })
    database.close()
  })

  it("keeps the operator's rule status: a paused rule stays paused when the same rules file is passed again, and archived rules are not replaced by the defaults", async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const path = join(dir, 'players.csv')
    writeFileSync(path, sheet)
    const base = { files: [path], defaultAsOf: '2026-02-05', actor: 'test', dryRun: false, defaultRules: () => [lpRule] }
    await processFiles(database, { ...base, rules: [seedRule, lpRule], now: '2026-01-31T18:00:00.000Z' })
    const setStatus = (status: string) => database.write((_tx, statements) => statements.prepare('UPDATE reward_rules SET status = ?').run(status))
    setStatus('paused')
    const paused = await processFiles(database, { ...base, files: [], rules: [seedRule, lpRule], asOf: '2026-02-01', now: '2026-02-01T18:00:00.000Z' })
    expect(paused.rewards.issued).toBe(0)
    setStatus('archived')
    const archived = await processFiles(database, { ...base, files: [], asOf: '2026-02-02', now: '2026-02-02T18:00:00.000Z' })
    expect(archived.rewards.issued).toBe(0)
    expect(database.readRaw('SELECT count(*) AS n FROM reward_rules').get()).toEqual({ n: 2 })
    database.close()
  })

  it('records a segment change with the evaluation that saw it', async () => {
    const dir = tempDir()
    const database = openLedger(dir)
    const january = join(dir, 'january.csv')
    writeFileSync(january, sheet)
    const base = { rules: [lpRule], defaultAsOf: '2026-03-01', actor: 'test', dryRun: false }
    await processFiles(database, { ...base, files: [january], now: '2026-01-31T18:00:00.000Z' })
    // By February P4, a winner in January, has lost: 5,000 more wagered, nothing more won.
    const february = join(dir, 'february.csv')
    writeFileSync(february, ['Player summary — exported 2026-02-28', sheet.split('\n')[1], 'P4,"1,000.00","10,000.00","9,000.00",9,2026-02-20,2025-06-01'].join('\n'))
    await processFiles(database, { ...base, files: [february], now: '2026-02-28T18:00:00.000Z' })
    const history = database
      .readRaw('SELECT p.external_id AS player, h.as_of AS asOf, h.from_segment AS "from", h.to_segment AS "to", e.as_of AS evaluated FROM segment_history h JOIN players p ON p.id = h.player_id JOIN evaluations e ON e.id = h.evaluation_id ORDER BY h.id')
      .all()
    expect(history).toEqual([{ player: 'P4', asOf: '2026-02-28', from: 'WINNING', to: 'LOSING', evaluated: '2026-02-28' }])
    database.close()
  })
})
