// IPC: one channel carries every API call. Each call is checked to come from our own window's
// top frame showing our own origin, then handed to the same dispatcher the web host uses.
import { app, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { ipcChannels } from '../../shared/api/bridge'
import type { Dispatcher } from '../api/dispatcher'
import { isTrustedSenderFacts } from './policy'

function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | undefined): boolean {
  const live = window !== undefined && !window.isDestroyed()
  return isTrustedSenderFacts(
    {
      fromMainWindowContents: live && event.sender === window.webContents,
      isMainFrame: live && event.senderFrame !== null && event.senderFrame === window.webContents.mainFrame,
      frameUrl: event.senderFrame?.url,
    },
    process.env.ELECTRON_RENDERER_URL,
    app.isPackaged,
  )
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
