// One numeric threshold of a segment condition: a slider for exploring and an input for exact values.
import { Group, NumberInput, Slider, Text } from '@mantine/core'
import type { ThresholdRange } from './threshold-range'

const operatorText: Record<string, string> = { gt: '>', lt: '<', min: '≥', max: '≤', eq: '=' }

export function ThresholdControl({ metric, operator, value, range, onChange }: { metric: string; operator: string; value: number; range: ThresholdRange; onChange: (value: number) => void }) {
  const label = `${metric} ${operatorText[operator] ?? operator}`
  return (
    <Group gap="sm" wrap="nowrap" align="center" data-testid={`threshold-${metric}-${operator}`}>
      <Text size="sm" w={200} style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
        {label}
      </Text>
      <Slider
        aria-label={label}
        min={Math.min(range.min, value)}
        max={Math.max(range.max, value)}
        step={range.step}
        value={value}
        onChange={onChange}
        label={(shown) => shown.toLocaleString()}
        style={{ flex: 1 }}
      />
      <NumberInput aria-label={`${label} value`} value={value} onChange={(next) => typeof next === 'number' && onChange(next)} w={130} decimalScale={6} size="xs" />
    </Group>
  )
}
