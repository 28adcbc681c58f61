// What a call costs on the way to a handler: the dispatcher alone (validation, bookkeeping) and
// the same call over the web host's loopback HTTP. system/ping does no work, so this is pure
// transport overhead. Also times opening a backend on a new database (migrations included).
import { join } from 'node:path'
import { openBackend, type Backend } from '../../../src/main/backend'
import { startWebHost } from '../../../src/main/web/server'
import { perSecond, ratio, timed, withTempDir, type BenchResult, type Suite } from '../lib'

const echo = 'x'

/** Throws unless the API answered the ping, so a broken transport cannot report a fast rate. */
function checkPing(result: unknown): void {
  const data = (result as { data?: { echo?: unknown } } | null)?.data
  if (data?.echo !== echo) throw new Error(`system/ping failed: ${JSON.stringify(result)}`)
}

async function inProcessRate(backend: Backend, calls: number): Promise<number> {
  const callOnce = async () => checkPing(await backend.dispatcher.dispatch('system/ping', { echo }, 'b1', () => {}))
  for (let i = 0; i < 1_000; i += 1) await callOnce() // warm-up: let the JIT settle first
  const { seconds } = await timed(async () => {
    for (let i = 0; i < calls; i += 1) await callOnce()
  })
  return perSecond(calls, seconds)
}

async function httpRate(backend: Backend, staticDir: string, calls: number, concurrency: number): Promise<number> {
  const host = await startWebHost({ dispatcher: backend.dispatcher, staticDir })
  try {
    const endpoint = `http://127.0.0.1:${host.port}/api/call`
    const headers = { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }
    // Each worker has its own callId: the dispatcher refuses two running calls with one id.
    const bodies = Array.from({ length: concurrency }, (_, worker) =>
      JSON.stringify({ name: 'system/ping', input: { echo }, callId: `b${worker + 1}` }),
    )
    // `concurrency` workers share one bounded counter, so at most that many requests are in flight.
    const runCalls = async (total: number) => {
      let issued = 0
      const worker = async (body: string) => {
        while (issued < total) {
          issued += 1
          const response = await fetch(endpoint, { method: 'POST', headers, body })
          checkPing(await response.json())
        }
      }
      await Promise.all(bodies.map(worker))
    }
    await runCalls(200) // warm-up: open the keep-alive connections before timing
    const { seconds } = await timed(() => runCalls(calls))
    return perSecond(calls, seconds)
  } finally {
    await host.close()
  }
}

const suite: Suite = {
  name: 'api',
  description: 'API transport overhead',
  async run({ quick }) {
    const inProcessCalls = quick ? 20_000 : 200_000
    const httpCalls = quick ? 1_000 : 5_000
    const concurrency = 8
    return withTempDir(async (dir) => {
      const { value: backend, seconds: openSeconds } = await timed(() =>
        openBackend({ runtime: 'test', databasePath: join(dir, 'bench.sqlite'), dataDir: dir }),
      )
      try {
        const inProcess = await inProcessRate(backend, inProcessCalls)
        const http = await httpRate(backend, dir, httpCalls, concurrency)
        const results: BenchResult[] = [
          { suite: 'api', name: 'openBackend, new database', value: openSeconds * 1000, unit: 'ms', note: 'migrations applied' },
          {
            suite: 'api',
            name: 'in-process dispatch',
            value: inProcess,
            unit: 'calls/s',
            note: `${inProcessCalls.toLocaleString('en-US')} sequential system/ping calls`,
          },
          {
            suite: 'api',
            name: 'HTTP loopback',
            value: http,
            unit: 'calls/s',
            note: `${httpCalls.toLocaleString('en-US')} calls, ${concurrency} in flight, fetch keep-alive`,
            peers: { 'in-process dispatch': ratio(http, inProcess) },
          },
        ]
        return results
      } finally {
        backend.close()
      }
    })
  },
}

export default suite
