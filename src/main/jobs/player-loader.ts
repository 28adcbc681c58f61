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
  /** players.id of each record, by position. */
  rowIdOf: Int32Array
  /** The position of the player with this players.id, -1 when not loaded (e.g. deleted). */
  positionOf(rowId: number): number
  /** Events the engine could not use (bad timestamp, …) — counted, not fatal. */
  skippedEvents: number
  /** Each record's state as the last evaluation stored it, by position. */
  stored: StoredPlayerState
}

/**
 * players' evaluation state columns as stored, by loaded position: process compares them with a
 * run's new state and writes only the players whose state changed, instead of asking SQLite to
 * compare a million rows it would mostly leave as they are. Numbers in typed arrays (NaN = NULL)
 * and the dates only when some player has one, so a first run's all-NULL state costs next to nothing.
 */
export interface StoredPlayerState {
  /** Index into segmentNames; storedSegmentNone = NULL, storedSegmentOther = a text that is no segment name. */
  segment: Uint8Array
  abuseScore: Float64Array
  riskScore: Float64Array
  tierId: Float64Array
  /** Undefined when no player has one. */
  tierSince?: (string | null)[]
  tierQualifiedOn?: (string | null)[]
}
export const storedSegmentNone = 0xff
export const storedSegmentOther = 0xfe

/** A metric_snapshots row as the queries here select it: the shared view's fields, game types still JSON text. */
export type SnapshotRow = Omit<PlayerSnapshotView, 'gameTypes'> & { gameTypes: string | null }

const knownSegments = new Set<string>(segmentNames)

// Rows come back as arrays (iterateRows): at a million players, an object with named members per
// row cost more than SQLite's own work. The positions below follow the select list.
const snapshotSelect =
  'SELECT p.id, p.external_id, p.segment, s.total_deposited, s.total_withdrawn, s.total_wagered, s.total_won, s.bonus_received, s.sessions, ' +
  's.playtime_minutes, s.last_deposit_date, s.registration_date, s.last_active_date, s.country, s.ip, s.device_id, s.game_types'
const stateColumns = ', p.abuse_score, p.risk_score, p.tier_id, p.tier_since, p.tier_qualified_on'
const playerFrom = ' FROM players p LEFT JOIN metric_snapshots s ON s.id = p.current_snapshot_id WHERE p.deleted_at IS NULL'
const playerSelect = snapshotSelect + stateColumns + playerFrom
type PlayerRow = [
  id: number, externalId: string, segment: string | null, totalDeposited: number | null, totalWithdrawn: number | null, totalWagered: number | null,
  totalWon: number | null, bonusReceived: number | null, sessions: number | null, playtimeMinutes: number | null, lastDepositDate: string | null,
  registrationDate: string | null, lastActiveDate: string | null, country: string | null, ip: string | null, deviceId: string | null, gameTypes: string | null,
  abuseScore: number | null, riskScore: number | null, tierId: number | null, tierSince: string | null, tierQualifiedOn: string | null,
]

/**
 * One copy of each distinct text. A million players share a few thousand dates, a few dozen
 * countries and game mixes, but each row read brings its own copies: kept, they were millions of
 * objects for the garbage collector to trace on every full collection while the base is in memory.
 */
class Interned {
  private readonly texts = new Map<string, string>()
  private readonly games = new Map<string, readonly string[]>()

  text(value: string): string {
    const known = this.texts.get(value)
    if (known !== undefined) return known
    this.texts.set(value, value)
    return value
  }

  /** Game types from their JSON text; the array is shared between players, so it is frozen. */
  gameTypes(json: string): string[] {
    let known = this.games.get(json)
    if (known === undefined) {
      known = Object.freeze((JSON.parse(json) as string[]).map((game) => this.text(game)))
      this.games.set(json, known)
    }
    return known as string[]
  }
}

function recordFrom(row: PlayerRow, interned: Interned): PlayerRecord {
  const record: PlayerRecord = { playerId: row[1] }
  if (row[3] !== null) record.totalDeposited = row[3]
  if (row[4] !== null) record.totalWithdrawn = row[4]
  if (row[5] !== null) record.totalWagered = row[5]
  if (row[6] !== null) record.totalWon = row[6]
  if (row[7] !== null) record.bonusReceived = row[7]
  if (row[8] !== null) record.sessions = row[8]
  if (row[9] !== null) record.playtimeMinutes = row[9]
  if (row[10] !== null) record.lastDepositDate = interned.text(row[10])
  if (row[11] !== null) record.registrationDate = interned.text(row[11])
  if (row[12] !== null) record.lastActiveDate = interned.text(row[12])
  if (row[13] !== null) record.country = interned.text(row[13])
  if (row[14] !== null) record.ip = row[14]
  if (row[15] !== null) record.deviceId = row[15]
  if (row[16] !== null) record.gameTypes = interned.gameTypes(row[16])
  if (row[2] !== null && knownSegments.has(row[2])) record.previousSegment = row[2] as Segment
  return record
}

