// Entry of a job's worker thread (built to out/main/job-worker.js). It opens its own connection to
// the database — better-sqlite3 connections cannot cross threads — runs one job, and reports
// progress, then the result or the error, as messages. A "cancel" message aborts the job, which
// then rolls back whatever it had not committed.
import { parentPort, workerData } from 'node:worker_threads'
import { ApiFailure } from '../../shared/api/result'
import { LedgerDatabase } from '../ledger/database'
import { jobBodies, type JobName } from './job-bodies'
import { isMonteCarloWorker, serveMonteCarloTrials } from './monte-carlo-pool'
import { isProcessReportWorker, serveProcessReport } from './process-report-thread'
import { isSegmentPreviewWorker, serveSegmentPreviews } from './segment-preview-thread'
import type { WorkerReply, WorkerRequest } from './worker-protocol'

async function main(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('job-worker must run in a worker thread')
  const request = workerData as WorkerRequest
  const controller = new AbortController()
  port.on('message', (message: unknown) => {
    if (message === 'cancel') controller.abort()
  })
  const reply = (message: WorkerReply) => port.postMessage(message)
  let database: LedgerDatabase | undefined
  try {
    database = LedgerDatabase.open({ path: request.databasePath, nativeBinding: request.nativeBinding })
    const body = jobBodies[request.job as JobName] as (db: LedgerDatabase, input: unknown, context: Parameters<(typeof jobBodies)['import/files']>[2]) => Promise<unknown>
    const result = await body(database, request.input, {
      signal: controller.signal,
      actor: request.actor,
      progress: (update) => reply({ type: 'progress', update }),
    })
    reply({ type: 'result', result })
  } catch (error) {
    if (error instanceof ApiFailure) reply({ type: 'error', error: { code: error.code, message: error.message, details: error.details } })
    else reply({ type: 'error', error: { code: controller.signal.aborted ? 'cancelled' : 'internal', message: error instanceof Error ? error.message : String(error), internal: true } })
  } finally {
    database?.close()
    port.close()
  }
}

// The same file serves the simulation's Monte Carlo threads (monte-carlo-pool.ts), the Segments
// screen's previewer (segment-preview-thread.ts) and the process report's thread (process-report-thread.ts).
if (isSegmentPreviewWorker(workerData)) serveSegmentPreviews()
else if (isProcessReportWorker(workerData)) serveProcessReport()
else if (isMonteCarloWorker(workerData)) serveMonteCarloTrials()
else void main()
