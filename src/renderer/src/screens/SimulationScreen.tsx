// The Simulation screen (its parts live in ./simulation/).
import { StarterScreen } from './StarterScreen'

export function SimulationScreen() {
  return <StarterScreen id="simulation" />
}
