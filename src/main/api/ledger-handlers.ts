import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { playerBalances } from '../ledger/balances'
import { confirmPayouts, exportPayouts, listPayouts, queuePayouts } from '../ledger/payouts'
import { adjust, runExpiry } from '../ledger/wallet'
import { ApiFailure } from '../../shared/api/result'
import { majorToMinor } from '../../shared/money'

/** Tickets expire this many days after they were credited unless the call says otherwise. */
export const ticketExpiryDaysDefault = 365
import { verifyLedger } from '../ledger/verify'
import { readEngineSettings } from '../ledger/settings-store'
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
      const result = await exportPayouts(services.database, { format, path: resolve(path), batch, overwrite, actor: operatorName(), minorDigits: readEngineSettings(services.database).currency.minorDigits }, at)
      return { ...result, queued }
    },
    'payouts/confirm': ({ path }) => confirmPayouts(services.database, { path: resolve(path), actor: operatorName() }, new Date().toISOString()),
    'payouts/list': (input) => listPayouts(services.database, input),
    'ledger/adjust': ({ actionId, playerId, currency, amount, reason, actor }) => {
      // Money in the workstation's currency, by its minor unit (Settings); points and tickets are whole.
      const moneyMinorDigits = readEngineSettings(services.database).currency.minorDigits
      const units = currency === 'BONUS' ? majorToMinor(amount, moneyMinorDigits) : amount
      const exact = currency === 'BONUS' ? Math.abs(amount * 10 ** moneyMinorDigits - units) < 1e-6 : Number.isSafeInteger(amount)
      if (!exact || !Number.isSafeInteger(units) || units === 0) {
        const rule = currency !== 'BONUS' || moneyMinorDigits === 0 ? 'are whole units' : `have at most ${moneyMinorDigits} decimal${moneyMinorDigits === 1 ? '' : 's'}`
        throw new ApiFailure('invalid_input', `${currency} adjustments ${rule}; ${amount} is not.`)
      }
      const result = adjust(services.database, { actionId: actionId ?? randomUUID(), playerId, currency, amount: units, reason, actor }, new Date().toISOString())
      return { transferId: result.transferId, alreadyPosted: result.alreadyPosted, amount: units, currency }
    },
    'ledger/expire': ({ asOf, ticketExpiryDays }) => {
      const cutoff = `${asOf}T23:59:59.999Z`
      const run = runExpiry(services.database, { asOf: cutoff, ticketExpiryDays: ticketExpiryDays ?? ticketExpiryDaysDefault })
      const points = (currency: 'LP' | 'RP') => run.points.expired.filter((each) => each.currency === currency).reduce((sum, each) => sum + each.points, 0)
      return {
        cutoff,
        lotsExpired: run.lots.expired.length,
        bonusExpired: run.lots.expired.reduce((sum, lot) => sum + lot.amount, 0),
        ticketsExpired: run.tickets.expired.reduce((sum, each) => sum + each.tickets, 0),
        pointsExpired: { LP: points('LP'), RP: points('RP') },
      }
    },
  } satisfies HandlerGroup
}

/** Who is acting, for the audit trail: the OS account running the app. */
export function operatorName(): string {
  try {
    return userInfo().username
  } catch {
    return 'operator'
  }
}
