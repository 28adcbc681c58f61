// The names of ./operations.ts's methods, free of zod for the preload (method-names.ts joins every list).
export const operationsNames = ['settings/get', 'settings/save', 'dashboard/summary', 'ledger/transfers'] as const
