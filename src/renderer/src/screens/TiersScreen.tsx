// Tiers: the ladder (LP to qualify within a window, benefits, downgrade grace) with players per
// tier; edits are validated and saved for the next processing. Parts live in ./tiers/.
import { Alert, Button, Card, Group, Progress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core'
import { useState } from 'react'
import type { ApiError } from '../../../shared/api/result'
import type { TierLadderView, TierView } from '../../../shared/api/types-desk'
import { api } from '../api/client'
import { useApiQuery } from '../api/use-query'
import { ScreenFrame } from '../components/ScreenFrame'
import { ErrorState, LoadingState } from '../components/states'
import { formatCount } from '../format'
import { TierTable } from './tiers/TierTable'

const title = 'Tiers'
const description = 'The tier ladder: loyalty points (LP) earned within a window place a player; benefits apply from the next processing.'

export function TiersScreen() {
  const query = useApiQuery('tiers/get', {})
  return (
    <ScreenFrame title={title} description={description}>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      {!query.data && !query.error ? <LoadingState rows={6} /> : null}
      {query.data ? <TiersBody initial={query.data} /> : null}
    </ScreenFrame>
  )
}

function TiersBody({ initial }: { initial: TierLadderView }) {
  const [view, setView] = useState(initial)
  const [ladder, setLadder] = useState<TierView[]>(initial.ladder)
  const [problems, setProblems] = useState<{ path: string; message: string }[]>([])
  const [failure, setFailure] = useState<ApiError | undefined>()
  const [notice, setNotice] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)
  const changed = JSON.stringify(ladder) !== JSON.stringify(view.ladder)
  const placed = Object.values(view.players).reduce((sum, count) => sum + count, 0)

  const edit = (next: TierView[]) => {
    setNotice(undefined)
    setLadder(next)
  }
  const addTier = () => {
    const top = [...ladder].sort((a, b) => b.rank - a.rank)[0]
    edit([
      ...ladder,
      {
        code: '',
        name: '',
        rank: (top?.rank ?? -1) + 1,
        qualifying_points: (top?.qualifying_points ?? 0) * 2 || 1000,
        window_days: top?.window_days ?? 90,
        benefits: { lp_multiplier: 1, cashback_percent: 0, rp_conversion_rate: 0 },
        downgrade_grace_days: top?.downgrade_grace_days ?? 30,
      },
    ])
  }
  const save = async () => {
    setSaving(true)
    setFailure(undefined)
    setProblems([])
    const reply = await api.call('tiers/save', { ladder })
    setSaving(false)
    if (reply.error) {
      const details = reply.error.details as { problems?: { path: string; message: string }[] } | undefined
      if (details?.problems?.length) setProblems(details.problems)
      else setFailure(reply.error)
      return
    }
    setView(reply.data)
    setLadder(reply.data.ladder)
    setNotice('Ladder saved. Players move to their new tiers at the next processing.')
  }

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: Math.min(6, Math.max(2, view.ladder.length + (view.unplaced ? 1 : 0))) }}>
        {view.ladder.map((tier) => (
          <Card withBorder padding="sm" key={tier.code}>
            <Text size="xs" c="dimmed">
              {tier.name} · {formatCount(tier.qualifying_points)} LP in {tier.window_days} days
            </Text>
            <Text fw={700} size="xl">
              {formatCount(view.players[tier.code] ?? 0)}
            </Text>
            <Tooltip label={`${Math.round(((view.players[tier.code] ?? 0) / Math.max(1, placed)) * 100)}% of placed players`}>
              <Progress value={((view.players[tier.code] ?? 0) / Math.max(1, placed)) * 100} size="sm" mt={4} />
            </Tooltip>
          </Card>
        ))}
        {view.unplaced ? (
          <Card withBorder padding="sm">
            <Text size="xs" c="dimmed">
              Not placed yet (process to place them)
            </Text>
            <Text fw={700} size="xl">
              {formatCount(view.unplaced)}
            </Text>
          </Card>
        ) : null}
      </SimpleGrid>
      {view.isDefault ? (
        <Text size="sm" c="dimmed">
          The default ladder is in use; saving makes it yours.
        </Text>
      ) : null}
      {notice ? (
        <Alert color="teal" variant="light">
          {notice}
        </Alert>
      ) : null}
      {failure ? <ErrorState error={failure} /> : null}
      {problems.length > 0 ? (
        <Alert color="red" title={`The ladder was not saved: ${problems.length} problem(s)`} role="alert" data-testid="tier-problems">
          <Stack gap={2}>
            {problems.map((problem, index) => (
              <Text size="sm" key={index}>
                <b>{problem.path}</b>: {problem.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
      <Card withBorder padding="xs">
        <TierTable ladder={ladder} players={view.players} onChange={edit} />
      </Card>
      <Group>
        <Button onClick={() => void save()} loading={saving} disabled={!changed}>
          Save ladder
        </Button>
        <Button variant="light" onClick={addTier} disabled={ladder.length >= 20}>
          Add tier
        </Button>
        <Button variant="subtle" color="gray" onClick={() => edit(view.ladder)} disabled={!changed}>
          Revert
        </Button>
        <Text size="xs" c="dimmed">
          The lowest tier needs 0 LP: everyone starts there. A player below their tier keeps it for the grace days.
        </Text>
      </Group>
    </Stack>
  )
}
