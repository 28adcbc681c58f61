// Runs the sample files through the importer's row functions and the engine, the way an operator's
// first `process` of them would: players.xlsx (read with exceljs) → header recognition → row
// validation → duplicate resolution; events.jsonl → activity summaries; rules.json → compiled
// rules; then runPipeline at the sample's as-of date with the default engine settings on an empty
// ledger. Tiers come from the LP this run issues (the default ladder, no tier held before).
//
// Used by the README generator (scripts/gen/samples.ts) and pinned by tests/integration/samples.test.ts.
// Deliberately independent of the streaming readers being written in src/main/io: exceljs's
// whole-workbook reader is fine for a 100-row file.
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { summariseActivity, type ActivityEvent, type ActivityEventType, activityEventTypes } from '../../src/main/engine/activity'
import { decisionAt, type DecisionRecord } from '../../src/main/engine/evaluate'
import { runPipeline, type PipelineResult } from '../../src/main/engine/pipeline'
import type { PlayerRecord } from '../../src/main/engine/player-table'
import { compileRuleSet, type CompiledRule, type RuleProblem } from '../../src/main/engine/rules'
import { segmentNames, type Segment } from '../../src/main/engine/segments-types'
import { defaultTierLadder, evaluateTiers, type TierDecision } from '../../src/main/engine/tiers'
import { findHeaderRow, type HeaderMapping } from '../../src/main/io/import/columns'
import { isBlankRow, isTotalRow, resolveDuplicates, validateRow, type DuplicateWarning, type RowError, type RowRecord } from '../../src/main/io/import/rows'
import { defaultEngineSettings, type EngineSettings } from '../../src/shared/engine-settings'
import { currencyCodes, majorToMinor, type Currency } from '../../src/shared/money'

export interface SheetRead {
  sheetName: string
  /** Sheet names in workbook order. */
  sheetNames: string[]
  headerRow: number
  header: HeaderMapping
  /** Data rows below the header (blank and total rows not counted). */
  rows: number
  blankRows: number[]
  totalRows: number[]
  /** Rows that passed validation (duplicates included). */
  valid: RowRecord[]
  /** One entry per rejected row, its errors in column order. */
  rejected: { row: number; errors: RowError[] }[]
  duplicates: DuplicateWarning[]
  /** The players imported: valid rows after duplicate resolution. */
  records: RowRecord[]
}

/**
 * Cells of one sheet row, 0-based. Formula cells are rebuilt from cell.formula and cell.result:
 * exceljs's cell.value drops a cached result that is falsy (FormulaValue._copyModel copies only
 * truthy fields), so a formula whose saved value is 0 would read as "a formula with no result".
 */
function rowCells(sheet: ExcelJS.Worksheet, rowNumber: number): unknown[] {
  const cells: unknown[] = []
  sheet.getRow(rowNumber).eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = cell.type === ExcelJS.ValueType.Formula ? { formula: cell.formula, result: cell.result } : cell.value
  })
  return cells
}

export async function readPlayersWorkbook(path: string, asOf: string, minorDigits = 2): Promise<SheetRead> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const sheetNames = workbook.worksheets.map((sheet) => sheet.name)
  // The sheet whose header recognises the most required fields, then the most fields (as the importer does).
  let best: { sheet: ExcelJS.Worksheet; rowIndex: number; header: HeaderMapping; score: number } | undefined
  for (const sheet of workbook.worksheets) {
    const top = Array.from({ length: Math.min(sheet.rowCount, 20) }, (_, index) => rowCells(sheet, index + 1))
    const found = findHeaderRow(top)
    if (!found) continue
    const score = (3 - found.header.missingRequired.length) * 1000 + found.header.columns.length
    if (!best || score > best.score) best = { sheet, rowIndex: found.rowIndex, header: found.header, score }
  }
  if (!best) throw new Error(`no sheet of ${path} has a recognisable header`)
  const { sheet, header } = best
  const headerRow = best.rowIndex + 1
  const result: SheetRead = {
    sheetName: sheet.name,
    sheetNames,
    headerRow,
    header,
    rows: 0,
    blankRows: [],
    totalRows: [],
    valid: [],
    rejected: [],
    duplicates: [],
    records: [],
  }
  for (let rowNumber = headerRow + 1; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const cells = rowCells(sheet, rowNumber)
    if (isBlankRow(cells)) {
      result.blankRows.push(rowNumber)
      continue
    }
    if (isTotalRow(cells)) {
      result.totalRows.push(rowNumber)
      continue
    }
    result.rows += 1
    const validated = validateRow(cells, header.columns, { rowNumber, asOf, minorDigits, dateOrder: 'DMY' })
    if ('errors' in validated) result.rejected.push({ row: rowNumber, errors: validated.errors })
    else result.valid.push({ row: rowNumber, record: validated.record })
  }
  const resolved = resolveDuplicates(result.valid)
  result.duplicates = resolved.warnings
  result.records = resolved.records
  return result
}

