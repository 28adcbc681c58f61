// Batch evaluation of the whole base: the normal path. Conditions are applied column by column
// and formulas evaluated once per rule over the players it selects; then one pass in the
// canonical order (players by ascending id, rules by priority then id) applies, per candidate:
//   formula → round to integer units → min/max clamp → frequency → exclusive group →
//   abuse multiplier → profit safety → caps (player day/week/month, rule budget, global day) →
//   hold-out control group.
// Caps and budgets are first come, first served in that order, which is what makes the result
// order-dependent — and deterministic: the same input gives byte-identical decisions.
import type { EngineSettings } from '../../shared/engine-settings'
import { currencyCodes, majorToMinor, roundToInteger, type Currency } from '../../shared/money'
import { metricUnit, type MetricName } from '../../shared/metric-catalogue'
import { separateColumns, type ColumnAllocator } from './column-arena'
import { matchingIndices, type PlayerLabels } from './conditions'
import { dayNumber, isoWeekKey, monthKey } from './dates'
import type { PlayerTable } from './player-table'
import { idempotencyKey, isActiveOn, periodKey, type CompiledRule } from './rules'
import { baseMargins, playerHouseEdges, retentionMultiplier, unitCost } from './safety'
import { segmentNames } from './segments-types'
import { isHeldOut } from './holdout'

export const outcomeNames = ['issued', 'reduced', 'blocked'] as const
export type Outcome = (typeof outcomeNames)[number]
const ISSUED = 0
const REDUCED = 1
const BLOCKED = 2

export const reasonNames = [
  'issued',
  'abuse_reduced',
  'profit_safety',
  'cap_player_day',
  'cap_player_week',
  'cap_player_month',
  'budget_rule',
  'budget_global_day',
  'metric_unavailable',
  'formula_not_finite',
  'zero_amount',
  'already_issued',
  'cooldown',
  'exclusive_group',
  'abuse_blocked',
  'unprofitable',
  'control_group',
] as const
export type Reason = (typeof reasonNames)[number]
const reasonCode = Object.fromEntries(reasonNames.map((name, index) => [name, index])) as Record<Reason, number>
// Reason codes as plain constants: the hot loop below first reaches some branches late (a budget
// running out half-way through the base), and a named property read there, with no type feedback
// yet, would deoptimise the whole pass.
const CODE_ABUSE_BLOCKED = reasonCode.abuse_blocked
const CODE_ABUSE_REDUCED = reasonCode.abuse_reduced
const CODE_ALREADY_ISSUED = reasonCode.already_issued
const CODE_BUDGET_GLOBAL_DAY = reasonCode.budget_global_day
const CODE_BUDGET_RULE = reasonCode.budget_rule
const CODE_CAP_PLAYER_DAY = reasonCode.cap_player_day
const CODE_CAP_PLAYER_MONTH = reasonCode.cap_player_month
const CODE_CAP_PLAYER_WEEK = reasonCode.cap_player_week
const CODE_CONTROL_GROUP = reasonCode.control_group
const CODE_COOLDOWN = reasonCode.cooldown
const CODE_EXCLUSIVE_GROUP = reasonCode.exclusive_group
const CODE_FORMULA_NOT_FINITE = reasonCode.formula_not_finite
const CODE_ISSUED = reasonCode.issued
const CODE_METRIC_UNAVAILABLE = reasonCode.metric_unavailable
const CODE_PROFIT_SAFETY = reasonCode.profit_safety
const CODE_UNPROFITABLE = reasonCode.unprofitable
const CODE_ZERO_AMOUNT = reasonCode.zero_amount

/** A reward already in the ledger: drives frequency, cooldown, caps and budgets. */
export interface PriorIssue {
  ruleId: string
  playerId: string
  /** Business date it was issued for, YYYY-MM-DD. */
  day: string
  periodKey: string
  currency: Currency
  /** Integer units. */
  amount: number
}

/**
 * Prior rewards as columns, as jobs/prior-issues.ts reads them from the ledger: a re-run at a
 * million players reads ~1.4M, and as an object each they were seconds to build and to collect.
 * The few distinct rule ids, days and periods are kept once and referred to by index (a rule id
 * may stand twice in `ruleIds`, once per version that issued).
 */
export interface PriorIssueColumns {
  count: number
  /** Per reward: the player's id (best the same string for all of a player's rewards). */
  playerIds: readonly string[]
  /** Per reward: index into `ruleIds`. */
  rule: Uint32Array
  ruleIds: readonly string[]
  /** Per reward: index into `days` (business dates, YYYY-MM-DD). */
  day: Uint32Array
  days: readonly string[]
  /** Per reward: index into `periods`. */
  period: Uint32Array
  periods: readonly string[]
  /** Per reward: index into currencyCodes. */
  currency: Uint8Array
  /** Per reward: integer units. */
  amount: Float64Array
}

