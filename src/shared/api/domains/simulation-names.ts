// The names of ./simulation.ts's methods, free of zod for the preload (method-names.ts joins every list).
export const simulationNames = [
  'scenarios/list',
  'scenarios/get',
  'scenarios/save',
  'scenarios/duplicate',
  'scenarios/delete',
  'scenarios/compare',
  'simulation/run',
  'simulation/sensitivity',
  'simulation/apply-preview',
  'simulation/apply',
] as const
