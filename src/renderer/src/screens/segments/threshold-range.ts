// Slider bounds for a threshold: wide enough around the saved value to explore, fixed while the
// operator drags (a range that followed the value would run away under the pointer).
import { isMetricName, metricUnit } from '../../../../shared/metric-catalogue'

export interface ThresholdRange {
  min: number
  max: number
  step: number
}

/** Metrics that can be below zero (results and shares of them). */
const signed = new Set(['net_pnl', 'hold', 'ggr', 'net_deposits'])

function niceStep(span: number): number {
  const raw = span / 200
  const power = 10 ** Math.floor(Math.log10(raw))
  const scaled = raw / power
  return (scaled < 2 ? 1 : scaled < 5 ? 2 : 5) * power
}

export function thresholdRange(metric: string, value: number): ThresholdRange {
  const unit = isMetricName(metric) ? metricUnit(metric) : 'count'
  if (metric === 'hold') return { min: -0.5, max: 0.5, step: 0.005 }
  if (unit === 'ratio') {
    const max = Math.max(3, Math.ceil(Math.abs(value) * 2))
    return { min: signed.has(metric) ? -max : 0, max, step: 0.01 }
  }
  if (unit === 'score') return { min: 0, max: 100, step: 1 }
  const span = Math.max(unit === 'money' ? 10_000 : 100, Math.abs(value) * 4)
  const step = niceStep(span)
  const max = Math.ceil(span / step) * step
  return { min: signed.has(metric) ? -max : 0, max, step }
}
