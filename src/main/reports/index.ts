// The reports over the ledger and snapshots, and the workbook that carries them.
import type { ProfitGranularity, ReportExportResult } from '../../shared/api/types-reports'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import { churnReport, type ChurnOptions } from './churn'
import { liabilityReport } from './liability'
import { profitReport } from './profit'
import { resolveRange, type RangeInput } from './range'
import { writeReportSet, type ReportSet } from './report-workbook'
import { ruleRoiReport } from './rule-roi'
import { segmentPerformance } from './segment-performance'
import type { ExportControl } from '../io/export'

export { churnReport, liabilityReport, profitReport, resolveRange, ruleRoiReport, segmentPerformance }

export type ReportKind = 'rule-roi' | 'segments' | 'churn' | 'profit' | 'liability'
export const allReportKinds: readonly ReportKind[] = ['rule-roi', 'segments', 'profit', 'churn', 'liability']

export interface ExportReportsInput extends RangeInput {
  path: string
  reports?: readonly ReportKind[]
  granularity?: ProfitGranularity
  churn?: ChurnOptions
}

/** Runs the chosen reports (all by default) and writes them to one workbook at `path`. */
export async function exportReports(database: LedgerDatabase, input: ExportReportsInput, now: Date, control: ExportControl = {}): Promise<ReportExportResult> {
  const wanted = new Set(input.reports ?? allReportKinds)
  const range = resolveRange(database, input, now.toISOString().slice(0, 10))
  const set: ReportSet = {
    range,
    currency: readEngineSettings(database).currency,
    ...(wanted.has('rule-roi') ? { ruleRoi: ruleRoiReport(database, range) } : {}),
    ...(wanted.has('segments') ? { segments: segmentPerformance(database, range) } : {}),
    ...(wanted.has('profit') ? { profit: profitReport(database, range, input.granularity) } : {}),
    // The workbook lists every player at risk; the screen shows the most valuable.
    ...(wanted.has('churn') ? { churn: churnReport(database, range, { limit: Number.MAX_SAFE_INTEGER, ...input.churn }) } : {}),
    ...(wanted.has('liability') ? { liability: liabilityReport(database, now.toISOString()) } : {}),
  }
  const written = await writeReportSet(input.path, set, { ...control, generatedAt: now })
  return { path: written.path, bytes: written.bytes, sheets: written.sheets.map((sheet) => ({ name: sheet.name, rows: sheet.rows })) }
}
