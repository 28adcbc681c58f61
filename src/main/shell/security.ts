// Electron's security checklist, applied app-wide: no navigation, no new windows, no webviews,
// no permissions, and external links only to an allow-list.
import { app, session, shell, type WebContents } from 'electron'

/** Hosts the app may open in the user's browser (help pages). Everything else is refused. */
const externalHostsAllowed = new Set<string>([])

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' && externalHostsAllowed.has(url.hostname)
  } catch {
    return false
  }
}

export function hardenSessions(): void {
  const defaultSession = session.defaultSession
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  defaultSession.setPermissionCheckHandler(() => false)
  // No remote content: only our own app:// pages and devtools may load anything.
  defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith('app://') || details.url.startsWith('devtools://') || isDevServerUrl(details.url)
    callback({ cancel: !allowed })
  })
}

export function isDevServerUrl(url: string): boolean {
  const devServer = process.env.ELECTRON_RENDERER_URL
  return !app.isPackaged && devServer !== undefined && url.startsWith(devServer)
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // OPEN_EXTERNAL_JS_CHECK: reviewed. Only https URLs on the allow-list above reach the OS.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
