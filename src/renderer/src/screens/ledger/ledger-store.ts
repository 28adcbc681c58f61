// The Ledger screen's jobs (verify, payout export, payout confirmation) live in a store, not the
// component: they keep running, and their results stay, while the operator looks at other screens.
import { create } from 'zustand'
import type { PayoutConfirmResult, PayoutExportResult, VerifyReport } from '../../../../shared/api/types'
import { api } from '../../api/client'
import { exportDestination } from '../../api/export-destination'
import { idleJob, type JobState } from '../../api/job'
import { uploadFile } from '../../api/upload'

export type PayoutFormat = 'xlsx' | 'csv'

interface LedgerState {
  verifyJob: JobState<VerifyReport>
  exportJob: JobState<PayoutExportResult & { download?: string }>
  confirmJob: JobState<PayoutConfirmResult>
  /** Moves whenever this screen changed the ledger, so lists reload. */
  generation: number
  verify: () => Promise<void>
  exportPayouts: (format: PayoutFormat) => Promise<void>
  confirmPayouts: (source: { file: File } | { path: string }) => Promise<void>
  bump: () => void
}

const controllers: { verify?: AbortController; export?: AbortController; confirm?: AbortController } = {}

export function cancelLedgerJob(which: keyof typeof controllers): void {
  controllers[which]?.abort()
}

function failed<T>(job: JobState<T>, error: { code: string; message: string }): JobState<T> {
  return { ...job, status: error.code === 'cancelled' ? 'cancelled' : 'failed', error: error as JobState<T>['error'] }
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')
}

export const useLedgerStore = create<LedgerState>((set, get) => ({
  verifyJob: idleJob,
  exportJob: idleJob,
  confirmJob: idleJob,
  generation: 0,
  bump: () => set((state) => ({ generation: state.generation + 1 })),

  async verify() {
    if (get().verifyJob.status === 'running') return
    const controller = new AbortController()
    controllers.verify = controller
    set({ verifyJob: { status: 'running', startedAt: Date.now() } })
    const result = await api.call('ledger/verify', {}, { signal: controller.signal, onProgress: (progress) => set((state) => ({ verifyJob: { ...state.verifyJob, progress } })) })
    set((state) => ({ verifyJob: result.error ? failed(state.verifyJob, result.error) : { ...state.verifyJob, status: 'done', result: result.data } }))
  },

  async exportPayouts(format) {
    if (get().exportJob.status === 'running') return
    const controller = new AbortController()
    controllers.export = controller
    set({ exportJob: { status: 'running', startedAt: Date.now() } })
    try {
      const name = `payouts-${stamp()}.${format}`
      const { path, download } = await exportDestination(name)
      const result = await api.call('payouts/export', { path }, { signal: controller.signal, onProgress: (progress) => set((state) => ({ exportJob: { ...state.exportJob, progress } })) })
      set((state) => ({ exportJob: result.error ? failed(state.exportJob, result.error) : { ...state.exportJob, status: 'done', result: { ...result.data, ...(download ? { download } : {}) } } }))
      if (result.data) get().bump()
    } catch (error) {
      set((state) => ({ exportJob: failed(state.exportJob, { code: 'internal', message: error instanceof Error ? error.message : String(error) }) }))
    }
  },

  async confirmPayouts(source) {
    if (get().confirmJob.status === 'running') return
    const controller = new AbortController()
    controllers.confirm = controller
    set({ confirmJob: { status: 'running', startedAt: Date.now() } })
    try {
      const path = 'path' in source ? source.path : (await uploadFile(source.file, undefined, controller.signal)).path
      const result = await api.call('payouts/confirm', { path }, { signal: controller.signal, onProgress: (progress) => set((state) => ({ confirmJob: { ...state.confirmJob, progress } })) })
      set((state) => ({ confirmJob: result.error ? failed(state.confirmJob, result.error) : { ...state.confirmJob, status: 'done', result: result.data } }))
      if (result.data) get().bump()
    } catch (error) {
      set((state) => ({ confirmJob: failed(state.confirmJob, { code: 'internal', message: error instanceof Error ? error.message : String(error) }) }))
    }
  },
}))
