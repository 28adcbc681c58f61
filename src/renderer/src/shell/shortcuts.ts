// Keyboard shortcuts for the main actions. Ctrl on Windows/Linux, ⌘ on macOS; the single-key ones
// ("/", "?", "n") only when the operator is not typing in a field.
import { useEffect } from 'react'
import type { ScreenId } from '../screens/registry'

export interface Shortcut {
  keys: string[]
  action: string
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
export const modifierLabel = isMac ? '⌘' : 'Ctrl'

export const shortcutList: Shortcut[] = [
  { keys: [modifierLabel, 'O'], action: 'Open a spreadsheet (Import)' },
  { keys: [modifierLabel, 'K'], action: 'Search for a player' },
  { keys: ['/'], action: 'Search for a player' },
  { keys: [modifierLabel, 'N'], action: 'New reward rule' },
  { keys: ['N'], action: 'New reward rule' },
  { keys: [modifierLabel, ','], action: 'Settings (desktop app)' },
  { keys: ['?'], action: 'Show these shortcuts' },
]

export interface ShortcutActions {
  go: (screen: ScreenId, detail?: string) => void
  showHelp: () => void
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Waits (up to a few seconds) for an element of the screen just opened, then acts on it. */
function whenPresent(selector: string, act: (element: HTMLElement) => void, deadline = Date.now() + 4000): void {
  const element = document.querySelector<HTMLElement>(selector)
  if (element) act(element)
  else if (Date.now() < deadline) setTimeout(() => whenPresent(selector, act, deadline), 30)
}

export const targets = {
  importFile: '[data-testid="import-file-input"]',
  playerSearch: 'section[aria-label="Players"] input[type="text"], section[aria-label="Players"] input:not([type])',
}

export function useShortcuts({ go, showHelp }: ShortcutActions): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey) return
      const key = event.key.toLowerCase()
      const command = isMac ? event.metaKey : event.ctrlKey
      const openFile = () => {
        go('import')
        // The desktop app's File → Open (same accelerator) shows the native dialog itself.
        if (!window.loyalty) whenPresent(targets.importFile, (input) => input.click())
      }
      const searchPlayer = () => {
        go('players')
        whenPresent(targets.playerSearch, (input) => input.focus())
      }
      if (command && !event.shiftKey) {
        if (key === 'o' && !window.loyalty) return (event.preventDefault(), openFile())
        if (key === 'k') return (event.preventDefault(), searchPlayer())
        if (key === 'n') return (event.preventDefault(), go('rules', 'new'))
        return
      }
      if (event.ctrlKey || event.metaKey || typing(event.target)) return
      if (event.key === '/') return (event.preventDefault(), searchPlayer())
      if (event.key === '?') return (event.preventDefault(), showHelp())
      if (key === 'n' && !event.shiftKey) return (event.preventDefault(), go('rules', 'new'))
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [go, showHelp])
}
