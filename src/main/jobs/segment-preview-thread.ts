// The Segments screen's previewer in its own thread (UI hosts). The first preview after the base
// changed loads every player — seconds at a million — and the loaded table is kept for the next
// slider move; in the thread that answers the API, that load froze every other screen. Here a
// long-lived thread of the job worker script owns its own read connection and the table, and
// answers previews by message, one at a time; the API thread only waits for the reply.
import { parentPort, workerData, type Worker } from 'node:worker_threads'
import { ApiFailure, type ErrorCode } from '../../shared/api/result'
import type { SegmentPreviewResult, SegmentSettingsView } from '../../shared/api/types-desk'
import type { SegmentConfig } from '../../shared/engine-settings'
import { LedgerDatabase } from '../ledger/database'
import { SegmentPreviewer } from './desk-segments'

export const segmentPreviewWorkerKind = 'segment-preview'

interface SegmentPreviewWorkerData {
  kind: typeof segmentPreviewWorkerKind
  databasePath: string
  nativeBinding?: string
}

type Question = { method: 'preview'; config: SegmentConfig } | { method: 'settings' }
type Request = Question & { id: number }
type Reply = { id: number; result: unknown } | { id: number; error: { code: ErrorCode; message: string; details?: unknown; internal?: boolean } }

export function isSegmentPreviewWorker(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === segmentPreviewWorkerKind
}

/** The worker side: opens the database on the first request and answers until terminated. */
export function serveSegmentPreviews(): void {
  const port = parentPort
  if (!port) throw new Error('serveSegmentPreviews must run in a worker thread')
  const { databasePath, nativeBinding } = workerData as SegmentPreviewWorkerData
  let previewer: SegmentPreviewer | undefined
  port.on('message', (request: Request) => {
    let reply: Reply
    try {
      previewer ??= new SegmentPreviewer(LedgerDatabase.open({ path: databasePath, nativeBinding }))
      reply = { id: request.id, result: request.method === 'preview' ? previewer.preview(request.config) : previewer.settings() }
    } catch (error) {
      reply =
        error instanceof ApiFailure
          ? { id: request.id, error: { code: error.code, message: error.message, details: error.details } }
          : { id: request.id, error: { code: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error), internal: true } }
    }
    port.postMessage(reply)
  })
}

/** The API side: the same two questions as SegmentPreviewer, answered by the thread. */
export class SegmentPreviewThread {
  private worker: Worker | undefined
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>()
  private nextId = 1

  constructor(
    private readonly start: () => Worker,
    private readonly logError: (error: unknown) => void = console.error,
  ) {}

  preview(config: SegmentConfig): Promise<SegmentPreviewResult> {
    return this.call({ method: 'preview', config }) as Promise<SegmentPreviewResult>
  }

  settings(): Promise<SegmentSettingsView> {
    return this.call({ method: 'settings' }) as Promise<SegmentSettingsView>
  }

  private call(question: Question): Promise<unknown> {
    const worker = this.thread()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      // An idle thread (a kept table) must not keep the process alive; a waiting call must.
      worker.ref()
      worker.postMessage({ ...question, id } satisfies Request)
    })
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    const worker = this.start()
    worker.unref()
    const failAll = (failure: ApiFailure) => {
      if (this.worker === worker) this.worker = undefined // the next call starts a new thread
      for (const waiting of this.pending.values()) waiting.reject(failure)
      this.pending.clear()
    }
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (this.pending.size === 0) worker.unref()
      if (!waiting) return
      if ('result' in reply) waiting.resolve(reply.result)
      else if (reply.error.internal) {
        this.logError(new Error(`segment preview thread: ${reply.error.message}`))
        waiting.reject(new ApiFailure('internal', 'The segment counts failed unexpectedly; the details are in the log.'))
      } else waiting.reject(new ApiFailure(reply.error.code, reply.error.message, reply.error.details))
    })
    worker.on('error', (error) => {
      this.logError(error)
      failAll(new ApiFailure('internal', 'The segment counts failed unexpectedly; the details are in the log.'))
    })
    worker.on('exit', (code) => failAll(new ApiFailure('internal', `The segment counts' thread stopped (exit code ${code}); try again.`)))
    this.worker = worker
    return worker
  }
}
