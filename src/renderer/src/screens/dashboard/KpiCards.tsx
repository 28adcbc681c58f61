// The Dashboard's key figures. While they load, skeletons of the same size hold their place.
import { Card, SimpleGrid, Skeleton, Text, Tooltip } from '@mantine/core'
import type { DashboardSummary } from '../../../../shared/api/types-operations'
import { formatCount, formatMoney, type MoneySettings } from '../../format'

const cardHeight = 92

interface Kpi {
  id: string
  label: string
  value: string
  hint: string
  colour?: string
}

function kpis(summary: DashboardSummary, money: MoneySettings): Kpi[] {
  const k = summary.kpis
  const ratio = k.costToGgr === null ? '—' : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(k.costToGgr)
  return [
    { id: 'players', label: 'Players', value: formatCount(k.players), hint: 'Players in the base (their latest snapshot).' },
    { id: 'active', label: 'Active players', value: formatCount(k.activePlayers), hint: 'Played or deposited in the 30 days before the newest imported summary.' },
    { id: 'ggr', label: 'GGR', value: formatMoney(k.ggr, money), hint: 'Gross gaming revenue: wagered − won, over the players’ current lifetime totals.' },
    { id: 'ngr', label: 'NGR', value: formatMoney(k.ngr, money), hint: 'GGR minus the reward cost of the period.' },
    { id: 'reward-cost', label: 'Reward cost', value: formatMoney(k.rewardCost, money), hint: 'Rewards issued in the period: bonus money at face value, RP and tickets at their configured value.' },
    { id: 'cost-ggr', label: 'Cost / GGR', value: ratio, hint: 'Reward cost as a share of GGR.', colour: k.costToGgr !== null && k.costToGgr > 0.25 ? 'orange' : undefined },
    { id: 'blocked', label: 'Blocked rewards', value: formatCount(k.blockedRewards), hint: 'Rewards the rules decided but profit safety, caps or abuse checks stopped.', colour: k.blockedRewards > 0 ? 'red' : undefined },
    { id: 'review', label: 'Open review items', value: formatCount(k.openReviewItems), hint: 'Players waiting for a decision in the Review queue.', colour: k.openReviewItems > 0 ? 'orange' : undefined },
  ]
}

export function KpiCards({ summary, money }: { summary?: DashboardSummary; money: MoneySettings }) {
  const items = summary ? kpis(summary, money) : undefined
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
      {items
        ? items.map((item) => (
            <Tooltip key={item.id} label={item.hint} multiline w={260} openDelay={300}>
              <Card withBorder h={cardHeight} data-testid={`kpi-${item.id}`}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {item.label}
                </Text>
                <Text fw={700} size="xl" c={item.colour} data-testid={`kpi-${item.id}-value`} style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {item.value}
                </Text>
              </Card>
            </Tooltip>
          ))
        : Array.from({ length: 8 }, (_, index) => <Skeleton key={index} h={cardHeight} radius="md" />)}
    </SimpleGrid>
  )
}
