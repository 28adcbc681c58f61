// Players per segment under the saved thresholds and under the edited ones, and the lint's gaps,
// overlaps and mislabels with how many players each affects.
import { Badge, Card, Group, Loader, Progress, Stack, Table, Text, Title } from '@mantine/core'
import type { SegmentPreviewResult } from '../../../../shared/api/types-desk'
import { formatCount } from '../../format'
import { SegmentBadge } from '../players/badges'

const segments = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
const kindColors: Record<string, string> = { gap: 'orange', overlap: 'blue', mislabel: 'red', unreachable: 'gray' }
// What needs action first: players with no segment or the wrong one; overlaps are how ordering works.
const kindOrder = ['mislabel', 'gap', 'unreachable', 'overlap']

export function SegmentCounts({ preview, loading }: { preview: SegmentPreviewResult; loading: boolean }) {
  const total = Math.max(1, preview.players)
  return (
    <Card withBorder style={{ opacity: loading ? 0.7 : 1, transition: 'opacity 120ms' }} aria-busy={loading} data-testid="segment-counts">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>Players per segment</Title>
            {/* Counting again after the base changed reads it anew: say that it is working. */}
            {loading ? <Loader size="xs" aria-label="Counting" /> : null}
          </Group>
          <Text size="xs" c="dimmed">
            {formatCount(preview.players)} players{preview.asOf ? ` · as of ${preview.asOf}` : ''}
          </Text>
        </Group>
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Segment</Table.Th>
              <Table.Th ta="right">Saved</Table.Th>
              <Table.Th ta="right">Edited</Table.Th>
              <Table.Th ta="right">Change</Table.Th>
              <Table.Th w="25%" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {segments.map((segment) => {
              const change = preview.counts[segment] - preview.savedCounts[segment]
              return (
                <Table.Tr key={segment}>
                  <Table.Td miw={120}>
                    <SegmentBadge segment={segment} />
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(preview.savedCounts[segment])}</Table.Td>
                  <Table.Td ta="right" fw={700} data-testid={`count-${segment}`}>
                    {formatCount(preview.counts[segment])}
                  </Table.Td>
                  <Table.Td ta="right" c={change > 0 ? 'teal' : change < 0 ? 'red' : 'dimmed'} data-testid={`change-${segment}`}>
                    {change === 0 ? '—' : `${change > 0 ? '+' : '−'}${formatCount(Math.abs(change))}`}
                  </Table.Td>
                  <Table.Td>
                    <Progress value={(preview.counts[segment] / total) * 100} size="sm" aria-label={`${segment} share`} />
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
        <Title order={5}>Threshold check</Title>
        {preview.findings.length === 0 ? (
          <Text size="sm" c="teal" data-testid="lint-clean">
            ✓ No gaps, overlaps or mislabelled players.
          </Text>
        ) : (
          <Stack gap={6} data-testid="lint-findings">
            {[...preview.findings].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind)).map((finding, index) => (
              <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
                <Badge color={kindColors[finding.kind] ?? 'gray'} variant="light" miw={96} style={{ flexShrink: 0 }}>
                  {finding.kind}
                </Badge>
                <Text size="sm">{finding.message}</Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  )
}
