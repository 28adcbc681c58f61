import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  abuseSignalNames,
  defaultAbuseSettings,
  detectAbuse,
  normalUpperTail,
  type AbuseResult,
  type AbuseSettings,
  type AbuseSignalName,
} from '../../../src/main/engine/abuse'
import type { ActivitySummary, PlayerRecord } from '../../../src/main/engine/player-table'

function activity(partial: Partial<ActivitySummary> = {}): ActivitySummary {
  return { betCount: 0, betTotal: 0, wagerByGame: {}, betsWhileWagering: 0, ips: [], devices: [], ...partial }
}

function settingsWith(overrides: Partial<AbuseSettings> = {}): AbuseSettings {
  return { ...defaultAbuseSettings, ...overrides }
}

function run(players: PlayerRecord[], overrides: Partial<AbuseSettings> = {}): AbuseResult {
  return detectAbuse(players, settingsWith(overrides))
}

function signalsOf(result: AbuseResult, playerId: string, signal?: AbuseSignalName) {
  return result.signals.filter((each) => each.playerId === playerId && (signal === undefined || each.signal === signal))
}

function scoreOf(result: AbuseResult, players: readonly PlayerRecord[], playerId: string): number {
  return result.scores[players.findIndex((player) => player.playerId === playerId)]!
}

describe('normalUpperTail', () => {
  it('matches the standard normal table', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7)
    expect(Math.abs(normalUpperTail(1.96) - 0.025)).toBeLessThan(1e-4)
    expect(Math.abs(normalUpperTail(3.09) - 0.001)).toBeLessThan(1e-4)
    expect(Math.abs(normalUpperTail(1) - 0.158655253931457)).toBeLessThan(1e-7)
    expect(Math.abs(normalUpperTail(-1) - 0.841344746068543)).toBeLessThan(1e-7)
    expect(Math.abs(normalUpperTail(-3) - 0.998650101968370)).toBeLessThan(1e-7)
  })

  it('keeps its relative accuracy deep in the tail', () => {
    expect(normalUpperTail(6) / 9.865876450377e-10).toBeCloseTo(1, 5)
    expect(normalUpperTail(10) / 7.619853024160527e-24).toBeCloseTo(1, 5)
    expect(normalUpperTail(50)).toBe(0)
    expect(normalUpperTail(-50)).toBe(1)
  })

  it('is decreasing and symmetric', () => {
    // Below −5 the tail is within a few ulps of 1, so strict decrease is only asked from −5 up.
    fc.assert(
      fc.property(fc.double({ min: -5, max: 8, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (z, step) => {
        expect(normalUpperTail(z + step)).toBeLessThan(normalUpperTail(z))
        expect(normalUpperTail(z) + normalUpperTail(-z)).toBeCloseTo(1, 7)
      }),
    )
  })
})

describe('bonus_only_play', () => {
  it('fires at full strength when activity shows a bonus and no deposit after it', () => {
    const players = [{ playerId: 'P1', totalDeposited: 100000, bonusReceived: 1000, activity: activity({ depositsAfterFirstBonus: 0 }) }]
    const result = run(players)
    const [signal] = signalsOf(result, 'P1', 'bonus_only_play')
    expect(signal).toMatchObject({ strength: 1, points: 30, details: { basis: 'activity', depositsAfterFirstBonus: 0 } })
    expect(result.scores[0]).toBe(30)
  })

  it('fires from the summary alone exactly at the deposit limit, at half strength', () => {
    // limit = 0.5 × 10000 = 5000
    const players: PlayerRecord[] = [
      { playerId: 'AT', totalDeposited: 5000, bonusReceived: 10000 },
      { playerId: 'ABOVE', totalDeposited: 5001, bonusReceived: 10000 },
      { playerId: 'NONE', totalDeposited: 0, bonusReceived: 10000 },
      { playerId: 'NO_BONUS', totalDeposited: 0, bonusReceived: 0 },
      { playerId: 'DEPOSITED_AFTER', totalDeposited: 50000, bonusReceived: 10000, activity: activity({ depositsAfterFirstBonus: 700 }) },
    ]
    const result = run(players)
    expect(signalsOf(result, 'AT', 'bonus_only_play')[0]).toMatchObject({ strength: 0.5, points: 15, details: { basis: 'summary', depositLimit: 5000 } })
    expect(scoreOf(result, players, 'AT')).toBe(15)
    expect(signalsOf(result, 'ABOVE')).toEqual([])
    expect(signalsOf(result, 'NONE', 'bonus_only_play')[0]!.strength).toBe(1)
    expect(signalsOf(result, 'NO_BONUS')).toEqual([])
    expect(signalsOf(result, 'DEPOSITED_AFTER')).toEqual([])
  })
})

