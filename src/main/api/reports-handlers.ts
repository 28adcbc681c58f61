// Handlers for the methods in src/shared/api/domains/reports.ts.
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function reportsHandlers(services: Services) {
  void services
  return {} satisfies HandlerGroup
}
