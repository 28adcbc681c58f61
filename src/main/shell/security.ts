// Electron's security checklist, applied app-wide: no navigation, no new windows, no webviews,
// no permissions, no remote requests, and external links only to an allow-list (policy.ts).
import { app, session, shell, type WebContents } from 'electron'
import { isAllowedExternalUrl, isAllowedRequestUrl } from './policy'

export function hardenSessions(): void {
  const defaultSession = session.defaultSession
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  defaultSession.setPermissionCheckHandler(() => false)
  defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url, process.env.ELECTRON_RENDERER_URL, app.isPackaged) })
  })
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // OPEN_EXTERNAL_JS_CHECK: reviewed. Only https URLs on the allow-list in policy.ts reach the OS.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
