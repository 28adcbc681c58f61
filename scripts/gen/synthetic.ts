// Large synthetic player summaries (and optional activity events) for benchmarks and soak tests.
//
// - Deterministic: player i is generated from its own PRNG seeded by (seed, i), so a file is the same
//   for a seed on every machine, and the events of player i can be regenerated without keeping the
//   players in memory (memory stays flat for any size).
// - Dates are relative to a fixed as-of date (syntheticAsOf), never the clock, for the same reason.
// - Streaming: CSV goes through one fs.WriteStream in chunks of ~256 KiB, waiting for 'drain';
//   XLSX goes through exceljs's stream.xlsx.WorkbookWriter with shared strings OFF: with them on,
//   exceljs keeps a Map of every distinct string until commit, and here nearly every string is
//   distinct (player ids, IPs, device ids), so memory would grow with the row count. Strings in the
//   cells themselves keep it flat, at the price of a somewhat larger file (exceljs writes them as
//   t="str" cells, the type Excel uses for a formula's text; readers must accept it, and Excel and
//   LibreOffice do). exceljs does not apply backpressure between
//   the sheet and the zip, so we do (waitForZip); without it a million rows peaked at 770 MB.
// - Realistic shape: lognormal money, a mix of NEW / VIP / regular players whose results spread over
//   WINNING / BREAKEVEN / LOSING, small shared-IP/device clusters, and optional columns left empty
//   at per-column rates.
import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import ExcelJS from 'exceljs'
import { mulberry32 } from '../../src/shared/seeded-random'

export interface SyntheticOptions {
  players: number
  format: 'csv' | 'xlsx'
  seed?: number
}

export const defaultSyntheticSeed = 20261120
/** The date the synthetic lifetime totals are "as of". */
export const syntheticAsOf = '2026-11-20'

/** Column headers, the importer's canonical field names, in file order. */
export const syntheticColumns = [
  'player_id',
  'total_deposited',
  'total_wagered',
  'total_won',
  'sessions',
  'playtime_hours',
  'last_deposit_date',
  'registration_date',
  'total_withdrawn',
  'bonus_received',
  'country',
  'ip',
  'device_id',
  'game_types',
  'last_active_date',
] as const

const gameTypes = ['slots', 'roulette', 'blackjack', 'baccarat', 'live_casino', 'poker', 'sports', 'crash'] as const
/** Rough popularity of each game type, same order as gameTypes. */
const gameWeights = [0.45, 0.1, 0.08, 0.03, 0.14, 0.05, 0.12, 0.03]
const countries = ['DE', 'FI', 'SE', 'NO', 'NL', 'IE', 'AT', 'MT', 'EE', 'CA'] as const
const countryWeights = [0.22, 0.16, 0.14, 0.1, 0.1, 0.07, 0.07, 0.03, 0.03, 0.08]

/** Share of rows whose optional cell is left empty, per column. */
const missingRate = {
  last_deposit_date: 0.02,
  registration_date: 0.05,
  total_withdrawn: 0.1,
  bonus_received: 0.15,
  country: 0.03,
  ip: 0.08,
  device_id: 0.12,
  game_types: 0.06,
  last_active_date: 0.05,
} as const

/** Players come in groups of this size; a small share of groups share one IP and device (a cluster). */
const clusterGroupSize = 4
const clusterGroupShare = 0.01

export interface SyntheticPlayer {
  playerId: string
  /** Money in minor units (EUR cents). */
  totalDeposited: number
  totalWagered: number
  totalWon: number
  sessions: number
  playtimeHours: number
  lastDepositDate?: string
  registrationDate?: string
  totalWithdrawn?: number
  bonusReceived?: number
  country?: string
  ip?: string
  deviceId?: string
  gameTypes?: string[]
  lastActiveDate?: string
}

const dayMs = 86_400_000
const asOfMs = Date.parse(`${syntheticAsOf}T00:00:00Z`)

