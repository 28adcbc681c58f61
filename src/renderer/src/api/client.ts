import { createClient } from '../../../shared/api/client'
import { trackJobs } from '../stores/jobs'
import { defaultTransport } from './transport'

// Long jobs are listed in the header's job indicator whichever screen started them.
export const api = trackJobs(createClient(defaultTransport()))
