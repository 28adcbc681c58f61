// Every domain's handlers joined into the one map all transports serve.
import { joinHandlers, type HandlerMap } from './dispatcher'
import type { Services } from './services'
import { importUiHandlers } from './import-ui-handlers'
import { ledgerHandlers } from './ledger-handlers'
import { pipelineHandlers } from './pipeline-handlers'
import { playerHandlers } from './player-handlers'
import { systemHandlers } from './system-handlers'
import { operationsHandlers } from './operations-handlers'
import { deskHandlers } from './desk-handlers'
import { simulationHandlers } from './simulation-handlers'
import { reportsHandlers } from './reports-handlers'

export function createHandlers(services: Services): HandlerMap {
  return joinHandlers(
    systemHandlers(services), ledgerHandlers(services), pipelineHandlers(services), playerHandlers(services), importUiHandlers(services),
    operationsHandlers(services),
    deskHandlers(services),
    simulationHandlers(services),
    reportsHandlers(services),
  )
}
