import { Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

export function ScreenFrame({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Stack gap="lg" p="lg" component="section" aria-label={title}>
      <div>
        <Title order={2}>{title}</Title>
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      </div>
      {children}
    </Stack>
  )
}
