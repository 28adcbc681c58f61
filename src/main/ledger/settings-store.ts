// Key → JSON settings. Callers validate what they read with their own zod schema.
import { eq } from 'drizzle-orm'
import type { LedgerDatabase, WriteTransaction } from './database'
import { settings } from './schema'

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
