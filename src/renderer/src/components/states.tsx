// The three states every screen has besides its content: loading, empty and error.
import { Alert, Button, Center, Group, Skeleton, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import type { ApiError } from '../../../shared/api/result'

export function LoadingState({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap="sm" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={28} radius="sm" />
      ))}
    </Stack>
  )
}

export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Center mih={260} data-testid="empty-state">
      <Stack align="center" gap="xs" maw={520}>
        <Title order={3}>{title}</Title>
        <Text c="dimmed" ta="center">
          {children}
        </Text>
        {action ? <Group mt="sm">{action}</Group> : null}
      </Stack>
    </Center>
  )
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <Alert color="red" title="This could not be loaded" role="alert">
      <Stack gap="xs">
        <Text size="sm">{error.message}</Text>
        {onRetry ? (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  )
}
