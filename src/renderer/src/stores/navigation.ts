// UI state only: which screen is showing, the item inside it (#/players/<id>), and the file the
// operator last chose to open.
import { create } from 'zustand'
import { screenFromHash, type ScreenId } from '../screens/registry'

interface NavigationState {
  screen: ScreenId
  /** What follows the screen in the hash, decoded: a player id on #/players/<id>. */
  detail?: string
  pendingFile?: string
  go: (screen: ScreenId, detail?: string) => void
  openFile: (path: string) => void
}

export function detailFromHash(hash: string): string | undefined {
  const match = /^#\/?[^/?]+\/([^?]+)/.exec(hash)
  if (!match) return undefined
  try {
    return decodeURIComponent(match[1]!)
  } catch {
    return undefined
  }
}

export function hashFor(screen: ScreenId, detail?: string): string {
  return detail === undefined ? `#/${screen}` : `#/${screen}/${encodeURIComponent(detail)}`
}

export const useNavigation = create<NavigationState>((set) => ({
  screen: screenFromHash(window.location.hash),
  detail: detailFromHash(window.location.hash),
  go: (screen, detail) => {
    const hash = hashFor(screen, detail)
    if (window.location.hash !== hash) window.location.hash = hash
    set({ screen, detail })
  },
  openFile: (path) => {
    window.location.hash = '#/import'
    set({ screen: 'import', detail: undefined, pendingFile: path })
  },
}))

window.addEventListener('hashchange', () => {
  useNavigation.setState({ screen: screenFromHash(window.location.hash), detail: detailFromHash(window.location.hash) })
})
