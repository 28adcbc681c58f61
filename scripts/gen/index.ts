// `npm run gen -- --players 1000000 --format xlsx|csv [--out PATH] [--seed N] [--events]`: writes a
// large synthetic player summary (and, with --events, JSONL activity events for the same players
// beside it) and says where and how long it took.
// `npm run gen -- --samples`: regenerates resources/samples/ (players.xlsx, events, README).
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultSyntheticSeed, writeSyntheticEvents, writeSyntheticPlayers } from './synthetic'

const usage = `Usage:
  npm run gen -- --players N --format xlsx|csv [--out PATH] [--seed N] [--events]
  npm run gen -- --samples

  --players N    number of players (rows), e.g. 1000000
  --format F     xlsx or csv
  --out PATH     output file (default: ./synthetic-players-<N>.<format>)
  --seed N       seed of the generator (default ${defaultSyntheticSeed}); same seed, same file
  --events       also write JSONL activity events for those players (<out without extension>.events.jsonl)
  --samples      regenerate resources/samples/ instead`

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`)
  process.exit(2)
}

function seconds(start: bigint): string {
  return `${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(2)} s`
}

function count(value: number): string {
  return value.toLocaleString('en-US')
}

async function main(): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({
      options: {
        players: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        events: { type: 'boolean', default: false },
        samples: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    })
  } catch (error) {
    fail((error as Error).message)
  }
  const { values } = parsed
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return
  }
  if (values.samples) {
    // Imported here so a synthetic run does not load the engine.
    const { samplePaths, writeSamples } = await import('./samples')
    const start = process.hrtime.bigint()
    const { outcome } = await writeSamples()
    const paths = samplePaths()
    process.stdout.write(`Wrote ${paths.players}, ${paths.events}, ${paths.eventsCsv} and ${paths.readme} in ${seconds(start)}\n`)
    process.stdout.write(`${outcome.summary.players} players: ${JSON.stringify(outcome.summary.segments)}\n`)
    return
  }

  const players = Number(values.players?.replace(/[_,]/g, ''))
  if (values.players === undefined || !Number.isSafeInteger(players) || players < 0) fail('--players needs a whole number of 0 or more')
  const format = values.format
  if (format !== 'csv' && format !== 'xlsx') fail('--format must be csv or xlsx')
  const seed = values.seed === undefined ? defaultSyntheticSeed : Number(values.seed)
  if (!Number.isSafeInteger(seed)) fail('--seed needs a whole number')
  const out = resolve(values.out ?? `synthetic-players-${players}.${format}`)

  const start = process.hrtime.bigint()
  await writeSyntheticPlayers(out, { players, format, seed })
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9
  process.stdout.write(`Wrote ${count(players)} players to ${out} in ${elapsed.toFixed(2)} s (${count(Math.round(players / Math.max(elapsed, 1e-9)))} rows/s)\n`)
  if (values.events) {
    const eventsPath = out.replace(/\.(csv|xlsx)$/i, '') + '.events.jsonl'
    const eventsStart = process.hrtime.bigint()
    const { events } = await writeSyntheticEvents(eventsPath, { players, seed })
    process.stdout.write(`Wrote ${count(events)} events to ${eventsPath} in ${seconds(eventsStart)}\n`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
