// The Reports screen (its parts live in ./reports/).
import { StarterScreen } from './StarterScreen'

export function ReportsScreen() {
  return <StarterScreen id="reports" />
}
