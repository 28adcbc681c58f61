// Runs a long job in the host's worker thread when it has one (desktop, web: the thread answering
// the UI stays free), else in this thread (CLI, tests).
import { jobBodies, type JobInput, type JobName, type JobResult } from '../jobs/job-bodies'
import type { HandlerContext } from './dispatcher'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

const afterJobListeners = new WeakMap<Services, (() => void)[]>()

/** Called after each job that ran in the worker thread finished (it may have changed the data): caches warm up again. */
export function afterWorkerJobs(services: Services, listener: () => void): void {
  const listeners = afterJobListeners.get(services) ?? []
  listeners.push(listener)
  afterJobListeners.set(services, listeners)
}

function notifyAfter<T>(services: Services, job: Promise<T>): Promise<T> {
  const notify = () => {
    for (const listener of afterJobListeners.get(services) ?? []) listener()
  }
  job.then(notify, notify)
  return job
}

export function jobRunner(services: Services) {
  return <K extends JobName>(job: K, input: JobInput<K>, context: HandlerContext): Promise<JobResult<K>> => {
    const jobContext = { signal: context.signal, progress: context.progress, actor: operatorName() }
    if (services.jobs) return notifyAfter(services, services.jobs.run(job, input, jobContext))
    return (jobBodies[job] as (db: typeof services.database, input: JobInput<K>, context: typeof jobContext) => Promise<JobResult<K>>)(services.database, input, jobContext)
  }
}
