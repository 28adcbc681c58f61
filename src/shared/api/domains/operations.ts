// API methods for the Dashboard, Ledger and Settings screens. Their names are listed, free of zod, in ./operations-names.ts.
import { z } from 'zod'
import { engineSettingsSchema } from '../../engine-settings'
import { method } from '../method'
import { calendarDateSchema } from '../../calendar-date'
import type { DashboardSummary, SettingsSaveResult, SettingsView, TransferListResult } from '../types-operations'

const isoDate = calendarDateSchema
const empty = z.object({}).strict()
const ordered = (value: { from?: string; to?: string }) => !value.from || !value.to || value.from <= value.to
const orderedMessage = { message: '"from" must not be after "to"', path: ['to'] }

export const preferencesSchema = z.object({ dateOrder: z.enum(['DMY', 'MDY']).default('DMY') }).strict()

export const operationsContract = {
  'settings/get': method<SettingsView>()({
    input: empty,
    kind: 'query',
    summary: 'The engine settings (validated, defaults filled in), the workstation preferences and the defaults.',
  }),
  'settings/save': method<SettingsSaveResult>()({
    input: z.object({ settings: engineSettingsSchema, preferences: preferencesSchema.optional() }).strict(),
    kind: 'command',
    summary: 'Replace the engine settings (and preferences) in one transaction, recorded in the audit log with the paths that changed.',
  }),
  'dashboard/summary': method<DashboardSummary>()({
    input: z
      .object({ from: isoDate.optional(), to: isoDate.optional(), bucket: z.enum(['day', 'week']).default('day') })
      .strict()
      .refine(ordered, orderedMessage),
    kind: 'query',
    summary: 'KPIs (players, active, GGR, NGR, reward cost, cost/GGR, blocked, open review items), players by segment and tier, reward cost by rule over time.',
  }),
  'ledger/transfers': method<TransferListResult>()({
    input: z
      .object({
        playerId: z.string().min(1).max(200).optional(),
        currency: z.enum(['LP', 'RP', 'BONUS', 'TICKETS']).optional(),
        kind: z.string().min(1).max(64).optional(),
        /** Created on or after this day (UTC). */
        from: isoDate.optional(),
        /** Created on or before this day (UTC). */
        to: isoDate.optional(),
        /** Exact idempotency key, or its beginning when it ends with "*". */
        idempotencyKey: z.string().min(1).max(400).optional(),
        limit: z.number().int().min(1).max(1_000).default(50),
        offset: z.number().int().min(0).max(100_000_000).default(0),
      })
      .strict()
      .refine(ordered, orderedMessage),
    kind: 'query',
    summary: 'Ledger transfers, newest first, by player, currency, kind, creation date range or idempotency key; paged on the server.',
  }),
} as const
