// The whole backend API in one map: 'domain/verb' → zod input schema + result type.
// It drives the IPC handlers, the preload bridge, the web host routes and the renderer's client,
// so a method added here is type-checked end to end (see README: "Adding an API method").
import { z } from 'zod'
import type { MethodNameListed } from './method-names'
import type { AdjustResult, DatabaseInfo, DecisionListResult, ImportListRow, ImportPreview, ImportSummary, PlayerDetail, PlayerListResult, ProcessSummary, ExpireResult, PayoutConfirmResult, PayoutExportResult, PayoutListResult, PlayerBalances, RecentFile, SystemInfo, VerifyReport } from './types'
import { callIdPattern } from './progress'
import { method, type MethodSpec } from './method'
import { operationsContract } from './domains/operations'
import { deskContract } from './domains/desk'
import { simulationContract } from './domains/simulation'
import { reportsContract } from './domains/reports'
import { calendarDateSchema } from '../calendar-date'

export type { MethodKind, MethodSpec } from './method'

const empty = z.object({}).strict()
const isoDate = calendarDateSchema
const filePath = z.string().min(1).max(4096)
const playerId = z.string().min(1).max(200)
const segmentCode = z.enum(['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING'])
const headerMapping = z.record(z.string().max(1000), z.string().max(64)).refine((value) => Object.keys(value).length <= 1000, 'at most 1000 mapped columns')
const importOptions = {
  /** The date the files' totals are as of; default: a date in the file's title row, else today. */
  asOf: isoDate.optional(),
  sheet: z.string().min(1).max(200).optional(),
  /** Source header → field name (or "ignore"). */
  mapping: z.record(z.string().max(1000), z.string().max(64)).optional(),
  dateOrder: z.enum(['DMY', 'MDY']).optional(),
  decimalSeparator: z.enum(['.', ',']).optional(),
}

