// The web host: the built renderer and the API over HTTP, for machines without Electron and for
// our browser tests. Loopback only; every request must carry the per-launch token (first in the
// printed URL, then as an HttpOnly cookie), and a Host or Origin that is not ours is refused,
// which defeats DNS rebinding and cross-site requests.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, extname, join, normalize, resolve, sep } from 'node:path'
import type { Dispatcher } from '../api/dispatcher'
import type { ProgressEvent } from '../../shared/api/progress'
import { securityHeaders } from './security-headers'

export const requestBodyBytesMax = 1_048_576
/** Largest file the browser may upload for import; the importer's own limits apply after that. */
export const uploadBytesMax = 512 * 1024 * 1024
/** Extensions an upload may keep; anything else is refused (the importer reads nothing else). */
export const uploadExtensions = ['.xlsx', '.csv', '.jsonl', '.ndjson', '.txt'] as const
/** Files the browser may ask the server to write for it (quarantine and report exports). */
export const exportExtensions = ['.xlsx', '.csv'] as const
const heartbeatMilliseconds = 15_000
const loopbackHost = '127.0.0.1'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface WebHostOptions {
  dispatcher: Dispatcher
  /** Folder of the built renderer (out/renderer). */
  staticDir: string
  port?: number
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string
  /** Folder for this launch's uploads and exports; default: a fresh temp folder, removed on close. */
  workDir?: string
  /** Upload size limit in bytes (tests use a small one). */
  uploadLimit?: number
}

export interface WebHost {
  url: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const staticRoot = resolve(options.staticDir)
  const listeners = new Set<ServerResponse>()
  let port = 0
  const cookieName = () => `loyalty_token_${port}`
  // A browser has no file paths: uploads land here under names we choose, and exports the browser
  // asks for are written here, so nothing it sends is ever used as a path.
  const ownsWorkDir = options.workDir === undefined
  const workDir = resolve(options.workDir ?? mkdtempSync(join(tmpdir(), 'loyalty-web-')))
  const uploadDir = join(workDir, 'uploads')
  const exportDir = join(workDir, 'exports')
  mkdirSync(uploadDir, { recursive: true, mode: 0o700 })
  mkdirSync(exportDir, { recursive: true, mode: 0o700 })
  const uploadLimit = options.uploadLimit ?? uploadBytesMax
  /** Export paths handed out by /api/export-path: the only files /api/download serves. */
  const exportPaths = new Set<string>()

