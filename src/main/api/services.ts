// Everything a handler may use, built once per process by the host (Electron, web, CLI, tests).
import type { Runtime } from '../../shared/api/types'
import type { LedgerDatabase } from '../ledger/database'
import type { JobRunner } from '../jobs/worker-runner'

export interface Services {
  runtime: Runtime
  dataDir: string
  database: LedgerDatabase
  versions: { node: string; electron?: string }
  /** Runs long jobs off the thread that answers the UI; absent = run them in-process (CLI, tests). */
  jobs?: JobRunner
}
