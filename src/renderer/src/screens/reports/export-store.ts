// The Excel export of the reports as a job: progress and Cancel while it runs, then the file —
// a download link in the browser (the web host hands out the path), the path on the desktop.
import { create } from 'zustand'
import type { ReportExportResult } from '../../../../shared/api/types-reports'
import type { ProfitGranularity } from '../../../../shared/api/types-reports'
import { api } from '../../api/client'
import { exportDestination } from '../../api/export-destination'
import type { JobState } from '../../api/job'

interface ExportState {
  job: JobState<ReportExportResult & { download?: string }>
  run: (input: { from?: string; to?: string; granularity: ProfitGranularity }) => Promise<void>
  cancel: () => void
}

let controller: AbortController | undefined

export const useReportExport = create<ExportState>((set, get) => ({
  job: { status: 'idle' },
  async run(input) {
    if (get().job.status === 'running') return
    controller = new AbortController()
    set({ job: { status: 'running', startedAt: Date.now() } })
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
    let path: string
    let download: string | undefined
    try {
      ;({ path, download } = await exportDestination(`loyalty-reports-${stamp}.xlsx`))
    } catch (error) {
      set({ job: { status: 'failed', error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } } })
      return
    }
    const result = await api.call('reports/export', { ...input, path }, { signal: controller.signal, onProgress: (event) => set((state) => ({ job: { ...state.job, progress: event } })) })
    if (result.error) {
      set({ job: { status: result.error.code === 'cancelled' ? 'cancelled' : 'failed', error: result.error } })
      return
    }
    set({ job: { status: 'done', result: { ...result.data, ...(download ? { download } : {}) } } })
  },
  cancel() {
    controller?.abort()
  },
}))
