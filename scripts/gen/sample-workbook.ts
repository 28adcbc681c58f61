// The sample operator export in resources/samples/: players.xlsx (100 players + a few deliberately
// bad rows), and the matching activity events (events.jsonl, events.csv).
//
// Every player is designed for a purpose (a segment, a tier, an abuse signal, a rule outcome, a
// boundary of a threshold); filler players get seeded-random amounts within their segment's band,
// so the file is the same on every run. `generateSample()` checks each player lands in the segment
// it was designed for (run through the engine's own segment definitions) and throws otherwise, so
// a change of thresholds cannot silently turn the sample into something else.
//
// Money is integer cents here; the workbook shows euros. Dates are days before the as-of date.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import ExcelJS from 'exceljs'
import { mulberry32 } from '../../src/shared/seeded-random'

export const sampleAsOf = '2026-11-20'
export const sampleSeed = 20261120
const asOfMs = Date.parse(`${sampleAsOf}T00:00:00Z`)
const dayMs = 86_400_000
const hourMs = 3_600_000
const minuteMs = 60_000

export type DesignedSegment = 'NEW' | 'VIP' | 'WINNING' | 'BREAKEVEN' | 'LOSING'

/** One player as designed: money in cents, dates in days before as-of. */
export interface SamplePlayer {
  /** A stable name for the player's purpose ("ring3", "seed_gap", "losing07"). */
  key: string
  segment: DesignedSegment
  /** What this player is for, in one line (README, test messages). */
  purpose: string
  id?: string
  registeredDaysAgo?: number
  country?: string
  deposited: number
  withdrawn?: number
  wagered: number
  won: number
  bonus?: number
  sessions: number
  hours: number
  lastDepositDaysAgo?: number
  lastSeenDaysAgo?: number
  games?: string[]
  ip?: string
  device?: string
  /** Write deposits and turnover as text with thousands separators (as some exports do). */
  moneyAsText?: boolean
  /** Write sessions as text ("numbers stored as text"). */
  sessionsAsText?: boolean
}

export interface SampleEvent {
  event_id: string
  player_id: string
  timestamp: string
  type: 'deposit' | 'withdrawal' | 'bet' | 'win' | 'bonus_credit' | 'session_start' | 'session_end'
  /** Euros with 2 decimals as a JSON number; absent for session markers. */
  amount?: number
  game_type?: string
  ip?: string
  device_id?: string
}

/** A row of the sheet below the header, in sheet order. */
export type SheetRow =
  | { kind: 'player'; player: SamplePlayer }
  | { kind: 'bad'; player: SamplePlayer; problem: string }
  | { kind: 'stale'; player: SamplePlayer; problem: string }
  | { kind: 'blank' }

export interface Sample {
  players: SamplePlayer[]
  rows: SheetRow[]
  events: SampleEvent[]
  /** Event lines repeated verbatim (the export overlapped): their event ids. */
  duplicateEventIds: string[]
}

// ---------------------------------------------------------------------------------------------
// Helpers

const euros = (value: number): number => Math.round(value * 100)

function between(random: () => number, low: number, high: number): number {
  return low + (high - low) * random()
}

