// The Import screen's state, in a store rather than the component: an import or a process run
// keeps going (and its result stays) while the operator looks at other screens.
import { create } from 'zustand'
import type { ProgressEvent } from '../../../../shared/api/progress'
import type { ApiError } from '../../../../shared/api/result'
import type { ImportPreview, ImportSummary, ProcessSummary } from '../../../../shared/api/types'
import { api } from '../../api/client'
import { exportDestination } from '../../api/export-destination'
import { idleJob, rowsFromMessage, type JobState } from '../../api/job'
import { uploadFile } from '../../api/upload'
import { loadProfile, saveProfile } from './mapping-profiles'

export interface ImportSource {
  /** Where the server reads it: a File → Open path, or the path the upload endpoint chose. */
  path: string
  /** The name the operator knows it by. */
  name: string
}

export interface ImportedFile {
  source: ImportSource
  summary: ImportSummary
}

interface ImportState {
  source?: ImportSource
  upload?: { sent: number; total: number }
  sourceError?: string
  preview?: ImportPreview
  previewLoading: boolean
  previewError?: ApiError
  sheet?: string
  /** Source header → field name or "ignore"; what the operator changed in the mapping editor. */
  mapping: Record<string, string>
  /** Applied from a saved profile for this header set. */
  profileApplied: boolean
  asOf: string
  /** Unset: the order saved in Settings applies. */
  dateOrder?: 'DMY' | 'MDY'
  importJob: JobState<{ imports: ImportSummary[] }>
  processJob: JobState<ProcessSummary>
  /** Files imported since the screen was opened, newest last: "Process now" evaluates with them. */
  imported: ImportedFile[]
  quarantineExport?: { importId: number; path: string; download?: string; rows: number } | { importId: number; error: string }

  chooseUpload: (file: File) => Promise<void>
  choosePath: (path: string) => Promise<void>
  setSheet: (sheet: string) => Promise<void>
  mapColumn: (header: string, field: string) => Promise<void>
  setAsOf: (asOf: string) => void
  setDateOrder: (order: 'DMY' | 'MDY') => void
  runImport: () => Promise<void>
  runProcess: () => Promise<void>
  cancel: (which: 'import' | 'process') => void
  exportQuarantine: (importId: number) => Promise<void>
  clearSource: () => void
}

const controllers: { import?: AbortController; process?: AbortController; upload?: AbortController } = {}
let previewGeneration = 0

function baseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path
}

function progressUpdate<T>(job: JobState<T>, event: ProgressEvent): JobState<T> {
  return { ...job, progress: event, rows: rowsFromMessage(event.message) ?? job.rows }
}

