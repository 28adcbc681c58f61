// `npm run web`: the same app in a browser, served on 127.0.0.1 with a per-launch token.
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { openBackend } from '../backend'
import { appRoot, defaultDataDir, resolveDatabasePath } from '../paths'
import { startWebHost } from './server'

const usage = `Usage: npm run web -- [--db PATH] [--port N]

Serves Loyalty Workstation on http://127.0.0.1 (loopback only) and prints the URL to open.
  --db PATH   database file (default: the desktop app's, or $LOYALTY_DB)
  --port N    port to listen on (default: a free one)
`

async function run(): Promise<void> {
  let values: { db?: string; port?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: { db: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }))
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`)
    process.exit(2)
  }
  if (values.help) {
    process.stdout.write(usage)
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(values.port)}\n`)
    process.exit(2)
  }
  let backend
  try {
    backend = openBackend({ runtime: 'web', databasePath: resolveDatabasePath(values.db), dataDir: defaultDataDir() })
  } catch (error) {
    process.stderr.write(`loyalty web: ${(error as Error).message}\n`)
    process.exit(1)
  }
  const host = await startWebHost({ dispatcher: backend.dispatcher, staticDir: join(appRoot(), 'out', 'renderer'), port })
  process.stdout.write(`Loyalty Workstation is running. Open this URL in a browser (it carries this launch's access token):\n\n    ${host.url}\n\nDatabase: ${backend.services.database.path}\nPress Ctrl+C to stop.\n`)
  const stop = () => {
    void host.close().then(() => {
      backend.close()
      process.exit(0)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

void run()
