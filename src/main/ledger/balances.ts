import { ApiFailure } from '../../shared/api/result'
import type { PlayerBalances } from '../../shared/api/types'
import type { LedgerDatabase } from './database'

export function playerBalances(database: LedgerDatabase, playerId: string): PlayerBalances {
  const player = database.readRaw('SELECT id FROM players WHERE external_id = ?').get(playerId) as { id: number } | undefined
  if (!player) throw new ApiFailure('not_found', `There is no player ${playerId} in this database.`)
  const balances: PlayerBalances['balances'] = { LP: 0, RP: 0, BONUS: 0, TICKETS: 0 }
  const rows = database.readRaw('SELECT currency, balance FROM ledger_accounts WHERE player_id = ?').all(player.id) as { currency: keyof PlayerBalances['balances']; balance: number }[]
  for (const row of rows) balances[row.currency] = row.balance
  return { playerId, balances }
}
