#!/usr/bin/env node
// Thin launcher: the CLI itself is built into out/main by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'loyalty: the command is not built yet. In the checkout, run `npm install` (it builds) or `npm run build`.\n',
  )
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