export type PriorHistory = readonly PriorIssue[] | PriorIssueColumns

/** The same rewards as columns (for histories given as objects: tests, one player's page). */
/**
 * Numbers each distinct text once, in order of first sight: PriorIssueColumns' rule ids, days and
 * periods. `key` finds a text already numbered (a row id may stand for its text, so the text is
 * only made when first seen); the text itself when no separate key is given.
 */
export function distinctTexts<Key extends string | number = string>(): { values: string[]; of(key: Key, text?: () => string): number } {
  const values: string[] = []
  const known = new Map<Key, number>()
  return {
    values,
    of(key, text) {
      let index = known.get(key)
      if (index === undefined) {
        index = values.length
        values.push(text ? text() : String(key))
        known.set(key, index)
      }
      return index
    },
  }
}

export function priorIssueColumns(issues: readonly PriorIssue[]): PriorIssueColumns {
  const count = issues.length
  const rules = distinctTexts()
  const days = distinctTexts()
  const periods = distinctTexts()
  const columns: PriorIssueColumns = {
    count,
    playerIds: issues.map((issue) => issue.playerId),
    rule: new Uint32Array(count),
    ruleIds: rules.values,
    day: new Uint32Array(count),
    days: days.values,
    period: new Uint32Array(count),
    periods: periods.values,
    currency: new Uint8Array(count),
    amount: new Float64Array(count),
  }
  issues.forEach((issue, k) => {
    columns.rule[k] = rules.of(issue.ruleId)
    columns.day[k] = days.of(issue.day)
    columns.period[k] = periods.of(issue.periodKey)
    columns.currency[k] = currencyIndex[issue.currency]
    columns.amount[k] = issue.amount
  })
  return columns
}

export interface EvaluationInput {
  table: PlayerTable
  /** In evaluation order (see sortRules); inactive ones are skipped. */
  rules: readonly CompiledRule[]
  settings: EngineSettings
  asOf: string
  /** Segment code per player (classifySegments). */
  segments: Uint8Array
  tiers?: readonly (string | undefined)[]
  /** Abuse score 0–100 per player; absent = 0. */
  abuseScores?: Float64Array
  history?: PriorHistory
  /** Work shared with other evaluations over the same table (see EvaluationCache). */
  cache?: EvaluationCache
  /**
   * Where this evaluation's own columns (the decisions) come from: an arena when the caller keeps
   * them as long as the base (a what-if); by default each is its own allocation.
   */
  columns?: ColumnAllocator
}

interface CachedCandidates {
  labels: PlayerLabels
  minorScale: number
  indices: Int32Array
  values: Float64Array
}

/**
 * What evaluations over one table can share: a rule's candidates (the same compiled rule object,
 * with the same segment/tier labels if its conditions read them) and the per-player house edges
 * and margins of equal settings. A what-if runs the live configuration and a scenario over one
 * base, and most rules are the same objects in both: the scenario computes only what it changes.
 * Nothing cached is ever written to after it is stored.
 */
export class EvaluationCache {
  readonly candidates = new Map<CompiledRule, CachedCandidates>()
  readonly safety = new Map<string, { houseEdges: Float64Array; margins: Float64Array }>()
  /** Working memory of candidate selection, reused by the next evaluation (already touched memory is cheap). */
  selected?: Int32Array
  metricValues?: Float64Array
  scratch?: ScratchPool
  /** The first evaluation's rules (the live configuration): always kept. */
  private pinned?: Set<CompiledRule>
  constructor(readonly table: PlayerTable) {}

  /**
   * Keeps what the first evaluation and the current one use, so a sweep of many configurations
   * (sensitivity) holds two sets of candidates and safety columns, not one per step.
   */
  retain(rules: readonly CompiledRule[], safetyKey: string): { first: boolean } {
    if (!this.pinned) {
      this.pinned = new Set(rules)
      return { first: true }
    }
    const current = new Set(rules)
    for (const rule of this.candidates.keys()) if (!this.pinned.has(rule) && !current.has(rule)) this.candidates.delete(rule)
    const [first] = this.safety.keys()
    for (const key of this.safety.keys()) if (key !== first && key !== safetyKey) this.safety.delete(key)
    return { first: false }
  }
}

