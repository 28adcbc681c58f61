// One player's page (`players/get`): what the ledger holds about them, and every reward decision
// explained by the engine. An explanation is rebuilt from the player's record (current snapshot and
// their events), the rule version that decided (its stored definition, compiled as that version),
// the engine settings, and the evaluation's as-of date; the outcome, amount, cost and margin are the
// ones the batch run recorded, so the sentences never contradict what was issued.
// Limitation: conditions are traced on the player's *current* snapshot; a decision made before a
// newer snapshot was imported may show today's values (the note says so).
import { ApiFailure } from '../../shared/api/result'
import type { CurrencyCode, PlayerDecisionView, PlayerDetail, PlayerSnapshotView, SegmentCode } from '../../shared/api/types'
import { explanationSentences } from '../../shared/explanation'
import type { EngineSettings } from '../../shared/engine-settings'
import { explain } from '../engine/explain'
import { reasonNames, type DecisionRecord, type Outcome, type Reason } from '../engine/evaluate'
import { PlayerTable } from '../engine/player-table'
import { compileRule, type CompiledRule } from '../engine/rules'
import { segmentNames, type Segment } from '../engine/segments-types'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import { loadPlayer, type SnapshotRow } from './player-loader'

const currencyCodes: readonly CurrencyCode[] = ['LP', 'RP', 'BONUS', 'TICKETS']
const decisionsMax = 200
const historyMax = 50

const snapshotColumns =
  's.as_of AS asOf, s.total_deposited AS totalDeposited, s.total_withdrawn AS totalWithdrawn, s.total_wagered AS totalWagered, s.total_won AS totalWon, ' +
  's.bonus_received AS bonusReceived, s.sessions, s.playtime_minutes AS playtimeMinutes, s.last_deposit_date AS lastDepositDate, ' +
  's.registration_date AS registrationDate, s.last_active_date AS lastActiveDate, s.country, s.ip, s.device_id AS deviceId, s.game_types AS gameTypes'

function snapshotView(row: SnapshotRow): PlayerSnapshotView {
  return { ...row, gameTypes: row.gameTypes === null ? null : (JSON.parse(row.gameTypes) as string[]) }
}