export interface EventsRead {
  lines: number
  events: ActivityEvent[]
  /** 1-based line numbers of lines that are not a JSON object. */
  malformedLines: number[]
}

const eventTypes = new Set<string>(activityEventTypes)

/** events.jsonl: one JSON object per line, amounts in major units (EUR). */
export function readEventsJsonl(path: string, minorDigits = 2): EventsRead {
  const lines = readFileSync(path, 'utf8').split('\n')
  if (lines.at(-1) === '') lines.pop()
  const events: ActivityEvent[] = []
  const malformedLines: number[] = []
  lines.forEach((line, index) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      malformedLines.push(index + 1)
      return
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      malformedLines.push(index + 1)
      return
    }
    const value = parsed as Record<string, unknown>
    const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined)
    const event: ActivityEvent = {
      eventId: text('event_id') ?? '',
      playerId: text('player_id') ?? '',
      timestamp: text('timestamp') ?? '',
      type: (eventTypes.has(text('type') ?? '') ? text('type') : 'unknown') as ActivityEventType,
    }
    if (typeof value.amount === 'number') event.amount = majorToMinor(value.amount, minorDigits)
    const game = text('game_type')
    if (game) event.gameType = game
    const ip = text('ip')
    if (ip) event.ip = ip
    const device = text('device_id')
    if (device) event.deviceId = device
    events.push(event)
  })
  return { lines: lines.length, events, malformedLines }
}

export function loadRules(path: string, settings: EngineSettings): { raw: unknown[]; rules: CompiledRule[]; problems: RuleProblem[] } {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown
  if (!Array.isArray(raw)) throw new Error(`${path} must hold a JSON array of rules`)
  const { rules, problems } = compileRuleSet(raw, { minorDigits: settings.currency.minorDigits, knownTiers: defaultTierLadder.map((tier) => tier.code) })
  return { raw, rules, problems }
}

export interface RuleOutcome {
  ruleId: string
  currency: Currency
  /** Players whose conditions held (one decision each). */
  decisions: number
  issued: number
  reduced: number
  blocked: number
  /** Issued + reduced amounts, integer units (cents for BONUS, points, tickets). */
  amount: number
  reasons: Record<string, number>
  /** Why the rule made no decisions on the as-of date: "paused", "ended 2026-08-31", … */
  inactive?: string
}

export interface AbuseRow {
  playerId: string
  score: number
  signals: { signal: string; points: number }[]
  action: 'none' | 'reduce' | 'block'
  review: boolean
}

export interface SampleOutcome {
  asOf: string
  sheet: SheetRead
  events: EventsRead & { used: number; duplicates: number; skipped: number; players: number }
  pipeline: PipelineResult
  decisions: DecisionRecord[]
  tiers: Map<string, TierDecision>
  segmentOf: Map<string, Segment>
  summary: {
    rows: number
    accepted: number
    rejected: number
    duplicatesDropped: number
    players: number
    segments: Record<Segment, number>
    tiers: Record<string, number>
    abuse: AbuseRow[]
    clusters: { clusterId: number; playerIds: string[]; sharedIps: string[]; sharedDevices: string[] }[]
    review: string[]
    rules: RuleOutcome[]
    issuedByCurrency: Record<Currency, number>
    outcomes: Record<string, number>
    /** Blocked decisions by reason (what `loyalty process --json` reports as rewards.blocked). */
    blockedByReason: Record<string, number>
  }
}

