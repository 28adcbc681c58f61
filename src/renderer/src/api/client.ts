import { createClient } from '../../../shared/api/client'
import { defaultTransport } from './transport'

export const api = createClient(defaultTransport())
