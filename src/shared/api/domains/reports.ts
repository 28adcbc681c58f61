// API methods for the reports and their Excel export. Their names are listed, free of zod, in ./reports-names.ts.
import { z } from 'zod'
import { method } from '../method'
import { calendarDateSchema } from '../../calendar-date'
import type { ChurnReport, LiabilityReport, ProfitReport, ReportExportResult, RuleRoiReport, SegmentPerformanceReport } from '../types-reports'

/** A real calendar day as YYYY-MM-DD (2026-02-30 is refused, not rolled over): the one rule for dates from outside. */
export const reportDateSchema = calendarDateSchema

const rangeFields = {
  /** First day included; default: the earliest day in the data. */
  from: reportDateSchema.optional(),
  /** Last day included; default: the latest day in the data. */
  to: reportDateSchema.optional(),
}
const fromNotAfterTo = (range: { from?: string; to?: string }) => range.from === undefined || range.to === undefined || range.from <= range.to
const fromNotAfterToIssue = { message: 'must not be after "to"', path: ['from'] }

export const reportRangeSchema = z.object(rangeFields).strict().refine(fromNotAfterTo, fromNotAfterToIssue)
export const churnInputSchema = z
  .object({
    ...rangeFields,
    /** Days without activity that put a player at risk. */
    inactiveDays: z.number().int().min(1).max(3650).optional(),
    /** Drop in daily wager (0.5 = half) that puts a player at risk. */
    activityDrop: z.number().finite().gt(0).max(1).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine(fromNotAfterTo, fromNotAfterToIssue)
export const profitInputSchema = z
  .object({ ...rangeFields, granularity: z.enum(['day', 'week', 'month']).optional() })
  .strict()
  .refine(fromNotAfterTo, fromNotAfterToIssue)
export const reportKinds = ['rule-roi', 'segments', 'churn', 'profit', 'liability'] as const
export const reportExportInputSchema = z
  .object({
    ...rangeFields,
    path: z.string().min(1).max(4096).regex(/\.xlsx$/i, 'expected a file name ending in .xlsx'),
    /** Which reports become sheets; default: all of them. */
    reports: z.array(z.enum(reportKinds)).min(1).max(reportKinds.length).optional(),
    granularity: z.enum(['day', 'week', 'month']).optional(),
    overwrite: z.boolean().optional(),
  })
  .strict()
  .refine(fromNotAfterTo, fromNotAfterToIssue)

export const reportsContract = {
  'reports/rule-roi': method<RuleRoiReport>()({
    input: reportRangeSchema,
    kind: 'query',
    summary: "ROI per rule: (incremental margin − cost) / cost, the margin measured against the rule's hold-out control group where it has one.",
  }),
  'reports/segments': method<SegmentPerformanceReport>()({
    input: reportRangeSchema,
    kind: 'query',
    summary: 'Per segment: players, GGR, reward cost, NGR and cost/GGR over the range.',
  }),
  'reports/churn': method<ChurnReport>()({
    input: churnInputSchema,
    kind: 'query',
    summary: 'Players at risk of churning (inactive, or wagering much less than usual), most valuable first.',
  }),
  'reports/profit': method<ProfitReport>()({
    input: profitInputSchema,
    kind: 'query',
    summary: 'GGR, reward cost and NGR per day, week or month over the range.',
  }),
  'reports/liability': method<LiabilityReport>()({
    input: z.object({}).strict(),
    kind: 'query',
    summary: 'Outstanding liability: unredeemed LP/RP, bonus money and open lots with their remaining wagering, unused tickets, in money.',
  }),
  'reports/export': method<ReportExportResult>()({
    input: reportExportInputSchema,
    kind: 'job',
    summary: 'Write the reports to an Excel workbook: a Summary sheet with the parameters, one sheet per report, charts as pictures.',
  }),
} as const
