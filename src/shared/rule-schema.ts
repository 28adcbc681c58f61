// The reward rule JSON operators write, in the seed's shape plus what operators need. Amounts
// are in the currency's major units (500 = 500.00) as operators write them; the engine turns
// them into integer minor units once, when it compiles the rule.
import { z } from 'zod'
import { calendarDateSchema } from './calendar-date'

export const ruleIdPattern = /^[A-Za-z0-9_.-]{1,64}$/

/** Accepted spellings of reward types, mapped to ledger currencies. */
export const rewardTypeAliases = {
  BONUS: 'BONUS',
  BONUS_BALANCE: 'BONUS',
  BONUS_MONEY: 'BONUS',
  CASHBACK: 'BONUS',
  LP: 'LP',
  LOYALTY_POINTS: 'LP',
  RP: 'RP',
  REWARD_POINTS: 'RP',
  TICKETS: 'TICKETS',
  TICKET: 'TICKETS',
  FREE_TICKETS: 'TICKETS',
} as const

const amount = z.number().finite().min(0).max(1e12)
const scalar = z.union([z.number().finite(), z.string().max(200), z.boolean()])

export const conditionRangeSchema = z
  .object({
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    gt: z.number().finite().optional(),
    lt: z.number().finite().optional(),
    eq: scalar.optional(),
    in: z.array(z.union([z.number().finite(), z.string().max(200)])).min(1).max(1000).optional(),
  })
  .strict()
  .refine((range) => Object.keys(range).length > 0, { message: 'expected at least one of min, max, gt, lt, eq, in' })

/** `net_loss_min: 100`, `segment: "LOSING"`, `days_since_last_deposit: { max: 7 }`, `tier: ["GOLD", "PLATINUM"]`. */
export const conditionValueSchema = z.union([scalar, z.array(z.union([z.number().finite(), z.string().max(200)])).min(1).max(1000), conditionRangeSchema])

export const frequencySchema = z.union([
  z.enum(['once', 'daily', 'weekly', 'monthly']),
  z.object({ per: z.enum(['day', 'week', 'month']) }).strict(),
  z.object({ cooldown_hours: z.number().int().min(1).max(24 * 366) }).strict(),
])

// A rule's active window is a real day too (2026-02-30 would otherwise compare as text, never matching).
const isoDate = calendarDateSchema

export const rewardSchema = z
  .object({
    type: z.string().transform((value, context) => {
      const key = value.trim().toUpperCase().replace(/[\s-]+/g, '_')
      if (Object.hasOwn(rewardTypeAliases, key)) return rewardTypeAliases[key as keyof typeof rewardTypeAliases]
      context.addIssue({ code: 'custom', message: `unknown reward type "${value}"; expected one of ${Object.keys(rewardTypeAliases).join(', ')}` })
      return z.NEVER
    }),
    /** An expression over metric names, or a fixed amount. */
    formula: z.union([z.string().min(1).max(1000), amount]),
    min_amount: amount.optional(),
    max_amount: amount.optional(),
    wagering_requirement: z.number().finite().min(0).max(200).optional(),
    max_bet: amount.optional(),
    expiry_hours: z.number().int().min(1).max(24 * 366).optional(),
    eligible_games: z.array(z.string().min(1).max(64)).max(100).optional(),
  })
  .strict()
  .refine((reward) => reward.min_amount === undefined || reward.max_amount === undefined || reward.min_amount <= reward.max_amount, {
    message: 'min_amount must not be above max_amount',
    path: ['min_amount'],
  })
  // A bonus to wager needs the games that count toward it: no silent "every game counts".
  .refine((reward) => !(reward.wagering_requirement && reward.wagering_requirement > 0) || (reward.eligible_games?.length ?? 0) > 0, {
    message: 'a wagering_requirement needs eligible_games: the game types whose bets count toward it',
    path: ['eligible_games'],
  })

export const ruleSchema = z
  .object({
    rule_id: z.string().regex(ruleIdPattern, 'expected 1–64 letters, digits, "_", "-" or "."'),
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    priority: z.number().int().min(0).max(1_000_000).default(0),
    status: z.enum(['draft', 'active', 'paused', 'archived']).default('active'),
    conditions: z.record(z.string().max(100), conditionValueSchema).default({}),
    reward: rewardSchema,
    /** Default "once": a rule never pays the same player twice unless the operator says so. */
    frequency: frequencySchema.default('once'),
    budget: z.object({ amount, period: z.enum(['day', 'week', 'month', 'lifetime']) }).strict().optional(),
    exclusive_group: z.string().min(1).max(64).optional(),
    active_from: isoDate.optional(),
    active_to: isoDate.optional(),
    /** Hold-out control group: this share of the players the rule would reward is recorded but not paid, to measure its ROI. */
    holdout: z.object({ share: z.number().finite().min(0).max(0.5) }).strict().optional(),
  })
  .strict()

export type RuleInput = z.input<typeof ruleSchema>
export type RuleDefinition = z.output<typeof ruleSchema>
export type ConditionValue = z.output<typeof conditionValueSchema>
export type Frequency = z.output<typeof frequencySchema>

export const ruleSetSchema = z.array(z.unknown()).max(500)
