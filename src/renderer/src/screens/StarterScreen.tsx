// Screens whose data comes from an import or an evaluation start here: until that data exists
// they say plainly what the operator should do next.
import { Button, Kbd, Text } from '@mantine/core'
import type { DatabaseInfo } from '../../../shared/api/types'
import { useApiQuery } from '../api/use-query'
import { EmptyState, ErrorState, LoadingState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { useNavigation } from '../stores/navigation'
import { screens, type ScreenId } from './registry'

interface StarterCopy {
  /** Table whose rows this screen is about; empty means the empty state shows. */
  table: string
  emptyTitle: string
  emptyText: string
  next?: { label: string; screen: ScreenId }
}

const copy: Partial<Record<ScreenId, StarterCopy>> = {
  dashboard: {
    table: 'players',
    emptyTitle: 'No players yet',
    emptyText: 'Import the player spreadsheet your platform exports to see players, GGR, reward cost and segments here.',
    next: { label: 'Import a spreadsheet', screen: 'import' },
  },
  players: {
    table: 'players',
    emptyTitle: 'No players yet',
    emptyText: 'Players appear here once a player summary spreadsheet has been imported.',
    next: { label: 'Import a spreadsheet', screen: 'import' },
  },
  rules: {
    table: 'reward_rules',
    emptyTitle: 'No reward rules yet',
    emptyText: 'Reward rules decide who gets which reward. Each rule is checked against profit safety and caps before anything is issued.',
  },
  segments: {
    table: 'players',
    emptyTitle: 'Nothing to segment yet',
    emptyText: 'Segment counts (NEW, VIP, WINNING, BREAKEVEN, LOSING) and threshold checks need imported players.',
    next: { label: 'Import a spreadsheet', screen: 'import' },
  },
  simulation: {
    table: 'players',
    emptyTitle: 'Nothing to simulate yet',
    emptyText: 'A what-if run evaluates a changed configuration over the whole player base without touching the ledger. Import players first.',
    next: { label: 'Import a spreadsheet', screen: 'import' },
  },
  reports: {
    table: 'evaluations',
    emptyTitle: 'No evaluations yet',
    emptyText: 'Reports need at least one evaluation of the reward rules over imported players.',
    next: { label: 'Import a spreadsheet', screen: 'import' },
  },
  review: {
    table: 'review_items',
    emptyTitle: 'Nothing to review',
    emptyText: 'Players whose abuse score crosses the review band appear here with the signals behind it.',
  },
}

export function StarterScreen({ id }: { id: ScreenId }) {
  const screen = screens.find((each) => each.id === id) ?? screens[0]
  const info = useApiQuery('db/info', {})
  const go = useNavigation((state) => state.go)
  const text = copy[id]
  return (
    <ScreenFrame title={screen.label} description={screen.description}>
      {info.error ? <ErrorState error={info.error} onRetry={info.reload} /> : null}
      {!info.data && !info.error ? <LoadingState /> : null}
      {info.data && text && rowsIn(info.data, text.table) === 0 ? (
        <EmptyState
          title={text.emptyTitle}
          action={text.next ? <Button onClick={() => go(text.next!.screen)}>{text.next.label}</Button> : undefined}
        >
          {text.emptyText}
        </EmptyState>
      ) : null}
      {info.data && id === 'settings' ? (
        <Text c="dimmed">
          Settings are kept in the database at {info.data.path}. Press <Kbd>Ctrl</Kbd> + <Kbd>,</Kbd> in the desktop app to come back here.
        </Text>
      ) : null}
    </ScreenFrame>
  )
}

function rowsIn(info: DatabaseInfo, table: string): number {
  return info.tables.find((each) => each.name === table)?.rows ?? 0
}