/** Decisions as columns, one row per (player, rule) whose conditions held. */
export interface DecisionBatch {
  count: number
  player: Int32Array
  rule: Int32Array
  outcome: Uint8Array
  reason: Uint8Array
  /** Final integer amount (0 when blocked). */
  amount: Float64Array
  /** After rounding and the rule's min/max clamp, before abuse, safety and caps. */
  requested: Float64Array
}
// Cost, margin and the formula's value are not stored per decision: they follow from the player,
// the rule and the amounts (decisionAt derives them). Fewer columns, less memory to touch.

export interface EvaluationResult {
  asOf: string
  table: PlayerTable
  rules: readonly CompiledRule[]
  decisions: DecisionBatch
  /** What decisionAt needs to derive cost and margin. */
  safety: { settings: EngineSettings; segments: Uint8Array; houseEdges: Float64Array; margins: Float64Array; abuseScores?: Float64Array }
  issuedByCurrency: Record<Currency, number>
  outcomes: Record<Outcome, number>
  reasons: Partial<Record<Reason, number>>
}

const windows = ['day', 'week', 'month'] as const
const windowCapReasons = [CODE_CAP_PLAYER_DAY, CODE_CAP_PLAYER_WEEK, CODE_CAP_PLAYER_MONTH]
const currencyIndex = Object.fromEntries(currencyCodes.map((code, index) => [code, index])) as Record<Currency, number>