  const broadcast = (event: ProgressEvent) => {
    const frame = `event: progress\ndata: ${JSON.stringify(event)}\n\n`
    for (const listener of listeners) listener.write(frame)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error(error)
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error; see the server log.')
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const allowedHosts = [`${loopbackHost}:${port}`, `localhost:${port}`]
    if (!allowedHosts.includes(request.headers.host ?? '')) {
      return send(response, 403, 'text/plain; charset=utf-8', 'Refused: this server answers only to its own loopback address.')
    }
    const origin = request.headers.origin
    if (origin !== undefined && !allowedHosts.some((host) => origin === `http://${host}`)) {
      return send(response, 403, 'text/plain; charset=utf-8', 'Refused: cross-origin requests are not accepted.')
    }
    const url = new URL(request.url ?? '/', `http://${loopbackHost}:${port}`)
    const queryToken = url.searchParams.get('token')
    if (queryToken !== null && tokensEqual(queryToken, token) && request.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Trade the token in the address bar for a cookie, and drop it from the visible URL.
      url.searchParams.delete('token')
      response.writeHead(302, {
        ...securityHeaders,
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      })
      response.end()
      return
    }
    if (!authorised(request, queryToken)) {
      return send(
        response,
        401,
        'text/plain; charset=utf-8',
        'Refused: the access token is missing or wrong. Open the full URL that `npm run web` printed (it ends in ?token=…).',
      )
    }
    if (url.pathname === '/api/call') return apiCall(request, response)
    if (url.pathname === '/api/events') return events(request, response)
    if (url.pathname === '/api/upload') return upload(request, response, url)
    if (url.pathname === '/api/export-path') return exportPath(request, response, url)
    if (url.pathname === '/api/download') return download(request, response, url)
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.')
    }
    return serveStatic(url.pathname, response)
  }

  function authorised(request: IncomingMessage, queryToken: string | null): boolean {
    const header = request.headers.authorization
    if (header?.startsWith('Bearer ') && tokensEqual(header.slice(7), token)) return true
    if (queryToken !== null && tokensEqual(queryToken, token)) return true
    const cookie = parseCookies(request.headers.cookie)[cookieName()]
    return cookie !== undefined && tokensEqual(cookie, token)
  }

  async function apiCall(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'Use POST.')
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(response, 415, 'text/plain; charset=utf-8', 'Send the call as application/json.')
    }
    const body = await readBody(request, requestBodyBytesMax)
    if (body === undefined) {
      return sendJson(response, 413, {
        error: { code: 'invalid_input', message: `The request is larger than ${requestBodyBytesMax} bytes.` },
      })
    }
    let envelope: unknown
    try {
      envelope = JSON.parse(body)
    } catch {
      return sendJson(response, 400, { error: { code: 'invalid_input', message: 'The request body is not valid JSON.' } })
    }
    if (typeof envelope !== 'object' || envelope === null) {
      return sendJson(response, 400, { error: { code: 'invalid_input', message: 'Expected {name, input, callId}.' } })
    }
    const { name, input, callId } = envelope as Record<string, unknown>
    const result = await options.dispatcher.dispatch(name, input, callId, broadcast)
    sendJson(response, 200, result)
  }

  /** POST /api/upload?name=<file name>, the raw file as the body → { path, name, bytes }. */
  async function upload(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'Use POST.')
    const name = url.searchParams.get('name') ?? ''
    const extension = allowedExtension(name, uploadExtensions)
    if (extension === undefined) {
      request.resume()
      return sendJson(response, 415, {
        error: { code: 'invalid_input', message: `Only ${uploadExtensions.join(', ')} files can be uploaded for import; "${displayName(name)}" is not one of them.` },
      })
    }
    // The answer is sent first; the socket is closed once it is out, so the client stops sending.
    const tooLarge = () =>
      sendJson(response, 413, {
        error: { code: 'invalid_input', message: `The file is larger than the upload limit of ${Math.round(uploadLimit / 1_048_576)} MiB (${uploadLimit} bytes).` },
      })
    const declared = Number(request.headers['content-length'])
    if (Number.isFinite(declared) && declared > uploadLimit) {
      // Refused before a byte is read.
      response.setHeader('Connection', 'close')
      response.once('finish', () => request.destroy())
      tooLarge()
      return
    }
    // Random, server-chosen name; only the allow-listed extension survives from the original.
    const target = join(uploadDir, `${randomBytes(16).toString('hex')}${extension}`)
    const file = createWriteStream(target, { flags: 'wx', mode: 0o600 })
    let bytes = 0
    let overLimit = false
    try {
      for await (const chunk of request as AsyncIterable<Buffer>) {
        bytes += chunk.length
        if (bytes > uploadLimit) {
          overLimit = true
          break
        }
        if (!file.write(chunk)) await new Promise<void>((resolveDrain) => file.once('drain', resolveDrain))
      }
      await new Promise<void>((resolveEnd, rejectEnd) => file.end((error?: Error | null) => (error ? rejectEnd(error) : resolveEnd())))
    } catch (error) {
      file.destroy()
      removeQuietly(target)
      if (request.destroyed || request.aborted) return
      throw error
    }
    if (overLimit) {
      removeQuietly(target)
      response.setHeader('Connection', 'close')
      response.once('finish', () => request.destroy())
      tooLarge()
      return
    }
    if (bytes === 0) {
      removeQuietly(target)
      return sendJson(response, 400, { error: { code: 'invalid_input', message: 'The uploaded file is empty.' } })
    }
    sendJson(response, 200, { path: target, name: displayName(name), bytes })
  }

  /** POST /api/export-path?name=quarantine.xlsx → { path, download }: where an export may be written. */
  function exportPath(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'Use POST.')
    const name = url.searchParams.get('name') ?? ''
    const extension = allowedExtension(name, exportExtensions)
    if (extension === undefined) {
      return sendJson(response, 415, { error: { code: 'invalid_input', message: `Exports are written as ${exportExtensions.join(' or ')}.` } })
    }
    const stem = basename(name, extname(name)).replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'export'
    const target = join(exportDir, `${stem}-${randomBytes(6).toString('hex')}${extension}`)
    exportPaths.add(target)
    sendJson(response, 200, { path: target, download: `/api/download?path=${encodeURIComponent(target)}` })
  }

  /** GET /api/download?path=… — only a file this server handed out with /api/export-path. */
  function download(request: IncomingMessage, response: ServerResponse, url: URL): void {
    if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'Use GET.')
    const wanted = url.searchParams.get('path') ?? ''
    if (!exportPaths.has(wanted) || !existsSync(wanted) || !statSync(wanted).isFile()) {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found: only files this server exported can be downloaded.')
    }
    const extension = extname(wanted).toLowerCase()
    response.writeHead(200, {
      ...securityHeaders,
      'Content-Type': extension === '.csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${basename(wanted)}"`,
      'Content-Length': String(statSync(wanted).size),
      'Cache-Control': 'no-store',
    })
    createReadStream(wanted).pipe(response)
  }

  function events(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      ...securityHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    })
    response.write(': connected\n\n')
    listeners.add(response)
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMilliseconds)
    request.on('close', () => {
      clearInterval(heartbeat)
      listeners.delete(response)
    })
  }

  function serveStatic(pathname: string, response: ServerResponse): void {
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'Bad path.')
    }
    const candidate = resolve(staticRoot, '.' + normalize(decoded))
    if (candidate !== staticRoot && !candidate.startsWith(staticRoot + sep)) {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found.')
    }
    // Unknown paths without an extension are client-side routes: serve the app shell.
    let file = candidate
    if (!existsSync(file) || statSync(file).isDirectory()) {
      if (extname(decoded) !== '') return send(response, 404, 'text/plain; charset=utf-8', 'Not found.')
      file = join(staticRoot, 'index.html')
    }
    if (!existsSync(file)) {
      return send(response, 500, 'text/plain; charset=utf-8', 'The renderer is not built. Run `npm run build` first.')
    }
    const isShell = file.endsWith('index.html')
    response.writeHead(200, {
      ...securityHeaders,
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isShell ? 'no-store' : 'private, max-age=3600',
    })
    createReadStream(file).pipe(response)
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen)
    server.listen(options.port ?? 0, loopbackHost, () => {
      server.off('error', rejectListen)
      resolveListen()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://${loopbackHost}:${port}/?token=${token}`,
    port,
    token,
    server,
    async close() {
      options.dispatcher.cancelAll()
      for (const listener of listeners) listener.end()
      listeners.clear()
      server.closeAllConnections()
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()))
      if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true })
    },
  }
}

/** The name's extension when it is on the list (compared in lower case), else undefined. */
function allowedExtension(name: string, allowed: readonly string[]): string | undefined {
  if (name.length === 0 || name.length > 1000) return undefined
  const extension = extname(name).toLowerCase()
  return allowed.includes(extension) ? extension : undefined
}

/** The original name for messages only: its last path part, without control characters, short. */
function displayName(name: string): string {
  const last = name.split(/[\\/]/).at(-1) ?? ''
  return Array.from(last)
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f)
    .join('')
    .slice(0, 200)
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0) cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim()
  }
  return cookies
}

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) tooLarge = true
      else chunks.push(chunk)
    })
    request.on('end', () => resolveBody(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')))
    request.on('error', rejectBody)
  })
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { ...securityHeaders, 'Content-Type': contentType, 'Cache-Control': 'no-store' })
  response.end(body)
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value))
}
