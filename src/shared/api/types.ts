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
  /** Points expired per the saved engine settings (pointsExpiry); 0 where points do not expire. */
  pointsExpired: { LP: number; RP: number }
}

/** One problem in one row of an imported file; `message` is the full sentence shown to the operator. */
export interface ImportRowError {
  row: number
  /** The field, e.g. total_wagered. */
  column: string
  /** The cell as shown in the message. */
  value: string
  message: string
}

export interface ImportWarning {
  row: number
  message: string
}

export interface ImportSummary {
  importId: number
  status: 'imported' | 'already_imported'
  kind: 'summary' | 'events'
  file: string
  contentHash: string
  asOf: string
  /** Where the as-of date came from. */
  asOfSource: 'option' | 'title' | 'default'
  sheet?: string
  headerRow?: number
  /** Data rows read (blank rows and a trailing total row excluded). */
  rows: number
  accepted: number
  rejected: number
  /** Summary: earlier rows of a player id repeated in the file. Events: event ids already known. */
  duplicates: number
  /** Rows whose day/month order was decided by the date-order setting. */
  ambiguousDates: number
  /** The first row errors (all of them are in the quarantine). */
  errors: ImportRowError[]
  warnings: ImportWarning[]
  /** Columns present in the file that nothing imports. */
  unknownColumns: string[]
}

export type SegmentCode = 'NEW' | 'VIP' | 'WINNING' | 'BREAKEVEN' | 'LOSING'
export type CurrencyCode = 'LP' | 'RP' | 'BONUS' | 'TICKETS'

export interface ProcessSummary {
  asOf: string
  evaluationId: number | null
  dryRun: boolean
  imports: ImportSummary[]
  /** Totals over the files of this call. */
  import: { rows: number; accepted: number; rejected: number; errors: { row: number; column: string; message: string }[] }
  players: number
  segments: Record<SegmentCode, number>
  /** Players per tier code after this evaluation's tier decisions. */
  tiers: Record<string, number>
  transitions: number
  rules: { ruleId: string; version: number; newVersion: boolean }[]
  rewards: {
    /** Decisions that issued an amount (in full or reduced). */
    issued: number
    reduced: number
    /** Integer minor units (BONUS) or whole points / tickets. */
    byCurrency: Record<CurrencyCode, number>
    /** Blocked decisions by reason. */
    blocked: Record<string, number>
  }
  /** The money currency BONUS amounts are in: its minor digits turn byCurrency.BONUS into an amount. */
  currency: { code: string; minorDigits: number }
  abuse: { flagged: number; reviewOpened: number }
  ledger: { posted: number; alreadyPosted: number }
  /** The report written, when one was asked for. */
  /** The workbook; with every decision in a CSV beside it when they are too many for a sheet (process-report.ts). */
  report?: { path: string; bytes: number; decisionsCsv?: { path: string; bytes: number; rows: number } }
}

export interface PlayerListRow {
  player_id: string
  segment: SegmentCode | null
  tier: string | null
  risk_score: number | null
  abuse_score: number | null
  balances: Record<CurrencyCode, number>
}

export interface PlayerListResult {
  total: number
  players: PlayerListRow[]
}

export interface DecisionListRow {
  player_id: string
  rule_id: string
  rule_version: number
  outcome: 'issued' | 'reduced' | 'blocked'
  /** Integer minor units or whole points / tickets. */
  amount: number
  currency: CurrencyCode
  reason: string
  as_of: string
}

export interface DecisionListResult {
  total: number
  decisions: DecisionListRow[]
}

export interface ImportPreviewColumn {
  /** 0-based column position in the sheet (or key position in a JSON line). */
  index: number
  header: string
  /** The field it is imported as; null = not imported (unknown header or ignored). */
  field: string | null
}

/** `import/preview`: what an import of the file would read, before anything is written. */
export interface ImportPreview {
  /** The file's name (not its folder). */
  file: string
  format: 'csv' | 'xlsx' | 'jsonl'
  sizeBytes: number
  /** Visible sheets of a workbook, in tab order. */
  sheets?: string[]
  /** The sheet that would be read (the best-matching one unless one was asked for). */
  sheet?: string
  /** null: no header row was recognised. */
  kind: 'summary' | 'events' | null
  /** The sheet's own row number of the header (a JSON file: its first line). */
  headerRow?: number
  columns: ImportPreviewColumn[]
  /** Required fields no column provides (summary: player_id, total_wagered, total_won). */
  missingRequired: string[]
  /** The importer's refusal when the file cannot be imported as it is mapped now. */
  refusal?: string
  /** The first data rows as display text, one string per header column position. */
  sample: string[][]
  /** What a column can be mapped to. */
  fields: { field: string; label: string; synonyms: string[] }[]
  /** The same content was imported before (by its hash): importing again adds nothing. */
  alreadyImported?: { importId: number }
}

export type PlayerSortColumn = 'player_id' | 'segment' | 'tier' | 'abuse_score' | 'risk_score' | 'balance_LP' | 'balance_RP' | 'balance_BONUS' | 'balance_TICKETS'

export interface PlayerSnapshotView {
  asOf: string
  /** Money in integer minor units; playtime in minutes; dates as YYYY-MM-DD. null = not in the file. */
  totalDeposited: number | null
  totalWithdrawn: number | null
  totalWagered: number | null
  totalWon: number | null
  bonusReceived: number | null
  sessions: number | null
  playtimeMinutes: number | null
  lastDepositDate: string | null
  registrationDate: string | null
  lastActiveDate: string | null
  country: string | null
  ip: string | null
  deviceId: string | null
  gameTypes: string[] | null
}

export interface PlayerDecisionView {
  id: number
  evaluationId: number
  asOf: string
  ruleId: string
  ruleVersion: number
  outcome: 'issued' | 'reduced' | 'blocked'
  /** Integer minor units or whole points / tickets. */
  amount: number
  currency: CurrencyCode
  reason: string
  /** The engine's explanation in plain sentences; absent when it could not be rebuilt (see note). */
  sentences?: string[]
  note?: string
}

/** `players/get`: one player's page. */
export interface PlayerDetail {
  player_id: string
  segment: SegmentCode | null
  tier: string | null
  risk_score: number | null
  abuse_score: number | null
  firstSeenAt: string
  balances: Record<CurrencyCode, number>
  /** The money currency and its minor digits, for formatting. */
  money: { code: string; minorDigits: number }
  current: PlayerSnapshotView | null
  /** Earlier snapshots, newest first (at most 50). */
  snapshots: PlayerSnapshotView[]
  segmentHistory: { asOf: string; from: SegmentCode | null; to: SegmentCode }[]
  tierHistory: { asOf: string; from: string | null; to: string | null; reason: string }[]
  bonusLots: { id: number; amount: number; wageringTarget: number; wageringProgress: number; maxBet: number | null; expiresAt: string | null; status: string }[]
  /** Newest first (at most 50); amount signed from the player's side (+ credit, − debit). */
  transfers: { id: number; createdAt: string; currency: CurrencyCode; amount: number; kind: string; reason: string }[]
  abuseSignals: { signal: string; score: number; detectedAt: string }[]
  /** Newest evaluation first (at most 200). */
  decisions: PlayerDecisionView[]
}

export interface ImportListRow {
  importId: number
  kind: 'summary' | 'events'
  file: string
  asOf: string | null
  rows: number
  accepted: number
  rejected: number
  importedAt: string
}
