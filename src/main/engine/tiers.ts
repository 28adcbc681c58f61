// Loyalty tiers (Bronze → Platinum): which tier a player holds, earned by loyalty points (LP) over a
// window, with benefits and a downgrade grace period. Pure and deterministic: the as-of date is an
// argument, nothing here reads the clock.
//
// Definitions used throughout (all dates are business dates 'YYYY-MM-DD', see dates.ts):
//
// - Window. A tier's window is the `window_days` days that END ON the as-of date, as-of date
//   included: an LP entry dated `d` counts for the tier when  asOf − window_days < d ≤ asOf.
//   With a 90-day window and as-of 2026-03-31 that is 2026-01-01 … 2026-03-31; an entry exactly
//   90 days before as-of (2025-12-31) does NOT count, one 89 days before does. Entries dated after
//   the as-of date never count. Each tier uses its own window, so a ladder may mix windows.
// - Qualifies for. The highest-ranked tier whose `qualifying_points` are met (≥) by the LP in that
//   tier's own window. The lowest-ranked tier always qualifies: everyone starts there.
// - Upgrade: immediate. Downgrade: only after grace. A player below their current tier keeps it
//   while asOf ≤ graceEndsOn = (the later of lastQualifiedOn and tierSince) + the CURRENT tier's
//   downgrade_grace_days; graceEndsOn is the last day the tier is kept. From the day after, they drop
//   straight to the tier they qualify for (one or more ranks at once). A tier is only ever entered by
//   qualifying for it, so tierSince is also a day the player qualified. When neither date is known,
//   no grace can be counted and the downgrade happens at once (the reason says so).
// - Unknown current tier (its code is no longer in the ladder): treated as not held; the player is
//   placed from scratch ('initial') and previousTier keeps the old code.
// - LP entries are whole points; negative entries (reversals) count with their sign.

import { z } from 'zod'
import { roundToInteger } from '../../shared/money'
import { dateOfDay, dayNumber } from './dates'

// ---------------------------------------------------------------------------------------------
// Limits

export const tierLadderTiersMax = 20
export const tierCodeLengthMax = 32
export const tierNameLengthMax = 64
export const tierWindowDaysMax = 730
export const tierGraceDaysMax = 365
export const tierLpMultiplierMax = 10

// ---------------------------------------------------------------------------------------------
// Configuration schemas (operator input)

const tierCodePattern = /^[A-Z0-9_]+$/

/** A short, safe description of what the operator gave, for "expected …, got …" messages. */
function describeInput(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)'
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** A number field whose every failure (type, whole number, range) says what was expected and what came. */
function numberField(expected: string) {
  return z.number({ error: (issue) => `expected ${expected}, got ${describeInput(issue.input)}` })
}

