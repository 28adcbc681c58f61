// Handlers for the methods in src/shared/api/domains/reports.ts.
import { churnReport, liabilityReport, profitReport, resolveRange, ruleRoiReport, segmentPerformance } from '../reports'
import type { HandlerGroup } from './dispatcher'
import { jobRunner } from './job-runner'
import type { Services } from './services'

const today = () => new Date().toISOString().slice(0, 10)

export function reportsHandlers(services: Services) {
  const { database } = services
  const runJob = jobRunner(services)
  return {
    'reports/rule-roi': (input) => ruleRoiReport(database, resolveRange(database, input, today())),
    'reports/segments': (input) => segmentPerformance(database, resolveRange(database, input, today())),
    'reports/churn': ({ inactiveDays, activityDrop, limit, ...range }) => churnReport(database, resolveRange(database, range, today()), { inactiveDays, activityDrop, limit }),
    'reports/profit': ({ granularity, ...range }) => profitReport(database, resolveRange(database, range, today()), granularity),
    'reports/liability': () => liabilityReport(database, new Date().toISOString()),
    'reports/export': (input, context) => runJob('reports/export', input, context),
  } satisfies HandlerGroup
}
