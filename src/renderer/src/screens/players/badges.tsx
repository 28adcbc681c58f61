import { Badge } from '@mantine/core'

const segmentColors: Record<string, string> = { NEW: 'blue', VIP: 'grape', WINNING: 'red', BREAKEVEN: 'gray', LOSING: 'teal' }
const outcomeColors: Record<string, string> = { issued: 'teal', reduced: 'yellow', blocked: 'red' }

export function SegmentBadge({ segment }: { segment: string }) {
  return (
    <Badge variant="light" color={segmentColors[segment] ?? 'gray'}>
      {segment}
    </Badge>
  )
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return (
    <Badge variant="filled" color={outcomeColors[outcome] ?? 'gray'}>
      {outcome}
    </Badge>
  )
}