function objectField<Shape extends z.ZodRawShape>(what: string, shape: Shape) {
  const allowed = Object.keys(shape).join(', ')
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} in ${what}; expected only ${allowed}`
        : `expected ${what} (an object with ${allowed}), got ${describeInput(issue.input)}`,
  })
}

export const tierBenefitsSchema = objectField('the benefits', {
  /** LP earned is multiplied by this (1.25 = +25%). */
  lp_multiplier: numberField(`an LP multiplier from 1 to ${tierLpMultiplierMax}`).min(1).max(tierLpMultiplierMax).default(1),
  /** Cashback on net loss, in percent (5 = 5%). */
  cashback_percent: numberField('a cashback percentage from 0 to 100').min(0).max(100).default(0),
  /** Reward points (RP) credited per LP earned. */
  rp_conversion_rate: numberField('an RP conversion rate (RP per LP) of 0 or more').min(0).default(0),
})

export const tierDefinitionSchema = objectField('a tier', {
  code: z
    .string({ error: (issue) => `expected a tier code of 1 to ${tierCodeLengthMax} characters A-Z, 0-9 or _ (e.g. GOLD), got ${describeInput(issue.input)}` })
    .min(1)
    .max(tierCodeLengthMax)
    .regex(tierCodePattern),
  name: z
    .string({ error: (issue) => `expected a tier name of 1 to ${tierNameLengthMax} characters, got ${describeInput(issue.input)}` })
    .trim()
    .min(1)
    .max(tierNameLengthMax),
  /** Order on the ladder: higher is better. Unique within a ladder. */
  rank: numberField('a rank that is a whole number of 0 or more').int().min(0),
  /** LP needed within the window to qualify. */
  qualifying_points: numberField('qualifying points as a whole number of LP, 0 or more').int().min(0),
  window_days: numberField(`a window that is a whole number of days from 1 to ${tierWindowDaysMax}`).int().min(1).max(tierWindowDaysMax),
  benefits: tierBenefitsSchema.prefault({}),
  /** Days a player below this tier keeps it after last qualifying for it. */
  downgrade_grace_days: numberField(`a downgrade grace that is a whole number of days from 0 to ${tierGraceDaysMax}`)
    .int()
    .min(0)
    .max(tierGraceDaysMax)
    .default(0),
})

export type TierDefinitionInput = z.input<typeof tierDefinitionSchema>
export type TierDefinition = z.output<typeof tierDefinitionSchema>
export type TierBenefits = TierDefinition['benefits']
/** A validated ladder (from parseTierLadder or defaultTierLadder), in any order of rank. */
export type TierLadder = readonly TierDefinition[]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function tierLabel(tier: unknown, index: number): string {
  return isRecord(tier) && typeof tier.code === 'string' && tier.code !== '' ? tier.code : `tier [${index}]`
}

/**
 * Cross-tier rules: unique codes, unique ranks, the lowest-ranked tier needs 0 LP. Runs even when
 * single tiers have errors (so the operator sees every problem at once), hence the defensive reads.
 */
function checkLadder(tiers: unknown[], context: z.RefinementCtx): void {
  const indexByCode = new Map<string, number>()
  const indexByRank = new Map<number, number>()
  let lowestRank = Number.POSITIVE_INFINITY
  tiers.forEach((tier, index) => {
    if (!isRecord(tier)) return
    if (typeof tier.code === 'string') {
      const first = indexByCode.get(tier.code)
      if (first === undefined) indexByCode.set(tier.code, index)
      else context.addIssue({ code: 'custom', path: [index, 'code'], message: `tier code ${tier.code} is already used by tier [${first}]; codes must be unique` })
    }
    if (typeof tier.rank === 'number' && Number.isInteger(tier.rank)) {
      const first = indexByRank.get(tier.rank)
      if (first === undefined) indexByRank.set(tier.rank, index)
      else
        context.addIssue({
          code: 'custom',
          path: [index, 'rank'],
          message: `${tierLabel(tier, index)} has rank ${tier.rank}, already used by ${tierLabel(tiers[first], first)}; ranks must be unique`,
        })
      lowestRank = Math.min(lowestRank, tier.rank)
    }
  })
  tiers.forEach((tier, index) => {
    if (!isRecord(tier) || tier.rank !== lowestRank) return
    if (typeof tier.qualifying_points === 'number' && tier.qualifying_points !== 0)
      context.addIssue({
        code: 'custom',
        path: [index, 'qualifying_points'],
        message: `${tierLabel(tier, index)} is the lowest-ranked tier (rank ${lowestRank}), where every player starts, so its qualifying points must be 0, got ${tier.qualifying_points}`,
      })
  })
}

export const tierLadderSchema = z
  .array(tierDefinitionSchema, { error: (issue) => `expected a list of tiers, got ${describeInput(issue.input)}` })
  .min(1, { error: 'expected at least 1 tier, got none' })
  .max(tierLadderTiersMax, { error: (issue) => `expected at most ${tierLadderTiersMax} tiers, got ${Array.isArray(issue.input) ? issue.input.length : 'more'}` })
  .superRefine(checkLadder, { when: (payload) => Array.isArray(payload.value) })

export interface TierLadderError {
  /** Where in the input, e.g. "[2].window_days" or "[0].benefits.lp_multiplier"; "(ladder)" for the list itself. */
  path: string
  /** What was expected and what was given, e.g. "GOLD: expected a window … from 1 to 730, got -5". */
  message: string
}

export type TierLadderParseResult = { ok: true; ladder: TierDefinition[] } | { ok: false; errors: TierLadderError[] }

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(ladder)'
  let text = ''
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `.${String(key)}`
  return text.startsWith('.') ? text.slice(1) : text
}

/** Validates an operator-configured ladder; every error names the field path and what was expected. */
export function parseTierLadder(input: unknown): TierLadderParseResult {
  const result = tierLadderSchema.safeParse(input)
  if (result.success) return { ok: true, ladder: result.data }
  const errors = result.error.issues.map((issue): TierLadderError => {
    const index = issue.path[0]
    // Name the tier for operators, except in our own cross-tier messages, which already do.
    const prefix =
      typeof index === 'number' && issue.path.length > 1 && issue.code !== 'custom' && Array.isArray(input) ? `${tierLabel(input[index], index)}: ` : ''
    return { path: formatPath(issue.path), message: `${prefix}${issue.message}` }
  })
  return { ok: false, errors }
}

// ---------------------------------------------------------------------------------------------
// The default ladder

export const defaultTierLadder: TierLadder = deepFreeze([
  {
    code: 'BRONZE',
    name: 'Bronze',
    rank: 0,
    qualifying_points: 0,
    window_days: 90,
    benefits: { lp_multiplier: 1, cashback_percent: 0, rp_conversion_rate: 0 },
    downgrade_grace_days: 0,
  },
  {
    code: 'SILVER',
    name: 'Silver',
    rank: 1,
    qualifying_points: 1_000,
    window_days: 90,
    benefits: { lp_multiplier: 1.1, cashback_percent: 2, rp_conversion_rate: 0.01 },
    downgrade_grace_days: 30,
  },
  {
    code: 'GOLD',
    name: 'Gold',
    rank: 2,
    qualifying_points: 5_000,
    window_days: 90,
    benefits: { lp_multiplier: 1.25, cashback_percent: 5, rp_conversion_rate: 0.012 },
    downgrade_grace_days: 30,
  },
  {
    code: 'PLATINUM',
    name: 'Platinum',
    rank: 3,
    qualifying_points: 20_000,
    window_days: 90,
    benefits: { lp_multiplier: 1.5, cashback_percent: 10, rp_conversion_rate: 0.015 },
    downgrade_grace_days: 30,
  },
])

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// Benefits

export function findTier(code: string, ladder: TierLadder): TierDefinition | undefined {
  return ladder.find((tier) => tier.code === code)
}

function requireTier(code: string, ladder: TierLadder): TierDefinition {
  const tier = findTier(code, ladder)
  if (!tier) throw new RangeError(`Unknown tier ${JSON.stringify(code)}; the ladder has ${ladder.map((t) => t.code).join(', ')}`)
  return tier
}

/** The benefits of a tier. Throws RangeError for a code that is not in the ladder (use findTier to check). */
export function tierBenefits(code: string, ladder: TierLadder): TierBenefits {
  return requireTier(code, ladder).benefits
}

/**
 * LP after the tier's multiplier, as whole points: rounded once with the project's rule (half away
 * from zero, see roundToInteger), so a reversal of −5 at 1.1× is −6 just as a credit of 5 is 6.
 */
export function applyLpMultiplier(points: number, code: string, ladder: TierLadder): number {
  if (!Number.isSafeInteger(points)) throw new RangeError(`LP must be whole points, got ${points}`)
  const multiplied = roundToInteger(points * requireTier(code, ladder).benefits.lp_multiplier)
  if (!Number.isSafeInteger(multiplied)) throw new RangeError(`${points} LP × the ${code} multiplier is too large to be a whole number of points`)
  return multiplied
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface LpEntry {
  /** Business date the LP was earned, 'YYYY-MM-DD' (anything dayNumber accepts). */
  date: string
  /** Whole LP; negative for a reversal. */
  points: number
  /** Optional pre-parsed dayNumber(date). When present it is used and `date` is not parsed (fast path). */
  day?: number
}

export interface TierInput {
  /** Tier code held before this evaluation; absent or '' for a player who holds none yet. */
  currentTier?: string
  /** Day the current tier was entered, 'YYYY-MM-DD'. */
  tierSince?: string
  /** Last day the player met the current tier's qualifying points, 'YYYY-MM-DD'. */
  lastQualifiedOn?: string
  lpEarned: readonly LpEntry[]
}

export interface PlayerTierInput extends TierInput {
  playerId: string
}

export type TierChange = 'initial' | 'upgrade' | 'downgrade' | 'held_in_grace' | 'unchanged'

export interface TierDecision {
  /** Tier code held after this evaluation. */
  tier: string
  /** The input's currentTier when one was given (even if unknown to the ladder). */
  previousTier?: string
  change: TierChange
  /** LP earned in (asOf − window_days, asOf] of the qualifiesFor tier's window. */
  lpInWindow: number
  /** The highest tier the player meets today (differs from `tier` only when held in grace). */
  qualifiesFor: string
  /** held_in_grace only: the last day the tier is kept unless the player qualifies again. */
  graceEndsOn?: string
  /** One plain sentence for the operator, with the numbers. */
  reason: string
  /** State to store for the next evaluation: the day `tier` was entered (asOf when it changed). */
  tierSince?: string
  /** State to store for the next evaluation: the last day the player met `tier` (asOf when they do today). */
  lastQualifiedOn?: string
}

interface PreparedLadder {
  /** By rank, lowest first. */
  readonly tiers: readonly TierDefinition[]
  readonly indexByCode: ReadonlyMap<string, number>
  /** Distinct window lengths, longest first; LP sums are kept per window, not per tier. */
  readonly windowDays: Int32Array
  readonly windowIndexOfTier: Int32Array
  readonly text: ReasonText
}

/**
 * The fixed parts of every reason, built once per ladder: a reason is then a few concatenations
 * (a million players means a million sentences, so this matters).
 */
interface ReasonText {
  /** "Placed in Gold: " */
  readonly placed: readonly string[]
  /** "Gold kept: " */
  readonly kept: readonly string[]
  /** " LP in the last 90 days meets Gold's 5,000." */
  readonly meets: readonly string[]
  /** " LP in the last 90 days is below Gold's 5,000" (no full stop: a downgrade goes on). */
  readonly below: readonly string[]
  /** "Upgraded from Silver to Gold: " by [from][to]; "Downgraded from …" likewise. */
  readonly upgraded: readonly (readonly string[])[]
  readonly downgraded: readonly (readonly string[])[]
  /** "Gold kept in grace until " */
  readonly graceKept: readonly string[]
  /** " and its 30-day grace period ended on " / " and Gold has no grace period" */
  readonly graceEnded: readonly string[]
}

function lastDays(windowDays: number): string {
  return windowDays === 1 ? 'the last day' : `the last ${windowDays} days`
}

function reasonText(tiers: readonly TierDefinition[]): ReasonText {
  return {
    placed: tiers.map((tier) => `Placed in ${tier.name}: `),
    kept: tiers.map((tier) => `${tier.name} kept: `),
    meets: tiers.map((tier) => ` LP in ${lastDays(tier.window_days)} meets ${tier.name}'s ${formatPoints(tier.qualifying_points)}.`),
    below: tiers.map((tier) => ` LP in ${lastDays(tier.window_days)} is below ${tier.name}'s ${formatPoints(tier.qualifying_points)}`),
    upgraded: tiers.map((from) => tiers.map((to) => `Upgraded from ${from.name} to ${to.name}: `)),
    downgraded: tiers.map((from) => tiers.map((to) => `Downgraded from ${from.name} to ${to.name}: `)),
    graceKept: tiers.map((tier) => `${tier.name} kept in grace until `),
    graceEnded: tiers.map((tier) =>
      tier.downgrade_grace_days === 0 ? ` and ${tier.name} has no grace period` : ` and its ${tier.downgrade_grace_days}-day grace period ended on `,
    ),
  }
}

