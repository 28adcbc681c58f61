// IPC: one channel carries every API call. Each call is checked to come from our own window's
// top frame showing our own origin, then handed to the same dispatcher the web host uses.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { ipcChannels } from '../../shared/api/bridge'
import type { Dispatcher } from '../api/dispatcher'
import { appOrigin } from './app-protocol'
import { isDevServerUrl } from './security'

export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | undefined): boolean {
  const frame = event.senderFrame
  if (!window || window.isDestroyed() || !frame) return false
  if (event.sender !== window.webContents || frame !== window.webContents.mainFrame) return false
  return frame.url.startsWith(`${appOrigin}/`) || isDevServerUrl(frame.url)
}

export function registerIpc(dispatcher: Dispatcher, currentWindow: () => BrowserWindow | undefined): void {
  ipcMain.handle(ipcChannels.call, async (event, name: unknown, input: unknown, callId: unknown) => {
    if (!isTrustedSender(event, currentWindow())) {
      return { error: { code: 'forbidden', message: 'This call did not come from the workstation window.' } }
    }
    return dispatcher.dispatch(name, input, callId, (progress) => {
      if (!event.sender.isDestroyed()) event.sender.send(ipcChannels.progress, progress)
    })
  })
}
