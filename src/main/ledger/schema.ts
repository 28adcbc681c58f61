// The whole database schema. Money and points are integers (minor units / whole points);
// dates are ISO-8601 text (`YYYY-MM-DD` for business dates, full timestamps for events).
// Migrations are generated from this file by drizzle-kit into resources/migrations.
import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

export const currencies = ['LP', 'RP', 'BONUS', 'TICKETS'] as const
export const segments = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const

const createdAt = () => text('created_at').notNull()

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull(),
})

export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['summary', 'events'] }).notNull(),
    fileName: text('file_name').notNull(),
    contentHash: text('content_hash').notNull(),
    sourceProfile: text('source_profile'),
    asOf: text('as_of'),
    status: text('status', { enum: ['completed', 'refused'] }).notNull(),
    rowsTotal: integer('rows_total').notNull().default(0),
    rowsAccepted: integer('rows_accepted').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    mapping: text('mapping', { mode: 'json' }),
    /** What the operator was told: counts, duplicates, ambiguous dates, the sheet and header row used. */
    summary: text('summary', { mode: 'json' }),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (table) => [uniqueIndex('imports_content_hash_unique').on(table.contentHash)],
)

/** Rows of an import that failed validation, kept beside their original values for export. */
export const importRowErrors = sqliteTable(
  'import_row_errors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    importId: integer('import_id').notNull().references(() => imports.id),
    sheet: text('sheet'),
    rowNumber: integer('row_number').notNull(),
    column: text('column'),
    value: text('value'),
    message: text('message').notNull(),
    original: text('original', { mode: 'json' }),
  },
  (table) => [index('import_row_errors_import').on(table.importId, table.rowNumber)],
)

export const players = sqliteTable(
  'players',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    externalId: text('external_id').notNull(),
    segment: text('segment', { enum: segments }),
    tierId: integer('tier_id').references(() => tiers.id),
    riskScore: integer('risk_score'),
    abuseScore: integer('abuse_score'),
    /** The snapshot with the latest as-of date: the player's current totals (an older file never replaces them). */
    currentSnapshotId: integer('current_snapshot_id'),
    currentAsOf: text('current_as_of'),
    /** Tier state carried between evaluations (see engine/tiers.ts): the day the tier was entered, the last day it was met. */
    tierSince: text('tier_since'),
    tierQualifiedOn: text('tier_qualified_on'),
    firstSeenAt: text('first_seen_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    deletedAt: text('deleted_at'),
  },
  (table) => [
    uniqueIndex('players_external_id_unique').on(table.externalId),
    // (value, external_id): the Players screen filters and sorts by these and pages by id within a value.
    index('players_segment_external').on(table.segment, table.externalId),
    index('players_tier_external').on(table.tierId, table.externalId),
    index('players_abuse_score').on(table.abuseScore, table.externalId),
    index('players_risk_score').on(table.riskScore, table.externalId),
    check('players_risk_score_range', sql`${table.riskScore} IS NULL OR ${table.riskScore} BETWEEN 0 AND 100`),
    check('players_abuse_score_range', sql`${table.abuseScore} IS NULL OR ${table.abuseScore} BETWEEN 0 AND 100`),
  ],
)

/** Lifetime totals as of a date. A new snapshot replaces the player's totals; history is kept. */
export const metricSnapshots = sqliteTable(
  'metric_snapshots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').notNull().references(() => players.id),
    importId: integer('import_id').references(() => imports.id),
    asOf: text('as_of').notNull(),
    totalDeposited: integer('total_deposited'),
    totalWithdrawn: integer('total_withdrawn'),
    totalWagered: integer('total_wagered'),
    totalWon: integer('total_won'),
    bonusReceived: integer('bonus_received'),
    sessions: integer('sessions'),
    playtimeMinutes: integer('playtime_minutes'),
    lastDepositDate: text('last_deposit_date'),
    registrationDate: text('registration_date'),
    lastActiveDate: text('last_active_date'),
    country: text('country'),
    ip: text('ip'),
    deviceId: text('device_id'),
    gameTypes: text('game_types', { mode: 'json' }).$type<string[]>(),
  },
  (table) => [index('metric_snapshots_player_as_of').on(table.playerId, table.asOf)],
)

