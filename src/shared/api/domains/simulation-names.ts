// The names of ./simulation.ts's methods, free of zod for the preload (method-names.ts joins every list).
export const simulationNames = [] as const
