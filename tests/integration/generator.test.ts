// The synthetic generator (scripts/gen/synthetic.ts) on a small size: both formats open and parse,
// have the header and one row per player, every row passes the importer's validation, the base has
// every segment, and the same seed gives the same file.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { summariseActivity, type ActivityEvent } from '../../src/main/engine/activity'
import { runPipeline } from '../../src/main/engine/pipeline'
import type { PlayerRecord } from '../../src/main/engine/player-table'
import { mapHeader } from '../../src/main/io/import/columns'
import { validateRow } from '../../src/main/io/import/rows'
import { defaultEngineSettings } from '../../src/shared/engine-settings'
import { majorToMinor } from '../../src/shared/money'
import { workbookFingerprint } from '../../scripts/gen/sample-workbook'
import { syntheticAsOf, syntheticColumns, syntheticPlayer, writeSyntheticEvents, writeSyntheticPlayers } from '../../scripts/gen/synthetic'
import { useTempDir } from '../helpers/temp'

const players = 2_000

/** RFC 4180 fields of one line (the generator quotes only the game types). */
function csvFields(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"'
        i += 1
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      fields.push(field)
      field = ''
    } else field += char
  }
  fields.push(field)
  return fields
}

function csvRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8')
  expect(text.endsWith('\r\n')).toBe(true)
  return text.slice(0, -2).split('\r\n').map(csvFields)
}

/** Validates rows with the importer's functions; returns the records (throws on the first invalid row). */
function validate(header: unknown[], rows: unknown[][]): PlayerRecord[] {
  const mapped = mapHeader(header)
  expect(mapped.missingRequired).toEqual([])
  expect(mapped.unknown).toEqual([])
  expect(mapped.columns).toHaveLength(syntheticColumns.length)
  return rows.map((cells, index) => {
    const result = validateRow(cells, mapped.columns, { rowNumber: index + 2, asOf: syntheticAsOf, minorDigits: 2, dateOrder: 'DMY' })
    if ('errors' in result) throw new Error(JSON.stringify(result.errors))
    return result.record
  })
}

async function xlsxRows(path: string): Promise<{ workbook: ExcelJS.Workbook; rows: unknown[][] }> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const sheet = workbook.worksheets[0]!
  const rows: unknown[][] = []
  for (let row = 1; row <= sheet.rowCount; row += 1) {
    const cells: unknown[] = []
    sheet.getRow(row).eachCell({ includeEmpty: false }, (cell, column) => {
      cells[column - 1] = cell.value
    })
    rows.push(cells)
  }
  return { workbook, rows }
}