function prepareLadder(ladder: TierLadder): PreparedLadder {
  if (ladder.length === 0) throw new RangeError('The tier ladder is empty; validate it with parseTierLadder')
  const tiers = [...ladder].sort((left, right) => left.rank - right.rank)
  const indexByCode = new Map<string, number>()
  tiers.forEach((tier, index) => {
    if (indexByCode.has(tier.code)) throw new RangeError(`Tier code ${tier.code} appears twice; validate the ladder with parseTierLadder`)
    if (index > 0 && tiers[index - 1]?.rank === tier.rank) throw new RangeError(`Rank ${tier.rank} appears twice; validate the ladder with parseTierLadder`)
    if (!Number.isInteger(tier.window_days) || tier.window_days < 1) throw new RangeError(`Tier ${tier.code} has window_days ${tier.window_days}; validate the ladder with parseTierLadder`)
    indexByCode.set(tier.code, index)
  })
  const lowest = tiers[0] as TierDefinition
  if (lowest.qualifying_points !== 0) throw new RangeError(`The lowest tier ${lowest.code} must need 0 LP; validate the ladder with parseTierLadder`)
  const windows = [...new Set(tiers.map((tier) => tier.window_days))].sort((left, right) => right - left)
  return {
    tiers,
    indexByCode,
    windowDays: Int32Array.from(windows),
    windowIndexOfTier: Int32Array.from(tiers, (tier) => windows.indexOf(tier.window_days)),
    text: reasonText(tiers),
  }
}

