import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  applyLpMultiplier,
  defaultTierLadder,
  evaluateTier,
  evaluateTiers,
  findTier,
  parseTierLadder,
  tierBenefits,
  tierLadderSchema,
  type LpEntry,
  type PlayerTierInput,
  type TierDefinition,
  type TierDefinitionInput,
  type TierInput,
  type TierLadder,
} from '../../../src/main/engine/tiers'
import { dateOfDay, dayNumber } from '../../../src/main/engine/dates'
import { roundToInteger } from '../../../src/shared/money'

// As-of 2026-03-31. A 90-day window is (2025-12-31, 2026-03-31]: 2026-01-01 … 2026-03-31
// (31 + 28 + 31 = 90 days). 2025-12-31 is exactly 90 days before and does not count.
const asOf = '2026-03-31'
const ladder = defaultTierLadder

function lp(date: string, points: number): LpEntry {
  return { date, points }
}

function tier(overrides: Partial<TierDefinitionInput> & Pick<TierDefinitionInput, 'code' | 'rank'>): TierDefinitionInput {
  return { name: overrides.code, qualifying_points: 0, window_days: 90, ...overrides }
}

function parsedLadder(input: unknown): TierDefinition[] {
  const result = parseTierLadder(input)
  if (!result.ok) throw new Error(`ladder refused: ${JSON.stringify(result.errors)}`)
  return result.ladder
}

function errorsOf(input: unknown): { path: string; message: string }[] {
  const result = parseTierLadder(input)
  if (result.ok) throw new Error('expected the ladder to be refused')
  return result.errors
}

function validDefaultInput(): TierDefinitionInput[] {
  return defaultTierLadder.map((definition) => structuredClone(definition))
}

