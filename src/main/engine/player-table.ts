// The player base as columns: one Float64Array per metric, NaN where a metric is unavailable
// (its inputs were not in the sheet). Batch evaluation loops over these arrays; derived
// metrics are computed on first use and cached, so unused ones cost nothing.
import type { Currency } from '../../shared/money'
import { isMetricName, type MetricName } from '../../shared/metric-catalogue'
import type { Segment } from './segments-types'
import { ColumnArena, type ColumnAllocator } from './column-arena'
import { dayNumber } from './dates'

/** One player's inputs: a summary snapshot (money in minor units) plus optional activity and state. */
export interface PlayerRecord {
  playerId: string
  totalDeposited?: number
  totalWithdrawn?: number
  totalWagered?: number
  totalWon?: number
  bonusReceived?: number
  sessions?: number
  playtimeMinutes?: number
  lastDepositDate?: string
  registrationDate?: string
  lastActiveDate?: string
  country?: string
  ip?: string
  deviceId?: string
  gameTypes?: string[]
  /** From activity events, when imported. */
  activity?: ActivitySummary
  /** State carried from the ledger and earlier evaluations. */
  previousSegment?: Segment
  tier?: string
  lpInWindow?: number
  balances?: Partial<Record<Currency, number>>
}

/** What the engine needs from a player's activity events (see activity.ts for how it is built). */
export interface ActivitySummary {
  betCount: number
  /** Sum of bet amounts, minor units. */
  betTotal: number
  /** Wager per game type, minor units: the player's game mix. */
  wagerByGame: Record<string, number>
  /** Std dev of daily net result / mean daily wager; undefined with fewer than 2 active days. */
  volatility?: number
  lastEventDate?: string
  /** Hours from a bonus credit to the first withdrawal after it (the shortest such gap). */
  hoursFromBonusToWithdrawal?: number
  /** Share of bets placed while a bonus was being wagered that were at the player's minimum bet size. */
  minBetShareWhileWagering?: number
  betsWhileWagering: number
  /** Deposits made after the first bonus credit (minor units); 0 = bonus-only play. */
  depositsAfterFirstBonus?: number
  ips: string[]
  devices: string[]
}

/** Derived columns per chunk of the table's own arena. */
const derivedColumnsPerArena = 8

const baseColumns = [
  'total_deposited', 'total_withdrawn', 'total_wagered', 'total_won', 'bonus_received', 'sessions', 'playtime_minutes',
  'last_deposit_day', 'registration_day', 'last_active_day', 'bet_count', 'bet_total', 'game_diversity', 'volatility',
  'lp_in_window', 'abuse_score',
] as const
type BaseColumn = (typeof baseColumns)[number]

export class PlayerTable {
  readonly count: number
  readonly playerIds: string[]
  readonly records: readonly PlayerRecord[]
  readonly asOfDay: number
  private readonly base: Record<BaseColumn, Float64Array>
  private readonly derived = new Map<MetricName, Float64Array>()
  /**
   * Where the table's columns come from, and the columns of work over this base that live as long
   * (an evaluation cache's candidates). By default an arena of its own, in chunks of several
   * columns: one large allocation instead of one per column, because each allocation of external
   * memory can trigger a full GC, and with a million player objects alive that costs far more
   * than the arithmetic.
   */
  readonly columns: ColumnAllocator

