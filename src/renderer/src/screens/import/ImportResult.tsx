// What an import did: accepted, quarantined, duplicates, ambiguous dates, the quarantined rows with
// their messages (exportable), and the way on: Process now.
import { Alert, Anchor, Badge, Button, Card, Group, ScrollArea, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import type { ImportSummary } from '../../../../shared/api/types'
import { ErrorState } from '../../components/states'
import { formatCount } from '../../format'
import { useImportStore } from './import-store'

export function ImportResult() {
  const job = useImportStore((state) => state.importJob)
  if (job.status === 'failed' && job.error) return <ErrorState error={job.error} />
  if (job.status === 'cancelled') {
    return (
      <Alert color="gray" title="Import cancelled" data-testid="import-cancelled">
        Nothing was written. Press Import to start again.
      </Alert>
    )
  }
  if (job.status !== 'done' || !job.result) return null
  return (
    <Stack gap="md">
      {job.result.imports.map((summary) => (
        <SummaryCard key={summary.importId} summary={summary} />
      ))}
    </Stack>
  )
}

function SummaryCard({ summary }: { summary: ImportSummary }) {
  const exportQuarantine = useImportStore((state) => state.exportQuarantine)
  const exported = useImportStore((state) => state.quarantineExport)
  const already = summary.status === 'already_imported'
  return (
    <Card withBorder data-testid="import-result">
      <Stack gap="md">
        <Group justify="space-between">
          <div>
            <Text fw={700} size="lg">
              {already ? 'Already imported' : 'Imported'} — {summary.kind === 'events' ? 'activity events' : 'player summary'}
            </Text>
            <Text size="sm" c="dimmed">
              Import {summary.importId} · as of {summary.asOf} ({summary.asOfSource === 'title' ? "from the file's title row" : summary.asOfSource === 'option' ? 'set for this import' : 'today'})
              {summary.sheet ? ` · sheet ${summary.sheet}` : ''}
              {summary.headerRow !== undefined ? ` · header on row ${summary.headerRow}` : ''}
            </Text>
          </div>
          {already ? (
            <Badge color="blue" size="lg" variant="light" data-testid="already-imported-badge">
              Same content as import {summary.importId}: nothing added
            </Badge>
          ) : null}
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 5 }}>
          <Stat label={summary.kind === 'events' ? 'Events read' : 'Data rows read'} value={summary.rows} testId="result-rows" />
          <Stat label="Accepted" value={summary.accepted} testId="result-accepted" color="teal" />
          <Stat label="Quarantined" value={summary.rejected} testId="result-rejected" color={summary.rejected > 0 ? 'orange' : undefined} />
          <Stat label={summary.kind === 'events' ? 'Duplicate events' : 'Duplicate rows'} value={summary.duplicates} testId="result-duplicates" />
          <Stat label="Ambiguous dates" value={summary.ambiguousDates} testId="result-ambiguous" />
        </SimpleGrid>
        {summary.unknownColumns.length > 0 ? (
          <Text size="sm" c="dimmed">
            Not imported: {summary.unknownColumns.join(', ')}
          </Text>
        ) : null}
        {summary.warnings.length > 0 ? (
          <Stack gap={2}>
            {summary.warnings.slice(0, 20).map((warning, index) => (
              <Text key={index} size="sm" c="dimmed">
                Row {warning.row}: {warning.message}
              </Text>
            ))}
          </Stack>
        ) : null}
        {summary.errors.length > 0 ? (
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>Quarantined rows</Text>
              <Button size="xs" variant="light" onClick={() => void exportQuarantine(summary.importId)}>
                Export quarantine
              </Button>
            </Group>
            {exported && exported.importId === summary.importId ? (
              'error' in exported ? (
                <Text c="red" size="sm" role="alert">
                  {exported.error}
                </Text>
              ) : (
                <Text size="sm" data-testid="quarantine-exported">
                  {formatCount(exported.rows)} rows written to <code>{exported.path}</code>
                  {exported.download ? (
                    <>
                      {' · '}
                      <Anchor href={exported.download} download>
                        Download
                      </Anchor>
                    </>
                  ) : null}
                </Text>
              )
            ) : null}
            <ScrollArea.Autosize mah={320} type="auto">
              <Table striped withTableBorder fz="sm" data-testid="quarantine-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>Row</Table.Th>
                    <Table.Th w={180}>Column</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {summary.errors.map((error, index) => (
                    <Table.Tr key={`${error.row}-${index}`}>
                      <Table.Td>{error.row}</Table.Td>
                      <Table.Td>{error.column}</Table.Td>
                      <Table.Td>{error.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  )
}

export function Stat({ label, value, testId, color }: { label: string; value: number | string; testId?: string; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color} data-testid={testId}>
        {typeof value === 'number' ? formatCount(value) : value}
      </Text>
    </div>
  )
}
