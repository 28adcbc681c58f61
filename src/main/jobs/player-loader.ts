// The player base as the engine needs it, read from the database: each player's current snapshot
// (the newest by as-of date), their activity summarised from events, the segment they were in,
// and their balances. Streams rows with iterate() so no intermediate result set is held twice.
import { summariseActivity, type ActivityEvent, type ActivityEventType } from '../engine/activity'
import type { PlayerRecord } from '../engine/player-table'
import { segmentNames, type Segment } from '../engine/segments-types'
import type { LedgerDatabase } from '../ledger/database'
import type { Currency } from '../../shared/money'
import type { PlayerSnapshotView } from '../../shared/api/types'

export interface LoadedPlayers {
  records: PlayerRecord[]
  /** players.id by external id, for writing results back. */
  rowIds: Map<string, number>
  /** Events the engine could not use (bad timestamp, …) — counted, not fatal. */
  skippedEvents: number
}

/** A metric_snapshots row as the queries here select it: the shared view's fields, game types still JSON text. */
export type SnapshotRow = Omit<PlayerSnapshotView, 'gameTypes'> & { gameTypes: string | null }

type PlayerRow = Omit<SnapshotRow, 'asOf'> & { id: number; externalId: string; segment: string | null }

const knownSegments = new Set<string>(segmentNames)

const playerSelect =
  'SELECT p.id, p.external_id AS externalId, p.segment, s.total_deposited AS totalDeposited, s.total_withdrawn AS totalWithdrawn, ' +
  's.total_wagered AS totalWagered, s.total_won AS totalWon, s.bonus_received AS bonusReceived, s.sessions, s.playtime_minutes AS playtimeMinutes, ' +
  's.last_deposit_date AS lastDepositDate, s.registration_date AS registrationDate, s.last_active_date AS lastActiveDate, s.country, s.ip, ' +
  's.device_id AS deviceId, s.game_types AS gameTypes FROM players p LEFT JOIN metric_snapshots s ON s.id = p.current_snapshot_id WHERE p.deleted_at IS NULL'

function recordFrom(row: PlayerRow): PlayerRecord {
  const record: PlayerRecord = { playerId: row.externalId }
  if (row.totalDeposited !== null) record.totalDeposited = row.totalDeposited
  if (row.totalWithdrawn !== null) record.totalWithdrawn = row.totalWithdrawn
  if (row.totalWagered !== null) record.totalWagered = row.totalWagered
  if (row.totalWon !== null) record.totalWon = row.totalWon
  if (row.bonusReceived !== null) record.bonusReceived = row.bonusReceived
  if (row.sessions !== null) record.sessions = row.sessions
  if (row.playtimeMinutes !== null) record.playtimeMinutes = row.playtimeMinutes
  if (row.lastDepositDate !== null) record.lastDepositDate = row.lastDepositDate
  if (row.registrationDate !== null) record.registrationDate = row.registrationDate
  if (row.lastActiveDate !== null) record.lastActiveDate = row.lastActiveDate
  if (row.country !== null) record.country = row.country
  if (row.ip !== null) record.ip = row.ip
  if (row.deviceId !== null) record.deviceId = row.deviceId
  if (row.gameTypes !== null) record.gameTypes = JSON.parse(row.gameTypes) as string[]
  if (row.segment !== null && knownSegments.has(row.segment)) record.previousSegment = row.segment as Segment
  return record
}

/** `events: false` skips the activity events (the Segments screen, when no condition needs them). */
export function loadPlayers(database: LedgerDatabase, options: { events?: boolean } = {}): LoadedPlayers {
  const records: PlayerRecord[] = []
  const rowIds = new Map<string, number>()
  const byId = new Map<number, PlayerRecord>()
  const rows = database.readRaw(playerSelect).iterate() as IterableIterator<PlayerRow>
  for (const row of rows) {
    const record = recordFrom(row)
    records.push(record)
    rowIds.set(row.externalId, row.id)
    byId.set(row.id, record)
  }

  const balances = database
    .readRaw('SELECT player_id AS playerId, currency, balance FROM ledger_accounts WHERE player_id IS NOT NULL AND balance <> 0')
    .iterate() as IterableIterator<{ playerId: number; currency: Currency; balance: number }>
  for (const row of balances) {
    const record = byId.get(row.playerId)
    if (record) (record.balances ??= {})[row.currency] = row.balance
  }

  let skippedEvents = 0
  const hasEvents = options.events !== false && database.readRaw('SELECT 1 AS one FROM activity_events LIMIT 1').get() !== undefined
  if (hasEvents) {
    const events: ActivityEvent[] = []
    const eventRows = database
      .readRaw(
        'SELECT e.event_id AS eventId, p.external_id AS playerId, e.occurred_at AS timestamp, e.type, e.amount, e.game_type AS gameType, e.ip, e.device_id AS deviceId ' +
          'FROM activity_events e JOIN players p ON p.id = e.player_id',
      )
      .iterate() as IterableIterator<{ eventId: string; playerId: string; timestamp: string; type: ActivityEventType; amount: number | null; gameType: string | null; ip: string | null; deviceId: string | null }>
    for (const row of eventRows) {
      const event: ActivityEvent = { eventId: row.eventId, playerId: row.playerId, timestamp: row.timestamp, type: row.type }
      if (row.amount !== null) event.amount = row.amount
      if (row.gameType !== null) event.gameType = row.gameType
      if (row.ip !== null) event.ip = row.ip
      if (row.deviceId !== null) event.deviceId = row.deviceId
      events.push(event)
    }
    const activity = summariseActivity(events)
    skippedEvents = activity.skipped.length
    for (const record of records) {
      const summary = activity.summaries.get(record.playerId)
      if (summary) record.activity = summary
    }
  }
  return { records, rowIds, skippedEvents }
}

/**
 * One player as the engine sees them (current snapshot, balances, activity from their own events),
 * for explaining a decision on the player's page. Undefined when there is no such player.
 */
export function loadPlayer(database: LedgerDatabase, externalId: string): { record: PlayerRecord; rowId: number } | undefined {
  const row = database.readRaw(`${playerSelect} AND p.external_id = ?`).get(externalId) as PlayerRow | undefined
  if (!row) return undefined
  const record = recordFrom(row)
  for (const account of database.readRaw('SELECT currency, balance FROM ledger_accounts WHERE player_id = ? AND balance <> 0').all(row.id) as { currency: Currency; balance: number }[]) {
    ;(record.balances ??= {})[account.currency] = account.balance
  }
  const events: ActivityEvent[] = []
  const eventRows = database
    .readRaw('SELECT event_id AS eventId, occurred_at AS timestamp, type, amount, game_type AS gameType, ip, device_id AS deviceId FROM activity_events WHERE player_id = ?')
    .iterate(row.id) as IterableIterator<{ eventId: string; timestamp: string; type: ActivityEventType; amount: number | null; gameType: string | null; ip: string | null; deviceId: string | null }>
  for (const each of eventRows) {
    const event: ActivityEvent = { eventId: each.eventId, playerId: externalId, timestamp: each.timestamp, type: each.type }
    if (each.amount !== null) event.amount = each.amount
    if (each.gameType !== null) event.gameType = each.gameType
    if (each.ip !== null) event.ip = each.ip
    if (each.deviceId !== null) event.deviceId = each.deviceId
    events.push(event)
  }
  if (events.length > 0) {
    const summary = summariseActivity(events).summaries.get(externalId)
    if (summary) record.activity = summary
  }
  return { record, rowId: row.id }
}
