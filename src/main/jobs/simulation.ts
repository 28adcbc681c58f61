// The what-if jobs: load the current base as `process` would see it (players, tiers, the ledger's
// reward history), evaluate the live configuration and the scenario side by side, optionally run
// the Monte Carlo and write the workbook. Reads only: nothing here writes to the database.
import { resolve } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import type { SensitivityResult, SimulationRunResult } from '../../shared/api/types-simulation'
import { scenarioInputSchema, type Scenario, type SensitivityParameter, type SensitivityRange } from '../../shared/scenario-schema'
import type { PriorHistory } from '../engine/evaluate'
import type { PlayerRecord } from '../engine/player-table'
import { simulationSteps } from '../engine/simulation/compare'
import { buildMonteCarloModel, summariseTrials } from '../engine/simulation/monte-carlo'
import { describeChanges } from '../engine/simulation/scenario-config'
import { sensitivitySteps } from '../engine/simulation/sensitivity'
import { prefaultedChunks } from './prefaulted-chunks'
import type { LedgerDatabase } from '../ledger/database'
import { runMonteCarloTrials } from './monte-carlo-pool'
import { loadPlayers } from './player-loader'
import { priorIssues } from './prior-issues'
import { getScenario, liveConfiguration, scenarioConfiguration } from './scenario-store'
import { writeSimulationWorkbook } from './simulation-export'
import { decideTiers, loadTierLadder } from './tier-step'

export interface SimulationBase {
  players: PlayerRecord[]
  history: PriorHistory
  asOf: string
}

export interface JobControl {
  signal?: AbortSignal
  progress?: (update: { done: number; total?: number; unit: string; message?: string }) => void
  /** Today, for a database without a dated import. */
  today: string
  /** Now (ISO timestamp), shown on the workbook. */
  now: string
}

/** Runs a step generator, yielding to the event loop between steps so a cancel request can arrive. */
async function drive<S, R>(steps: Generator<S, R>, onStep: (step: S) => void, signal: AbortSignal | undefined, what: string): Promise<R> {
  for (;;) {
    await new Promise((resolvePromise) => setImmediate(resolvePromise))
    if (signal?.aborted) throw new ApiFailure('cancelled', `The ${what} was cancelled.`)
    const next = steps.next()
    if (next.done) return next.value
    onStep(next.value)
  }
}

/** The base as of the newest player summary imported (or `asOf`), with tiers decided as process would. */
export function loadSimulationBase(database: LedgerDatabase, asOf: string | undefined, today: string, ignoreHistory = false): SimulationBase {
  const newest = (database.readRaw("SELECT max(as_of) AS asOf FROM imports WHERE kind = 'summary' AND status = 'completed'").get() as { asOf: string | null }).asOf
  const date = asOf ?? newest ?? today
  const loaded = loadPlayers(database)
  if (loaded.records.length === 0) throw new ApiFailure('invalid_input', 'There are no players to simulate over: import a player summary file first.')
  decideTiers(database, loaded, loadTierLadder(database), date)
  return { players: loaded.records, history: ignoreHistory ? [] : priorIssues(database, loaded), asOf: date }
}

function resolveScenario(database: LedgerDatabase, input: { scenarioId?: number; scenario?: unknown }): { id?: number; scenario: Scenario } {
  if (input.scenarioId !== undefined) {
    const record = getScenario(database, input.scenarioId)
    return { id: record.id, scenario: { name: record.name, description: record.description, changes: record.changes } }
  }
  const parsed = scenarioInputSchema.safeParse(input.scenario)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ApiFailure('invalid_input', `The scenario is invalid at ${issue.path.join('.') || '(scenario)'}: ${issue.message}.`, { issues: parsed.error.issues })
  }
  return { scenario: parsed.data }
}

export interface SimulationRunInput {
  scenarioId?: number
  scenario?: unknown
  asOf?: string
  ignoreHistory?: boolean
  monteCarlo?: { trials: number; seed: number; threads?: number }
  exportPath?: string
  /** Players listed per eligibility list in the result (all go to the workbook). */
  listLimit?: number
}

export async function runSimulationJob(database: LedgerDatabase, input: SimulationRunInput, control: JobControl): Promise<SimulationRunResult> {
  const { id, scenario } = resolveScenario(database, input)
  const live = liveConfiguration(database)
  const configured = scenarioConfiguration(live, scenario.changes)
  control.progress?.({ done: 0, unit: 'steps', message: 'loading the base' })
  const base = loadSimulationBase(database, input.asOf, control.today, input.ignoreHistory)
  const detail = await drive(
    simulationSteps({
    players: base.players,
    asOf: base.asOf,
    history: base.history,
    live,
    scenario: configured,
    changes: describeChanges(live, configured),
    listLimit: input.listLimit,
    chunks: prefaultedChunks(),
    }),
    (step) => control.progress?.({ done: step.done, total: step.total, unit: 'steps', message: step.step }),
    control.signal,
    'simulation',
  )
  let monteCarlo: SimulationRunResult['monteCarlo']
  if (input.monteCarlo && input.monteCarlo.trials > 0) {
    const model = buildMonteCarloModel(
      { run: detail.live.run, side: detail.live.side, settings: live.settings },
      { run: detail.scenario.run, side: detail.scenario.side, settings: configured.settings },
    )
    const trials = await runMonteCarloTrials(model, {
      trials: input.monteCarlo.trials,
      seed: input.monteCarlo.seed,
      threads: input.monteCarlo.threads,
      signal: control.signal,
      onProgress: (done, total) => control.progress?.({ done, total, unit: 'trials', message: 'Monte Carlo' }),
    })
    monteCarlo = summariseTrials(trials.live, trials.scenario, input.monteCarlo.seed)
  }
  const result: SimulationRunResult = { scenario: { ...(id !== undefined ? { id } : {}), name: scenario.name }, comparison: detail.comparison, ...(monteCarlo ? { monteCarlo } : {}) }
  if (input.exportPath) {
    control.progress?.({ done: 0, unit: 'rows', message: 'writing the workbook' })
    const written = await writeSimulationWorkbook({ path: resolve(input.exportPath), scenario, result, detail, settings: { live: live.settings, scenario: configured.settings }, signal: control.signal, generatedAt: new Date(control.now) })
    result.export = { path: written.path, bytes: written.bytes }
  }
  return result
}

export interface SensitivityJobInput {
  scenarioId?: number
  scenario?: unknown
  asOf?: string
  ignoreHistory?: boolean
  parameter: SensitivityParameter
  range: SensitivityRange
}

export async function runSensitivityJob(database: LedgerDatabase, input: SensitivityJobInput, control: JobControl): Promise<SensitivityResult> {
  const { scenario } = resolveScenario(database, input)
  const live = liveConfiguration(database)
  const configured = scenarioConfiguration(live, scenario.changes)
  const base = loadSimulationBase(database, input.asOf, control.today, input.ignoreHistory)
  try {
    return await drive(
      sensitivitySteps({ players: base.players, asOf: base.asOf, history: base.history, live, scenario: configured, parameter: input.parameter, range: input.range, chunks: prefaultedChunks() }),
      (step) => control.progress?.({ done: step.done, total: step.total, unit: 'steps', message: 'sensitivity' }),
      control.signal,
      'sensitivity run',
    )
  } catch (error) {
    if (error instanceof RangeError) throw new ApiFailure('invalid_input', `The sensitivity parameter cannot be swept: ${error.message}.`)
    throw error
  }
}
