// `npm start` where no Electron binary exists must explain itself and stop, not hang.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

describe('npm start without an Electron binary', () => {
  it('exits 1 quickly with a message that points to npm run web', () => {
    const started = Date.now()
    const result = spawnSync(process.execPath, [join('scripts', 'start-electron.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(process.cwd(), 'no-electron-here') },
      timeout: 60_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/no Electron [\d.]+ binary is available on this machine/)
    expect(result.stderr).toMatch(/npm run web/)
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})
