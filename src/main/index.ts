// The Electron shell: a window, a menu and IPC wiring around the same backend the web host and
// the CLI use. Kept thin on purpose: everything testable lives outside this file.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog } from 'electron'
import { openBackend, type Backend } from './backend'
import { appRoot, databaseFileName, defaultDataDir, resolveDatabasePath } from './paths'
import { appOrigin, registerAppScheme, serveRenderer } from './shell/app-protocol'
import { registerIpc } from './shell/ipc'
import { buildMenu } from './shell/menu'
import { isDevServerUrl } from './shell/policy'
import { hardenSessions, hardenWebContents } from './shell/security'

let mainWindow: BrowserWindow | undefined
let backend: Backend | undefined

app.enableSandbox()
registerAppScheme()
// One data folder for the app, the CLI and the web host (see paths.ts).
app.setPath('userData', defaultDataDir())

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => backend?.close())
  app.whenReady().then(start, (error: unknown) => fail(error))
}

/** better-sqlite3 built for Electron's ABI lives apart from Node's, so `npm test` and `npm start` coexist. */
function electronSqliteBinding(): string | undefined {
  const fromEnv = process.env.LOYALTY_SQLITE_BINDING
  if (fromEnv && existsSync(fromEnv)) return fromEnv
  const cached = join(appRoot(), '.cache', 'electron-native', process.versions.electron, 'better_sqlite3.node')
  return existsSync(cached) ? cached : undefined
}

function start(): void {
  hardenSessions()
  try {
    backend = openBackend({
      runtime: 'electron',
      databasePath: resolveDatabasePath(undefined, { ...process.env, LOYALTY_DATA_DIR: app.getPath('userData') }),
      dataDir: app.getPath('userData'),
      nativeBinding: electronSqliteBinding(),
      electronVersion: process.versions.electron,
    })
  } catch (error) {
    return fail(error)
  }
  serveRenderer(join(appRoot(), 'out', 'renderer'))
  registerIpc(backend.dispatcher, () => mainWindow)
  buildMenu(backend.services.database, () => mainWindow)
  createWindow()
}

function createWindow(): void {
  // Security review (electronegativity): every checklist option is set explicitly below.
  // REMOTE_MODULE_JS_CHECK: the remote module was removed from Electron in v14; there is nothing
  // to disable on Electron 45 and `enableRemoteModule` no longer exists in its types.
  // AUXCLICK_JS_CHECK: Auxclick is disabled, and window.open/new windows are denied app-wide
  // (shell/security.ts: setWindowOpenHandler).
  mainWindow = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Loyalty Workstation',
    webPreferences: {
      // PRELOAD_JS_CHECK: reviewed. The preload is sandboxed, bundled as one CommonJS file, and
      // exposes one function per API name plus two listeners — never ipcRenderer itself — and
      // every call it forwards is checked by sender in shell/ipc.ts and validated by the dispatcher.
      preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  })
  mainWindow.once('ready-to-show', () => mainWindow?.show())
  mainWindow.on('closed', () => {
    mainWindow = undefined
  })
  const devServer = process.env.ELECTRON_RENDERER_URL
  if (devServer && isDevServerUrl(devServer, devServer, app.isPackaged)) void mainWindow.loadURL(devServer)
  else void mainWindow.loadURL(`${appOrigin}/index.html`)
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  dialog.showErrorBox(
    'Loyalty Workstation cannot start',
    `${message}\n\nData folder: ${app.getPath('userData')} (database file ${databaseFileName}).`,
  )
  app.exit(1)
}
