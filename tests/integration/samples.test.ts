// The sample files in resources/samples/ give exactly the results their README documents.
// players.xlsx is read with exceljs (not the importer's streaming readers, which are being written
// separately), mapped with the importer's row functions, and run through the engine at the
// documented as-of date with rules.json (see scripts/gen/sample-run.ts for the steps).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileRuleSet } from '../../src/main/engine/rules'
import { fieldNames } from '../../src/main/io/import/columns'
import { validateRow } from '../../src/main/io/import/rows'
import { ruleSchema, ruleSetSchema } from '../../src/shared/rule-schema'
import { buildSampleWorkbook, generateSample, malformedEventLine, sampleAsOf, sampleTitle, workbookFingerprint, writeSampleEvents, type Sample } from '../../scripts/gen/sample-workbook'
import { runSample, type SampleOutcome } from '../../scripts/gen/sample-run'
import { checkDesign, expectedResultsMarkdown, samplePaths } from '../../scripts/gen/samples'
import { useTempDir } from '../helpers/temp'

const paths = samplePaths()

describe('the sample files', () => {
  const tempDir = useTempDir()
  let outcome: SampleOutcome
  let sample: Sample
  beforeAll(async () => {
    outcome = await runSample({ players: paths.players, events: paths.events, rules: paths.rules }, sampleAsOf)
    sample = generateSample()
  })

  it('is dated 2026-11-20', () => {
    expect(sampleAsOf).toBe('2026-11-20')
  })

  describe('players.xlsx', () => {
    it('looks like an operator export: title rows, platform headers, formulas, Excel dates, text money, a blank and a Total row, a Notes sheet', async () => {
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.readFile(paths.players)
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Players', 'Notes'])
      const sheet = workbook.getWorksheet('Players')!
      expect(sheet.getCell('A1').value).toBe(sampleTitle)
      expect(sheet.getCell('A1').isMerged).toBe(true)
      expect(sheet.getRow(3).values).toEqual([
        undefined,
        'Player ID',
        'Registered On',
        'Country',
        'Total Deposits (€)',
        'Withdrawals (€)',
        'Turnover (€)',
        'Winnings (€)',
        'GGR (€)',
        'Bonus Total (€)',
        'Sessions',
        'Hours Played',
        'Last Deposit',
        'Last Seen',
        'Games Played',
        'Last Login IP',
        'Device Fingerprint',
      ])
      // Row 4 is the first player: numeric id, real dates with a date format, money as numbers, GGR a formula.
      expect(typeof sheet.getCell('A4').value).toBe('number')
      expect(sheet.getCell('B4').value).toBeInstanceOf(Date)
      expect(sheet.getCell('B4').numFmt).toBe('dd/mm/yyyy')
      expect(sheet.getCell('F4').numFmt).toBe('#,##0.00')
      expect(sheet.getCell('H4').type).toBe(ExcelJS.ValueType.Formula)
      expect(sheet.getCell('H4').formula).toBe('F4-G4')
      // Some money is text with thousands separators; the stale duplicate's id is text.
      const textMoney = [...Array(105).keys()].map((i) => sheet.getCell(`F${i + 4}`).value).filter((value) => typeof value === 'string')
      expect(textMoney.length).toBeGreaterThanOrEqual(5)
      for (const value of textMoney) expect(value).toMatch(/^-?\d{1,3}(,\d{3})*\.\d\d$/)
      expect(sheet.getCell('A10').value).toBe('1007090')
      // Blank row 61, Total row 109 of SUM formulas, nothing after it.
      expect(sheet.getRow(61).actualCellCount).toBe(0)
      expect(sheet.getCell('A109').value).toBe('Total')
      expect(sheet.getCell('F109').formula).toBe('SUM(F4:F108)')
      expect(sheet.rowCount).toBe(109)
      expect(workbook.getWorksheet('Notes')!.getCell('A1').value).toBe('About this export')
    })

    it('is found and mapped by the importer: sheet Players, header on row 3, every column a known field', () => {
      const { sheet } = outcome
      expect(sheet.sheetNames).toEqual(['Players', 'Notes'])
      expect(sheet.sheetName).toBe('Players')
      expect(sheet.headerRow).toBe(3)
      expect(sheet.header.missingRequired).toEqual([])
      expect(sheet.header.unknown).toEqual([])
      expect(sheet.header.duplicates).toEqual([])
      expect(sheet.header.columns.map((column) => column.field)).toEqual([
        'player_id',
        'registration_date',
        'country',
        'total_deposited',
        'total_withdrawn',
        'total_wagered',
        'total_won',
        'ggr',
        'bonus_received',
        'sessions',
        'playtime_hours',
        'last_deposit_date',
        'last_active_date',
        'game_types',
        'ip',
        'device_id',
      ])
      // Every optional field of the seed's format is present (net_pnl is not: total_won is).
      expect(fieldNames.filter((field) => !sheet.header.columns.some((column) => column.field === field))).toEqual(['net_pnl'])
    })

    it('imports 100 players from 104 data rows: 3 rejected with row-numbered messages, 1 stale duplicate dropped, the blank and Total rows skipped', () => {
      const { sheet, summary } = outcome
      expect(summary).toMatchObject({ rows: 104, accepted: 101, rejected: 3, duplicatesDropped: 1, players: 100 })
      expect(sheet.blankRows).toEqual([61])
      expect(sheet.totalRows).toEqual([109])
      expect(sheet.rejected.map((entry) => entry.errors.map(({ row, column, message }) => ({ row, column, message })))).toEqual([
        [{ row: 26, column: 'total_wagered', message: 'Row 26, total_wagered: expected a money amount of 0 or more, found -250' }],
        [{ row: 54, column: 'total_won', message: 'Row 54, total_won: won without wagered: 150.00 won but total_wagered is 0.00' }],
        [{ row: 90, column: 'last_deposit_date', message: 'Row 90, last_deposit_date: 2026-12-05 is after the as-of date 2026-11-20' }],
      ])
      expect(sheet.duplicates.map(({ playerId, keptRow, droppedRow }) => ({ playerId, keptRow, droppedRow }))).toEqual([{ playerId: '1007090', keptRow: 65, droppedRow: 10 }])
      // The kept row is the corrected one, further down the sheet.
      expect(sheet.records.find((entry) => entry.record.playerId === '1007090')).toMatchObject({ row: 65, record: { totalWagered: 790_000 } })
      expect(new Set(sheet.records.map((entry) => entry.record.playerId)).size).toBe(100)
    })

    it("reads a formula's cached 0 through cell.result: exceljs's cell.value drops it and the row would be refused", async () => {
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.readFile(paths.players)
      const sheet = workbook.getWorksheet('Players')!
      const zeroRow = [...Array(105).keys()].map((i) => i + 4).find((row) => sheet.getCell(`H${row}`).result === 0)!
      expect(sheet.getCell(`H${zeroRow}`).value).toEqual({ formula: `F${zeroRow}-G${zeroRow}` }) // no result: the exceljs quirk
      const naive = (sheet.getRow(zeroRow).values as unknown[]).slice(1)
      const refused = validateRow(naive, outcome.sheet.header.columns, { rowNumber: zeroRow, asOf: sampleAsOf, minorDigits: 2, dateOrder: 'DMY' })
      expect('errors' in refused && refused.errors.map((error) => error.column)).toEqual(['ggr'])
      // Read properly, that player (net 0) is imported and BREAKEVEN.
      const playerId = String(sheet.getCell(`A${zeroRow}`).value)
      expect(outcome.segmentOf.get(playerId)).toBe('BREAKEVEN')
    })

    it('regenerates to the same content (seeded)', async () => {
      const fresh = new ExcelJS.Workbook()
      await fresh.xlsx.load(await buildSampleWorkbook(sample).xlsx.writeBuffer())
      const committed = new ExcelJS.Workbook()
      await committed.xlsx.readFile(paths.players)
      expect(workbookFingerprint(fresh)).toBe(workbookFingerprint(committed))
    })
  })

  describe('events', () => {
    it('events.jsonl: every line is a JSON event except the one cut short; two duplicate event ids', () => {
      const lines = readFileSync(paths.events, 'utf8').trimEnd().split('\n')
      const unparseable = lines.flatMap((line, index) => {
        try {
          JSON.parse(line)
          return []
        } catch {
          return [index + 1]
        }
      })
      expect(unparseable).toEqual([malformedEventLine])
      expect(outcome.events).toMatchObject({ lines: 2794, malformedLines: [612], duplicates: 2, skipped: 0, used: 2791, players: 20 })
      const ids = lines.filter((_, index) => index + 1 !== malformedEventLine).map((line) => (JSON.parse(line) as { event_id: string }).event_id)
      expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual(['EV700151', 'EV700152'])
      for (const line of lines.slice(0, 50)) {
        expect(Object.keys(JSON.parse(line) as object)[0]).toBe('event_id')
      }
    })

    it('events.csv holds the same events: a header, one row per JSON line, the same cut-short row', () => {
      const jsonLines = readFileSync(paths.events, 'utf8').trimEnd().split('\n')
      const csvLines = readFileSync(paths.eventsCsv, 'utf8').trimEnd().split('\r\n')
      expect(csvLines[0]).toBe('event_id,player_id,timestamp,type,amount,game_type,ip,device_id')
      expect(csvLines.length - 1).toBe(jsonLines.length)
      expect(csvLines[malformedEventLine]!.split(',')).toHaveLength(3)
      const first = JSON.parse(jsonLines[0]!) as Record<string, unknown>
      expect(csvLines[1]).toBe(`${first.event_id},${first.player_id},${first.timestamp},${first.type},,,${first.ip},${first.device_id}`)
    })

    it('regenerate byte for byte', () => {
      const dir = tempDir()
      writeSampleEvents(sample, join(dir, 'e.jsonl'), join(dir, 'e.csv'))
      expect(readFileSync(join(dir, 'e.jsonl'))).toEqual(readFileSync(paths.events))
      expect(readFileSync(join(dir, 'e.csv'))).toEqual(readFileSync(paths.eventsCsv))
    })
  })

  describe('rules.json', () => {
    it('is a rule set the rule schema accepts, and compiles without problems', () => {
      const raw = JSON.parse(readFileSync(paths.rules, 'utf8')) as unknown[]
      expect(ruleSetSchema.safeParse(raw).success).toBe(true)
      for (const rule of raw) expect(ruleSchema.safeParse(rule).error?.issues ?? []).toEqual([])
      const { rules, problems } = compileRuleSet(raw, { minorDigits: 2, knownTiers: ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] })
      expect(problems).toEqual([])
      expect(rules.map((rule) => rule.ruleId)).toEqual([
        'WELCOME_BONUS',
        'VIP_RELOAD_BONUS',
        'HIGH_ROLLER_FREE_TICKETS',
        'LOSING_PLAYER_CASHBACK',
        'REACTIVATION_TICKETS',
        'BREAKEVEN_RP_BOOST',
        'SUMMER_RP_PROMO',
        'LP_EARN_TURNOVER',
      ])
    })

    it("holds the seed's cashback rule: min(net_loss × 0.10, 500), wagering 10× on slots and roulette", () => {
      const raw = JSON.parse(readFileSync(paths.rules, 'utf8')) as { rule_id: string }[]
      expect(raw.find((rule) => rule.rule_id === 'LOSING_PLAYER_CASHBACK')).toMatchObject({
        priority: 10,
        conditions: { segment: 'LOSING', net_loss_min: 100, session_count_min: 3, days_since_last_deposit: { max: 7 } },
        reward: { type: 'BONUS_BALANCE', formula: 'min(net_loss * 0.10, 500)', max_amount: 500, wagering_requirement: 10, expiry_hours: 48, eligible_games: ['slots', 'roulette'] },
      })
    })
  })

  describe(`the engine's results as of ${sampleAsOf}`, () => {
    it('puts every designed player in the segment it was designed for', () => {
      expect(checkDesign(sample, outcome)).toEqual([])
    })

    it('segments and tiers', () => {
      expect(outcome.summary.segments).toEqual({ NEW: 15, VIP: 12, WINNING: 18, BREAKEVEN: 20, LOSING: 35 })
      // Tiers from the LP this run issues (the process job applies them from the next evaluation).
      expect(outcome.summary.tiers).toEqual({ BRONZE: 49, SILVER: 30, GOLD: 14, PLATINUM: 7 })
    })

    it('abuse: who is flagged, with which signals, and what happens to their rewards', () => {
      const rows = outcome.summary.abuse.map((row) => [row.playerId, row.score, row.action, row.review, row.signals.map((signal) => signal.signal)])
      expect(rows).toEqual([
        ['1004207', 30, 'none', false, ['bonus_only_play']],
        ['1004631', 84, 'block', true, ['bonus_only_play', 'withdrawal_after_bonus', 'shared_identity']],
        ['1004739', 35, 'none', false, ['improbable_win_rate']],
        ['1004912', 20, 'none', false, ['improbable_win_rate']],
        ['1005060', 12, 'none', false, ['improbable_win_rate']],
        ['1005153', 20, 'none', false, ['shared_identity']],
        ['1005479', 60, 'reduce', true, ['bonus_only_play', 'shared_identity']],
        ['1005815', 11, 'none', false, ['improbable_win_rate']],
        ['1005957', 19, 'none', false, ['improbable_win_rate']],
        ['1006173', 35, 'none', false, ['improbable_win_rate']],
        ['1006203', 83, 'block', true, ['bonus_only_play', 'withdrawal_after_bonus', 'shared_identity']],
        ['1006609', 22, 'none', false, ['withdrawal_after_bonus']],
        ['1006999', 60, 'reduce', true, ['bonus_only_play', 'shared_identity']],
        ['1007508', 20, 'none', false, ['shared_identity']],
        ['1007520', 78, 'block', true, ['bonus_only_play', 'min_bets_while_wagering', 'shared_identity']],
        ['1007680', 20, 'none', false, ['shared_identity']],
        ['1007921', 54, 'reduce', false, ['bonus_only_play', 'withdrawal_after_bonus']],
        ['1008298', 26, 'none', false, ['improbable_win_rate']],
        ['1008326', 15, 'none', false, ['shared_identity']],
        ['1008451', 27, 'none', false, ['improbable_win_rate']],
        ['1008687', 35, 'none', false, ['improbable_win_rate']],
        ['1009038', 24, 'none', false, ['improbable_win_rate']],
        ['1009118', 40, 'reduce', false, ['min_bets_while_wagering', 'shared_identity']],
        ['1009215', 35, 'none', false, ['improbable_win_rate']],
      ])
      expect(outcome.summary.review).toEqual(['1004631', '1005479', '1006203', '1006999', '1007520'])
      expect(outcome.summary.clusters).toEqual([
        { clusterId: 1, playerIds: ['1004631', '1005479', '1006203', '1006999', '1007520'], sharedIps: ['185.220.101.45'], sharedDevices: ['fp-9c2e71d04b'] },
        { clusterId: 2, playerIds: ['1005153', '1007508', '1007680'], sharedIps: ['62.4.17.200'], sharedDevices: [] },
        { clusterId: 3, playerIds: ['1008326', '1009118'], sharedIps: ['84.250.66.12'], sharedDevices: [] },
      ])
      // Every signal the engine knows appears at least once.
      const signals = new Set(outcome.summary.abuse.flatMap((row) => row.signals.map((signal) => signal.signal)))
      expect([...signals].sort()).toEqual(['bonus_only_play', 'improbable_win_rate', 'min_bets_while_wagering', 'shared_identity', 'withdrawal_after_bonus'])
    })

    it('the events join the ring: without them its accounts are two clusters (3 on one IP, 2 on one device)', async () => {
      const dir = tempDir()
      const noEvents = join(dir, 'none.jsonl')
      writeFileSync(noEvents, '')
      const summaryOnly = await runSample({ players: paths.players, events: noEvents, rules: paths.rules }, sampleAsOf)
      const ringIds = ['1004631', '1005479', '1006203', '1006999', '1007520']
      expect(summaryOnly.summary.clusters.filter((cluster) => cluster.playerIds.some((id) => ringIds.includes(id))).map((cluster) => cluster.playerIds)).toEqual([
        ['1004631', '1005479', '1006203'],
        ['1006999', '1007520'],
      ])
    })

    it('rewards per rule', () => {
      const rows = outcome.summary.rules.map((rule) => [rule.ruleId, rule.currency, rule.decisions, rule.issued, rule.reduced, rule.blocked, rule.amount, rule.reasons])
      expect(rows).toEqual([
        ['WELCOME_BONUS', 'BONUS', 13, 7, 3, 3, 44_500, { issued: 7, abuse_blocked: 3, abuse_reduced: 3 }],
        ['VIP_RELOAD_BONUS', 'BONUS', 11, 6, 1, 4, 150_000, { issued: 6, budget_rule: 5 }],
        ['HIGH_ROLLER_FREE_TICKETS', 'TICKETS', 0, 0, 0, 0, 0, {}],
        ['LOSING_PLAYER_CASHBACK', 'BONUS', 21, 2, 17, 2, 197_853, { profit_safety: 17, unprofitable: 2, issued: 2 }],
        ['REACTIVATION_TICKETS', 'TICKETS', 8, 4, 2, 2, 10, { issued: 4, profit_safety: 1, unprofitable: 1, budget_rule: 2 }],
        ['BREAKEVEN_RP_BOOST', 'RP', 16, 8, 8, 0, 71_796, { issued: 8, profit_safety: 7, abuse_reduced: 1 }],
        ['SUMMER_RP_PROMO', 'RP', 0, 0, 0, 0, 0, {}],
        ['LP_EARN_TURNOVER', 'LP', 100, 93, 4, 3, 524_790, { issued: 93, abuse_blocked: 3, abuse_reduced: 4 }],
      ])
      expect(outcome.summary.rules.filter((rule) => rule.inactive).map((rule) => [rule.ruleId, rule.inactive])).toEqual([
        ['HIGH_ROLLER_FREE_TICKETS', 'paused'],
        ['SUMMER_RP_PROMO', 'ended 2026-08-31'],
      ])
      // Amounts are whole non-negative units; the VIP reload spends exactly its €1,500 monthly budget.
      for (const decision of outcome.decisions) expect(Number.isSafeInteger(decision.amount) && decision.amount >= 0).toBe(true)
    })

    it('totals per currency and outcome', () => {
      expect(outcome.summary.issuedByCurrency).toEqual({ LP: 524_790, RP: 71_796, BONUS: 392_353, TICKETS: 10 })
      expect(outcome.summary.outcomes).toEqual({ issued: 120, reduced: 35, blocked: 14 })
      expect(outcome.summary.blockedByReason).toEqual({ abuse_blocked: 6, budget_rule: 5, unprofitable: 3 })
    })

    it("is what the README's expected results say", () => {
      expect(readFileSync(paths.readme, 'utf8')).toContain(expectedResultsMarkdown(sample, outcome))
    })
  })
})
