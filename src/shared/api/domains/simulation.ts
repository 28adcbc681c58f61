// API methods for the scenarios and what-if simulation. Their names are listed, free of zod, in ./simulation-names.ts.
import { z } from 'zod'
import { method } from '../method'
import { calendarDateSchema } from '../../calendar-date'
import { scenarioInputSchema, sensitivityParameterSchema, sensitivityRangeSchema } from '../../scenario-schema'
import type { ApplyPreview, ApplyResult, ConfigChange, ScenarioListRow, ScenarioRecord, SensitivityResult, SimulationRunResult } from '../types-simulation'

const scenarioId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
const isoDate = calendarDateSchema
/** A saved scenario by id, or one given inline (not saved): exactly one of the two. */
const scenarioChoice = {
  scenarioId: scenarioId.optional(),
  scenario: scenarioInputSchema.optional(),
  /** The date the base is evaluated as of; default: the newest player summary imported. */
  asOf: isoDate.optional(),
  /** Evaluate as if no reward had been issued yet (frequency, caps and budgets start empty), to compare rule designs. */
  ignoreHistory: z.boolean().default(false),
}
const oneScenario = (value: { scenarioId?: number; scenario?: unknown }) => (value.scenarioId === undefined) !== (value.scenario === undefined)
const oneScenarioMessage = { message: 'give either scenarioId (a saved scenario) or scenario (one to simulate without saving), not both', path: ['scenarioId'] }

export const simulationContract = {
  'scenarios/list': method<{ scenarios: ScenarioListRow[] }>()({
    input: z.object({}).strict(),
    kind: 'query',
    summary: 'Saved what-if scenarios, most recently changed first.',
  }),
  'scenarios/get': method<ScenarioRecord>()({
    input: z.object({ id: scenarioId }).strict(),
    kind: 'query',
    summary: 'One saved scenario with its changes.',
  }),
  'scenarios/save': method<ScenarioRecord>()({
    input: z.object({ id: scenarioId.optional(), scenario: scenarioInputSchema }).strict(),
    kind: 'command',
    summary: 'Save a scenario (new, or replacing scenario id) after checking it applies to the live configuration. Never touches the ledger.',
  }),
  'scenarios/duplicate': method<ScenarioRecord>()({
    input: z.object({ id: scenarioId, name: z.string().trim().min(1).max(100).optional() }).strict(),
    kind: 'command',
    summary: 'Copy a scenario under a new name.',
  }),
  'scenarios/delete': method<{ deleted: number }>()({
    input: z.object({ id: scenarioId }).strict(),
    kind: 'command',
    summary: 'Delete a saved scenario.',
  }),
  'scenarios/compare': method<{ a: ScenarioRecord; b: ScenarioRecord; changes: ConfigChange[] }>()({
    input: z.object({ a: scenarioId, b: scenarioId }).strict(),
    kind: 'query',
    summary: 'What scenario b does differently from scenario a, both over the live configuration.',
  }),
  'simulation/run': method<SimulationRunResult>()({
    input: z
      .object({
        ...scenarioChoice,
        /** Seeded Monte Carlo over player outcomes; absent = expected values only. */
        monteCarlo: z.object({ trials: z.number().int().min(1).max(100_000), seed: z.number().int().min(0).max(2 ** 32 - 1).default(1) }).strict().optional(),
        exportPath: z.string().min(1).max(4096).regex(/\.xlsx$/i, 'expected a workbook file name ending in .xlsx').optional(),
        /** Players listed per eligibility list in the result (the workbook lists all). */
        listLimit: z.number().int().min(0).max(10_000).default(500),
      })
      .strict()
      .refine(oneScenario, oneScenarioMessage),
    kind: 'job',
    summary: 'Evaluate the live configuration and the scenario over the whole current base and compare them; optionally a Monte Carlo and an Excel workbook.',
  }),
  'simulation/sensitivity': method<SensitivityResult>()({
    input: z.object({ ...scenarioChoice, parameter: sensitivityParameterSchema, range: sensitivityRangeSchema }).strict().refine(oneScenario, oneScenarioMessage),
    kind: 'job',
    summary: "The scenario's net expected impact as one parameter (house edge, a rule's formula factor, a cap, the safety factor) sweeps a range.",
  }),
  'simulation/apply-preview': method<ApplyPreview>()({
    input: z.object({ scenarioId }).strict(),
    kind: 'query',
    summary: 'Exactly what applying the scenario would change: settings paths and rule versions.',
  }),
  'simulation/apply': method<ApplyResult>()({
    input: z.object({ scenarioId, reason: z.string().trim().min(1).max(500).optional() }).strict(),
    kind: 'command',
    summary: 'Make the scenario the live configuration: new rule versions and settings, in one transaction, audited.',
  }),
} as const
