import { Card, List, Text } from '@mantine/core'
import { useApiQuery } from '../api/use-query'
import { EmptyState, ErrorState, LoadingState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { useNavigation } from '../stores/navigation'

export function ImportScreen() {
  const recent = useApiQuery('files/recent', {})
  const pendingFile = useNavigation((state) => state.pendingFile)
  return (
    <ScreenFrame title="Import" description="Player summary spreadsheets (XLSX, CSV) and activity event files (CSV, XLSX, JSONL).">
      {pendingFile ? (
        <Card withBorder data-testid="pending-file">
          <Text fw={600}>Selected file</Text>
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            {pendingFile}
          </Text>
        </Card>
      ) : null}
      {recent.error ? <ErrorState error={recent.error} onRetry={recent.reload} /> : null}
      {!recent.data && !recent.error ? <LoadingState rows={2} /> : null}
      {recent.data && recent.data.files.length === 0 && !pendingFile ? (
        <EmptyState title="No spreadsheet opened yet">
          In the desktop app, choose File → Open Spreadsheet… (Ctrl+O). From a terminal, `npx loyalty --help` lists the batch commands.
        </EmptyState>
      ) : null}
      {recent.data && recent.data.files.length > 0 ? (
        <Card withBorder>
          <Text fw={600} mb="xs">
            Recent files
          </Text>
          <List size="sm" spacing={4}>
            {recent.data.files.map((file) => (
              <List.Item key={file.path}>
                {file.path}{' '}
                <Text span c="dimmed" size="xs">
                  {new Date(file.openedAt).toLocaleString()}
                </Text>
              </List.Item>
            ))}
          </List>
        </Card>
      ) : null}
    </ScreenFrame>
  )
}
