// temporary profiling harness (not committed)
import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { LedgerDatabase } from '../src/main/ledger/database'
import { processFiles } from '../src/main/jobs/process'
import { readRulesFile, defaultRulesPath } from '../src/main/jobs/job-bodies'
const base = '/tmp/prof/base.sqlite'
const db = '/tmp/prof/run.sqlite'
const file = process.argv[2]!
const rules = await readRulesFile(defaultRulesPath())
if (!existsSync(base)) {
  const d = LedgerDatabase.open({ path: base })
  const t0 = performance.now()
  await processFiles(d, { files: [file], rules, asOf: '2026-11-20', defaultAsOf: '2026-11-20', now: '2026-11-20T12:00:00.000Z', actor: 'bench', dryRun: true })
  console.log('import+dry', ((performance.now() - t0) / 1000).toFixed(1))
  d.close()
}
for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
copyFileSync(base, db)
const d = LedgerDatabase.open({ path: db })
let last = performance.now(); let lastStep = 'start'
const t0 = last
await processFiles(d, { files: [], rules, asOf: '2026-11-20', defaultAsOf: '2026-11-20', now: '2026-11-20T12:00:00.000Z', actor: 'bench', dryRun: false,
  onProgress: (step) => { if (step !== lastStep) { const now = performance.now(); console.log(lastStep, ((now - last) / 1000).toFixed(2)); last = now; lastStep = step } } })
console.log(lastStep, ((performance.now() - last) / 1000).toFixed(2), 'total', ((performance.now() - t0) / 1000).toFixed(2))
d.close()
