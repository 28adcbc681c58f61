// Handlers for the methods in src/shared/api/domains/operations.ts.
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function operationsHandlers(services: Services) {
  void services
  return {} satisfies HandlerGroup
}
