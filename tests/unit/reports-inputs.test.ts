import { describe, expect, it } from 'vitest'
import { churnInputSchema, profitInputSchema, reportExportInputSchema, reportRangeSchema } from '../../src/shared/api/domains/reports'
import { maxPeriods, periodLabel, periodStarts } from '../../src/main/reports/profit'

function issues(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []
}

describe('report inputs', () => {
  it('accepts an open or a closed range of real dates', () => {
    expect(reportRangeSchema.safeParse({}).success).toBe(true)
    expect(reportRangeSchema.safeParse({ from: '2024-02-29', to: '2024-03-31' }).success).toBe(true)
  })

  it('refuses impossible dates, other formats and a range that ends before it starts, naming the field', () => {
    expect(issues(reportRangeSchema.safeParse({ from: '2026-02-30' }))).toEqual(['from: expected a real calendar date'])
    expect(issues(reportRangeSchema.safeParse({ to: '2026-13-45' }))).toEqual(['to: expected a real calendar date'])
    expect(issues(reportRangeSchema.safeParse({ to: '31/01/2026' }))).toEqual(['to: expected a date as YYYY-MM-DD'])
    expect(issues(reportRangeSchema.safeParse({ from: '2026-03-01', to: '2026-02-01' }))).toEqual(['from: must not be after "to"'])
    expect(issues(reportRangeSchema.safeParse({ from: '2026-01-01', extra: 1 }))).toHaveLength(1)
  })

  it('checks the churn thresholds, the profit period and the export file name', () => {
    expect(issues(churnInputSchema.safeParse({ activityDrop: 1.5 }))[0]).toMatch(/^activityDrop: /)
    expect(issues(churnInputSchema.safeParse({ inactiveDays: 0 }))[0]).toMatch(/^inactiveDays: /)
    expect(issues(profitInputSchema.safeParse({ granularity: 'year' }))[0]).toMatch(/^granularity: /)
    expect(issues(reportExportInputSchema.safeParse({ path: 'report.csv' }))).toEqual(['path: expected a file name ending in .xlsx'])
    expect(issues(reportExportInputSchema.safeParse({ path: 'r.xlsx', reports: ['profit', 'dashboard'] }))[0]).toMatch(/^reports\.1: /)
  })
})

describe('profit periods', () => {
  it('lists every day, Monday-started week or month that overlaps the range', () => {
    expect(periodStarts({ from: '2026-01-30', to: '2026-02-02' }, 'day')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02'])
    // 2026-01-01 is a Thursday: its week starts on Monday 2025-12-29.
    expect(periodStarts({ from: '2026-01-01', to: '2026-01-12' }, 'week')).toEqual(['2025-12-29', '2026-01-05', '2026-01-12'])
    expect(periodStarts({ from: '2025-11-15', to: '2026-02-01' }, 'month')).toEqual(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01'])
    expect(periodLabel('2026-02-01', 'month')).toBe('Feb 2026')
    expect(periodLabel('2026-01-05', 'week')).toBe('week of 2026-01-05')
  })

  it('refuses a range with more periods than a table can show, saying what to do', () => {
    expect(() => periodStarts({ from: '2020-01-01', to: '2026-01-01' }, 'day')).toThrow(`more than ${maxPeriods} days: choose a shorter range or a longer period`)
    expect(periodStarts({ from: '2020-01-01', to: '2026-01-01' }, 'month')).toHaveLength(73)
  })
})
