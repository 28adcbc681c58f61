// UI state only: which screen is showing and the file the operator last chose to open.
import { create } from 'zustand'
import { screenFromHash, type ScreenId } from '../screens/registry'

interface NavigationState {
  screen: ScreenId
  pendingFile?: string
  go: (screen: ScreenId) => void
  openFile: (path: string) => void
}

export const useNavigation = create<NavigationState>((set) => ({
  screen: screenFromHash(window.location.hash),
  go: (screen) => {
    if (window.location.hash !== `#/${screen}`) window.location.hash = `#/${screen}`
    set({ screen })
  },
  openFile: (path) => {
    window.location.hash = '#/import'
    set({ screen: 'import', pendingFile: path })
  },
}))

window.addEventListener('hashchange', () => {
  useNavigation.setState({ screen: screenFromHash(window.location.hash) })
})
