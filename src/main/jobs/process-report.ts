// The workbook `process --out REPORT.xlsx` writes: what the run decided, in the views an operator
// checks first — segments, rewards by rule, why rewards were blocked, every decision, the review
// queue and the rows the import quarantined — with a Summary sheet of the parameters used.
import type { ImportSummary } from '../../shared/api/types'
import type { EngineSettings } from '../../shared/engine-settings'
import { decisionAt, outcomeNames, reasonNames, type DecisionSource } from '../engine/evaluate'
import type { PipelineResult } from '../engine/pipeline'
import type { CompiledRule } from '../engine/rules'
import { segmentNames } from '../engine/segments-types'
import { basename } from 'node:path'
import { writeReportCsv, writeReportWorkbook, type ReportRow, type ReportView, type WrittenReport } from '../io/export'

/** What the report reads of a run: a PipelineResult has it all; the report thread rebuilds just this. */
export interface ReportedRun {
  table: { count: number }
  segmentCounts: PipelineResult['segmentCounts']
  review: PipelineResult['review']
  evaluation: DecisionSource
}

export interface ProcessReportInput {
  path: string
  result: ReportedRun
  rules: readonly { rule: Pick<CompiledRule, 'ruleId' | 'version'> }[]
  imports: readonly ImportSummary[]
  settings: EngineSettings
  asOf: string
  dryRun: boolean
  evaluationId: number | null
  generatedAt: Date
  signal?: AbortSignal
  /** Decisions the workbook lists in full; above it, see writeProcessReport. */
  decisionsInWorkbookMax?: number
}

/** What was written: the workbook, and the companion CSV of every decision when they were too many for it. */
export interface WrittenProcessReport extends WrittenReport {
  decisionsCsv?: { path: string; bytes: number; rows: number }
}

/**
 * Up to this many decisions the workbook lists every one. Beyond it (a base of a few hundred
 * thousand players), a sheet of a million rows is one nobody reads in Excel — it spans two sheets
 * past 1,048,576 rows, makes a 100 MB file and took a minute to write at 1M players — so every
 * decision goes to a CSV beside the workbook, and the workbook lists the reduced and blocked ones.
 */
export const decisionsInWorkbookMax = 100_000

