// Tiers as of the start of an evaluation: each player's LP earned (from the ledger, by the day it
// was credited) and the tier state stored by the previous evaluation go into evaluateTiers; the
// resulting tier is what this evaluation's rules see, and LP issued by this evaluation counts from
// the next one. The ladder is the saved one (setting "tiers") or the default; it is mirrored into
// the `tiers` table so players can reference their tier by id.
import { ApiFailure } from '../../shared/api/result'
import type { LoadedPlayers } from './player-loader'
import { defaultTierLadder, evaluateTiers, parseTierLadder, type LpEntry, type TierDecision, type TierLadder } from '../engine/tiers'
import type { LedgerDatabase, StatementCache } from '../ledger/database'
import { readSetting } from '../ledger/settings-store'
import { bulkRun, valuesList, withIndexesRebuilt } from '../ledger/bulk-write'

export const tierLadderKey = 'tiers'

export function loadTierLadder(database: LedgerDatabase): TierLadder {
  const stored = readSetting(database, tierLadderKey)
  if (stored === undefined) return defaultTierLadder
  const parsed = parseTierLadder(stored)
  if (!parsed.ok) throw new ApiFailure('invalid_input', `The saved tier ladder is invalid: ${parsed.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}. Fix it in Tiers.`)
  return parsed.ladder
}

/** Decides every player's tier as of `asOf` and sets `record.tier` and `record.lpInWindow` for the rules. */
export function decideTiers(database: LedgerDatabase, loaded: Pick<LoadedPlayers, 'records' | 'positionOf' | 'stored'>, ladder: TierLadder, asOf: string): TierDecision[] {
  const { records, positionOf, stored } = loaded
  // The tier state is what the loader read with the players (by position); only the tier codes of
  // the few tier ids are looked up. Each date is kept once: after a first run every player holds a
  // tier, and an object per row with its own copies of these few texts was seconds of a re-run.
  const tierCodes = new Map<number, string>()
  for (const [id, code] of database.iterateRows('SELECT id, code FROM tiers') as IterableIterator<[number, string]>) tierCodes.set(id, code)
  const texts = new Map<string, string>()
  const text = (value: string): string => {
    const known = texts.get(value)
    if (known !== undefined) return known
    texts.set(value, value)
    return value
  }

  // LP credited minus LP taken back (reversals, expiry), per player and day, up to the as-of day. LP a
  // rule issued counts on the business date of the evaluation that decided it (a file processed days
  // later still earns on its own date); anything else on the day it was posted.
  const lp = new Array<LpEntry[] | undefined>(records.length)
  // Credits and debits as two halves of a UNION ALL, each on its own index: one join on
  // "credit = a.id OR debit = a.id" made SQLite merge two index searches per account, a quarter
  // slower at a million LP accounts.
  const lpSide = (column: string, sign: string) =>
    `SELECT a.player_id AS playerId, coalesce(e.as_of, substr(t.created_at, 1, 10)) AS day, ${sign}t.amount AS points ` +
    `FROM ledger_accounts a JOIN ledger_transfers t ON t.${column} = a.id ` +
    'LEFT JOIN reward_decisions d ON d.idempotency_key = t.idempotency_key LEFT JOIN evaluations e ON e.id = d.evaluation_id ' +
    "WHERE a.currency = 'LP' AND a.player_id IS NOT NULL"
  const lpRows = database.iterateRows(
    `SELECT playerId, day, sum(points) AS points FROM (${lpSide('credit_account_id', '')} UNION ALL ${lpSide('debit_account_id', '-')}) WHERE day <= ? GROUP BY playerId, day`,
    asOf,
  ) as IterableIterator<[playerId: number, day: string, points: number]>
  for (const [playerId, day, points] of lpRows) {
    const position = positionOf(playerId)
    if (position < 0) continue // a player not evaluated (deleted)
    const entry = { date: text(day), points }
    const list = lp[position]
    if (list) list.push(entry)
    else lp[position] = [entry]
  }

  // Most players have earned no LP yet (always so on a first run): they share one empty list.
  const noLp: readonly LpEntry[] = Object.freeze([])
  const inputs = records.map((record, index) => {
    const tierId = stored.tierId[index]!
    const held = !Number.isNaN(tierId)
    return {
      playerId: record.playerId,
      currentTier: held ? tierCodes.get(tierId) : undefined,
      tierSince: held ? (stored.tierSince?.[index] ?? undefined) : undefined,
      lastQualifiedOn: held ? (stored.tierQualifiedOn?.[index] ?? undefined) : undefined,
      lpEarned: lp[index] ?? noLp,
    }
  })
  const decisions = evaluateTiers(inputs, ladder, asOf)
  decisions.forEach((decision, index) => {
    const record = records[index]!
    record.tier = decision.tier
    record.lpInWindow = decision.lpInWindow
  })
  return decisions
}

