// The header's job indicator: every long job running (import, process, verify, exports…), its
// progress and a Cancel, from any screen. Empty space of the same width when nothing runs, so the
// header never shifts.
import { Button, Group, Popover, Progress, RingProgress, Stack, Text, UnstyledButton } from '@mantine/core'
import { useEffect, useState } from 'react'
import { formatCount, formatDuration } from '../format'
import { useJobs, type RunningJob } from '../stores/jobs'

const width = 190

function fraction(job: RunningJob): number | undefined {
  const progress = job.progress
  return progress?.total ? Math.min(1, progress.done / progress.total) : undefined
}

export function JobIndicator() {
  const running = useJobs((state) => state.running)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (running.length === 0) return
    const timer = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(timer)
  }, [running.length])
  if (running.length === 0) return <div style={{ width }} aria-hidden="true" />
  const first = running[0]!
  const share = fraction(first)
  const label = running.length === 1 ? first.label : `${running.length} jobs running`
  return (
    <Popover position="bottom-end" width={340} shadow="md" withArrow>
      <Popover.Target>
        <UnstyledButton data-testid="job-indicator" aria-label={`Running: ${label}. Show progress`} style={{ width }}>
          <Group gap={8} wrap="nowrap" justify="flex-end">
            <RingProgress size={30} thickness={4} roundCaps sections={[{ value: share !== undefined ? share * 100 : 25, color: 'teal' }]} />
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} truncate>
                {label}
              </Text>
              <Text size="xs" c="dimmed">
                {share !== undefined ? `${Math.round(share * 100)}%` : 'working…'}
              </Text>
            </div>
          </Group>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="md" data-testid="job-list">
          {running.map((job) => {
            const jobShare = fraction(job)
            return (
              <Stack key={job.id} gap={4}>
                <Group justify="space-between" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {job.label}
                  </Text>
                  <Button size="compact-xs" variant="light" color="red" onClick={job.cancel}>
                    Cancel
                  </Button>
                </Group>
                <Progress value={jobShare !== undefined ? jobShare * 100 : 100} animated striped={jobShare === undefined} aria-label={`${job.label} progress`} />
                <Text size="xs" c="dimmed">
                  {job.progress?.message ?? (job.progress ? `${formatCount(job.progress.done)} ${job.progress.unit}` : 'Starting…')} · {formatDuration((now - job.startedAt) / 1000)} elapsed
                </Text>
              </Stack>
            )
          })}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}
