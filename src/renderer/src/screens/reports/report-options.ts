// The chart of each report, as an echarts option. Money arrives in integer minor units and is
// plotted in major units; the tables beside the charts carry the exact figures.
import type { ChurnReport, LiabilityReport, ProfitReport, RuleRoiReport, SegmentPerformanceReport } from '../../../../shared/api/types-reports'
import type { ChartOption } from './ReportChart'

const palette = ['#1c7ed6', '#e8590c', '#2f9e44', '#7048e8']
const major = (minor: number, digits: number) => minor / 10 ** digits
const moneyLabels = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const percentLabels = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })

function grouped(categories: string[], series: { name: string; data: number[]; line?: boolean }[]): ChartOption {
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value' },
    series: series.map((each) => ({ name: each.name, type: each.line ? 'line' : 'bar', data: each.data, ...(each.line ? { smooth: false, symbolSize: 7 } : { barMaxWidth: 36 }) })),
  }
}

function sideways(categories: string[], name: string, data: number[], labels: Intl.NumberFormat = moneyLabels): ChartOption {
  return {
    color: palette,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: [...categories].reverse() },
    series: [{ name, type: 'bar', data: [...data].reverse(), barMaxWidth: 22, label: { show: true, position: 'right', formatter: (item: { value: unknown }) => labels.format(Number(item.value)) } }],
  }
}

export function roiOption(report: RuleRoiReport): { title: string; option: ChartOption; bars: number } {
  const measured = report.rows.filter((row) => row.roi !== undefined)
  if (measured.length > 0) {
    return { title: 'ROI by rule, % (against its control group)', option: sideways(measured.map((row) => row.ruleId), 'ROI %', measured.map((row) => Math.round(row.roi! * 1000) / 10), percentLabels), bars: measured.length }
  }
  const digits = report.currency.minorDigits
  return {
    title: `Reward cost by rule (${report.currency.code})`,
    option: sideways(report.rows.map((row) => row.ruleId), 'Reward cost', report.rows.map((row) => major(row.cost, digits))),
    bars: report.rows.length,
  }
}

export function segmentsOption(report: SegmentPerformanceReport): ChartOption {
  const digits = report.currency.minorDigits
  return grouped(
    report.rows.map((row) => row.segment),
    [
      { name: 'GGR', data: report.rows.map((row) => major(row.ggr, digits)) },
      { name: 'Reward cost', data: report.rows.map((row) => major(row.rewardCost, digits)) },
      { name: 'NGR', data: report.rows.map((row) => major(row.ngr, digits)) },
    ],
  )
}

export function profitOption(report: ProfitReport): ChartOption {
  const digits = report.currency.minorDigits
  return grouped(
    report.rows.map((row) => row.label),
    [
      { name: 'GGR', data: report.rows.map((row) => major(row.ggr, digits)) },
      { name: 'Reward cost', data: report.rows.map((row) => major(row.rewardCost, digits)) },
      { name: 'NGR', data: report.rows.map((row) => major(row.ngr, digits)), line: true },
    ],
  )
}

export function churnOption(report: ChurnReport): ChartOption {
  const digits = report.currency.minorDigits
  const top = report.rows.slice(0, 15)
  return sideways(top.map((row) => row.playerId), 'GGR per 30 days', top.map((row) => major(row.monthlyValue, digits)))
}

export function liabilityOption(report: LiabilityReport): ChartOption {
  const digits = report.currency.minorDigits
  return grouped(
    report.rows.map((row) => row.currency),
    [
      { name: 'Face value', data: report.rows.map((row) => major(row.value, digits)) },
      { name: 'Expected cost', data: report.rows.map((row) => major(row.expectedValue, digits)) },
    ],
  )
}
