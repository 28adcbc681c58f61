// A long API call (import, process) as state a screen can show: progress with a rate and an ETA,
// cancel, and the outcome. The call keeps running when the screen is left; the state lives in a store.
import type { ProgressEvent } from '../../../shared/api/progress'
import type { ApiError } from '../../../shared/api/result'

export interface JobState<T> {
  status: 'idle' | 'running' | 'done' | 'failed' | 'cancelled'
  startedAt?: number
  progress?: ProgressEvent
  /** Rows reported so far (from the progress message), for rows/s. */
  rows?: number
  result?: T
  error?: ApiError
}

export const idleJob = { status: 'idle' } as const satisfies JobState<never>

/** "12,345 rows" in a progress message → 12345. */
export function rowsFromMessage(message: string | undefined): number | undefined {
  const match = /([\d,.\s]+)\s+rows/.exec(message ?? '')
  if (!match) return undefined
  const value = Number(match[1]!.replace(/[^\d]/g, ''))
  return Number.isFinite(value) ? value : undefined
}

export interface JobRates {
  fraction?: number
  rowsPerSecond?: number
  etaSeconds?: number
}

export function jobRates(job: JobState<unknown>, now: number): JobRates {
  const elapsed = job.startedAt ? (now - job.startedAt) / 1000 : 0
  const progress = job.progress
  const fraction = progress?.total ? Math.min(1, progress.done / progress.total) : undefined
  const rowsPerSecond = job.rows !== undefined && elapsed > 0.2 ? job.rows / elapsed : undefined
  const etaSeconds = fraction !== undefined && fraction > 0.01 && elapsed > 0.5 ? (elapsed * (1 - fraction)) / fraction : undefined
  return { fraction, rowsPerSecond, etaSeconds }
}