describe('tier ladder configuration', () => {
  it('accepts the default ladder unchanged, with the documented values', () => {
    expect(parsedLadder(defaultTierLadder)).toEqual(defaultTierLadder)
    expect(defaultTierLadder.map((t) => [t.code, t.name, t.rank, t.qualifying_points, t.window_days, t.downgrade_grace_days])).toEqual([
      ['BRONZE', 'Bronze', 0, 0, 90, 0],
      ['SILVER', 'Silver', 1, 1_000, 90, 30],
      ['GOLD', 'Gold', 2, 5_000, 90, 30],
      ['PLATINUM', 'Platinum', 3, 20_000, 90, 30],
    ])
    expect(defaultTierLadder.map((t) => t.benefits)).toEqual([
      { lp_multiplier: 1, cashback_percent: 0, rp_conversion_rate: 0 },
      { lp_multiplier: 1.1, cashback_percent: 2, rp_conversion_rate: 0.01 },
      { lp_multiplier: 1.25, cashback_percent: 5, rp_conversion_rate: 0.012 },
      { lp_multiplier: 1.5, cashback_percent: 10, rp_conversion_rate: 0.015 },
    ])
    expect(Object.isFrozen(defaultTierLadder[1]?.benefits)).toBe(true)
  })

  it('fills the defaults of benefits and grace', () => {
    const [only] = parsedLadder([{ code: 'BASE', name: 'Base', rank: 0, qualifying_points: 0, window_days: 30 }])
    expect(only).toEqual({
      code: 'BASE',
      name: 'Base',
      rank: 0,
      qualifying_points: 0,
      window_days: 30,
      benefits: { lp_multiplier: 1, cashback_percent: 0, rp_conversion_rate: 0 },
      downgrade_grace_days: 0,
    })
    const [partial] = parsedLadder([tier({ code: 'BASE', rank: 0, benefits: { cashback_percent: 3 } })])
    expect(partial?.benefits).toEqual({ lp_multiplier: 1, cashback_percent: 3, rp_conversion_rate: 0 })
  })

  it('accepts the limits themselves', () => {
    const limits = parsedLadder([
      tier({ code: 'A', rank: 0, window_days: 1, downgrade_grace_days: 0, benefits: { lp_multiplier: 1, cashback_percent: 0, rp_conversion_rate: 0 } }),
      tier({ code: 'B_2', rank: 7, qualifying_points: 1, window_days: 730, downgrade_grace_days: 365, benefits: { lp_multiplier: 10, cashback_percent: 100 } }),
    ])
    expect(limits).toHaveLength(2)
  })

  it('refuses a duplicate rank at the second tier that uses it', () => {
    const input = validDefaultInput()
    input[2] = { ...input[2]!, rank: 1 }
    const errors = errorsOf(input)
    expect(errors).toEqual([{ path: '[2].rank', message: expect.stringContaining('rank 1') }])
    expect(errors[0]?.message).toContain('GOLD')
    expect(errors[0]?.message).toContain('SILVER')
  })

  it('refuses a duplicate code', () => {
    const input = validDefaultInput()
    input[3] = { ...input[3]!, code: 'GOLD' }
    expect(errorsOf(input)).toEqual([{ path: '[3].code', message: expect.stringContaining('GOLD is already used by tier [2]') }])
  })

  it('refuses a lowest-ranked tier that needs LP, naming it, wherever it sits in the list', () => {
    const input = [
      tier({ code: 'GOLD', rank: 5, qualifying_points: 5_000 }),
      tier({ code: 'ENTRY', rank: 2, qualifying_points: 100 }),
      tier({ code: 'SILVER', rank: 3, qualifying_points: 1_000 }),
    ]
    const errors = errorsOf(input)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.path).toBe('[1].qualifying_points')
    expect(errors[0]?.message).toContain('ENTRY')
    expect(errors[0]?.message).toContain('lowest-ranked')
    expect(errors[0]?.message).toContain('got 100')
  })

  it('refuses a negative window with the path and the expected range', () => {
    const input = validDefaultInput()
    input[1] = { ...input[1]!, window_days: -5 }
    expect(errorsOf(input)).toEqual([{ path: '[1].window_days', message: 'SILVER: expected a window that is a whole number of days from 1 to 730, got -5' }])
  })

  it('names the path and the expectation for every kind of field error', () => {
    const cases: [unknown, string, string][] = [
      [[tier({ code: 'gold', rank: 0 })], '[0].code', 'A-Z, 0-9 or _'],
      [[tier({ code: 'X'.repeat(33), rank: 0 })], '[0].code', '1 to 32 characters'],
      [[tier({ code: 'A', rank: 0, name: '  ' })], '[0].name', 'expected a tier name'],
      [[tier({ code: 'A', rank: -1 })], '[0].rank', 'whole number of 0 or more, got -1'],
      [[tier({ code: 'A', rank: 0.5 })], '[0].rank', 'got 0.5'],
      [[tier({ code: 'A', rank: 0, qualifying_points: 10.5 })], '[0].qualifying_points', 'whole number of LP'],
      [[tier({ code: 'A', rank: 0, window_days: 731 })], '[0].window_days', 'from 1 to 730, got 731'],
      [[tier({ code: 'A', rank: 0, window_days: '90' as unknown as number })], '[0].window_days', 'got "90"'],
      [[tier({ code: 'A', rank: 0, downgrade_grace_days: 366 })], '[0].downgrade_grace_days', 'from 0 to 365, got 366'],
      [[tier({ code: 'A', rank: 0, benefits: { lp_multiplier: 0.5 } })], '[0].benefits.lp_multiplier', 'from 1 to 10, got 0.5'],
      [[tier({ code: 'A', rank: 0, benefits: { cashback_percent: 101 } })], '[0].benefits.cashback_percent', 'from 0 to 100, got 101'],
      [[tier({ code: 'A', rank: 0, benefits: { rp_conversion_rate: -0.1 } })], '[0].benefits.rp_conversion_rate', '0 or more, got -0.1'],
      [[{ ...tier({ code: 'A', rank: 0 }), grace: 3 }], '[0]', 'unknown field "grace"'],
      [[{ code: 'A', name: 'A', rank: 0, qualifying_points: 0 }], '[0].window_days', 'got nothing'],
      [[5], '[0]', 'expected a tier'],
      [[], '(ladder)', 'at least 1 tier'],
      [Array.from({ length: 21 }, (_, rank) => tier({ code: `T${rank}`, rank })), '(ladder)', 'at most 20 tiers, got 21'],
      ['BRONZE', '(ladder)', 'expected a list of tiers'],
    ]
    for (const [input, path, fragment] of cases) {
      const errors = errorsOf(input)
      expect(errors, JSON.stringify(input).slice(0, 80)).toContainEqual({ path, message: expect.stringContaining(fragment) })
    }
  })

  it('reports every problem at once, field errors and ladder rules together', () => {
    const input = [tier({ code: 'A', rank: 0, qualifying_points: 10 }), tier({ code: 'B', rank: 0, qualifying_points: 5, window_days: 0 })]
    const paths = errorsOf(input).map((error) => error.path)
    expect([...paths].sort()).toEqual(['[0].qualifying_points', '[1].qualifying_points', '[1].rank', '[1].window_days'])
  })

  it('is also usable as a plain zod schema', () => {
    expect(tierLadderSchema.safeParse(defaultTierLadder).success).toBe(true)
    expect(tierLadderSchema.safeParse([]).success).toBe(false)
  })
})

