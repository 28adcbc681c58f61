// SQL the reports share. GGR is the operator's (wagered − won) from the lifetime totals in
// metric_snapshots; what a player earned the operator over a range is the growth of that total
// between snapshots, so a player's history before their first import counts on that import's
// as-of day. Reward cost is the expected cost the engine recorded with each decision that reached
// the ledger (BONUS net of the wagering the house expects to keep, RP × redemption rate…).

/** Per snapshot: the GGR earned since the player's previous snapshot (the whole total for the first). */
export const snapshotEarnings =
  'SELECT player_id, as_of, ggr - LAG(ggr, 1, 0) OVER (PARTITION BY player_id ORDER BY as_of, id) AS earned FROM ' +
  '(SELECT id, player_id, as_of, COALESCE(total_wagered, 0) - COALESCE(total_won, 0) AS ggr FROM metric_snapshots)'

/** Decisions that paid (a ledger transfer exists), with their business day and recorded expected cost. */
export const paidDecisions =
  "SELECT d.player_id, d.rule_version_id, e.as_of, d.currency, d.amount, CAST(ROUND(COALESCE(json_extract(d.explanation, '$.cost'), 0)) AS INTEGER) AS cost " +
  'FROM reward_decisions d JOIN evaluations e ON e.id = d.evaluation_id JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key ' +
  "WHERE d.outcome IN ('issued', 'reduced')"

/** Each live player's segment on the day @to: the last recorded change up to it, else the current one. */
export const segmentOnDay =
  'SELECT p.id AS player_id, p.external_id, COALESCE((SELECT h.to_segment FROM segment_history h WHERE h.player_id = p.id AND h.as_of <= @to ' +
  'ORDER BY h.as_of DESC, h.id DESC LIMIT 1), p.segment) AS segment FROM players p WHERE p.deleted_at IS NULL ' +
  'AND EXISTS (SELECT 1 FROM metric_snapshots m WHERE m.player_id = p.id AND m.as_of <= @to)'

export const segmentOrder = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
/** Players evaluated before any segment was stored. */
export const unsegmented = 'NOT EVALUATED'
