import { ActionIcon, AppShell, Burger, Group, NavLink, ScrollArea, Text, Title, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useEffect, type ComponentType } from 'react'
import { useNavigation } from './stores/navigation'
import { screens, isScreenId, type ScreenId } from './screens/registry'
import { AboutScreen } from './screens/AboutScreen'
import { ImportScreen } from './screens/ImportScreen'
import { PlayersScreen } from './screens/PlayersScreen'
import { DashboardScreen } from './screens/DashboardScreen'
import { RulesScreen } from './screens/RulesScreen'
import { SegmentsScreen } from './screens/SegmentsScreen'
import { TiersScreen } from './screens/TiersScreen'
import { SimulationScreen } from './screens/SimulationScreen'
import { ReportsScreen } from './screens/ReportsScreen'
import { ReviewScreen } from './screens/ReviewScreen'
import { LedgerScreen } from './screens/LedgerScreen'
import { SettingsScreen } from './screens/SettingsScreen'
import { JobIndicator } from './shell/JobIndicator'
import { ShortcutHelp } from './shell/ShortcutHelp'
import { useShortcuts } from './shell/shortcuts'

export function App() {
  const [navOpened, { toggle: toggleNav }] = useDisclosure()
  const [helpOpened, help] = useDisclosure()
  const screen = useNavigation((state) => state.screen)
  const go = useNavigation((state) => state.go)
  const openFile = useNavigation((state) => state.openFile)

  useEffect(() => {
    // Menu actions from the desktop shell (File → Open, Help → About …).
    return window.loyalty?.onAppEvent((event) => {
      if (event.type === 'open-file') openFile(event.path)
      if (event.type === 'navigate' && isScreenId(event.screen)) go(event.screen)
    })
  }, [go, openFile])

  useShortcuts({ go, showHelp: help.open })

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={navOpened} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={4}>Loyalty Workstation</Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <JobIndicator />
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon variant="default" size="lg" aria-label="Keyboard shortcuts" onClick={help.open}>
                <span aria-hidden="true">?</span>
              </ActionIcon>
            </Tooltip>
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Screens">
        <AppShell.Section grow component={ScrollArea}>
          {screens.map((each) => (
            <NavLink
              key={each.id}
              href={`#/${each.id}`}
              label={each.label}
              active={screen === each.id}
              onClick={(event) => {
                event.preventDefault()
                go(each.id)
              }}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm">
            Offline workstation · data stays on this machine
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <CurrentScreen screen={screen} />
      </AppShell.Main>
      <ShortcutHelp opened={helpOpened} onClose={help.close} />
    </AppShell>
  )
}

const screenComponents: Record<ScreenId, ComponentType> = {
  dashboard: DashboardScreen,
  import: ImportScreen,
  players: PlayersScreen,
  rules: RulesScreen,
  segments: SegmentsScreen,
  tiers: TiersScreen,
  simulation: SimulationScreen,
  reports: ReportsScreen,
  review: ReviewScreen,
  ledger: LedgerScreen,
  settings: SettingsScreen,
  about: AboutScreen,
}

function CurrentScreen({ screen }: { screen: ScreenId }) {
  const Screen = screenComponents[screen]
  return <Screen key={screen} />
}

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme()
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false })
  const next = computed === 'dark' ? 'light' : 'dark'
  return (
    <Tooltip label={`Switch to ${next} theme`}>
      <ActionIcon variant="default" size="lg" aria-label={`Switch to ${next} theme`} onClick={() => setColorScheme(next)}>
        <span aria-hidden="true">{computed === 'dark' ? '☀' : '☾'}</span>
      </ActionIcon>
    </Tooltip>
  )
}