/** 'YYYY-MM-DD' of a day before as-of, memoised: building a Date per cell was a third of the run time. */
const isoDays: string[] = []
function isoDay(daysBeforeAsOf: number): string {
  const days = Math.round(daysBeforeAsOf)
  return (isoDays[days] ??= new Date(asOfMs - days * dayMs).toISOString().slice(0, 10))
}

/** A PRNG for one item: the seed and index are mixed so neighbouring indexes give unrelated streams. */
function itemRandom(seed: number, salt: number, index: number): () => number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt, 0x27d4eb2f)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return mulberry32((h ^ (h >>> 16)) >>> 0)
}

/** Standard normal by Box–Muller (one of the pair; simple beats fast here). */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

function lognormal(random: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random))
}

function pickWeighted<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  let u = random()
  for (let i = 0; i < items.length; i += 1) {
    u -= weights[i]!
    if (u < 0) return items[i]!
  }
  return items[items.length - 1]!
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

function hex(random: () => number, digits: number): string {
  let text = ''
  for (let i = 0; i < digits; i += 1) text += '0123456789abcdef'[Math.floor(random() * 16)]
  return text
}

function playerIdOf(index: number): string {
  return `SP${String(index + 1).padStart(8, '0')}`
}

/** Player `index` (0-based) of the synthetic base for `seed`. Pure: same inputs, same player. */
export function syntheticPlayer(index: number, seed = defaultSyntheticSeed): SyntheticPlayer {
  const random = itemRandom(seed, 1, index)
  const kind = random()
  const isNew = kind < 0.15
  const isVip = !isNew && kind < 0.17

  // Wagered (turnover) in major units: NEW players stay under the NEW threshold (1,000), VIPs above
  // the VIP one (100,000); the rest are lognormal around 4,000 and kept below the VIP threshold.
  const wageredMajor = isNew
    ? clamp(lognormal(random, 250, 0.9), 5, 999)
    : isVip
      ? clamp(lognormal(random, 220_000, 0.6), 100_500, 5_000_000)
      : clamp(lognormal(random, 4_000, 1.2), 1_000, 99_000)
  const totalWagered = Math.round(wageredMajor * 100)

  // Return to player: around 96%, spread narrowing with volume (more bets, closer to the house edge).
  const spread = clamp(6 / Math.sqrt(wageredMajor), 0.02, 0.5)
  const rtp = Math.max(0, 0.96 + spread * normal(random))
  const totalWon = Math.round(totalWagered * rtp)

  // Players recycle deposits several times (turnover multiple); deposits never exceed the turnover much.
  const turnoverMultiple = clamp(lognormal(random, 4, 0.5), 1, 20)
  const totalDeposited = Math.max(100, Math.round(totalWagered / turnoverMultiple))
  const cashLeft = Math.max(0, totalDeposited + totalWon - totalWagered)
  const totalWithdrawn = Math.floor(cashLeft * (0.3 + 0.7 * random()))
  const bonusReceived = random() < 0.55 ? Math.round(totalDeposited * 0.3 * random()) : 0

  const sessions = isNew
    ? 1 + Math.floor(random() * 10)
    : isVip
      ? 101 + Math.floor(lognormal(random, 500, 0.6))
      : Math.max(2, Math.round(wageredMajor / clamp(lognormal(random, 60, 0.7), 5, 2_000)))
  const playtimeHours = Math.round(sessions * clamp(lognormal(random, 0.6, 0.5), 0.05, 6) * 10) / 10

  const registrationAgo = isNew ? Math.floor(random() * 30) : 30 + Math.floor(random() * 1_800)
  const lastActiveAgo = Math.min(registrationAgo, Math.floor(-Math.log(Math.max(random(), 1e-9)) * 20))
  const lastDepositAgo = Math.min(registrationAgo, lastActiveAgo + Math.floor(-Math.log(Math.max(random(), 1e-9)) * 10))

  const gameCount = 1 + Math.floor(random() * random() * 4)
  const games = new Set<string>()
  for (let i = 0; i < gameCount; i += 1) games.add(pickWeighted(random, gameTypes, gameWeights))

  // A small share of groups of neighbouring players share one IP and device (multi-accounting).
  const group = Math.floor(index / clusterGroupSize)
  const groupRandom = itemRandom(seed, 2, group)
  const inCluster = groupRandom() < clusterGroupShare
  const ip = inCluster
    ? `10.${Math.floor(groupRandom() * 256)}.${Math.floor(groupRandom() * 256)}.${1 + Math.floor(groupRandom() * 254)}`
    : `${11 + Math.floor(random() * 180)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`
  const deviceId = inCluster ? `dev-${hex(groupRandom, 12)}` : `dev-${hex(random, 12)}`

  // One draw per optional column decides whether its cell is left empty (no closure per player:
  // allocation per row is what a million rows feel).
  const player: SyntheticPlayer = { playerId: playerIdOf(index), totalDeposited, totalWagered, totalWon, sessions, playtimeHours }
  if (random() >= missingRate.last_deposit_date) player.lastDepositDate = isoDay(lastDepositAgo)
  if (random() >= missingRate.registration_date) player.registrationDate = isoDay(registrationAgo)
  if (random() >= missingRate.total_withdrawn) player.totalWithdrawn = totalWithdrawn
  if (random() >= missingRate.bonus_received) player.bonusReceived = bonusReceived
  if (random() >= missingRate.country) player.country = pickWeighted(random, countries, countryWeights)
  if (random() >= missingRate.ip) player.ip = ip
  if (random() >= missingRate.device_id) player.deviceId = deviceId
  if (random() >= missingRate.game_types) player.gameTypes = [...games]
  if (random() >= missingRate.last_active_date) player.lastActiveDate = isoDay(lastActiveAgo)
  return player
}