export async function runSample(paths: { players: string; events: string; rules: string }, asOf: string): Promise<SampleOutcome> {
  const settings = defaultEngineSettings()
  const digits = settings.currency.minorDigits
  const sheet = await readPlayersWorkbook(paths.players, asOf, digits)
  const eventsRead = readEventsJsonl(paths.events, digits)
  const activity = summariseActivity(eventsRead.events)
  const players: PlayerRecord[] = sheet.records.map(({ record }) => {
    const summary = activity.summaries.get(record.playerId)
    return summary ? { ...record, activity: summary } : record
  })
  const { rules, problems } = loadRules(paths.rules, settings)
  if (problems.length > 0) throw new Error(`rules.json has problems: ${JSON.stringify(problems)}`)
  const pipeline = runPipeline({ players, rules, settings, asOf })
  const { evaluation, table, abuse } = pipeline
  const decisions = Array.from({ length: evaluation.decisions.count }, (_, index) => decisionAt(evaluation, index))

  // Tiers after this run: LP issued today is the only LP in any window (an empty ledger before).
  const lpByPlayer = new Map<string, number>()
  for (const decision of decisions) if (decision.currency === 'LP' && decision.amount > 0) lpByPlayer.set(decision.playerId, (lpByPlayer.get(decision.playerId) ?? 0) + decision.amount)
  const tierDecisions = evaluateTiers(
    table.playerIds.map((playerId) => ({ playerId, lpEarned: lpByPlayer.has(playerId) ? [{ date: asOf, points: lpByPlayer.get(playerId)! }] : [] })),
    defaultTierLadder,
    asOf,
  )
  const tiers = new Map(table.playerIds.map((playerId, index) => [playerId, tierDecisions[index]!]))
  const tierCounts: Record<string, number> = Object.fromEntries([...defaultTierLadder].sort((a, b) => a.rank - b.rank).map((tier) => [tier.code, 0]))
  for (const decision of tierDecisions) tierCounts[decision.tier] = (tierCounts[decision.tier] ?? 0) + 1

  const segmentOf = new Map(table.playerIds.map((playerId, index) => [playerId, segmentNames[pipeline.segments[index]!]!]))

  const signalsOf = new Map<string, { signal: string; points: number }[]>()
  for (const signal of abuse.signals) {
    const list = signalsOf.get(signal.playerId) ?? []
    list.push({ signal: signal.signal, points: Math.round(signal.points * 10) / 10 })
    signalsOf.set(signal.playerId, list)
  }
  const abuseRows: AbuseRow[] = []
  table.records.forEach((record, index) => {
    const score = abuse.scores[index]!
    const signals = signalsOf.get(record.playerId)
    if (!signals) return
    abuseRows.push({
      playerId: record.playerId,
      score,
      signals,
      action: score >= settings.abuse.blockAt ? 'block' : score >= settings.abuse.reduceAt ? 'reduce' : 'none',
      review: score >= settings.abuse.reviewAt,
    })
  })

  const inactive = (rule: CompiledRule): string | undefined => {
    const { status, active_from: from, active_to: to } = rule.definition
    if (status !== 'active') return status
    if (to !== undefined && to < asOf) return `ended ${to}`
    if (from !== undefined && from > asOf) return `starts ${from}`
    return undefined
  }
  const ruleOutcomes: RuleOutcome[] = rules.map((rule) => {
    const outcome: RuleOutcome = { ruleId: rule.ruleId, currency: rule.currency, decisions: 0, issued: 0, reduced: 0, blocked: 0, amount: 0, reasons: {} }
    const why = inactive(rule)
    if (why !== undefined) outcome.inactive = why
    return outcome
  })
  const byId = new Map(ruleOutcomes.map((outcome) => [outcome.ruleId, outcome]))
  for (const decision of decisions) {
    const outcome = byId.get(decision.ruleId)!
    outcome.decisions += 1
    outcome[decision.outcome] += 1
    if (decision.outcome !== 'blocked') outcome.amount += decision.amount
    outcome.reasons[decision.reason] = (outcome.reasons[decision.reason] ?? 0) + 1
  }

  return {
    asOf,
    sheet,
    events: { ...eventsRead, used: eventsRead.events.length - activity.duplicates - activity.skipped.length, duplicates: activity.duplicates, skipped: activity.skipped.length, players: activity.summaries.size },
    pipeline,
    decisions,
    tiers,
    segmentOf,
    summary: {
      rows: sheet.rows,
      accepted: sheet.valid.length,
      rejected: sheet.rejected.length,
      duplicatesDropped: sheet.duplicates.length,
      players: sheet.records.length,
      segments: pipeline.segmentCounts,
      tiers: tierCounts,
      abuse: abuseRows,
      clusters: abuse.clusters.map(({ clusterId, playerIds, sharedIps, sharedDevices }) => ({ clusterId, playerIds, sharedIps, sharedDevices })),
      review: pipeline.review.map((item) => item.playerId),
      rules: ruleOutcomes,
      issuedByCurrency: Object.fromEntries(currencyCodes.map((code) => [code, evaluation.issuedByCurrency[code]])) as Record<Currency, number>,
      outcomes: { ...evaluation.outcomes },
      blockedByReason: countBlocked(decisions),
    },
  }
}

function countBlocked(decisions: readonly DecisionRecord[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const decision of decisions) if (decision.outcome === 'blocked') counts[decision.reason] = (counts[decision.reason] ?? 0) + 1
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)))
}
