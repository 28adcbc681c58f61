import { rmSync } from 'node:fs'
import { LedgerDatabase } from '../src/main/ledger/database'
import { importFile } from '../src/main/jobs/import-file'
const db = '/tmp/prof/imp.sqlite'
for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
const d = LedgerDatabase.open({ path: db })
const t0 = performance.now()
const s = await importFile(d, { path: process.argv[2]!, asOf: '2026-11-20', defaultAsOf: '2026-11-20', now: '2026-11-20T12:00:00.000Z', minorDigits: 2, dateOrder: 'DMY' })
console.log('import', s.accepted, ((performance.now() - t0) / 1000).toFixed(2))
d.close()