export function evaluate(input: EvaluationInput): EvaluationResult {
  const { table, settings, asOf } = input
  const n = table.count
  const asOfDay = dayNumber(asOf)
  const rules = input.rules.filter((rule) => isActiveOn(rule, asOfDay))
  const labels = { segmentCodes: input.segments, tiers: input.tiers ?? [] }
  const minorScale = 10 ** settings.currency.minorDigits

  const cache = input.cache?.table === table ? input.cache : undefined
  const retained = cache?.retain(rules, safetyKey(settings))
  const own = input.columns ?? separateColumns
  // What the cache keeps for the first evaluation lives as long as the table: it comes from the
  // table's columns. Later evaluations' entries may be dropped again (a sweep keeps two sets), so
  // each is its own allocation that the GC can take back.
  const kept = retained?.first ? table.columns : retained ? separateColumns : own

  // 1. Conditions and formulas, per rule, over whole columns.
  const { eligible, values } = selectCandidates(table, rules, labels, minorScale, cache, kept)

  // 2. Per-player numbers the safety check needs, and per-rule constants hoisted out of the loop.
  const { houseEdges, margins } = safetyColumns(table, settings, cache, kept)
  // A rule's unit cost depends on the player only for a BONUS without eligible games (their mix).
  // Per-rule constants in typed arrays: plain arrays of numbers change element kind from one call to
  // the next (small integers here, fractions there), and the loop's optimised code would not fit both.
  const ruleUnitCost = Float64Array.from(rules, (rule) => (rule.currency === 'BONUS' && !rule.eligibleGames?.length ? Number.NaN : unitCost(rule, 0, settings)))
  const ruleRetention = rules.map((rule) => Float64Array.from(segmentNames, (segment) => retentionMultiplier(segment, rule.currency, settings)))

  // 3. What the ledger already holds.
  const periodKeys = rules.map((rule) => periodKey(rule.frequency, asOf))
  const history = indexHistory(input.history ?? [], rules, asOf, periodKeys, table.playerIds)
  const historyUsed = history.used
  const historyPlayerUsed = history.playerUsed

  // Caps in integer units per currency; Infinity = no cap.
  const capOf = (caps: Partial<Record<Currency, number>>) =>
    Float64Array.from(currencyCodes, (code) => {
      const major = caps[code]
      return major === undefined ? Number.POSITIVE_INFINITY : majorToMinor(major, code === 'BONUS' ? settings.currency.minorDigits : 0)
    })
  const playerCaps = [capOf(settings.caps.perPlayerDay), capOf(settings.caps.perPlayerWeek), capOf(settings.caps.perPlayerMonth)]
  const globalDayCap = capOf(settings.caps.globalDay)

  let total = 0
  for (const indices of eligible) total += indices.length
  // The six columns are cut from one allocation: at a million players they are ~90 MB, and each
  // separate allocation of that much external memory can start a full GC over the whole heap.
  const { buffer: block, byteOffset: at } = own.float64(Math.ceil((total * 26) / 8))
  const decisions: DecisionBatch = {
    count: 0,
    amount: new Float64Array(block, at, total),
    requested: new Float64Array(block, at + total * 8, total),
    player: new Int32Array(block, at + total * 16, total),
    rule: new Int32Array(block, at + total * 20, total),
    outcome: new Uint8Array(block, at + total * 24, total),
    reason: new Uint8Array(block, at + total * 25, total),
  }

  const groupIds = new Map<string, number>()
  const ruleGroup = Int32Array.from(rules, (rule) => {
    if (!rule.exclusiveGroup) return -1
    if (!groupIds.has(rule.exclusiveGroup)) groupIds.set(rule.exclusiveGroup, groupIds.size)
    return groupIds.get(rule.exclusiveGroup)!
  })
  const groupStamp = new Int32Array(groupIds.size).fill(-1)
  const ruleSpent = Float64Array.from(rules, (rule) => history.ruleSpent.get(rule.ruleId) ?? 0)
  const ruleBudget = Float64Array.from(rules, (rule) => rule.budget?.amount ?? Number.POSITIVE_INFINITY)
  const globalDayUsed = history.globalDay.slice()
  const currencyCount = currencyCodes.length
  const playerUsed = new Float64Array(windows.length * currencyCount)
  const cursor = new Int32Array(rules.length)
  const abuse = input.abuseScores
  const { reduceAt, blockAt, reduceMultiplier } = settings.abuse
  const safetyFactor = settings.safetyFactor
  const cooldownDays = Float64Array.from(rules, (rule) =>
    typeof rule.frequency === 'object' && 'cooldown_hours' in rule.frequency ? Math.ceil(rule.frequency.cooldown_hours / 24) : 0,
  )
  const ruleCurrency = Int32Array.from(rules, (rule) => currencyIndex[rule.currency])
  const ruleScale = Float64Array.from(rules, (rule) => 10 ** rule.digits)
  const ruleMinimum = Float64Array.from(rules, (rule) => Math.max(1, rule.minAmount ?? 1))
  // Rules differ in which optional fields they have (so in hidden class): read them here once, not per decision.
  const ruleMaxAmount = Float64Array.from(rules, (rule) => rule.maxAmount ?? Number.POSITIVE_INFINITY)
  const ruleMinAmount = Float64Array.from(rules, (rule) => rule.minAmount ?? Number.NEGATIVE_INFINITY)
  const segments = input.segments
  const ruleHoldout = Float64Array.from(rules, (rule) => rule.holdoutShare ?? 0)
  const { player: outPlayer, rule: outRule, outcome: outOutcome, reason: outReason, amount: outAmount, requested: outRequested } = decisions

  // With up to 32 rules, each player's candidate rules as bits: the pass then skips players without
  // any and tests a bit per rule instead of reading each rule's list (20 scattered reads a player).
  const ruleBits = rules.length <= 32 ? own.uint32(n) : undefined
  if (ruleBits) {
    eligible.forEach((indices, r) => {
      const bit = 1 << r
      for (let k = 0; k < indices.length; k += 1) ruleBits[indices[k]!]! |= bit
    })
  }

  // 4. One pass in canonical order. Blocked rows keep the zeroed amount/cost the arrays start with.
  let d = 0
  for (let p = 0; p < n; p += 1) {
    const bits = ruleBits ? ruleBits[p]! : -1
    if (bits === 0) continue
    let playerLoaded = false
    for (let r = 0; r < rules.length; r += 1) {
      const k = cursor[r]!
      if (ruleBits) {
        if (!(bits & (1 << r))) continue
      } else {
        const indices = eligible[r]!
        if (k >= indices.length || indices[k] !== p) continue
      }
      cursor[r] = k + 1
      if (!playerLoaded) {
        const at = historyPlayerUsed ? historyPlayerUsed[p]! : -1
        if (at < 0) playerUsed.fill(0)
        else for (let k = 0; k < playerUsed.length; k += 1) playerUsed[k] = historyUsed[at + k]!
        playerLoaded = true
      }
      outPlayer[d] = p
      outRule[d] = r
      outOutcome[d] = BLOCKED
      const raw = values[r]![k]!
      const row = d
      d += 1
      if (raw !== raw) {
        outReason[row] = CODE_METRIC_UNAVAILABLE
        continue
      }
      if (raw === Number.POSITIVE_INFINITY || raw === Number.NEGATIVE_INFINITY) {
        outReason[row] = CODE_FORMULA_NOT_FINITE
        continue
      }
      let amount = roundToInteger(raw * ruleScale[r]!)
      if (amount > ruleMaxAmount[r]!) amount = ruleMaxAmount[r]!
      if (amount > 0 && amount < ruleMinAmount[r]!) amount = ruleMinAmount[r]!
      if (amount <= 0) {
        outReason[row] = CODE_ZERO_AMOUNT
        continue
      }
      outRequested[row] = amount
      const ruleHistory = history.byRule[r]
      if (ruleHistory) {
        const lastDay = ruleHistory.lastDay[p]!
        if (lastDay !== noPriorDay) {
          if (rules[r]!.frequency === 'once' || ruleHistory.inPeriod[p] === 1) {
            outReason[row] = CODE_ALREADY_ISSUED
            continue
          }
          if (cooldownDays[r]! > 0 && asOfDay - lastDay < cooldownDays[r]!) {
            outReason[row] = CODE_COOLDOWN
            continue
          }
        }
      }
      const group = ruleGroup[r]!
      if (group >= 0 && groupStamp[group] === p) {
        outReason[row] = CODE_EXCLUSIVE_GROUP
        continue
      }
      let outcome = ISSUED
      let reason = CODE_ISSUED
      const score = abuse ? abuse[p]! : 0
      if (score >= blockAt) {
        outReason[row] = CODE_ABUSE_BLOCKED
        continue
      }
      if (score >= reduceAt) {
        amount = roundToInteger(amount * reduceMultiplier)
        outcome = REDUCED
        reason = CODE_ABUSE_REDUCED
        if (amount <= 0) {
          outReason[row] = CODE_ABUSE_BLOCKED
          continue
        }
      }
      const fixedCost = ruleUnitCost[r]!
      const perUnit = fixedCost === fixedCost ? fixedCost : unitCost(rules[r]!, houseEdges[p]!, settings)
      const margin = margins[p]! * ruleRetention[r]![segments[p]!]!
      const allowed = margin * safetyFactor
      if (amount * perUnit > allowed) {
        const affordable = Math.floor(allowed / perUnit)
        if (affordable < ruleMinimum[r]!) {
          outReason[row] = CODE_UNPROFITABLE
          continue
        }
        amount = affordable
        outcome = REDUCED
        reason = CODE_PROFIT_SAFETY
      }
      const c = ruleCurrency[r]!
      let remaining = Number.POSITIVE_INFINITY
      let capReason = CODE_ISSUED
      for (let w = 0; w < windows.length; w += 1) {
        const left = playerCaps[w]![c]! - playerUsed[w * currencyCount + c]!
        if (left < remaining) {
          remaining = left
          capReason = windowCapReasons[w]!
        }
      }
      const budgetLeft = ruleBudget[r]! - ruleSpent[r]!
      if (budgetLeft < remaining) {
        remaining = budgetLeft
        capReason = CODE_BUDGET_RULE
      }
      const globalLeft = globalDayCap[c]! - globalDayUsed[c]!
      if (globalLeft < remaining) {
        remaining = globalLeft
        capReason = CODE_BUDGET_GLOBAL_DAY
      }
      if (amount > remaining) {
        if (remaining < ruleMinimum[r]!) {
          outReason[row] = capReason
          continue
        }
        amount = remaining
        outcome = REDUCED
        reason = capReason
      }
      // Last, so the control group is exactly the players who would have been paid. They use no
      // cap or budget, and take the exclusive group's place so no other offer blurs the comparison.
      if (ruleHoldout[r]! > 0 && isHeldOut(rules[r]!.ruleId, table.playerIds[p]!, ruleHoldout[r]!)) {
        outReason[row] = CODE_CONTROL_GROUP
        if (group >= 0) groupStamp[group] = p
        continue
      }
      outOutcome[row] = outcome
      outReason[row] = reason
      outAmount[row] = amount
      for (let w = 0; w < windows.length; w += 1) playerUsed[w * currencyCount + c]! += amount
      ruleSpent[r]! += amount
      globalDayUsed[c]! += amount
      if (group >= 0) groupStamp[group] = p
    }
  }
  decisions.count = d
  return summarise({ asOf, table, rules, decisions, safety: { settings, segments, houseEdges, margins, abuseScores: abuse } })
}