export const activityEventTypes = ['deposit', 'withdrawal', 'bet', 'win', 'bonus_credit', 'session_start', 'session_end'] as const

/** Per-transaction activity; additive, deduplicated by the platform's event id. */
export const activityEvents = sqliteTable(
  'activity_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: text('event_id').notNull(),
    playerId: integer('player_id').notNull().references(() => players.id),
    importId: integer('import_id').references(() => imports.id),
    occurredAt: text('occurred_at').notNull(),
    type: text('type', { enum: activityEventTypes }).notNull(),
    amount: integer('amount'),
    gameType: text('game_type'),
    ip: text('ip'),
    deviceId: text('device_id'),
  },
  (table) => [
    uniqueIndex('activity_events_event_id_unique').on(table.eventId),
    index('activity_events_player_time').on(table.playerId, table.occurredAt),
    index('activity_events_ip').on(table.ip),
    index('activity_events_device').on(table.deviceId),
  ],
)

export const evaluations = sqliteTable('evaluations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  asOf: text('as_of').notNull(),
  configHash: text('config_hash').notNull(),
  status: text('status', { enum: ['running', 'completed', 'failed'] }).notNull(),
  playersEvaluated: integer('players_evaluated').notNull().default(0),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
})

export const segmentHistory = sqliteTable(
  'segment_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').notNull().references(() => players.id),
    evaluationId: integer('evaluation_id').references(() => evaluations.id),
    asOf: text('as_of').notNull(),
    fromSegment: text('from_segment', { enum: segments }),
    toSegment: text('to_segment', { enum: segments }).notNull(),
  },
  (table) => [index('segment_history_player').on(table.playerId, table.asOf)],
)

export const tiers = sqliteTable(
  'tiers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    rank: integer('rank').notNull(),
    /** LP needed within the window to qualify. */
    qualifyingPoints: integer('qualifying_points').notNull(),
    windowDays: integer('window_days').notNull(),
    /** Benefits in basis points (1/100 of a percent) so they stay integers. */
    pointsMultiplierBasisPoints: integer('points_multiplier_bp').notNull().default(10000),
    cashbackBasisPoints: integer('cashback_bp').notNull().default(0),
    rewardPointRateBasisPoints: integer('reward_point_rate_bp').notNull().default(0),
    downgradeGraceDays: integer('downgrade_grace_days').notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('tiers_code_unique').on(table.code), uniqueIndex('tiers_rank_unique').on(table.rank)],
)

export const tierHistory = sqliteTable(
  'tier_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').notNull().references(() => players.id),
    fromTierId: integer('from_tier_id').references(() => tiers.id),
    toTierId: integer('to_tier_id').references(() => tiers.id),
    asOf: text('as_of').notNull(),
    reason: text('reason').notNull(),
  },
  (table) => [index('tier_history_player').on(table.playerId, table.asOf)],
)

export const rewardRules = sqliteTable(
  'reward_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    status: text('status', { enum: ['draft', 'active', 'paused', 'archived'] }).notNull(),
    currentVersion: integer('current_version').notNull(),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('reward_rules_code_unique').on(table.code)],
)

