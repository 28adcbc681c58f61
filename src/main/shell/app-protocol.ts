// The renderer is served from app://workstation/ rather than file://, so the page has a real
// origin, cannot read arbitrary files, and every response carries our CSP.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { protocol } from 'electron'
import { securityHeaders } from '../web/security-headers'
import { appOrigin } from './policy'

export const appScheme = 'app'
export { appOrigin }

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true } }])
}

export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir)
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'workstation') return new Response('Not found', { status: 404 })
    let file = resolve(root, '.' + normalize(decodeURIComponent(url.pathname)))
    if (file !== root && !file.startsWith(root + sep)) return new Response('Not found', { status: 404 })
    if (!existsSync(file) || extname(file) === '') file = join(root, 'index.html')
    const body = await readFile(file)
    return new Response(body, {
      headers: { ...securityHeaders, 'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream' },
    })
  })
}
