// A what-if scenario: a named set of changes to the live configuration (engine settings and reward
// rules). It is only ever evaluated beside the live configuration; it never touches the ledger until
// an operator applies it. Money is in major units, as in engine settings and rule files.
import { z } from 'zod'
import { engineSettingsSchema, segmentConfigSchema } from './engine-settings'
import { ruleIdPattern, ruleSchema } from './rule-schema'

const settingsShape = engineSettingsSchema.shape
// The sub-schemas of the live settings, without their defaults: a scenario names only what it changes.
const capsShape = settingsShape.caps.unwrap().shape
const retentionShape = settingsShape.retention.unwrap().shape

export const scenarioChangesSchema = z
  .object({
    /** Replaces the segment order and fallback as a whole (the thresholds live inside it). */
    segments: segmentConfigSchema.optional(),
    rules: z
      .object({
        /** Full definitions of live rules, by rule_id: each becomes the rule's next version. */
        edit: z.array(ruleSchema).max(500).default([]),
        /** New rules (rule_id not used by a live rule). */
        add: z.array(ruleSchema).max(500).default([]),
        /** Live rules to switch off (their status becomes "paused"). */
        disable: z.array(z.string().regex(ruleIdPattern, 'expected a rule id')).max(500).default([]),
      })
      .strict()
      .optional(),
    /** Each window given replaces that window's caps (a currency left out is uncapped); globalDay is the global daily budget. */
    caps: z
      .object({
        perPlayerDay: capsShape.perPlayerDay.unwrap().optional(),
        perPlayerWeek: capsShape.perPlayerWeek.unwrap().optional(),
        perPlayerMonth: capsShape.perPlayerMonth.unwrap().optional(),
        globalDay: capsShape.globalDay.unwrap().optional(),
      })
      .strict()
      .optional(),
    /** Per game type; merged over the live edges (a type left out keeps its live edge). */
    houseEdges: z.record(z.string().min(1).max(64), z.number().finite().min(0).max(1)).optional(),
    /** Merged over the live multipliers. */
    retention: z
      .object({ bySegment: retentionShape.bySegment.unwrap().optional(), byCurrency: retentionShape.byCurrency.unwrap().optional() })
      .strict()
      .optional(),
    safetyFactor: z.number().finite().min(0).max(1).optional(),
  })
  .strict()

export const scenarioInputSchema = z
  .object({
    name: z.string().trim().min(1, 'a scenario needs a name').max(100),
    description: z.string().max(2000).default(''),
    changes: scenarioChangesSchema.default({}),
  })
  .strict()

export type ScenarioChangesInput = z.input<typeof scenarioChangesSchema>
export type ScenarioChanges = z.output<typeof scenarioChangesSchema>
/** What an operator (or the Segments/Rules screens) hands over to be simulated or saved. */
export type ScenarioInput = z.input<typeof scenarioInputSchema>
export type Scenario = z.output<typeof scenarioInputSchema>

/** The one parameter a sensitivity run sweeps, on top of the scenario. */
export const sensitivityParameterSchema = z.discriminatedUnion('kind', [
  /** House edge of one game type (0.04 = 4%). */
  z.object({ kind: z.literal('houseEdge'), game: z.string().min(1).max(64) }).strict(),
  /** A rule's formula multiplied by the value (1 = as written; 1.5 = half as much again). */
  z.object({ kind: z.literal('ruleFactor'), ruleId: z.string().regex(ruleIdPattern, 'expected a rule id') }).strict(),
  /** One cap, major units (money) or points. */
  z.object({ kind: z.literal('cap'), window: z.enum(['perPlayerDay', 'perPlayerWeek', 'perPlayerMonth', 'globalDay']), currency: z.enum(['LP', 'RP', 'BONUS', 'TICKETS']) }).strict(),
  z.object({ kind: z.literal('safetyFactor') }).strict(),
])

export const sensitivityRangeSchema = z
  .object({ from: z.number().finite().min(0).max(1e12), to: z.number().finite().min(0).max(1e12), steps: z.number().int().min(2).max(41).default(11) })
  .strict()
  .refine((range) => range.to > range.from, { message: 'to must be above from', path: ['to'] })

export type SensitivityParameter = z.output<typeof sensitivityParameterSchema>
export type SensitivityRange = z.output<typeof sensitivityRangeSchema>