function requireAsOfDay(asOf: string): number {
  const day = dayNumber(asOf)
  if (!Number.isInteger(day)) throw new RangeError(`The as-of date must be 'YYYY-MM-DD', got ${JSON.stringify(asOf)}`)
  return day
}

/** Date ↔ day-number conversions; the batch memoises them, a single evaluation uses dates.ts directly. */
interface Calendar {
  dayOf(date: string): number
  dateOf(day: number): string
}

const plainCalendar: Calendar = { dayOf: dayNumber, dateOf: dateOfDay }

/** Distinct dates remembered per batch; beyond this a memo is cleared (it is only a cache). */
const batchCalendarEntriesMax = 100_000

function memoisedCalendar(): Calendar {
  const dayByDate = new Map<string, number>()
  const dateByDay = new Map<number, string>()
  return {
    dayOf(date) {
      let day = dayByDate.get(date)
      if (day === undefined) {
        if (dayByDate.size >= batchCalendarEntriesMax) dayByDate.clear()
        day = dayNumber(date)
        dayByDate.set(date, day)
      }
      return day
    },
    dateOf(day) {
      let date = dateByDay.get(day)
      if (date === undefined) {
        if (dateByDay.size >= batchCalendarEntriesMax) dateByDay.clear()
        date = dateOfDay(day)
        dateByDay.set(day, date)
      }
      return date
    },
  }
}

