// Result types of the Dashboard, Ledger and Settings methods (src/shared/api/domains/operations.ts).
import type { EngineSettings } from '../engine-settings'
import type { CurrencyCode, SegmentCode } from './types'

/** Workstation preferences that are not engine settings but belong with them. */
export interface WorkstationPreferences {
  /** How an ambiguous date such as 03/04/2026 is read by default: day first or month first. */
  dateOrder: 'DMY' | 'MDY'
}

export interface SettingsView {
  settings: EngineSettings
  preferences: WorkstationPreferences
  /** The defaults, so the screen can show what a field falls back to. */
  defaults: EngineSettings
  /** When the engine settings were last saved; null = never (the defaults apply). */
  updatedAt: string | null
  /** Set when the saved settings could not be read (edited by hand, older build): the defaults are shown instead. */
  problem?: string
}

export interface SettingsSaveResult extends SettingsView {
  /** Dotted paths of the values that changed (e.g. "houseEdges.slots"), as recorded in the audit log. */
  changed: string[]
}

export interface DashboardKpis {
  players: number
  /** Players whose last activity (or last deposit) is within 30 days before the newest summary's as-of date. */
  activePlayers: number
  /** Operator's gross gaming revenue over the players' current snapshots: wagered − won, minor units. */
  ggr: number
  /** GGR − reward cost of the period, minor units. */
  ngr: number
  /** Money value of the rewards issued in the period, minor units (see DashboardSummary.costBasis). */
  rewardCost: number
  /** rewardCost / GGR; null when GGR is not positive. */
  costToGgr: number | null
  issuedRewards: number
  blockedRewards: number
  openReviewItems: number
}

export interface DashboardSummary {
  /** The latest evaluation's as-of date; null before any processing. */
  asOf: string | null
  /** The period the reward figures cover (evaluation as-of dates, inclusive); open ends are null. */
  range: { from: string | null; to: string | null }
  bucket: 'day' | 'week'
  money: { code: string; minorDigits: number }
  /** How reward cost is valued: BONUS at face value, RP × point value × redemption rate, tickets × ticket value, LP × LP value. */
  costBasis: { rewardPoint: number; rewardPointRedemptionRate: number; ticket: number; loyaltyPoint: number }
  kpis: DashboardKpis
  bySegment: { segment: SegmentCode | null; players: number }[]
  byTier: { tier: string | null; name: string | null; players: number }[]
  /** Issued amounts per currency in the period, integer units. */
  issuedByCurrency: Record<CurrencyCode, number>
  blockedByReason: { reason: string; count: number }[]
  /** Reward cost by rule over time: one value per period per rule, minor units. */
  costByRule: { periods: string[]; rules: { ruleId: string; cost: number[]; total: number }[] }
}

export interface TransferSide {
  /** A player's external id, or null for a system account. */
  player: string | null
  /** The system account's purpose (issuance, expiry, …), or null for a player. */
  system: string | null
}

export interface TransferRow {
  id: number
  idempotencyKey: string
  createdAt: string
  currency: CurrencyCode
  /** Integer units: minor units for BONUS, whole points / tickets otherwise. Always positive. */
  amount: number
  kind: string
  reason: string
  sourceType: string
  sourceId: string
  from: TransferSide
  to: TransferSide
  reversesTransferId: number | null
}

export interface TransferListResult {
  total: number
  transfers: TransferRow[]
}
