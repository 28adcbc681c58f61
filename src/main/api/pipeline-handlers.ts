// Import and process (the read models they feed are in player-handlers.ts).
import { resolve } from 'node:path'
import type { ImportListRow } from '../../shared/api/types'
import { readEngineSettings } from '../ledger/settings-store'
import { exportQuarantine } from '../jobs/quarantine-export'
import { jobBodies, type JobInput, type JobName, type JobResult } from '../jobs/job-bodies'
import type { HandlerContext, HandlerGroup } from './dispatcher'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

export function pipelineHandlers(services: Services) {
  const { database } = services
  // In a worker thread when the host provides one (desktop, web), else here (CLI, tests).
  const runJob = <K extends JobName>(job: K, input: JobInput<K>, context: HandlerContext): Promise<JobResult<K>> => {
    const jobContext = { signal: context.signal, progress: context.progress, actor: operatorName() }
    if (services.jobs) return services.jobs.run(job, input, jobContext)
    return (jobBodies[job] as (db: typeof database, input: JobInput<K>, context: typeof jobContext) => Promise<JobResult<K>>)(database, input, jobContext)
  }
  return {
    'import/files': (input, context) => runJob('import/files', input, context),
    'process/run': (input, context) => runJob('process/run', input, context),
    'import/list': ({ limit }) => ({
      imports: database
        .readRaw(
          'SELECT id AS importId, kind, file_name AS file, as_of AS asOf, rows_total AS rows, rows_accepted AS accepted, rows_rejected AS rejected, ' +
            'started_at AS importedAt FROM imports ORDER BY id DESC LIMIT ?',
        )
        .all(limit) as ImportListRow[],
    }),
    'import/quarantine-export': ({ importId, path, overwrite }, context) =>
      exportQuarantine(database, { importId, path: resolve(path), overwrite, minorDigits: readEngineSettings(database).currency.minorDigits, signal: context.signal }),
  } satisfies HandlerGroup
}