  /** Records are put in ascending player id order: the engine's one canonical order. */
  constructor(records: readonly PlayerRecord[], asOf: string, options: { columns?: ColumnAllocator } = {}) {
    // Bases usually arrive in id order already (the loader reads them so): checking is one cheap
    // pass, sorting a million ids is not.
    const sorted = inIdOrder(records) ? records.slice() : [...records].sort((a, b) => (a.playerId < b.playerId ? -1 : a.playerId > b.playerId ? 1 : 0))
    this.records = sorted
    this.count = sorted.length
    this.playerIds = sorted.map((record) => record.playerId)
    this.asOfDay = dayNumber(asOf)
    this.columns = options.columns ?? new ColumnArena(Math.max(1, this.count) * 8 * derivedColumnsPerArena)
    // Activity and tier-window columns exist only when some player has them; otherwise they share
    // one all-NaN column (= unavailable for everyone): 8 MB each at a million players not touched.
    let hasActivity = false
    let hasLpWindow = false
    for (let index = 0; index < this.count && !(hasActivity && hasLpWindow); index += 1) {
      const record = sorted[index]!
      if (record.activity) hasActivity = true
      if (record.lpInWindow !== undefined) hasLpWindow = true
    }
    const optional: Partial<Record<BaseColumn, boolean>> = { bet_count: hasActivity, bet_total: hasActivity, volatility: hasActivity, lp_in_window: hasLpWindow }
    // One allocation for all of them (with the shared all-NaN column if needed): each separate
    // allocation of 8 MB of external memory can start a full GC over the whole heap.
    const own = baseColumns.filter((name) => optional[name] !== false)
    const slots = own.length + (own.length < baseColumns.length ? 1 : 0)
    const block = this.columns.float64(this.count * slots).fill(Number.NaN)
    const unavailable = block.subarray(own.length * this.count)
    const columns = {} as Record<BaseColumn, Float64Array>
    for (const name of baseColumns) {
      const slot = own.indexOf(name)
      columns[name] = slot < 0 ? unavailable : block.subarray(slot * this.count, (slot + 1) * this.count)
    }
    for (let index = 0; index < this.count; index += 1) {
      const record = sorted[index]!
      setIf(columns.total_deposited, index, record.totalDeposited)
      setIf(columns.total_withdrawn, index, record.totalWithdrawn)
      setIf(columns.total_wagered, index, record.totalWagered)
      setIf(columns.total_won, index, record.totalWon)
      setIf(columns.bonus_received, index, record.bonusReceived)
      setIf(columns.sessions, index, record.sessions)
      setIf(columns.playtime_minutes, index, record.playtimeMinutes)
      setIf(columns.last_deposit_day, index, record.lastDepositDate ? dayNumber(record.lastDepositDate) : undefined)
      setIf(columns.registration_day, index, record.registrationDate ? dayNumber(record.registrationDate) : undefined)
      const lastActive = latestDate(record.lastActiveDate, record.activity?.lastEventDate, record.lastDepositDate)
      setIf(columns.last_active_day, index, lastActive ? dayNumber(lastActive) : undefined)
      const games = record.activity ? Object.keys(record.activity.wagerByGame) : record.gameTypes
      setIf(columns.game_diversity, index, games ? distinctCount(games) : undefined)
      if (record.activity) {
        columns.bet_count[index] = record.activity.betCount
        columns.bet_total[index] = record.activity.betTotal
        setIf(columns.volatility, index, record.activity.volatility)
      }
      setIf(columns.lp_in_window, index, record.lpInWindow)
    }
    this.base = columns
  }

  /** A metric's column (NaN = unavailable). Derived metrics are computed once, on first use. */
  column(name: MetricName): Float64Array {
    const cached = this.derived.get(name)
    if (cached) return cached
    const computed = this.compute(name)
    this.derived.set(name, computed)
    return computed
  }

  /** The metric's column if it exists already (base metrics, derived ones once computed). */
  cachedColumn(name: MetricName): Float64Array | undefined {
    return this.derived.get(name) ?? (isBaseColumn(name) ? this.base[name] : undefined)
  }

