// The web host's upload, export-path and download endpoints: a browser has no file paths, so
// files come in as request bodies and land under names the server chooses, inside its own folder.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openBackend, type Backend } from '../../src/main/backend'
import { startWebHost, type WebHost } from '../../src/main/web/server'
import { useTempDir } from '../helpers/temp'

describe('web host uploads', () => {
  const tempDir = useTempDir()
  let host: WebHost | undefined
  let backend: Backend | undefined
  let workDir = ''
  afterEach(async () => {
    await host?.close()
    backend?.close()
    host = undefined
    backend = undefined
  })

  async function start(uploadLimit?: number) {
    const folder = tempDir()
    const staticDir = join(folder, 'renderer')
    mkdirSync(staticDir, { recursive: true })
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>shell</title>')
    workDir = join(folder, 'work')
    backend = openBackend({ runtime: 'test', databasePath: join(folder, 'web.sqlite'), dataDir: folder })
    host = await startWebHost({ dispatcher: backend.dispatcher, staticDir, workDir, uploadLimit })
    return host
  }

  const base = (web: WebHost) => `http://127.0.0.1:${web.port}`
  const upload = (web: WebHost, name: string, body: Uint8Array | string, auth = `Bearer ${web.token}`) =>
    fetch(`${base(web)}/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { Authorization: auth }, body })

  it('requires the token, and refuses a foreign Origin', async () => {
    const web = await start()
    const anonymous = await fetch(`${base(web)}/api/upload?name=a.csv`, { method: 'POST', body: 'player_id\n1\n' })
    expect(anonymous.status).toBe(401)
    expect((await upload(web, 'a.csv', 'x', 'Bearer wrong')).status).toBe(401)
    const foreign = await fetch(`${base(web)}/api/upload?name=a.csv`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${web.token}`, Origin: 'http://evil.example' },
      body: 'x',
    })
    expect(foreign.status).toBe(403)
    expect(readdirSync(join(workDir, 'uploads'))).toEqual([])
  })

  it('streams the body to a random name in its uploads folder, content intact', async () => {
    const web = await start()
    const content = randomBytes(3 * 1024 * 1024 + 17)
    const response = await upload(web, 'Players Export.XLSX', content)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { path: string; name: string; bytes: number }
    expect(body.name).toBe('Players Export.XLSX')
    expect(body.bytes).toBe(content.length)
    expect(dirname(body.path)).toBe(join(workDir, 'uploads'))
    expect(body.path).toMatch(/[/\\][0-9a-f]{32}\.xlsx$/)
    expect(Buffer.compare(readFileSync(body.path), content)).toBe(0)
    // Two uploads of one name never collide.
    const again = (await (await upload(web, 'Players Export.XLSX', 'abc')).json()) as { path: string }
    expect(again.path).not.toBe(body.path)
  })

  it('never uses the original name as a path: traversal, separators and odd names are reduced to the extension', async () => {
    const web = await start()
    for (const name of ['../../etc/passwd.csv', '..\\..\\windows\\win.ini.csv', '/etc/cron.d/x.csv', 'a/../../../b.jsonl', '%2e%2e%2fescape.csv']) {
      const response = await upload(web, name, 'player_id,total_wagered\n1,2\n')
      expect(response.status).toBe(200)
      const body = (await response.json()) as { path: string; name: string }
      expect(dirname(body.path)).toBe(join(workDir, 'uploads'))
      expect(body.path).toMatch(/[/\\][0-9a-f]{32}\.(csv|jsonl)$/)
      expect(body.name).not.toMatch(/[/\\]/)
    }
    expect(existsSync(join(workDir, 'etc'))).toBe(false)
    expect(readdirSync(join(workDir, 'uploads'))).toHaveLength(5)
  })

  it('refuses extensions outside the allow-list and empty files', async () => {
    const web = await start()
    for (const name of ['payload.exe', 'players.xlsx.sh', 'noextension', '', 'book.xls']) {
      const response = await upload(web, name, 'x')
      expect(response.status).toBe(415)
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Only \.xlsx, \.csv, \.jsonl, \.ndjson, \.txt files/)
    }
    const empty = await upload(web, 'empty.csv', '')
    expect(empty.status).toBe(400)
    expect(readdirSync(join(workDir, 'uploads'))).toEqual([])
  })

  it('refuses a body over the size limit with 413 and a clear message, declared or streamed, and keeps nothing', async () => {
    const web = await start(1024)
    const declared = await upload(web, 'big.csv', Buffer.alloc(4096, 0x61))
    expect(declared.status).toBe(413)
    expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/larger than the upload limit .*1024 bytes/)
    // Chunked: no Content-Length, so the limit is found while streaming.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: web.port, method: 'POST', path: '/api/upload?name=big.csv', headers: { Authorization: `Bearer ${web.token}`, 'Transfer-Encoding': 'chunked' } },
        (response) => {
          let body = ''
          response.on('data', (chunk: Buffer) => (body += chunk.toString()))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
        },
      )
      request.on('error', reject)
      for (let index = 0; index < 8; index += 1) request.write(Buffer.alloc(512, 0x62))
      request.end()
    })
    expect(streamed.status).toBe(413)
    expect(streamed.body).toMatch(/upload limit/)
    expect(readdirSync(join(workDir, 'uploads'))).toEqual([])
    // Within the limit still works.
    expect((await upload(web, 'small.csv', 'player_id\n1\n')).status).toBe(200)
  })

  it('hands out export paths in its own folder and downloads only those', async () => {
    const web = await start()
    const auth = { Authorization: `Bearer ${web.token}` }
    const refused = await fetch(`${base(web)}/api/export-path?name=${encodeURIComponent('../x.sh')}`, { method: 'POST', headers: auth })
    expect(refused.status).toBe(415)
    const given = (await (await fetch(`${base(web)}/api/export-path?name=${encodeURIComponent('../../quarantine 3.xlsx')}`, { method: 'POST', headers: auth })).json()) as {
      path: string
      download: string
    }
    expect(dirname(given.path)).toBe(join(workDir, 'exports'))
    expect(given.path).toMatch(/quarantine-3-[0-9a-f]{12}\.xlsx$/)
    // Not written yet → 404; once written, downloadable.
    expect((await fetch(`${base(web)}${given.download}`, { headers: auth })).status).toBe(404)
    writeFileSync(given.path, 'PK fake workbook')
    const downloaded = await fetch(`${base(web)}${given.download}`, { headers: auth })
    expect(downloaded.status).toBe(200)
    expect(downloaded.headers.get('content-disposition')).toMatch(/^attachment; filename="quarantine-3-/)
    expect(await downloaded.text()).toBe('PK fake workbook')
    // Any other file, even inside the work folder or the database itself, is not served.
    const uploaded = (await (await upload(web, 'a.csv', 'abc')).json()) as { path: string }
    for (const path of [uploaded.path, backend!.services.database.path, '/etc/passwd', join(workDir, 'exports', '..', 'uploads')]) {
      expect((await fetch(`${base(web)}/api/download?path=${encodeURIComponent(path)}`, { headers: auth })).status).toBe(404)
    }
    expect((await fetch(`${base(web)}${given.download}`)).status).toBe(401)
  })
})
