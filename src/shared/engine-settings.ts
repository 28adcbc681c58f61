// Operator-tunable settings of the engine. Money here is in major units (as operators write it);
// the engine converts to minor units once. Every field has a default, so {} is a valid setting set.
import { z } from 'zod'
import { conditionValueSchema } from './rule-schema'

export const segmentNameList = ['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'] as const
const segmentEnum = z.enum(segmentNameList)
const currencyEnum = z.enum(['LP', 'RP', 'BONUS', 'TICKETS'])
const share = z.number().finite().min(0).max(1)
const money = z.number().finite().min(0).max(1e12)
const perCurrency = z.partialRecord(currencyEnum, money)

/**
 * The seed's segmentation with its gap closed: BREAKEVEN (within ±5% of wagered) is tested before
 * WINNING and LOSING, so a player up 7% is WINNING, never LOSING. First match wins; players with no
 * wagering data fall to `fallback`.
 */
export const defaultSegmentOrder = [
  { segment: 'NEW', conditions: { total_wagered: { lt: 1000 } } },
  { segment: 'VIP', conditions: { total_wagered: { gt: 100000 }, sessions: { gt: 100 } } },
  { segment: 'BREAKEVEN', conditions: { hold: { gt: -0.05, lt: 0.05 } } },
  { segment: 'WINNING', conditions: { net_pnl: { gt: 0 } } },
  { segment: 'LOSING', conditions: { net_pnl: { lt: 0 } } },
] as const

export const segmentConfigSchema = z
  .object({
    order: z
      .array(z.object({ segment: segmentEnum, conditions: z.record(z.string().max(100), conditionValueSchema) }).strict())
      .min(1)
      .max(20),
    fallback: segmentEnum,
  })
  .strict()

export const engineSettingsSchema = z
  .object({
    currency: z
      .object({ code: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'), minorDigits: z.number().int().min(0).max(4) })
      .strict()
      .default({ code: 'EUR', minorDigits: 2 }),
    /** House edge per game type (0.04 = 4%); "default" applies to any other type. */
    houseEdges: z
      .record(z.string().min(1).max(64), share)
      .refine((edges) => Object.hasOwn(edges, 'default'), { message: 'house edges need a "default" entry' })
      .default({ default: 0.03, slots: 0.04, roulette: 0.027, blackjack: 0.01, baccarat: 0.0106, live_casino: 0.02, poker: 0.025, sports: 0.05, crash: 0.03 }),
    /** Variance of the result per unit staked, per game type; used by the win-rate test. */
    gameVariance: z
      .record(z.string().min(1).max(64), z.number().finite().min(0.01).max(1000))
      .refine((variance) => Object.hasOwn(variance, 'default'), { message: 'game variance needs a "default" entry' })
      .default({ default: 4, slots: 9, roulette: 1, blackjack: 1.3, baccarat: 1, live_casino: 1.5, poker: 2, sports: 1, crash: 4 }),
    /** Issue only if expected cost ≤ expected future margin × safetyFactor. */
    safetyFactor: share.default(0.8),
    /** Days of future play the expected margin counts. */
    marginHorizonDays: z.number().int().min(1).max(365).default(30),
    retention: z
      .object({
        bySegment: z.partialRecord(segmentEnum, z.number().finite().min(0).max(10)).default({ NEW: 0.5, VIP: 1.2, WINNING: 0.8, BREAKEVEN: 1, LOSING: 0.9 }),
        byCurrency: z.partialRecord(currencyEnum, z.number().finite().min(0).max(10)).default({ BONUS: 1.1, RP: 1.05, LP: 1, TICKETS: 1 }),
      })
      .strict()
      .default({ bySegment: { NEW: 0.5, VIP: 1.2, WINNING: 0.8, BREAKEVEN: 1, LOSING: 0.9 }, byCurrency: { BONUS: 1.1, RP: 1.05, LP: 1, TICKETS: 1 } }),
    pointValues: z
      .object({
        /** Money value of one RP, major units, and the share of RP expected to be redeemed. */
        rewardPoint: money.default(0.01),
        rewardPointRedemptionRate: share.default(0.6),
        loyaltyPoint: money.default(0),
        ticket: money.default(1),
      })
      .strict()
      .default({ rewardPoint: 0.01, rewardPointRedemptionRate: 0.6, loyaltyPoint: 0, ticket: 1 }),
    caps: z
      .object({
        perPlayerDay: perCurrency.default({}),
        perPlayerWeek: perCurrency.default({}),
        perPlayerMonth: perCurrency.default({}),
        globalDay: perCurrency.default({}),
      })
      .strict()
      .default({ perPlayerDay: {}, perPlayerWeek: {}, perPlayerMonth: {}, globalDay: {} }),
    abuse: z
      .object({
        reduceAt: z.number().min(0).max(100).default(40),
        reduceMultiplier: share.default(0.5),
        blockAt: z.number().min(0).max(100).default(70),
        reviewAt: z.number().min(0).max(100).default(60),
        /** Detection thresholds; anything left out keeps the engine's default (engine/abuse.ts). */
        detection: z
          .object({
            bonusOnlyDepositRatio: z.number().finite().min(0).max(100),
            withdrawalAfterBonusHours: z.number().finite().min(0).max(24 * 90),
            minBetsSampleMin: z.number().int().min(1).max(100_000),
            minBetShareThreshold: share,
            sharedIdentityIgnore: z.array(z.string().min(1).max(200)).max(10_000),
            clusterSizeMax: z.number().int().min(2).max(1_000_000),
            winRatePValue: z.number().finite().gt(0).max(0.5),
            winRateBetsMin: z.number().int().min(1).max(1_000_000),
            betsPerSessionEstimate: z.number().finite().min(1).max(100_000),
            weights: z.partialRecord(
              z.enum(['bonus_only_play', 'withdrawal_after_bonus', 'min_bets_while_wagering', 'shared_identity', 'improbable_win_rate']),
              z.number().finite().min(0).max(100),
            ),
          })
          .strict()
          .partial()
          .default({}),
      })
      .strict()
      .default({ reduceAt: 40, reduceMultiplier: 0.5, blockAt: 70, reviewAt: 60, detection: {} }),
    /**
     * Points that expire: per currency (LP, RP), points still held this many days after they were
     * credited expire, oldest first (spending uses the oldest points first). A currency left out
     * never expires; the default {} expires nothing. Applied by `loyalty expire --as-of DATE`.
     */
    pointsExpiry: z
      .object({
        LP: z.object({ afterDays: z.number().int().min(1).max(36_500) }).strict().optional(),
        RP: z.object({ afterDays: z.number().int().min(1).max(36_500) }).strict().optional(),
      })
      .strict()
      .default({}),
    segments: segmentConfigSchema.default({ order: defaultSegmentOrder.map((each) => ({ ...each, conditions: { ...each.conditions } })), fallback: 'NEW' }),
  })
  .strict()

export type EngineSettingsInput = z.input<typeof engineSettingsSchema>
export type EngineSettings = z.output<typeof engineSettingsSchema>
export type SegmentConfig = z.output<typeof segmentConfigSchema>

export function defaultEngineSettings(): EngineSettings {
  return engineSettingsSchema.parse({})
}
