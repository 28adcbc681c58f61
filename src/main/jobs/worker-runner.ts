// Runs a job in a worker thread on behalf of an API call: forwards progress, turns the worker's
// reply into the call's result or ApiFailure, and asks the worker to stop when the call is
// cancelled (the job then rolls back). A worker that dies without replying is an internal error.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { ApiFailure } from '../../shared/api/result'
import { appRoot } from '../paths'
import type { JobContext, JobInput, JobName, JobResult } from './job-bodies'
import type { WorkerReply, WorkerRequest } from './worker-protocol'

export interface JobRunner {
  run<K extends JobName>(job: K, input: JobInput<K>, context: JobContext): Promise<JobResult<K>>
  /**
   * A long-lived thread of the job worker script, for state worth keeping between calls (the
   * Segments screen's loaded player base). It gets the database path in its workerData and is
   * stopped by close().
   */
  startThread?(workerData: { kind: string }): Worker
  /** Stops the long-lived threads (the host is closing). */
  close?(): void
}

export function workerScriptPath(): string {
  return join(appRoot(), 'out', 'main', 'job-worker.js')
}

export function createWorkerRunner(options: { databasePath: string; nativeBinding?: string; logError?: (error: unknown) => void }): JobRunner {
  const script = workerScriptPath()
  const threads = new Set<Worker>()
  return {
    startThread(workerData) {
      if (!existsSync(script)) throw new ApiFailure('internal', `The job worker ${script} is missing: run the build (npm run build).`)
      const worker = new Worker(script, { workerData: { ...workerData, databasePath: options.databasePath, nativeBinding: options.nativeBinding } })
      threads.add(worker)
      worker.on('exit', () => threads.delete(worker))
      return worker
    },
    close() {
      for (const worker of threads) void worker.terminate()
      threads.clear()
    },
    run(job, input, context) {
      if (!existsSync(script)) throw new ApiFailure('internal', `The job worker ${script} is missing: run the build (npm run build).`)
      const request: WorkerRequest = { job, input, databasePath: options.databasePath, nativeBinding: options.nativeBinding, actor: context.actor }
      return new Promise((resolvePromise, reject) => {
        const worker = new Worker(script, { workerData: request })
        let settled = false
        const onAbort = () => worker.postMessage('cancel')
        context.signal.addEventListener('abort', onAbort, { once: true })
        const finish = () => {
          settled = true
          context.signal.removeEventListener('abort', onAbort)
        }
        worker.on('message', (message: WorkerReply) => {
          if (message.type === 'progress') context.progress(message.update)
          else if (message.type === 'result') {
            finish()
            resolvePromise(message.result as JobResult<typeof job>)
          } else {
            finish()
            if (message.error.internal) options.logError?.(new Error(`${job} worker: ${message.error.message}`))
            reject(
              message.error.internal && message.error.code !== 'cancelled'
                ? new ApiFailure('internal', `${job} failed unexpectedly; the details are in the log.`)
                : new ApiFailure(message.error.code, message.error.message, message.error.details),
            )
          }
        })
        worker.on('error', (error) => {
          if (settled) return
          finish()
          options.logError?.(error)
          reject(new ApiFailure('internal', `${job} failed unexpectedly; the details are in the log.`))
        })
        worker.on('exit', (code) => {
          if (settled) return
          finish()
          reject(new ApiFailure(context.signal.aborted ? 'cancelled' : 'internal', context.signal.aborted ? `${job} was cancelled.` : `${job} stopped unexpectedly (exit code ${code}).`))
        })
      })
    },
  }
}
