// The recent-spreadsheets list behind File → Open Recent and the Import screen.
import { z } from 'zod'
import type { RecentFile } from '../../shared/api/types'
import type { LedgerDatabase } from '../ledger/database'
import { readSetting, writeSetting } from '../ledger/settings-store'

const recentFilesKey = 'recentFiles'
export const recentFilesMax = 10
const recentFilesSchema = z.array(z.object({ path: z.string(), openedAt: z.string() }))

export function listRecentFiles(database: LedgerDatabase): RecentFile[] {
  const parsed = recentFilesSchema.safeParse(readSetting(database, recentFilesKey))
  return parsed.success ? parsed.data : []
}

export function rememberRecentFile(database: LedgerDatabase, path: string, now: Date): RecentFile[] {
  const openedAt = now.toISOString()
  const files = [{ path, openedAt }, ...listRecentFiles(database).filter((file) => file.path !== path)].slice(0, recentFilesMax)
  database.write((transaction) => writeSetting(transaction, recentFilesKey, files, openedAt))
  return files
}