describe('withdrawal_after_bonus', () => {
  it('fires up to the limit, stronger the sooner', () => {
    const players: PlayerRecord[] = [
      { playerId: 'AT_LIMIT', activity: activity({ hoursFromBonusToWithdrawal: 24 }) },
      { playerId: 'SIX_HOURS', activity: activity({ hoursFromBonusToWithdrawal: 6 }) },
      { playerId: 'AT_ONCE', activity: activity({ hoursFromBonusToWithdrawal: 0 }) },
      { playerId: 'LATER', activity: activity({ hoursFromBonusToWithdrawal: 24.5 }) },
    ]
    const result = run(players)
    expect(signalsOf(result, 'AT_LIMIT')[0]).toMatchObject({ signal: 'withdrawal_after_bonus', strength: 0.5, points: 12.5 })
    expect(scoreOf(result, players, 'AT_LIMIT')).toBe(13) // 12.5 rounds half up
    expect(signalsOf(result, 'SIX_HOURS')[0]!.strength).toBe(0.875)
    expect(signalsOf(result, 'AT_ONCE')[0]!.strength).toBe(1)
    expect(signalsOf(result, 'LATER')).toEqual([])
  })

  it('follows the configured limit', () => {
    const players = [{ playerId: 'P1', activity: activity({ hoursFromBonusToWithdrawal: 30 }) }]
    expect(run(players).signals).toEqual([])
    expect(run(players, { withdrawalAfterBonusHours: 48 }).signals[0]).toMatchObject({ signal: 'withdrawal_after_bonus', strength: 1 - 0.5 * (30 / 48) })
  })
})

describe('min_bets_while_wagering', () => {
  it('needs both the sample size and the share, each inclusive', () => {
    const players: PlayerRecord[] = [
      { playerId: 'AT_THRESHOLDS', activity: activity({ betsWhileWagering: 20, minBetShareWhileWagering: 0.8 }) },
      { playerId: 'ALL_MIN', activity: activity({ betsWhileWagering: 100, minBetShareWhileWagering: 1 }) },
      { playerId: 'FEW_BETS', activity: activity({ betsWhileWagering: 19, minBetShareWhileWagering: 1 }) },
      { playerId: 'LOW_SHARE', activity: activity({ betsWhileWagering: 100, minBetShareWhileWagering: 0.79 }) },
    ]
    const result = run(players)
    expect(signalsOf(result, 'AT_THRESHOLDS')[0]).toMatchObject({
      signal: 'min_bets_while_wagering',
      strength: 0.5,
      points: 12.5,
      details: { betsWhileWagering: 20, minBetShareWhileWagering: 0.8 },
    })
    expect(signalsOf(result, 'ALL_MIN')[0]).toMatchObject({ strength: 1, points: 25 })
    expect(signalsOf(result, 'FEW_BETS')).toEqual([])
    expect(signalsOf(result, 'LOW_SHARE')).toEqual([])
  })
})

