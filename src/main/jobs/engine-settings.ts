// The engine settings the operator saved (Settings screen), validated on every read: a value
// written by an older build or edited by hand is refused with the path of the problem, never used
// half-understood. Nothing saved yet means the defaults.
import { ApiFailure } from '../../shared/api/result'
import { engineSettingsSchema, type EngineSettings } from '../../shared/engine-settings'
import type { LedgerDatabase } from '../ledger/database'
import { readSetting } from '../ledger/settings-store'

export const engineSettingsKey = 'engine'

export function loadEngineSettings(database: LedgerDatabase): EngineSettings {
  const stored = readSetting(database, engineSettingsKey) ?? {}
  const parsed = engineSettingsSchema.safeParse(stored)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ApiFailure('invalid_input', `The saved engine settings are invalid at "${issue.path.join('.')}": ${issue.message}. Fix them in Settings.`)
  }
  return parsed.data
}
