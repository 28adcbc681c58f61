// API methods for the scenarios and what-if simulation. Their names are listed, free of zod, in ./simulation-names.ts.
// Build each entry with method() from ../method, as contract.ts does.
export const simulationContract = {} as const
