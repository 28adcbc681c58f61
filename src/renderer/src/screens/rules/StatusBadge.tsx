import { Badge } from '@mantine/core'

const statusColors: Record<string, string> = { active: 'teal', draft: 'blue', paused: 'yellow', archived: 'gray' }

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="light" color={statusColors[status] ?? 'gray'} data-testid="rule-status">
      {status}
    </Badge>
  )
}