export function playerDetail(database: LedgerDatabase, externalId: string): PlayerDetail {
  const player = database
    .readRaw(
      'SELECT p.id, p.external_id AS playerId, p.segment, t.code AS tier, p.risk_score AS riskScore, p.abuse_score AS abuseScore, p.first_seen_at AS firstSeenAt, ' +
        'p.current_snapshot_id AS currentSnapshotId, p.current_as_of AS currentAsOf FROM players p LEFT JOIN tiers t ON t.id = p.tier_id WHERE p.external_id = ? AND p.deleted_at IS NULL',
    )
    .get(externalId) as
    | { id: number; playerId: string; segment: SegmentCode | null; tier: string | null; riskScore: number | null; abuseScore: number | null; firstSeenAt: string; currentSnapshotId: number | null; currentAsOf: string | null }
    | undefined
  if (!player) throw new ApiFailure('not_found', `There is no player ${JSON.stringify(externalId.slice(0, 80))}.`)
  const settings = readEngineSettings(database)

  const balances = Object.fromEntries(currencyCodes.map((code) => [code, 0])) as Record<CurrencyCode, number>
  for (const account of database.readRaw('SELECT currency, balance FROM ledger_accounts WHERE player_id = ?').all(player.id) as { currency: CurrencyCode; balance: number }[]) {
    balances[account.currency] = account.balance
  }
  const snapshots = (database.readRaw(`SELECT s.id, ${snapshotColumns} FROM metric_snapshots s WHERE s.player_id = ? ORDER BY s.as_of DESC, s.id DESC LIMIT ?`).all(player.id, historyMax + 1) as (SnapshotRow & { id: number })[]).map(
    ({ id, ...row }) => ({ id, view: snapshotView(row) }),
  )
  const current = snapshots.find((each) => each.id === player.currentSnapshotId)?.view ?? null
  const segmentHistory = database
    .readRaw('SELECT as_of AS asOf, from_segment AS "from", to_segment AS "to" FROM segment_history WHERE player_id = ? ORDER BY as_of DESC, id DESC LIMIT ?')
    .all(player.id, historyMax) as PlayerDetail['segmentHistory']
  const tierHistory = database
    .readRaw(
      'SELECT h.as_of AS asOf, f.code AS "from", t.code AS "to", h.reason FROM tier_history h LEFT JOIN tiers f ON f.id = h.from_tier_id LEFT JOIN tiers t ON t.id = h.to_tier_id ' +
        'WHERE h.player_id = ? ORDER BY h.as_of DESC, h.id DESC LIMIT ?',
    )
    .all(player.id, historyMax) as PlayerDetail['tierHistory']
  const bonusLots = database
    .readRaw(
      'SELECT id, amount, wagering_target AS wageringTarget, wagering_progress AS wageringProgress, max_bet AS maxBet, expires_at AS expiresAt, status ' +
        "FROM bonus_lots WHERE player_id = ? ORDER BY status <> 'open', id DESC LIMIT ?",
    )
    .all(player.id, historyMax) as PlayerDetail['bonusLots']
  // The player's side of each transfer: credited to one of their accounts is +, debited is −.
  const transfers = database
    .readRaw(
      'SELECT t.id, t.created_at AS createdAt, t.currency, CASE WHEN c.player_id = ? THEN t.amount ELSE -t.amount END AS amount, t.kind, t.reason FROM ledger_transfers t ' +
        'JOIN ledger_accounts c ON c.id = t.credit_account_id JOIN ledger_accounts d ON d.id = t.debit_account_id ' +
        'WHERE t.id IN (SELECT id FROM ledger_transfers WHERE credit_account_id IN (SELECT id FROM ledger_accounts WHERE player_id = ?) ' +
        'UNION SELECT id FROM ledger_transfers WHERE debit_account_id IN (SELECT id FROM ledger_accounts WHERE player_id = ?)) ORDER BY t.id DESC LIMIT ?',
    )
    .all(player.id, player.id, player.id, historyMax) as PlayerDetail['transfers']
  const abuseSignals = database
    .readRaw(
      'SELECT signal, score, detected_at AS detectedAt FROM abuse_signals WHERE player_id = ? AND evaluation_id = (SELECT max(evaluation_id) FROM abuse_signals WHERE player_id = ?) ORDER BY score DESC',
    )
    .all(player.id, player.id) as PlayerDetail['abuseSignals']

  return {
    player_id: player.playerId,
    segment: player.segment,
    tier: player.tier,
    risk_score: player.riskScore,
    abuse_score: player.abuseScore,
    firstSeenAt: player.firstSeenAt,
    balances,
    money: { code: settings.currency.code, minorDigits: settings.currency.minorDigits },
    current,
    snapshots: snapshots.filter((each) => each.id !== player.currentSnapshotId).map((each) => each.view).slice(0, historyMax),
    segmentHistory,
    tierHistory,
    bonusLots,
    transfers,
    abuseSignals,
    decisions: explainedDecisions(database, player, settings),
  }
}

interface DecisionRow {
  id: number
  evaluationId: number
  asOf: string
  ruleId: string
  ruleVersion: number
  definition: string
  outcome: Outcome
  amount: number
  currency: CurrencyCode
  reason: string
  explanation: string
  idempotencyKey: string
}

