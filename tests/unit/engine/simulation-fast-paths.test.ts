// The what-if's fast paths against the simple ones they replace, on random small bases: the same
// data and scenario must give the same numbers, bit for bit (caps, rounding and float sums included).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../../src/shared/engine-settings'
import { metricCatalogue, type MetricName } from '../../../src/shared/metric-catalogue'
import { scenarioChangesSchema } from '../../../src/shared/scenario-schema'
import { abuseScores, defaultAbuseSettings, detectAbuse } from '../../../src/main/engine/abuse'
import { applyConditions, compileConditions, matchingIndices } from '../../../src/main/engine/conditions'
import { dayNumber } from '../../../src/main/engine/dates'
import { evaluate } from '../../../src/main/engine/evaluate'
import { abuseSettingsFrom } from '../../../src/main/engine/pipeline'
import { PlayerTable, type PlayerRecord } from '../../../src/main/engine/player-table'
import { compileRuleSet } from '../../../src/main/engine/rules'
import { classifySegments, compileSegments } from '../../../src/main/engine/segments'
import { segmentNames } from '../../../src/main/engine/segments-types'
import { simulate } from '../../../src/main/engine/simulation/compare'
import { applyScenario, describeChanges, type Configuration } from '../../../src/main/engine/simulation/scenario-config'
import { referenceSummariseSide } from './side-summary-reference'

const asOf = '2026-01-31'
const games = ['slots', 'roulette', 'blackjack', 'poker', 'keno'] // keno: not in the house edge table

/** The date parser as it was: regex + Date.UTC. */
function referenceDayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  if (!match) return Number.NaN
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000
}

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 4 })
const isoDay = fc.integer({ min: 0, max: 1_500 }).map((back) => new Date(Date.UTC(2026, 0, 31) - back * 86_400_000).toISOString().slice(0, 10))