/** `events: false` skips the activity events (the Segments screen, when no condition needs them). */
export function loadPlayers(database: LedgerDatabase, options: { events?: boolean } = {}): LoadedPlayers {
  const records: PlayerRecord[] = []
  const rowIds = new Map<string, number>()
  const ids: number[] = []
  const interned = new Interned()
  const segmentCode = new Map<string, number>(segmentNames.map((name, index) => [name, index]))
  const segments: number[] = []
  const abuseScores: number[] = []
  const riskScores: number[] = []
  const tierIds: number[] = []
  let tierSince: (string | null)[] | undefined
  let tierQualifiedOn: (string | null)[] | undefined
  const dateColumn = (column: (string | null)[] | undefined, value: string | null, at: number): (string | null)[] | undefined => {
    if (value === null) {
      column?.push(null)
      return column
    }
    const list = column ?? new Array<string | null>(at).fill(null)
    list.push(interned.text(value))
    return list
  }
  // Before a first evaluation is stored no player has a state: the rows are then read without the
  // state columns (a quarter more cells per row), and every player counts as changed. Both checks
  // are index seeks (segment and tier are written together by every stored evaluation).
  const hasState =
    database.readRaw('SELECT 1 AS found FROM players WHERE segment IS NOT NULL LIMIT 1').get() !== undefined ||
    database.readRaw('SELECT 1 AS found FROM players WHERE tier_id IS NOT NULL LIMIT 1').get() !== undefined
  // In the engine's canonical order (PlayerTable sorts by player id), so its sort finds them sorted.
  const select = hasState ? `${playerSelect} ORDER BY p.external_id` : `${snapshotSelect}${playerFrom} ORDER BY p.external_id`
  for (const row of database.iterateRows(select) as IterableIterator<PlayerRow>) {
    const at = records.length
    records.push(recordFrom(row, interned))
    rowIds.set(row[1], row[0])
    ids.push(row[0])
    if (!hasState) continue
    segments.push(row[2] === null ? storedSegmentNone : (segmentCode.get(row[2]) ?? storedSegmentOther))
    abuseScores.push(row[17] ?? Number.NaN)
    riskScores.push(row[18] ?? Number.NaN)
    tierIds.push(row[19] ?? Number.NaN)
    tierSince = dateColumn(tierSince, row[20], at)
    tierQualifiedOn = dateColumn(tierQualifiedOn, row[21], at)
  }

  const count = records.length
  const numbers = (values: readonly number[]) => (hasState ? Float64Array.from(values) : new Float64Array(count).fill(Number.NaN))
  const stored: StoredPlayerState = {
    segment: hasState ? Uint8Array.from(segments) : new Uint8Array(count).fill(storedSegmentNone),
    abuseScore: numbers(abuseScores),
    riskScore: numbers(riskScores),
    tierId: numbers(tierIds),
    ...(tierSince ? { tierSince } : {}),
    ...(tierQualifiedOn ? { tierQualifiedOn } : {}),
  }
  const rowIdOf = Int32Array.from(ids)

  // By players.id: the position of each loaded player (balances here; tiers and prior rewards read by players.id too).
  let maxRowId = 0
  for (const id of ids) if (id > maxRowId) maxRowId = id
  const positions = new Int32Array(maxRowId + 1).fill(-1)
  for (let position = 0; position < ids.length; position += 1) positions[ids[position]!] = position
  const positionOf = (rowId: number): number => (rowId <= maxRowId ? positions[rowId]! : -1)
  const balances = database.iterateRows('SELECT player_id, currency, balance FROM ledger_accounts WHERE player_id IS NOT NULL AND balance <> 0') as IterableIterator<[number, Currency, number]>
  for (const [playerRowId, currency, balance] of balances) {
    const position = positionOf(playerRowId)
    if (position >= 0) (records[position]!.balances ??= {})[currency] = balance
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
  return { records, rowIds, rowIdOf, positionOf, skippedEvents, stored }
}

/**
 * One player as the engine sees them (current snapshot, balances, activity from their own events),
 * for explaining a decision on the player's page. Undefined when there is no such player.
 */
export function loadPlayer(database: LedgerDatabase, externalId: string): { record: PlayerRecord; rowId: number } | undefined {
  let row: PlayerRow | undefined
  for (const each of database.iterateRows(`${playerSelect} AND p.external_id = ?`, externalId) as IterableIterator<PlayerRow>) row ??= each
  if (!row) return undefined
  const record = recordFrom(row, new Interned())
  const rowId = row[0]
  for (const account of database.readRaw('SELECT currency, balance FROM ledger_accounts WHERE player_id = ? AND balance <> 0').all(rowId) as { currency: Currency; balance: number }[]) {
    ;(record.balances ??= {})[account.currency] = account.balance
  }
  const events: ActivityEvent[] = []
  const eventRows = database
    .readRaw('SELECT event_id AS eventId, occurred_at AS timestamp, type, amount, game_type AS gameType, ip, device_id AS deviceId FROM activity_events WHERE player_id = ?')
    .iterate(rowId) as IterableIterator<{ eventId: string; timestamp: string; type: ActivityEventType; amount: number | null; gameType: string | null; ip: string | null; deviceId: string | null }>
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
  return { record, rowId }
}
