// Handlers for the methods in src/shared/api/domains/reports.ts.
import { resolve } from 'node:path'
import { churnReport, exportReports, liabilityReport, profitReport, resolveRange, ruleRoiReport, segmentPerformance } from '../reports'
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

const today = () => new Date().toISOString().slice(0, 10)

export function reportsHandlers(services: Services) {
  const { database } = services
  return {
    'reports/rule-roi': (input) => ruleRoiReport(database, resolveRange(database, input, today())),
    'reports/segments': (input) => segmentPerformance(database, resolveRange(database, input, today())),
    'reports/churn': ({ inactiveDays, activityDrop, limit, ...range }) => churnReport(database, resolveRange(database, range, today()), { inactiveDays, activityDrop, limit }),
    'reports/profit': ({ granularity, ...range }) => profitReport(database, resolveRange(database, range, today()), granularity),
    'reports/liability': () => liabilityReport(database, new Date().toISOString()),
    'reports/export': ({ path, reports, granularity, overwrite, from, to }, context) =>
      exportReports(database, { path: resolve(path), reports, granularity, from, to }, new Date(), {
        overwrite,
        signal: context.signal,
        onProgress: (progress) => context.progress({ done: progress.rows, unit: 'rows', message: `writing ${progress.view}` }),
      }),
  } satisfies HandlerGroup
}
