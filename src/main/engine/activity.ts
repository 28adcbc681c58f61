// Per-transaction activity events → one ActivitySummary per player (see player-table.ts).
//
// Built for 10 million events, O(n log n): one validation pass into typed arrays (deduplication by a
// typed-array hash table of event ids), a counting sort by player, one sort by time inside each
// player's run, and one linear pass per player. Nothing is allocated per event; per player, only
// the summary itself.
//
// Semantics, all in UTC:
// - An event is counted once per event id; the first valid occurrence wins (the only place where the
//   input order matters, and only when two events with one id differ).
// - "After a bonus" means strictly later than the bonus credit's timestamp: at equal timestamps the
//   bonus credit is ordered last, so a deposit, bet or withdrawal in the same instant is "before" it.
// - "While wagering" = later than a bonus credit and at most `wageringWindowDays` days after it.
// - Volatility = population standard deviation of the daily net result (wins − bets per UTC day, over
//   the days with a bet or a win) divided by the mean daily bet total over those days.
import type { ActivitySummary } from './player-table'
import { dateOfDay } from './dates'

export const activityEventTypes = ['deposit', 'withdrawal', 'bet', 'win', 'bonus_credit', 'session_start', 'session_end'] as const
export type ActivityEventType = (typeof activityEventTypes)[number]

export interface ActivityEvent {
  eventId: string
  playerId: string
  /** ISO 8601, e.g. 2026-03-01T10:15:00Z. Without an offset the time is read as UTC. */
  timestamp: string
  type: ActivityEventType
  /** Minor units, ≥ 0. Required for deposit, withdrawal, bet, win and bonus_credit. */
  amount?: number
  gameType?: string
  ip?: string
  deviceId?: string
}

export interface SkippedEvent {
  /** Position of the event in the input array. */
  index: number
  eventId: string
  reason: string
}

export interface ActivitySummaryResult {
  /** One summary per player, in ascending player id order. */
  summaries: Map<string, ActivitySummary>
  /** Events that could not be used (bad timestamp, unknown type, bad amount…), with the reason. */
  skipped: SkippedEvent[]
  /** Events dropped because their event id had already been counted. */
  duplicates: number
}

/** Bets within this many days after a bonus credit count as placed "while wagering" it. */
export const wageringWindowDays = 7
/** A bet counts as a minimum bet when it is within this many minor units of the player's smallest bet. */
export const minBetToleranceMinor = 1
/** Game type recorded for bets that carry none. */
export const unknownGameType = 'unknown'

const millisecondsPerHour = 3_600_000
const millisecondsPerDay = 86_400_000
const wageringWindowMilliseconds = wageringWindowDays * millisecondsPerDay

// Type codes. The order is the tie-break at equal timestamps: bonus_credit last (see the header).
const typeCode: Readonly<Record<ActivityEventType, number>> = {
  session_start: 0,
  deposit: 1,
  bet: 2,
  win: 3,
  withdrawal: 4,
  session_end: 5,
  bonus_credit: 6,
}
const codeDeposit = typeCode.deposit
const codeBet = typeCode.bet
const codeWin = typeCode.win
const codeWithdrawal = typeCode.withdrawal
const codeBonusCredit = typeCode.bonus_credit
/** Money events need an amount; session markers do not. */
const typesWithoutAmount: ReadonlySet<ActivityEventType> = new Set(['session_start', 'session_end'])