export const contract = {
  'system/info': method<SystemInfo>()({
    input: empty,
    kind: 'query',
    summary: 'Product version, runtime, data folder and database summary.',
  }),
  'system/ping': method<{ echo: string }>()({
    input: z.object({ echo: z.string().max(1000) }).strict(),
    kind: 'query',
    summary: 'Round-trip check of the transport; returns its input.',
  }),
  'db/info': method<DatabaseInfo>()({
    input: empty,
    kind: 'query',
    summary: 'Database path, schema version and row counts per table.',
  }),
  'files/recent': method<{ files: RecentFile[] }>()({
    input: empty,
    kind: 'query',
    summary: 'Spreadsheets opened recently, newest first.',
  }),
  'job/cancel': method<{ cancelled: boolean }>()({
    input: z.object({ callId: z.string().regex(callIdPattern) }).strict(),
    kind: 'command',
    summary: 'Cancel a running job by the callId its caller gave it.',
  }),
  'ledger/verify': method<VerifyReport>()({
    input: empty,
    kind: 'job',
    summary: 'Recompute balances and the hash chain from the transfers, run SQLite integrity_check, list every discrepancy.',
  }),
  'ledger/balances': method<PlayerBalances>()({
    input: z.object({ playerId: z.string().min(1).max(200) }).strict(),
    kind: 'query',
    summary: "A player's balance in each currency, in integer units.",
  }),
  'payouts/export': method<PayoutExportResult>()({
    input: z
      .object({
        path: z.string().min(1).max(4096).regex(/\.(csv|xlsx)$/i, 'expected a file name ending in .csv or .xlsx'),
        batch: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
        overwrite: z.boolean().optional(),
      })
      .strict(),
    kind: 'job',
    summary: 'Queue every reward not yet queued and write all pending payouts to a CSV or XLSX file; they are then marked exported.',
  }),
  'payouts/confirm': method<PayoutConfirmResult>()({
    input: z.object({ path: z.string().min(1).max(4096).regex(/\.(csv|xlsx)$/i, 'expected a .csv or .xlsx file') }).strict(),
    kind: 'job',
    summary: "Apply the platform's confirmation file (reference, status): all rows or none.",
  }),
  'payouts/list': method<PayoutListResult>()({
    input: z
      .object({
        status: z.enum(['pending', 'exported', 'confirmed', 'rejected']).optional(),
        batch: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    kind: 'query',
    summary: 'Payout items, optionally by status or export batch.',
  }),
  'ledger/adjust': method<AdjustResult>()({
    input: z
      .object({
        actionId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
        playerId: z.string().min(1).max(200),
        currency: z.enum(['LP', 'RP', 'BONUS', 'TICKETS']),
        /** As operators write it: major units for BONUS (12.50), whole points or tickets otherwise; negative takes away. */
        amount: z.number().finite().refine((value) => value !== 0, 'the amount must not be 0'),
        reason: z.string().trim().min(1, 'a reason is required').max(500),
        actor: z.string().trim().min(1, "the operator's name is required").max(200),
      })
      .strict(),
    kind: 'command',
    summary: "A manual adjustment of a player's balance, with its reason and operator recorded in the audit trail.",
  }),
  'ledger/expire': method<ExpireResult>()({
    input: z
      .object({
        asOf: isoDate,
        ticketExpiryDays: z.number().int().min(0).max(36_500).optional(),
      })
      .strict(),
    kind: 'job',
    summary: 'Expire bonus lots and tickets due by the end of the as-of day; safe to run twice.',
  }),
  'import/files': method<{ imports: ImportSummary[] }>()({
    input: z.object({ paths: z.array(filePath).min(1).max(20), ...importOptions }).strict(),
    kind: 'job',
    summary: 'Import player summary or activity event files (XLSX, CSV, JSONL), each as one unit: its valid rows and its quarantine, or nothing.',
  }),
  'process/run': method<ProcessSummary>()({
    input: z
      .object({
        paths: z.array(filePath).max(20).default([]),
        rulesPath: filePath.optional(),
        dryRun: z.boolean().default(false),
        reportPath: filePath.regex(/\.xlsx$/i, 'expected a report file name ending in .xlsx').optional(),
        ...importOptions,
      })
      .strict(),
    kind: 'job',
    summary: 'Import the files, then evaluate segments, abuse and reward rules over the whole base, store the decisions and post the rewards (unless dryRun).',
  }),
  'import/list': method<{ imports: ImportListRow[] }>()({
    input: z.object({ limit: z.number().int().min(1).max(1_000).default(50) }).strict(),
    kind: 'query',
    summary: 'The files imported, newest first: kind, file, as-of date and row counts.',
  }),
  'import/quarantine-export': method<{ path: string; rows: number; bytes: number }>()({
    input: z
      .object({
        importId: z.number().int().min(1),
        path: filePath.regex(/\.(csv|xlsx)$/i, 'expected a file name ending in .csv or .xlsx'),
        overwrite: z.boolean().optional(),
      })
      .strict(),
    kind: 'job',
    summary: "Write an import's refused rows (row number, problems, original cells) to an XLSX or CSV file.",
  }),
  'import/preview': method<ImportPreview>()({
    input: z.object({ path: filePath, sheet: z.string().min(1).max(200).optional(), mapping: headerMapping.optional() }).strict(),
    kind: 'query',
    summary: 'What importing the file would read — format, sheet, header row, each column\'s field, missing fields, the first rows — before anything is written.',
  }),
  'players/list': method<PlayerListResult>()({
    input: z
      .object({
        segment: segmentCode.optional(),
        /** Tier code, e.g. GOLD. */
        tier: z.string().min(1).max(64).optional(),
        minAbuseScore: z.number().int().min(0).max(100).optional(),
        /** A player id prefix. */
        search: z.string().max(200).optional(),
        sort: z.enum(['player_id', 'segment', 'tier', 'abuse_score', 'risk_score', 'balance_LP', 'balance_RP', 'balance_BONUS', 'balance_TICKETS']).default('player_id'),
        order: z.enum(['asc', 'desc']).default('asc'),
        limit: z.number().int().min(1).max(10_000).default(100),
        offset: z.number().int().min(0).max(100_000_000).default(0),
      })
      .strict(),
    kind: 'query',
    summary: 'Players with segment, tier, risk and abuse scores and balances; filtered, sorted and paged on the server.',
  }),
  'players/get': method<PlayerDetail>()({
    input: z.object({ playerId }).strict(),
    kind: 'query',
    summary: "One player's page: balances, current metrics and their history, segment and tier history, bonus lots, transfers, and every decision explained.",
  }),
  'decisions/list': method<DecisionListResult>()({
    input: z
      .object({
        playerId: z.string().min(1).max(200).optional(),
        ruleId: z.string().min(1).max(64).optional(),
        limit: z.number().int().min(1).max(10_000).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    kind: 'query',
    summary: 'Reward decisions (issued, reduced, blocked) with the rule version and the reason.',
  }),
  // Each screen family keeps its methods in its own file (src/shared/api/domains/).
  ...operationsContract,
  ...deskContract,
  ...simulationContract,
  ...reportsContract,
} as const

export type Contract = typeof contract
export type MethodName = keyof Contract
export type InputOf<K extends MethodName> = z.input<Contract[K]['input']>
export type ParsedInputOf<K extends MethodName> = z.output<Contract[K]['input']>
export type ResultOf<K extends MethodName> = Contract[K] extends MethodSpec<z.ZodType, infer R> ? R : never

// Both directions must hold, or the preload would expose a different set than the contract serves.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const namesMatchContract: Same<MethodName, MethodNameListed> = true
void namesMatchContract