export async function writeProcessReport(input: ProcessReportInput): Promise<WrittenProcessReport> {
  const { result, settings } = input
  const { evaluation } = result
  const currency = settings.currency.code
  const total = result.table.count

  const segmentRows = segmentNames.map((segment) => ({ segment, players: result.segmentCounts[segment], share: total ? result.segmentCounts[segment] / total : 0 }))

  type RuleTotals = { rule_id: string; version: number; currency: string; issued: number; reduced: number; blocked: number; bonus: number; points: number }
  const byRule = new Map<number, RuleTotals>()
  const blockedReasons = new Map<string, number>()
  const { decisions } = evaluation
  for (let index = 0; index < decisions.count; index += 1) {
    const ruleIndex = decisions.rule[index]!
    const rule = evaluation.rules[ruleIndex]!
    let totals = byRule.get(ruleIndex)
    if (!totals) {
      totals = { rule_id: rule.ruleId, version: rule.version, currency: rule.currency, issued: 0, reduced: 0, blocked: 0, bonus: 0, points: 0 }
      byRule.set(ruleIndex, totals)
    }
    const amount = decisions.amount[index]!
    if (amount === 0) {
      totals.blocked += 1
      const reason = reasonNames[decisions.reason[index]!]!
      blockedReasons.set(reason, (blockedReasons.get(reason) ?? 0) + 1)
      continue
    }
    if (outcomeNames[decisions.outcome[index]!] === 'reduced') totals.reduced += 1
    else totals.issued += 1
    if (rule.currency === 'BONUS') totals.bonus += amount
    else totals.points += amount
  }
  const ruleRows = [...byRule.values()].sort((a, b) => (a.rule_id < b.rule_id ? -1 : 1))

  const inWorkbookMax = input.decisionsInWorkbookMax ?? decisionsInWorkbookMax
  const allInWorkbook = decisions.count <= inWorkbookMax
  // Over the limit: the workbook keeps the decisions an operator checks (reduced and blocked), up to the limit.
  let attention = 0
  for (const totals of byRule.values()) attention += totals.reduced + totals.blocked
  const listed = allInWorkbook ? decisions.count : Math.min(attention, inWorkbookMax)
  const decisionsCsvPath = allInWorkbook ? undefined : `${input.path.replace(/\.xlsx$/i, '')}-decisions.csv`
  const csvName = decisionsCsvPath ? basename(decisionsCsvPath) : ''

  function* decisionRows(onlyAttention = false): Generator<ReportRow> {
    let yielded = 0
    for (let index = 0; index < decisions.count; index += 1) {
      if (onlyAttention) {
        if (outcomeNames[decisions.outcome[index]!] === 'issued') continue
        if (yielded === inWorkbookMax) return
        yielded += 1
      }
      const decision = decisionAt(evaluation, index)
      const isMoney = decision.currency === 'BONUS'
      yield {
        player_id: decision.playerId,
        rule_id: decision.ruleId,
        version: decision.ruleVersion,
        outcome: decision.outcome,
        reason: decision.reason,
        currency: decision.currency,
        bonus: isMoney ? decision.amount : null,
        points: isMoney ? null : decision.amount,
        requested_bonus: isMoney ? decision.requested : null,
        requested_points: isMoney ? null : decision.requested,
        cost: Math.round(decision.cost),
        margin: Math.round(decision.margin),
      }
    }
  }

  const views: ReportView[] = [
    {
      name: 'Segments',
      description: 'Players per segment after this evaluation',
      columns: [
        { key: 'segment', header: 'Segment', kind: 'text' },
        { key: 'players', header: 'Players', kind: 'integer' },
        { key: 'share', header: 'Share', kind: 'percent' },
      ],
      rows: segmentRows,
      charts: [
        {
          title: 'Players by segment',
          option: {
            xAxis: { type: 'category', data: segmentRows.map((row) => row.segment) },
            yAxis: { type: 'value' },
            series: [{ type: 'bar', data: segmentRows.map((row) => row.players) }],
          },
        },
      ],
    },
    {
      name: 'Rewards by rule',
      description: 'Decisions and amounts per rule version (BONUS in money, LP/RP/tickets in whole units)',
      columns: [
        { key: 'rule_id', header: 'Rule', kind: 'text' },
        { key: 'version', header: 'Version', kind: 'integer' },
        { key: 'currency', header: 'Currency', kind: 'text' },
        { key: 'issued', header: 'Issued', kind: 'integer' },
        { key: 'reduced', header: 'Reduced', kind: 'integer' },
        { key: 'blocked', header: 'Blocked', kind: 'integer' },
        { key: 'bonus', header: 'Bonus amount', kind: 'money', currency },
        { key: 'points', header: 'Points / tickets', kind: 'points' },
      ],
      rows: ruleRows,
    },
    {
      name: 'Blocked',
      description: 'Why rewards were not issued',
      columns: [
        { key: 'reason', header: 'Reason', kind: 'text' },
        { key: 'count', header: 'Decisions', kind: 'integer' },
      ],
      rows: [...blockedReasons.entries()].sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ reason: reason.replaceAll('_', ' '), count })),
    },
    {
      name: 'Decisions',
      description: allInWorkbook
        ? 'Every decision: rule version, outcome, reason, amount, and the cost and margin it was checked against'
        : `The ${listed.toLocaleString('en-US')} ${listed < attention ? `first of ${attention.toLocaleString('en-US')} ` : ''}reduced and blocked decisions of ${decisions.count.toLocaleString('en-US')}; ` +
          `every decision is in ${csvName} beside this workbook (and in \`loyalty decisions\`)`,
      frozenColumns: 1,
      columns: [
        { key: 'player_id', header: 'Player', kind: 'text' },
        { key: 'rule_id', header: 'Rule', kind: 'text' },
        { key: 'version', header: 'Version', kind: 'integer' },
        { key: 'outcome', header: 'Outcome', kind: 'text' },
        { key: 'reason', header: 'Reason', kind: 'text' },
        { key: 'currency', header: 'Currency', kind: 'text' },
        { key: 'bonus', header: 'Bonus', kind: 'money', currency },
        { key: 'points', header: 'Points / tickets', kind: 'points' },
        { key: 'requested_bonus', header: 'Requested bonus', kind: 'money', currency },
        { key: 'requested_points', header: 'Requested points', kind: 'points' },
        { key: 'cost', header: 'Expected cost', kind: 'money', currency },
        { key: 'margin', header: 'Expected margin', kind: 'money', currency },
      ],
      rows: decisionRows(!allInWorkbook),
    },
    {
      name: 'Review queue',
      description: 'Players whose abuse score reached the review threshold, with the signals behind it',
      frozenColumns: 1,
      columns: [
        { key: 'player_id', header: 'Player', kind: 'text' },
        { key: 'abuse_score', header: 'Abuse score', kind: 'integer' },
        { key: 'reason', header: 'Signals', kind: 'text' },
      ],
      rows: result.review.map((item) => ({ player_id: item.playerId, abuse_score: item.abuseScore, reason: item.reason })),
    },
    {
      name: 'Quarantine',
      description: 'Rows the import refused, with the row number and what was expected',
      columns: [
        { key: 'file', header: 'File', kind: 'text' },
        { key: 'row', header: 'Row', kind: 'integer' },
        { key: 'column', header: 'Column', kind: 'text' },
        { key: 'value', header: 'Value', kind: 'text' },
        { key: 'message', header: 'Problem', kind: 'text' },
      ],
      rows: input.imports.flatMap((each) => each.errors.map((error) => ({ file: each.file, row: error.row, column: error.column, value: error.value, message: error.message }))),
    },
  ]

  // The CSV first: if it cannot be written, neither is a workbook that points to it.
  const decisionsView = views.find((view) => view.name === 'Decisions')!
  const csv = decisionsCsvPath
    ? await writeReportCsv(decisionsCsvPath, { ...decisionsView, description: 'Every decision', rows: decisionRows() }, { minorDigits: settings.currency.minorDigits, overwrite: true, signal: input.signal })
    : undefined
  const workbook = await writeReportWorkbook(input.path, {
    summary: {
      title: `Loyalty Workstation — evaluation as of ${input.asOf}`,
      parameters: [
        ['As of', input.asOf],
        ['Evaluation', input.evaluationId === null ? 'dry run (nothing stored or posted)' : `#${input.evaluationId}`],
        ['Files', input.imports.map((each) => `${each.file} (${each.status === 'already_imported' ? 'imported before' : `${each.accepted} rows imported, ${each.rejected} quarantined`})`).join('; ') || 'none'],
        ['Rules', input.rules.map((each) => `${each.rule.ruleId} v${each.rule.version}`).join(', ')],
        ['Players evaluated', total],
        ['Currency', `${currency} (${settings.currency.minorDigits} decimals)`],
        ['Safety factor', settings.safetyFactor],
        ['Decisions', allInWorkbook ? `${decisions.count} (all on the Decisions sheet)` : `${decisions.count} (all in ${csvName}; the Decisions sheet lists ${listed} reduced or blocked)`],
      ],
    },
    views,
    minorDigits: settings.currency.minorDigits,
    generatedAt: input.generatedAt,
    // The operator named the file: a re-run replaces its own report.
    overwrite: true,
    signal: input.signal,
  })
  return csv ? { ...workbook, decisionsCsv: { path: csv.path, bytes: csv.bytes, rows: csv.rows } } : workbook
}
