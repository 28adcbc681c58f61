// Handlers for the methods in src/shared/api/domains/simulation.ts.
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function simulationHandlers(services: Services) {
  void services
  return {} satisfies HandlerGroup
}
