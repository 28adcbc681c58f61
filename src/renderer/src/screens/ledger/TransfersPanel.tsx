// Transfer search: by player, currency, kind, creation dates and idempotency key, newest first,
// paged on the server (ledger/transfers).
import { Anchor, Badge, Card, Group, Pagination, Select, Table, Text, TextInput, Tooltip } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import type { InputOf } from '../../../../shared/api/contract'
import type { TransferListResult, TransferSide } from '../../../../shared/api/types-operations'
import { useApiQuery } from '../../api/use-query'
import { ErrorState } from '../../components/states'
import { formatAmount, formatCount, type MoneySettings } from '../../format'
import { useNavigation } from '../../stores/navigation'

const pageSize = 25
const rowHeight = 41
const currencies = ['BONUS', 'RP', 'LP', 'TICKETS'] as const
const kinds = ['reward', 'adjustment', 'redemption', 'conversion', 'expiry', 'forfeit', 'reversal']
const datePattern = /^\d{4}-\d{2}-\d{2}$/

export function TransfersPanel({ money, generation, initialPlayer }: { money: MoneySettings; generation: number; initialPlayer?: string }) {
  const go = useNavigation((state) => state.go)
  const [player, setPlayer] = useState(initialPlayer ?? '')
  const [key, setKey] = useState('')
  const [debouncedPlayer] = useDebouncedValue(player.trim(), 300)
  const [debouncedKey] = useDebouncedValue(key.trim(), 300)
  const [currency, setCurrency] = useState<string | null>(null)
  const [kind, setKind] = useState<string | null>(null)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [page, setPage] = useState(1)
  useEffect(() => setPage(1), [debouncedPlayer, debouncedKey, currency, kind, from, to])
  const rangeError = from && to && from > to ? '“From” is after “To”.' : undefined

  const input: InputOf<'ledger/transfers'> = {
    limit: pageSize,
    offset: (page - 1) * pageSize,
    ...(debouncedPlayer ? { playerId: debouncedPlayer } : {}),
    ...(debouncedKey ? { idempotencyKey: debouncedKey } : {}),
    ...(currency ? { currency: currency as (typeof currencies)[number] } : {}),
    ...(kind ? { kind } : {}),
    ...(datePattern.test(from) && !rangeError ? { from } : {}),
    ...(datePattern.test(to) && !rangeError ? { to } : {}),
  }
  const query = useApiQuery('ledger/transfers', input)
  // An adjustment or an export elsewhere on the screen moves the ledger: search again.
  const { reload } = query
  useEffect(() => {
    if (generation > 0) reload()
  }, [generation, reload])
  const [shown, setShown] = useState<TransferListResult | undefined>()
  useEffect(() => {
    if (query.data) setShown(query.data)
  }, [query.data])
  const total = shown?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / pageSize))

  const side = (value: TransferSide) =>
    value.player !== null ? (
      <Anchor
        size="sm"
        href={`#/players/${encodeURIComponent(value.player)}`}
        onClick={(event) => {
          event.preventDefault()
          go('players', value.player!)
        }}
      >
        {value.player}
      </Anchor>
    ) : (
      <Text size="sm" c="dimmed">
        {value.system}
      </Text>
    )

  return (
    <Card withBorder data-testid="transfers-panel">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>Transfers</Text>
        <Text size="sm" c="dimmed" data-testid="transfers-total" aria-live="polite">
          {shown ? `${formatCount(total)} ${total === 1 ? 'transfer' : 'transfers'}` : 'Loading…'}
        </Text>
      </Group>
      <Group align="flex-end" gap="sm" wrap="wrap" mb="sm">
        <TextInput label="Player id" placeholder="Exact player id" value={player} onChange={(event) => setPlayer(event.currentTarget.value)} w={170} />
        <Select label="Currency" placeholder="All" data={[...currencies]} value={currency} onChange={setCurrency} clearable w={130} />
        <Select label="Kind" placeholder="All" data={kinds} value={kind} onChange={setKind} clearable w={150} />
        <TextInput type="date" label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} w={150} error={rangeError} />
        <TextInput type="date" label="To" value={to} onChange={(event) => setTo(event.currentTarget.value)} w={150} />
        <TextInput label="Idempotency key" placeholder="Exact key, or prefix*" value={key} onChange={(event) => setKey(event.currentTarget.value)} w={200} />
      </Group>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      <Table.ScrollContainer minWidth={980}>
        <Table striped fz="sm" data-testid="transfers-table" style={{ opacity: query.loading && shown ? 0.6 : 1, transition: 'opacity 120ms' }} aria-busy={query.loading}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>#</Table.Th>
              <Table.Th w={170}>When (UTC)</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown
              ? shown.transfers.map((transfer) => (
                  <Table.Tr key={transfer.id} h={rowHeight}>
                    <Table.Td>{transfer.id}</Table.Td>
                    <Table.Td>{transfer.createdAt.replace('T', ' ').slice(0, 19)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={transfer.kind === 'adjustment' ? 'orange' : transfer.kind === 'reward' ? 'teal' : 'gray'}>
                        {transfer.kind}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{side(transfer.from)}</Table.Td>
                    <Table.Td>{side(transfer.to)}</Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                      {formatAmount(transfer.amount, transfer.currency, money)}
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Tooltip label={`Key: ${transfer.idempotencyKey}`} openDelay={400}>
                        <Text size="sm" lineClamp={1}>
                          {transfer.reason}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))
              : Array.from({ length: 8 }, (_, index) => (
                  <Table.Tr key={index} h={rowHeight}>
                    <Table.Td colSpan={7} />
                  </Table.Tr>
                ))}
            {shown && shown.transfers.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text c="dimmed" ta="center" py="md">
                    {total === 0 && !debouncedPlayer && !debouncedKey && !currency && !kind && !from && !to
                      ? 'The ledger is empty: rewards are posted when the base is processed.'
                      : 'No transfer matches these filters.'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="flex-end" mt="sm">
        <Pagination total={pages} value={page} onChange={setPage} size="sm" aria-label="Transfer pages" />
      </Group>
    </Card>
  )
}