export interface Candidates {
  /** Per rule: the players (table indices, ascending) whose conditions all hold. */
  eligible: Int32Array[]
  /** Per rule: the formula's value for each of them (written units). */
  values: Float64Array[]
}

/**
 * Step 1 of evaluate: conditions column by column, then each rule's formula over the players it
 * selected. The gathered inputs and every intermediate come from a scratch pool reused from rule
 * to rule: touching fresh memory is what costs most at this size, so each rule's values are the
 * only new arrays. Exported for the benchmark, which compares exactly this step with its peers.
 */
export function selectCandidates(
  table: PlayerTable,
  rules: readonly CompiledRule[],
  labels: PlayerLabels | undefined,
  minorScale: number,
  cache?: EvaluationCache,
  columns: ColumnAllocator = separateColumns,
): Candidates {
  const n = table.count
  const known = rules.map((rule) => {
    const cached = cache?.candidates.get(rule)
    return cached && cached.minorScale === minorScale && (!readsLabels(rule) || sameLabels(cached.labels, labels, n)) ? cached : undefined
  })
  const eligible: Int32Array[] = []
  let selected: Int32Array | undefined
  let metricValues: Float64Array | undefined
  let largest = 0
  rules.forEach((rule, r) => {
    const cached = known[r]
    if (cached) {
      eligible.push(cached.indices)
      return
    }
    selected ??= cache?.selected ?? columns.int32(n)
    metricValues ??= cache?.metricValues ?? columns.float64(n)
    const count = matchingIndices(rule.conditions, table, labels, selected, metricValues)
    const indices = columns.int32(count)
    indices.set(selected.subarray(0, count))
    eligible.push(indices)
    if (count > largest) largest = count
  })
  // Formulas run over chunks of the selected players, so their intermediates fit a small scratch
  // pool; every rule's values go to one block (one allocation, see evaluate's decision columns).
  const capacity = Math.min(largest, formulaChunk)
  const scratch = cache?.scratch && cache.scratch.capacity >= capacity ? cache.scratch : new ScratchPool(capacity)
  if (cache) {
    cache.selected = selected ?? cache.selected
    cache.metricValues = metricValues ?? cache.metricValues
    cache.scratch = scratch
  }
  let fresh = 0
  rules.forEach((_, r) => {
    if (!known[r]) fresh += eligible[r]!.length
  })
  const block = columns.float64(fresh)
  let offset = 0
  const values = rules.map((rule, r) => {
    const cached = known[r]
    if (cached) return cached.values
    const indices = eligible[r]!
    const own = block.subarray(offset, offset + indices.length)
    offset += indices.length
    for (let from = 0; from < indices.length; from += formulaChunk) {
      const part = indices.subarray(from, Math.min(indices.length, from + formulaChunk))
      scratch.reset()
      own.set(rule.formula.evaluateBatch((name) => gather(table, name, part, minorScale, scratch.take(part.length)), part.length, (size) => scratch.take(size)), from)
    }
    cache?.candidates.set(rule, { labels: labels ?? { segmentCodes: new Uint8Array(0), tiers: [] }, minorScale, indices, values: own })
    return own
  })
  return { eligible, values }
}

