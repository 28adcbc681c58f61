// Everything a handler may use, built once per process by the host (Electron, web, CLI, tests).
import type { Runtime } from '../../shared/api/types'
import type { LedgerDatabase } from '../ledger/database'

export interface Services {
  runtime: Runtime
  dataDir: string
  database: LedgerDatabase
  versions: { node: string; electron?: string }
}