/** Summarise activity events per player. Pure and deterministic; the order of the events does not matter. */
export function summariseActivity(events: readonly ActivityEvent[]): ActivitySummaryResult {
  const eventCount = events.length
  const skipped: SkippedEvent[] = []
  const times = new Float64Array(eventCount)
  const codes = new Uint8Array(eventCount)
  const playerOf = new Int32Array(eventCount).fill(-1) // -1 = not used
  const playerNumbers = new Map<string, number>()
  const playerIdList: string[] = []
  const seenEventIds = createEventIdTable(events)
  let duplicates = 0
  let lastPlayerId: string | undefined
  let lastPlayer = -1

  // Pass 1: validate, deduplicate, number the players.
  for (let index = 0; index < eventCount; index += 1) {
    const event = events[index]!
    const reason = invalidReason(event)
    if (reason !== undefined) {
      skipped.push({ index, eventId: typeof event.eventId === 'string' ? event.eventId : String(event.eventId), reason })
      continue
    }
    const time = parseTimestamp(event.timestamp)
    if (Number.isNaN(time)) {
      skipped.push({ index, eventId: event.eventId, reason: `timestamp "${String(event.timestamp).slice(0, 64)}" is not an ISO 8601 date-time` })
      continue
    }
    if (!seenEventIds.addIfNew(index)) {
      duplicates += 1
      continue
    }
    // Exports usually list a player's events together: skip the map lookup for a repeated id.
    if (event.playerId !== lastPlayerId) {
      let player = playerNumbers.get(event.playerId)
      if (player === undefined) {
        player = playerIdList.length
        playerNumbers.set(event.playerId, player)
        playerIdList.push(event.playerId)
      }
      lastPlayerId = event.playerId
      lastPlayer = player
    }
    playerOf[index] = lastPlayer
    times[index] = time
    codes[index] = typeCode[event.type]
  }

  // Counting sort of the used events by player, players in ascending id order.
  const playerCount = playerIdList.length
  const playersInIdOrder = Array.from({ length: playerCount }, (_, player) => player).sort((a, b) =>
    compareStrings(playerIdList[a]!, playerIdList[b]!),
  )
  const slotOfPlayer = new Int32Array(playerCount)
  for (let slot = 0; slot < playerCount; slot += 1) slotOfPlayer[playersInIdOrder[slot]!] = slot
  const runStart = new Uint32Array(playerCount + 1)
  for (let index = 0; index < eventCount; index += 1) {
    const player = playerOf[index]!
    if (player >= 0) runStart[slotOfPlayer[player]! + 1]! += 1
  }
  for (let slot = 0; slot < playerCount; slot += 1) runStart[slot + 1]! += runStart[slot]!
  const usedCount = runStart[playerCount]!
  const order = new Uint32Array(usedCount)
  const fill = runStart.slice(0, playerCount)
  for (let index = 0; index < eventCount; index += 1) {
    const player = playerOf[index]!
    if (player < 0) continue
    const slot = slotOfPlayer[player]!
    order[fill[slot]!] = index
    fill[slot]! += 1
  }

  // One sort inside each player's run: by time, bonus credits last at equal times, then input position.
  const byTime = (a: number, b: number) => times[a]! - times[b]! || codes[a]! - codes[b]! || a - b
  for (let slot = 0; slot < playerCount; slot += 1) {
    const start = runStart[slot]!
    const end = runStart[slot + 1]!
    if (end - start > 1) order.subarray(start, end).sort(byTime)
  }

  const summaries = new Map<string, ActivitySummary>()
  const scratch = createScratch()
  for (let slot = 0; slot < playerCount; slot += 1) {
    const playerId = playerIdList[playersInIdOrder[slot]!]!
    summaries.set(playerId, summarisePlayer(events, times, codes, order, runStart[slot]!, runStart[slot + 1]!, scratch))
  }
  return { summaries, skipped, duplicates }
}

/**
 * The set of event ids seen so far: an open-addressing hash table (linear probing, load ≤ 0.7) whose
 * slots hold [hash, event index + 1] side by side, so a probe reads one cache line and touches an
 * event only when the hashes match. Unlike a Set<string> it is one typed array allocated up front,
 * without the 2^24-entry ceiling.
 */
function createEventIdTable(events: readonly ActivityEvent[]): { addIfNew(index: number): boolean } {
  let size = 16
  while (size * 0.7 < events.length) size *= 2
  const mask = size - 1
  const slots = new Int32Array(size * 2)
  return {
    addIfNew(index: number): boolean {
      const eventId = events[index]!.eventId
      const hash = hashString(eventId)
      let slot = hash & mask
      for (;;) {
        const occupant = slots[slot * 2 + 1]!
        if (occupant === 0) {
          slots[slot * 2] = hash
          slots[slot * 2 + 1] = index + 1
          return true
        }
        if (slots[slot * 2] === hash && events[occupant - 1]!.eventId === eventId) return false
        slot = (slot + 1) & mask
      }
    },
  }
}

/** 32-bit FNV-1a over the UTF-16 code units, finished with a multiply-xorshift to spread the low bits. */
function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let position = 0; position < text.length; position += 1) hash = Math.imul(hash ^ text.charCodeAt(position), 0x01000193)
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  return hash ^ (hash >>> 13)
}

interface Scratch {
  wagerByGame: Map<string, number>
  ips: Set<string>
  devices: Set<string>
  /** Days with a bet or a win, their running mean of the daily net result and sum of squared deviations (Welford). */
  days: Float64Array
}

function createScratch(): Scratch {
  return { wagerByGame: new Map(), ips: new Set(), devices: new Set(), days: new Float64Array(3) }
}

