// The tier ladder as the Tiers screen edits it (setting "tiers", read by processing through
// loadTierLadder), with how many players hold each tier as of the last processing.
import { ApiFailure } from '../../shared/api/result'
import type { TierLadderView } from '../../shared/api/types-desk'
import { parseTierLadder } from '../engine/tiers'
import type { LedgerDatabase } from '../ledger/database'
import { auditLog } from '../ledger/schema'
import { readSetting, writeSetting } from '../ledger/settings-store'
import { loadTierLadder, tierLadderKey } from './tier-step'

export function tierLadderView(database: LedgerDatabase): TierLadderView {
  const ladder = [...loadTierLadder(database)].sort((a, b) => a.rank - b.rank)
  const players: Record<string, number> = Object.fromEntries(ladder.map((tier) => [tier.code, 0]))
  const counts = database
    .readRaw('SELECT t.code, count(*) AS n FROM players p LEFT JOIN tiers t ON t.id = p.tier_id WHERE p.deleted_at IS NULL GROUP BY t.code')
    .all() as { code: string | null; n: number }[]
  let unplaced = 0
  for (const row of counts) {
    if (row.code === null) unplaced += row.n
    else players[row.code] = row.n
  }
  return { ladder, isDefault: readSetting(database, tierLadderKey) === undefined, players, unplaced }
}

export function saveTierLadder(database: LedgerDatabase, input: unknown[], actor: string, now: string): TierLadderView {
  const parsed = parseTierLadder(input)
  if (!parsed.ok) {
    const first = parsed.errors[0]!
    throw new ApiFailure('invalid_input', `The tier ladder has ${parsed.errors.length} problem(s). ${first.path}: ${first.message}`, { problems: parsed.errors })
  }
  database.write((transaction) => {
    const previous = readSetting(database, tierLadderKey) ?? null
    writeSetting(transaction, tierLadderKey, parsed.ladder, now)
    transaction
      .insert(auditLog)
      .values({ action: 'settings.tiers', actor, subject: 'settings:tiers', reason: 'tier ladder changed', details: { from: previous, to: parsed.ladder }, at: now })
      .run()
  })
  return tierLadderView(database)
}
