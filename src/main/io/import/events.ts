// Activity events (DESIGN.md "Data in"): one row or JSON line per transaction. Header recognition and
// per-row validation, pure; the import job stores what passes and quarantines the rest.
//
// Rules:
// - event_id, player_id, timestamp and type are required; amount is required (≥ 0) for money events
//   (deposit, withdrawal, bet, win, bonus_credit) and ignored for session markers.
// - The timestamp is ISO 8601 (a time without an offset is UTC), DD/MM/YYYY HH:MM[:SS] or
//   MM/DD/YYYY HH:MM[:SS] by the date-order setting (UTC too), an Excel date-time cell, or an Excel
//   serial number in a sheet (a number in a JSON line is refused: seconds or milliseconds since 1970
//   are not guessed); it may not be after the end of the as-of day. It is stored normalised to UTC.
// - JSON lines use the same names (and synonyms) as column headers; unknown keys are ignored.
import type { ActivityEvent, ActivityEventType } from '../../engine/activity'
import { activityEventTypes, parseTimestamp } from '../../engine/activity'
import { ignoreColumn, normalizeHeader } from './columns'
import type { RowError } from './rows'
import { describeCell, parseDate, parseMoney, parseText, type DateOrder, type DecimalSeparator } from './values'

export const eventFieldNames = ['event_id', 'player_id', 'timestamp', 'type', 'amount', 'game_type', 'ip', 'device_id'] as const
export type EventField = (typeof eventFieldNames)[number]

const eventSynonyms: Record<EventField, readonly string[]> = {
  event_id: ['Event ID', 'EventId', 'Transaction ID', 'Transaction', 'Txn ID', 'Tx ID', 'Event'],
  player_id: ['Player ID', 'PlayerId', 'Player', 'UID', 'User ID', 'Customer ID', 'Account ID', 'Member ID'],
  timestamp: ['Timestamp', 'Time', 'Date Time', 'DateTime', 'Occurred At', 'Created At', 'Event Time', 'Date', 'Transaction Time'],
  type: ['Type', 'Event Type', 'Transaction Type', 'Kind', 'Action'],
  amount: ['Amount', 'Value', 'Sum', 'Stake', 'Amount EUR'],
  game_type: ['Game Type', 'Game', 'Game Category', 'Vertical', 'Product'],
  ip: ['IP', 'IP Address'],
  device_id: ['Device ID', 'Device', 'Fingerprint', 'Device Fingerprint'],
}

const fieldBySynonym = new Map<string, EventField>()
for (const field of eventFieldNames) {
  for (const name of [field, ...eventSynonyms[field]]) fieldBySynonym.set(normalizeHeader(name), field)
}

const requiredEventFields: readonly EventField[] = ['event_id', 'player_id', 'timestamp', 'type']

/** A saved mapping (source header → field name or "ignore"), as used for events: keys compared normalised. */
export type EventMapping = Readonly<Record<string, string>>

const profiles = new WeakMap<EventMapping, Map<string, EventField | typeof ignoreColumn>>()
const eventFieldSet = new Set<string>(eventFieldNames)

/** The mapping's entries that concern events; entries naming summary fields are for summary files. */
function eventProfile(mapping: EventMapping): Map<string, EventField | typeof ignoreColumn> {
  let profile = profiles.get(mapping)
  if (!profile) {
    profile = new Map()
    for (const [source, target] of Object.entries(mapping)) {
      if (typeof target === 'string' && (target === ignoreColumn || eventFieldSet.has(target))) profile.set(normalizeHeader(source.slice(0, 1_000)), target as EventField | typeof ignoreColumn)
    }
    profiles.set(mapping, profile)
  }
  return profile
}

/** The event field a header (or JSON key) names: the mapping's choice first, then the usual names. */
export function matchEventField(header: string, mapping?: EventMapping): EventField | undefined {
  const key = normalizeHeader(header)
  if (mapping) {
    const saved = eventProfile(mapping).get(key)
    if (saved === ignoreColumn) return undefined
    if (saved !== undefined) return saved
  }
  return fieldBySynonym.get(key)
}

export interface EventColumns {
  /** Column index per recognised field (the first column naming a field wins). */
  index: Partial<Record<EventField, number>>
  missingRequired: EventField[]
}

