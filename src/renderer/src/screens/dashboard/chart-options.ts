// The Dashboard's echarts options, built from dashboard/summary. Money arrives in minor units and is
// formatted in the operator's locale and currency only here, at the edge.
import type { DashboardSummary } from '../../../../shared/api/types-operations'
import { formatCount, formatMoney, type MoneySettings } from '../../format'
import type { ChartOption } from './EChart'

const segmentColours: Record<string, string> = { NEW: '#228be6', VIP: '#be4bdb', WINNING: '#fa5252', BREAKEVEN: '#868e96', LOSING: '#12b886' }

/** Axis labels: "€12K" rather than "€12,345.67". */
export function formatMoneyCompact(minorUnits: number, money: MoneySettings): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.code, notation: 'compact', maximumFractionDigits: 1 }).format(minorUnits / 10 ** money.minorDigits)
}

interface TooltipPoint {
  name: string
  value: number
  percent?: number
  seriesName?: string
  marker?: string
}

export function segmentOption(summary: DashboardSummary): ChartOption {
  return {
    tooltip: {
      trigger: 'item',
      formatter: (point: TooltipPoint) => `${point.marker ?? ''}${point.name}: ${formatCount(point.value)} players (${Math.round(point.percent ?? 0)}%)`,
    },
    legend: { bottom: 0 },
    series: [
      {
        name: 'Players by segment',
        type: 'pie',
        radius: ['40%', '70%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}: {c}', textBorderWidth: 0 },
        data: summary.bySegment.map((each) => ({
          name: each.segment ?? 'Not evaluated',
          value: each.players,
          itemStyle: { color: segmentColours[each.segment ?? ''] ?? '#adb5bd' },
        })),
      },
    ],
  }
}

export function tierOption(summary: DashboardSummary): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: number) => `${formatCount(value)} players` },
    grid: { left: 56, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: summary.byTier.map((each) => each.name ?? each.tier ?? 'No tier') },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (value: number) => formatCount(value) } },
    series: [{ name: 'Players', type: 'bar', barMaxWidth: 56, data: summary.byTier.map((each) => each.players), itemStyle: { color: '#12b886' } }],
  }
}

export function costByRuleOption(summary: DashboardSummary, money: MoneySettings): ChartOption {
  const { periods, rules } = summary.costByRule
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: number) => formatMoney(value, money) },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 72, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: periods.map((period) => (summary.bucket === 'week' ? `Week of ${period}` : period)) },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatMoneyCompact(value, money) } },
    series: rules.map((rule) => ({ name: rule.ruleId, type: 'bar', stack: 'cost', barMaxWidth: 64, emphasis: { focus: 'series' }, data: rule.cost })),
  }
}