describe('evaluateTier: hand-checked decisions', () => {
  it('places a new player with no LP in the starting tier', () => {
    expect(evaluateTier({ lpEarned: [] }, ladder, asOf)).toEqual({
      tier: 'BRONZE',
      previousTier: undefined,
      change: 'initial',
      lpInWindow: 0,
      qualifiesFor: 'BRONZE',
      graceEndsOn: undefined,
      reason: "Placed in Bronze: 0 LP in the last 90 days is below Silver's 1,000.",
      tierSince: asOf,
      lastQualifiedOn: asOf,
    })
  })

  it('places a new player directly in the highest tier their LP meets', () => {
    const decision = evaluateTier({ lpEarned: [lp('2026-02-01', 2_500), lp('2026-03-15', 3_500)] }, ladder, asOf)
    expect(decision).toMatchObject({ tier: 'GOLD', change: 'initial', lpInWindow: 6_000, qualifiesFor: 'GOLD' })
    expect(decision.reason).toBe("Placed in Gold: 6,000 LP in the last 90 days meets Gold's 5,000.")
  })

  it('decides exactly at a threshold in the player’s favour (≥), one point below not', () => {
    expect(evaluateTier({ lpEarned: [lp('2026-03-01', 999)] }, ladder, asOf).tier).toBe('BRONZE')
    expect(evaluateTier({ lpEarned: [lp('2026-03-01', 1_000)] }, ladder, asOf).tier).toBe('SILVER')
    expect(evaluateTier({ lpEarned: [lp('2026-03-01', 19_999)] }, ladder, asOf).tier).toBe('GOLD')
    expect(evaluateTier({ lpEarned: [lp('2026-03-01', 20_000)] }, ladder, asOf).tier).toBe('PLATINUM')
  })

  it('upgrades by one rank at once', () => {
    const decision = evaluateTier(
      { currentTier: 'SILVER', tierSince: '2025-11-02', lastQualifiedOn: '2026-03-30', lpEarned: [lp('2026-01-10', 4_000), lp('2026-03-31', 1_000)] },
      ladder,
      asOf,
    )
    expect(decision).toEqual({
      tier: 'GOLD',
      previousTier: 'SILVER',
      change: 'upgrade',
      lpInWindow: 5_000,
      qualifiesFor: 'GOLD',
      graceEndsOn: undefined,
      reason: "Upgraded from Silver to Gold: 5,000 LP in the last 90 days meets Gold's 5,000.",
      tierSince: asOf,
      lastQualifiedOn: asOf,
    })
  })

  it('upgrades by two ranks at once', () => {
    const decision = evaluateTier({ currentTier: 'BRONZE', tierSince: '2025-06-01', lpEarned: [lp('2026-02-14', 7_500)] }, ladder, asOf)
    expect(decision).toMatchObject({ tier: 'GOLD', previousTier: 'BRONZE', change: 'upgrade', lpInWindow: 7_500 })
    expect(decision.reason).toBe("Upgraded from Bronze to Gold: 7,500 LP in the last 90 days meets Gold's 5,000.")
  })

  it('keeps a tier the player still meets, carrying tierSince forward', () => {
    const decision = evaluateTier(
      { currentTier: 'GOLD', tierSince: '2025-10-01', lastQualifiedOn: '2026-03-30', lpEarned: [lp('2026-03-01', 6_000)] },
      ladder,
      asOf,
    )
    expect(decision).toMatchObject({ tier: 'GOLD', previousTier: 'GOLD', change: 'unchanged', tierSince: '2025-10-01', lastQualifiedOn: asOf })
    expect(decision.reason).toBe("Gold kept: 6,000 LP in the last 90 days meets Gold's 5,000.")
  })

  it('holds a tier the player no longer meets during the grace period', () => {
    const decision = evaluateTier(
      { currentTier: 'GOLD', tierSince: '2025-12-01', lastQualifiedOn: '2026-03-10', lpEarned: [lp('2026-01-05', 3_200)] },
      ladder,
      asOf,
    )
    expect(decision).toEqual({
      tier: 'GOLD',
      previousTier: 'GOLD',
      change: 'held_in_grace',
      lpInWindow: 3_200, // in SILVER's window, the tier qualified for
      qualifiesFor: 'SILVER',
      graceEndsOn: '2026-04-09', // 2026-03-10 + 30 days
      reason: "Gold kept in grace until 2026-04-09: 3,200 LP in the last 90 days is below Gold's 5,000.",
      tierSince: '2025-12-01',
      lastQualifiedOn: '2026-03-10',
    })
  })

  it('keeps the tier on the last day of grace and drops it the day after', () => {
    const onLastDay = evaluateTier({ currentTier: 'GOLD', lastQualifiedOn: '2026-03-01', lpEarned: [lp('2026-03-01', 1_200)] }, ladder, asOf)
    expect(onLastDay).toMatchObject({ tier: 'GOLD', change: 'held_in_grace', graceEndsOn: '2026-03-31' })
    const dayAfter = evaluateTier({ currentTier: 'GOLD', lastQualifiedOn: '2026-02-28', lpEarned: [lp('2026-03-01', 1_200)] }, ladder, asOf)
    expect(dayAfter).toMatchObject({ tier: 'SILVER', change: 'downgrade', graceEndsOn: undefined })
    expect(dayAfter.reason).toBe("Downgraded from Gold to Silver: 1,200 LP in the last 90 days is below Gold's 5,000 and its 30-day grace period ended on 2026-03-30.")
  })

  it('downgrades two ranks at once after grace', () => {
    const decision = evaluateTier(
      { currentTier: 'PLATINUM', tierSince: '2025-09-01', lastQualifiedOn: '2026-01-15', lpEarned: [lp('2026-01-20', 900), lp('2026-03-02', 600)] },
      ladder,
      asOf,
    )
    expect(decision).toEqual({
      tier: 'SILVER',
      previousTier: 'PLATINUM',
      change: 'downgrade',
      lpInWindow: 1_500,
      qualifiesFor: 'SILVER',
      graceEndsOn: undefined,
      reason: "Downgraded from Platinum to Silver: 1,500 LP in the last 90 days is below Platinum's 20,000 and its 30-day grace period ended on 2026-02-14.",
      tierSince: asOf,
      lastQualifiedOn: asOf,
    })
  })

  it('downgrades all the way to the starting tier', () => {
    const decision = evaluateTier({ currentTier: 'PLATINUM', lastQualifiedOn: '2025-10-01', lpEarned: [] }, ladder, asOf)
    expect(decision).toMatchObject({ tier: 'BRONZE', change: 'downgrade', qualifiesFor: 'BRONZE', lpInWindow: 0 })
  })

  it('counts grace from the later of lastQualifiedOn and tierSince', () => {
    // Entered GOLD on 2026-03-20 (so met it then); a stale lastQualifiedOn must not shorten grace.
    const decision = evaluateTier({ currentTier: 'GOLD', tierSince: '2026-03-20', lastQualifiedOn: '2026-01-01', lpEarned: [] }, ladder, asOf)
    expect(decision).toMatchObject({ tier: 'GOLD', change: 'held_in_grace', graceEndsOn: '2026-04-19', lastQualifiedOn: '2026-03-20' })
  })

  it('downgrades at once, and says why, when no qualification date is known', () => {
    const decision = evaluateTier({ currentTier: 'GOLD', lpEarned: [lp('2026-03-01', 1_000)] }, ladder, asOf)
    expect(decision).toMatchObject({ tier: 'SILVER', change: 'downgrade' })
    expect(decision.reason).toBe("Downgraded from Gold to Silver: 1,000 LP in the last 90 days is below Gold's 5,000 and no qualification date is known to count a grace period from.")
  })

  it('drops a tier without grace the day after it was last met', () => {
    const noGrace = parsedLadder([tier({ code: 'BASIC', name: 'Basic', rank: 0 }), tier({ code: 'VIP', name: 'VIP', rank: 1, qualifying_points: 100, window_days: 30 })])
    const held = evaluateTier({ currentTier: 'VIP', lastQualifiedOn: asOf, lpEarned: [] }, noGrace, asOf)
    expect(held.change).toBe('held_in_grace')
    const dropped = evaluateTier({ currentTier: 'VIP', lastQualifiedOn: '2026-03-30', lpEarned: [] }, noGrace, asOf)
    expect(dropped).toMatchObject({ tier: 'BASIC', change: 'downgrade' })
    expect(dropped.reason).toBe("Downgraded from VIP to Basic: 0 LP in the last 30 days is below VIP's 100 and VIP has no grace period.")
  })

  it('re-qualifies from scratch when the current tier is no longer in the ladder', () => {
    const decision = evaluateTier({ currentTier: 'DIAMOND', tierSince: '2025-01-01', lastQualifiedOn: '2026-03-30', lpEarned: [lp('2026-03-01', 1_500)] }, ladder, asOf)
    expect(decision).toEqual({
      tier: 'SILVER',
      previousTier: 'DIAMOND',
      change: 'initial',
      lpInWindow: 1_500,
      qualifiesFor: 'SILVER',
      graceEndsOn: undefined,
      reason: "Tier DIAMOND is no longer in the ladder, so the player was placed from scratch in Silver: 1,500 LP in the last 90 days meets Silver's 1,000.",
      tierSince: asOf,
      lastQualifiedOn: asOf,
    })
  })

  it('treats a blank current tier as none', () => {
    expect(evaluateTier({ currentTier: '', lpEarned: [] }, ladder, asOf)).toMatchObject({ change: 'initial', previousTier: undefined, tier: 'BRONZE' })
  })

  it('subtracts reversals (negative LP entries)', () => {
    const decision = evaluateTier({ lpEarned: [lp('2026-03-01', 5_200), lp('2026-03-05', -300)] }, ladder, asOf)
    expect(decision).toMatchObject({ tier: 'SILVER', lpInWindow: 4_900 })
  })

  it('does not depend on the order the ladder is listed in', () => {
    const reversed = [...defaultTierLadder].reverse()
    const input: TierInput = { currentTier: 'PLATINUM', lastQualifiedOn: '2026-03-10', lpEarned: [lp('2026-03-01', 6_000)] }
    expect(evaluateTier(input, reversed, asOf)).toEqual(evaluateTier(input, ladder, asOf))
  })
})

