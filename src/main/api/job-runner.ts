// Runs a long job in the host's worker thread when it has one (desktop, web: the thread answering
// the UI stays free), else in this thread (CLI, tests).
import { jobBodies, type JobInput, type JobName, type JobResult } from '../jobs/job-bodies'
import type { HandlerContext } from './dispatcher'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

export function jobRunner(services: Services) {
  return <K extends JobName>(job: K, input: JobInput<K>, context: HandlerContext): Promise<JobResult<K>> => {
    const jobContext = { signal: context.signal, progress: context.progress, actor: operatorName() }
    if (services.jobs) return services.jobs.run(job, input, jobContext)
    return (jobBodies[job] as (db: typeof services.database, input: JobInput<K>, context: typeof jobContext) => Promise<JobResult<K>>)(services.database, input, jobContext)
  }
}
