// The Segments screen (its parts live in ./segments/).
import { StarterScreen } from './StarterScreen'

export function SegmentsScreen() {
  return <StarterScreen id="segments" />
}
