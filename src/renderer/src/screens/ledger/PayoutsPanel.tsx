// Payouts: export every reward not yet sent to the platform as a payout file, and apply the
// platform's confirmation file (reference, status[, note]) — all rows or none.
import { Alert, Anchor, Button, Card, FileButton, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import { canUpload } from '../../api/upload'
import { ErrorState } from '../../components/states'
import { formatAmount, formatCount, type MoneySettings } from '../../format'
import { useLedgerStore, type PayoutFormat } from './ledger-store'

export function PayoutsPanel({ money }: { money: MoneySettings }) {
  const [format, setFormat] = useState<PayoutFormat>('xlsx')
  const [confirmPath, setConfirmPath] = useState('')
  const exportJob = useLedgerStore((state) => state.exportJob)
  const confirmJob = useLedgerStore((state) => state.confirmJob)
  const exportPayouts = useLedgerStore((state) => state.exportPayouts)
  const confirmPayouts = useLedgerStore((state) => state.confirmPayouts)
  const exported = exportJob.status === 'done' ? exportJob.result : undefined
  const confirmed = confirmJob.status === 'done' ? confirmJob.result : undefined
  const uploads = canUpload()

  return (
    <Card withBorder data-testid="payouts-panel" h="100%">
      <Stack gap="sm">
        <div>
          <Text fw={600}>Payouts</Text>
          <Text size="sm" c="dimmed">
            Rewards reach the platform as a payout file. Exported rows are marked and never exported twice; the platform’s confirmation file closes them.
          </Text>
        </div>
        <Group gap="sm">
          <SegmentedControl
            aria-label="Payout file format"
            value={format}
            onChange={(value) => setFormat(value === 'csv' ? 'csv' : 'xlsx')}
            data={[
              { value: 'xlsx', label: 'Excel' },
              { value: 'csv', label: 'CSV' },
            ]}
          />
          <Button onClick={() => void exportPayouts(format)} loading={exportJob.status === 'running'}>
            Export payout file
          </Button>
        </Group>
        {exportJob.status === 'failed' && exportJob.error ? <ErrorState error={exportJob.error} /> : null}
        {exported ? (
          <Alert color={exported.rows > 0 ? 'teal' : 'gray'} title={exported.rows > 0 ? `${formatCount(exported.rows)} payouts exported` : 'Nothing to pay out'} data-testid="payout-exported">
            <Stack gap={4}>
              {exported.rows > 0 ? (
                <Text size="sm">
                  Batch {exported.batch}:{' '}
                  {Object.entries(exported.totals)
                    .map(([currency, amount]) => formatAmount(amount, currency, money))
                    .join(' · ')}
                  {exported.withheld > 0 ? ` · ${formatCount(exported.withheld)} withheld` : ''}
                </Text>
              ) : (
                <Text size="sm">Every reward has been exported already.</Text>
              )}
              <Text size="sm">
                Written to <code>{exported.file}</code>
                {exported.download ? (
                  <>
                    {' · '}
                    <Anchor href={exported.download} download>
                      Download
                    </Anchor>
                  </>
                ) : null}
              </Text>
            </Stack>
          </Alert>
        ) : null}
        <Group gap="sm" align="flex-end">
          {uploads ? (
            <FileButton onChange={(file) => file && void confirmPayouts({ file })} accept=".csv,.xlsx">
              {(props) => (
                <Button variant="light" {...props} loading={confirmJob.status === 'running'} data-testid="confirm-payouts-button">
                  Upload confirmation file…
                </Button>
              )}
            </FileButton>
          ) : (
            <>
              <TextInput label="Confirmation file" placeholder="/path/to/confirmation.csv" value={confirmPath} onChange={(event) => setConfirmPath(event.currentTarget.value)} w={320} />
              <Button variant="light" disabled={!confirmPath.trim()} loading={confirmJob.status === 'running'} onClick={() => void confirmPayouts({ path: confirmPath.trim() })}>
                Confirm payouts
              </Button>
            </>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          The confirmation file is a CSV or Excel sheet with the columns reference, status (confirmed or rejected) and an optional note.
        </Text>
        {confirmJob.status === 'failed' && confirmJob.error ? <ErrorState error={confirmJob.error} /> : null}
        {confirmed ? (
          <Alert color="teal" title="Confirmation applied" data-testid="payout-confirmed">
            {formatCount(confirmed.confirmed)} confirmed · {formatCount(confirmed.rejected)} rejected · {formatCount(confirmed.unchanged)} already recorded ({formatCount(confirmed.rows)} rows)
          </Alert>
        ) : null}
      </Stack>
    </Card>
  )
}
