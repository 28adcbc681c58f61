// Verify: recompute balances and the hash chain from the transfers and list every discrepancy.
import { Alert, Badge, Button, Card, Group, List, Progress, SimpleGrid, Stack, Text } from '@mantine/core'
import { ErrorState } from '../../components/states'
import { formatAmount, formatCount, type MoneySettings } from '../../format'
import { cancelLedgerJob, useLedgerStore } from './ledger-store'

export function VerifyPanel({ money }: { money: MoneySettings }) {
  const job = useLedgerStore((state) => state.verifyJob)
  const verify = useLedgerStore((state) => state.verify)
  const report = job.status === 'done' ? job.result : undefined
  return (
    <Card withBorder data-testid="verify-panel" h="100%">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Text fw={600}>Verify the ledger</Text>
            <Text size="sm" c="dimmed">
              Recomputes every balance and the hash chain from the transfers, and checks the database file.
            </Text>
          </div>
          {job.status === 'running' ? (
            <Button variant="light" color="red" onClick={() => cancelLedgerJob('verify')}>
              Cancel
            </Button>
          ) : (
            <Button onClick={() => void verify()}>Run verify</Button>
          )}
        </Group>
        {job.status === 'running' ? (
          <Progress
            value={job.progress?.total ? Math.round((job.progress.done / job.progress.total) * 100) : 100}
            animated
            striped={!job.progress?.total}
            aria-label="Verify progress"
          />
        ) : null}
        {job.status === 'failed' && job.error ? <ErrorState error={job.error} /> : null}
        {job.status === 'cancelled' ? <Text c="dimmed">Verification cancelled.</Text> : null}
        {report ? (
          <Stack gap="xs" data-testid="verify-result">
            {report.ok ? (
              <Alert color="teal" title="The ledger is sound" data-testid="verify-ok">
                {formatCount(report.transfers)} transfers checked: every balance matches its transfers, the books balance and the hash chain is unbroken.
              </Alert>
            ) : (
              <Alert color="red" title={`${formatCount(report.findings.length)} problems found`} role="alert">
                <List size="sm" spacing={2}>
                  {report.findings.slice(0, 50).map((finding, index) => (
                    <List.Item key={index}>
                      <Badge size="xs" variant="light" color="red" mr={6}>
                        {finding.kind.replace('_', ' ')}
                      </Badge>
                      {finding.message}
                    </List.Item>
                  ))}
                </List>
                {report.findings.length > 50 ? <Text size="sm">…and {formatCount(report.findings.length - 50)} more (loyalty verify --json lists them all).</Text> : null}
              </Alert>
            )}
            <SimpleGrid cols={4}>
              {(['BONUS', 'RP', 'LP', 'TICKETS'] as const).map((currency) => (
                <div key={currency}>
                  <Text size="xs" c="dimmed">
                    Held by players · {currency}
                  </Text>
                  <Text fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatAmount(report.totals[currency], currency, money)}
                  </Text>
                </div>
              ))}
            </SimpleGrid>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  )
}