describe('evaluateTier: the window (asOf − window_days, asOf]', () => {
  const silverOnly = (date: string): string => evaluateTier({ lpEarned: [lp(date, 1_000)] }, ladder, asOf).tier

  it('counts the as-of day itself', () => {
    expect(silverOnly('2026-03-31')).toBe('SILVER')
  })

  it('counts the day window_days − 1 days before as-of (the first day of the window)', () => {
    expect(dayNumber(asOf) - dayNumber('2026-01-01')).toBe(89)
    expect(silverOnly('2026-01-01')).toBe('SILVER')
  })

  it('does not count an entry exactly window_days before as-of', () => {
    expect(dayNumber(asOf) - dayNumber('2025-12-31')).toBe(90)
    expect(silverOnly('2025-12-31')).toBe('BRONZE')
  })

  it('does not count entries dated after as-of', () => {
    expect(silverOnly('2026-04-01')).toBe('BRONZE')
  })

  it('accepts timestamps and pre-parsed day numbers for entries', () => {
    expect(silverOnly('2026-01-01T23:59:59Z')).toBe('SILVER')
    // `day` wins over `date`: the caller pre-parsed it (here deliberately inconsistent to prove it).
    const preParsed = evaluateTier({ lpEarned: [{ date: '2000-01-01', day: dayNumber('2026-03-01'), points: 1_000 }] }, ladder, asOf)
    expect(preParsed.tier).toBe('SILVER')
  })

  it('uses each tier’s own window', () => {
    const mixed = parsedLadder([
      tier({ code: 'BASE', name: 'Base', rank: 0, window_days: 365 }),
      tier({ code: 'PLUS', name: 'Plus', rank: 1, qualifying_points: 1_000, window_days: 90 }),
      tier({ code: 'TOP', name: 'Top', rank: 2, qualifying_points: 1_000, window_days: 30 }),
    ])
    // 45 days before as-of: inside PLUS's 90 days, outside TOP's 30.
    const decision = evaluateTier({ lpEarned: [lp('2026-02-14', 1_500), lp('2025-06-01', 400)] }, mixed, asOf)
    expect(decision).toMatchObject({ tier: 'PLUS', qualifiesFor: 'PLUS', lpInWindow: 1_500 })
    const top = evaluateTier({ lpEarned: [lp('2026-03-02', 1_000)] }, mixed, asOf) // 29 days before
    expect(top).toMatchObject({ tier: 'TOP', lpInWindow: 1_000 })
    expect(top.reason).toBe("Placed in Top: 1,000 LP in the last 30 days meets Top's 1,000.")
    const base = evaluateTier({ lpEarned: [lp('2025-06-01', 400)] }, mixed, asOf)
    expect(base).toMatchObject({ tier: 'BASE', lpInWindow: 400 }) // BASE's own 365-day window
  })
})

