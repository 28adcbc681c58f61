// The caller's side of the contract. It works over any Transport (Electron IPC through the
// preload, or HTTP to the web host) without knowing which.
import type { ApiResult } from './result'
import type { InputOf, MethodName, ResultOf } from './contract'
import type { ProgressEvent } from './progress'

export interface Transport {
  call(name: MethodName, input: unknown, callId: string): Promise<ApiResult<unknown>>
  /** Listen to progress of every call made over this transport; returns the unsubscribe. */
  onProgress(listener: (event: ProgressEvent) => void): () => void
}

export interface CallOptions {
  onProgress?: (event: ProgressEvent) => void
  /** Aborting asks the backend to cancel the job (`job/cancel`); the call then ends with `cancelled`. */
  signal?: AbortSignal
}

export interface ApiClient {
  call<K extends MethodName>(name: K, input: InputOf<K>, options?: CallOptions): Promise<ApiResult<ResultOf<K>>>
}

let callCounter = 0
function nextCallId(): string {
  callCounter += 1
  const random = Math.floor(Math.random() * 0xffffffff).toString(36)
  return `c${Date.now().toString(36)}${random}${callCounter.toString(36)}`
}

export function createClient(transport: Transport): ApiClient {
  return {
    async call(name, input, options) {
      const callId = nextCallId()
      const unsubscribe = options?.onProgress
        ? transport.onProgress((event) => {
            if (event.callId === callId) options.onProgress?.(event)
          })
        : undefined
      const abort = () => {
        void transport.call('job/cancel', { callId }, nextCallId())
      }
      options?.signal?.addEventListener('abort', abort, { once: true })
      try {
        if (options?.signal?.aborted) {
          return { error: { code: 'cancelled', message: 'Cancelled before it started.' } }
        }
        return (await transport.call(name, input, callId)) as ApiResult<ResultOf<typeof name>>
      } catch (cause) {
        // A transport failure (window closing, server gone) is still a value, never a throw.
        const message = cause instanceof Error ? cause.message : String(cause)
        return { error: { code: 'internal', message: `The request could not be delivered: ${message}` } }
      } finally {
        options?.signal?.removeEventListener('abort', abort)
        unsubscribe?.()
      }
    },
  }
}
