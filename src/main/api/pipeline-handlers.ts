// Import and process (the read models they feed are in player-handlers.ts).
import { resolve } from 'node:path'
import type { ImportListRow } from '../../shared/api/types'
import { readEngineSettings } from '../ledger/settings-store'
import { exportQuarantine } from '../jobs/quarantine-export'
import type { HandlerGroup } from './dispatcher'
import { jobRunner } from './job-runner'
import type { Services } from './services'

export function pipelineHandlers(services: Services) {
  const { database } = services
  const runJob = jobRunner(services)
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
