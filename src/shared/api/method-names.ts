// The list of API names, free of zod so the sandboxed preload stays small.
// contract.ts proves at compile time that this list and the contract's keys are the same set.
import { deskNames } from './domains/desk-names'
import { operationsNames } from './domains/operations-names'
import { reportsNames } from './domains/reports-names'
import { simulationNames } from './domains/simulation-names'

const coreNames = ['system/info', 'system/ping', 'db/info', 'files/recent', 'job/cancel', 'ledger/verify', 'ledger/balances', 'payouts/export', 'payouts/confirm', 'payouts/list', 'ledger/adjust', 'ledger/expire', 'import/files', 'import/list', 'import/quarantine-export', 'process/run', 'players/list', 'decisions/list', 'import/preview', 'players/get'] as const

export const methodNames = [...coreNames, ...operationsNames, ...deskNames, ...simulationNames, ...reportsNames] as const

export type MethodNameListed = (typeof methodNames)[number]