describe('the synthetic generator', () => {
  const tempDir = useTempDir()

  it('CSV: the header, one row per player, every row valid for the importer, every segment present, some optional cells empty', async () => {
    const path = join(tempDir(), 'players.csv')
    await writeSyntheticPlayers(path, { players, format: 'csv' })
    const [header, ...rows] = csvRows(path)
    expect(header).toEqual([...syntheticColumns])
    expect(rows).toHaveLength(players)
    for (const row of rows) expect(row).toHaveLength(syntheticColumns.length)
    const records = validate(header!, rows)
    expect(new Set(records.map((record) => record.playerId)).size).toBe(players)

    const result = runPipeline({ players: records, rules: [], settings: defaultEngineSettings(), asOf: syntheticAsOf })
    const counts = result.segmentCounts
    for (const segment of ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const) expect(counts[segment], segment).toBeGreaterThan(players * 0.01)
    // A mix, not one segment: losers are the largest group, VIPs the smallest.
    expect(counts.LOSING).toBeGreaterThan(counts.VIP)
    // Optional columns are sometimes empty; required ones never are.
    for (const column of ['registration_date', 'total_withdrawn', 'bonus_received', 'ip', 'device_id', 'game_types', 'last_active_date'] as const) {
      const index = syntheticColumns.indexOf(column)
      const empty = rows.filter((row) => row[index] === '').length
      expect(empty, column).toBeGreaterThan(0)
      expect(empty, column).toBeLessThan(players * 0.25)
    }
    for (const column of ['player_id', 'total_wagered', 'total_won', 'sessions'] as const) expect(rows.every((row) => row[syntheticColumns.indexOf(column)] !== '')).toBe(true)
    // Shared IP clusters exist (multi-accounting), but most players are alone.
    expect(result.abuse.clusters.length).toBeGreaterThan(0)
    expect(result.abuse.clusters.reduce((sum, cluster) => sum + cluster.playerIds.length, 0)).toBeLessThan(players * 0.1)
  })

  it('XLSX: opens with exceljs, the same header and rows as the CSV for the seed, dates as dates, money as numbers', async () => {
    const dir = tempDir()
    await writeSyntheticPlayers(join(dir, 'players.xlsx'), { players, format: 'xlsx', seed: 7 })
    await writeSyntheticPlayers(join(dir, 'players.csv'), { players, format: 'csv', seed: 7 })
    const { workbook, rows } = await xlsxRows(join(dir, 'players.xlsx'))
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Players'])
    const [header, ...data] = rows
    expect(header).toEqual([...syntheticColumns])
    expect(data).toHaveLength(players)
    const sheet = workbook.worksheets[0]!
    expect(sheet.getCell('C2').numFmt).toBe('#,##0.00')
    expect(typeof sheet.getCell('C2').value).toBe('number')
    const dates = data.map((row) => row[syntheticColumns.indexOf('registration_date')]).filter((value) => value !== undefined)
    expect(dates.length).toBeGreaterThan(players * 0.9)
    for (const value of dates) expect(value).toBeInstanceOf(Date)

    // Both formats carry the same players.
    const [csvHeader, ...csvData] = csvRows(join(dir, 'players.csv'))
    expect(validate(header!, data)).toEqual(validate(csvHeader!, csvData))
  })

  it('is deterministic: the same seed gives the same file, another seed another one', async () => {
    const dir = tempDir()
    await writeSyntheticPlayers(join(dir, 'a.csv'), { players: 500, format: 'csv', seed: 42 })
    await writeSyntheticPlayers(join(dir, 'b.csv'), { players: 500, format: 'csv', seed: 42 })
    await writeSyntheticPlayers(join(dir, 'c.csv'), { players: 500, format: 'csv', seed: 43 })
    expect(readFileSync(join(dir, 'a.csv'))).toEqual(readFileSync(join(dir, 'b.csv')))
    expect(readFileSync(join(dir, 'a.csv'))).not.toEqual(readFileSync(join(dir, 'c.csv')))
    // Player i does not depend on how many players are written.
    expect(syntheticPlayer(123, 42)).toEqual(syntheticPlayer(123, 42))
    await writeSyntheticPlayers(join(dir, 'd.csv'), { players: 200, format: 'csv', seed: 42 })
    expect(readFileSync(join(dir, 'a.csv'), 'utf8').startsWith(readFileSync(join(dir, 'd.csv'), 'utf8'))).toBe(true)

    await writeSyntheticPlayers(join(dir, 'a.xlsx'), { players: 500, format: 'xlsx', seed: 42 })
    await writeSyntheticPlayers(join(dir, 'b.xlsx'), { players: 500, format: 'xlsx', seed: 42 })
    const [a, b] = await Promise.all([xlsxRows(join(dir, 'a.xlsx')), xlsxRows(join(dir, 'b.xlsx'))])
    expect(workbookFingerprint(a.workbook)).toBe(workbookFingerprint(b.workbook))
  })

  it('writes an empty file with just the header for 0 players, and refuses a bad count', async () => {
    const dir = tempDir()
    await writeSyntheticPlayers(join(dir, 'none.csv'), { players: 0, format: 'csv' })
    expect(readFileSync(join(dir, 'none.csv'), 'utf8')).toBe(`${syntheticColumns.join(',')}\r\n`)
    await expect(writeSyntheticPlayers(join(dir, 'x.csv'), { players: -1, format: 'csv' })).rejects.toThrow(/players/)
    await expect(writeSyntheticPlayers(join(dir, 'x.csv'), { players: 1.5, format: 'csv' })).rejects.toThrow(/players/)
  })

  it('events: JSONL for the same players that the engine summarises without skipping any', async () => {
    const path = join(tempDir(), 'events.jsonl')
    const { events: count } = await writeSyntheticEvents(path, { players: 300 })
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(count)
    expect(count).toBeGreaterThan(300 * 4)
    const events: ActivityEvent[] = lines.map((line) => {
      const value = JSON.parse(line) as Record<string, string | number | undefined>
      return {
        eventId: value.event_id as string,
        playerId: value.player_id as string,
        timestamp: value.timestamp as string,
        type: value.type as ActivityEvent['type'],
        ...(typeof value.amount === 'number' ? { amount: majorToMinor(value.amount, 2) } : {}),
        ...(typeof value.game_type === 'string' ? { gameType: value.game_type } : {}),
      }
    })
    const summary = summariseActivity(events)
    expect(summary.skipped).toEqual([])
    expect(summary.duplicates).toBe(0)
    expect(summary.summaries.size).toBe(300)
    const ids = new Set(Array.from({ length: 300 }, (_, index) => syntheticPlayer(index).playerId))
    for (const id of summary.summaries.keys()) expect(ids.has(id)).toBe(true)
    // Nothing after the as-of day.
    for (const event of events) expect(event.timestamp < `${syntheticAsOf}T23:59:60`).toBe(true)
  })

  it('npm run gen: the CLI writes players and events and says where and how long', async () => {
    const dir = tempDir()
    const out = join(dir, 'cli.csv')
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/gen/index.ts', '--players', '1500', '--format', 'csv', '--out', out, '--seed', '9', '--events'], {
      cwd: join(import.meta.dirname, '..', '..'),
    })
    expect(stdout).toMatch(new RegExp(`^Wrote 1,500 players to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in \\d+\\.\\d\\d s \\([\\d,]+ rows/s\\)\\n`))
    expect(stdout).toMatch(/Wrote [\d,]+ events to .*cli\.events\.jsonl in \d+\.\d\d s\n$/)
    expect(csvRows(out)).toHaveLength(1_501)
    const direct = join(dir, 'direct.csv')
    await writeSyntheticPlayers(direct, { players: 1500, format: 'csv', seed: 9 })
    expect(readFileSync(out)).toEqual(readFileSync(direct))
  })
})
