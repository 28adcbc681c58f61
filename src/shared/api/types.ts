// Result shapes of the API methods. Plain data only: they cross IPC and HTTP as JSON.

export type Runtime = 'electron' | 'web' | 'cli' | 'test'

export interface TableCount {
  name: string
  rows: number
}

export interface DatabaseInfo {
  path: string
  sizeBytes: number
  /** Number of migrations applied; the build's own latest is `latestSchemaVersion`. */
  schemaVersion: number
  latestSchemaVersion: number
  /** Tag of the newest applied migration, e.g. `0000_initial_schema`. */
  schemaTag: string
  journalMode: string
  tables: TableCount[]
}

export interface SystemInfo {
  product: string
  version: string
  runtime: Runtime
  dataDir: string
  database: DatabaseInfo
  versions: { node: string; electron?: string; sqlite: string }
}

export interface RecentFile {
  path: string
  openedAt: string
}

export interface VerifyFinding {
  kind: 'integrity' | 'hash_chain' | 'balance' | 'unbalanced_books' | 'negative_balance'
  message: string
  transferId?: number
  accountId?: number
}

/** `loyalty verify --json` prints this; scripts and auditors depend on these names. */
export interface VerifyReport {
  ok: boolean
  transfers: number
  /** Sums of all player balances in integer units (minor units / points), per currency. */
  totals: { LP: number; RP: number; BONUS: number; TICKETS: number }
  findings: VerifyFinding[]
}

export interface PlayerBalances {
  playerId: string
  balances: { LP: number; RP: number; BONUS: number; TICKETS: number }
}

export interface PayoutExportResult {
  file: string
  rows: number
  batch: string
  /** Newly queued reward transfers before the export. */
  queued: number
  /** Sum of the exported amounts per currency, integer minor units / points. */
  totals: Partial<Record<'LP' | 'RP' | 'BONUS' | 'TICKETS', number>>
  withheld: number
  sha256: string
}

export interface PayoutConfirmResult {
  file: string
  rows: number
  confirmed: number
  rejected: number
  unchanged: number
  sha256: string
}

export interface PayoutItem {
  id: number
  transferId: number
  playerId: string
  currency: 'LP' | 'RP' | 'BONUS' | 'TICKETS'
  amount: number
  reference: string
  status: 'pending' | 'exported' | 'confirmed' | 'rejected'
  exportBatch: string | null
  exportedAt: string | null
  confirmedAt: string | null
  note: string | null
}

export interface PayoutListResult {
  items: PayoutItem[]
  total: number
  counts: Record<PayoutItem['status'], number>
}

export interface AdjustResult {
  transferId: number
  alreadyPosted: boolean
  /** Integer units actually moved (minor units for BONUS, points/tickets otherwise); negative = taken. */
  amount: number
  currency: 'LP' | 'RP' | 'BONUS' | 'TICKETS'
}

export interface ExpireResult {
  /** The instant everything due at or before was expired (end of the as-of day, UTC). */
  cutoff: string
  lotsExpired: number
  bonusExpired: number
  ticketsExpired: number
}