const activity = fc.record({
  betCount: fc.integer({ min: 0, max: 500 }),
  betTotal: fc.integer({ min: 0, max: 1_000_000 }),
  wagerByGame: fc.dictionary(fc.constantFrom(...games), fc.integer({ min: 0, max: 500_000 })),
  volatility: maybe(fc.double({ min: 0, max: 3, noNaN: true })),
  hoursFromBonusToWithdrawal: maybe(fc.double({ min: 0, max: 48, noNaN: true })),
  minBetShareWhileWagering: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
  betsWhileWagering: fc.integer({ min: 0, max: 60 }),
  depositsAfterFirstBonus: maybe(fc.integer({ min: 0, max: 10_000 })),
  ips: fc.array(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3'), { maxLength: 2 }),
  devices: fc.array(fc.constantFrom('d1', 'd2'), { maxLength: 1 }),
})

const player = fc.record({
  totalDeposited: maybe(fc.integer({ min: 0, max: 2_000_000 })),
  totalWithdrawn: maybe(fc.integer({ min: 0, max: 1_000_000 })),
  totalWagered: maybe(fc.integer({ min: 0, max: 5_000_000 })),
  totalWon: maybe(fc.integer({ min: 0, max: 5_000_000 })),
  bonusReceived: maybe(fc.integer({ min: 0, max: 50_000 })),
  sessions: maybe(fc.integer({ min: 0, max: 300 })),
  playtimeMinutes: maybe(fc.integer({ min: 0, max: 20_000 })),
  lastDepositDate: maybe(isoDay),
  registrationDate: maybe(isoDay),
  lastActiveDate: maybe(isoDay),
  gameTypes: maybe(fc.array(fc.constantFrom(...games), { maxLength: 5 })),
  ip: maybe(fc.constantFrom('10.0.0.1', '10.0.0.9', ' 10.0.0.9 ')),
  activity: fc.option(activity, { nil: undefined, freq: 3 }),
  tier: maybe(fc.constantFrom('BRONZE', 'GOLD')),
  lpInWindow: maybe(fc.integer({ min: 0, max: 5_000 })),
})

/** Players in a random order, ids unique (the table sorts them). */
const base = fc.array(player, { minLength: 1, maxLength: 60 }).chain((players) =>
  fc.shuffledSubarray(players.map((fields, index) => ({ playerId: `P${String(index).padStart(3, '0')}`, ...fields }) as PlayerRecord), { minLength: players.length, maxLength: players.length }),
)

const rules = [
  { rule_id: 'CASHBACK', priority: 90, conditions: { segment: ['LOSING', 'VIP'], net_loss_min: 10, days_since_last_deposit: { max: 30 } }, reward: { type: 'BONUS', formula: 'min(net_loss * 0.1, 200)', wagering_requirement: 10, eligible_games: ['slots', 'roulette'] }, frequency: 'daily' },
  { rule_id: 'MIX_BONUS', priority: 80, conditions: { hold: { min: -0.5, max: 0.9 }, sessions_min: 2 }, reward: { type: 'BONUS', formula: 'ggr * 0.02 + 1', wagering_requirement: 5, eligible_games: ['blackjack'] }, frequency: 'daily', exclusive_group: 'bonus' },
  { rule_id: 'GOLD_POINTS', priority: 70, conditions: { tier: 'GOLD', avg_wager_per_session: { gt: 10 } }, reward: { type: 'RP', formula: 'round(avg_session_minutes * 2)', max_amount: 300 }, frequency: 'daily', exclusive_group: 'bonus' },
  { rule_id: 'TENURE_LP', priority: 60, conditions: { tenure_days_min: 100, win_loss_ratio: { lt: 1.2 } }, reward: { type: 'LP', formula: 'tenure_days / 10 + playtime_hours' }, frequency: 'daily' },
  { rule_id: 'ACTIVE_TICKETS', priority: 50, conditions: { days_since_last_activity: { max: 10 }, net_deposits: { gt: -1000 } }, reward: { type: 'TICKETS', formula: 'if(net_pnl > 0, 2, 1)' }, frequency: 'daily', holdout: { share: 0.2 } },
  { rule_id: 'BET_RP', priority: 40, conditions: { segment: ['VIP', 'LOSING', 'WINNING', 'BREAKEVEN'], avg_bet: { min: 1 }, bet_frequency: { gt: 0 } }, reward: { type: 'RP', formula: 'clamp(bet_count / 5, 1, 40)', min_amount: 2 }, frequency: 'daily' },
]

function liveConfiguration(): Configuration {
  const settings = engineSettingsSchema.parse({ caps: { perPlayerDay: { BONUS: 150, RP: 120 }, globalDay: { BONUS: 900, TICKETS: 40 } }, safetyFactor: 0.9 })
  const compiled = compileRuleSet(rules, { minorDigits: 2 })
  if (compiled.problems.length) throw new Error(JSON.stringify(compiled.problems))
  return { settings, rules: compiled.rules }
}

function scenarioOf(live: Configuration) {
  const edit = [{ ...rules[0]!, reward: { ...rules[0]!.reward, formula: 'min(net_loss * 0.15, 250)' } }]
  const order = live.settings.segments.order.map((each) => (each.segment === 'VIP' ? { segment: 'VIP' as const, conditions: { total_wagered: { gt: 20_000 } } } : each))
  const changes = scenarioChangesSchema.parse({ rules: { edit, disable: ['TENURE_LP'] }, safetyFactor: 0.6, segments: { order, fallback: 'NEW' } })
  const scenario = applyScenario(live, changes, 2)
  expect(scenario.problems).toEqual([])
  return scenario
}

/** One configuration the plain way: its own table, full abuse detection, no shared cache, the reference summary. */
function plainRun(players: PlayerRecord[], configuration: Configuration) {
  const { settings } = configuration
  const table = new PlayerTable(players, asOf)
  const abuse = detectAbuse(table.records, abuseSettingsFrom(settings))
  table.setAbuseScores(abuse.scores)
  const segments = classifySegments(compileSegments(settings.segments, 2).segments!, table)
  const evaluation = evaluate({ table, rules: configuration.rules, settings, asOf, segments, tiers: table.records.map((record) => record.tier), abuseScores: abuse.scores })
  const run = { base: { table, abuse, abuseKey: '', tiers: [], cache: undefined as never, arena: undefined as never }, segments, evaluation }
  return { run, side: referenceSummariseSide(run, settings) }
}

function decisionColumns(run: { evaluation: ReturnType<typeof evaluate> }) {
  const { decisions } = run.evaluation
  const take = <T extends { slice(start: number, end: number): T }>(column: T) => column.slice(0, decisions.count)
  return { player: take(decisions.player), rule: take(decisions.rule), outcome: take(decisions.outcome), reason: take(decisions.reason), amount: take(decisions.amount), requested: take(decisions.requested) }
}

describe('what-if fast paths equal the simple ones', () => {
  it('dayNumber equals the regex + Date.UTC parser on dates, odd dates and non-dates', () => {
    const twoDigits = fc.integer({ min: 0, max: 99 }).map((value) => String(value).padStart(2, '0'))
    const dateLike = fc.tuple(fc.integer({ min: 0, max: 9_999 }), twoDigits, twoDigits, fc.constantFrom('', 'T10:00:00Z', 'x')).map(([year, month, day, tail]) => `${String(year).padStart(4, '0')}-${month}-${day}${tail}`)
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.string({ maxLength: 12 })), (text) => {
        expect(Object.is(dayNumber(text), referenceDayNumber(text))).toBe(true)
      }),
      { numRuns: 3_000 },
    )
  })

  it('table.reader and table.gatherInto give exactly the column values, computed or not', () => {
    fc.assert(
      fc.property(base, fc.array(fc.nat(), { maxLength: 20 }), (players, picks) => {
        const fresh = new PlayerTable(players, asOf)
        const computed = new PlayerTable(players, asOf)
        const at = Int32Array.from(picks, (pick) => pick % players.length)
        for (const { name } of metricCatalogue) {
          const metric = name as MetricName
          const column = computed.column(metric)
          const passing = fresh.reader(metric)
          const cached = computed.reader(metric)
          for (let i = 0; i < fresh.count; i += 1) {
            expect(Object.is(passing(i), column[i]), `${name}[${i}]`).toBe(true)
            expect(Object.is(cached(i), column[i])).toBe(true)
          }
          const all = fresh.gatherInto(metric, undefined, fresh.count, new Float64Array(fresh.count))
          expect(Array.from(all).every((value, i) => Object.is(value, column[i])), name).toBe(true)
          for (const table of [fresh, computed]) {
            const some = table.gatherInto(metric, at, at.length, new Float64Array(at.length))
            expect(Array.from(some).every((value, k) => Object.is(value, column[at[k]!])), name).toBe(true)
          }
        }
      }),
      { numRuns: 60 },
    )
  })

  it('a base given in id order builds the same table as the same base shuffled', () => {
    fc.assert(
      fc.property(base, (players) => {
        const ordered = [...players].sort((a, b) => (a.playerId < b.playerId ? -1 : 1))
        const a = new PlayerTable(players, asOf)
        const b = new PlayerTable(ordered, asOf)
        expect(b.playerIds).toEqual(a.playerIds)
        for (const { name } of metricCatalogue) expect(b.column(name as MetricName)).toEqual(a.column(name as MetricName))
      }),
      { numRuns: 60 },
    )
  })

  it('matchingIndices selects exactly the players applyConditions leaves in its mask', () => {
    const tierNames = ['BRONZE', 'GOLD']
    const condition = fc.oneof(
      fc.record({ key: fc.constantFrom('net_loss', 'hold', 'sessions', 'tenure_days', 'avg_bet', 'win_loss_ratio', 'days_since_last_deposit', 'lp_in_window'), op: fc.constantFrom('min', 'max', 'gt', 'lt', 'eq'), value: fc.integer({ min: -5, max: 400 }) }).map(({ key, op, value }) => [key, { [op]: value }] as const),
      fc.record({ key: fc.constantFrom('sessions', 'game_diversity'), values: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }) }).map(({ key, values }) => [key, values] as const),
      fc.subarray([...segmentNames], { minLength: 1 }).map((names) => ['segment', names] as const),
      fc.subarray(tierNames, { minLength: 1 }).map((names) => ['tier', names] as const),
    )
    fc.assert(
      fc.property(base, fc.array(condition, { maxLength: 4 }), fc.boolean(), (players, pairs, precompute) => {
        const table = new PlayerTable(players, asOf)
        const settings = engineSettingsSchema.parse({})
        const labels = { segmentCodes: classifySegments(compileSegments(settings.segments, 2).segments!, table), tiers: table.records.map((record) => record.tier) }
        const { conditions, errors } = compileConditions(Object.fromEntries(pairs), { minorDigits: 2, allowSegment: true, allowTier: true, knownTiers: tierNames, knownSegments: segmentNames }, 'conditions')
        expect(errors).toEqual([])
        // Either path of matchingIndices: derived columns already computed, or read in passing.
        if (precompute) for (const each of conditions) if (each.kind === 'metric') table.column(each.metric)
        const mask = new Uint8Array(table.count).fill(1)
        applyConditions(conditions, table, labels, mask)
        const out = new Int32Array(table.count)
        const count = matchingIndices(conditions, table, labels, out)
        expect(Array.from(out.subarray(0, count))).toEqual(Array.from(mask.keys()).filter((i) => mask[i] === 1))
      }),
      { numRuns: 200 },
    )
  })

  it('abuseScores gives detectAbuse’s scores and clusters', () => {
    fc.assert(
      fc.property(base, (players) => {
        const full = detectAbuse(players, defaultAbuseSettings)
        const fast = abuseScores(players, defaultAbuseSettings)
        expect(fast.scores).toEqual(full.scores)
        expect(fast.clusters).toEqual(full.clusters)
        expect(fast.signals).toEqual([])
      }),
      { numRuns: 100 },
    )
  })

  it('simulate (shared base, shared candidates, single-pass summaries) equals each configuration run on its own', () => {
    const live = liveConfiguration()
    const scenario = scenarioOf(live)
    fc.assert(
      fc.property(base, (players) => {
        const detail = simulate({ players, asOf, live, scenario, changes: describeChanges(live, scenario) })
        for (const [side, configuration] of [['live', live], ['scenario', scenario]] as const) {
          const plain = plainRun(players, configuration)
          const fast = detail[side]
          expect(fast.run.segments).toEqual(plain.run.segments)
          expect(decisionColumns(fast.run)).toEqual(decisionColumns(plain.run))
          expect(fast.run.evaluation.issuedByCurrency).toEqual(plain.run.evaluation.issuedByCurrency)
          expect(fast.run.evaluation.reasons).toEqual(plain.run.evaluation.reasons)
          expect(fast.side.summary).toEqual(plain.side.summary)
          expect(fast.side.players).toEqual(plain.side.players)
          expect(fast.side.margin).toEqual(plain.side.margin)
          for (let p = 0; p < players.length; p += 1) expect(Object.is(fast.side.costOf(p), plain.side.players.cost[p])).toBe(true)
        }
      }),
      { numRuns: 60 },
    )
  })
})