describe('evaluateTier: broken inputs fail loudly', () => {
  it('refuses a malformed as-of date', () => {
    expect(() => evaluateTier({ lpEarned: [] }, ladder, '31/03/2026')).toThrow(RangeError)
  })

  it('refuses fractional points and unreadable entry dates', () => {
    expect(() => evaluateTier({ lpEarned: [lp('2026-03-01', 1.5)] }, ladder, asOf)).toThrow(/whole points/)
    expect(() => evaluateTier({ lpEarned: [lp('yesterday', 1)] }, ladder, asOf)).toThrow(/expected 'YYYY-MM-DD'/)
  })

  it('refuses a malformed qualification date when it is needed, naming the player in a batch', () => {
    const players: PlayerTierInput[] = [{ playerId: 'P-7', currentTier: 'GOLD', lastQualifiedOn: 'soon', lpEarned: [] }]
    expect(() => evaluateTiers(players, ladder, asOf)).toThrow(/Player P-7: lastQualifiedOn/)
  })

  it('refuses a ladder that did not come through validation', () => {
    expect(() => evaluateTier({ lpEarned: [] }, [], asOf)).toThrow(RangeError)
    const badLowest = [{ ...defaultTierLadder[0]!, qualifying_points: 10 }]
    expect(() => evaluateTier({ lpEarned: [] }, badLowest, asOf)).toThrow(/must need 0 LP/)
  })
})