/** Recognises an events header row; the sheet is an events sheet when nothing required is missing. */
export function mapEventHeader(cells: readonly unknown[], mapping?: EventMapping): EventColumns {
  const index: Partial<Record<EventField, number>> = {}
  cells.forEach((cell, position) => {
    if (typeof cell !== 'string') return
    const field = matchEventField(cell.slice(0, 200), mapping)
    if (field !== undefined && index[field] === undefined) index[field] = position
  })
  return { index, missingRequired: requiredEventFields.filter((field) => index[field] === undefined) }
}

export function eventRefusalMessage(columns: EventColumns, found: readonly string[]): string | undefined {
  if (columns.missingRequired.length === 0) return undefined
  const names = columns.missingRequired.map((field) => `${field} (accepted names: ${eventSynonyms[field].join(', ')})`)
  return `This events file cannot be imported: it needs ${names.join('; ')}. Columns found: ${found.length === 0 ? 'none' : found.slice(0, 50).join(', ')}.`
}

export interface EventRowOptions {
  rowNumber: number
  asOf: string
  minorDigits: number
  decimalSeparator?: DecimalSeparator
  /** Reads 02/11/2026 10:05 day first or month first; without it such timestamps are refused. */
  dateOrder?: DateOrder
}

/** `ambiguousTimestamp`: its day and month could be read either way, and the date-order setting decided. */
export type EventRowResult = { event: ActivityEvent; ambiguousTimestamp?: true } | { errors: RowError[] }

const typeByName = new Map<string, ActivityEventType>()
for (const type of activityEventTypes) typeByName.set(normalizeHeader(type), type)
for (const [alias, type] of [
  ['bonus', 'bonus_credit'],
  ['bonuscredit', 'bonus_credit'],
  ['wager', 'bet'],
  ['stake', 'bet'],
  ['payout', 'win'],
  ['cashout', 'withdrawal'],
  ['login', 'session_start'],
  ['logout', 'session_end'],
] as const) {
  typeByName.set(alias, type)
}

const millisecondsPerDay = 86_400_000
const excelEpoch = Date.UTC(1899, 11, 30)
/** Excel's serial for 9999-12-31, its last date. */
const maxExcelSerial = 2_958_465

const timestampExpected = 'a date and time such as 2026-03-01T10:15:00Z'

/** Where an event came from: a number means an Excel serial in a sheet, nothing sure in JSON. */
type EventSource = 'cells' | 'json'

type Timestamp = { time: number; ambiguous?: true } | { expected: string }

function timestampOf(cell: unknown, source: EventSource, order: DateOrder | undefined): Timestamp {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? { expected: timestampExpected } : { time: cell.getTime() }
  if (typeof cell === 'number') return serialTimestamp(cell, source)
  if (typeof cell === 'string') {
    const text = cell.trim()
    const time = parseTimestamp(text)
    if (!Number.isNaN(time)) return { time }
    const expected = order === undefined ? timestampExpected : `${timestampExpected} or ${order === 'DMY' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} HH:MM`
    return (order && slashTimestamp(text, order, expected)) ?? { expected }
  }
  return { expected: timestampExpected }
}