describe('shared_identity', () => {
  it('joins players transitively into one cluster: A–B by IP, B–C by device', () => {
    const players: PlayerRecord[] = [
      { playerId: 'carol', activity: activity({ devices: ['dev-1'] }) },
      { playerId: 'alice', ip: '198.51.100.7' },
      { playerId: 'dave', ip: '198.51.100.8', deviceId: 'dev-2' },
      { playerId: 'bob', ip: '198.51.100.7', deviceId: 'dev-1' },
    ]
    const result = run(players)
    expect(result.clusters).toEqual([
      { clusterId: 1, playerIds: ['alice', 'bob', 'carol'], sharedIps: ['198.51.100.7'], sharedDevices: ['dev-1'], suspiciousSharedInfrastructure: false },
    ])
    for (const member of ['alice', 'bob', 'carol']) {
      const [signal] = signalsOf(result, member, 'shared_identity')
      expect(signal!.strength).toBeCloseTo(2 / 3, 12)
      expect(signal!.points).toBeCloseTo(20, 12)
      expect(signal!.details).toMatchObject({ clusterId: 1, clusterSize: 3 })
      expect(scoreOf(result, players, member)).toBe(20)
    }
    expect(signalsOf(result, 'dave')).toEqual([])
    expect(scoreOf(result, players, 'dave')).toBe(0)
  })

  it('does not link through an ignored identifier such as an office NAT', () => {
    const players: PlayerRecord[] = [
      { playerId: 'E', ip: '203.0.113.1' },
      { playerId: 'F', activity: activity({ ips: ['203.0.113.1'] }) },
    ]
    expect(run(players).clusters).toHaveLength(1)
    expect(run(players).signals.map((each) => [each.playerId, each.strength])).toEqual([
      ['E', 0.5],
      ['F', 0.5],
    ])
    const ignoring = run(players, { sharedIdentityIgnore: ['203.0.113.1'] })
    expect(ignoring.clusters).toEqual([])
    expect(ignoring.signals).toEqual([])
    expect([...ignoring.scores]).toEqual([0, 0])
  })

  it('does not count a player sharing an identifier with themself, nor an IP equal to a device id', () => {
    const players: PlayerRecord[] = [
      { playerId: 'P1', ip: '10.1.1.1', deviceId: 'x', activity: activity({ ips: ['10.1.1.1'], devices: ['x'] }) },
      { playerId: 'P2', ip: 'x' },
    ]
    expect(run(players).clusters).toEqual([])
  })

  it('grows with the cluster size, numbers clusters by their smallest player id, and flags very large clusters', () => {
    const five = ['m1', 'm2', 'm3', 'm4', 'm5'].map((playerId) => ({ playerId, deviceId: 'shared-tablet' }))
    const pair = [
      { playerId: 'z1', ip: '192.0.2.9' },
      { playerId: 'a9', ip: '192.0.2.9' },
    ]
    const result = run([...five, ...pair])
    expect(result.clusters.map((cluster) => [cluster.clusterId, cluster.playerIds])).toEqual([
      [1, ['a9', 'z1']],
      [2, ['m1', 'm2', 'm3', 'm4', 'm5']],
    ])
    expect(signalsOf(result, 'm3')[0]!.strength).toBe(1)
    expect(signalsOf(result, 'a9')[0]!.strength).toBe(0.5)

    const capped = run([...five, ...pair], { clusterSizeMax: 4 })
    expect(capped.clusters[1]!.suspiciousSharedInfrastructure).toBe(true)
    expect(capped.clusters[0]!.suspiciousSharedInfrastructure).toBe(false)
    const [reduced] = signalsOf(capped, 'm3')
    expect(reduced!.strength).toBeCloseTo(1 * defaultAbuseSettings.sharedInfrastructureStrengthFactor, 12)
    expect(reduced!.details.suspiciousSharedInfrastructure).toBe('yes')
  })
})

