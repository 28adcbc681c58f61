// API methods for the Dashboard, Ledger and Settings screens. Their names are listed, free of zod, in ./operations-names.ts.
// Build each entry with method() from ../method, as contract.ts does.
export const operationsContract = {} as const
