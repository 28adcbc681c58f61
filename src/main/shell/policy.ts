// The security decisions of the Electron shell as plain functions, so they are tested without
// Electron (see tests/unit/shell-policy.test.ts). The shell modules only wire them to events.

export const appOrigin = 'app://workstation'

/** Hosts the app may open in the user's browser (help pages). Everything else is refused. */
const externalHostsAllowed = new Set<string>([])

export function isAllowedExternalUrl(raw: string, allowed: ReadonlySet<string> = externalHostsAllowed): boolean {
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' && allowed.has(url.hostname)
  } catch {
    return false
  }
}

/** The renderer's dev server, only when not packaged and only the exact origin electron-vite gave us. */
export function isDevServerUrl(url: string, devServer: string | undefined, packaged: boolean): boolean {
  if (packaged || !devServer) return false
  try {
    return new URL(url).origin === new URL(devServer).origin
  } catch {
    return false
  }
}

export function isOwnPageUrl(url: string, devServer: string | undefined, packaged: boolean): boolean {
  return url.startsWith(`${appOrigin}/`) || isDevServerUrl(url, devServer, packaged)
}

/** Requests the renderer may make: our own pages and devtools; no remote content at all. */
export function isAllowedRequestUrl(url: string, devServer: string | undefined, packaged: boolean): boolean {
  return url.startsWith('app://') || url.startsWith('devtools://') || isDevServerUrl(url, devServer, packaged)
}

interface SenderFacts {
  /** The WebContents the call came from is our main window's. */
  fromMainWindowContents: boolean
  /** The frame is that window's top frame (not an iframe). */
  isMainFrame: boolean
  frameUrl: string | undefined
}

/** An IPC call is served only from our window's top frame showing our own page. */
export function isTrustedSenderFacts(facts: SenderFacts, devServer: string | undefined, packaged: boolean): boolean {
  return facts.fromMainWindowContents && facts.isMainFrame && facts.frameUrl !== undefined && isOwnPageUrl(facts.frameUrl, devServer, packaged)
}