/** A stored date's day number, or undefined when absent/blank; a malformed one is a broken invariant. */
function optionalDay(value: string | undefined, field: string, playerId: string | undefined, calendar: Calendar): number | undefined {
  if (value === undefined || value === '') return undefined
  const day = calendar.dayOf(value)
  if (!Number.isInteger(day)) throw new RangeError(`${who(playerId)}${field} must be 'YYYY-MM-DD', got ${JSON.stringify(value)}`)
  return day
}

function who(playerId: string | undefined): string {
  return playerId === undefined ? '' : `Player ${playerId}: `
}

/** Whole points with thousands separators (1,234), without Intl: cheap enough for a million reasons. */
function formatPoints(value: number): string {
  if (value > -1000 && value < 1000) return String(value)
  const digits = String(Math.abs(value))
  let text = digits.slice(0, digits.length % 3 || 3)
  for (let index = text.length; index < digits.length; index += 3) text += `,${digits.slice(index, index + 3)}`
  return value < 0 ? `-${text}` : text
}

/** Why the player qualifies for tier `index`: its met threshold or, for the lowest tier, the next one missed. */
function qualificationReason(prepared: PreparedLadder, sums: Float64Array, index: number): string {
  if (index > 0) return formatPoints(sums[prepared.windowIndexOfTier[index] as number] as number) + (prepared.text.meets[index] as string)
  if (prepared.tiers.length === 1) return 'it is the only tier in the ladder.'
  return `${formatPoints(sums[prepared.windowIndexOfTier[1] as number] as number)}${prepared.text.below[1] as string}.`
}

