// Picks the transport: the Electron preload's bridge when present, HTTP to the web host otherwise.
// The rest of the renderer only sees the typed client.
import type { LoyaltyBridge } from '../../../shared/api/bridge'
import type { Transport } from '../../../shared/api/client'
import type { ProgressEvent } from '../../../shared/api/progress'
import type { ApiResult } from '../../../shared/api/result'
import { isApiError } from '../../../shared/api/result'

declare global {
  interface Window {
    loyalty?: LoyaltyBridge
  }
}

export function bridgeTransport(bridge: LoyaltyBridge): Transport {
  return {
    call: (name, input, callId) => bridge.api[name](input, callId),
    onProgress: (listener) => bridge.onProgress(listener),
  }
}

export function httpTransport(baseUrl = ''): Transport {
  const listeners = new Set<(event: ProgressEvent) => void>()
  let source: EventSource | undefined
  return {
    async call(name, input, callId) {
      const response = await fetch(`${baseUrl}/api/call`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, input, callId }),
      })
      const body: unknown = await response.json().catch(() => undefined)
      if (typeof body === 'object' && body !== null && ('data' in body || 'error' in body)) {
        const error = (body as { error?: unknown }).error
        if (error === undefined || isApiError(error)) return body as ApiResult<unknown>
      }
      return { error: { code: 'internal', message: `The server answered ${response.status} ${response.statusText}.` } }
    },
    onProgress(listener) {
      listeners.add(listener)
      if (!source) {
        source = new EventSource(`${baseUrl}/api/events`)
        source.addEventListener('progress', (message) => {
          const event = JSON.parse((message as MessageEvent<string>).data) as ProgressEvent
          for (const each of listeners) each(event)
        })
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) {
          source?.close()
          source = undefined
        }
      }
    },
  }
}

export function defaultTransport(): Transport {
  return window.loyalty ? bridgeTransport(window.loyalty) : httpTransport()
}
