// The header's job indicator lists what trackJobs records: every call of a job method while it
// runs (with its progress), never a query, and its Cancel reaches the call's abort signal.
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiClient, CallOptions } from '../../../shared/api/client'
import { trackJobs, useJobs } from './jobs'

interface Pending {
  name: string
  options?: CallOptions
  finish: () => void
}

function fakeClient(): { client: ApiClient; pending: Pending[] } {
  const pending: Pending[] = []
  const client: ApiClient = {
    call: (name, _input, options) =>
      new Promise((resolve) => {
        const finish = () => resolve({ data: {} as never })
        pending.push({ name, options, finish })
        options?.signal?.addEventListener('abort', () => resolve({ error: { code: 'cancelled', message: 'cancelled' } }))
      }),
  }
  return { client, pending }
}

afterEach(() => useJobs.setState({ running: [] }))

describe('trackJobs', () => {
  it('lists a job while it runs, with its progress, and drops it when it ends', async () => {
    const { client, pending } = fakeClient()
    const seen: number[] = []
    const call = trackJobs(client).call('ledger/verify', {}, { onProgress: (event) => seen.push(event.done) })
    expect(useJobs.getState().running.map((job) => [job.name, job.label])).toEqual([['ledger/verify', 'Verifying the ledger']])
    pending[0]!.options!.onProgress!({ callId: 'x', done: 40, total: 100, unit: 'transfers' })
    expect(useJobs.getState().running[0]!.progress?.done).toBe(40)
    expect(seen).toEqual([40]) // the caller still gets its progress
    pending[0]!.finish()
    await call
    expect(useJobs.getState().running).toEqual([])
  })

  it('does not list queries', async () => {
    const { client, pending } = fakeClient()
    const call = trackJobs(client).call('players/list', {})
    expect(useJobs.getState().running).toEqual([])
    pending[0]!.finish()
    await call
  })

  it("Cancel in the indicator aborts the call, and the caller's own abort still works", async () => {
    const { client } = fakeClient()
    const tracked = trackJobs(client)
    const first = tracked.call('process/run', {})
    useJobs.getState().running[0]!.cancel()
    expect((await first).error?.code).toBe('cancelled')
    const controller = new AbortController()
    const second = tracked.call('import/files', { paths: ['a.csv'] }, { signal: controller.signal })
    controller.abort()
    expect((await second).error?.code).toBe('cancelled')
    expect(useJobs.getState().running).toEqual([])
  })
})
