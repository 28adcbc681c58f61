// The player accounts of a large post, resolved once for the whole post instead of per batch.
// Posting an evaluation's rewards touches about one account per issued decision, and looking each
// batch's players and accounts up by external id (json_each joins) was a tenth of the ledger step
// at a million players. Here the accounts are read in one scan and every batch finds its account
// ids in typed arrays; the accounts a batch creates are remembered for the next. (Creating all the
// missing accounts up front, in player order, measured slower: each batch's balance updates then
// touched pages across the whole table instead of the few its own new accounts filled.)
import { currencyCodes } from '../../shared/money'
import type { LedgerDatabase } from './database'
import type { KnownAccounts } from './transfers'

export class AccountDirectory implements KnownAccounts {
  private constructor(
    private readonly rowIds: ReadonlyMap<string, number>,
    /** Per currency index, by players.id: the account id, 0 = none. */
    private readonly ids: Float64Array[],
  ) {}

  /** Every player account in the database, for the players of `playerRowIds` (players.id by external id). */
  static load(database: LedgerDatabase, playerRowIds: ReadonlyMap<string, number>): AccountDirectory {
    let maxRowId = 0
    for (const rowId of playerRowIds.values()) if (rowId > maxRowId) maxRowId = rowId
    const ids = currencyCodes.map(() => new Float64Array(maxRowId + 1))
    const currencyIndex = new Map<string, number>(currencyCodes.map((code, index) => [code, index]))
    const rows = database.iterateRows('SELECT id, player_id, currency FROM ledger_accounts WHERE player_id IS NOT NULL') as IterableIterator<[number, number, string]>
    for (const [id, playerRowId, currency] of rows) {
      const index = currencyIndex.get(currency)
      if (index !== undefined && playerRowId <= maxRowId) ids[index]![playerRowId] = id
    }
    return new AccountDirectory(playerRowIds, ids)
  }

  playerRowId(externalId: string): number | undefined {
    return this.rowIds.get(externalId)
  }

  accountId(playerRowId: number, currency: number): number {
    return this.ids[currency]![playerRowId] ?? 0
  }

  remember(playerRowId: number, currency: number, accountId: number): void {
    const ids = this.ids[currency]!
    if (playerRowId < ids.length) ids[playerRowId] = accountId
  }
}