/** Immutable: an edit is a new version, and every reward points at the version that issued it. */
export const rewardRuleVersions = sqliteTable(
  'reward_rule_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: integer('rule_id').notNull().references(() => rewardRules.id),
    version: integer('version').notNull(),
    definition: text('definition', { mode: 'json' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('reward_rule_versions_rule_version_unique').on(table.ruleId, table.version)],
)

/** One per (player, currency) and one per (system purpose, currency). */
export const ledgerAccounts = sqliteTable(
  'ledger_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').references(() => players.id),
    systemName: text('system_name', {
      enum: ['issuance', 'redemption', 'expiry', 'forfeit', 'adjustment', 'payout', 'conversion'],
    }),
    currency: text('currency', { enum: currencies }).notNull(),
    balance: integer('balance').notNull().default(0),
  },
  (table) => [
    uniqueIndex('ledger_accounts_player_currency_unique').on(table.playerId, table.currency),
    // Partial: a player account (system_name NULL) would only add a NULL entry, one per account created.
    uniqueIndex('ledger_accounts_system_currency_unique').on(table.systemName, table.currency).where(sql`${table.systemName} IS NOT NULL`),
    check('ledger_accounts_owner', sql`(${table.playerId} IS NULL) <> (${table.systemName} IS NULL)`),
    check('ledger_accounts_player_not_negative', sql`${table.playerId} IS NULL OR ${table.balance} >= 0`),
  ],
)

/** Append-only (triggers refuse UPDATE/DELETE); a correction is a reversing transfer. */
export const ledgerTransfers = sqliteTable(
  'ledger_transfers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    idempotencyKey: text('idempotency_key').notNull(),
    debitAccountId: integer('debit_account_id').notNull().references(() => ledgerAccounts.id),
    creditAccountId: integer('credit_account_id').notNull().references(() => ledgerAccounts.id),
    currency: text('currency', { enum: currencies }).notNull(),
    amount: integer('amount').notNull(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    sourceType: text('source_type', { enum: ['rule_version', 'import', 'operator', 'system', 'reversal'] }).notNull(),
    sourceId: text('source_id').notNull(),
    reversesTransferId: integer('reverses_transfer_id'),
    lotId: integer('lot_id'),
    createdAt: createdAt(),
    hash: text('hash').notNull(),
  },
  (table) => [
    uniqueIndex('ledger_transfers_idempotency_key_unique').on(table.idempotencyKey),
    index('ledger_transfers_debit').on(table.debitAccountId),
    index('ledger_transfers_credit').on(table.creditAccountId),
    // Partial: reversals are rare, so ordinary inserts pay nothing for this index.
    index('ledger_transfers_reverses').on(table.reversesTransferId).where(sql`${table.reversesTransferId} IS NOT NULL`),
    check('ledger_transfers_amount_positive', sql`${table.amount} > 0`),
    check('ledger_transfers_distinct_accounts', sql`${table.debitAccountId} <> ${table.creditAccountId}`),
  ],
)

/** Each BONUS credit is a lot with its own wagering target and progress. */
export const bonusLots = sqliteTable(
  'bonus_lots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').notNull().references(() => players.id),
    issueTransferId: integer('issue_transfer_id').notNull().references(() => ledgerTransfers.id),
    amount: integer('amount').notNull(),
    wageringTarget: integer('wagering_target').notNull(),
    wageringProgress: integer('wagering_progress').notNull().default(0),
    maxBet: integer('max_bet'),
    /** Game type → contribution in basis points; an unknown type contributes nothing. */
    contributions: text('contributions', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    expiresAt: text('expires_at'),
    status: text('status', { enum: ['open', 'completed', 'expired', 'forfeited'] }).notNull(),
    closedAt: text('closed_at'),
  },
  (table) => [
    index('bonus_lots_player_status').on(table.playerId, table.status, table.expiresAt),
    index('bonus_lots_status_expiry').on(table.status, table.expiresAt),
    index('bonus_lots_issue_transfer').on(table.issueTransferId),
    check('bonus_lots_progress_bounded', sql`${table.wageringProgress} BETWEEN 0 AND ${table.wageringTarget}`),
  ],
)