/** Players per formula batch: large enough for tight loops, small enough that the scratch stays in cache. */
const formulaChunk = 16_384

function readsLabels(rule: CompiledRule): boolean {
  return rule.conditions.some((condition) => condition.kind !== 'metric')
}

function sameLabels(a: PlayerLabels, b: PlayerLabels | undefined, n: number): boolean {
  if (!b) return false
  if (a.segmentCodes !== b.segmentCodes) {
    if (a.segmentCodes.length !== b.segmentCodes.length) return false
    for (let i = 0; i < n; i += 1) if (a.segmentCodes[i] !== b.segmentCodes[i]) return false
  }
  if (a.tiers !== b.tiers) {
    if (a.tiers.length !== b.tiers.length) return false
    for (let i = 0; i < a.tiers.length; i += 1) if (a.tiers[i] !== b.tiers[i]) return false
  }
  return true
}

function safetyKey(settings: EngineSettings): string {
  return JSON.stringify([settings.houseEdges, settings.marginHorizonDays])
}

/** Each player's house edge and base margin; shared through the cache when the settings they read are equal. */
function safetyColumns(
  table: PlayerTable,
  settings: EngineSettings,
  cache: EvaluationCache | undefined,
  allocator: ColumnAllocator,
): { houseEdges: Float64Array; margins: Float64Array } {
  const key = safetyKey(settings)
  const cached = cache?.safety.get(key)
  if (cached) return cached
  const houseEdges = playerHouseEdges(table, settings.houseEdges, allocator.float64(table.count))
  const columns = { houseEdges, margins: baseMargins(table, houseEdges, settings, allocator.float64(table.count)) }
  cache?.safety.set(key, columns)
  return columns
}

/** Reusable arrays of at most `capacity` numbers; `reset` hands them out again. */
class ScratchPool {
  private readonly buffers: Float64Array[] = []
  private used = 0
  constructor(readonly capacity: number) {}
  take(size: number): Float64Array {
    if (size > this.capacity) return new Float64Array(size)
    if (this.used === this.buffers.length) this.buffers.push(new Float64Array(this.capacity))
    const buffer = this.buffers[this.used]!
    this.used += 1
    return buffer.subarray(0, size)
  }
  reset(): void {
    this.used = 0
  }
}

