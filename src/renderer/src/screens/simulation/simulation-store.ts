// The Simulation screen's state: the scenario being edited (name, description, its changes as JSON
// text the operator can read and edit), the run with its progress and cancel, and the outcome. It
// lives in a store so a run keeps going while the operator looks at another screen.
import { create } from 'zustand'
import type { ProgressEvent } from '../../../../shared/api/progress'
import type { ApiError } from '../../../../shared/api/result'
import type { SimulationRunResult } from '../../../../shared/api/types-simulation'
import type { ScenarioChangesInput, ScenarioInput } from '../../../../shared/scenario-schema'
import { api } from '../../api/client'
import { exportDestination } from '../../api/export-destination'
import { idleJob, type JobState } from '../../api/job'

export interface ScenarioForm {
  /** The saved scenario being edited; undefined = a new one. */
  id?: number
  name: string
  description: string
  /** The `changes` object as pretty JSON. */
  changesText: string
}

export const emptyForm: ScenarioForm = { name: '', description: '', changesText: '{}' }

/** The form's changes, or the reason they are not valid JSON (with the position). */
export function parseChanges(text: string): { changes?: ScenarioChangesInput; error?: string } {
  try {
    const value: unknown = JSON.parse(text.trim() === '' ? '{}' : text)
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'Changes must be a JSON object such as {"safetyFactor": 0.7}.' }
    return { changes: value as ScenarioChangesInput }
  } catch (error) {
    return { error: `Changes are not valid JSON: ${(error as Error).message}` }
  }
}

export function formFromScenario(scenario: ScenarioInput, id?: number): ScenarioForm {
  return { id, name: scenario.name, description: scenario.description ?? '', changesText: JSON.stringify(scenario.changes ?? {}, null, 2) }
}

interface SimulationState {
  form: ScenarioForm
  setForm: (patch: Partial<ScenarioForm>) => void
  trials: number
  setTrials: (trials: number) => void
  ignoreHistory: boolean
  setIgnoreHistory: (value: boolean) => void
  job: JobState<SimulationRunResult>
  run: () => Promise<void>
  cancel: () => void
  /** A problem with the form found before anything was sent. */
  formError?: ApiError
  /** The workbook of the last run: written where, and the browser's download link on the web host. */
  exported?: { running: boolean; path?: string; download?: string; error?: string }
  exportWorkbook: () => Promise<void>
}

/** What the form asks to simulate, as the API's input (shared by the run and the workbook export). */
function runInput(state: Pick<SimulationState, 'form' | 'trials' | 'ignoreHistory'>, changes: ScenarioChangesInput) {
  return {
    scenario: { name: state.form.name.trim() || 'Unsaved scenario', description: state.form.description, changes },
    ignoreHistory: state.ignoreHistory,
    ...(state.trials > 0 ? { monteCarlo: { trials: state.trials, seed: 1 } } : {}),
  }
}

let controller: AbortController | undefined

export const useSimulationStore = create<SimulationState>((set, get) => ({
  form: emptyForm,
  setForm: (patch) => set((state) => ({ form: { ...state.form, ...patch }, formError: undefined })),
  trials: 200,
  setTrials: (trials) => set({ trials }),
  ignoreHistory: false,
  setIgnoreHistory: (ignoreHistory) => set({ ignoreHistory }),
  job: idleJob,
  async run() {
    if (get().job.status === 'running') return
    const { form, trials, ignoreHistory } = get()
    const parsed = parseChanges(form.changesText)
    if (!parsed.changes) {
      set({ formError: { code: 'invalid_input', message: parsed.error! } })
      return
    }
    controller = new AbortController()
    set({ job: { status: 'running', startedAt: Date.now() }, formError: undefined, exported: undefined })
    const result = await api.call(
      'simulation/run',
      runInput({ form, trials, ignoreHistory }, parsed.changes),
      { signal: controller.signal, onProgress: (event: ProgressEvent) => set((state) => ({ job: { ...state.job, progress: event } })) },
    )
    if (result.error) {
      set((state) => ({ job: { ...state.job, status: result.error.code === 'cancelled' ? 'cancelled' : 'failed', error: result.error } }))
      return
    }
    set((state) => ({ job: { ...state.job, status: 'done', result: result.data } }))
  },
  cancel() {
    controller?.abort()
  },
  async exportWorkbook() {
    const parsed = parseChanges(get().form.changesText)
    if (!parsed.changes || get().exported?.running) return
    set({ exported: { running: true } })
    try {
      const name = `simulation-${Date.now()}.xlsx`
      const { path, download } = await exportDestination(name)
      // The same inputs and seed as the run shown, so the workbook holds the same numbers.
      const result = await api.call('simulation/run', { ...runInput(get(), parsed.changes), exportPath: path })
      if (result.error) throw new Error(result.error.message)
      set({ exported: { running: false, path: result.data.export?.path ?? path, ...(download ? { download } : {}) } })
    } catch (error) {
      set({ exported: { running: false, error: error instanceof Error ? error.message : String(error) } })
    }
  },
}))
