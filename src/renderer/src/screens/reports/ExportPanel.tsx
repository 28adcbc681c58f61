// "Export to Excel": every report for the chosen range in one workbook, with progress and Cancel,
// then where the file is (and a download link in the browser).
import { Alert, Anchor, Button, Card, Group, Stack, Text } from '@mantine/core'
import type { ProfitGranularity } from '../../../../shared/api/types-reports'
import { formatBytes } from '../../format'
import { JobProgress } from '../import/JobProgress'
import { useReportExport } from './export-store'

export function ExportPanel({ range, granularity }: { range: { from?: string; to?: string }; granularity: ProfitGranularity }) {
  const job = useReportExport((state) => state.job)
  const run = useReportExport((state) => state.run)
  const cancel = useReportExport((state) => state.cancel)
  return (
    <Stack gap="xs">
      <Group justify="flex-end">
        <Button onClick={() => void run({ ...range, granularity })} loading={job.status === 'running'} data-testid="export-reports">
          Export to Excel
        </Button>
      </Group>
      <JobProgress job={job} title="Writing the reports workbook" onCancel={cancel} testId="export-progress" />
      {job.status === 'done' && job.result ? (
        <Card withBorder data-testid="export-done">
          <Text size="sm">
            Wrote {job.result.sheets.length} sheets ({job.result.sheets.map((sheet) => sheet.name).join(', ')}), {formatBytes(job.result.bytes)}
            {job.result.download ? (
              <>
                {' — '}
                <Anchor href={job.result.download} download data-testid="export-download">
                  Download the workbook
                </Anchor>
              </>
            ) : (
              <>
                {' to '}
                <code>{job.result.path}</code>
              </>
            )}
          </Text>
        </Card>
      ) : null}
      {job.status === 'failed' || job.status === 'cancelled' ? (
        <Alert color={job.status === 'cancelled' ? 'gray' : 'red'} title={job.status === 'cancelled' ? 'Export cancelled' : 'The export failed'}>
          {job.error?.message ?? 'Nothing was written.'}
        </Alert>
      ) : null}
    </Stack>
  )
}
