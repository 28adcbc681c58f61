import { playerBalances } from '../ledger/balances'
import { verifyLedger } from '../ledger/verify'
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function ledgerHandlers(services: Services) {
  return {
    'ledger/verify': () => verifyLedger(services.database),
    'ledger/balances': ({ playerId }) => playerBalances(services.database, playerId),
  } satisfies HandlerGroup
}
