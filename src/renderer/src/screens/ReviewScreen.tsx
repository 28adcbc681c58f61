// The review queue: players whose abuse score reached the review band, the signals behind each
// in plain words, and the operator's decision. Parts live in ./review/.
import { Badge, Card, Grid, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { ReviewItemView } from '../../../shared/api/types-desk'
import { useApiQuery } from '../api/use-query'
import { ScreenFrame } from '../components/ScreenFrame'
import { EmptyState, ErrorState, LoadingState } from '../components/states'
import { formatCount } from '../format'
import { ReviewDetail } from './review/ReviewDetail'

type Status = 'open' | 'approved' | 'rejected' | 'all'
const statusColors = { open: 'orange', approved: 'teal', rejected: 'red' } as const

export function ReviewScreen() {
  const [status, setStatus] = useState<Status>('open')
  const query = useApiQuery('review/list', { status, limit: 200 })
  const [selected, setSelected] = useState<number | undefined>()
  const [decided, setDecided] = useState<ReviewItemView | undefined>()
  const items = query.data?.items ?? []
  useEffect(() => {
    if (query.data && (selected === undefined || !query.data.items.some((item) => item.id === selected)) && (decided === undefined || decided.id !== selected)) setSelected(query.data.items[0]?.id)
  }, [query.data, selected, decided])
  const current = decided && decided.id === selected ? decided : items.find((item) => item.id === selected)

  return (
    <ScreenFrame title="Review queue" description="Abuse flags waiting for a person: the signals behind each, and your decision, recorded with your name and note.">
      <Group justify="space-between">
        <SegmentedControl
          value={status}
          onChange={(value) => {
            setStatus(value as Status)
            setSelected(undefined)
            setDecided(undefined)
          }}
          data={[
            { value: 'open', label: `Open${query.data ? ` (${formatCount(query.data.open)})` : ''}` },
            { value: 'approved', label: 'Approved' },
            { value: 'rejected', label: 'Rejected' },
            { value: 'all', label: 'All' },
          ]}
        />
        {query.data && query.data.total > items.length ? (
          <Text size="sm" c="dimmed">
            Showing the first {formatCount(items.length)} of {formatCount(query.data.total)}, highest score first
          </Text>
        ) : null}
      </Group>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      {!query.data && !query.error ? <LoadingState rows={6} /> : null}
      {query.data && items.length === 0 && !current ? (
        <EmptyState title={status === 'open' ? 'Nothing to review' : 'No decided items'}>
          {status === 'open'
            ? 'Players whose abuse score reaches the review band appear here after processing, with the signals behind it.'
            : 'Decisions taken in the queue are listed here.'}
        </EmptyState>
      ) : null}
      {query.data && (items.length > 0 || current) ? (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Card withBorder padding={0}>
              <Table highlightOnHover fz="sm" data-testid="review-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Player</Table.Th>
                    <Table.Th ta="right">Score</Table.Th>
                    <Table.Th>Signals</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((item) => {
                    const shown = decided && decided.id === item.id ? decided : item
                    return (
                      <Table.Tr
                        key={item.id}
                        onClick={() => setSelected(item.id)}
                        style={{ cursor: 'pointer' }}
                        bg={item.id === selected ? 'var(--mantine-primary-color-light)' : undefined}
                        aria-selected={item.id === selected}
                        data-testid={`review-row-${item.playerId}`}
                      >
                        <Table.Td fw={600}>{item.playerId}</Table.Td>
                        <Table.Td ta="right">{item.abuseScore}</Table.Td>
                        <Table.Td>
                          <Text size="xs" c="dimmed">
                            {item.signals.map((signal) => signal.signal.replace(/_/g, ' ')).join(', ') || '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge size="sm" variant="light" color={statusColors[shown.status]}>
                            {shown.status}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    )
                  })}
                </Table.Tbody>
              </Table>
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack>{current ? <ReviewDetail key={current.id} item={current} onDecided={(item) => {
              setDecided(item)
              query.reload()
            }} /> : null}</Stack>
          </Grid.Col>
        </Grid>
      ) : null}
    </ScreenFrame>
  )
}
