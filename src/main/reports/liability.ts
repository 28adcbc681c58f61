// Outstanding liability: what the programme still owes its players, in money — unredeemed RP
// and LP, bonus money (and the wagering still to do on open lots), unused tickets. It is a stock,
// read from the ledger's balances as they stand, not a flow over a range.
import type { LiabilityReport, LiabilityRow } from '../../shared/api/types-reports'
import { dateOfDay, dayNumber } from '../engine/dates'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'

const order = ['BONUS', 'RP', 'LP', 'TICKETS'] as const
const expiringWithinDays = 7

export function liabilityReport(database: LedgerDatabase, now: string): LiabilityReport {
  const settings = readEngineSettings(database)
  const scale = 10 ** settings.currency.minorDigits
  const { pointValues } = settings
  const balances = database
    .readRaw('SELECT currency, SUM(CASE WHEN balance > 0 THEN 1 ELSE 0 END) AS holders, COALESCE(SUM(balance), 0) AS outstanding FROM ledger_accounts WHERE player_id IS NOT NULL GROUP BY currency')
    .all() as { currency: LiabilityRow['currency']; holders: number; outstanding: number }[]
  const unit: Record<LiabilityRow['currency'], { value: number; expected: number }> = {
    BONUS: { value: 1, expected: 1 },
    RP: { value: pointValues.rewardPoint * scale, expected: pointValues.rewardPoint * scale * pointValues.rewardPointRedemptionRate },
    LP: { value: pointValues.loyaltyPoint * scale, expected: pointValues.loyaltyPoint * scale },
    TICKETS: { value: pointValues.ticket * scale, expected: pointValues.ticket * scale },
  }
  const rows = order.map((currency): LiabilityRow => {
    const found = balances.find((each) => each.currency === currency)
    const outstanding = found?.outstanding ?? 0
    return {
      currency,
      holders: found?.holders ?? 0,
      outstanding,
      unitValue: unit[currency].value,
      value: Math.round(outstanding * unit[currency].value),
      expectedValue: Math.round(outstanding * unit[currency].expected),
    }
  })
  const soon = `${dateOfDay(dayNumber(now) + expiringWithinDays)}${now.slice(10)}`
  const lots = database
    .readRaw(
      'SELECT COUNT(*) AS open, COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(wagering_target - wagering_progress), 0) AS remainingWagering, ' +
        "COALESCE(SUM(CASE WHEN expires_at IS NOT NULL AND expires_at <= @soon THEN 1 ELSE 0 END), 0) AS expiringSoon FROM bonus_lots WHERE status = 'open'",
    )
    .get({ soon }) as LiabilityReport['lots']
  return {
    generatedAt: now,
    currency: settings.currency,
    rows,
    lots,
    total: { value: rows.reduce((sum, row) => sum + row.value, 0), expectedValue: rows.reduce((sum, row) => sum + row.expectedValue, 0) },
  }
}
