// Result types of the Rules, Segments, Tiers and Review methods (src/shared/api/domains/desk.ts).
// Amounts are integers in their unit (money in minor units, points whole), as everywhere below the UI.

/** The workstation's money currency, for formatting amounts in minor units. */
export interface MoneyView {
  code: string
  minorDigits: number
}

export type RuleStatus = 'draft' | 'active' | 'paused' | 'archived'
export type SegmentName = 'NEW' | 'VIP' | 'WINNING' | 'BREAKEVEN' | 'LOSING'

export interface RuleLastRun {
  evaluationId: number
  asOf: string
  issued: number
  reduced: number
  blocked: number
  /** Sum issued (issued + reduced), in the rule's currency unit. */
  amount: number
  /** Expected cost to the operator of what was issued, money minor units. */
  cost: number
}

export interface RuleListRow {
  ruleId: string
  name: string | null
  status: RuleStatus
  version: number
  currency: string
  priority: number
  updatedAt: string
  lastRun: RuleLastRun | null
}

export interface RuleVersionView {
  version: number
  /** The stored definition (the seed's JSON shape). */
  definition: Record<string, unknown>
  createdBy: string
  createdAt: string
}

export interface RuleDetailView {
  ruleId: string
  status: RuleStatus
  currentVersion: number
  versions: RuleVersionView[]
  money: MoneyView
}

export interface RuleProblemView {
  path: string
  message: string
  position?: number
  validNames?: string[]
}

export interface RuleSaveResult {
  ruleId: string
  version: number
  /** false when the definition equals the current version: nothing was written. */
  created: boolean
  status: RuleStatus
}

export interface RuleStatusResult {
  ruleId: string
  status: RuleStatus
  previous: RuleStatus
}

export type FormulaCheckResult =
  | { ok: true; metrics: string[] }
  | { ok: false; message: string; position: number; validNames?: string[] }

export interface RuleTestResult {
  playerId: string
  asOf: string
  eligible: boolean
  outcome?: 'issued' | 'reduced' | 'blocked'
  amount?: number
  currency: string
  money: MoneyView
  sentences: string[]
}

export interface SegmentLintView {
  kind: 'gap' | 'overlap' | 'mislabel' | 'unreachable'
  players: number
  message: string
  segments: SegmentName[]
}

export interface SegmentConditionsView {
  segment: SegmentName
  conditions: Record<string, unknown>
}

export interface SegmentConfigView {
  order: SegmentConditionsView[]
  fallback: SegmentName
}

export interface SegmentPreviewResult {
  players: number
  asOf: string | null
  counts: Record<SegmentName, number>
  /** Counts under the saved configuration, for "was → now". */
  savedCounts: Record<SegmentName, number>
  findings: SegmentLintView[]
  /** Whether the player base came from the cache (a reload follows any import or processing). */
  cached: boolean
}

export interface SegmentSettingsView {
  config: SegmentConfigView
  defaults: SegmentConfigView
  preview: SegmentPreviewResult
}

export interface TierBenefitsView {
  lp_multiplier: number
  cashback_percent: number
  rp_conversion_rate: number
}

export interface TierView {
  code: string
  name: string
  rank: number
  qualifying_points: number
  window_days: number
  benefits: TierBenefitsView
  downgrade_grace_days: number
}

export interface TierLadderView {
  ladder: TierView[]
  /** No ladder saved yet: the engine's default ladder is in use. */
  isDefault: boolean
  /** Players per tier code as of the last processing; tiers no longer on the ladder are listed too. */
  players: Record<string, number>
  /** Players not placed on any tier yet (never processed). */
  unplaced: number
}

export interface ReviewSignalView {
  signal: string
  score: number
  /** The signal in plain words, with the figures behind it. */
  description: string
  details: Record<string, number | string>
}

export interface ReviewItemView {
  id: number
  playerId: string
  abuseScore: number
  reason: string
  status: 'open' | 'approved' | 'rejected'
  openedAt: string
  decidedAt: string | null
  decidedBy: string | null
  note: string | null
  segment: string | null
  signals: ReviewSignalView[]
}

export interface ReviewListResult {
  total: number
  open: number
  items: ReviewItemView[]
}