describe('benefits', () => {
  it('returns a tier’s benefits', () => {
    expect(tierBenefits('GOLD', ladder)).toEqual({ lp_multiplier: 1.25, cashback_percent: 5, rp_conversion_rate: 0.012 })
    expect(findTier('SILVER', ladder)?.name).toBe('Silver')
    expect(findTier('DIAMOND', ladder)).toBeUndefined()
    expect(() => tierBenefits('DIAMOND', ladder)).toThrow(/Unknown tier "DIAMOND"/)
  })

  it('multiplies LP and rounds half away from zero to whole points', () => {
    expect(applyLpMultiplier(100, 'SILVER', ladder)).toBe(110)
    expect(applyLpMultiplier(5, 'SILVER', ladder)).toBe(6) // 5.5 (5.500000000000001 in floating point)
    expect(applyLpMultiplier(-5, 'SILVER', ladder)).toBe(-6) // a reversal mirrors the credit
    expect(applyLpMultiplier(2, 'GOLD', ladder)).toBe(3) // 2.5
    expect(applyLpMultiplier(3, 'GOLD', ladder)).toBe(4) // 3.75
    expect(applyLpMultiplier(1, 'PLATINUM', ladder)).toBe(2) // 1.5
    expect(applyLpMultiplier(7, 'BRONZE', ladder)).toBe(7)
    expect(applyLpMultiplier(0, 'PLATINUM', ladder)).toBe(0)
    expect(Object.is(applyLpMultiplier(-0, 'GOLD', ladder), 0)).toBe(true)
  })

  it('refuses fractional points and unknown tiers', () => {
    expect(() => applyLpMultiplier(1.5, 'GOLD', ladder)).toThrow(/whole points/)
    expect(() => applyLpMultiplier(10, 'DIAMOND', ladder)).toThrow(/Unknown tier/)
  })

  it('always gives an integer within half a point of the exact product (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.constantFrom(...ladder.map((t) => t.code)), (points, code) => {
        const result = applyLpMultiplier(points, code, ladder)
        const exact = points * tierBenefits(code, ladder).lp_multiplier
        expect(Number.isSafeInteger(result)).toBe(true)
        expect(result).toBe(roundToInteger(exact))
        expect(Math.abs(result - exact)).toBeLessThanOrEqual(0.5 + 1e-6)
      }),
    )
  })
})