function explainedDecisions(
  database: LedgerDatabase,
  player: { id: number; playerId: string; segment: SegmentCode | null; tier: string | null; abuseScore: number | null; currentAsOf: string | null },
  settings: EngineSettings,
): PlayerDecisionView[] {
  const rows = database
    .readRaw(
      'SELECT d.id, d.evaluation_id AS evaluationId, e.as_of AS asOf, r.code AS ruleId, v.version AS ruleVersion, v.definition, d.outcome, d.amount, d.currency, d.reason, ' +
        'd.explanation, d.idempotency_key AS idempotencyKey FROM reward_decisions d JOIN evaluations e ON e.id = d.evaluation_id ' +
        'JOIN reward_rule_versions v ON v.id = d.rule_version_id JOIN reward_rules r ON r.id = v.rule_id WHERE d.player_id = ? ' +
        'ORDER BY e.as_of DESC, d.evaluation_id DESC, r.code LIMIT ?',
    )
    .all(player.id, decisionsMax) as DecisionRow[]
  if (rows.length === 0) return []
  const loaded = loadPlayer(database, player.playerId)
  const compiled = new Map<string, CompiledRule | undefined>()
  const tables = new Map<string, PlayerTable>()
  const segmentAt = database.readRaw('SELECT to_segment AS segment FROM segment_history WHERE player_id = ? AND as_of <= ? ORDER BY as_of DESC, id DESC LIMIT 1')
  const tierAt = database.readRaw(
    'SELECT t.code FROM tier_history h LEFT JOIN tiers t ON t.id = h.to_tier_id WHERE h.player_id = ? AND h.as_of <= ? ORDER BY h.as_of DESC, h.id DESC LIMIT 1',
  )
  const knownReasons = new Set<string>(reasonNames)
  return rows.map((row) => {
    const view: PlayerDecisionView = {
      id: row.id,
      evaluationId: row.evaluationId,
      asOf: row.asOf,
      ruleId: row.ruleId,
      ruleVersion: row.ruleVersion,
      outcome: row.outcome,
      amount: row.amount,
      currency: row.currency,
      reason: row.reason,
    }
    const key = `${row.ruleId}:${row.ruleVersion}`
    if (!compiled.has(key)) {
      const result = compileRule(JSON.parse(row.definition), { minorDigits: settings.currency.minorDigits }, row.ruleVersion)
      compiled.set(key, result.ok ? result.rule : undefined)
    }
    const rule = compiled.get(key)
    if (!loaded || !rule || !knownReasons.has(row.reason)) {
      view.note = 'The explanation could not be rebuilt for this decision; the stored outcome and reason are shown.'
      return view
    }
    let table = tables.get(row.asOf)
    if (!table) {
      table = new PlayerTable([loaded.record], row.asOf)
      table.setAbuseScores(Float64Array.of(player.abuseScore ?? 0))
      tables.set(row.asOf, table)
    }
    const segment = ((segmentAt.get(player.id, row.asOf) as { segment: Segment } | undefined)?.segment ?? player.segment ?? 'NEW') as Segment
    const tier = (tierAt.get(player.id, row.asOf) as { code: string | null } | undefined)?.code ?? player.tier ?? undefined
    const stored = JSON.parse(row.explanation) as { requested?: number; cost?: number; margin?: number }
    const recorded: DecisionRecord = {
      playerId: player.playerId,
      ruleId: row.ruleId,
      ruleVersion: row.ruleVersion,
      outcome: row.outcome,
      reason: row.reason as Reason,
      currency: row.currency,
      amount: row.amount,
      requested: stored.requested ?? row.amount,
      cost: stored.cost ?? 0,
      margin: stored.margin ?? 0,
      idempotencyKey: row.idempotencyKey,
    }
    const explanation = explain({
      table,
      playerIndex: 0,
      rule,
      settings,
      asOf: row.asOf,
      segment: segmentNames.includes(segment) ? segment : 'NEW',
      tier,
      abuseScore: player.abuseScore ?? 0,
      recorded,
    })
    view.sentences = explanationSentences(explanation)
    if (player.currentAsOf !== null && player.currentAsOf > row.asOf) {
      view.note = "Conditions are shown with the player's current figures, which are newer than this decision."
    }
    return view
  })
}
