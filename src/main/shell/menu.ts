// The native menu: File → Open spreadsheet and Open Recent, plus the standard edit/view/window menus.
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import { ipcChannels, type AppEvent } from '../../shared/api/bridge'
import type { LedgerDatabase } from '../ledger/database'
import { listRecentFiles, rememberRecentFile } from '../api/recent-files'

export const spreadsheetExtensions = ['xlsx', 'csv', 'jsonl', 'txt']

export function buildMenu(database: LedgerDatabase, currentWindow: () => BrowserWindow | undefined): void {
  const send = (event: AppEvent) => currentWindow()?.webContents.send(ipcChannels.appEvent, event)

  const openFile = (path: string) => {
    rememberRecentFile(database, path, new Date())
    app.addRecentDocument(path)
    send({ type: 'open-file', path })
    buildMenu(database, currentWindow)
  }

  const openDialog = async () => {
    const window = currentWindow()
    const options = {
      title: 'Open player spreadsheet',
      properties: ['openFile' as const],
      filters: [{ name: 'Spreadsheets and event files', extensions: spreadsheetExtensions }],
    }
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    const path = result.filePaths[0]
    if (!result.canceled && path) openFile(path)
  }

  const recent = listRecentFiles(database)
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open Spreadsheet…', accelerator: 'CmdOrCtrl+O', click: () => void openDialog() },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((file) => ({ label: file.path, click: () => openFile(file.path) }))
            : [{ label: 'No recent files', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => send({ type: 'navigate', screen: 'settings' }) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      ],
    },
    { role: 'windowMenu' },
    { label: 'Help', submenu: [{ label: 'About Loyalty Workstation', click: () => send({ type: 'navigate', screen: 'about' }) }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