// ---------------------------------------------------------------------------------------------
// Properties over random ladders and players

const asOfDay = dayNumber(asOf)

/** A valid ladder: 1–6 tiers, distinct shuffled ranks, lowest needs 0 LP, mixed windows and grace. */
const ladderArbitrary: fc.Arbitrary<TierLadder> = fc
  .integer({ min: 1, max: 6 })
  .chain((size) =>
    fc.tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: size, maxLength: size }),
      fc.array(fc.integer({ min: 1, max: 30_000 }), { minLength: size, maxLength: size }),
      fc.array(fc.integer({ min: 1, max: 730 }), { minLength: size, maxLength: size }),
      fc.array(fc.integer({ min: 0, max: 365 }), { minLength: size, maxLength: size }),
    ),
  )
  .map(([ranks, points, windows, graces]) => {
    const lowestRank = Math.min(...ranks)
    return parsedLadder(
      ranks.map((rank, index) =>
        tier({
          code: `T${rank}`,
          name: `Tier ${rank}`,
          rank,
          qualifying_points: rank === lowestRank ? 0 : (points[index] as number),
          window_days: windows[index] as number,
          downgrade_grace_days: graces[index] as number,
        }),
      ),
    )
  })

const entryArbitrary: fc.Arbitrary<LpEntry> = fc
  .record({ offset: fc.integer({ min: -30, max: 800 }), points: fc.integer({ min: 0, max: 12_000 }) })
  .map(({ offset, points }) => lp(dateOfDay(asOfDay - offset), points))

const dateNearAsOfArbitrary = fc.option(
  fc.integer({ min: 0, max: 500 }).map((offset) => dateOfDay(asOfDay - offset)),
  { nil: undefined },
)

function inputArbitrary(forLadder: TierLadder): fc.Arbitrary<TierInput> {
  return fc.record({
    currentTier: fc.option(fc.constantFrom(...forLadder.map((t) => t.code), 'GHOST'), { nil: undefined }),
    tierSince: dateNearAsOfArbitrary,
    lastQualifiedOn: dateNearAsOfArbitrary,
    lpEarned: fc.array(entryArbitrary, { maxLength: 12 }),
  })
}

const scenarioArbitrary = ladderArbitrary.chain((forLadder) => fc.tuple(fc.constant(forLadder), inputArbitrary(forLadder)))

function rankOf(code: string, forLadder: TierLadder): number {
  const found = findTier(code, forLadder)
  if (!found) throw new Error(`tier ${code} is not in the ladder`)
  return found.rank
}

/** An independent oracle: ISO date strings compare like dates. */
function lpInWindowOracle(entries: readonly LpEntry[], windowDays: number): number {
  const firstExcluded = dateOfDay(asOfDay - windowDays)
  return entries.filter((entry) => entry.date > firstExcluded && entry.date <= asOf).reduce((sum, entry) => sum + entry.points, 0)
}

