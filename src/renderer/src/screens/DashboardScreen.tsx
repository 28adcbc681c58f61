// Dashboard: the programme at a glance — KPI cards, players by segment and tier, and reward cost
// by rule over time, for a period the operator picks. Each chart can be saved as a PNG.
import { Alert, Button, Card, Group, SegmentedControl, SimpleGrid, Skeleton, Table, Text, TextInput } from '@mantine/core'
import { useEffect, useMemo, useState } from 'react'
import type { InputOf } from '../../../shared/api/contract'
import type { DashboardSummary } from '../../../shared/api/types-operations'
import { reasonText } from '../../../shared/explanation'
import { useApiQuery } from '../api/use-query'
import { EmptyState, ErrorState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { formatCount } from '../format'
import { useMoney } from '../stores/money'
import { useNavigation } from '../stores/navigation'
import { costByRuleOption, segmentOption, tierOption } from './dashboard/chart-options'
import { EChart } from './dashboard/EChart'
import { KpiCards } from './dashboard/KpiCards'

const title = 'Dashboard'
const description = 'KPIs, segments and reward cost at a glance'
const chartHeight = 300
const datePattern = /^\d{4}-\d{2}-\d{2}$/

export function DashboardScreen() {
  const go = useNavigation((state) => state.go)
  const money = useMoney()
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [bucket, setBucket] = useState<'day' | 'week'>('day')
  const rangeError = from && to && from > to ? '“From” is after “To”.' : undefined
  const input: InputOf<'dashboard/summary'> = {
    bucket,
    ...(datePattern.test(from) && !rangeError ? { from } : {}),
    ...(datePattern.test(to) && !rangeError ? { to } : {}),
  }
  const query = useApiQuery('dashboard/summary', input)
  // The last figures stay while a new period loads: no layout jump.
  const [shown, setShown] = useState<DashboardSummary | undefined>()
  useEffect(() => {
    if (query.data) setShown(query.data)
  }, [query.data])

  const segmentChart = useMemo(() => (shown ? segmentOption(shown) : undefined), [shown])
  const tierChart = useMemo(() => (shown ? tierOption(shown) : undefined), [shown])
  const costChart = useMemo(() => (shown ? costByRuleOption(shown, money) : undefined), [shown, money])

  if (query.error && !shown) {
    return (
      <ScreenFrame title={title} description={description}>
        <ErrorState error={query.error} onRetry={query.reload} />
      </ScreenFrame>
    )
  }
  if (shown && shown.kpis.players === 0) {
    return (
      <ScreenFrame title={title} description={description}>
        <EmptyState title="No players yet" action={<Button onClick={() => go('import')}>Import a spreadsheet</Button>}>
          Import the player spreadsheet your platform exports to see players, GGR, reward cost and segments here.
        </EmptyState>
      </ScreenFrame>
    )
  }

  return (
    <ScreenFrame title={title} description={description}>
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput type="date" label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} w={170} error={rangeError} />
        <TextInput type="date" label="To" value={to} onChange={(event) => setTo(event.currentTarget.value)} w={170} />
        <SegmentedControl
          aria-label="Group reward cost by"
          value={bucket}
          onChange={(value) => setBucket(value === 'week' ? 'week' : 'day')}
          data={[
            { value: 'day', label: 'Per day' },
            { value: 'week', label: 'Per week' },
          ]}
        />
        {from || to ? (
          <Button variant="subtle" onClick={() => (setFrom(''), setTo(''))}>
            All dates
          </Button>
        ) : null}
        <Text size="sm" c="dimmed" ml="auto" data-testid="dashboard-as-of" aria-live="polite">
          {shown ? (shown.asOf ? `Latest evaluation as of ${shown.asOf}` : 'Not processed yet') : 'Loading…'}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" mt={-8}>
        The period picks evaluations by their as-of date: reward cost, blocked rewards and the chart below. Players, segments, tiers and GGR are the base as it is now.
      </Text>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      {shown && !shown.asOf ? (
        <Alert color="blue" title="Players are imported but not processed yet">
          Segments, tiers and rewards appear once the base is processed.{' '}
          <Button size="xs" variant="light" ml="sm" onClick={() => go('import')}>
            Go to Import
          </Button>
        </Alert>
      ) : null}
      <div style={{ opacity: query.loading && shown ? 0.6 : 1, transition: 'opacity 120ms' }} aria-busy={query.loading}>
        <KpiCards summary={shown} money={money} />
      </div>
      {shown && costChart ? (
        shown.costByRule.periods.length > 0 ? (
          <EChart title="Reward cost by rule" option={costChart} height={chartHeight} fileName="reward-cost-by-rule" testId="chart-cost-by-rule" />
        ) : (
          <Card withBorder h={chartHeight + 56} data-testid="chart-cost-by-rule">
            <Text fw={600}>Reward cost by rule</Text>
            <Text c="dimmed" mt="xl" ta="center">
              No rewards were issued {from || to ? 'in this period' : 'yet'}.
            </Text>
          </Card>
        )
      ) : (
        <Skeleton h={chartHeight + 56} radius="md" />
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {segmentChart ? <EChart title="Players by segment" option={segmentChart} height={chartHeight} fileName="players-by-segment" testId="chart-segments" /> : <Skeleton h={chartHeight + 56} radius="md" />}
        {tierChart ? <EChart title="Players by tier" option={tierChart} height={chartHeight} fileName="players-by-tier" testId="chart-tiers" /> : <Skeleton h={chartHeight + 56} radius="md" />}
      </SimpleGrid>
      {shown && shown.blockedByReason.length > 0 ? (
        <Card withBorder data-testid="blocked-reasons">
          <Text fw={600} mb="xs">
            Why rewards were blocked
          </Text>
          <Table fz="sm" striped>
            <Table.Tbody>
              {shown.blockedByReason.map((each) => (
                <Table.Tr key={each.reason}>
                  <Table.Td>{blockedReason(each.reason)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {each.reason}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" w={120}>
                    {formatCount(each.count)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
    </ScreenFrame>
  )
}

/** "abuse_blocked" → "The abuse score is too high", the player page's wording. */
function blockedReason(reason: string): string {
  const text = reasonText('blocked', reason).replace(/^blocked: /, '')
  return text.charAt(0).toUpperCase() + text.slice(1)
}
