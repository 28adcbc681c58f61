// The Dashboard screen (its parts live in ./dashboard/).
import { StarterScreen } from './StarterScreen'

export function DashboardScreen() {
  return <StarterScreen id="dashboard" />
}
