// A player's abuse signals are stored when they change, not on every run. Each run used to write
// every flagged player's signals again: at a million players ~200k rows and ~85 MB per run, so a
// database processed daily grew by ~30 GB a year with copies of what it already held. The UI reads
// a player's newest stored set (player-detail.ts, desk-review.ts), which is the same set either way;
// its detected_at is now the run that first found it as it stands.
import type { AbuseSignal } from '../engine/abuse'
import type { StatementCache } from '../ledger/database'
import { bulkRun, valuesList, withIndexesRebuilt } from '../ledger/bulk-write'

const playersPerQuery = 20_000

/** One player's set as comparable text: each signal's name, score and details, in name order. */
function setKey(signals: readonly { signal: string; score: number; details: string | null }[]): string {
  return signals
    .map((each) => `${each.signal}\u0000${each.score}\u0000${each.details ?? ''}`)
    .sort()
    .join('\u0001')
}

/**
 * Writes the signals of the players whose set differs from the newest one stored for them (all of
 * them when none is stored); returns the rows written.
 */
export function storeAbuseSignals(
  statements: StatementCache,
  signals: readonly AbuseSignal[],
  rowIds: ReadonlyMap<string, number>,
  evaluationId: number,
  now: string,
): number {
  const rows = signals.map((signal) => ({ player: rowIds.get(signal.playerId)!, signal: signal.signal, score: Math.round(signal.points), details: JSON.stringify(signal.details) }))
  const stored = (statements.prepare('SELECT count(*) AS stored FROM abuse_signals').get() as { stored: number }).stored
  let fresh = rows
  if (stored > 0) {
    const byPlayer = new Map<number, typeof rows>()
    for (const row of rows) {
      const list = byPlayer.get(row.player)
      if (list) list.push(row)
      else byPlayer.set(row.player, [row])
    }
    const newest = statements.prepare(
      'SELECT a.player_id AS player, a.signal, a.score, a.details FROM json_each(?) j JOIN abuse_signals a ON a.player_id = j.value ' +
        'AND a.evaluation_id = (SELECT max(m.evaluation_id) FROM abuse_signals m WHERE m.player_id = j.value)',
    )
    const players = [...byPlayer.keys()]
    const storedSets = new Map<number, { signal: string; score: number; details: string | null }[]>()
    for (let start = 0; start < players.length; start += playersPerQuery) {
      for (const row of newest.all(JSON.stringify(players.slice(start, start + playersPerQuery))) as { player: number; signal: string; score: number; details: string | null }[]) {
        const list = storedSets.get(row.player)
        if (list) list.push(row)
        else storedSets.set(row.player, [row])
      }
    }
    const unchanged = new Set<number>()
    for (const [player, list] of byPlayer) {
      const before = storedSets.get(player)
      if (before && setKey(before) === setKey(list)) unchanged.add(player)
    }
    fresh = rows.filter((row) => !unchanged.has(row.player))
  }
  withIndexesRebuilt(statements, 'abuse_signals', () => fresh.length >= stored, () => bulkRun(
    statements,
    (count) => `INSERT INTO abuse_signals (player_id, evaluation_id, signal, score, details, detected_at) VALUES ${valuesList(count, '(?, :evaluation, ?, ?, ?, :now)')}`,
    4,
    fresh.length,
    (index, values, at) => {
      const row = fresh[index]!
      values[at] = row.player
      values[at + 1] = row.signal
      values[at + 2] = row.score
      values[at + 3] = row.details
    },
    { evaluation: evaluationId, now },
  ))
  return fresh.length
}