function gather(table: PlayerTable, name: MetricName, indices: Int32Array, minorScale: number, out: Float64Array): Float64Array {
  // Formulas see money in major units, as operators write them.
  const scale = metricUnit(name) === 'money' ? 1 / minorScale : 1
  table.gatherInto(name, indices, indices.length, out)
  for (let k = 0; k < indices.length; k += 1) out[k] = out[k]! * scale
  return out
}

/** What the decision loop reads of the ledger's history (indexHistory), by table position. */
export interface HistoryIndex {
  /**
   * Per rule, undefined when it never issued to a player of the table; else by table position the
   * last business day it issued to them (`noPriorDay` = never) and 1 where it issued to them in its
   * current period. Typed arrays by position, not Maps by player id: at a million prior rewards the
   * Maps' inserts and the collector's passes over them were seconds of every re-run.
   */
  byRule: ({ lastDay: Int32Array; inPeriod: Uint8Array } | undefined)[]
  /** Per rule id: what its budget has spent in the budget's current period (every player's rewards). */
  ruleSpent: Map<string, number>
  /** By table position: where the player's used amounts (windows × currencies) start in `used`, -1 = none; undefined = no player has any. */
  playerUsed: Int32Array | undefined
  used: Float64Array
  /** Issued today, per currency (every player's rewards). */
  globalDay: Float64Array
}

/** HistoryIndex.byRule's lastDay of a player the rule never issued to. */
export const noPriorDay = -0x80000000

/**
 * `periodKeys[r]`: rule r's current period (periodKey of its frequency on the as-of day);
 * `playerIds`: the table's players by position. Rewards of players not in the table still count
 * towards budgets and the global cap.
 */
export function indexHistory(history: PriorHistory, rules: readonly CompiledRule[], asOf: string, periodKeys: readonly string[], playerIds: readonly string[]): HistoryIndex {
  const issues = isPriorIssueColumns(history) ? history : priorIssueColumns(history)
  const byRule: HistoryIndex['byRule'] = rules.map(() => undefined)
  const ruleSpent = new Map<string, number>()
  const width = windows.length * currencyCodes.length
  let playerUsed: Int32Array | undefined
  let usedCount = 0
  let used = new Float64Array(0)
  const globalDay = new Float64Array(currencyCodes.length)
  const day = asOf.slice(0, 10)
  const week = isoWeekKey(asOf)
  const month = monthKey(asOf)
  const positions = new Map<string, number>()
  if (issues.count > 0) for (let position = 0; position < playerIds.length; position += 1) positions.set(playerIds[position]!, position)
  // What depends only on the few distinct rule ids, days and periods is worked out once for each.
  const ruleIndex = new Map(rules.map((rule, index) => [rule.ruleId, index]))
  const ruleOf = Int32Array.from(issues.ruleIds, (ruleId) => ruleIndex.get(ruleId) ?? -1)
  const dayNumbers = Float64Array.from(issues.days, (text) => dayNumber(text))
  const inDay = issues.days.map((text) => text === day)
  const inWeek = issues.days.map((text) => isoWeekKey(text) === week)
  const inMonth = issues.days.map((text) => monthKey(text) === month)
  const periodIndex = new Map(issues.periods.map((period, index) => [period, index]))
  const currentPeriod = Int32Array.from(periodKeys, (key) => periodIndex.get(key) ?? -1)
  const inBudget = (r: number, d: number): boolean => {
    const budget = rules[r]!.budget
    return (
      budget !== undefined &&
      (budget.period === 'lifetime' || (budget.period === 'day' && inDay[d]!) || (budget.period === 'week' && inWeek[d]!) || (budget.period === 'month' && inMonth[d]!))
    )
  }
  // The previous reward's player is checked first: rewards come grouped by player more often than not.
  let lastPlayer: string | undefined
  let lastPosition = -1
  for (let k = 0; k < issues.count; k += 1) {
    const c = issues.currency[k]!
    const d = issues.day[k]!
    const amount = issues.amount[k]!
    const playerId = issues.playerIds[k]!
    if (playerId !== lastPlayer) {
      lastPlayer = playerId
      lastPosition = positions.get(playerId) ?? -1
    }
    const p = lastPosition
    const r = ruleOf[issues.rule[k]!]!
    if (r >= 0) {
      if (p >= 0) {
        const ruleHistory = (byRule[r] ??= { lastDay: new Int32Array(playerIds.length).fill(noPriorDay), inPeriod: new Uint8Array(playerIds.length) })
        if (dayNumbers[d]! > ruleHistory.lastDay[p]!) ruleHistory.lastDay[p] = dayNumbers[d]!
        if (issues.period[k] === currentPeriod[r]) ruleHistory.inPeriod[p] = 1
      }
      if (inBudget(r, d)) {
        const ruleId = rules[r]!.ruleId
        ruleSpent.set(ruleId, (ruleSpent.get(ruleId) ?? 0) + amount)
      }
    }
    if (p >= 0 && (inDay[d] || inWeek[d] || inMonth[d])) {
      playerUsed ??= new Int32Array(playerIds.length).fill(-1)
      let at = playerUsed[p]!
      if (at < 0) {
        at = usedCount * width
        usedCount += 1
        if (at + width > used.length) {
          const grown = new Float64Array(Math.max(width * 1024, used.length * 2))
          grown.set(used)
          used = grown
        }
        playerUsed[p] = at
      }
      if (inDay[d]) used[at + c]! += amount
      if (inWeek[d]) used[at + currencyCodes.length + c]! += amount
      if (inMonth[d]) used[at + 2 * currencyCodes.length + c]! += amount
    }
    if (inDay[d]) globalDay[c]! += amount
  }
  return { byRule, ruleSpent, playerUsed, used, globalDay }
}

