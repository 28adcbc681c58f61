// The Settings screen (its parts live in ./settings/).
import { StarterScreen } from './StarterScreen'

export function SettingsScreen() {
  return <StarterScreen id="settings" />
}
