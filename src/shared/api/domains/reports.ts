// API methods for the reports and their Excel export. Their names are listed, free of zod, in ./reports-names.ts.
// Build each entry with method() from ../method, as contract.ts does.
export const reportsContract = {} as const
