// Every long job (an API method of kind "job": import, process, verify, exports …) that is running,
// whichever screen started it, so the header can show their progress and offer Cancel while the
// operator works elsewhere. The API client registers them here (see trackJobs).
import { create } from 'zustand'
import { contract, type MethodName } from '../../../shared/api/contract'
import type { ApiClient } from '../../../shared/api/client'
import type { ProgressEvent } from '../../../shared/api/progress'

export interface RunningJob {
  id: number
  name: MethodName
  label: string
  startedAt: number
  progress?: ProgressEvent
  cancel: () => void
}

interface JobsState {
  running: RunningJob[]
}

export const useJobs = create<JobsState>(() => ({ running: [] }))

const labels: Partial<Record<MethodName, string>> = {
  'import/files': 'Importing',
  'process/run': 'Processing the base',
  'ledger/verify': 'Verifying the ledger',
  'ledger/expire': 'Expiring lots and points',
  'payouts/export': 'Exporting payouts',
  'payouts/confirm': 'Confirming payouts',
  'import/quarantine-export': 'Exporting quarantined rows',
}

export function jobLabel(name: MethodName): string {
  return labels[name] ?? name
}

function isJob(name: MethodName): boolean {
  return contract[name]?.kind === 'job'
}

let nextId = 0

/** Wraps a client so each call of a job method is listed in useJobs while it runs. */
export function trackJobs(client: ApiClient): ApiClient {
  return {
    async call(name, input, options) {
      if (!isJob(name)) return client.call(name, input, options)
      const id = ++nextId
      const controller = new AbortController()
      const callerSignal = options?.signal
      const forward = () => controller.abort()
      if (callerSignal?.aborted) controller.abort()
      callerSignal?.addEventListener('abort', forward, { once: true })
      const update = (change: Partial<RunningJob>) => useJobs.setState((state) => ({ running: state.running.map((job) => (job.id === id ? { ...job, ...change } : job)) }))
      useJobs.setState((state) => ({ running: [...state.running, { id, name, label: jobLabel(name), startedAt: Date.now(), cancel: () => controller.abort() }] }))
      try {
        return await client.call(name, input, {
          signal: controller.signal,
          onProgress: (event) => {
            update({ progress: event })
            options?.onProgress?.(event)
          },
        })
      } finally {
        callerSignal?.removeEventListener('abort', forward)
        useJobs.setState((state) => ({ running: state.running.filter((job) => job.id !== id) }))
      }
    },
  }
}