/** Fold one day's net result into the running mean and variance. */
function addDay(days: Float64Array, dayNet: number): void {
  const count = days[0]! + 1
  const delta = dayNet - days[1]!
  const mean = days[1]! + delta / count
  days[0] = count
  days[1] = mean
  days[2] = days[2]! + delta * (dayNet - mean)
}

/** One player's events are order[start..end), sorted by time. */
function summarisePlayer(
  events: readonly ActivityEvent[],
  times: Float64Array,
  codes: Uint8Array,
  order: Uint32Array,
  start: number,
  end: number,
  scratch: Scratch,
): ActivitySummary {
  const { wagerByGame, ips, devices, days } = scratch
  wagerByGame.clear()
  ips.clear()
  devices.clear()
  days.fill(0)

  // The smallest bet comes first: "at the minimum bet" needs it while walking the bets.
  let smallestBet = Number.POSITIVE_INFINITY
  for (let position = start; position < end; position += 1) {
    const index = order[position]!
    if (codes[index] === codeBet) smallestBet = Math.min(smallestBet, events[index]!.amount!)
  }

  let betCount = 0
  let betTotal = 0
  let firstBonusTime = Number.NaN
  let lastBonusTime = Number.NaN
  let depositsAfterFirstBonus = 0
  let shortestBonusToWithdrawal = Number.POSITIVE_INFINITY
  let betsWhileWagering = 0
  let minimumBetsWhileWagering = 0
  // The current UTC day's net result; closed days are folded into `days`.
  let currentDay = Number.NaN
  let dayNet = 0
  let dayHasPlay = false
  // Consecutive events mostly repeat the IP, device and game: only a change touches the sets and map.
  let lastIp: string | undefined
  let lastDevice: string | undefined
  let currentGame: string | undefined
  let currentGameWager = 0

  for (let position = start; position < end; position += 1) {
    const index = order[position]!
    const event = events[index]!
    const time = times[index]!
    const code = codes[index]!
    const day = Math.floor(time / millisecondsPerDay)
    if (day !== currentDay) {
      if (dayHasPlay) addDay(days, dayNet)
      currentDay = day
      dayNet = 0
      dayHasPlay = false
    }
    const ip = event.ip
    if (ip && ip !== lastIp) {
      ips.add(ip)
      lastIp = ip
    }
    const device = event.deviceId
    if (device && device !== lastDevice) {
      devices.add(device)
      lastDevice = device
    }

    switch (code) {
      case codeBet: {
        const amount = event.amount!
        betCount += 1
        betTotal += amount
        dayNet -= amount
        dayHasPlay = true
        const game = event.gameType || unknownGameType
        if (game !== currentGame) {
          if (currentGame !== undefined) wagerByGame.set(currentGame, (wagerByGame.get(currentGame) ?? 0) + currentGameWager)
          currentGame = game
          currentGameWager = 0
        }
        currentGameWager += amount
        if (time - lastBonusTime <= wageringWindowMilliseconds) {
          betsWhileWagering += 1
          if (amount - smallestBet <= minBetToleranceMinor) minimumBetsWhileWagering += 1
        }
        break
      }
      case codeWin:
        dayNet += event.amount!
        dayHasPlay = true
        break
      case codeDeposit:
        if (time > firstBonusTime) depositsAfterFirstBonus += event.amount!
        break
      case codeWithdrawal:
        if (time > lastBonusTime) shortestBonusToWithdrawal = Math.min(shortestBonusToWithdrawal, time - lastBonusTime)
        break
      case codeBonusCredit:
        if (Number.isNaN(firstBonusTime)) firstBonusTime = time
        lastBonusTime = time
        break
    }
  }
  if (dayHasPlay) addDay(days, dayNet)
  if (currentGame !== undefined) wagerByGame.set(currentGame, (wagerByGame.get(currentGame) ?? 0) + currentGameWager)
  const activeDays = days[0]!

  const summary: ActivitySummary = {
    betCount,
    betTotal,
    wagerByGame: Object.fromEntries([...wagerByGame].sort((a, b) => compareStrings(a[0], b[0]))),
    betsWhileWagering,
    ips: [...ips].sort(compareStrings),
    devices: [...devices].sort(compareStrings),
  }
  if (end > start) summary.lastEventDate = dateOfDay(Math.floor(times[order[end - 1]!]! / millisecondsPerDay))
  if (activeDays >= 2 && betTotal > 0) {
    const meanDailyBets = betTotal / activeDays
    summary.volatility = Math.sqrt(days[2]! / activeDays) / meanDailyBets
  }
  if (Number.isFinite(shortestBonusToWithdrawal)) summary.hoursFromBonusToWithdrawal = shortestBonusToWithdrawal / millisecondsPerHour
  if (betsWhileWagering > 0) summary.minBetShareWhileWagering = minimumBetsWhileWagering / betsWhileWagering
  if (!Number.isNaN(firstBonusTime)) summary.depositsAfterFirstBonus = depositsAfterFirstBonus
  return summary
}