/**
 * One player's decision. `sums` is scratch space (one slot per distinct window), reused across a
 * batch. The hot loop does one day look-up and a few comparisons per LP entry, and allocates nothing.
 */
function decide(
  prepared: PreparedLadder,
  asOf: string,
  asOfDay: number,
  input: TierInput,
  playerId: string | undefined,
  sums: Float64Array,
  calendar: Calendar,
): TierDecision {
  const { tiers, windowDays, windowIndexOfTier, text } = prepared
  const windowCount = windowDays.length
  const longestWindow = windowDays[0] as number
  sums.fill(0)
  const entries = input.lpEarned
  for (let entryIndex = 0; entryIndex < entries.length; entryIndex++) {
    const entry = entries[entryIndex] as LpEntry
    const points = entry.points
    if (!Number.isSafeInteger(points)) throw new RangeError(`${who(playerId)}LP entry ${entryIndex} has ${points} points; LP must be whole points`)
    const day = entry.day ?? calendar.dayOf(entry.date)
    if (!Number.isInteger(day)) throw new RangeError(`${who(playerId)}LP entry ${entryIndex} has date ${JSON.stringify(entry.date)}; expected 'YYYY-MM-DD'`)
    const age = asOfDay - day // 0 = earned on the as-of date
    if (age < 0 || age >= longestWindow) continue
    for (let window = 0; window < windowCount && age < (windowDays[window] as number); window++) sums[window] = (sums[window] as number) + points
  }

  let qualifiesIndex = 0
  for (let index = tiers.length - 1; index > 0; index--) {
    if ((sums[windowIndexOfTier[index] as number] as number) >= (tiers[index] as TierDefinition).qualifying_points) {
      qualifiesIndex = index
      break
    }
  }
  const qualifies = tiers[qualifiesIndex] as TierDefinition
  const lpInWindow = sums[windowIndexOfTier[qualifiesIndex] as number] as number

  const previousTier = input.currentTier === '' ? undefined : input.currentTier
  const currentIndex = previousTier === undefined ? undefined : prepared.indexByCode.get(previousTier)
  if (currentIndex === undefined) {
    const head =
      previousTier === undefined
        ? (text.placed[qualifiesIndex] as string)
        : `Tier ${previousTier} is no longer in the ladder, so the player was placed from scratch in ${qualifies.name}: `
    return decision(qualifies.code, previousTier, 'initial', lpInWindow, qualifies.code, undefined, head + qualificationReason(prepared, sums, qualifiesIndex), asOf, asOf)
  }

  const current = tiers[currentIndex] as TierDefinition
  if (qualifiesIndex > currentIndex) {
    const reason = (text.upgraded[currentIndex]?.[qualifiesIndex] as string) + qualificationReason(prepared, sums, qualifiesIndex)
    return decision(qualifies.code, previousTier, 'upgrade', lpInWindow, qualifies.code, undefined, reason, asOf, asOf)
  }
  if (qualifiesIndex === currentIndex) {
    const reason = (text.kept[currentIndex] as string) + qualificationReason(prepared, sums, qualifiesIndex)
    return decision(current.code, previousTier, 'unchanged', lpInWindow, qualifies.code, undefined, reason, input.tierSince, asOf)
  }

  // Below the current tier: keep it through the grace period, counted from the last day it was met.
  const below = formatPoints(sums[windowIndexOfTier[currentIndex] as number] as number) + (text.below[currentIndex] as string)
  const lastQualifiedDay = optionalDay(input.lastQualifiedOn, 'lastQualifiedOn', playerId, calendar)
  const tierSinceDay = optionalDay(input.tierSince, 'tierSince', playerId, calendar)
  const useTierSince = tierSinceDay !== undefined && (lastQualifiedDay === undefined || tierSinceDay > lastQualifiedDay)
  const qualifiedDay = useTierSince ? tierSinceDay : lastQualifiedDay
  let why: string
  if (qualifiedDay === undefined) {
    why = ' and no qualification date is known to count a grace period from.'
  } else {
    const graceEndDay = qualifiedDay + current.downgrade_grace_days
    const graceEndsOn = calendar.dateOf(graceEndDay)
    if (asOfDay <= graceEndDay) {
      const reason = `${text.graceKept[currentIndex] as string}${graceEndsOn}: ${below}.`
      const lastQualifiedOn = useTierSince ? input.tierSince : input.lastQualifiedOn
      return decision(current.code, previousTier, 'held_in_grace', lpInWindow, qualifies.code, graceEndsOn, reason, input.tierSince, lastQualifiedOn)
    }
    why = current.downgrade_grace_days === 0 ? `${text.graceEnded[currentIndex] as string}.` : `${text.graceEnded[currentIndex] as string}${graceEndsOn}.`
  }
  const reason = (text.downgraded[currentIndex]?.[qualifiesIndex] as string) + below + why
  return decision(qualifies.code, previousTier, 'downgrade', lpInWindow, qualifies.code, undefined, reason, asOf, asOf)
}

