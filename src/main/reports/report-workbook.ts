// The reports workbook (`loyalty report --out`, reports/export): a Summary sheet with the
// parameters (range, currency, when it was made), then one sheet per report with its chart as a
// picture. Charts plot money in major units; cells keep integer minor units and show them with
// the money format, so values stay numbers a manager can sum.
import type { EChartsOption } from 'echarts'
import type { ChurnReport, LiabilityReport, ProfitReport, ReportRange, RuleRoiReport, SegmentPerformanceReport } from '../../shared/api/types-reports'
import { writeReportWorkbook, type ExportControl, type ReportView, type WrittenReport } from '../io/export'

export interface ReportSet {
  range: ReportRange
  currency: { code: string; minorDigits: number }
  ruleRoi?: RuleRoiReport
  segments?: SegmentPerformanceReport
  churn?: ChurnReport
  profit?: ProfitReport
  liability?: LiabilityReport
}

const palette = ['#1c7ed6', '#e8590c', '#2f9e44', '#7048e8']

export async function writeReportSet(path: string, set: ReportSet, options: ExportControl & { generatedAt: Date }): Promise<WrittenReport> {
  const code = set.currency.code
  const major = (minor: number) => minor / 10 ** set.currency.minorDigits
  const views: ReportView[] = []
  const contents: string[] = []

  if (set.ruleRoi) {
    const measured = set.ruleRoi.rows.filter((row) => row.roi !== undefined)
    contents.push('Rule ROI')
    views.push({
      name: 'Rule ROI',
      description: "ROI per rule, measured against the rule's hold-out control group where it has one",
      frozenColumns: 1,
      columns: [
        { key: 'ruleId', header: 'Rule', kind: 'text' },
        { key: 'holdoutShare', header: 'Hold-out', kind: 'percent' },
        { key: 'rewarded', header: 'Rewarded', kind: 'integer' },
        { key: 'control', header: 'Control', kind: 'integer' },
        { key: 'cost', header: 'Reward cost', kind: 'money', currency: code },
        { key: 'measuredFrom', header: 'Measured from', kind: 'date' },
        { key: 'ggrChangeRewarded', header: 'GGR Δ rewarded', kind: 'money', currency: code },
        { key: 'ggrChangeControl', header: 'GGR Δ control', kind: 'money', currency: code },
        { key: 'incrementalMargin', header: 'Extra margin', kind: 'money', currency: code },
        { key: 'roi', header: 'ROI', kind: 'percent', width: 10 },
        { key: 'note', header: 'Note', kind: 'text', width: 44 },
      ],
      // A rule without a hold-out shows an empty cell, not "0.0%".
      rows: set.ruleRoi.rows.map((row) => ({ ...row, holdoutShare: row.holdoutShare || null })),
      charts: [
        measured.length > 0
          ? { title: 'ROI by rule, % (against its control group)', option: sideways(measured.map((row) => row.ruleId), measured.map((row) => Math.round(row.roi! * 1000) / 10)), height: chartHeight(measured.length) }
          : { title: `Reward cost by rule (${code}); no rule has a control group yet`, option: sideways(set.ruleRoi.rows.map((row) => row.ruleId), set.ruleRoi.rows.map((row) => major(row.cost))), height: chartHeight(set.ruleRoi.rows.length) },
      ],
    })
  }

  if (set.segments) {
    const rows = [...set.segments.rows.map((row) => ({ ...row })), { segment: 'Total', ...set.segments.total }]
    contents.push('Segments')
    views.push({
      name: 'Segments',
      description: 'Players, GGR, reward cost and NGR per segment over the range',
      columns: [
        { key: 'segment', header: 'Segment', kind: 'text' },
        { key: 'players', header: 'Players', kind: 'integer' },
        { key: 'ggr', header: 'GGR', kind: 'money', currency: code },
        { key: 'rewardCost', header: 'Reward cost', kind: 'money', currency: code },
        { key: 'ngr', header: 'NGR', kind: 'money', currency: code },
        { key: 'costToGgr', header: 'Cost / GGR', kind: 'percent' },
        { key: 'bonusPaid', header: 'Bonus paid', kind: 'money', currency: code },
      ],
      rows,
      charts: [
        {
          title: `GGR, reward cost and NGR by segment (${code})`,
          option: bars(
            set.segments.rows.map((row) => row.segment),
            [
              { name: 'GGR', data: set.segments.rows.map((row) => major(row.ggr)) },
              { name: 'Reward cost', data: set.segments.rows.map((row) => major(row.rewardCost)) },
              { name: 'NGR', data: set.segments.rows.map((row) => major(row.ngr)) },
            ],
          ),
        },
      ],
    })
  }

  if (set.profit) {
    contents.push('Profit')
    views.push({
      name: 'Profit',
      description: `GGR, reward cost and NGR per ${set.profit.granularity}`,
      columns: [
        { key: 'period', header: set.profit.granularity === 'day' ? 'Day' : `${capitalise(set.profit.granularity)} starting`, kind: 'date' },
        { key: 'label', header: 'Period', kind: 'text' },
        { key: 'players', header: 'Players with new totals', kind: 'integer' },
        { key: 'ggr', header: 'GGR', kind: 'money', currency: code },
        { key: 'rewardCost', header: 'Reward cost', kind: 'money', currency: code },
        { key: 'ngr', header: 'NGR', kind: 'money', currency: code },
        { key: 'bonusPaid', header: 'Bonus paid', kind: 'money', currency: code },
      ],
      rows: set.profit.rows.map((row) => ({ ...row })),
      charts: [
        {
          title: `Profit per ${set.profit.granularity} (${code})`,
          option: bars(
            set.profit.rows.map((row) => row.label),
            [
              { name: 'GGR', data: set.profit.rows.map((row) => major(row.ggr)) },
              { name: 'Reward cost', data: set.profit.rows.map((row) => major(row.rewardCost)) },
              { name: 'NGR', data: set.profit.rows.map((row) => major(row.ngr)), line: true },
            ],
          ),
        },
      ],
    })
  }

  if (set.churn) {
    contents.push('Churn risk')
    views.push({
      name: 'Churn risk',
      description: `Players inactive ${set.churn.inactiveDays}+ days or wagering ${Math.round(set.churn.activityDrop * 100)}%+ below usual, most valuable first`,
      frozenColumns: 1,
      columns: [
        { key: 'playerId', header: 'Player', kind: 'text' },
        { key: 'segment', header: 'Segment', kind: 'text' },
        { key: 'risk', header: 'Risk', kind: 'text' },
        { key: 'lastActive', header: 'Last active', kind: 'date' },
        { key: 'inactiveDays', header: 'Days inactive', kind: 'integer' },
        { key: 'activityChange', header: 'Wager vs usual', kind: 'percent' },
        { key: 'monthlyValue', header: 'GGR per 30 days', kind: 'money', currency: code, width: 18 },
        { key: 'lifetimeGgr', header: 'Lifetime GGR', kind: 'money', currency: code, width: 18 },
        { key: 'why', header: 'Why', kind: 'text', width: 48 },
      ],
      rows: set.churn.rows.map((row) => ({ ...row })),
    })
  }

  if (set.liability) {
    const rows = [
      ...set.liability.rows.map((row) => ({ ...row, unitValue: row.currency === 'BONUS' ? null : row.unitValue, money: row.currency === 'BONUS' ? row.outstanding : null, units: row.currency === 'BONUS' ? null : row.outstanding })),
      { currency: 'Total', value: set.liability.total.value, expectedValue: set.liability.total.expectedValue },
    ]
    contents.push('Liability')
    views.push({
      name: 'Liability',
      description: 'What is still owed to players (ledger balances when the report was made), in money',
      columns: [
        { key: 'currency', header: 'Currency', kind: 'text' },
        { key: 'holders', header: 'Players', kind: 'integer' },
        { key: 'money', header: 'Bonus money', kind: 'money', currency: code },
        { key: 'units', header: 'Points / tickets', kind: 'points' },
        { key: 'unitValue', header: 'Value per unit', kind: 'money', currency: code },
        { key: 'value', header: 'Face value', kind: 'money', currency: code },
        { key: 'expectedValue', header: 'Expected cost', kind: 'money', currency: code },
      ],
      rows,
      charts: [
        {
          title: `Outstanding liability by currency (${code})`,
          option: bars(
            set.liability.rows.map((row) => row.currency),
            [
              { name: 'Face value', data: set.liability.rows.map((row) => major(row.value)) },
              { name: 'Expected', data: set.liability.rows.map((row) => major(row.expectedValue)) },
            ],
          ),
          height: 360,
        },
      ],
    })
  }

  const liability = set.liability
  return writeReportWorkbook(path, {
    summary: {
      title: `Loyalty Workstation — reports ${set.range.from} to ${set.range.to}`,
      parameters: [
        ['From', { kind: 'date', value: set.range.from }],
        ['To', { kind: 'date', value: set.range.to }],
        ['Currency', `${code} (${set.currency.minorDigits} decimals)`],
        ['Reports', contents.join(', ')],
        ...(set.profit ? ([['Profit periods', set.profit.granularity]] as const) : []),
        ...(set.churn ? ([['Churn thresholds', `inactive ${set.churn.inactiveDays}+ days or wager down ${Math.round(set.churn.activityDrop * 100)}%+ (${set.churn.total} players at risk)`]] as const) : []),
        ...(liability
          ? ([
              ['Liability (face value)', { kind: 'money', value: liability.total.value, currency: code }],
              ['Open bonus lots', liability.lots.open],
              ['Wagering still to do on them', { kind: 'money', value: liability.lots.remainingWagering, currency: code }],
              ['Lots due to expire within 7 days', liability.lots.expiringSoon],
            ] as const)
          : []),
        ['GGR', 'wagered − won: growth of the imported lifetime totals'],
        ['Reward cost', "expected cost of the rewards paid (the engine's cost model)"],
        ['NGR', 'GGR − reward cost'],
      ],
    },
    views,
    minorDigits: set.currency.minorDigits,
    generatedAt: options.generatedAt,
    overwrite: options.overwrite,
    signal: options.signal,
    onProgress: options.onProgress,
  })
}

function bars(categories: string[], series: { name: string; data: number[]; line?: boolean }[], single = false): EChartsOption {
  return {
    color: palette,
    tooltip: {},
    ...(single ? {} : { legend: { data: series.map((each) => each.name) } }),
    grid: { left: 80, right: 24, bottom: 48, top: single ? 48 : 72 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value' },
    series: series.map((each) => (each.line ? { name: each.name, type: 'line', data: each.data } : { name: each.name, type: 'bar', data: each.data })),
  }
}

/** Horizontal bars: rule ids are long, and read best down the side. */
function sideways(categories: string[], data: number[]): EChartsOption {
  return {
    color: palette,
    grid: { left: 16, right: 48, top: 48, bottom: 24, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: [...categories].reverse(), axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', data: [...data].reverse(), label: { show: true, position: 'right' }, barMaxWidth: 22 }],
  }
}

function chartHeight(bars: number): number {
  return Math.min(900, Math.max(220, 90 + bars * 34))
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
