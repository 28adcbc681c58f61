// API methods for the Rules, Segments, Tiers and Review screens. Their names are listed, free of zod, in ./desk-names.ts.
import { z } from 'zod'
import { method } from '../method'
import { segmentConfigSchema } from '../../engine-settings'
import { ruleIdPattern } from '../../rule-schema'
import type {
  FormulaCheckResult,
  MoneyView,
  ReviewListResult,
  ReviewItemView,
  RuleDetailView,
  RuleListRow,
  RuleSaveResult,
  RuleStatusResult,
  RuleTestResult,
  SegmentPreviewResult,
  SegmentSettingsView,
  SegmentConfigView,
  TierLadderView,
} from '../types-desk'

const empty = z.object({}).strict()
const ruleId = z.string().regex(ruleIdPattern, 'expected a rule id: 1–64 letters, digits, "_", "-" or "."')
/** A rule as operators write it; its shape is checked by the rule schema when it is compiled. */
const ruleDefinition = z.record(z.string().max(100), z.unknown()).refine((value) => JSON.stringify(value).length <= 100_000, 'a rule definition is at most 100,000 characters of JSON')
const playerId = z.string().trim().min(1, 'a player id is required').max(200)
const actor = z.string().trim().min(1).max(200).optional()

export const deskContract = {
  'rules/list': method<{ rules: RuleListRow[]; money: MoneyView }>()({
    input: z.object({ includeArchived: z.boolean().default(false) }).strict(),
    kind: 'query',
    summary: 'Reward rules with status, current version, and the last run’s issued / reduced / blocked counts and cost.',
  }),
  'rules/get': method<RuleDetailView>()({
    input: z.object({ ruleId }).strict(),
    kind: 'query',
    summary: 'One rule with every stored version and its definition, newest first.',
  }),
  'rules/save': method<RuleSaveResult>()({
    input: z.object({ definition: ruleDefinition, actor }).strict(),
    kind: 'command',
    summary: 'Validate a rule and save it as a new immutable version (a new rule starts as a draft); problems come back with their path and, for formulas, the position.',
  }),
  'rules/set-status': method<RuleStatusResult>()({
    input: z.object({ ruleId, status: z.enum(['active', 'paused', 'archived']), actor }).strict(),
    kind: 'command',
    summary: 'Activate, pause or archive a rule; only active rules issue rewards. Recorded in the audit log.',
  }),
  'rules/check-formula': method<FormulaCheckResult>()({
    input: z.object({ formula: z.string().max(2000) }).strict(),
    kind: 'query',
    summary: 'Parse a reward formula: the metrics it reads, or the error with its character position and the valid names.',
  }),
  'rules/test': method<RuleTestResult>()({
    input: z.object({ definition: ruleDefinition, playerId }).strict(),
    kind: 'query',
    summary: 'Evaluate an unsaved rule for one player and explain the outcome in sentences; nothing is written.',
  }),
  'segments/get': method<SegmentSettingsView>()({
    input: empty,
    kind: 'query',
    summary: 'The saved segment conditions, the defaults, and their counts and lint over the current base.',
  }),
  'segments/preview': method<SegmentPreviewResult>()({
    input: z.object({ config: segmentConfigSchema }).strict(),
    kind: 'query',
    summary: 'Players per segment and the threshold lint (gaps, overlaps, mislabels) for a segment configuration, over the whole current base.',
  }),
  'segments/save': method<{ config: SegmentConfigView }>()({
    input: z.object({ config: segmentConfigSchema, actor }).strict(),
    kind: 'command',
    summary: 'Save the segment conditions into the engine settings (validated, audited); the next processing uses them.',
  }),
  'tiers/get': method<TierLadderView>()({
    input: empty,
    kind: 'query',
    summary: 'The tier ladder (thresholds, windows, benefits, grace) and how many players hold each tier.',
  }),
  'tiers/save': method<TierLadderView>()({
    input: z.object({ ladder: z.array(z.unknown()).min(1, 'a ladder needs at least one tier').max(20, 'a ladder has at most 20 tiers'), actor }).strict(),
    kind: 'command',
    summary: 'Validate and save the tier ladder (audited); the next processing places players on it.',
  }),
  'review/list': method<ReviewListResult>()({
    input: z
      .object({
        status: z.enum(['open', 'approved', 'rejected', 'all']).default('open'),
        limit: z.number().int().min(1).max(1_000).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    kind: 'query',
    summary: 'Review queue items with the abuse signals behind them, in plain words; open items by default, highest score first.',
  }),
  'review/decide': method<ReviewItemView>()({
    input: z
      .object({
        id: z.number().int().min(1),
        decision: z.enum(['approve', 'reject']),
        note: z.string().trim().max(2000).optional(),
        actor,
      })
      .strict(),
    kind: 'command',
    summary: 'Approve or reject an open review item, with an optional note; who and when are recorded. An item is decided once.',
  }),
} as const