/** Every decision has the same keys (absent ones undefined): one object shape for a million players. */
function decision(
  tier: string,
  previousTier: string | undefined,
  change: TierChange,
  lpInWindow: number,
  qualifiesFor: string,
  graceEndsOn: string | undefined,
  reason: string,
  tierSince: string | undefined,
  lastQualifiedOn: string | undefined,
): TierDecision {
  return { tier, previousTier, change, lpInWindow, qualifiesFor, graceEndsOn, reason, tierSince, lastQualifiedOn }
}

/** One player's tier as of `asOf` ('YYYY-MM-DD'). See the definitions at the top of this file. */
export function evaluateTier(input: TierInput, ladder: TierLadder, asOf: string): TierDecision {
  const prepared = prepareLadder(ladder)
  return decide(prepared, asOf, requireAsOfDay(asOf), input, undefined, new Float64Array(prepared.windowDays.length), plainCalendar)
}

/**
 * Every player's tier as of `asOf`, decisions in input order. The ladder is prepared once (sorted,
 * distinct window lengths, the fixed words of every reason); dates are parsed once per distinct date
 * string (memoised dayNumber), or not at all when LP entries carry a pre-parsed `day`.
 */
/** Distinct reason texts kept for sharing; beyond this the texts are mostly one per player anyway. */
const internedReasonsMax = 10_000

export function evaluateTiers(players: readonly PlayerTierInput[], ladder: TierLadder, asOf: string): TierDecision[] {
  const prepared = prepareLadder(ladder)
  const asOfDay = requireAsOfDay(asOf)
  const sums = new Float64Array(prepared.windowDays.length)
  const calendar = memoisedCalendar()
  const decisions = new Array<TierDecision>(players.length)
  // Most players of a base share their reason text (the same tier, points and dates): one copy of
  // each is kept, instead of a million strings held for the garbage collector to trace.
  const reasons = new Map<string, string>()
  for (let index = 0; index < players.length; index++) {
    const player = players[index] as PlayerTierInput
    const made = decide(prepared, asOf, asOfDay, player, player.playerId, sums, calendar)
    const reason = reasons.get(made.reason)
    if (reason !== undefined) made.reason = reason
    else if (reasons.size < internedReasonsMax) reasons.set(made.reason, made.reason)
    decisions[index] = made
  }
  return decisions
}
