// The Tiers screen (its parts live in ./tiers/).
import { StarterScreen } from './StarterScreen'

export function TiersScreen() {
  return <StarterScreen id="tiers" />
}
