// The Review screen (its parts live in ./review/).
import { StarterScreen } from './StarterScreen'

export function ReviewScreen() {
  return <StarterScreen id="review" />
}
