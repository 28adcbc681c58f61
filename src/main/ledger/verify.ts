// `loyalty verify`: recompute everything the ledger promises from the transfers themselves —
// the hash chain, every balance, that the books balance per currency — and run SQLite's own
// integrity check. Every discrepancy is reported; nothing is repaired silently.
import type { VerifyFinding, VerifyReport } from '../../shared/api/types'
import { currencyCodes, type Currency } from '../../shared/money'
import type { LedgerDatabase } from './database'
import { genesisHash, transferHash, type HashedTransfer } from './transfers'

/** Stop listing after this many findings of one kind; the count still says how many there were. */
export const verifyFindingsPerKindMax = 100

export function verifyLedger(database: LedgerDatabase): VerifyReport {
  const findings: VerifyFinding[] = []
  const perKind = new Map<string, number>()
  const report = (finding: VerifyFinding) => {
    const seen = (perKind.get(finding.kind) ?? 0) + 1
    perKind.set(finding.kind, seen)
    if (seen <= verifyFindingsPerKindMax) findings.push(finding)
  }
  for (const problem of database.integrityProblems()) report({ kind: 'integrity', message: `SQLite integrity check: ${problem}` })

  const recomputed = new Map<number, number>()
  let previousHash = genesisHash
  let transfers = 0
  const rows = database
    .readRaw(
      `SELECT id, idempotency_key AS idempotencyKey, debit_account_id AS debitAccountId, credit_account_id AS creditAccountId, currency, amount, kind, reason,
              source_type AS sourceType, source_id AS sourceId, lot_id AS lotId, reverses_transfer_id AS reversesTransferId, created_at AS createdAt,
              hash
       FROM ledger_transfers ORDER BY id`,
    )
    .iterate() as IterableIterator<HashedTransfer & { id: number; hash: string }>
  for (const row of rows) {
    transfers += 1
    // Each hash covers the previous transfer's hash: a changed, removed or inserted transfer
    // breaks the chain at that point. After a break, go on from the stored hash to find the next.
    if (transferHash(previousHash, row) !== row.hash) {
      report({
        kind: 'hash_chain',
        transferId: row.id,
        message: `Transfer ${row.id} (${row.idempotencyKey}) does not match the hash chain: it, or the transfer before it, was changed, removed or inserted after it was written.`,
      })
    }
    previousHash = row.hash
    recomputed.set(row.debitAccountId, (recomputed.get(row.debitAccountId) ?? 0) - row.amount)
    recomputed.set(row.creditAccountId, (recomputed.get(row.creditAccountId) ?? 0) + row.amount)
  }

  const totals: VerifyReport['totals'] = { LP: 0, RP: 0, BONUS: 0, TICKETS: 0 }
  const books = Object.fromEntries(currencyCodes.map((code) => [code, 0])) as Record<Currency, number>
  const accounts = database
    .readRaw(
      `SELECT a.id, a.currency, a.balance, a.system_name AS systemName, p.external_id AS playerId
       FROM ledger_accounts a LEFT JOIN players p ON p.id = a.player_id ORDER BY a.id`,
    )
    .all() as { id: number; currency: Currency; balance: number; systemName: string | null; playerId: string | null }[]
  for (const account of accounts) {
    const owner = account.playerId !== null ? `player ${account.playerId}` : `system account ${account.systemName}`
    const expected = recomputed.get(account.id) ?? 0
    if (account.balance !== expected) {
      report({
        kind: 'balance',
        accountId: account.id,
        message: `The ${account.currency} balance of ${owner} is ${account.balance}, but its transfers add up to ${expected}.`,
      })
    }
    books[account.currency] += account.balance
    if (account.playerId !== null) {
      totals[account.currency] += account.balance
      if (account.balance < 0) report({ kind: 'negative_balance', accountId: account.id, message: `The ${account.currency} balance of ${owner} is negative (${account.balance}).` })
    }
  }
  for (const code of currencyCodes) {
    if (books[code] !== 0) report({ kind: 'unbalanced_books', message: `The ${code} books do not balance: all accounts add up to ${books[code]}, not 0.` })
  }
  for (const [kind, count] of perKind) {
    if (count > verifyFindingsPerKindMax) findings.push({ kind: kind as VerifyFinding['kind'], message: `… and ${count - verifyFindingsPerKindMax} more ${kind} finding(s).` })
  }
  return { ok: findings.length === 0, transfers, totals, findings }
}
