// Results of the scenario and simulation methods (src/shared/api/domains/simulation.ts). Money is in
// integer minor units, points and tickets whole; the UI converts with money.ts.
import type { Currency } from '../money'
import type { ScenarioChanges } from '../scenario-schema'

export type SegmentName = 'NEW' | 'VIP' | 'WINNING' | 'BREAKEVEN' | 'LOSING'

export interface ScenarioRecord {
  id: number
  name: string
  description: string
  changes: ScenarioChanges
  createdBy: string
  createdAt: string
  updatedAt: string
}

export interface ScenarioListRow {
  id: number
  name: string
  description: string
  /** How many changes the scenario makes (settings paths + rules). */
  changeCount: number
  updatedAt: string
}

/** One difference between two configurations, in words an operator can check before applying. */
export type ConfigChange =
  | { area: 'setting'; path: string; from: unknown; to: unknown }
  | { area: 'rule'; action: 'edit' | 'add' | 'disable'; ruleId: string; fromVersion?: number; toVersion: number; fields: string[] }

export interface OutcomeCounts {
  issued: number
  reduced: number
  blocked: number
}

export interface RuleSummary extends OutcomeCounts {
  ruleId: string
  currency: Currency
  /** Integer units of the rule's currency actually issued. */
  amount: number
  /** Expected cost, money minor units. */
  cost: number
}

export interface SegmentRewardSummary extends OutcomeCounts {
  segment: SegmentName
  players: number
  cost: number
}

export interface SideSummary {
  segments: Record<SegmentName, number>
  rewards: OutcomeCounts
  /** Integer units per currency issued. */
  issuedByCurrency: Record<Currency, number>
  /** Expected cost in money minor units, per reward currency. */
  costByCurrency: Record<Currency, number>
  cost: number
  /** Expected future margin over the horizon, money minor units. */
  margin: number
  /** margin − cost. */
  net: number
  /** Players who receive at least one reward. */
  rewardedPlayers: number
  byRule: RuleSummary[]
  bySegment: SegmentRewardSummary[]
  /** Decisions per reason (issued, profit_safety, cap_player_day, …). */
  byReason: Record<string, number>
}

export interface CapExhaustion {
  /** cap_player_day, cap_player_week, cap_player_month, budget_rule, budget_global_day. */
  reason: string
  ruleId?: string
  live: { reduced: number; blocked: number }
  scenario: { reduced: number; blocked: number }
}

export interface EligibilityChange {
  playerId: string
  /** The player's segment in the side where they are rewarded. */
  segment: SegmentName
  /** Rules that reward them there. */
  rules: string[]
  cost: number
}

export interface SimulationComparison {
  asOf: string
  players: number
  live: SideSummary
  scenario: SideSummary
  /** Players by [live segment][scenario segment], in SegmentName order NEW, VIP, WINNING, BREAKEVEN, LOSING. */
  movement: number[][]
  /** scenario.net − live.net, money minor units. */
  netImpact: number
  newlyEligible: { total: number; players: EligibilityChange[] }
  noLongerEligible: { total: number; players: EligibilityChange[] }
  exhaustion: CapExhaustion[]
  changes: ConfigChange[]
  /** The money currency (ISO code) and its minor digits, to format the figures. */
  currencyCode: string
  minorDigits: number
}

export interface MonteCarloSide {
  p5: number
  p50: number
  p95: number
  mean: number
}

export interface MonteCarloSummary {
  trials: number
  seed: number
  live: MonteCarloSide
  scenario: MonteCarloSide
  /** Share of trials in which the scenario's operator net revenue is below the live configuration's. */
  probabilityWorse: number
  /** Histogram of both sides' net revenue over common bins, for the distribution chart. */
  histogram: { from: number; to: number; live: number; scenario: number }[]
}

export interface SimulationRunResult {
  scenario: { id?: number; name: string }
  comparison: SimulationComparison
  monteCarlo?: MonteCarloSummary
  /** Written workbook, when asked for. */
  export?: { path: string; bytes: number }
}

export interface SensitivityPoint {
  value: number
  net: number
  /** net − the live configuration's net. */
  netImpact: number
  cost: number
  margin: number
}

export interface SensitivityResult {
  parameter: string
  points: SensitivityPoint[]
  liveNet: number
  minorDigits: number
}

export interface ApplyPreview {
  scenario: { id: number; name: string }
  changes: ConfigChange[]
}

export interface ApplyResult extends ApplyPreview {
  rules: { ruleId: string; version: number }[]
  settingsChanged: boolean
  auditId: number
}