export const rewardDecisions = sqliteTable(
  'reward_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    evaluationId: integer('evaluation_id').notNull().references(() => evaluations.id),
    playerId: integer('player_id').notNull().references(() => players.id),
    ruleVersionId: integer('rule_version_id').notNull().references(() => rewardRuleVersions.id),
    outcome: text('outcome', { enum: ['issued', 'reduced', 'blocked'] }).notNull(),
    currency: text('currency', { enum: currencies }).notNull(),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    explanation: text('explanation', { mode: 'json' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: createdAt(),
  },
  // A decision that issued is joined to its ledger transfer by the shared idempotency key (both unique).
  (table) => [
    uniqueIndex('reward_decisions_key_unique').on(table.idempotencyKey),
    index('reward_decisions_player').on(table.playerId),
    index('reward_decisions_rule_version').on(table.ruleVersionId),
    check('reward_decisions_amount_not_negative', sql`${table.amount} >= 0`),
  ],
)

export const abuseSignals = sqliteTable(
  'abuse_signals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').notNull().references(() => players.id),
    evaluationId: integer('evaluation_id').references(() => evaluations.id),
    signal: text('signal').notNull(),
    score: integer('score').notNull(),
    details: text('details', { mode: 'json' }),
    detectedAt: text('detected_at').notNull(),
  },
  // A player's newest set is found by (player, max evaluation): the UI's reads and process's comparison (jobs/abuse-signal-store.ts).
  (table) => [index('abuse_signals_player_evaluation').on(table.playerId, table.evaluationId)],
)

export const reviewItems = sqliteTable(
  'review_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playerId: integer('player_id').notNull().references(() => players.id),
    abuseScore: integer('abuse_score').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['open', 'approved', 'rejected'] }).notNull(),
    openedAt: text('opened_at').notNull(),
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
    note: text('note'),
  },
  (table) => [index('review_items_status').on(table.status, table.openedAt)],
)

/** Bets applied to bonus lots: each bet counts toward exactly one lot, once. */
export const lotWagers = sqliteTable(
  'lot_wagers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: text('event_id').notNull(),
    lotId: integer('lot_id').notNull().references(() => bonusLots.id),
    /** Bet amount × the game's contribution, minor units, capped at what the lot still needed. */
    counted: integer('counted').notNull(),
    overMaxBet: integer('over_max_bet', { mode: 'boolean' }).notNull().default(false),
    appliedAt: text('applied_at').notNull(),
  },
  (table) => [uniqueIndex('lot_wagers_event_unique').on(table.eventId), index('lot_wagers_lot').on(table.lotId)],
)

/** Rewards that must reach the real platform: exported in a payout file, later confirmed. */
export const payoutItems = sqliteTable(
  'payout_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    transferId: integer('transfer_id').notNull().references(() => ledgerTransfers.id),
    playerId: integer('player_id').notNull().references(() => players.id),
    currency: text('currency', { enum: currencies }).notNull(),
    amount: integer('amount').notNull(),
    reference: text('reference').notNull(),
    status: text('status', { enum: ['pending', 'exported', 'confirmed', 'rejected'] }).notNull(),
    exportBatch: text('export_batch'),
    exportedAt: text('exported_at'),
    confirmedAt: text('confirmed_at'),
    note: text('note'),
  },
  (table) => [
    uniqueIndex('payout_items_transfer_unique').on(table.transferId),
    uniqueIndex('payout_items_reference_unique').on(table.reference),
    index('payout_items_status').on(table.status),
  ],
)

/** Operator actions (adjustments, review decisions, payout confirmations): who, what, why. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    subject: text('subject').notNull(),
    reason: text('reason').notNull(),
    details: text('details', { mode: 'json' }),
    at: text('at').notNull(),
  },
  (table) => [index('audit_log_subject').on(table.subject, table.at)],
)

/** What-if scenarios: a named set of changes to the live configuration (src/shared/scenario-schema.ts). Never read by the ledger. */
export const scenarios = sqliteTable(
  'scenarios',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    changes: text('changes', { mode: 'json' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('scenarios_name_unique').on(table.name)],
)
