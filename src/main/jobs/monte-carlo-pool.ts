// Monte Carlo trials spread over worker threads, one per core by default. Trials go out in chunks
// to whichever thread is free; each trial's draws depend only on (seed, trial number), and results
// are placed by trial number, so the numbers are the same for any thread count. The threads run the
// built job worker (out/main/job-worker.js) in its Monte Carlo mode; without a build, or with one
// thread, the trials run here.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { parentPort, Worker, workerData } from 'node:worker_threads'
import { ApiFailure } from '../../shared/api/result'
import { compactColumn } from '../engine/column-arena'
import { runTrials, type MonteCarloModel, type MonteCarloSideModel } from '../engine/simulation/monte-carlo'
import { workerScriptPath } from './worker-runner'

interface PoolWorkerData {
  kind: 'monte-carlo'
  model: MonteCarloModel
  seed: number
}
type ChunkRequest = { from: number; to: number } | 'stop'
interface ChunkReply {
  from: number
  live: Float64Array
  scenario: Float64Array
}

export interface MonteCarloRunOptions {
  trials: number
  seed: number
  /** Default: one per core (at most 8). */
  threads?: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

const chunkSize = 25

export async function runMonteCarloTrials(model: MonteCarloModel, options: MonteCarloRunOptions): Promise<{ live: Float64Array; scenario: Float64Array }> {
  const { trials, seed } = options
  const live = new Float64Array(trials)
  const scenario = new Float64Array(trials)
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(8, availableParallelism()), Math.ceil(trials / chunkSize)))
  const script = workerScriptPath()
  const cancelled = () => new ApiFailure('cancelled', 'The Monte Carlo run was cancelled.')

  if (threads === 1 || !existsSync(script)) {
    for (let from = 0; from < trials; from += chunkSize) {
      if (options.signal?.aborted) throw cancelled()
      const to = Math.min(trials, from + chunkSize)
      const chunk = runTrials(model, seed, from, to)
      live.set(chunk.live, from)
      scenario.set(chunk.scenario, from)
      options.onProgress?.(to, trials)
      await new Promise((resolve) => setImmediate(resolve)) // let a cancel message in between chunks
    }
    return { live, scenario }
  }

  const data: PoolWorkerData = { kind: 'monte-carlo', model: postable(model), seed }
  const workers = Array.from({ length: threads }, () => new Worker(script, { workerData: data }))
  let next = 0
  let done = 0
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(cancelled())
      options.signal?.addEventListener('abort', onAbort, { once: true })
      const feed = (worker: Worker) => {
        if (next >= trials) return
        const from = next
        next = Math.min(trials, next + chunkSize)
        worker.postMessage({ from, to: next } satisfies ChunkRequest)
      }
      for (const worker of workers) {
        worker.on('message', (reply: ChunkReply) => {
          live.set(reply.live, reply.from)
          scenario.set(reply.scenario, reply.from)
          done += reply.live.length
          options.onProgress?.(done, trials)
          if (done >= trials) {
            options.signal?.removeEventListener('abort', onAbort)
            resolve()
          } else feed(worker)
        })
        worker.on('error', (error) => reject(new ApiFailure('internal', `A Monte Carlo thread failed: ${error.message}`)))
        feed(worker)
      }
    })
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
  return { live, scenario }
}

export function isMonteCarloWorker(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'monte-carlo'
}

/** The worker side: answers chunk requests until told to stop or terminated. */
export function serveMonteCarloTrials(): void {
  const port = parentPort
  if (!port) throw new Error('serveMonteCarloTrials must run in a worker thread')
  const { model, seed } = workerData as PoolWorkerData
  port.on('message', (request: ChunkRequest) => {
    if (request === 'stop') {
      port.close()
      return
    }
    const result = runTrials(model, seed, request.from, request.to)
    const reply: ChunkReply = { from: request.from, live: result.live, scenario: result.scenario }
    port.postMessage(reply, [result.live.buffer as ArrayBuffer, result.scenario.buffer as ArrayBuffer])
  })
}

/**
 * The model with each column its own buffer: some are views into the what-if's arena, and posting
 * a view to a thread copies its whole buffer (hundreds of MB at a million players), per thread.
 */
function postable(model: MonteCarloModel): MonteCarloModel {
  const side = (each: MonteCarloSideModel): MonteCarloSideModel => {
    const copy: Record<string, unknown> = { ...each }
    for (const [key, value] of Object.entries(each)) if (value instanceof Float64Array) copy[key] = compactColumn(value)
    return copy as unknown as MonteCarloSideModel
  }
  return { ...model, betVariance: compactColumn(model.betVariance), live: side(model.live), scenario: side(model.scenario) }
}
