// Fixtures shared by the process tests: an LP rule, a small player summary sheet, and a ledger
// whose profit-safety check does not bind (so amounts are the rules' own).
import { join } from 'node:path'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { writeSetting } from '../../src/main/ledger/settings-store'

export const lpRule = { rule_id: 'LP_PER_SESSION', conditions: { sessions_min: 1 }, reward: { type: 'LP', formula: 'sessions * 10' }, frequency: 'daily' }

// Three losing regulars who deposited recently (cashback), one winner, one with too few sessions.
export const sheet = [
  'Player summary — exported 2026-01-31',
  'Player ID,Total Deposited,Turnover,Winnings,Sessions,Last Deposit Date,Registration Date',
  'P1,"50,000.00","100,000.00","90,000.00",40,2026-01-28,2025-06-01',
  'P2,"20,000.00","30,000.00","28,000.00",12,2026-01-30,2025-06-01',
  'P3,"2,000.00","3,000.00","2,000.00",2,2026-01-30,2025-06-01',
  'P4,"1,000.00","5,000.00","9,000.00",8,2026-01-20,2025-06-01',
  'P5,-1,100,50,1,,',
].join('\n')

/** A ledger whose profit-safety check does not bind, so the amounts are the rules' own. */
export function openLedger(dir: string): LedgerDatabase {
  const database = LedgerDatabase.open({ path: join(dir, 'ledger.sqlite') })
  database.write((transaction) => writeSetting(transaction, 'engine', { safetyFactor: 1, marginHorizonDays: 365 }, '2026-01-01T00:00:00.000Z'))
  return database
}
