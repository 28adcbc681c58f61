// The ladder as an editable table, lowest tier first: thresholds, windows, benefits, grace, and
// how many players hold each tier now.
import { ActionIcon, NumberInput, Table, TextInput } from '@mantine/core'
import type { TierView } from '../../../../shared/api/types-desk'
import { formatCount } from '../../format'

interface Props {
  ladder: TierView[]
  players: Record<string, number>
  onChange: (ladder: TierView[]) => void
}

export function TierTable({ ladder, players, onChange }: Props) {
  const set = (index: number, tier: TierView) => onChange(ladder.map((each, at) => (at === index ? tier : each)))
  const number = (index: number, field: 'rank' | 'qualifying_points' | 'window_days' | 'downgrade_grace_days', label: string) => (
    <NumberInput
      aria-label={`${ladder[index]!.code || `Tier ${index + 1}`} ${label}`}
      size="xs"
      min={0}
      value={ladder[index]![field]}
      onChange={(value) => set(index, { ...ladder[index]!, [field]: typeof value === 'number' ? value : 0 })}
      thousandSeparator=","
    />
  )
  const benefit = (index: number, field: keyof TierView['benefits'], label: string, step: number) => (
    <NumberInput
      aria-label={`${ladder[index]!.code || `Tier ${index + 1}`} ${label}`}
      size="xs"
      min={0}
      step={step}
      decimalScale={4}
      value={ladder[index]!.benefits[field]}
      onChange={(value) => set(index, { ...ladder[index]!, benefits: { ...ladder[index]!.benefits, [field]: typeof value === 'number' ? value : 0 } })}
    />
  )
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table fz="sm" verticalSpacing={6} data-testid="tier-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={110}>Code</Table.Th>
            <Table.Th w={130}>Name</Table.Th>
            <Table.Th w={70}>Rank</Table.Th>
            <Table.Th w={120}>LP to qualify</Table.Th>
            <Table.Th w={90}>Window (days)</Table.Th>
            <Table.Th w={90}>LP multiplier</Table.Th>
            <Table.Th w={90}>Cashback %</Table.Th>
            <Table.Th w={90}>RP per LP</Table.Th>
            <Table.Th w={90}>Grace (days)</Table.Th>
            <Table.Th ta="right">Players</Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ladder.map((tier, index) => (
            <Table.Tr key={index} data-testid={`tier-row-${tier.code}`}>
              <Table.Td>
                <TextInput aria-label={`Tier ${index + 1} code`} size="xs" value={tier.code} onChange={(event) => set(index, { ...tier, code: event.currentTarget.value.toUpperCase() })} />
              </Table.Td>
              <Table.Td>
                <TextInput aria-label={`Tier ${index + 1} name`} size="xs" value={tier.name} onChange={(event) => set(index, { ...tier, name: event.currentTarget.value })} />
              </Table.Td>
              <Table.Td>{number(index, 'rank', 'rank')}</Table.Td>
              <Table.Td>{number(index, 'qualifying_points', 'LP to qualify')}</Table.Td>
              <Table.Td>{number(index, 'window_days', 'window days')}</Table.Td>
              <Table.Td>{benefit(index, 'lp_multiplier', 'LP multiplier', 0.05)}</Table.Td>
              <Table.Td>{benefit(index, 'cashback_percent', 'cashback percent', 0.5)}</Table.Td>
              <Table.Td>{benefit(index, 'rp_conversion_rate', 'RP per LP', 0.01)}</Table.Td>
              <Table.Td>{number(index, 'downgrade_grace_days', 'grace days')}</Table.Td>
              <Table.Td ta="right" fw={600} data-testid={`tier-players-${tier.code}`}>
                {formatCount(players[tier.code] ?? 0)}
              </Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" color="gray" aria-label={`Remove tier ${tier.code || index + 1}`} disabled={ladder.length <= 1} onClick={() => onChange(ladder.filter((_, at) => at !== index))}>
                  ✕
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
