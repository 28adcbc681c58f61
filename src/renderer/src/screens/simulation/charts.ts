// The Simulation screen's chart options, built from the API's results (money in minor units).
import type { MonteCarloSummary, SensitivityResult, SimulationComparison } from '../../../../shared/api/types-simulation'
import type { ChartOption } from './EChart'

export const segmentOrder = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
const segmentColours = { NEW: '#228be6', VIP: '#7950f2', WINNING: '#fab005', BREAKEVEN: '#868e96', LOSING: '#fa5252' } as const

const major = (minor: number, digits: number) => minor / 10 ** digits
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumSignificantDigits: 3 })

/** Players flowing from their live segment (left) to their scenario segment (right). */
export function segmentFlowOption(comparison: SimulationComparison): ChartOption {
  const nodes = [
    ...segmentOrder.map((segment) => ({ name: `${segment} · live`, itemStyle: { color: segmentColours[segment] } })),
    ...segmentOrder.map((segment) => ({ name: `${segment} · scenario`, itemStyle: { color: segmentColours[segment] } })),
  ]
  const links = segmentOrder.flatMap((from, f) =>
    segmentOrder.flatMap((to, t) => {
      const value = comparison.movement[f]![t]!
      return value > 0 ? [{ source: `${from} · live`, target: `${to} · scenario`, value }] : []
    }),
  )
  return {
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'sankey',
        data: nodes,
        links,
        nodeAlign: 'justify',
        lineStyle: { color: 'gradient', opacity: 0.35 },
        // Node names must be unique ("VIP · live", "VIP · scenario"); the label shows the segment, the side is the column.
        label: { fontSize: 11, formatter: (node: { name: string }) => node.name.split(' · ')[0] },
        left: 8,
        right: 90,
      },
    ],
  }
}

export function costMarginOption(comparison: SimulationComparison, currency: string): ChartOption {
  const digits = comparison.minorDigits
  const { live, scenario } = comparison
  return {
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${Number(value).toLocaleString(undefined, { maximumFractionDigits: digits })} ${currency}` },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
    xAxis: { type: 'category', data: ['Live', 'Scenario'] },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => compact.format(value) } },
    series: [
      { name: 'Expected margin', type: 'bar', data: [major(live.margin, digits), major(scenario.margin, digits)], itemStyle: { color: '#40c057' } },
      { name: 'Expected cost', type: 'bar', data: [major(live.cost, digits), major(scenario.cost, digits)], itemStyle: { color: '#fa5252' } },
      { name: 'Net', type: 'bar', data: [major(live.net, digits), major(scenario.net, digits)], itemStyle: { color: '#228be6' } },
    ],
  }
}

export function distributionOption(monteCarlo: MonteCarloSummary, digits: number): ChartOption {
  const centres = monteCarlo.histogram.map((bin) => compact.format(major((bin.from + bin.to) / 2, digits)))
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 32, top: 36, containLabel: true },
    xAxis: { type: 'category', data: centres, name: 'net revenue', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: 'trials' },
    series: [
      { name: 'Live', type: 'bar', data: monteCarlo.histogram.map((bin) => bin.live), itemStyle: { color: '#868e96', opacity: 0.8 }, barGap: '-100%' },
      { name: 'Scenario', type: 'bar', data: monteCarlo.histogram.map((bin) => bin.scenario), itemStyle: { color: '#228be6', opacity: 0.6 } },
    ],
  }
}

export function sensitivityOption(result: SensitivityResult): ChartOption {
  const digits = result.minorDigits
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 24, bottom: 32, top: 28, containLabel: true },
    xAxis: { type: 'category', data: result.points.map((point) => String(point.value)), name: result.parameter, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: 'net impact', axisLabel: { formatter: (value: number) => compact.format(value) } },
    series: [
      {
        name: 'Net impact',
        type: 'line',
        data: result.points.map((point) => major(point.netImpact, digits)),
        itemStyle: { color: '#228be6' },
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }], lineStyle: { color: '#868e96', type: 'dashed' } },
      },
    ],
  }
}
