// One backend per process: the database, the services and the dispatcher every transport uses.
import type { Runtime } from '../shared/api/types'
import { createDispatcher, type Dispatcher } from './api/dispatcher'
import { createHandlers } from './api/handlers'
import type { Services } from './api/services'
import { LedgerDatabase } from './ledger/database'
import { createWorkerRunner } from './jobs/worker-runner'

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
    // The UI hosts keep their thread free; the CLI is one job per process and runs it inline.
    jobs: options.runtime === 'web' || options.runtime === 'electron' ? createWorkerRunner({ databasePath: database.path, nativeBinding: options.nativeBinding, logError: options.logError }) : undefined,
  }
  const dispatcher = createDispatcher(createHandlers(services), options.logError)
  return {
    services,
    dispatcher,
    close() {
      dispatcher.cancelAll()
      services.jobs?.close?.()
      database.close()
    },
  }
}
