import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { playerBalances } from '../ledger/balances'
import { confirmPayouts, exportPayouts, listPayouts, queuePayouts } from '../ledger/payouts'
import { verifyLedger } from '../ledger/verify'
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function ledgerHandlers(services: Services) {
  return {
    'ledger/verify': () => verifyLedger(services.database),
    'ledger/balances': ({ playerId }) => playerBalances(services.database, playerId),
    'payouts/export': async ({ path, batch, overwrite }) => {
      const at = new Date().toISOString()
      const { queued } = queuePayouts(services.database, 'all-rewards', at)
      const format = path.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv'
      const result = await exportPayouts(services.database, { format, path: resolve(path), batch, overwrite, actor: operatorName() }, at)
      return { ...result, queued }
    },
    'payouts/confirm': ({ path }) => confirmPayouts(services.database, { path: resolve(path), actor: operatorName() }, new Date().toISOString()),
    'payouts/list': (input) => listPayouts(services.database, input),
  } satisfies HandlerGroup
}

function operatorName(): string {
  try {
    return userInfo().username
  } catch {
    return 'operator'
  }
}
