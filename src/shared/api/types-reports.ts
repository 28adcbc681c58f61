// Results of the reports API (reports/*). Money is integer minor units of the settings' currency,
// points and tickets whole units; shares and ROI are plain fractions (0.25 = 25%).

/** The date range a report covers, as resolved (defaults filled from the data). */
export interface ReportRange {
  from: string
  to: string
}

export interface ReportBase {
  range: ReportRange
  currency: { code: string; minorDigits: number }
}

export type RoiStatus = 'measured' | 'no_control_group' | 'control_group_empty' | 'no_later_data' | 'no_rewards'

export interface RuleRoiRow {
  ruleId: string
  name?: string
  /** Hold-out share configured on the rule's current version (0 = none). */
  holdoutShare: number
  /** Players paid by the rule in the range (issued or reduced, posted to the ledger). */
  rewarded: number
  /** Players held out as its control group. */
  control: number
  /** Expected cost of what was paid (the engine's cost model), money minor units. */
  cost: number
  /** Face value paid: BONUS in money minor units, LP/RP/TICKETS in units of `currency`. */
  paid: number
  currency: string
  /** First day the rule paid in the range: both groups' GGR change is measured from here. */
  measuredFrom?: string
  /** Average GGR change per player after measuredFrom, money minor units. */
  ggrChangeRewarded?: number
  ggrChangeControl?: number
  /** (average rewarded − average control) × rewarded players, money minor units. */
  incrementalMargin?: number
  /** (incremental margin − cost) / cost; absent when not measurable or free. */
  roi?: number
  status: RoiStatus
  /** The status in one plain sentence ("no control group: ROI not measurable"). */
  note: string
}

export interface RuleRoiReport extends ReportBase {
  rows: RuleRoiRow[]
}

export interface SegmentPerformanceRow {
  segment: string
  players: number
  /** GGR earned in the range (growth of the players' lifetime GGR), money minor units. */
  ggr: number
  /** Expected cost of the rewards paid in the range, money minor units. */
  rewardCost: number
  /** GGR − reward cost. */
  ngr: number
  /** rewardCost / ggr; absent when GGR is not positive. */
  costToGgr?: number
  /** Bonus money paid (face value), minor units. */
  bonusPaid: number
}

export interface SegmentPerformanceReport extends ReportBase {
  rows: SegmentPerformanceRow[]
  total: Omit<SegmentPerformanceRow, 'segment'>
}

export interface ChurnRow {
  playerId: string
  segment?: string
  /** The later of last activity, last deposit and last event, YYYY-MM-DD. */
  lastActive?: string
  /** Days from lastActive to the newest snapshot day in the range (not to a day no data has reached). */
  inactiveDays?: number
  /** Daily wager since the previous snapshot against the player's usual daily wager, −1..∞ (−0.6 = 60% less); absent with one snapshot. */
  activityChange?: number
  /** Lifetime GGR, money minor units. */
  lifetimeGgr: number
  /** GGR per 30 days of tenure, money minor units: what the operator stands to lose. */
  monthlyValue: number
  risk: 'high' | 'medium'
  why: string
}

export interface ChurnReport extends ReportBase {
  /** The thresholds used. */
  inactiveDays: number
  activityDrop: number
  rows: ChurnRow[]
  /** Players at risk in all (rows are cut at `limit`, most valuable first). */
  total: number
  /** Sum of monthlyValue over every player at risk. */
  valueAtRisk: number
}

export type ProfitGranularity = 'day' | 'week' | 'month'

export interface ProfitRow {
  /** First day of the period, YYYY-MM-DD. */
  period: string
  label: string
  ggr: number
  rewardCost: number
  ngr: number
  bonusPaid: number
  /** Players with a snapshot in the period. */
  players: number
}

export interface ProfitReport extends ReportBase {
  granularity: ProfitGranularity
  rows: ProfitRow[]
  total: Omit<ProfitRow, 'period' | 'label'>
}

export interface LiabilityRow {
  currency: 'BONUS' | 'RP' | 'LP' | 'TICKETS'
  /** Players holding a positive balance. */
  holders: number
  /** Units outstanding: money minor units for BONUS, whole points/tickets otherwise. */
  outstanding: number
  /** Money value of one unit (minor units of money per unit; BONUS: 1). */
  unitValue: number
  /** Face value in money minor units. */
  value: number
  /** What it is expected to cost (RP × redemption rate; the rest at face value), money minor units. */
  expectedValue: number
}

export interface LiabilityReport {
  /** The ledger as it stands when the report is made. */
  generatedAt: string
  currency: { code: string; minorDigits: number }
  rows: LiabilityRow[]
  lots: {
    open: number
    /** Bonus money still on open lots, minor units. */
    amount: number
    /** Wagering still to do on them, money minor units. */
    remainingWagering: number
    /** Open lots whose expiry falls within 7 days of generatedAt. */
    expiringSoon: number
  }
  total: { value: number; expectedValue: number }
}

export interface ReportExportResult {
  path: string
  bytes: number
  sheets: { name: string; rows: number }[]
}