  /**
   * One player's value of a metric, exactly column(name)[index], without computing the column when
   * it does not exist yet. A single pass over the base (a rule's conditions, a formula's inputs for
   * the players it selected) reads a derived metric cheaper this way than by filling a fresh 8 MB
   * column first: at a million players, touching fresh memory costs more than the arithmetic.
   */
  reader(name: MetricName): (index: number) => number {
    const cached = this.cachedColumn(name)
    if (cached) return (index) => cached[index]!
    const b = this.base
    const asOf = this.asOfDay
    // Each is the same arithmetic, in the same order, as the matching kernel in compute().
    switch (name) {
      case 'net_pnl': return pairReader(b.total_won, b.total_wagered, (won, wagered) => won - wagered)
      case 'ggr': return pairReader(b.total_wagered, b.total_won, (wagered, won) => wagered - won)
      case 'net_deposits': return pairReader(b.total_deposited, b.total_withdrawn, (deposited, withdrawn) => deposited - withdrawn)
      case 'net_loss': return pairReader(b.total_wagered, b.total_won, (wagered, won) => {
        const loss = wagered - won
        return loss < 0 ? 0 : loss
      })
      case 'hold': return pairReader(b.total_wagered, b.total_won, (wagered, won) => (wagered > 0 ? (wagered - won) / wagered : Number.NaN))
      case 'win_loss_ratio': return ratioReader(b.total_won, b.total_wagered)
      case 'playtime_hours': {
        const minutes = b.playtime_minutes
        const factor = 1 / 60
        return (index) => minutes[index]! * factor
      }
      case 'avg_session_minutes': return ratioReader(b.playtime_minutes, b.sessions)
      case 'avg_wager_per_session': return ratioReader(b.total_wagered, b.sessions)
      case 'days_since_last_deposit': return daysReader(asOf, b.last_deposit_day)
      case 'days_since_last_activity': return daysReader(asOf, b.last_active_day)
      case 'tenure_days': return daysReader(asOf, b.registration_day)
      case 'avg_bet': return ratioReader(b.bet_total, b.bet_count)
      case 'bet_frequency': return ratioReader(b.bet_count, b.sessions)
      default: {
        const column = this.column(name)
        return (index) => column[index]!
      }
    }
  }

  /**
   * Writes the metric's value for players `at[0..count)` (or players 0..count when `at` is
   * undefined) to out[0..count): column(name)[at[k]] exactly, derived metrics computed in passing
   * by tight loops rather than through reader()'s per-player calls.
   */
  gatherInto(name: MetricName, at: Int32Array | undefined, count: number, out: Float64Array): Float64Array {
    const cached = this.cachedColumn(name)
    const b = this.base
    const asOf = this.asOfDay
    if (cached) {
      if (at) for (let k = 0; k < count; k += 1) out[k] = cached[at[k]!]!
      else out.set(cached.subarray(0, count))
      return out
    }
    // Each is the same arithmetic, in the same order, as the matching kernel in compute().
    switch (name) {
      case 'net_pnl': return pairInto(out, at, count, b.total_won, b.total_wagered, 'difference')
      case 'ggr': return pairInto(out, at, count, b.total_wagered, b.total_won, 'difference')
      case 'net_deposits': return pairInto(out, at, count, b.total_deposited, b.total_withdrawn, 'difference')
      case 'net_loss': return pairInto(out, at, count, b.total_wagered, b.total_won, 'loss')
      case 'hold': return pairInto(out, at, count, b.total_wagered, b.total_won, 'hold')
      case 'win_loss_ratio': return pairInto(out, at, count, b.total_won, b.total_wagered, 'quotient')
      case 'avg_session_minutes': return pairInto(out, at, count, b.playtime_minutes, b.sessions, 'quotient')
      case 'avg_wager_per_session': return pairInto(out, at, count, b.total_wagered, b.sessions, 'quotient')
      case 'avg_bet': return pairInto(out, at, count, b.bet_total, b.bet_count, 'quotient')
      case 'bet_frequency': return pairInto(out, at, count, b.bet_count, b.sessions, 'quotient')
      case 'playtime_hours': {
        const minutes = b.playtime_minutes
        const factor = 1 / 60
        if (at) for (let k = 0; k < count; k += 1) out[k] = minutes[at[k]!]! * factor
        else for (let k = 0; k < count; k += 1) out[k] = minutes[k]! * factor
        return out
      }
      case 'days_since_last_deposit': return daysInto(out, at, count, asOf, b.last_deposit_day)
      case 'days_since_last_activity': return daysInto(out, at, count, asOf, b.last_active_day)
      case 'tenure_days': return daysInto(out, at, count, asOf, b.registration_day)
      default: {
        const column = this.column(name)
        if (at) for (let k = 0; k < count; k += 1) out[k] = column[at[k]!]!
        else out.set(column.subarray(0, count))
        return out
      }
    }
  }