function isPriorIssueColumns(history: PriorHistory): history is PriorIssueColumns {
  return !Array.isArray(history)
}

function summarise(partial: Pick<EvaluationResult, 'asOf' | 'table' | 'rules' | 'decisions' | 'safety'>): EvaluationResult {
  const { decisions, rules } = partial
  const outcomeCounts = new Float64Array(outcomeNames.length)
  const reasonCounts = new Float64Array(reasonNames.length)
  const issued = new Float64Array(currencyCodes.length)
  const ruleCurrency = rules.map((rule) => currencyIndex[rule.currency])
  for (let d = 0; d < decisions.count; d += 1) {
    const outcome = decisions.outcome[d]!
    outcomeCounts[outcome]! += 1
    reasonCounts[decisions.reason[d]!]! += 1
    if (outcome !== BLOCKED) issued[ruleCurrency[decisions.rule[d]!]!]! += decisions.amount[d]!
  }
  const issuedByCurrency = Object.fromEntries(currencyCodes.map((code, index) => [code, issued[index]!])) as Record<Currency, number>
  const outcomes = Object.fromEntries(outcomeNames.map((name, index) => [name, outcomeCounts[index]!])) as Record<Outcome, number>
  const reasons: Partial<Record<Reason, number>> = {}
  reasonNames.forEach((name, index) => {
    if (reasonCounts[index]! > 0) reasons[name] = reasonCounts[index]!
  })
  return { ...partial, issuedByCurrency, outcomes, reasons }
}

export interface DecisionRecord {
  playerId: string
  ruleId: string
  ruleVersion: number
  outcome: Outcome
  reason: Reason
  currency: Currency
  amount: number
  requested: number
  /** Expected cost of what was issued (for "unprofitable": of what was asked), money minor units. */
  cost: number
  /** Expected future margin it was checked against, money minor units. */
  margin: number
  idempotencyKey: string
}

/** What decisionAt reads of an evaluation: its columns, rules and safety inputs, and the players' ids. */
export type DecisionSource = Pick<EvaluationResult, 'asOf' | 'rules' | 'decisions' | 'safety'> & { table: Pick<PlayerTable, 'playerIds'> }

export function decisionAt(result: DecisionSource, index: number): DecisionRecord {
  const { decisions, rules, table, asOf, safety } = result
  const r = decisions.rule[index]!
  const p = decisions.player[index]!
  const rule = rules[r]!
  const playerId = table.playerIds[p]!
  const reason = reasonNames[decisions.reason[index]!]!
  const amount = decisions.amount[index]!
  const requested = decisions.requested[index]!
  const { settings } = safety
  const perUnit = unitCost(rule, safety.houseEdges[p]!, settings)
  const margin = safety.margins[p]! * retentionMultiplier(segmentNames[safety.segments[p]!]!, rule.currency, settings)
  let costed = amount
  if (reason === 'unprofitable') {
    const score = safety.abuseScores ? safety.abuseScores[p]! : 0
    costed = score >= settings.abuse.reduceAt ? roundToInteger(requested * settings.abuse.reduceMultiplier) : requested
  }
  return {
    playerId,
    ruleId: rule.ruleId,
    ruleVersion: rule.version,
    outcome: outcomeNames[decisions.outcome[index]!]!,
    reason,
    currency: rule.currency,
    amount,
    requested,
    cost: costed * perUnit,
    margin,
    idempotencyKey: idempotencyKey(rule, playerId, asOf),
  }
}
