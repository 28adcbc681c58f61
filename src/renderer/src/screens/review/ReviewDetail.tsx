// One review item: the player, the score, each abuse signal in plain words, and the decision
// (approve / reject with an optional note), or who decided it and when.
import { Alert, Anchor, Badge, Button, Card, Group, List, Stack, Text, Textarea, Title } from '@mantine/core'
import { useState } from 'react'
import type { ApiError } from '../../../../shared/api/result'
import type { ReviewItemView } from '../../../../shared/api/types-desk'
import { api } from '../../api/client'
import { ErrorState } from '../../components/states'
import { useNavigation } from '../../stores/navigation'
import { SegmentBadge } from '../players/badges'

const statusColors = { open: 'orange', approved: 'teal', rejected: 'red' } as const

export function ReviewDetail({ item, onDecided }: { item: ReviewItemView; onDecided: (item: ReviewItemView) => void }) {
  const go = useNavigation((state) => state.go)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiError | undefined>()

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true)
    setFailure(undefined)
    const reply = await api.call('review/decide', { id: item.id, decision, ...(note.trim() ? { note: note.trim() } : {}) })
    setBusy(false)
    if (reply.error) setFailure(reply.error)
    else {
      setNote('')
      onDecided(reply.data)
    }
  }

  return (
    <Card withBorder data-testid="review-detail">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4}>
              Player{' '}
              <Anchor
                href={`#/players/${encodeURIComponent(item.playerId)}`}
                onClick={(event) => {
                  event.preventDefault()
                  go('players', item.playerId)
                }}
              >
                {item.playerId}
              </Anchor>
            </Title>
            <Text size="xs" c="dimmed">
              Opened {item.openedAt.slice(0, 16).replace('T', ' ')} · {item.reason}
            </Text>
          </div>
          <Group gap="xs">
            {item.segment ? <SegmentBadge segment={item.segment} /> : null}
            <Badge color={statusColors[item.status]} variant="light">
              {item.status}
            </Badge>
          </Group>
        </Group>
        <Text size="sm">
          Abuse score <b>{item.abuseScore}</b> of 100. At this score the engine already reduces or blocks the player's rewards; a person confirms the flag here or
          clears it as a false alarm.
        </Text>
        <Title order={5}>Why it was flagged</Title>
        {item.signals.length === 0 ? (
          <Text size="sm" c="dimmed">
            No signals are recorded for the newest evaluation.
          </Text>
        ) : (
          <List spacing={6} size="sm" data-testid="review-signals">
            {item.signals.map((signal) => (
              <List.Item key={signal.signal}>
                <Text span fw={600} size="sm">
                  {signal.signal.replace(/_/g, ' ')} ({signal.score} points):
                </Text>{' '}
                {signal.description}
              </List.Item>
            ))}
          </List>
        )}
        {failure ? <ErrorState error={failure} /> : null}
        {item.status === 'open' ? (
          <Stack gap="xs">
            <Textarea label="Note (optional)" placeholder="What you checked, for the audit trail" value={note} onChange={(event) => setNote(event.currentTarget.value)} autosize minRows={2} maxLength={2000} />
            <Group>
              <Button color="teal" onClick={() => void decide('approve')} loading={busy}>
                Approve flag
              </Button>
              <Button color="red" variant="light" onClick={() => void decide('reject')} loading={busy}>
                Reject flag
              </Button>
              <Text size="xs" c="dimmed">
                Approve confirms the abuse; reject clears it as a false alarm. A decision is final and recorded.
              </Text>
            </Group>
          </Stack>
        ) : (
          <Alert color={item.status === 'approved' ? 'teal' : 'red'} variant="light" data-testid="review-decision">
            {item.status === 'approved' ? 'Approved' : 'Rejected'} by {item.decidedBy} at {item.decidedAt?.slice(0, 16).replace('T', ' ')}
            {item.note ? ` — “${item.note}”` : ''}
          </Alert>
        )}
      </Stack>
    </Card>
  )
}