// ---------------------------------------------------------------------------------------------
// Writing

function majorText(minor: number): string {
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** One CSV row. Game types are comma-separated, so that field is quoted (the names hold no quotes). */
function csvLine(player: SyntheticPlayer): string {
  const games = player.gameTypes === undefined ? '' : player.gameTypes.length > 1 ? `"${player.gameTypes.join(', ')}"` : player.gameTypes[0]!
  return (
    `${player.playerId},${majorText(player.totalDeposited)},${majorText(player.totalWagered)},${majorText(player.totalWon)},` +
    `${player.sessions},${player.playtimeHours},${player.lastDepositDate ?? ''},${player.registrationDate ?? ''},` +
    `${player.totalWithdrawn === undefined ? '' : majorText(player.totalWithdrawn)},${player.bonusReceived === undefined ? '' : majorText(player.bonusReceived)},` +
    `${player.country ?? ''},${player.ip ?? ''},${player.deviceId ?? ''},${games},${player.lastActiveDate ?? ''}\r\n`
  )
}

/** Characters gathered before a write: big enough that the per-write cost disappears, small enough to stay flat. */
const chunkChars = 256 * 1024

/** Writes a chunk, waiting for 'drain' when the stream's buffer is full (backpressure). */
async function writeChunk(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain')
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject)
    stream.end(() => resolve())
  })
}

async function writeCsv(path: string, count: number, seed: number): Promise<void> {
  const stream = createWriteStream(path, { highWaterMark: 1024 * 1024 })
  // Rows are appended to one string and written every ~256 KiB: no await (microtask) per row.
  let chunk = `${syntheticColumns.join(',')}\r\n`
  for (let i = 0; i < count; i += 1) {
    chunk += csvLine(syntheticPlayer(i, seed))
    if (chunk.length >= chunkChars) {
      await writeChunk(stream, chunk)
      chunk = ''
    }
  }
  await writeChunk(stream, chunk)
  await closeStream(stream)
}

function dateCell(iso: string | undefined): Date | null {
  return iso === undefined ? null : new Date(`${iso}T00:00:00Z`)
}