describe('shared_identity at volume', () => {
  it('finds thousands of pairs and one long chain, and flags the chain as shared infrastructure', () => {
    const players: PlayerRecord[] = []
    for (let pair = 0; pair < 10_000; pair += 1) {
      players.push({ playerId: `pair-${pair}-a`, ip: `10.${pair >> 8}.${pair & 255}.1` })
      players.push({ playerId: `pair-${pair}-b`, activity: activity({ ips: [`10.${pair >> 8}.${pair & 255}.1`] }) })
    }
    // chain-i shares a device with chain-(i+1): one cluster of 1,000 by transitivity alone
    for (let link = 0; link < 1000; link += 1) {
      players.push({ playerId: `chain-${String(link).padStart(4, '0')}`, deviceId: `dev-${link}`, activity: activity({ devices: [`dev-${link + 1}`] }) })
    }
    players.push({ playerId: 'loner', ip: '10.250.0.1', deviceId: 'dev-loner' })
    const result = run(players)
    expect(result.clusters).toHaveLength(10_001)
    const chain = result.clusters.find((cluster) => cluster.playerIds[0] === 'chain-0000')!
    expect(chain.playerIds).toHaveLength(1000)
    expect(chain.sharedDevices).toHaveLength(999)
    expect(chain.suspiciousSharedInfrastructure).toBe(true)
    const pairs = result.clusters.filter((cluster) => cluster !== chain)
    expect(pairs.every((cluster) => cluster.playerIds.length === 2 && cluster.sharedIps.length === 1)).toBe(true)
    expect(result.clusters.map((cluster) => cluster.clusterId)).toEqual(result.clusters.map((_, index) => index + 1))
    expect(result.scores[players.length - 1]).toBe(0)
    expect(result.scores[0]).toBe(15)
    expect(result.scores[20_000]).toBe(Math.round(30 * 1 * defaultAbuseSettings.sharedInfrastructureStrengthFactor))
  })
})

describe('improbable_win_rate', () => {
  // h = 4%, variance 4 per unit staked (σ = 2)
  const fairGame = { houseEdges: { default: 0.04 }, gameVariance: { default: 4 } }

  it('flags a player up 30% over 5,000 bets at a 4% house edge', () => {
    const players = [{ playerId: 'LUCKY', totalWagered: 500_000, totalWon: 650_000, activity: activity({ betCount: 5000 }) }]
    const result = run(players, fairGame)
    const [signal] = signalsOf(result, 'LUCKY', 'improbable_win_rate')
    // sd = 2 × 500000 / √5000 = 14142.14; z = (150000 + 20000) / 14142.14 = 12.02
    expect(signal!.details.z).toBeCloseTo(170_000 / ((2 * 500_000) / Math.sqrt(5000)), 9)
    expect(signal!.details.betCountSource).toBe('activity events')
    expect(signal!.details.pValue as number).toBeLessThan(1e-30)
    expect(signal).toMatchObject({ strength: 1, points: 35 })
    expect(result.scores[0]).toBe(35)
  })

  it('does not flag fair players, however much they wager', () => {
    // sd = 2 × 20,000,000 / √200,000 = 89,442.7; this player is 1.5 sd above the expected −800,000
    const lucky = Math.round(-0.04 * 20_000_000 + 1.5 * 89_442.72)
    const players: PlayerRecord[] = [
      { playerId: 'EXPECTED', totalWagered: 20_000_000, totalWon: 19_200_000, activity: activity({ betCount: 200_000 }) },
      { playerId: 'LUCKY_BUT_FAIR', totalWagered: 20_000_000, totalWon: 20_000_000 + lucky, activity: activity({ betCount: 200_000 }) },
      { playerId: 'LOSER', totalWagered: 20_000_000, totalWon: 15_000_000, activity: activity({ betCount: 200_000 }) },
    ]
    const result = run(players, fairGame)
    expect(result.signals).toEqual([])
    expect([...result.scores]).toEqual([0, 0, 0])
  })

  it('fires just below the p-value threshold, not just above it, with strength −log10(p) / 10', () => {
    const sd = (2 * 500_000) / Math.sqrt(5000)
    const wonAt = (z: number) => Math.round(500_000 - 20_000 + z * sd)
    const players: PlayerRecord[] = [
      { playerId: 'P_0009', totalWagered: 500_000, totalWon: wonAt(3.12), activity: activity({ betCount: 5000 }) }, // p ≈ 0.00090
      { playerId: 'P_0011', totalWagered: 500_000, totalWon: wonAt(3.06), activity: activity({ betCount: 5000 }) }, // p ≈ 0.00111
    ]
    const result = run(players, fairGame)
    const [signal] = signalsOf(result, 'P_0009')
    const pValue = signal!.details.pValue as number
    expect(pValue).toBeGreaterThan(0.0008)
    expect(pValue).toBeLessThan(0.001)
    expect(signal!.strength).toBeCloseTo(-Math.log10(pValue) / 10, 12)
    expect(signal!.strength).toBeCloseTo(0.304, 3)
    expect(signalsOf(result, 'P_0011')).toEqual([])
  })

  it('estimates the bet count from sessions when there are no events, and says so', () => {
    const players = [{ playerId: 'P1', totalWagered: 500_000, totalWon: 650_000, sessions: 50 }]
    const [signal] = run(players, fairGame).signals
    expect(signal!.details.bets).toBe(5000)
    expect(signal!.details.betCountSource).toMatch(/estimated/)
    expect(signal!.details.z).toBeCloseTo(170_000 / ((2 * 500_000) / Math.sqrt(5000)), 9)
  })

  it('weights house edge and variance by the wager mix, else the game types equally', () => {
    const big = { totalWagered: 1_000_000, totalWon: 1_500_000 }
    const players: PlayerRecord[] = [
      { playerId: 'MIX', ...big, activity: activity({ betCount: 10_000, wagerByGame: { slots: 750, blackjack: 250 } }) },
      { playerId: 'TYPES', ...big, sessions: 100, gameTypes: ['slots', 'blackjack'] },
      { playerId: 'DEFAULT', ...big, sessions: 100 },
    ]
    const result = run(players) // defaults: slots 4% / variance 9, blackjack 1% / 1.3, default 3% / 4
    expect(signalsOf(result, 'MIX')[0]!.details).toMatchObject({ gameMixBasis: 'wager by game' })
    expect(signalsOf(result, 'MIX')[0]!.details.houseEdge).toBeCloseTo(0.75 * 0.04 + 0.25 * 0.01, 12)
    expect(signalsOf(result, 'MIX')[0]!.details.variancePerUnit).toBeCloseTo(0.75 * 9 + 0.25 * 1.3, 12)
    expect(signalsOf(result, 'TYPES')[0]!.details.houseEdge).toBeCloseTo(0.025, 12)
    expect(signalsOf(result, 'TYPES')[0]!.details.variancePerUnit).toBeCloseTo(5.15, 12)
    expect(signalsOf(result, 'DEFAULT')[0]!.details).toMatchObject({ houseEdge: 0.03, variancePerUnit: 4, gameMixBasis: 'default' })
  })

  it('skips players without wagered and won, or with too few bets to test', () => {
    const players: PlayerRecord[] = [
      { playerId: 'NO_WON', totalWagered: 500_000, activity: activity({ betCount: 5000 }) },
      { playerId: 'NO_WAGERED', totalWon: 650_000, activity: activity({ betCount: 5000 }) },
      { playerId: 'NO_COUNT', totalWagered: 500_000, totalWon: 650_000 },
      { playerId: 'TEN_BETS', totalWagered: 1000, totalWon: 100_000, activity: activity({ betCount: 10 }) },
    ]
    expect(run(players, fairGame).signals).toEqual([])
  })
})

