// One backend per process: the database, the services and the dispatcher every transport uses.
import type { Runtime } from '../shared/api/types'
import { createDispatcher, type Dispatcher } from './api/dispatcher'
import { createHandlers } from './api/handlers'
import type { Services } from './api/services'
import { LedgerDatabase } from './ledger/database'

export interface BackendOptions {
  runtime: Runtime
  databasePath: string
  dataDir: string
  nativeBinding?: string
  electronVersion?: string
  logError?: (error: unknown) => void
}

export interface Backend {
  services: Services
  dispatcher: Dispatcher
  close(): void
}

export function openBackend(options: BackendOptions): Backend {
  const database = LedgerDatabase.open({ path: options.databasePath, nativeBinding: options.nativeBinding })
  const services: Services = {
    runtime: options.runtime,
    dataDir: options.dataDir,
    database,
    versions: { node: process.versions.node, electron: options.electronVersion },
  }
  const dispatcher = createDispatcher(createHandlers(services), options.logError)
  return {
    services,
    dispatcher,
    close() {
      dispatcher.cancelAll()
      database.close()
    },
  }
}
