// Saved what-if scenarios: stored, listed, duplicated, compared and deleted here. A scenario only
// ever lives in the `scenarios` table; applying one (apply-scenario.ts) is the only way it reaches
// the live configuration. Every save checks the scenario against the live configuration, so a
// saved scenario names rules that exist and formulas that compile.
import { ApiFailure } from '../../shared/api/result'
import type { ConfigChange, ScenarioListRow, ScenarioRecord } from '../../shared/api/types-simulation'
import { scenarioInputSchema, type Scenario, type ScenarioChanges } from '../../shared/scenario-schema'
import { applyScenario, describeChanges, type Configuration, type ScenarioConfiguration } from '../engine/simulation/scenario-config'
import type { LedgerDatabase } from '../ledger/database'
import { readEngineSettings } from '../ledger/settings-store'
import { loadRules } from './rule-store'

export function liveConfiguration(database: LedgerDatabase): Configuration {
  const settings = readEngineSettings(database)
  return { settings, rules: loadRules(database, settings.currency.minorDigits).map((each) => each.rule) }
}

/** The scenario over the live configuration; refuses with every problem's path when it cannot apply. */
export function scenarioConfiguration(live: Configuration, changes: ScenarioChanges): ScenarioConfiguration {
  const configured = applyScenario(live, changes, live.settings.currency.minorDigits)
  if (configured.problems.length > 0) {
    throw new ApiFailure(
      'invalid_input',
      `The scenario cannot apply to the live configuration: ${configured.problems.slice(0, 10).map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
      { problems: configured.problems },
    )
  }
  return configured
}

interface ScenarioRow {
  id: number
  name: string
  description: string
  changes: string
  createdBy: string
  createdAt: string
  updatedAt: string
}

const selectScenario = 'SELECT id, name, description, changes, created_by AS createdBy, created_at AS createdAt, updated_at AS updatedAt FROM scenarios'

function recordFrom(row: ScenarioRow): ScenarioRecord {
  // Stored by saveScenario after validation; parsed again so an edited row is never used half-understood.
  const parsed = scenarioInputSchema.shape.changes.safeParse(JSON.parse(row.changes))
  if (!parsed.success) throw new ApiFailure('invalid_input', `Saved scenario ${row.id} ("${row.name}") is invalid at ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}.`)
  return { ...row, changes: parsed.data }
}

function changeCount(changes: ScenarioChanges): number {
  const rules = changes.rules ? changes.rules.edit.length + changes.rules.add.length + changes.rules.disable.length : 0
  const settings = (['segments', 'caps', 'houseEdges', 'retention', 'safetyFactor'] as const).filter((key) => changes[key] !== undefined).length
  return rules + settings
}

export function getScenario(database: LedgerDatabase, id: number): ScenarioRecord {
  const row = database.readRaw(`${selectScenario} WHERE id = ?`).get(id) as ScenarioRow | undefined
  if (!row) throw new ApiFailure('not_found', `There is no scenario ${id}.`)
  return recordFrom(row)
}

export function listScenarios(database: LedgerDatabase): ScenarioListRow[] {
  const rows = database.readRaw(`${selectScenario} ORDER BY updated_at DESC, id DESC`).all() as ScenarioRow[]
  return rows.map((row) => {
    const record = recordFrom(row)
    return { id: record.id, name: record.name, description: record.description, changeCount: changeCount(record.changes), updatedAt: record.updatedAt }
  })
}

export interface SaveOptions {
  /** Replace this scenario; absent = a new one. */
  id?: number
  actor: string
  now: string
}

/** Saves a scenario after checking it applies to the live configuration. Names are unique. */
export function saveScenario(database: LedgerDatabase, input: unknown, options: SaveOptions): ScenarioRecord {
  const parsed = scenarioInputSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ApiFailure('invalid_input', `The scenario is invalid at ${issue.path.join('.') || '(scenario)'}: ${issue.message}.`, { issues: parsed.error.issues })
  }
  const scenario: Scenario = parsed.data
  scenarioConfiguration(liveConfiguration(database), scenario.changes)
  const id = database.write((_transaction, statements) => {
    const clash = statements.prepare('SELECT id FROM scenarios WHERE name = ?').get(scenario.name) as { id: number } | undefined
    if (clash && clash.id !== options.id) throw new ApiFailure('conflict', `A scenario named "${scenario.name}" already exists (scenario ${clash.id}); choose another name.`)
    const changes = JSON.stringify(scenario.changes)
    if (options.id !== undefined) {
      const updated = statements.prepare('UPDATE scenarios SET name = ?, description = ?, changes = ?, updated_at = ? WHERE id = ?').run(scenario.name, scenario.description, changes, options.now, options.id)
      if (updated.changes === 0) throw new ApiFailure('not_found', `There is no scenario ${options.id}.`)
      return options.id
    }
    const inserted = statements
      .prepare('INSERT INTO scenarios (name, description, changes, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
      .get(scenario.name, scenario.description, changes, options.actor, options.now, options.now) as { id: number }
    return inserted.id
  })
  return getScenario(database, id)
}

/** A copy under a new name ("<name> (copy)", "(copy 2)", … when none is given). */
export function duplicateScenario(database: LedgerDatabase, id: number, options: { name?: string; actor: string; now: string }): ScenarioRecord {
  const original = getScenario(database, id)
  let name = options.name
  if (!name) {
    const taken = new Set((database.readRaw('SELECT name FROM scenarios').all() as { name: string }[]).map((row) => row.name))
    for (let copy = 1; !name || taken.has(name); copy += 1) name = `${original.name.slice(0, 88)} (copy${copy > 1 ? ` ${copy}` : ''})`
  }
  return saveScenario(database, { name, description: original.description, changes: original.changes }, { actor: options.actor, now: options.now })
}

export function deleteScenario(database: LedgerDatabase, id: number): { deleted: number } {
  return database.write((_transaction, statements) => {
    const result = statements.prepare('DELETE FROM scenarios WHERE id = ?').run(id)
    if (result.changes === 0) throw new ApiFailure('not_found', `There is no scenario ${id}.`)
    return { deleted: id }
  })
}

/** What scenario `b` does differently from scenario `a`, both over today's live configuration. */
export function compareScenarios(database: LedgerDatabase, a: number, b: number): { a: ScenarioRecord; b: ScenarioRecord; changes: ConfigChange[] } {
  const live = liveConfiguration(database)
  const first = getScenario(database, a)
  const second = getScenario(database, b)
  return { a: first, b: second, changes: describeChanges(scenarioConfiguration(live, first.changes), scenarioConfiguration(live, second.changes)) }
}
