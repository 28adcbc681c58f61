// The Rules screen (its parts live in ./rules/).
import { StarterScreen } from './StarterScreen'

export function RulesScreen() {
  return <StarterScreen id="rules" />
}
