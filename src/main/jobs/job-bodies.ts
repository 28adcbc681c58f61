// The long jobs behind the API (import, process, simulation, report export), written once. They run wherever the host puts
// them: in a worker thread for the desktop app and the web host (the thread answering the UI stays
// free), or in-process for the CLI and tests. Each opens nothing itself: it gets the database.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { ParsedInputOf, ResultOf } from '../../shared/api/contract'
import type { ProgressEvent } from '../../shared/api/progress'
import { ApiFailure } from '../../shared/api/result'
import type { ImportSummary, ProcessSummary } from '../../shared/api/types'
import type { LedgerDatabase } from '../ledger/database'
import { resourcesDir } from '../paths'
import { readEngineSettings, readPreferences } from '../ledger/settings-store'
import { importFile } from './import-file'
import { fileRefusal } from './file-refusal'
import { processFiles } from './process'
import { runSensitivityJob, runSimulationJob } from './simulation'
import { exportReports } from '../reports'
import type { SensitivityResult, SimulationRunResult } from '../../shared/api/types-simulation'

export interface JobContext {
  signal: AbortSignal
  progress(update: Omit<ProgressEvent, 'callId'>): void
  /** Who is acting, for the audit trail. */
  actor: string
}

export type JobName = 'import/files' | 'process/run' | 'simulation/run' | 'simulation/sensitivity' | 'reports/export'
export type JobInput<K extends JobName> = ParsedInputOf<K>
interface JobResults {
  'import/files': { imports: ImportSummary[] }
  'process/run': ProcessSummary
  'simulation/run': SimulationRunResult
  'simulation/sensitivity': SensitivityResult
  'reports/export': ResultOf<'reports/export'>
}
export type JobResult<K extends JobName> = JobResults[K]

/** The rule set installed when `process` runs on a database with no rules yet. */
export function defaultRulesPath(): string {
  return join(resourcesDir(), 'samples', 'rules.json')
}

/** A rule file: a JSON array of rules in the seed's shape. Parse errors name the position. */
export async function readRulesFile(path: string): Promise<unknown[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ApiFailure('not_found', `Cannot read the rules file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ApiFailure('invalid_input', `The rules file ${path} is not valid JSON: ${(error as Error).message}.`)
  }
  if (!Array.isArray(parsed)) throw new ApiFailure('invalid_input', `The rules file ${path} must hold a JSON array of rules, found ${parsed === null ? 'null' : typeof parsed}.`)
  return parsed
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

export async function importFilesJob(database: LedgerDatabase, input: JobInput<'import/files'>, context: JobContext): Promise<JobResult<'import/files'>> {
  const settings = readEngineSettings(database)
  const imports: ImportSummary[] = []
  for (const path of input.paths) {
    try {
      imports.push(
        await importFile(database, {
          path: resolve(path),
          asOf: input.asOf,
          defaultAsOf: today(),
          now: new Date().toISOString(),
          minorDigits: settings.currency.minorDigits,
          dateOrder: input.dateOrder ?? readPreferences(database).dateOrder,
          decimalSeparator: input.decimalSeparator,
          sheet: input.sheet,
          mapping: input.mapping,
          signal: context.signal,
          onProgress: (progress) =>
            context.progress(
              progress.totalBytes > 0
                ? { done: progress.bytes, total: progress.totalBytes, unit: 'bytes', message: `${progress.rows.toLocaleString('en-US')} rows` }
                : { done: progress.rows, unit: 'rows', message: `${progress.rows.toLocaleString('en-US')} rows` },
            ),
        }),
      )
    } catch (error) {
      throw fileRefusal(error, path, imports)
    }
  }
  return { imports }
}

export async function processJob(database: LedgerDatabase, input: JobInput<'process/run'>, context: JobContext): Promise<JobResult<'process/run'>> {
  const rules = input.rulesPath ? await readRulesFile(resolve(input.rulesPath)) : undefined
  const defaults = defaultRulesPath()
  const defaultRules = existsSync(defaults) ? await readRulesFile(defaults) : undefined
  return processFiles(database, {
    files: input.paths.map((path) => resolve(path)),
    rules,
    defaultRules: defaultRules ? () => defaultRules : undefined,
    asOf: input.asOf,
    defaultAsOf: today(),
    now: new Date().toISOString(),
    actor: context.actor,
    dryRun: input.dryRun,
    reportPath: input.reportPath ? resolve(input.reportPath) : undefined,
    import: { sheet: input.sheet, mapping: input.mapping, dateOrder: input.dateOrder ?? readPreferences(database).dateOrder, decimalSeparator: input.decimalSeparator },
    signal: context.signal,
    onProgress: (step, done, total) => context.progress({ done, total, unit: step.startsWith('import') ? 'bytes' : 'steps', message: step }),
  })
}

export async function simulationJob(database: LedgerDatabase, input: JobInput<'simulation/run'>, context: JobContext): Promise<JobResult<'simulation/run'>> {
  return runSimulationJob(database, input, { signal: context.signal, progress: context.progress, today: today(), now: new Date().toISOString() })
}

export async function sensitivityJob(database: LedgerDatabase, input: JobInput<'simulation/sensitivity'>, context: JobContext): Promise<JobResult<'simulation/sensitivity'>> {
  return runSensitivityJob(database, input, { signal: context.signal, progress: context.progress, today: today(), now: new Date().toISOString() })
}

export async function reportsExportJob(database: LedgerDatabase, input: JobInput<'reports/export'>, context: JobContext): Promise<JobResult<'reports/export'>> {
  const { path, reports, granularity, overwrite, from, to } = input
  return exportReports(database, { path: resolve(path), reports, granularity, from, to }, new Date(), {
    overwrite,
    signal: context.signal,
    onProgress: (progress) => context.progress({ done: progress.rows, unit: 'rows', message: `writing ${progress.view}` }),
  })
}

// Annotated as a mapped type (not `satisfies`) so jobBodies[job] for a generic job is that job's own body type.
export const jobBodies: { [K in JobName]: (database: LedgerDatabase, input: JobInput<K>, context: JobContext) => Promise<JobResult<K>> } = {
  'import/files': importFilesJob,
  'process/run': processJob,
  'simulation/run': simulationJob,
  'simulation/sensitivity': sensitivityJob,
  'reports/export': reportsExportJob,
}
