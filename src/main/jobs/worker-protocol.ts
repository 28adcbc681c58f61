// Messages between the API host and a job's worker thread (see job-worker.ts, worker-runner.ts).
import type { ProgressEvent } from '../../shared/api/progress'
import type { ErrorCode } from '../../shared/api/result'

export interface WorkerRequest {
  job: string
  input: unknown
  databasePath: string
  nativeBinding?: string
  actor: string
}

export type WorkerReply =
  | { type: 'progress'; update: Omit<ProgressEvent, 'callId'> }
  | { type: 'result'; result: unknown }
  /** `internal`: an unexpected failure whose message is for the log, not the operator. */
  | { type: 'error'; error: { code: ErrorCode; message: string; details?: unknown; internal?: boolean } }