function intBetween(random: () => number, low: number, high: number): number {
  return Math.floor(between(random, low, high + 1))
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function logUniform(random: () => number, low: number, high: number): number {
  return Math.exp(between(random, Math.log(low), Math.log(high)))
}

/** Round cents to whole euros or tens of euros, as exports of deposits usually look. */
function roundTo(cents: number, step: number): number {
  return Math.max(step, Math.round(cents / step) * step)
}

const countries = ['DE', 'DE', 'DE', 'FI', 'FI', 'SE', 'SE', 'NO', 'NL', 'IE', 'AT', 'MT', 'EE', 'CA'] as const
const gameSets: readonly (readonly string[])[] = [
  ['slots'],
  ['slots'],
  ['slots', 'live_casino'],
  ['slots', 'roulette'],
  ['live_casino', 'blackjack'],
  ['sports'],
  ['sports', 'slots'],
  ['roulette', 'blackjack', 'baccarat'],
  ['slots', 'crash'],
  ['poker'],
]

function randomIp(random: () => number): string {
  return `${pick(random, [31, 37, 46, 62, 77, 78, 80, 82, 84, 87, 88, 91, 94, 95, 109, 176, 178, 185, 188, 193, 212, 213])}.${intBetween(random, 0, 255)}.${intBetween(random, 0, 255)}.${intBetween(random, 1, 254)}`
}

function randomDevice(random: () => number): string {
  let text = 'fp-'
  for (let i = 0; i < 10; i += 1) text += '0123456789abcdef'[Math.floor(random() * 16)]
  return text
}

/** won for a target hold (operator's share of wagered): won = wagered × (1 − hold). */
function wonFor(wagered: number, hold: number): number {
  return Math.round(wagered * (1 - hold))
}

// ---------------------------------------------------------------------------------------------
// The designed players

function fillerPlayer(random: () => number, key: string, segment: DesignedSegment): SamplePlayer {
  const games = [...pick(random, gameSets)]
  const base = {
    key,
    segment,
    country: pick(random, countries),
    games,
    ip: randomIp(random),
    device: randomDevice(random),
  }
  switch (segment) {
    case 'NEW': {
      const registered = intBetween(random, 1, 26)
      const deposited = roundTo(euros(logUniform(random, 20, 300)), 1000)
      const wagered = Math.min(euros(980), Math.round(deposited * between(random, 1.2, 3.2)))
      const sessions = intBetween(random, 1, 12)
      const lastDeposit = intBetween(random, 0, registered)
      return {
        ...base,
        purpose: 'new player, first weeks',
        registeredDaysAgo: registered,
        deposited,
        withdrawn: random() < 0.3 ? roundTo(Math.round(deposited * between(random, 0.2, 0.8)), 100) : 0,
        wagered,
        won: wonFor(wagered, between(random, -0.15, 0.35)),
        bonus: random() < 0.4 ? roundTo(Math.round(deposited * between(random, 0.1, 0.5)), 100) : 0,
        sessions,
        hours: Math.round(sessions * between(random, 0.2, 1.2) * 10) / 10,
        lastDepositDaysAgo: lastDeposit,
        lastSeenDaysAgo: intBetween(random, 0, lastDeposit),
      }
    }
    case 'VIP': {
      const registered = intBetween(random, 220, 1_600)
      const wagered = euros(Math.round(logUniform(random, 115_000, 850_000)))
      const sessions = intBetween(random, 130, 950)
      const deposited = roundTo(Math.round(wagered / between(random, 3, 8)), 10_000)
      const hold = between(random, 0.012, 0.07)
      const won = wonFor(wagered, hold)
      const lastDeposit = intBetween(random, 0, 13)
      return {
        ...base,
        games: [...pick(random, [['slots', 'live_casino'], ['live_casino', 'blackjack', 'roulette'], ['slots', 'live_casino', 'baccarat'], ['live_casino']])],
        purpose: 'VIP, deposited in the last two weeks (reload)',
        registeredDaysAgo: registered,
        deposited,
        withdrawn: Math.max(0, roundTo(Math.round((deposited + won - wagered) * between(random, 0.5, 0.95)), 10_000)),
        wagered,
        won,
        bonus: roundTo(Math.round(deposited * between(random, 0.005, 0.03)), 1000),
        sessions,
        hours: Math.round(sessions * between(random, 0.6, 1.8)),
        lastDepositDaysAgo: lastDeposit,
        lastSeenDaysAgo: intBetween(random, 0, Math.min(lastDeposit, 4)),
      }
    }
    case 'WINNING':
    case 'BREAKEVEN':
    case 'LOSING': {
      const registered = intBetween(random, 45, 1_400)
      const wagered = euros(Math.round(segment === 'WINNING' ? logUniform(random, 1_200, 30_000) : logUniform(random, 1_500, 90_000)))
      const hold = segment === 'WINNING' ? between(random, -0.25, -0.06) : segment === 'BREAKEVEN' ? between(random, -0.04, 0.04) : between(random, 0.06, 0.35)
      const won = wonFor(wagered, hold)
      const deposited = roundTo(Math.round(wagered / between(random, 2, 7)), 1000)
      // Winners in the sample are mostly short, high-stake histories: over thousands of sessions a
      // result well above the house edge is improbable, and the engine flags exactly that.
      const sessions = segment === 'WINNING' ? intBetween(random, 4, 24) : Math.max(4, Math.round(wagered / euros(between(random, 60, 400))))
      const lastDeposit = intBetween(random, 0, 25)
      return {
        ...base,
        purpose: `${segment.toLowerCase()} regular`,
        registeredDaysAgo: registered,
        deposited,
        withdrawn: Math.max(0, roundTo(Math.round((deposited + won - wagered) * between(random, 0.3, 0.9)), 1000)),
        wagered,
        won,
        bonus: random() < 0.6 ? roundTo(Math.round(deposited * between(random, 0.02, 0.12)), 100) : 0,
        sessions,
        hours: Math.round(sessions * between(random, 0.3, 1.5) * 10) / 10,
        lastDepositDaysAgo: lastDeposit,
        lastSeenDaysAgo: intBetween(random, 0, lastDeposit),
      }
    }
  }
}

function designedPlayers(random: () => number): SamplePlayer[] {
  const players: SamplePlayer[] = []
  const add = (player: SamplePlayer) => players.push(player)
  const fill = (segment: DesignedSegment, count: number, prefix: string, tweak?: (player: SamplePlayer, index: number) => void) => {
    for (let i = 1; i <= count; i += 1) {
      const player = fillerPlayer(random, `${prefix}${String(i).padStart(2, '0')}`, segment)
      tweak?.(player, i)
      add(player)
    }
  }

  // ---- NEW (15): wagered under 1,000 -----------------------------------------------------
  // Includes a welcome-bonus ring: new accounts that take the bonus and wager it at low stakes.
  add({
    key: 'hunter',
    segment: 'NEW',
    purpose: 'bonus hunter: €10 deposit, €100 bonus, cashes out 2 h after the bonus (bonus-only + withdrawal after bonus → reduced)',
    registeredDaysAgo: 6,
    country: 'EE',
    deposited: 0, // from events
    wagered: 0,
    won: 0,
    sessions: 0,
    hours: 1.4,
    games: ['slots'],
    ip: '91.203.5.17',
    device: 'fp-5b0e1d77aa',
  })
  add({
    key: 'new_boundary',
    segment: 'NEW',
    purpose: 'wagered €999.99: just under the NEW threshold (wagered < 1,000)',
    registeredDaysAgo: 12,
    country: 'FI',
    deposited: euros(400),
    withdrawn: 0,
    wagered: euros(999.99),
    won: euros(941.3),
    bonus: euros(40),
    sessions: 9,
    hours: 6.5,
    lastDepositDaysAgo: 2,
    lastSeenDaysAgo: 1,
    games: ['slots', 'crash'],
    ip: '88.112.40.201',
    device: 'fp-7c11e0a3b2',
  })
  add({
    key: 'new_late',
    segment: 'NEW',
    purpose: 'registered 60 days ago, still under €1,000 wagered: NEW but past the 30-day welcome window',
    registeredDaysAgo: 60,
    country: 'SE',
    deposited: euros(150),
    withdrawn: 0,
    wagered: euros(640),
    won: euros(575.5),
    sessions: 7,
    hours: 5.2,
    lastDepositDaysAgo: 20,
    lastSeenDaysAgo: 9,
    games: ['sports'],
    ip: '78.70.12.99',
    device: 'fp-2f8a90c6d1',
  })
  add({
    key: 'new_noreg',
    segment: 'NEW',
    purpose: 'no registration date in the export: tenure unknown, so the welcome rule (tenure ≤ 30 days) cannot match',
    country: 'DE',
    deposited: euros(100),
    wagered: euros(230),
    won: euros(180),
    sessions: 2,
    hours: 1.1,
    lastDepositDaysAgo: 3,
    lastSeenDaysAgo: 3,
    games: ['slots'],
  })
  // The ring: five accounts of one person. Summary links 1–3 (one IP) and 4–5 (one device);
  // only the events show ring3 on ring4's device, which makes it one cluster of five.
  const ring = (index: number, extra: Partial<SamplePlayer>): SamplePlayer => ({
    key: `ring${index}`,
    segment: 'NEW',
    purpose: '',
    registeredDaysAgo: 12 - index,
    country: 'EE',
    deposited: 0,
    wagered: 0,
    won: 0,
    sessions: 0,
    hours: 0,
    games: ['slots'],
    ...extra,
  })
  add(ring(1, { ip: '185.220.101.45', device: 'fp-ring0001', purpose: 'ring of 5 (bonus-only, shared IP), cashes out 1 h after the bonus: blocked' }))
  add(ring(2, { ip: '185.220.101.45', device: 'fp-ring0002', purpose: 'ring of 5 (bonus-only, shared IP), cashes out 3 h after the bonus: blocked' }))
  add(ring(3, { ip: '185.220.101.45', device: 'fp-ring0003', purpose: "ring of 5: its events show ring4's device, joining the two halves of the ring: review + reduced" }))
  add(ring(4, { ip: '176.59.3.88', device: 'fp-9c2e71d04b', purpose: 'ring of 5 (bonus-only, shared device): review + reduced' }))
  add(ring(5, { ip: '176.59.3.91', device: 'fp-9c2e71d04b', purpose: 'ring of 5 (bonus-only, shared device), wagers the bonus at the minimum bet: blocked' }))
  fill('NEW', 6, 'new')

  // ---- VIP (12): wagered > 100,000 and sessions > 100 ------------------------------------
  add({
    key: 'vip_advantage',
    segment: 'VIP',
    purpose: 'VIP blackjack player up 19% over ~42,000 estimated bets: improbable win rate (35 points, below the reduce threshold)',
    registeredDaysAgo: 410,
    country: 'MT',
    deposited: euros(40_000),
    withdrawn: euros(68_000),
    wagered: euros(152_000),
    won: euros(181_500),
    bonus: euros(600),
    sessions: 420,
    hours: 610,
    lastDepositDaysAgo: 3,
    lastSeenDaysAgo: 0,
    games: ['blackjack'],
    ip: '213.175.44.9',
    device: 'fp-d1a9be0c44',
  })
  add({
    key: 'vip_lapsed',
    segment: 'VIP',
    purpose: 'VIP whose last deposit was 45 days ago: no reload bonus',
    registeredDaysAgo: 1_210,
    country: 'NO',
    deposited: euros(95_000),
    withdrawn: euros(41_000),
    wagered: euros(480_000),
    won: euros(457_300),
    bonus: euros(1_800),
    sessions: 640,
    hours: 880,
    lastDepositDaysAgo: 45,
    lastSeenDaysAgo: 38,
    games: ['live_casino', 'roulette'],
    ip: '84.208.77.3',
    device: 'fp-40be1d2291',
  })
  fill('VIP', 10, 'vip', (player, index) => {
    if (index === 4) {
      player.registeredDaysAgo = undefined
      player.purpose = 'VIP without a registration date: tenure assumed 365 days for the margin'
    }
    if (index === 7) player.moneyAsText = true
  })

  // ---- WINNING (18): up more than 5% of wagered ------------------------------------------
  add({
    key: 'seed_gap',
    segment: 'WINNING',
    purpose: "up 7% of wagered: the seed's literal thresholds would call this LOSING; the engine's order makes it WINNING",
    registeredDaysAgo: 300,
    country: 'IE',
    deposited: euros(6_000),
    withdrawn: euros(4_500),
    wagered: euros(20_000),
    won: euros(21_400),
    bonus: euros(150),
    sessions: 25,
    hours: 31,
    lastDepositDaysAgo: 5,
    lastSeenDaysAgo: 2,
    games: ['slots', 'roulette'],
    ip: '37.228.200.14',
    device: 'fp-93c0d8e1f2',
  })
  add({
    key: 'win_boundary',
    segment: 'WINNING',
    purpose: 'won exactly 105% of wagered: hold −5.00% is outside BREAKEVEN (−5% < hold < 5%), so WINNING',
    registeredDaysAgo: 190,
    country: 'AT',
    deposited: euros(3_000),
    withdrawn: euros(3_200),
    wagered: euros(10_000),
    won: euros(10_500),
    sessions: 30,
    hours: 22.5,
    lastDepositDaysAgo: 11,
    lastSeenDaysAgo: 4,
    games: ['sports'],
    ip: '80.110.5.77',
    device: 'fp-0d5e6f7a8b',
  })
  add({
    key: 'events_winner',
    segment: 'WINNING',
    purpose: 'winning live-casino player with events: bet count, volatility and game mix come from the events',
    registeredDaysAgo: 520,
    country: 'DE',
    deposited: euros(14_000),
    withdrawn: euros(19_000),
    wagered: euros(36_000),
    won: euros(43_000),
    bonus: euros(200),
    sessions: 58,
    hours: 96,
    lastDepositDaysAgo: 9,
    lastSeenDaysAgo: 1,
    games: ['live_casino', 'blackjack'],
    ip: '46.114.9.130',
    device: 'fp-61f0aa3e5c',
  })
  fill('WINNING', 15, 'winning', (player, index) => {
    if (index === 3) player.moneyAsText = true
    if (index === 6) {
      player.lastDepositDaysAgo = 40
      player.lastSeenDaysAgo = 33
      player.purpose = 'winning regular, lapsed (winners get no reactivation tickets)'
    }
    if (index === 9) {
      player.games = undefined
      player.purpose = 'winning regular without game types: default house edge'
    }
  })

  // ---- BREAKEVEN (20): within ±5% of wagered ---------------------------------------------
  add({
    key: 'even_zero',
    segment: 'BREAKEVEN',
    purpose: 'won exactly what was wagered: net 0',
    registeredDaysAgo: 240,
    country: 'NL',
    deposited: euros(1_500),
    withdrawn: euros(1_500),
    wagered: euros(5_000),
    won: euros(5_000),
    sessions: 18,
    hours: 14,
    lastDepositDaysAgo: 8,
    lastSeenDaysAgo: 3,
    games: ['roulette'],
    ip: '145.53.8.201',
    device: 'fp-e2b7c0d915',
  })
  add({
    key: 'vip_sessions_boundary',
    segment: 'BREAKEVEN',
    purpose: 'wagered €250,000 in exactly 100 sessions: VIP needs sessions > 100, so BREAKEVEN (and Platinum by LP)',
    registeredDaysAgo: 700,
    country: 'CA',
    deposited: euros(70_000),
    withdrawn: euros(60_000),
    wagered: euros(250_000),
    won: euros(242_500),
    bonus: euros(2_500),
    sessions: 100,
    hours: 240,
    lastDepositDaysAgo: 6,
    lastSeenDaysAgo: 2,
    games: ['baccarat', 'live_casino'],
    ip: '142.112.6.30',
    device: 'fp-8aa2c4e0d7',
  })
  add({
    key: 'grinder',
    segment: 'BREAKEVEN',
    purpose: 'wagers a bonus at the minimum bet (28 of 28 bets at €0.10) and shares a home IP with "partner": 25 + 15 = 40, exactly the reduce threshold',
    registeredDaysAgo: 380,
    country: 'FI',
    deposited: euros(2_400),
    withdrawn: euros(900),
    wagered: euros(8_600),
    won: euros(8_430),
    bonus: euros(350),
    sessions: 64,
    hours: 70,
    lastDepositDaysAgo: 0,
    lastSeenDaysAgo: 0,
    games: ['slots'],
    ip: '84.250.66.12',
    device: 'fp-1a2b3c4d5e',
  })
  add({
    key: 'partner',
    segment: 'BREAKEVEN',
    purpose: 'shares the home IP with "grinder" (a pair: 15 points, no action)',
    registeredDaysAgo: 365,
    country: 'FI',
    deposited: euros(1_200),
    withdrawn: euros(400),
    wagered: euros(4_100),
    won: euros(4_020),
    sessions: 22,
    hours: 19,
    lastDepositDaysAgo: 12,
    lastSeenDaysAgo: 4,
    games: ['slots', 'live_casino'],
    ip: '84.250.66.12',
    device: 'fp-9f8e7d6c5b',
  })
  fill('BREAKEVEN', 16, 'breakeven', (player, index) => {
    if (index === 2) player.sessionsAsText = true
    if (index === 5) {
      player.lastDepositDaysAgo = 70
      player.lastSeenDaysAgo = 64
      player.purpose = 'breakeven regular, lapsed 64 days: reactivation tickets'
    }
    if (index === 11) {
      player.country = undefined
      player.ip = undefined
      player.device = undefined
      player.purpose = 'breakeven regular without country, IP or device in the export'
    }
  })

  // ---- LOSING (35): down more than 5% of wagered -----------------------------------------
  add({
    key: 'quick_withdrawal',
    segment: 'LOSING',
    purpose: 'withdraws 6 h after a bonus credit (but keeps depositing): withdrawal-after-bonus only, no action',
    registeredDaysAgo: 260,
    country: 'SE',
    deposited: euros(3_200),
    withdrawn: euros(600),
    wagered: euros(9_800),
    won: euros(8_300),
    bonus: euros(250),
    sessions: 41,
    hours: 38,
    lastDepositDaysAgo: 1,
    lastSeenDaysAgo: 1,
    games: ['slots', 'roulette'],
    ip: '83.233.12.5',
    device: 'fp-33aa44bb55',
  })
  add({
    key: 'late_withdrawal',
    segment: 'LOSING',
    purpose: 'withdraws 30 h after a bonus credit: outside the 24 h window, not flagged',
    registeredDaysAgo: 610,
    country: 'NO',
    deposited: euros(5_100),
    withdrawn: euros(1_200),
    wagered: euros(16_400),
    won: euros(14_100),
    bonus: euros(300),
    sessions: 57,
    hours: 61,
    lastDepositDaysAgo: 4,
    lastSeenDaysAgo: 2,
    games: ['slots'],
    ip: '84.215.30.2',
    device: 'fp-77cc88dd99',
  })
  for (const index of [1, 2, 3]) {
    const player = fillerPlayer(random, `cafe${index}`, 'LOSING')
    player.ip = '62.4.17.200'
    player.purpose = 'one of three accounts on an internet-café IP: a cluster of 3 (20 points, no action)'
    add(player)
  }
  add({
    key: 'wager_100k',
    segment: 'LOSING',
    purpose: 'wagered exactly €100,000 in 150 sessions: VIP needs wagered > 100,000, so LOSING (and Gold by LP)',
    registeredDaysAgo: 830,
    country: 'DE',
    deposited: euros(30_000),
    withdrawn: euros(18_000),
    wagered: euros(100_000),
    won: euros(93_000),
    bonus: euros(900),
    sessions: 150,
    hours: 190,
    lastDepositDaysAgo: 2,
    lastSeenDaysAgo: 1,
    games: ['slots', 'live_casino'],
    ip: '93.192.4.77',
    device: 'fp-abcdef0123',
  })
  add({
    key: 'duplicate',
    segment: 'LOSING',
    purpose: 'listed twice: an early stale row and a corrected row further down (the last one wins)',
    registeredDaysAgo: 150,
    country: 'DE',
    deposited: euros(2_600),
    withdrawn: euros(300),
    wagered: euros(7_900),
    won: euros(6_850),
    sessions: 33,
    hours: 27,
    lastDepositDaysAgo: 1,
    lastSeenDaysAgo: 1,
    games: ['slots'],
    ip: '79.205.11.140',
    device: 'fp-d0d0d0d0d0',
  })
  add({
    key: 'no_deposit_date',
    segment: 'LOSING',
    purpose: 'no last-deposit date in the export: the cashback condition (days since deposit ≤ 7) cannot match',
    registeredDaysAgo: 400,
    country: 'NL',
    deposited: euros(2_000),
    withdrawn: 0,
    wagered: euros(6_000),
    won: euros(5_100),
    sessions: 20,
    hours: 15,
    lastSeenDaysAgo: 2,
    games: ['slots'],
    ip: '86.81.200.3',
    device: 'fp-44ee55ff66',
  })
  add({
    key: 'low_margin',
    segment: 'LOSING',
    purpose: '5 years of tenure for €2,500 wagered: the expected margin cannot pay even the €5 minimum cashback (unprofitable)',
    registeredDaysAgo: 1_820,
    country: 'IE',
    deposited: euros(900),
    withdrawn: 0,
    wagered: euros(2_500),
    won: euros(2_050),
    sessions: 12,
    hours: 9,
    lastDepositDaysAgo: 2,
    lastSeenDaysAgo: 2,
    games: ['slots'],
    ip: '109.76.3.201',
    device: 'fp-0f0f0f0f0f',
  })
  fill('LOSING', 26, 'losing', (player, index) => {
    // Cashback needs a deposit in the last 7 days: most losers qualify, a few are lapsed.
    if (index <= 15) {
      // A third of them joined recently and play a lot: their expected margin pays the cashback in full.
      if (index <= 5) player.registeredDaysAgo = intBetween(random, 45, 120)
      player.lastDepositDaysAgo = intBetween(random, 0, 7)
      player.lastSeenDaysAgo = intBetween(random, 0, player.lastDepositDaysAgo)
      player.purpose = 'losing regular, deposited in the last week (cashback)'
    } else if (index <= 22) {
      player.lastDepositDaysAgo = intBetween(random, 35, 160)
      player.lastSeenDaysAgo = player.lastDepositDaysAgo - intBetween(random, 0, 4)
      player.purpose = 'losing regular, lapsed (reactivation tickets)'
    }
    if (index === 2 || index === 10 || index === 17) player.moneyAsText = true
    if (index === 18) player.registeredDaysAgo = 1_900 // lapsed with a thin margin: tickets unprofitable
    if (index === 19) player.wagered = Math.min(player.wagered, euros(2_200))
    if (index === 19) player.won = wonFor(player.wagered, 0.2)
    if (index === 19) player.registeredDaysAgo = 2_100
    if (index === 25) {
      player.withdrawn = undefined
      player.bonus = undefined
      player.purpose = 'losing regular without withdrawals or bonus columns filled in'
    }
  })
  return players
}

// ---------------------------------------------------------------------------------------------
// Events

interface EventContext {
  random: () => number
  events: Omit<SampleEvent, 'event_id'>[]
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

function at(daysAgo: number, hour: number, minute = 0): number {
  return asOfMs - daysAgo * dayMs + hour * hourMs + minute * minuteMs
}

interface SessionPlan {
  start: number
  ip?: string
  device?: string
  deposit?: number
  /** A bonus credited after the deposit (cents). */
  bonus?: number
  /** Bets: [cents, game][]. */
  bets: [number, string][]
  /** Return to player for the session's wins (share of each bet paid back, on average). */
  rtp: number
  /** A withdrawal this many minutes after the bonus (or the session start). */
  withdrawal?: { cents: number; minutesAfterBonus: number }
}

/** Appends one session's events; returns the time of its last event. */
function session(context: EventContext, playerId: string, plan: SessionPlan): number {
  const { random, events } = context
  const common = { player_id: playerId, ip: plan.ip, device_id: plan.device }
  let time = plan.start
  const push = (type: SampleEvent['type'], cents?: number, game?: string) => {
    events.push({ ...common, timestamp: iso(time), type, ...(cents === undefined ? {} : { amount: cents / 100 }), ...(game ? { game_type: game } : {}) })
  }
  push('session_start')
  time += minuteMs
  if (plan.deposit) {
    push('deposit', plan.deposit)
    time += minuteMs
  }
  let bonusTime = time
  if (plan.bonus) {
    push('bonus_credit', plan.bonus)
    bonusTime = time
    time += minuteMs
  }
  for (const [cents, game] of plan.bets) {
    push('bet', cents, game)
    time += Math.round(between(random, 20, 90)) * 1000
    // Wins are paid on some bets; their sizes keep the session's return near `rtp`.
    if (random() < 0.45) {
      push('win', Math.round((cents * plan.rtp) / 0.45 * between(random, 0.6, 1.4)), game)
      time += 5_000
    }
  }
  if (plan.withdrawal) {
    time = Math.max(time, bonusTime + plan.withdrawal.minutesAfterBonus * minuteMs)
    push('withdrawal', plan.withdrawal.cents)
    time += minuteMs
  }
  push('session_end')
  return time
}

function bets(random: () => number, count: number, low: number, high: number, games: readonly string[]): [number, string][] {
  return Array.from({ length: count }, () => [Math.round(euros(between(random, low, high)) / 10) * 10, pick(random, games)] as [number, string])
}

function sumEvents(events: readonly Omit<SampleEvent, 'event_id'>[], playerId: string, type: SampleEvent['type']): number {
  let total = 0
  for (const event of events) if (event.player_id === playerId && event.type === type) total += euros(event.amount ?? 0)
  return total
}

/** Days before as-of of a player's last event of a type (undefined when none). */
function lastDaysAgo(events: readonly Omit<SampleEvent, 'event_id'>[], playerId: string, type?: SampleEvent['type']): number | undefined {
  let latest = Number.NEGATIVE_INFINITY
  for (const event of events) if (event.player_id === playerId && (type === undefined || event.type === type)) latest = Math.max(latest, Date.parse(event.timestamp))
  return Number.isFinite(latest) ? Math.floor((asOfMs - Math.floor(latest / dayMs) * dayMs) / dayMs) : undefined
}

/**
 * The activity events. Players whose whole life is in the events (the ring, the hunter) get their
 * summary totals from them; the others' summaries are lifetime totals that include these weeks.
 */
function designedEvents(random: () => number, byKey: Map<string, SamplePlayer>): Omit<SampleEvent, 'event_id'>[] {
  const context: EventContext = { random, events: [] }
  const idOf = (key: string) => byKey.get(key)!.id!
  const player = (key: string) => byKey.get(key)!

  // The ring: €20 deposit, €100 bonus, slots, no deposit after the bonus.
  const ringPlans: { key: string; day: number; withdrawalAfter?: number; minBets?: boolean; device?: string }[] = [
    { key: 'ring1', day: 9, withdrawalAfter: 60 },
    { key: 'ring2', day: 8, withdrawalAfter: 180 },
    { key: 'ring3', day: 7 },
    { key: 'ring4', day: 6 },
    { key: 'ring5', day: 5, minBets: true },
  ]
  for (const plan of ringPlans) {
    const p = player(plan.key)
    const id = idOf(plan.key)
    const first = session(context, id, {
      start: at(plan.day, 19, 5),
      ip: p.ip,
      device: p.device,
      deposit: euros(20),
      bonus: euros(100),
      bets: plan.minBets ? bets(random, 6, 1, 2, ['slots']) : bets(random, 40, 2, 6, ['slots']),
      rtp: 0.9,
      withdrawal: plan.withdrawalAfter ? { cents: euros(90), minutesAfterBonus: plan.withdrawalAfter } : undefined,
    })
    // Later sessions keep wagering the bonus; the minimum-bet account does it at €0.20 a spin.
    for (let s = 1; s <= 3; s += 1) {
      session(context, id, {
        start: Math.max(first + hourMs, at(plan.day - s, 20, 10 * s)),
        ip: p.ip,
        device: plan.key === 'ring3' && s === 2 ? player('ring4').device : p.device,
        bets: plan.minBets ? [...bets(random, 24, 0.2, 0.2, ['slots']), ...bets(random, 1, 3, 3, ['slots'])] : bets(random, 30, 2, 8, ['slots']),
        rtp: 0.92,
      })
    }
  }

  // The hunter: one deposit, one bonus, a cash-out two hours later, then a little more play.
  {
    const p = player('hunter')
    const id = idOf('hunter')
    session(context, id, {
      start: at(6, 21, 0),
      ip: p.ip,
      device: p.device,
      deposit: euros(10),
      bonus: euros(100),
      bets: bets(random, 45, 1, 4, ['slots']),
      rtp: 0.97,
      withdrawal: { cents: euros(80), minutesAfterBonus: 120 },
    })
    session(context, id, { start: at(5, 22, 30), ip: p.ip, device: p.device, bets: bets(random, 30, 1, 5, ['slots']), rtp: 0.95 })
  }

  // The grinder: deposits, a €50 reload bonus, then every bet while wagering it at €0.10 (the
  // bigger bets come before the bonus and more than 7 days after it, outside the wagering window).
  {
    const p = player('grinder')
    const id = idOf('grinder')
    session(context, id, { start: at(14, 18, 0), ip: p.ip, device: p.device, deposit: euros(100), bets: bets(random, 25, 0.5, 3, ['slots']), rtp: 0.96 })
    session(context, id, { start: at(9, 18, 30), ip: p.ip, device: p.device, deposit: euros(50), bonus: euros(50), bets: bets(random, 16, 0.1, 0.1, ['slots']), rtp: 0.95 })
    session(context, id, { start: at(7, 21, 0), ip: p.ip, device: p.device, bets: bets(random, 12, 0.1, 0.1, ['slots']), rtp: 0.95 })
    session(context, id, { start: at(0, 8, 0), ip: p.ip, device: p.device, deposit: euros(40), bets: bets(random, 10, 0.5, 2, ['slots']), rtp: 0.9 })
  }

  // Withdrawal 6 h after a bonus (flagged) and 30 h after one (not flagged); both keep depositing.
  for (const [key, after] of [
    ['quick_withdrawal', 6 * 60],
    ['late_withdrawal', 30 * 60],
  ] as const) {
    const p = player(key)
    const id = idOf(key)
    const bonusDay = key === 'quick_withdrawal' ? 10 : 9
    session(context, id, { start: at(bonusDay, 17, 0), ip: p.ip, device: p.device, deposit: euros(200), bonus: euros(50), bets: bets(random, 30, 1, 8, p.games ?? ['slots']), rtp: 0.93 })
    session(context, id, {
      start: at(bonusDay, 17, 0) + after * minuteMs - 10 * minuteMs,
      ip: p.ip,
      device: p.device,
      bets: bets(random, 5, 1, 5, p.games ?? ['slots']),
      rtp: 0.9,
      withdrawal: { cents: euros(150), minutesAfterBonus: 0 },
    })
    session(context, id, { start: at(p.lastDepositDaysAgo ?? 1, 19, 15), ip: p.ip, device: p.device, deposit: euros(100), bets: bets(random, 20, 1, 6, p.games ?? ['slots']), rtp: 0.9 })
  }

  // A winning live-casino player: volatile days, big wins.
  {
    const p = player('events_winner')
    const id = idOf('events_winner')
    for (const [day, rtp] of [
      [20, 1.6],
      [16, 0.5],
      [13, 1.9],
      [9, 0.7],
      [5, 1.4],
      [1, 1.2],
    ] as const) {
      session(context, id, { start: at(day, 20, 0), ip: p.ip, device: p.device, deposit: day === 9 ? euros(1_000) : undefined, bets: bets(random, 20, 20, 120, ['live_casino', 'blackjack']), rtp })
    }
  }

  // Ordinary players with events: a few sessions over the last weeks, dated so they agree with the
  // summary (the last deposit event is on the last-deposit date, nothing after the last-seen date).
  // They deposit again after a bonus, except vip02, who took a reload bonus right after the last
  // deposit: the activity-based bonus-only test flags that (see the README's engine notes).
  const ordinary = ['vip01', 'vip02', 'vip03', 'losing01', 'losing02', 'breakeven01', 'breakeven03', 'winning01', 'new01', 'new02']
  for (const key of ordinary) {
    const p = player(key)
    const id = idOf(key)
    const games = p.games ?? ['slots']
    const big = p.segment === 'VIP'
    const lastDeposit = p.lastDepositDaysAgo ?? 0
    const lastSeen = p.lastSeenDaysAgo ?? lastDeposit
    p.purpose = key === 'vip02' ? 'VIP with events: took a €200 reload bonus right after the last deposit (bonus-only by the events)' : `${p.purpose}, with events`
    const play = (day: number, hour: number, extra: Partial<SessionPlan>) =>
      session(context, id, {
        start: at(day, hour, 15),
        ip: p.ip,
        device: p.device,
        bets: bets(random, p.segment === 'NEW' ? 15 : 25, big ? 10 : 0.5, big ? 150 : 5, games),
        rtp: between(random, 0.8, 1.05),
        ...extra,
      })
    if (p.segment !== 'NEW') {
      play(lastDeposit + 6, 12, { deposit: euros(big ? 2_000 : 50) })
      if (key !== 'vip02') play(lastDeposit + 3, 14, { bonus: euros(big ? 200 : 20) })
    }
    play(lastDeposit, 16, { deposit: roundTo(Math.round(p.deposited / (big ? 40 : 8)), 1000), bonus: key === 'vip02' ? euros(200) : undefined })
    if (lastSeen < lastDeposit) play(lastSeen, 18, {})
  }
  return context.events
}

// ---------------------------------------------------------------------------------------------
// Assembly

/** Builds the sample: players (with ids), sheet rows in order, and the events. */
export function generateSample(seed = sampleSeed): Sample {
  const random = mulberry32(seed)
  const players = designedPlayers(random)
  if (players.length !== 100) throw new Error(`the sample must have 100 players, designed ${players.length}`)

  // Player ids: 7-digit numbers in sheet order with gaps, as a back office numbers its accounts.
  const order = players.map((player, index) => ({ player, sort: random(), index }))
  order.sort((a, b) => a.sort - b.sort || a.index - b.index)
  let nextId = 1_004_200
  const badIds: number[] = []
  for (const [position, entry] of order.entries()) {
    nextId += intBetween(random, 3, 97)
    entry.player.id = String(nextId)
    // Three rejected rows sit between players, with ids of their own.
    if (position === 20 || position === 47 || position === 81) {
      nextId += intBetween(random, 3, 40)
      badIds.push(nextId)
    }
  }
  const byKey = new Map(players.map((player) => [player.key, player]))

  const events = designedEvents(random, byKey)
  // Players whose whole account life is in the events: their summary is the events' totals.
  for (const key of ['hunter', 'ring1', 'ring2', 'ring3', 'ring4', 'ring5']) {
    const p = byKey.get(key)!
    const id = p.id!
    p.deposited = sumEvents(events, id, 'deposit')
    p.withdrawn = sumEvents(events, id, 'withdrawal')
    p.wagered = sumEvents(events, id, 'bet')
    p.won = sumEvents(events, id, 'win')
    p.bonus = sumEvents(events, id, 'bonus_credit')
    p.sessions = events.filter((event) => event.player_id === id && event.type === 'session_start').length
    p.hours = Math.round(p.sessions * 0.9 * 10) / 10
    p.lastDepositDaysAgo = lastDaysAgo(events, id, 'deposit')
    p.lastSeenDaysAgo = lastDaysAgo(events, id)
  }

  // Event ids in time order, then the export's overlap: two lines repeated verbatim.
  events.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.player_id.localeCompare(b.player_id))
  const withIds: SampleEvent[] = events.map((event, index) => ({ event_id: `EV${String(700_001 + index)}`, ...event }))
  const repeated = [withIds[150]!, withIds[151]!]
  withIds.splice(400, 0, ...repeated)

  const rows = sheetRows(order.map((entry) => entry.player), badIds, byKey)
  return { players, rows, events: withIds, duplicateEventIds: repeated.map((event) => event.event_id) }
}

function sheetRows(playersInOrder: SamplePlayer[], badIds: number[], byKey: Map<string, SamplePlayer>): SheetRow[] {
  const rows: SheetRow[] = playersInOrder.map((player) => ({ kind: 'player', player }))
  const bad = (id: number, player: Omit<SamplePlayer, 'id' | 'segment' | 'purpose'>, problem: string): SheetRow => ({
    kind: 'bad',
    problem,
    player: { ...player, id: String(id), segment: 'LOSING', purpose: problem },
  })
  const common = { country: 'DE', games: ['slots'], registeredDaysAgo: 200, sessions: 14, hours: 11, lastDepositDaysAgo: 5, lastSeenDaysAgo: 3 }
  const badRows = [
    bad(badIds[0]!, { key: 'bad_negative_wager', ...common, deposited: euros(500), wagered: euros(-250), won: euros(120) }, 'negative turnover (−250.00)'),
    bad(badIds[1]!, { key: 'bad_won_without_wagered', ...common, deposited: euros(50), wagered: 0, won: euros(150) }, 'winnings of 150.00 with a turnover of 0.00'),
    bad(badIds[2]!, { key: 'bad_future_date', ...common, deposited: euros(300), wagered: euros(1_800), won: euros(1_650), lastDepositDaysAgo: -15 }, 'last deposit dated 2026-12-05, after the export date'),
  ]
  // Each right after the player with the next lower id: the sheet stays in id order.
  for (const row of badRows) {
    if (row.kind === 'blank') continue
    const previous = playersInOrder.filter((player) => Number(player.id) < Number(row.player.id)).at(-1)!
    rows.splice(rows.findIndex((each) => each.kind !== 'blank' && each.player.id === previous.id) + 1, 0, row)
  }
  // The stale row of "duplicate": an earlier export of the same player, near the top of the sheet.
  const duplicate = byKey.get('duplicate')!
  const stale: SheetRow = {
    kind: 'stale',
    problem: 'stale copy of a player listed again further down (the later row wins)',
    player: { ...duplicate, key: 'duplicate_stale', wagered: euros(6_100), won: euros(5_500), deposited: euros(2_100), sessions: 27, hours: 21, lastDepositDaysAgo: 9, lastSeenDaysAgo: 9 },
  }
  rows.splice(6, 0, stale)
  // Make sure the stale row comes before the real one (the corrected row was appended later).
  const realIndex = rows.findIndex((row) => row.kind === 'player' && row.player.key === 'duplicate')
  if (realIndex < 6) {
    const [real] = rows.splice(realIndex, 1)
    rows.splice(70, 0, real!)
  }
  rows.splice(57, 0, { kind: 'blank' })
  return rows
}

// ---------------------------------------------------------------------------------------------
// Writing

export const sampleHeaders = [
  'Player ID',
  'Registered On',
  'Country',
  'Total Deposits (€)',
  'Withdrawals (€)',
  'Turnover (€)',
  'Winnings (€)',
  'GGR (€)',
  'Bonus Total (€)',
  'Sessions',
  'Hours Played',
  'Last Deposit',
  'Last Seen',
  'Games Played',
  'Last Login IP',
  'Device Fingerprint',
] as const

export const sampleTitle = `Player summary — exported ${sampleAsOf}`
/** Sheet rows: 1 title, 2 subtitle, 3 header, data from 4. */
export const sampleHeaderRow = 3

function dateOf(daysAgo: number | undefined): Date | null {
  return daysAgo === undefined ? null : new Date(asOfMs - daysAgo * dayMs)
}

/** "12,345.67" — how some exports write money as text. */
function moneyText(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`
}

const moneyFormat = '#,##0.00'
const dateFormat = 'dd/mm/yyyy'

/** The workbook in memory (see writeSampleWorkbook). */
export function buildSampleWorkbook(sample: Sample): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook()
  const fixed = new Date(`${sampleAsOf}T06:00:00Z`)
  workbook.creator = 'Back office reporting'
  workbook.created = fixed
  workbook.modified = fixed
  const sheet = workbook.addWorksheet('Players', { views: [{ state: 'frozen', ySplit: sampleHeaderRow }] })
  const lastColumn = sampleHeaders.length

  sheet.getCell(1, 1).value = sampleTitle
  sheet.getCell(1, 1).font = { bold: true, size: 14 }
  sheet.mergeCells(1, 1, 1, lastColumn)
  sheet.getCell(2, 1).value = 'Lifetime totals per player, amounts in EUR. Confidential — internal use only.'
  sheet.getCell(2, 1).font = { italic: true, color: { argb: 'FF666666' } }
  const header = sheet.getRow(sampleHeaderRow)
  sampleHeaders.forEach((text, index) => {
    const cell = header.getCell(index + 1)
    cell.value = text
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E78' } }
    cell.alignment = { vertical: 'middle', wrapText: true }
  })
  header.height = 30
  sheet.autoFilter = { from: { row: sampleHeaderRow, column: 1 }, to: { row: sampleHeaderRow, column: lastColumn } }
  sheet.columns.forEach((column, index) => {
    column.width = [12, 14, 9, 16, 15, 15, 15, 13, 14, 10, 12, 13, 13, 26, 16, 18][index] ?? 12
  })

  // Column numbers (1-based) for the formulas and the Total row.
  const col = Object.fromEntries(sampleHeaders.map((text, index) => [text, index + 1])) as Record<(typeof sampleHeaders)[number], number>
  const letter = (column: number) => String.fromCharCode(64 + column)
  const sums = new Map<number, number>()
  const addToSum = (column: number, value: number) => sums.set(column, (sums.get(column) ?? 0) + value)

  let rowNumber = sampleHeaderRow
  for (const entry of sample.rows) {
    rowNumber += 1
    if (entry.kind === 'blank') continue
    const p = entry.player
    const row = sheet.getRow(rowNumber)
    const set = (column: number, value: ExcelJS.CellValue, numFmt?: string) => {
      const cell = row.getCell(column)
      cell.value = value
      if (numFmt) cell.numFmt = numFmt
    }
    const money = (column: number, cents: number | undefined, asText = false) => {
      if (cents === undefined) return
      if (asText) set(column, moneyText(cents))
      else {
        set(column, cents / 100, moneyFormat)
        addToSum(column, cents)
      }
    }
    // Ids are numbers in the back office; a few rows carry them as text (a pasted correction).
    set(col['Player ID'], entry.kind === 'stale' ? p.id! : Number(p.id))
    set(col['Registered On'], dateOf(p.registeredDaysAgo), dateFormat)
    set(col.Country, p.country ?? null)
    money(col['Total Deposits (€)'], p.deposited, p.moneyAsText)
    money(col['Withdrawals (€)'], p.withdrawn)
    money(col['Turnover (€)'], p.wagered, p.moneyAsText)
    money(col['Winnings (€)'], p.won)
    // GGR is a formula in the export, with its cached result (what an importer must read).
    const ggr = p.wagered - p.won
    set(col['GGR (€)'], { formula: `${letter(col['Turnover (€)'])}${rowNumber}-${letter(col['Winnings (€)'])}${rowNumber}`, result: ggr / 100 }, moneyFormat)
    addToSum(col['GGR (€)'], ggr)
    money(col['Bonus Total (€)'], p.bonus)
    set(col.Sessions, p.sessionsAsText ? String(p.sessions) : p.sessions)
    if (!p.sessionsAsText) addToSum(col.Sessions, p.sessions)
    set(col['Hours Played'], p.hours, '0.0')
    set(col['Last Deposit'], dateOf(p.lastDepositDaysAgo), dateFormat)
    set(col['Last Seen'], dateOf(p.lastSeenDaysAgo), dateFormat)
    set(col['Games Played'], p.games ? p.games.join(', ') : null)
    set(col['Last Login IP'], p.ip ?? null)
    set(col['Device Fingerprint'], p.device ?? null)
  }

  // The trailing Total row: SUM formulas with cached results (SUM skips text cells, as Excel does).
  const totalRow = sheet.getRow(rowNumber + 1)
  totalRow.getCell(1).value = 'Total'
  totalRow.font = { bold: true }
  for (const [column, cents] of [...sums].sort((a, b) => a[0] - b[0])) {
    const isMoney = column !== col.Sessions
    const cell = totalRow.getCell(column)
    cell.value = {
      formula: `SUM(${letter(column)}${sampleHeaderRow + 1}:${letter(column)}${rowNumber})`,
      result: isMoney ? cents / 100 : cents,
    }
    if (isMoney) cell.numFmt = moneyFormat
  }

  const notes = workbook.addWorksheet('Notes')
  notes.getColumn(1).width = 22
  notes.getColumn(2).width = 90
  const noteLines: [string, string][] = [
    ['About this export', ''],
    ['Generated', `${sampleAsOf} 06:00 UTC by the back office reporting job`],
    ['Scope', 'All players with any activity since registration; lifetime totals'],
    ['Currency', 'EUR'],
    ['', ''],
    ['Column', 'Meaning'],
    ['Player ID', 'Back-office account number'],
    ['Turnover', 'Sum of real-money and bonus stakes'],
    ['Winnings', 'Sum of wins paid'],
    ['GGR', 'Turnover − Winnings'],
    ['Last Seen', 'Last login'],
    ['', ''],
    ['Known issues', 'Corrections are appended as new rows; the last row for a player is the current one.'],
  ]
  noteLines.forEach(([a, b], index) => {
    notes.getCell(index + 1, 1).value = a || null
    notes.getCell(index + 1, 2).value = b || null
  })
  notes.getCell(1, 1).font = { bold: true, size: 13 }
  notes.getRow(6).font = { bold: true }

  return workbook
}

/**
 * What a workbook holds, as text: per sheet, every non-empty cell's address, value (formulas as
 * formula + cached result, read through cell.result: see sample-run.ts) and number format. Equal
 * fingerprints mean equal content even when the zip bytes differ (the zip stamps each entry with
 * the time it was written).
 */
export function workbookFingerprint(workbook: ExcelJS.Workbook): string {
  const sheets = workbook.worksheets.map((sheet) => {
    const cells: unknown[] = []
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.type === ExcelJS.ValueType.Formula ? { formula: cell.formula, result: cell.result } : cell.value
        cells.push([cell.address, value instanceof Date ? value.toISOString() : value, cell.numFmt ?? null])
      })
    })
    return { name: sheet.name, merges: sheet.model.merges, cells }
  })
  return JSON.stringify(sheets)
}

/** Writes players.xlsx unless the file there already has the same content; returns whether it wrote. */
export async function writeSampleWorkbook(sample: Sample, path: string): Promise<boolean> {
  const workbook = buildSampleWorkbook(sample)
  if (existsSync(path)) {
    const existing = new ExcelJS.Workbook()
    await existing.xlsx.readFile(path)
    // Compare with the new workbook as written and read back, so both go through the same reader.
    const fresh = new ExcelJS.Workbook()
    await fresh.xlsx.load(await workbook.xlsx.writeBuffer())
    if (workbookFingerprint(existing) === workbookFingerprint(fresh)) return false
  }
  mkdirSync(dirname(path), { recursive: true })
  await workbook.xlsx.writeFile(path)
  return true
}

export const eventColumns = ['event_id', 'player_id', 'timestamp', 'type', 'amount', 'game_type', 'ip', 'device_id'] as const

/** The malformed JSON line and its 1-based line number in events.jsonl. */
export const malformedEventLine = 612
const malformedJson = '{"event_id":"EV0799999","player_id":"1004213","timestamp":"2026-11-18T2'
const malformedCsv = 'EV0799999,1004213,2026-11-18T2'

function csvField(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = typeof value === 'number' ? value.toFixed(2) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function writeSampleEvents(sample: Sample, jsonlPath: string, csvPath: string): void {
  // Keys in the documented column order; session markers have no amount or game.
  const jsonLines = sample.events.map((event) => JSON.stringify(Object.fromEntries(eventColumns.filter((column) => event[column] !== undefined).map((column) => [column, event[column]]))))
  const csvLines = sample.events.map((event) => eventColumns.map((column) => csvField(event[column])).join(','))
  // One line cut short (a truncated write in the export): line `malformedEventLine` of the file.
  jsonLines.splice(malformedEventLine - 1, 0, malformedJson)
  csvLines.splice(malformedEventLine - 1, 0, malformedCsv)
  mkdirSync(dirname(jsonlPath), { recursive: true })
  writeFileSync(jsonlPath, `${jsonLines.join('\n')}\n`)
  writeFileSync(csvPath, `${eventColumns.join(',')}\r\n${csvLines.join('\r\n')}\r\n`)
}
