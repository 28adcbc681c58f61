// Players: the whole base, paged, sorted and filtered on the server (players/list), so a million
// players cost the same as a hundred. #/players/<id> opens one player's page.
import { Anchor, Button, Card, Group, NumberInput, Pagination, Select, Table, Text, TextInput, UnstyledButton } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import type { InputOf } from '../../../shared/api/contract'
import type { PlayerListResult, PlayerSortColumn } from '../../../shared/api/types'
import { useApiQuery } from '../api/use-query'
import { EmptyState, ErrorState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { formatCount, formatMoney } from '../format'
import { useMoney } from '../stores/money'
import { useNavigation } from '../stores/navigation'
import { PlayerPage } from './players/PlayerPage'
import { SegmentBadge } from './players/badges'

const pageSize = 50
const rowHeight = 37
const segments = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
// The default ladder's codes; a tiers API (Tiers screen) will list the operator's own.
const tierCodes = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM']

const columns: { key: PlayerSortColumn; label: string; numeric?: boolean }[] = [
  { key: 'player_id', label: 'Player id' },
  { key: 'segment', label: 'Segment' },
  { key: 'tier', label: 'Tier' },
  { key: 'abuse_score', label: 'Abuse', numeric: true },
  { key: 'risk_score', label: 'Risk', numeric: true },
  { key: 'balance_BONUS', label: 'Bonus', numeric: true },
  { key: 'balance_RP', label: 'RP', numeric: true },
  { key: 'balance_LP', label: 'LP', numeric: true },
  { key: 'balance_TICKETS', label: 'Tickets', numeric: true },
]

export function PlayersScreen() {
  const detail = useNavigation((state) => state.detail)
  if (detail !== undefined) return <PlayerPage key={detail} playerId={detail} />
  return <PlayerTable />
}

function PlayerTable() {
  const money = useMoney()
  const go = useNavigation((state) => state.go)
  const [search, setSearch] = useState('')
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250)
  const [segment, setSegment] = useState<string | null>(null)
  const [tier, setTier] = useState<string | null>(null)
  const [minAbuse, setMinAbuse] = useState<number | ''>('')
  const [sort, setSort] = useState<PlayerSortColumn>('player_id')
  const [order, setOrder] = useState<'asc' | 'desc'>('asc')
  const [page, setPage] = useState(1)
  useEffect(() => setPage(1), [debouncedSearch, segment, tier, minAbuse, sort, order])

  const input: InputOf<'players/list'> = {
    limit: pageSize,
    offset: (page - 1) * pageSize,
    sort,
    order,
    ...(debouncedSearch ? { search: debouncedSearch } : {}),
    ...(segment ? { segment: segment as (typeof segments)[number] } : {}),
    ...(tier ? { tier } : {}),
    ...(minAbuse !== '' && minAbuse > 0 ? { minAbuseScore: minAbuse } : {}),
  }
  const query = useApiQuery('players/list', input)
  // The last page stays on screen (dimmed) while the next loads: no layout jump.
  const [shown, setShown] = useState<PlayerListResult | undefined>(undefined)
  useEffect(() => {
    if (query.data) setShown(query.data)
  }, [query.data])
  const filtered = Boolean(debouncedSearch || segment || tier || (minAbuse !== '' && minAbuse > 0))

  if (query.error && !shown) {
    return (
      <ScreenFrame title="Players" description="The whole player base, searchable">
        <ErrorState error={query.error} onRetry={query.reload} />
      </ScreenFrame>
    )
  }
  if (shown && shown.total === 0 && !filtered) {
    return (
      <ScreenFrame title="Players" description="The whole player base, searchable">
        <EmptyState title="No players yet" action={<Button onClick={() => go('import')}>Import a spreadsheet</Button>}>
          Players appear here once a player summary spreadsheet has been imported.
        </EmptyState>
      </ScreenFrame>
    )
  }

  const toggleSort = (key: PlayerSortColumn) => {
    if (sort === key) setOrder(order === 'asc' ? 'desc' : 'asc')
    else {
      setSort(key)
      setOrder(key === 'player_id' || key === 'segment' || key === 'tier' ? 'asc' : 'desc')
    }
  }
  const total = shown?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / pageSize))
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1
  const last = Math.min(total, page * pageSize)

  return (
    <ScreenFrame title="Players" description="The whole player base, searchable">
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput label="Search" placeholder="Player id starts with…" value={search} onChange={(event) => setSearch(event.currentTarget.value)} w={220} />
        <Select label="Segment" placeholder="All segments" data={[...segments]} value={segment} onChange={setSegment} clearable w={170} />
        <Select label="Tier" placeholder="All tiers" data={tierCodes} value={tier} onChange={setTier} clearable w={150} />
        <NumberInput
          label="Abuse score at least"
          placeholder="0"
          min={0}
          max={100}
          value={minAbuse}
          onChange={(value) => setMinAbuse(typeof value === 'number' ? value : '')}
          w={170}
        />
        <Text size="sm" c="dimmed" ml="auto" data-testid="players-total" aria-live="polite">
          {shown ? `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} players` : 'Loading…'}
        </Text>
      </Group>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover fz="sm" data-testid="players-table" style={{ opacity: query.loading && shown ? 0.6 : 1, transition: 'opacity 120ms' }} aria-busy={query.loading}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column.key} ta={column.numeric ? 'right' : undefined} aria-sort={sort === column.key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <UnstyledButton onClick={() => toggleSort(column.key)} fw={700} fz="sm">
                      {column.label}
                      {sort === column.key ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                    </UnstyledButton>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown
                ? shown.players.map((player) => (
                    <Table.Tr key={player.player_id} h={rowHeight}>
                      <Table.Td>
                        <Anchor
                          href={`#/players/${encodeURIComponent(player.player_id)}`}
                          onClick={(event) => {
                            event.preventDefault()
                            go('players', player.player_id)
                          }}
                        >
                          {player.player_id}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{player.segment ? <SegmentBadge segment={player.segment} /> : '—'}</Table.Td>
                      <Table.Td>{player.tier ?? '—'}</Table.Td>
                      <Table.Td ta="right">{player.abuse_score ?? '—'}</Table.Td>
                      <Table.Td ta="right">{player.risk_score ?? '—'}</Table.Td>
                      <Table.Td ta="right">{formatMoney(player.balances.BONUS, money)}</Table.Td>
                      <Table.Td ta="right">{formatCount(player.balances.RP)}</Table.Td>
                      <Table.Td ta="right">{formatCount(player.balances.LP)}</Table.Td>
                      <Table.Td ta="right">{formatCount(player.balances.TICKETS)}</Table.Td>
                    </Table.Tr>
                  ))
                : Array.from({ length: 12 }, (_, index) => (
                    <Table.Tr key={index} h={rowHeight}>
                      <Table.Td colSpan={columns.length} />
                    </Table.Tr>
                  ))}
              {shown && shown.players.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={columns.length}>
                    <Text c="dimmed" ta="center" py="md">
                      No player matches these filters.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Sorted by {columns.find((column) => column.key === sort)?.label.toLowerCase()} ({order === 'asc' ? 'ascending' : 'descending'}); {pageSize} per page.
        </Text>
        <Pagination total={pages} value={page} onChange={setPage} size="sm" aria-label="Pages" />
      </Group>
    </ScreenFrame>
  )
}