  /** Set by the abuse step; read by rules (abuse_score) and the risk score. */
  setAbuseScores(scores: Float64Array): void {
    if (scores.length !== this.count) throw new Error('abuse scores must have one entry per player')
    this.base.abuse_score.set(scores)
    this.derived.delete('abuse_score')
    this.derived.delete('risk_score')
  }

  value(name: MetricName, index: number): number {
    return this.column(name)[index] ?? Number.NaN
  }

  // Derived columns come from a few small loop kernels shared by every metric, so V8 optimises
  // them once and every column after the first runs at full speed (closures per element, or one
  // loop per metric in a big switch, measured several times slower on a million rows).
  private allocate(): Float64Array {
    return this.columns.float64(this.count)
  }

  private compute(name: MetricName): Float64Array {
    const b = this.base
    const fresh = () => this.allocate()
    const copy = (source: Float64Array) => {
      const column = this.allocate()
      column.set(source)
      return column
    }
    const asOf = this.asOfDay
    switch (name) {
      case 'total_deposited':
      case 'total_withdrawn':
      case 'total_wagered':
      case 'total_won':
      case 'bonus_received':
      case 'sessions':
      case 'game_diversity':
      case 'bet_count':
      case 'volatility':
      case 'lp_in_window':
      case 'abuse_score':
        return b[name]
      case 'risk_score':
        return this.riskScores(fresh())
      case 'net_pnl':
        return difference(fresh(), b.total_won, b.total_wagered)
      case 'ggr':
        return difference(fresh(), b.total_wagered, b.total_won)
      case 'net_deposits':
        return difference(fresh(), b.total_deposited, b.total_withdrawn)
      case 'net_loss':
        return positivePart(difference(fresh(), b.total_wagered, b.total_won))
      case 'hold':
        return quotient(difference(fresh(), b.total_wagered, b.total_won), b.total_wagered)
      case 'win_loss_ratio':
        return quotient(copy(b.total_won), b.total_wagered)
      case 'playtime_hours':
        return scaled(fresh(), b.playtime_minutes, 1 / 60)
      case 'avg_session_minutes':
        return quotient(copy(b.playtime_minutes), b.sessions)
      case 'avg_wager_per_session':
        return quotient(copy(b.total_wagered), b.sessions)
      case 'days_since_last_deposit':
        return daysBefore(fresh(), asOf, b.last_deposit_day)
      case 'days_since_last_activity':
        return daysBefore(fresh(), asOf, b.last_active_day)
      case 'tenure_days':
        return daysBefore(fresh(), asOf, b.registration_day)
      case 'avg_bet':
        return quotient(copy(b.bet_total), b.bet_count)
      case 'bet_frequency':
        return quotient(copy(b.bet_count), b.sessions)
    }
  }

  /**
   * Operator risk, 0–100: up to 50 for how far the player is up (win/loss ratio 1.0 → 0, 1.5+ → 50),
   * up to 20 for volatility (≥ 2 → 20), and 30 × abuse score / 100. Unavailable parts count as 0;
   * with no wagering data at all the score is unavailable.
   */
  private riskScores(out: Float64Array): Float64Array {
    const ratio = this.column('win_loss_ratio')
    const volatility = this.base.volatility
    const abuse = this.base.abuse_score
    for (let i = 0; i < this.count; i += 1) {
      const r = ratio[i]!
      if (Number.isNaN(r)) {
        out[i] = Number.NaN
        continue
      }
      const winning = Math.min(50, Math.max(0, (r - 1) * 100))
      const v = volatility[i]!
      const volatile = Number.isNaN(v) ? 0 : Math.min(20, v * 10)
      const a = abuse[i]!
      const abusive = Number.isNaN(a) ? 0 : (30 * a) / 100
      out[i] = Math.round(winning + volatile + abusive)
    }
    return out
  }
}