function moneyCell(minor: number | undefined): number | null {
  // Major units as a number cell, as spreadsheets hold money; minor/100 round-trips exactly through
  // the importer's single rounding rule.
  return minor === undefined ? null : minor / 100
}

/** Rows between checks of the zip's backlog. */
const xlsxCheckEvery = 1_000
/** Bytes of sheet XML allowed to wait for compression before rows pause. */
const xlsxBacklogMax = 8 * 1024 * 1024
/** Never wait longer than this for a 'drain' (a safety net: the sheet's zip entry always flows). */
const xlsxDrainTimeoutMs = 2_000

interface PipeTarget {
  once(event: 'drain', listener: () => void): unknown
  removeListener(event: 'drain', listener: () => void): unknown
  _writableState?: { length?: number }
}

/**
 * Backpressure for exceljs's streaming writer. Its StreamBuf hands each 64 KiB of sheet XML to the
 * zip (archiver) with write() and ignores the return value, so when deflate is slower than rows are
 * committed the XML piles up in the PassThrough in between (measured: +12 MB per 50,000 rows, 770 MB
 * peak for a million). We wait for that PassThrough's 'drain' when its backlog is over
 * xlsxBacklogMax. `worksheet.stream.pipes` is exceljs internals: if it is not there, we only yield.
 */
async function waitForZip(sheet: unknown): Promise<void> {
  const stream = (sheet as { stream?: { pipes?: unknown } }).stream
  const target = Array.isArray(stream?.pipes) ? (stream.pipes[0] as PipeTarget | undefined) : undefined
  const backlog = target?._writableState?.length
  if (target === undefined || typeof backlog !== 'number' || backlog <= xlsxBacklogMax) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    return
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      target.removeListener('drain', done)
      resolve()
    }
    const timer = setTimeout(done, xlsxDrainTimeoutMs)
    target.once('drain', done)
  })
}

async function writeXlsx(path: string, count: number, seed: number): Promise<void> {
  // A fixed creation date keeps the workbook's metadata reproducible (not the zip timestamps).
  const fixed = new Date(`${syntheticAsOf}T00:00:00Z`)
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true })
  workbook.creator = 'loyalty-workstation synthetic generator'
  workbook.created = fixed
  workbook.modified = fixed
  const sheet = workbook.addWorksheet('Players')
  const moneyFormat = { numFmt: '#,##0.00' }
  const dateFormat = { numFmt: 'yyyy-mm-dd' }
  sheet.columns = syntheticColumns.map((header) => ({
    header,
    key: header,
    width: header === 'game_types' ? 28 : 16,
    style: header.startsWith('total_') || header === 'bonus_received' ? moneyFormat : header.endsWith('_date') ? dateFormat : {},
  }))
  sheet.getRow(1).commit()
  for (let i = 0; i < count; i += 1) {
    const player = syntheticPlayer(i, seed)
    sheet
      .addRow([
        player.playerId,
        moneyCell(player.totalDeposited),
        moneyCell(player.totalWagered),
        moneyCell(player.totalWon),
        player.sessions,
        player.playtimeHours,
        dateCell(player.lastDepositDate),
        dateCell(player.registrationDate),
        moneyCell(player.totalWithdrawn),
        moneyCell(player.bonusReceived),
        player.country ?? null,
        player.ip ?? null,
        player.deviceId ?? null,
        player.gameTypes?.join(', ') ?? null,
        dateCell(player.lastActiveDate),
      ])
      .commit()
    if ((i + 1) % xlsxCheckEvery === 0) await waitForZip(sheet)
  }
  sheet.commit()
  await workbook.commit()
}

/** Writes `players` synthetic player summaries to `path` as CSV or XLSX (header row + one row each). */
export async function writeSyntheticPlayers(path: string, options: { players: number; format: 'csv' | 'xlsx'; seed?: number }): Promise<void> {
  const count = options.players
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`players must be a whole number ≥ 0, got ${count}`)
  const seed = options.seed ?? defaultSyntheticSeed
  if (options.format === 'csv') await writeCsv(path, count, seed)
  else if (options.format === 'xlsx') await writeXlsx(path, count, seed)
  else throw new Error(`format must be csv or xlsx, got ${String(options.format)}`)
}

