// Handlers for the methods in src/shared/api/domains/operations.ts: Settings, Dashboard and the
// Ledger screen's transfer search.
import { readEngineSettings } from '../ledger/settings-store'
import { dashboardSummaryCache } from '../jobs/dashboard'
import type { HandlerGroup } from './dispatcher'
import { afterWorkerJobs } from './job-runner'
import { operatorName } from './ledger-handlers'
import { saveSettings, settingsView } from './operations-settings'
import { transferSearch } from './operations-transfers'
import type { Services } from './services'

export function operationsHandlers(services: Services) {
  const { database } = services
  const dashboard = dashboardSummaryCache(database)
  const transfers = transferSearch(database)
  // The UI hosts build the Dashboard's figures and the decision totals (shared with the Rules list)
  // in the background from the start, a slice at a time, so the first visit does not wait for a
  // pass over the whole base. A failure here is only a cold cache: the visit itself will say why.
  const warm = async () => dashboard({ bucket: 'day' }, readEngineSettings(database))
  if (services.jobs) {
    setImmediate(() => void warm().catch(() => undefined))
    // After an import or a processing run, build them again right away rather than on the next visit.
    afterWorkerJobs(services, () => void warm().catch(() => undefined))
  }
  return {
    'settings/get': () => settingsView(database),
    'settings/save': (input) => saveSettings(database, input, operatorName(), new Date().toISOString()),
    'dashboard/summary': (input) => dashboard(input, readEngineSettings(database)),
    'ledger/transfers': (input) => transfers(input),
  } satisfies HandlerGroup
}
