// Ledger: search the transfers, verify the books, export and confirm payouts, and adjust a
// player's balance by hand. Pieces are in ./ledger/.
import { SimpleGrid } from '@mantine/core'
import { ScreenFrame } from '../components/ScreenFrame'
import { useMoney } from '../stores/money'
import { useNavigation } from '../stores/navigation'
import { AdjustPanel } from './ledger/AdjustPanel'
import { useLedgerStore } from './ledger/ledger-store'
import { PayoutsPanel } from './ledger/PayoutsPanel'
import { TransfersPanel } from './ledger/TransfersPanel'
import { VerifyPanel } from './ledger/VerifyPanel'

export function LedgerScreen() {
  const money = useMoney()
  const generation = useLedgerStore((state) => state.generation)
  // #/ledger/<player id> opens the search on that player's transfers.
  const detail = useNavigation((state) => state.detail)
  return (
    <ScreenFrame title="Ledger" description="Transfers, verification, payouts and adjustments. The ledger is append-only: every movement is a transfer between two accounts.">
      <TransfersPanel money={money} generation={generation} initialPlayer={detail} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <VerifyPanel money={money} />
        <PayoutsPanel money={money} />
      </SimpleGrid>
      <AdjustPanel money={money} />
    </ScreenFrame>
  )
}