// ---------------------------------------------------------------------------------------------
// Events

/** Event columns, in the order of DESIGN.md "Data in". */
export const syntheticEventColumns = ['event_id', 'player_id', 'timestamp', 'type', 'amount', 'game_type', 'ip', 'device_id'] as const

/**
 * JSONL activity events for the players of writeSyntheticPlayers (same seed, same players): one to
 * three recent sessions each (session_start, a deposit now and then, a few bets and wins, sometimes a
 * bonus credit or a withdrawal, session_end), about 15 events per player (a million players: 15M
 * lines, 2.8 GB, ~2 minutes). Amounts in major units.
 * Streaming and memory-flat like the players; events are grouped by player, in time order within one.
 */
export async function writeSyntheticEvents(path: string, options: { players: number; seed?: number }): Promise<{ events: number }> {
  const count = options.players
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`players must be a whole number ≥ 0, got ${count}`)
  const seed = options.seed ?? defaultSyntheticSeed
  const stream = createWriteStream(path, { highWaterMark: 1024 * 1024 })
  let chunk = ''
  let eventNumber = 0
  for (let index = 0; index < count; index += 1) {
    const player = syntheticPlayer(index, seed)
    const random = itemRandom(seed, 3, index)
    const games = player.gameTypes && player.gameTypes.length > 0 ? player.gameTypes : ['slots']
    const lastActiveAgo = player.lastActiveDate ? Math.round((asOfMs - Date.parse(`${player.lastActiveDate}T00:00:00Z`)) / dayMs) : Math.floor(random() * 30)
    const averageBet = Math.max(10, Math.round(player.totalWagered / Math.max(1, player.sessions) / 40))
    const sessions = 1 + Math.floor(random() * 3)
    let lines = ''
    for (let s = sessions - 1; s >= 0; s -= 1) {
      let time = asOfMs - (lastActiveAgo + s * 2) * dayMs + Math.floor((8 + random() * 14) * 3_600_000)
      const event = (type: string, minor?: number, game?: string) => {
        eventNumber += 1
        const record: Record<string, string | number> = { event_id: `SE${String(eventNumber).padStart(10, '0')}`, player_id: player.playerId, timestamp: new Date(time).toISOString(), type }
        if (minor !== undefined) record.amount = Number(majorText(minor))
        if (game !== undefined) record.game_type = game
        if (player.ip !== undefined) record.ip = player.ip
        if (player.deviceId !== undefined) record.device_id = player.deviceId
        lines += `${JSON.stringify(record)}\n`
        time += 30_000 + Math.floor(random() * 240_000)
      }
      event('session_start')
      if (random() < 0.5) event('deposit', Math.max(1_000, Math.round(lognormal(random, 50, 0.8) * 100)))
      if (random() < 0.1) event('bonus_credit', Math.max(500, Math.round(lognormal(random, 20, 0.6) * 100)))
      const bets = 2 + Math.floor(random() * 4)
      for (let b = 0; b < bets; b += 1) {
        const game = games[Math.floor(random() * games.length)]!
        const stake = Math.max(10, Math.round(averageBet * clamp(lognormal(random, 1, 0.7), 0.05, 20)))
        event('bet', stake, game)
        if (random() < 0.45) event('win', Math.round(stake * clamp(lognormal(random, 1.9, 0.8), 0.1, 50)), game)
      }
      if (random() < 0.05) event('withdrawal', Math.max(1_000, Math.round(lognormal(random, 80, 0.7) * 100)))
      event('session_end')
    }
    chunk += lines
    if (chunk.length >= chunkChars) {
      await writeChunk(stream, chunk)
      chunk = ''
    }
  }
  await writeChunk(stream, chunk)
  await closeStream(stream)
  return { events: eventNumber }
}
