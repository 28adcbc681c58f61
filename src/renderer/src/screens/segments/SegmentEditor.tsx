// The ordered segment definitions: first match wins. Numeric thresholds get a slider and an input;
// other conditions (lists, text) are shown as they are.
import { ActionIcon, Card, Code, Group, Stack, Text } from '@mantine/core'
import type { SegmentConfig } from '../../../../shared/engine-settings'
import { SegmentBadge } from '../players/badges'
import { ThresholdControl } from './ThresholdControl'
import type { ThresholdRange } from './threshold-range'

type Definition = SegmentConfig['order'][number]

interface Props {
  config: SegmentConfig
  rangeOf: (segment: string, metric: string, operator: string, value: number) => ThresholdRange
  onChange: (config: SegmentConfig) => void
}

export function SegmentEditor({ config, rangeOf, onChange }: Props) {
  const setDefinition = (index: number, definition: Definition) => onChange({ ...config, order: config.order.map((each, at) => (at === index ? definition : each)) })
  const move = (index: number, by: -1 | 1) => {
    const order = [...config.order]
    const [moved] = order.splice(index, 1)
    order.splice(index + by, 0, moved!)
    onChange({ ...config, order })
  }
  return (
    <Stack gap="sm">
      {config.order.map((definition, index) => (
        <Card withBorder key={`${definition.segment}-${index}`} padding="sm" data-testid={`segment-definition-${definition.segment}`}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Group gap="xs">
                <Text fw={700} c="dimmed" size="sm">
                  {index + 1}.
                </Text>
                <SegmentBadge segment={definition.segment} />
                <Text size="xs" c="dimmed">
                  {Object.keys(definition.conditions).length === 0 ? 'matches everyone left' : 'when all of these hold'}
                </Text>
              </Group>
              <Group gap={4}>
                <ActionIcon variant="subtle" color="gray" aria-label={`Move ${definition.segment} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                  ↑
                </ActionIcon>
                <ActionIcon variant="subtle" color="gray" aria-label={`Move ${definition.segment} down`} disabled={index === config.order.length - 1} onClick={() => move(index, 1)}>
                  ↓
                </ActionIcon>
              </Group>
            </Group>
            {Object.entries(definition.conditions).map(([metric, condition]) => {
              if (typeof condition === 'number') {
                return (
                  <ThresholdControl
                    key={metric}
                    metric={metric}
                    operator="eq"
                    value={condition}
                    range={rangeOf(definition.segment, metric, 'eq', condition)}
                    onChange={(value) => setDefinition(index, { ...definition, conditions: { ...definition.conditions, [metric]: value } })}
                  />
                )
              }
              if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
                return Object.entries(condition).map(([operator, bound]) =>
                  typeof bound === 'number' ? (
                    <ThresholdControl
                      key={`${metric}-${operator}`}
                      metric={metric}
                      operator={operator}
                      value={bound}
                      range={rangeOf(definition.segment, metric, operator, bound)}
                      onChange={(value) => setDefinition(index, { ...definition, conditions: { ...definition.conditions, [metric]: { ...condition, [operator]: value } } })}
                    />
                  ) : (
                    <Code key={`${metric}-${operator}`}>{`${metric} ${operator} ${JSON.stringify(bound)}`}</Code>
                  ),
                )
              }
              return <Code key={metric}>{`${metric}: ${JSON.stringify(condition)}`}</Code>
            })}
          </Stack>
        </Card>
      ))}
    </Stack>
  )
}