export const useImportStore = create<ImportState>((set, get) => {
  async function loadPreview(options: { applyProfile: boolean }): Promise<void> {
    const { source, sheet, mapping } = get()
    if (!source) return
    const generation = ++previewGeneration
    set({ previewLoading: true, previewError: undefined })
    const hasMapping = Object.keys(mapping).length > 0
    const result = await api.call('import/preview', { path: source.path, ...(sheet ? { sheet } : {}), ...(hasMapping ? { mapping } : {}) })
    if (generation !== previewGeneration) return
    if (result.error) {
      set({ previewLoading: false, previewError: result.error, preview: undefined })
      return
    }
    const preview = result.data
    if (options.applyProfile && !hasMapping && preview.kind !== 'events') {
      const saved = loadProfile(preview.columns.map((column) => column.header))
      if (saved && Object.keys(saved).length > 0) {
        set({ mapping: saved, profileApplied: true })
        await loadPreview({ applyProfile: false })
        return
      }
    }
    set({ preview, previewLoading: false, sheet: sheet ?? preview.sheet })
  }

  async function startSource(source: ImportSource): Promise<void> {
    set({ source, sourceError: undefined, preview: undefined, sheet: undefined, mapping: {}, profileApplied: false, importJob: idleJob, quarantineExport: undefined })
    await loadPreview({ applyProfile: true })
  }

  return {
    previewLoading: false,
    mapping: {},
    profileApplied: false,
    asOf: '',
    dateOrder: undefined,
    importJob: idleJob,
    processJob: idleJob,
    imported: [],

    async chooseUpload(file) {
      controllers.upload?.abort()
      const controller = new AbortController()
      controllers.upload = controller
      set({ upload: { sent: 0, total: file.size }, sourceError: undefined, source: undefined, preview: undefined, previewError: undefined, importJob: idleJob })
      try {
        const uploaded = await uploadFile(file, (sent, total) => set({ upload: { sent, total } }), controller.signal)
        set({ upload: undefined })
        await startSource({ path: uploaded.path, name: uploaded.name || file.name })
      } catch (error) {
        set({ upload: undefined, sourceError: error instanceof Error ? error.message : String(error) })
      }
    },

    async choosePath(path) {
      await startSource({ path, name: baseName(path) })
    },

    async setSheet(sheet) {
      set({ sheet, mapping: {}, profileApplied: false })
      await loadPreview({ applyProfile: true })
    },

    async mapColumn(header, field) {
      set((state) => ({ mapping: { ...state.mapping, [header]: field } }))
      await loadPreview({ applyProfile: false })
    },

    setAsOf: (asOf) => set({ asOf }),
    setDateOrder: (dateOrder) => set({ dateOrder }),

    async runImport() {
      const { source, sheet, mapping, dateOrder, preview, imported } = get()
      // An events file without a date of its own belongs with the summary imported before it
      // (as in `loyalty process`), so its timestamps are checked against that summary's date.
      const asOf = get().asOf || (preview?.kind === 'events' ? imported.filter((each) => each.summary.kind === 'summary').at(-1)?.summary.asOf : undefined)
      if (!source || get().importJob.status === 'running') return
      const controller = new AbortController()
      controllers.import = controller
      set({ importJob: { status: 'running', startedAt: Date.now() }, quarantineExport: undefined })
      const hasMapping = Object.keys(mapping).length > 0
      const result = await api.call(
        'import/files',
        { paths: [source.path], ...(sheet ? { sheet } : {}), ...(hasMapping ? { mapping } : {}), ...(asOf ? { asOf } : {}), ...(dateOrder ? { dateOrder } : {}) },
        { signal: controller.signal, onProgress: (event) => set((state) => ({ importJob: progressUpdate(state.importJob, event) })) },
      )
      if (result.error) {
        set((state) => ({ importJob: { ...state.importJob, status: result.error.code === 'cancelled' ? 'cancelled' : 'failed', error: result.error } }))
        return
      }
      const summary = result.data.imports[0]
      if (hasMapping && preview) saveProfile(preview.columns.map((column) => column.header), mapping)
      set((state) => ({
        importJob: { ...state.importJob, status: 'done', result: result.data },
        imported: summary ? [...state.imported.filter((each) => each.source.path !== source.path), { source, summary }] : state.imported,
      }))
    },

    async runProcess() {
      if (get().processJob.status === 'running') return
      const { imported, asOf, dateOrder } = get()
      const controller = new AbortController()
      controllers.process = controller
      set({ processJob: { status: 'running', startedAt: Date.now() } })
      // The files of this session are passed again: they are recognised as imported (nothing is
      // added), and the evaluation takes its as-of date from the newest summary among them.
      const result = await api.call(
        'process/run',
        { paths: imported.map((each) => each.source.path), ...(asOf ? { asOf } : {}), ...(dateOrder ? { dateOrder } : {}) },
        { signal: controller.signal, onProgress: (event) => set((state) => ({ processJob: progressUpdate(state.processJob, event) })) },
      )
      if (result.error) {
        set((state) => ({ processJob: { ...state.processJob, status: result.error.code === 'cancelled' ? 'cancelled' : 'failed', error: result.error } }))
        return
      }
      set((state) => ({ processJob: { ...state.processJob, status: 'done', result: result.data } }))
    },

    cancel(which) {
      controllers[which]?.abort()
    },

    async exportQuarantine(importId) {
      try {
        const { path, download } = await exportDestination(`quarantine-import-${importId}-${Date.now()}.xlsx`)
        const result = await api.call('import/quarantine-export', { importId, path })
        if (result.error) throw new Error(result.error.message)
        set({ quarantineExport: { importId, path: result.data.path, rows: result.data.rows, ...(download ? { download } : {}) } })
      } catch (error) {
        set({ quarantineExport: { importId, error: error instanceof Error ? error.message : String(error) } })
      }
    },

    clearSource() {
      previewGeneration += 1
      set({ source: undefined, preview: undefined, previewError: undefined, sourceError: undefined, mapping: {}, sheet: undefined, importJob: idleJob, quarantineExport: undefined })
    },
  }
})
