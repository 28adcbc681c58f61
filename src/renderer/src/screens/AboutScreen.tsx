import { Badge, Card, Group, SimpleGrid, Table, Text } from '@mantine/core'
import { useApiQuery } from '../api/use-query'
import { ErrorState, LoadingState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { formatBytes, formatCount } from '../format'

export function AboutScreen() {
  const info = useApiQuery('system/info', {})
  return (
    <ScreenFrame title="About" description="Version, runtime and the database this workstation is using.">
      {info.error ? <ErrorState error={info.error} onRetry={info.reload} /> : null}
      {!info.data && !info.error ? <LoadingState rows={6} /> : null}
      {info.data ? (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Text fw={600} mb="xs">
                {info.data.product}
              </Text>
              <Table variant="vertical" layout="fixed" withRowBorders={false}>
                <Table.Tbody>
                  <Row label="Version" value={info.data.version} testId="about-version" />
                  <Row label="Running as" value={runtimeLabel(info.data.runtime)} />
                  <Row label="Data folder" value={info.data.dataDir} />
                  <Row label="SQLite" value={info.data.versions.sqlite} />
                  <Row label="Node.js" value={info.data.versions.node} />
                  {info.data.versions.electron ? <Row label="Electron" value={info.data.versions.electron} /> : null}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Group justify="space-between" mb="xs">
                <Text fw={600}>Database</Text>
                <Badge variant="light" data-testid="about-schema-version">
                  Schema version {info.data.database.schemaVersion} of {info.data.database.latestSchemaVersion}
                </Badge>
              </Group>
              <Table variant="vertical" layout="fixed" withRowBorders={false}>
                <Table.Tbody>
                  <Row label="File" value={info.data.database.path} testId="about-db-path" />
                  <Row label="Size" value={formatBytes(info.data.database.sizeBytes)} />
                  <Row label="Latest migration" value={info.data.database.schemaTag} />
                  <Row label="Journal" value={info.data.database.journalMode.toUpperCase()} />
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Text fw={600} mb="xs">
              Rows per table
            </Text>
            <Table striped highlightOnHover data-testid="about-tables">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Table</Table.Th>
                  <Table.Th ta="right">Rows</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {info.data.database.tables.map((table) => (
                  <Table.Tr key={table.name}>
                    <Table.Td>{table.name}</Table.Td>
                    <Table.Td ta="right">{formatCount(table.rows)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </>
      ) : null}
    </ScreenFrame>
  )
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Table.Tr>
      <Table.Th w={150}>{label}</Table.Th>
      <Table.Td data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  )
}

function runtimeLabel(runtime: string): string {
  if (runtime === 'electron') return 'Desktop app'
  if (runtime === 'web') return 'Browser (local web host)'
  return runtime
}
