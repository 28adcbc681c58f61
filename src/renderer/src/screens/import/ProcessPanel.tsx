// "Process now": the whole pipeline over the imported base (tiers, abuse, segments, rules, safety,
// caps, ledger), then what it decided, with the way on to the Players screen.
import { Alert, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import type { ProcessSummary } from '../../../../shared/api/types'
import { ErrorState } from '../../components/states'
import { formatAmount, formatCount } from '../../format'
import { useNavigation } from '../../stores/navigation'
import { useImportStore } from './import-store'
import { JobProgress } from './JobProgress'
import { Stat } from './ImportResult'

const segmentOrder = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
const currencyOrder = ['BONUS', 'RP', 'LP', 'TICKETS'] as const

const reasonLabels: Record<string, string> = {
  abuse_blocked: 'Abuse score too high',
  budget_rule: "Rule's budget used up",
  budget_global_day: 'Global daily budget used up',
  unprofitable: 'Cost above what the margin allows',
  already_issued: 'Already issued this period',
  cooldown: 'Cooldown not over',
  exclusive_group: 'Another rule in its group paid',
  metric_unavailable: 'A metric was unavailable',
  zero_amount: 'Nothing to pay',
  control_group: 'Held out as control group',
}

export function ProcessPanel() {
  const imported = useImportStore((state) => state.imported)
  const job = useImportStore((state) => state.processJob)
  const runProcess = useImportStore((state) => state.runProcess)
  const cancel = useImportStore((state) => state.cancel)
  const importRunning = useImportStore((state) => state.importJob.status === 'running')
  if (imported.length === 0 && job.status === 'idle') return null
  return (
    <Stack gap="md">
      <Card withBorder>
        <Group justify="space-between">
          <div>
            <Text fw={600}>Process the player base</Text>
            <Text size="sm" c="dimmed">
              Tiers, abuse scores, segments and reward rules over every player, then the rewards into the ledger. Running it again adds nothing.
            </Text>
          </div>
          <Button onClick={() => void runProcess()} loading={job.status === 'running'} disabled={importRunning}>
            Process now
          </Button>
        </Group>
      </Card>
      <JobProgress job={job} title="Processing" onCancel={() => cancel('process')} testId="process-progress" />
      {job.status === 'failed' && job.error ? <ErrorState error={job.error} /> : null}
      {job.status === 'cancelled' ? (
        <Alert color="gray" title="Processing cancelled">
          Nothing was posted to the ledger.
        </Alert>
      ) : null}
      {job.status === 'done' && job.result ? <ProcessResult summary={job.result} /> : null}
    </Stack>
  )
}

function ProcessResult({ summary }: { summary: ProcessSummary }) {
  const go = useNavigation((state) => state.go)
  const blocked = Object.entries(summary.rewards.blocked).sort((a, b) => b[1] - a[1])
  return (
    <Card withBorder data-testid="process-result">
      <Stack gap="md">
        <Group justify="space-between">
          <div>
            <Text fw={700} size="lg">
              Processed as of {summary.asOf}
            </Text>
            <Text size="sm" c="dimmed">
              Evaluation {summary.evaluationId ?? '—'}
              {summary.dryRun ? ' · dry run: nothing stored or posted' : ` · ${formatCount(summary.ledger.posted)} ledger transfers posted, ${formatCount(summary.ledger.alreadyPosted)} already there`}
            </Text>
          </div>
          <Button variant="light" onClick={() => go('players')}>
            Open Players
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 3, sm: 6 }}>
          <Stat label="Players" value={summary.players} testId="process-players" />
          {segmentOrder.map((segment) => (
            <Stat key={segment} label={segment} value={summary.segments[segment]} testId={`process-segment-${segment}`} />
          ))}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
          <div>
            <Text fw={600} mb={4}>
              Rewards issued
            </Text>
            <Text size="sm" c="dimmed" mb={4}>
              {formatCount(summary.rewards.issued)} decisions paid ({formatCount(summary.rewards.reduced)} of them reduced)
            </Text>
            <Table fz="sm" data-testid="process-currencies">
              <Table.Tbody>
                {currencyOrder.map((currency) => (
                  <Table.Tr key={currency}>
                    <Table.Td>{currency}</Table.Td>
                    <Table.Td ta="right">{formatAmount(summary.rewards.byCurrency[currency] ?? 0, currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          <div>
            <Text fw={600} mb={4}>
              Blocked, by reason
            </Text>
            {blocked.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing was blocked.
              </Text>
            ) : (
              <Table fz="sm" data-testid="process-blocked">
                <Table.Tbody>
                  {blocked.map(([reason, count]) => (
                    <Table.Tr key={reason}>
                      <Table.Td>{reasonLabels[reason] ?? reason}</Table.Td>
                      <Table.Td ta="right">{formatCount(count)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
          <div>
            <Text fw={600} mb={4}>
              Abuse and review
            </Text>
            <Text size="sm">{formatCount(summary.abuse.flagged)} players with abuse signals</Text>
            <Text size="sm" data-testid="process-review">
              {formatCount(summary.abuse.reviewOpened)} new review items
            </Text>
            <Text size="sm">{formatCount(summary.transitions)} segment changes</Text>
          </div>
        </SimpleGrid>
      </Stack>
    </Card>
  )
}
