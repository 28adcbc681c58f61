// Handlers for the methods in src/shared/api/domains/desk.ts.
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function deskHandlers(services: Services) {
  void services
  return {} satisfies HandlerGroup
}