// 02/11/2026 10:05[:30], with / . or - between the date's parts; the time is UTC, as an ISO time
// without an offset is.
const slashDateTime = /^(\d{1,2}([-/.])\d{1,2}\2\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * A day-first or month-first timestamp, read in the order of the date-order setting like a date
 * column (an ambiguous 02/11/2026 is 2 November when day first). Undefined when it is not this form.
 */
function slashTimestamp(text: string, order: DateOrder, expected: string): Timestamp | undefined {
  const match = slashDateTime.exec(text)
  if (!match) return undefined
  const date = parseDate(match[1], { order })
  // parseDate's reason (wrong order, no such day, before 1900) is the more useful message.
  if (!date.ok) return { expected: date.expected.startsWith('a date such as') ? expected : date.expected }
  if (date.value === undefined) return { expected }
  const hour = Number(match[3] ?? 0)
  const minute = Number(match[4] ?? 0)
  const second = Number(match[5] ?? 0)
  if (hour > 23 || minute > 59 || second > 59) return { expected: `${expected} (hours 0–23, minutes and seconds 0–59)` }
  const time = Date.parse(`${date.value}T00:00:00Z`) + ((hour * 60 + minute) * 60 + second) * 1000
  return date.ambiguous ? { time, ambiguous: true } : { time }
}

// 1762000000 could be seconds since 1970 or a typo; guessing would date an event wrongly, so a
// number is read only where it is a known unit: an Excel serial in a spreadsheet cell.
function serialTimestamp(value: number, source: EventSource): Timestamp {
  if (source === 'json') return { expected: `${timestampExpected} written as text (a number is not accepted as a timestamp; seconds since 1970 are not read)` }
  if (!Number.isFinite(value) || value < 61 || value > maxExcelSerial) {
    return { expected: `${timestampExpected}, or an Excel date serial from 61 to ${maxExcelSerial.toLocaleString('en-US')} (seconds since 1970 are not read)` }
  }
  return { time: excelEpoch + Math.round(value * millisecondsPerDay) }
}

/** Validates one event given as a row of cells (CSV/XLSX) or as the values of a JSON object. */
export function validateEvent(get: (field: EventField) => unknown, options: EventRowOptions, source: EventSource = 'cells'): EventRowResult {
  const row = options.rowNumber
  const errors: RowError[] = []
  const fail = (field: EventField, cell: unknown, expected: string) =>
    errors.push({ row, column: field, value: describeCell(cell), message: `Row ${row}, ${field}: expected ${expected}, found ${describeCell(cell)}` })
  const text = (field: EventField, required: boolean): string | undefined => {
    const cell = get(field)
    const parsed = parseText(typeof cell === 'number' ? String(cell) : cell, 200)
    if (!parsed.ok) fail(field, cell, parsed.expected)
    else if (parsed.value === undefined && required) fail(field, cell, `a ${field.replace('_', ' ')}`)
    else return parsed.value
    return undefined
  }
  const eventId = text('event_id', true)
  const playerId = text('player_id', true)
  const typeCell = get('type')
  const type = typeof typeCell === 'string' ? typeByName.get(normalizeHeader(typeCell)) : undefined
  if (type === undefined) fail('type', typeCell, `one of ${activityEventTypes.join(', ')}`)
  const timeCell = get('timestamp')
  const time = timestampOf(timeCell, source, options.dateOrder)
  let timestamp: string | undefined
  if ('expected' in time) fail('timestamp', timeCell, time.expected)
  else if (time.time >= Date.parse(`${options.asOf}T00:00:00Z`) + millisecondsPerDay) fail('timestamp', timeCell, `a time on or before the as-of date ${options.asOf}`)
  else timestamp = new Date(time.time).toISOString()
  let amount: number | undefined
  if (type !== undefined && type !== 'session_start' && type !== 'session_end') {
    const cell = get('amount')
    const parsed = parseMoney(cell, options.minorDigits, { decimalSeparator: options.decimalSeparator ?? '.' })
    if (!parsed.ok) fail('amount', cell, parsed.expected)
    else if (parsed.value === undefined) fail('amount', cell, `an amount for a ${type} event`)
    else if (parsed.value < 0) fail('amount', cell, 'an amount of 0 or more')
    else amount = parsed.value
  }
  const gameType = text('game_type', false)
  const ip = text('ip', false)
  const deviceId = text('device_id', false)
  if (errors.length > 0 || eventId === undefined || playerId === undefined || type === undefined || timestamp === undefined) return { errors }
  const event: ActivityEvent = { eventId, playerId, timestamp, type }
  if (amount !== undefined) event.amount = amount
  if (gameType !== undefined) event.gameType = gameType.toLowerCase()
  if (ip !== undefined) event.ip = ip
  if (deviceId !== undefined) event.deviceId = deviceId
  return 'ambiguous' in time ? { event, ambiguousTimestamp: true } : { event }
}

export function validateEventRow(cells: readonly unknown[], columns: EventColumns, options: EventRowOptions): EventRowResult {
  return validateEvent((field) => {
    const index = columns.index[field]
    return index === undefined ? undefined : cells[index]
  }, options)
}

/** A JSON line's object: keys matched like headers; own properties only, so `__proto__` is just an unknown key. */
export function validateEventObject(value: Readonly<Record<string, unknown>>, options: EventRowOptions, mapping?: EventMapping): EventRowResult {
  const byField = new Map<EventField, unknown>()
  for (const key of Object.keys(value)) {
    const field = matchEventField(key, mapping)
    if (field !== undefined && !byField.has(field)) byField.set(field, value[key])
  }
  return validateEvent((field) => byField.get(field), options, 'json')
}
