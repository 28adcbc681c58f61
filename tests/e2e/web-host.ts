// Starts the real web host (the built `out/main/web.js`, as `npm run web` does) on a fresh database.
// global-setup starts the one most specs share; a spec that fills the database starts its own, so
// specs that expect an empty database (shell.spec.ts) pass in any order.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface E2eWebHost {
  url: string
  databasePath: string
  stop(): Promise<void>
}

export async function startE2eWebHost(): Promise<E2eWebHost> {
  const folder = mkdtempSync(join(tmpdir(), 'lw-e2e-'))
  const databasePath = join(folder, 'e2e.sqlite')
  const server = spawn(process.execPath, ['out/main/web.js', '--db', databasePath], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not print its URL in 20 s:\n${output}`)), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[0])
      }
    }
    server.stdout.on('data', onData)
    server.stderr.on('data', onData)
    server.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)))
  })
  return {
    url,
    databasePath,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGTERM')
        await exited
      }
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
