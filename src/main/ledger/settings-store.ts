// Key → JSON settings. Callers validate what they read with their own zod schema.
import { eq } from 'drizzle-orm'
import { ApiFailure } from '../../shared/api/result'
import { engineSettingsSchema, type EngineSettings } from '../../shared/engine-settings'
import { preferencesSchema } from '../../shared/api/domains/operations'
import type { WorkstationPreferences } from '../../shared/api/types-operations'
import type { LedgerDatabase, WriteTransaction } from './database'
import { settings } from './schema'

/** Where the operator's engine settings are stored (the Settings screen writes them). */
export const engineSettingsKey = 'engine'

export function readSetting(database: LedgerDatabase, key: string): unknown {
  const row = database.read.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()
  return row?.value
}

export function writeSetting(transaction: WriteTransaction, key: string, value: unknown, now: string): void {
  transaction
    .insert(settings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
    .run()
}

/**
 * The saved engine settings, validated on every read: a value written by an older build or edited
 * by hand is refused with the path of the problem, never used half-understood. Nothing saved yet
 * means the defaults.
 */
export function readEngineSettings(database: LedgerDatabase): EngineSettings {
  const parsed = engineSettingsSchema.safeParse(readSetting(database, engineSettingsKey) ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ApiFailure('invalid_input', `The saved engine settings are invalid at "${issue.path.join('.')}": ${issue.message}. Fix them in Settings.`)
  }
  return parsed.data
}

/** Where the workstation's preferences are stored (the Settings screen writes them beside the engine's). */
export const preferencesKey = 'workstation'

/** The saved preferences (e.g. the date order for ambiguous dates); defaults when unset or unreadable. */
export function readPreferences(database: LedgerDatabase): WorkstationPreferences {
  const parsed = preferencesSchema.safeParse(readSetting(database, preferencesKey) ?? {})
  return parsed.success ? parsed.data : preferencesSchema.parse({})
}