/** Mirrors the ladder into the `tiers` table (inside the evaluation's transaction); returns the tier ids by code. */
export function saveTierLadder(statements: StatementCache, ladder: TierLadder, now: string): Map<string, number> {
  const upsertTier = statements.prepare(
    'INSERT INTO tiers (code, name, rank, qualifying_points, window_days, points_multiplier_bp, cashback_bp, reward_point_rate_bp, downgrade_grace_days, created_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, rank = excluded.rank, qualifying_points = excluded.qualifying_points, ' +
      'window_days = excluded.window_days, points_multiplier_bp = excluded.points_multiplier_bp, cashback_bp = excluded.cashback_bp, ' +
      'reward_point_rate_bp = excluded.reward_point_rate_bp, downgrade_grace_days = excluded.downgrade_grace_days RETURNING id',
  )
  // Ranks are unique: move every stored rank out of the way first, so a reordered ladder cannot collide.
  statements.prepare('UPDATE tiers SET rank = -1 - id').run()
  const tierIds = new Map<string, number>()
  for (const tier of ladder) {
    const basisPoints = (value: number) => Math.round(value * 10_000)
    const row = upsertTier.get(
      tier.code, tier.name, tier.rank, tier.qualifying_points, tier.window_days, basisPoints(tier.benefits.lp_multiplier),
      Math.round(tier.benefits.cashback_percent * 100), basisPoints(tier.benefits.rp_conversion_rate), tier.downgrade_grace_days, now,
    ) as { id: number }
    tierIds.set(tier.code, row.id)
  }
  return tierIds
}

/**
 * A tier history row per change (inside the evaluation's transaction). The player's own tier state
 * is stored with the rest of their state (player-state-store.ts). `rowIds` are players.id in the
 * order of `decisions`.
 */
export function storeTierHistory(statements: StatementCache, tierIds: ReadonlyMap<string, number>, decisions: readonly TierDecision[], rowIds: Int32Array, asOf: string): void {
  const changed = decisions.flatMap((decision, index) => (decision.change === 'initial' || decision.change === 'upgrade' || decision.change === 'downgrade' ? [index] : []))
  const historySql = (rows: number) => `INSERT INTO tier_history (player_id, from_tier_id, to_tier_id, as_of, reason) VALUES ${valuesList(rows, '(?, ?, ?, :asOf, ?)')}`
  const stored = (statements.prepare('SELECT count(*) AS stored FROM tier_history').get() as { stored: number }).stored
  // A first evaluation adds a row for every player: its index is then rebuilt once rather than grown row by row.
  withIndexesRebuilt(statements, 'tier_history', () => changed.length >= stored, () => bulkRun(
    statements,
    historySql,
    4,
    changed.length,
    (row, values, at) => {
      const index = changed[row]!
      const decision = decisions[index]!
      values[at] = rowIds[index]
      values[at + 1] = decision.previousTier ? (tierIds.get(decision.previousTier) ?? null) : null
      values[at + 2] = tierIds.get(decision.tier) ?? null
      values[at + 3] = decision.reason
    },
    { asOf },
  ))
}
