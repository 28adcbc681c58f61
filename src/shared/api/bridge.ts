// What the Electron preload exposes on `window.loyalty`: one function per API name, and
// listeners for progress and app events. Never ipcRenderer itself.
import type { MethodNameListed } from './method-names'
import type { ApiResult } from './result'
import type { ProgressEvent } from './progress'

export type AppEvent = { type: 'open-file'; path: string } | { type: 'navigate'; screen: string }

export interface LoyaltyBridge {
  api: Record<MethodNameListed, (input: unknown, callId: string) => Promise<ApiResult<unknown>>>
  onProgress(listener: (event: ProgressEvent) => void): () => void
  onAppEvent(listener: (event: AppEvent) => void): () => void
}

export const ipcChannels = {
  call: 'api:call',
  progress: 'api:progress',
  appEvent: 'app:event',
} as const