function difference(out: Float64Array, left: Float64Array, right: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i += 1) out[i] = left[i]! - right[i]!
  return out
}

/** max(0, x), keeping NaN (unavailable) as NaN. */
function positivePart(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i += 1) if (values[i]! < 0) values[i] = 0
  return values
}

/** numerator / denominator in place; unavailable (NaN) where the denominator is not positive. */
function quotient(numerator: Float64Array, denominator: Float64Array): Float64Array {
  for (let i = 0; i < numerator.length; i += 1) {
    const d = denominator[i]!
    numerator[i] = d > 0 ? numerator[i]! / d : Number.NaN
  }
  return numerator
}

function scaled(out: Float64Array, values: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < out.length; i += 1) out[i] = values[i]! * factor
  return out
}

function daysBefore(out: Float64Array, day: number, days: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i += 1) out[i] = day - days[i]!
  return out
}

function isBaseColumn(name: string): name is BaseColumn {
  return (baseColumns as readonly string[]).includes(name)
}

function pairReader(left: Float64Array, right: Float64Array, combine: (a: number, b: number) => number): (index: number) => number {
  return (index) => combine(left[index]!, right[index]!)
}

/** As quotient(): unavailable where the denominator is not positive. */
function ratioReader(numerator: Float64Array, denominator: Float64Array): (index: number) => number {
  return (index) => {
    const d = denominator[index]!
    return d > 0 ? numerator[index]! / d : Number.NaN
  }
}

/** left − right, max(0, left − right), (left − right) / left where left > 0, left / right where right > 0; NaN as compute(). */
type PairKernel = 'difference' | 'loss' | 'hold' | 'quotient'

function pairInto(out: Float64Array, at: Int32Array | undefined, count: number, left: Float64Array, right: Float64Array, kernel: PairKernel): Float64Array {
  // One loop per kernel: each stays monomorphic and tight.
  if (kernel === 'difference') {
    for (let k = 0; k < count; k += 1) {
      const i = at ? at[k]! : k
      out[k] = left[i]! - right[i]!
    }
  } else if (kernel === 'loss') {
    for (let k = 0; k < count; k += 1) {
      const i = at ? at[k]! : k
      const loss = left[i]! - right[i]!
      out[k] = loss < 0 ? 0 : loss
    }
  } else if (kernel === 'hold') {
    for (let k = 0; k < count; k += 1) {
      const i = at ? at[k]! : k
      const l = left[i]!
      out[k] = l > 0 ? (l - right[i]!) / l : Number.NaN
    }
  } else {
    for (let k = 0; k < count; k += 1) {
      const i = at ? at[k]! : k
      const d = right[i]!
      out[k] = d > 0 ? left[i]! / d : Number.NaN
    }
  }
  return out
}

function daysInto(out: Float64Array, at: Int32Array | undefined, count: number, day: number, days: Float64Array): Float64Array {
  for (let k = 0; k < count; k += 1) out[k] = day - days[at ? at[k]! : k]!
  return out
}

function daysReader(day: number, days: Float64Array): (index: number) => number {
  return (index) => day - days[index]!
}

function setIf(column: Float64Array, index: number, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) column[index] = value
}

function inIdOrder(records: readonly PlayerRecord[]): boolean {
  for (let index = 1; index < records.length; index += 1) if (records[index - 1]!.playerId > records[index]!.playerId) return false
  return true
}

/** new Set(values).size without the Set: a player has a handful of game types. */
function distinctCount(values: readonly string[]): number {
  if (values.length > 16) return new Set(values).size
  let distinct = 0
  for (let i = 0; i < values.length; i += 1) {
    let seen = false
    for (let j = 0; j < i && !seen; j += 1) seen = values[j] === values[i]
    if (!seen) distinct += 1
  }
  return distinct
}

function latestDate(...dates: (string | undefined)[]): string | undefined {
  let latest: string | undefined
  for (const date of dates) if (date && (!latest || date > latest)) latest = date
  return latest
}

export function isKnownMetric(name: string): name is MetricName {
  return isMetricName(name)
}
