// Settings screen's reads and writes: the engine settings (validated on every read), the
// workstation preferences beside them, and a save that is one transaction with its audit entry.
import { eq } from 'drizzle-orm'
import { ApiFailure } from '../../shared/api/result'
import type { SettingsSaveResult, SettingsView, WorkstationPreferences } from '../../shared/api/types-operations'
import { defaultEngineSettings, type EngineSettings } from '../../shared/engine-settings'
import type { LedgerDatabase } from '../ledger/database'
import { auditLog, settings as settingsTable } from '../ledger/schema'
import { engineSettingsKey, preferencesKey, readEngineSettings, readPreferences, writeSetting } from '../ledger/settings-store'


function savedAt(database: LedgerDatabase): string | null {
  const row = database.read.select({ updatedAt: settingsTable.updatedAt }).from(settingsTable).where(eq(settingsTable.key, engineSettingsKey)).get()
  return row?.updatedAt ?? null
}

export function settingsView(database: LedgerDatabase): SettingsView {
  const defaults = defaultEngineSettings()
  const preferences = readPreferences(database)
  try {
    return { settings: readEngineSettings(database), preferences, defaults, updatedAt: savedAt(database) }
  } catch (error) {
    // The screen must still open so the operator can repair them; the engine keeps refusing.
    if (error instanceof ApiFailure) return { settings: defaults, preferences, defaults, updatedAt: savedAt(database), problem: error.message }
    throw error
  }
}

/** Dotted paths where two JSON values differ ("houseEdges.slots", "caps.globalDay.BONUS"). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key))
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix || '(all)']
}

export function saveSettings(database: LedgerDatabase, input: { settings: EngineSettings; preferences?: WorkstationPreferences }, actor: string, now: string): SettingsSaveResult {
  const before = settingsView(database)
  const preferences = input.preferences ?? before.preferences
  const changed = [
    ...changedPaths(before.problem ? undefined : before.settings, input.settings),
    ...changedPaths(before.preferences, preferences, 'preferences'),
  ]
  database.write((transaction) => {
    writeSetting(transaction, engineSettingsKey, input.settings, now)
    writeSetting(transaction, preferencesKey, preferences, now)
    transaction
      .insert(auditLog)
      .values({ action: 'settings.save', actor, subject: `settings:${engineSettingsKey}`, reason: changed.length ? `changed ${changed.join(', ')}` : 'saved unchanged', details: { changed, before: before.settings, after: input.settings }, at: now })
      .run()
  })
  return { ...settingsView(database), changed }
}
