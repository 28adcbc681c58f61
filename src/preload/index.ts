// The sandboxed bridge between the renderer and the main process. It exposes one function per
// API name (from the contract's name list) and two listeners; the renderer never sees ipcRenderer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { ipcChannels, type AppEvent, type LoyaltyBridge } from '../shared/api/bridge'
import { methodNames } from '../shared/api/method-names'
import type { ProgressEvent } from '../shared/api/progress'

const api = Object.fromEntries(
  methodNames.map((name) => [name, (input: unknown, callId: string) => ipcRenderer.invoke(ipcChannels.call, name, input, callId)]),
) as LoyaltyBridge['api']

function listen<T>(channel: string, listener: (payload: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: T) => listener(payload)
  ipcRenderer.on(channel, wrapped)
  return () => {
    ipcRenderer.removeListener(channel, wrapped)
  }
}

const bridge = {
  api,
  onProgress: (listener: (event: ProgressEvent) => void) => listen(ipcChannels.progress, listener),
  onAppEvent: (listener: (event: AppEvent) => void) => listen(ipcChannels.appEvent, listener),
} satisfies LoyaltyBridge

contextBridge.exposeInMainWorld('loyalty', bridge)