describe('evaluateTier: properties', () => {
  it('always decides a tier that exists in the ladder, consistently with the change', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ([forLadder, input]) => {
        const decision = evaluateTier(input, forLadder, asOf)
        expect(findTier(decision.tier, forLadder)).toBeDefined()
        expect(findTier(decision.qualifiesFor, forLadder)).toBeDefined()
        expect(decision.reason).toMatch(/^[A-Z].*\.$/)
        if (decision.change === 'held_in_grace') {
          expect(decision.tier).toBe(input.currentTier)
          expect(rankOf(decision.qualifiesFor, forLadder)).toBeLessThan(rankOf(decision.tier, forLadder))
          expect(decision.graceEndsOn! >= asOf).toBe(true)
        } else {
          expect(decision.tier).toBe(decision.qualifiesFor)
          expect(decision.graceEndsOn).toBeUndefined()
        }
      }),
    )
  })

  it('qualifies for the highest tier whose own window meets its points (oracle)', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ([forLadder, input]) => {
        const decision = evaluateTier(input, forLadder, asOf)
        const byRank = [...forLadder].sort((left, right) => left.rank - right.rank)
        const met = byRank.filter((t, index) => index === 0 || lpInWindowOracle(input.lpEarned, t.window_days) >= t.qualifying_points)
        const expected = met[met.length - 1]!
        expect(decision.qualifiesFor).toBe(expected.code)
        expect(decision.lpInWindow).toBe(lpInWindowOracle(input.lpEarned, expected.window_days))
      }),
    )
  })

  it('never gives a lower tier for more LP (monotonic)', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.array(entryArbitrary, { minLength: 1, maxLength: 6 }), ([forLadder, input], extra) => {
        const before = evaluateTier(input, forLadder, asOf)
        const after = evaluateTier({ ...input, lpEarned: [...input.lpEarned, ...extra] }, forLadder, asOf)
        expect(rankOf(after.tier, forLadder)).toBeGreaterThanOrEqual(rankOf(before.tier, forLadder))
        expect(rankOf(after.qualifiesFor, forLadder)).toBeGreaterThanOrEqual(rankOf(before.qualifiesFor, forLadder))
      }),
    )
  })

  it('does not depend on the order of the LP entries', () => {
    const withNegatives = fc.array(
      fc.record({ offset: fc.integer({ min: -5, max: 200 }), points: fc.integer({ min: -2_000, max: 12_000 }) }).map(({ offset, points }) => lp(dateOfDay(asOfDay - offset), points)),
      { maxLength: 15 },
    )
    const scenario = ladderArbitrary.chain((forLadder) =>
      fc.tuple(fc.constant(forLadder), inputArbitrary(forLadder), withNegatives).chain(([l, input, entries]) =>
        fc.tuple(fc.constant(l), fc.constant({ ...input, lpEarned: entries }), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })),
      ),
    )
    fc.assert(
      fc.property(scenario, ([forLadder, input, shuffled]) => {
        expect(evaluateTier({ ...input, lpEarned: shuffled }, forLadder, asOf)).toEqual(evaluateTier(input, forLadder, asOf))
      }),
    )
  })
})

describe('evaluateTiers (batch)', () => {
  it('returns the single-player decisions in input order', () => {
    fc.assert(
      fc.property(
        ladderArbitrary.chain((forLadder) => fc.tuple(fc.constant(forLadder), fc.array(inputArbitrary(forLadder), { maxLength: 20 }))),
        ([forLadder, inputs]) => {
          const players = inputs.map((input, index) => ({ ...input, playerId: `P${index}` }))
          expect(evaluateTiers(players, forLadder, asOf)).toEqual(inputs.map((input) => evaluateTier(input, forLadder, asOf)))
        },
      ),
    )
  })

  it('gives the same answers with pre-parsed day numbers', () => {
    const players: PlayerTierInput[] = Array.from({ length: 200 }, (_, index) => ({
      playerId: `P${index}`,
      currentTier: ladder[index % 4]!.code,
      lastQualifiedOn: dateOfDay(asOfDay - (index % 60)),
      lpEarned: Array.from({ length: 10 }, (_, entry) => lp(dateOfDay(asOfDay - ((index * 31 + entry * 17) % 120)), ((index * 7 + entry * 13) % 900) * 3)),
    }))
    const preParsed = players.map((player) => ({ ...player, lpEarned: player.lpEarned.map((entry) => ({ ...entry, day: dayNumber(entry.date) })) }))
    const decisions = evaluateTiers(players, ladder, asOf)
    expect(evaluateTiers(preParsed, ladder, asOf)).toEqual(decisions)
    expect(new Set(decisions.map((decision) => decision.change))).toEqual(new Set(['upgrade', 'unchanged', 'held_in_grace', 'downgrade']))
  })
})
