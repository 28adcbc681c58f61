import { request as httpRequest } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDispatcher, type HandlerMap } from '../../src/main/api/dispatcher'
import { createHandlers } from '../../src/main/api/handlers'
import { openBackend, type Backend } from '../../src/main/backend'
import { startWebHost, type WebHost } from '../../src/main/web/server'
import { useTempDir } from '../helpers/temp'

/** Raw request so the test can send any Host / Origin header (fetch would refuse to). */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }))
    })
    request.on('error', reject)
    request.end()
  })
}

describe('web host', () => {
  const tempDir = useTempDir()
  let host: WebHost | undefined
  let backend: Backend | undefined
  afterEach(async () => {
    await host?.close()
    backend?.close()
    host = undefined
    backend = undefined
  })

  async function start(customise?: (handlers: HandlerMap) => HandlerMap) {
    const folder = tempDir()
    const staticDir = join(folder, 'renderer')
    mkdirSync(join(staticDir, 'assets'), { recursive: true })
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>shell</title>')
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(folder, 'secret.txt'), 'outside the static root')
    backend = openBackend({ runtime: 'test', databasePath: join(folder, 'web.sqlite'), dataDir: folder })
    const dispatcher = customise ? createDispatcher(customise(createHandlers(backend.services))) : backend.dispatcher
    host = await startWebHost({ dispatcher, staticDir })
    return host
  }

  const base = (web: WebHost) => `http://127.0.0.1:${web.port}`
  const call = (web: WebHost, body: unknown, auth = `Bearer ${web.token}`) =>
    fetch(`${base(web)}/api/call`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

  it('listens on loopback only, with a long random token in the printed URL', async () => {
    const web = await start()
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    const address = web.server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
  })

  it('refuses requests without the token or with a wrong one', async () => {
    const web = await start()
    expect((await fetch(`${base(web)}/`)).status).toBe(401)
    expect((await fetch(`${base(web)}/?token=wrong`)).status).toBe(401)
    const refused = await call(web, { name: 'system/ping', input: { echo: 'x' }, callId: 'a' }, 'Bearer nope')
    expect(refused.status).toBe(401)
    expect(await refused.text()).toMatch(/access token is missing or wrong/)
  })

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin, even with the token', async () => {
    const web = await start()
    const foreignHost = await rawGet(web.port, `/?token=${web.token}`, { Host: `evil.example:${web.port}` })
    expect(foreignHost.status).toBe(403)
    const foreignOrigin = await rawGet(web.port, `/?token=${web.token}`, { Host: `127.0.0.1:${web.port}`, Origin: 'http://evil.example' })
    expect(foreignOrigin.status).toBe(403)
    const ok = await rawGet(web.port, `/`, { Host: `localhost:${web.port}`, Authorization: `Bearer ${web.token}` })
    expect(ok.status).toBe(200)
  })

  it('trades the URL token for an HttpOnly SameSite cookie and serves the app with a strict CSP', async () => {
    const web = await start()
    const first = await fetch(web.url, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/')
    const cookie = first.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await fetch(`${base(web)}/players`, { headers: { Cookie: cookie.split(';')[0] ?? '' } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>shell</title>')
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/)
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
  })

  it('serves nothing outside the renderer folder', async () => {
    const web = await start()
    const auth = { Authorization: `Bearer ${web.token}`, Host: `127.0.0.1:${web.port}` }
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/missing.js']) {
      const response = await rawGet(web.port, path, auth)
      expect(response.body).not.toContain('outside the static root')
      expect(response.status).toBe(404)
    }
  })

  it('answers API calls as values, including validation errors, and limits the body size', async () => {
    const web = await start()
    const ok = await call(web, { name: 'db/info', input: {}, callId: 'a1' })
    const info = (await ok.json()) as { data: { schemaVersion: number; path: string } }
    expect(info.data.schemaVersion).toBeGreaterThan(0)
    expect(info.data.path).toMatch(/web\.sqlite$/)
    const invalid = await (await call(web, { name: 'system/ping', input: { echo: 1 }, callId: 'a2' })).json()
    expect(invalid).toMatchObject({ error: { code: 'invalid_input' } })
    const notJson = await fetch(`${base(web)}/api/call`, {
      method: 'POST', headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' }, body: '{nope',
    })
    expect(notJson.status).toBe(400)
    const huge = await call(web, { name: 'system/ping', input: { echo: 'x'.repeat(1_100_000) }, callId: 'a3' })
    expect(huge.status).toBe(413)
  })

  it('streams progress events and cancels a running call over HTTP', async () => {
    const web = await start((handlers) => ({
      ...handlers,
      'system/ping': async ({ echo }, context) => {
        for (let done = 0; !context.signal.aborted && done < 10_000; done += 1) {
          context.progress({ done, unit: 'rows' })
          await new Promise((resolve) => setTimeout(resolve, 2))
        }
        return { echo }
      },
    }))
    const events = await fetch(`${base(web)}/api/events`, { headers: { Authorization: `Bearer ${web.token}` } })
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/)
    const reader = events.body!.getReader()
    const running = call(web, { name: 'system/ping', input: { echo: 'x' }, callId: 'long-1' })
    let received = ''
    while (!received.includes('"done":2')) received += new TextDecoder().decode((await reader.read()).value)
    expect(received).toMatch(/event: progress\ndata: \{"done":0,"unit":"rows","callId":"long-1"\}/)
    const cancel = await (await call(web, { name: 'job/cancel', input: { callId: 'long-1' }, callId: 'c-1' })).json()
    expect(cancel).toEqual({ data: { cancelled: true } })
    expect(await (await running).json()).toMatchObject({ error: { code: 'cancelled' } })
    await reader.cancel()
  })
})