function invalidReason(event: ActivityEvent): string | undefined {
  if (typeof event.eventId !== 'string' || event.eventId === '') return 'missing event id'
  if (typeof event.playerId !== 'string' || event.playerId === '') return 'missing player id'
  if (!Object.hasOwn(typeCode, event.type)) return `unknown event type "${String(event.type).slice(0, 32)}"`
  const amount = event.amount
  if (amount === undefined || amount === null) {
    return typesWithoutAmount.has(event.type) ? undefined : `a ${event.type} needs an amount`
  }
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
    return `amount ${String(amount).slice(0, 32)} is not a whole, non-negative number of minor units`
  }
  return undefined
}

const charZero = 48
const charHyphen = 45
const charColon = 58
const charPlus = 43
const charDot = 46
const charComma = 44
const charSpace = 32
const charUpperT = 84
const charLowerT = 116
const charUpperZ = 90
const charLowerZ = 122

/**
 * Milliseconds since the epoch, or NaN when the text is not an ISO 8601 date(-time) or names an
 * impossible date. Accepted: YYYY-MM-DD, optionally followed by T (or a space) hh:mm[:ss[.fraction]]
 * and Z or ±hh[:]mm. A time without an offset is read as UTC, never as the machine's local time.
 * Hand-written (no regular expression, no allocation): it runs once per event.
 */
export function parseTimestamp(text: string): number {
  if (typeof text !== 'string' || text.length < 10) return Number.NaN
  const length = text.length
  const year = readDigits(text, 0, 4)
  const month = readDigits(text, 5, 2)
  const day = readDigits(text, 8, 2)
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN
  if (text.charCodeAt(4) !== charHyphen || text.charCodeAt(7) !== charHyphen) return Number.NaN
  let hour = 0
  let minute = 0
  let second = 0
  let millisecond = 0
  let offsetMinutes = 0
  if (length > 10) {
    const separator = text.charCodeAt(10)
    if (separator !== charUpperT && separator !== charLowerT && separator !== charSpace) return Number.NaN
    hour = readDigits(text, 11, 2)
    minute = readDigits(text, 14, 2)
    if (text.charCodeAt(13) !== charColon || hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN
    let position = 16
    if (position < length && text.charCodeAt(position) === charColon) {
      second = readDigits(text, 17, 2)
      if (second < 0 || second > 59) return Number.NaN
      position = 19
      const mark = text.charCodeAt(position)
      if (position < length && (mark === charDot || mark === charComma)) {
        position += 1
        let fractionDigits = 0
        while (position < length) {
          const digit = text.charCodeAt(position) - charZero
          if (digit < 0 || digit > 9) break
          if (fractionDigits < 3) millisecond = millisecond * 10 + digit
          fractionDigits += 1
          position += 1
        }
        if (fractionDigits === 0 || fractionDigits > 9) return Number.NaN
        for (let padding = fractionDigits; padding < 3; padding += 1) millisecond *= 10
      }
    }
    if (position < length) {
      const zone = text.charCodeAt(position)
      if (zone === charUpperZ || zone === charLowerZ) {
        position += 1
      } else if (zone === charPlus || zone === charHyphen) {
        const offsetHours = readDigits(text, position + 1, 2)
        position += 3
        if (text.charCodeAt(position) === charColon) position += 1
        const offsetRest = readDigits(text, position, 2)
        position += 2
        if (offsetHours < 0 || offsetHours > 23 || offsetRest < 0 || offsetRest > 59) return Number.NaN
        offsetMinutes = (zone === charHyphen ? -1 : 1) * (offsetHours * 60 + offsetRest)
      } else {
        return Number.NaN
      }
      if (position !== length) return Number.NaN
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000
}

/** The decimal number in text[start, start + count), or −1 if any of those characters is not a digit. */
function readDigits(text: string, start: number, count: number): number {
  if (start + count > text.length) return -1
  let value = 0
  for (let position = start; position < start + count; position += 1) {
    const digit = text.charCodeAt(position) - charZero
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
