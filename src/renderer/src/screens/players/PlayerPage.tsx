// One player's page (players/get): balances, current metrics and their history, segment and tier
// history, bonus lots with wagering progress, ledger transfers, and every reward decision with the
// engine's explanation in plain sentences.
import { Anchor, Badge, Card, Group, List, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import type { PlayerDetail, PlayerSnapshotView } from '../../../../shared/api/types'
import { useApiQuery } from '../../api/use-query'
import { ErrorState, LoadingState } from '../../components/states'
import { formatAmount, formatCount, formatMoney, type MoneySettings } from '../../format'
import { useNavigation } from '../../stores/navigation'
import { OutcomeBadge, SegmentBadge } from './badges'

export function PlayerPage({ playerId }: { playerId: string }) {
  const go = useNavigation((state) => state.go)
  const query = useApiQuery('players/get', { playerId })
  return (
    <Stack gap="lg" p="lg" component="section" aria-label={`Player ${playerId}`}>
      <div>
        <Anchor
          href="#/players"
          size="sm"
          onClick={(event) => {
            event.preventDefault()
            go('players')
          }}
        >
          ← All players
        </Anchor>
        <Title order={2}>Player {playerId}</Title>
      </div>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      {!query.data && !query.error ? <LoadingState rows={8} /> : null}
      {query.data ? <PlayerBody player={query.data} /> : null}
    </Stack>
  )
}

function PlayerBody({ player }: { player: PlayerDetail }) {
  const money = player.money
  return (
    <Stack gap="lg">
      <Group gap="md">
        {player.segment ? <SegmentBadge segment={player.segment} /> : <Badge color="gray">not evaluated</Badge>}
        <Badge variant="outline">{player.tier ?? 'no tier'}</Badge>
        <Text size="sm">
          Abuse score <b>{player.abuse_score ?? '—'}</b> · Risk score <b>{player.risk_score ?? '—'}</b>
        </Text>
        {player.abuseSignals.length > 0 ? (
          <Text size="sm" c="dimmed">
            Signals: {player.abuseSignals.map((signal) => `${signal.signal.replace(/_/g, ' ')} ${signal.score}`).join(', ')}
          </Text>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="player-balances">
        {(['BONUS', 'RP', 'LP', 'TICKETS'] as const).map((currency) => (
          <Card withBorder key={currency} padding="sm">
            <Text size="xs" c="dimmed">
              {currency === 'BONUS' ? 'Bonus balance' : currency === 'RP' ? 'Reward points' : currency === 'LP' ? 'Loyalty points' : 'Tickets'}
            </Text>
            <Text fw={700} size="xl" data-testid={`balance-${currency}`}>
              {currency === 'BONUS' ? formatMoney(player.balances.BONUS, money) : formatCount(player.balances[currency])}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Metrics current={player.current} money={money} />
        <History player={player} money={money} />
      </SimpleGrid>
      <BonusLots player={player} money={money} />
      <Decisions player={player} money={money} />
      <Transfers player={player} money={money} />
    </Stack>
  )
}

function Metrics({ current, money }: { current: PlayerSnapshotView | null; money: MoneySettings }) {
  if (!current) {
    return (
      <Card withBorder>
        <Text c="dimmed">No snapshot imported for this player.</Text>
      </Card>
    )
  }
  const moneyOf = (value: number | null) => (value === null ? '—' : formatMoney(value, money))
  const net = current.totalWon !== null && current.totalWagered !== null ? current.totalWon - current.totalWagered : null
  const rows: [string, string][] = [
    ['Deposited', moneyOf(current.totalDeposited)],
    ['Withdrawn', moneyOf(current.totalWithdrawn)],
    ['Wagered', moneyOf(current.totalWagered)],
    ['Won', moneyOf(current.totalWon)],
    ['Net result (player)', moneyOf(net)],
    ['Bonus received', moneyOf(current.bonusReceived)],
    ['Sessions', current.sessions === null ? '—' : formatCount(current.sessions)],
    ['Playtime', current.playtimeMinutes === null ? '—' : `${formatCount(Math.round(current.playtimeMinutes / 6) / 10)} h`],
    ['Registered', current.registrationDate ?? '—'],
    ['Last deposit', current.lastDepositDate ?? '—'],
    ['Last active', current.lastActiveDate ?? '—'],
    ['Country', current.country ?? '—'],
    ['Games', current.gameTypes?.join(', ') || '—'],
  ]
  return (
    <Card withBorder data-testid="player-metrics">
      <Text fw={600} mb="xs">
        Current figures (as of {current.asOf})
      </Text>
      <Table fz="sm">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Td c="dimmed">{label}</Table.Td>
              <Table.Td ta="right">{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  )
}

function History({ player, money }: { player: PlayerDetail; money: MoneySettings }) {
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Segment and tier history
      </Text>
      {player.segmentHistory.length === 0 && player.tierHistory.length === 0 ? (
        <Text size="sm" c="dimmed">
          No changes yet: the history starts with the first change after the first evaluation.
        </Text>
      ) : (
        <List size="sm" spacing={4}>
          {player.segmentHistory.map((change, index) => (
            <List.Item key={`s${index}`}>
              {change.asOf}: segment {change.from ?? '—'} → {change.to}
            </List.Item>
          ))}
          {player.tierHistory.map((change, index) => (
            <List.Item key={`t${index}`}>
              {change.asOf}: tier {change.from ?? '—'} → {change.to ?? '—'} ({change.reason})
            </List.Item>
          ))}
        </List>
      )}
      {player.snapshots.length > 0 ? (
        <>
          <Text fw={600} mt="md" mb="xs">
            Earlier snapshots
          </Text>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>As of</Table.Th>
                <Table.Th ta="right">Wagered</Table.Th>
                <Table.Th ta="right">Won</Table.Th>
                <Table.Th ta="right">Deposited</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {player.snapshots.map((snapshot, index) => (
                <Table.Tr key={index}>
                  <Table.Td>{snapshot.asOf}</Table.Td>
                  <Table.Td ta="right">{snapshot.totalWagered === null ? '—' : formatMoney(snapshot.totalWagered, money)}</Table.Td>
                  <Table.Td ta="right">{snapshot.totalWon === null ? '—' : formatMoney(snapshot.totalWon, money)}</Table.Td>
                  <Table.Td ta="right">{snapshot.totalDeposited === null ? '—' : formatMoney(snapshot.totalDeposited, money)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : (
        <Text size="sm" c="dimmed" mt="md">
          One snapshot so far; each newer summary file adds one and keeps the older ones.
        </Text>
      )}
    </Card>
  )
}

function BonusLots({ player, money }: { player: PlayerDetail; money: MoneySettings }) {
  if (player.bonusLots.length === 0) return null
  return (
    <Card withBorder data-testid="player-lots">
      <Text fw={600} mb="xs">
        Bonus lots
      </Text>
      <Stack gap="sm">
        {player.bonusLots.map((lot) => {
          const percent = lot.wageringTarget > 0 ? (lot.wageringProgress / lot.wageringTarget) * 100 : 100
          return (
            <div key={lot.id}>
              <Group justify="space-between" mb={4}>
                <Text size="sm">
                  {formatMoney(lot.amount, money)} bonus · {lot.status}
                  {lot.expiresAt ? ` · expires ${lot.expiresAt.slice(0, 10)}` : ''}
                  {lot.maxBet !== null ? ` · max bet ${formatMoney(lot.maxBet, money)}` : ''}
                </Text>
                <Text size="sm" c="dimmed">
                  wagered {formatMoney(lot.wageringProgress, money)} of {formatMoney(lot.wageringTarget, money)}
                </Text>
              </Group>
              <Progress value={percent} aria-label={`Wagering progress of lot ${lot.id}`} color={lot.status === 'completed' ? 'teal' : 'blue'} />
            </div>
          )
        })}
      </Stack>
    </Card>
  )
}

function Decisions({ player, money }: { player: PlayerDetail; money: MoneySettings }) {
  return (
    <Card withBorder data-testid="player-decisions">
      <Text fw={600} mb="xs">
        Reward decisions
      </Text>
      {player.decisions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No decisions yet: process the player base from the Import screen.
        </Text>
      ) : (
        <Stack gap="md">
          {player.decisions.map((decision) => (
            <Card key={decision.id} withBorder padding="sm" data-testid="decision">
              <Group justify="space-between" mb={6}>
                <Group gap="xs">
                  <OutcomeBadge outcome={decision.outcome} />
                  <Text fw={600}>
                    {decision.ruleId} v{decision.ruleVersion}
                  </Text>
                </Group>
                <Text size="sm">
                  {decision.outcome === 'blocked' ? 'nothing issued' : formatAmount(decision.amount, decision.currency, money)} · as of {decision.asOf}
                </Text>
              </Group>
              {decision.sentences ? (
                <Stack gap={2} data-testid="decision-explanation">
                  {decision.sentences.slice(1).map((sentence, index) => (
                    <Text key={index} size="sm" c={sentence.startsWith('✗') ? 'red' : undefined}>
                      {sentence}
                    </Text>
                  ))}
                </Stack>
              ) : (
                <Text size="sm">Reason: {decision.reason}</Text>
              )}
              {decision.note ? (
                <Text size="xs" c="dimmed" mt={4}>
                  {decision.note}
                </Text>
              ) : null}
            </Card>
          ))}
        </Stack>
      )}
    </Card>
  )
}

function Transfers({ player, money }: { player: PlayerDetail; money: MoneySettings }) {
  return (
    <Card withBorder data-testid="player-transfers">
      <Text fw={600} mb="xs">
        Recent ledger transfers
      </Text>
      {player.transfers.length === 0 ? (
        <Text size="sm" c="dimmed">
          No transfers yet.
        </Text>
      ) : (
        <Table fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {player.transfers.map((transfer) => (
              <Table.Tr key={transfer.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(transfer.createdAt).toLocaleString()}</Table.Td>
                <Table.Td>{transfer.kind}</Table.Td>
                <Table.Td>{transfer.reason}</Table.Td>
                <Table.Td ta="right" c={transfer.amount < 0 ? 'red' : undefined} style={{ whiteSpace: 'nowrap' }}>
                  {transfer.amount > 0 ? '+' : '−'}
                  {formatAmount(Math.abs(transfer.amount), transfer.currency, money)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  )
}
