// `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: runs the registered suites one after
// another in this process, prints one table and writes bench-results.json at the repo root.
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { formatTable, startPeakRssSampler, type BenchResult, type Suite } from './lib'
import api from './suites/api'
import engine from './suites/engine'
import importReaders from './suites/import'
import ledger from './suites/ledger'
import playersUi from './suites/players-ui'
import processRun from './suites/process'
import sqlite from './suites/sqlite'
import simulation from './suites/simulation'
import uiLatency from './suites/ui-latency'

/** Every suite, in run order. Add new suites here. */
const suites: Suite[] = [sqlite, api, engine, ledger, importReaders, processRun, simulation, playersUi, uiLatency]

const resultsPath = fileURLToPath(new URL('../../bench-results.json', import.meta.url))

function usage(): string {
  const width = Math.max(...suites.map((suite) => suite.name.length))
  return [
    'Usage: npm run bench -- [--quick] [--only NAME[,NAME]]',
    '',
    '  --quick        sizes scaled down ~10× (a smoke run, not a measurement)',
    '  --only NAMES   run only these suites (comma-separated)',
    '  --help         show this help',
    '',
    'Suites:',
    ...suites.map((suite) => `  ${suite.name.padEnd(width)}  ${suite.description}`),
    '',
    `Results are printed and written to ${resultsPath}.`,
  ].join('\n')
}

function parseOptions(): { quick: boolean; selected: Suite[] } | undefined {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean', default: false } },
  })
  if (values.help) {
    console.log(usage())
    return undefined
  }
  const names = values.only?.split(',').map((name) => name.trim()).filter((name) => name !== '')
  const unknown = (names ?? []).filter((name) => !suites.some((suite) => suite.name === name))
  if (unknown.length > 0) throw new Error(`Unknown suite ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`)
  return { quick: values.quick, selected: names ? suites.filter((suite) => names.includes(suite.name)) : suites }
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>
  try {
    options = parseOptions()
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage()}`)
    process.exitCode = 2
    return
  }
  if (options === undefined) return
  const { quick, selected } = options

  const results: BenchResult[] = []
  for (const suite of selected) {
    console.error(`• ${suite.name}: ${suite.description}${quick ? ' (quick)' : ''}…`) // progress on stderr, table on stdout
    const sampler = startPeakRssSampler()
    const start = process.hrtime.bigint()
    try {
      results.push(...(await suite.run({ quick })))
    } catch (error) {
      // One broken suite should not hide the others' numbers; the exit code still reports it.
      console.error(`  ${suite.name} failed:`, error)
      process.exitCode = 1
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    const peak = sampler.stop()
    results.push({
      suite: suite.name,
      name: 'peak RSS',
      value: peak.bytes / 2 ** 20,
      unit: 'MiB',
      note: `${peak.exact ? 'process high-water mark' : 'sampled every 50 ms'}; suite took ${seconds.toFixed(1)} s`,
    })
  }

  console.log(formatTable(results))
  const cpuList = cpus()
  const report = {
    date: new Date().toISOString(),
    quick, // smoke-run numbers must not be mistaken for measurements
    machine: { cpus: cpuList.length, cpuModel: cpuList[0]?.model ?? 'unknown', totalMemoryBytes: totalmem(), node: process.version },
    results,
  }
  writeFileSync(resultsPath, JSON.stringify(report, null, 2) + '\n')
  console.error(`Wrote ${resultsPath}`)
}

await main()