describe('abuse score', () => {
  it('adds the points of every signal, rounds once, and caps at 100', () => {
    const players: PlayerRecord[] = [
      // 15 (bonus-only at the limit) + 12.5 (withdrawal at 24 h) = 27.5 → 28
      { playerId: 'TWO', totalDeposited: 5000, bonusReceived: 10000, activity: activity({ hoursFromBonusToWithdrawal: 24 }) },
      // 30 + 25 + 25 + 35 = 115 → 100
      {
        playerId: 'ALL',
        totalWagered: 500_000,
        totalWon: 650_000,
        activity: activity({ betCount: 5000, depositsAfterFirstBonus: 0, hoursFromBonusToWithdrawal: 0, betsWhileWagering: 200, minBetShareWhileWagering: 1 }),
      },
      { playerId: 'CLEAN', totalDeposited: 100_000, bonusReceived: 1000, totalWagered: 500_000, totalWon: 480_000, sessions: 40 },
    ]
    const result = run(players, { houseEdges: { default: 0.04 }, gameVariance: { default: 4 } })
    expect([...result.scores]).toEqual([28, 100, 0])
    expect(signalsOf(result, 'ALL').map((each) => each.signal)).toEqual([
      'bonus_only_play',
      'withdrawal_after_bonus',
      'min_bets_while_wagering',
      'improbable_win_rate',
    ])
    expect(signalsOf(result, 'ALL').reduce((sum, each) => sum + each.points, 0)).toBe(115)
  })

  it('refuses settings that would make a score NaN', () => {
    const broken = { ...defaultAbuseSettings, weights: { ...defaultAbuseSettings.weights, shared_identity: Number.NaN } }
    expect(() => detectAbuse([], broken)).toThrow(/weights.shared_identity/)
  })

  const identifier = (prefix: string) => fc.option(fc.constantFrom(`${prefix}1`, `${prefix}2`, `${prefix}3`, `${prefix}4`, ' ', ''), { nil: undefined })
  const money = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined })
  const activityArbitrary = fc.record({
    betCount: fc.integer({ min: 0, max: 100_000 }),
    betTotal: fc.integer({ min: 0, max: 10_000_000 }),
    wagerByGame: fc.dictionary(fc.constantFrom('slots', 'roulette', 'crash', 'bingo', 'constructor'), fc.integer({ min: 0, max: 1_000_000 })),
    betsWhileWagering: fc.integer({ min: 0, max: 500 }),
    minBetShareWhileWagering: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    hoursFromBonusToWithdrawal: fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: undefined }),
    depositsAfterFirstBonus: money,
    ips: fc.uniqueArray(fc.constantFrom('ip1', 'ip2', 'ip5', 'ip6')),
    devices: fc.uniqueArray(fc.constantFrom('dev1', 'dev5')),
  })
  const playerArbitrary = (playerId: string) =>
    fc.record({
      playerId: fc.constant(playerId),
      totalDeposited: money,
      bonusReceived: money,
      totalWagered: money,
      totalWon: money,
      sessions: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
      ip: identifier('ip'),
      deviceId: identifier('dev'),
      gameTypes: fc.option(fc.array(fc.constantFrom('slots', 'blackjack', 'keno')), { nil: undefined }),
      activity: fc.option(activityArbitrary, { nil: undefined }),
    })
  const baseArbitrary = fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 })
    .chain((ids) => fc.tuple(...ids.map(playerArbitrary)))
    .chain((players) => fc.tuple(fc.constant(players as PlayerRecord[]), fc.shuffledSubarray(players as PlayerRecord[], { minLength: players.length })))

  it('always gives whole scores in [0, 100], never NaN, one per player', () => {
    fc.assert(
      fc.property(baseArbitrary, fc.integer({ min: 2, max: 6 }), ([players], clusterSizeMax) => {
        const result = run(players, { clusterSizeMax })
        expect(result.scores).toHaveLength(players.length)
        for (const score of result.scores) {
          expect(Number.isInteger(score)).toBe(true)
          expect(score).toBeGreaterThanOrEqual(0)
          expect(score).toBeLessThanOrEqual(100)
        }
        for (const signal of result.signals) {
          expect(abuseSignalNames).toContain(signal.signal)
          expect(signal.strength).toBeGreaterThanOrEqual(0)
          expect(signal.strength).toBeLessThanOrEqual(1)
        }
        // Every member of a cluster, and nobody else, has the shared_identity signal.
        const members = result.clusters.flatMap((cluster) => cluster.playerIds).sort()
        const flagged = result.signals.filter((each) => each.signal === 'shared_identity').map((each) => each.playerId).sort()
        expect(flagged).toEqual(members)
        for (const cluster of result.clusters) expect(cluster.playerIds.length).toBeGreaterThanOrEqual(2)
      }),
      { numRuns: 300 },
    )
  })

  it('does not depend on the order of the players: same scores per player, same clusters', () => {
    fc.assert(
      fc.property(baseArbitrary, ([players, shuffled]) => {
        const original = run(players)
        const reordered = run(shuffled)
        const byPlayer = (result: AbuseResult, input: readonly PlayerRecord[]) =>
          Object.fromEntries(input.map((player, index) => [player.playerId, result.scores[index]]))
        expect(byPlayer(reordered, shuffled)).toEqual(byPlayer(original, players))
        expect(reordered.clusters).toEqual(original.clusters)
        const signalKey = (result: AbuseResult) => result.signals.map((each) => `${each.playerId}/${each.signal}/${each.points}`).sort()
        expect(signalKey(reordered)).toEqual(signalKey(original))
      }),
      { numRuns: 300 },
    )
  })
})
