// A running job's bar: how far, rows per second, time left, and Cancel.
import { Button, Card, Group, Progress, Stack, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import { jobRates, type JobState } from '../../api/job'
import { formatCount, formatDuration } from '../../format'

export function JobProgress({ job, title, onCancel, testId }: { job: JobState<unknown>; title: string; onCancel: () => void; testId: string }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (job.status !== 'running') return
    const timer = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(timer)
  }, [job.status])
  if (job.status !== 'running') return null
  const rates = jobRates(job, now)
  const percent = rates.fraction !== undefined ? Math.round(rates.fraction * 100) : undefined
  return (
    <Card withBorder data-testid={testId} aria-live="polite">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{title}</Text>
          <Button variant="light" color="red" size="xs" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
        <Progress value={percent ?? 100} animated striped={percent === undefined} aria-label={`${title} progress`} />
        <Group gap="lg">
          <Text size="sm">{percent !== undefined ? `${percent}%` : 'Working…'}</Text>
          {job.progress?.message ? <Text size="sm">{job.progress.message}</Text> : null}
          {rates.rowsPerSecond !== undefined ? <Text size="sm">{formatCount(rates.rowsPerSecond)} rows/s</Text> : null}
          <Text size="sm" c="dimmed">
            {rates.etaSeconds !== undefined ? `about ${formatDuration(rates.etaSeconds)} left` : 'estimating time left…'}
          </Text>
        </Group>
      </Stack>
    </Card>
  )
}
