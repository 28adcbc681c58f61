// The Ledger screen (its parts live in ./ledger/).
import { StarterScreen } from './StarterScreen'

export function LedgerScreen() {
  return <StarterScreen id="ledger" />
}
