// What the Segments screen shows while its first counts load: the whole base is read into memory
// once (seconds on a large base, in a thread of its own), so say so rather than look frozen.
import { Card, Group, Loader, Skeleton, Stack, Text } from '@mantine/core'

export function SegmentsLoading() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading the segment counts" data-testid="segments-loading">
      <Card withBorder>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Loader size="sm" mt={2} />
          <Stack gap={2}>
            <Text fw={600}>Reading the player base for live counts…</Text>
            <Text size="sm" c="dimmed">
              The first time after new data this takes a while on a large base (up to half a minute for a million players); moving a threshold
              afterwards answers at once. Other screens stay usable meanwhile.
            </Text>
          </Stack>
        </Group>
      </Card>
      {Array.from({ length: 6 }, (_, index) => (
        <Skeleton key={index} height={28} radius="sm" />
      ))}
    </Stack>
  )
}
