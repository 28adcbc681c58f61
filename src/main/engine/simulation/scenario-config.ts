// A scenario applied to the live configuration: the settings and compiled rules it would run with,
// and the list of differences an operator confirms before applying it. Pure.
import { engineSettingsSchema, type EngineSettings } from '../../../shared/engine-settings'
import type { ConfigChange } from '../../../shared/api/types-simulation'
import type { RuleDefinition } from '../../../shared/rule-schema'
import type { ScenarioChanges } from '../../../shared/scenario-schema'
import { compileRule, sortRules, type CompiledRule, type RuleProblem } from '../rules'
import { compileSegments } from '../segments'

export interface Configuration {
  settings: EngineSettings
  /** Current versions, in evaluation order. */
  rules: readonly CompiledRule[]
}

export interface ScenarioConfiguration extends Configuration {
  /** Definitions the scenario saves as new versions when applied (edited, added, disabled). */
  ruleVersions: { ruleId: string; action: 'edit' | 'add' | 'disable'; definition: RuleDefinition; version: number }[]
  problems: RuleProblem[]
}

export function scenarioSettings(live: EngineSettings, changes: ScenarioChanges): { settings: EngineSettings; problems: RuleProblem[] } {
  const merged: Record<string, unknown> = structuredClone(live)
  if (changes.segments) merged.segments = changes.segments
  if (changes.safetyFactor !== undefined) merged.safetyFactor = changes.safetyFactor
  if (changes.houseEdges) merged.houseEdges = { ...live.houseEdges, ...changes.houseEdges }
  if (changes.retention) {
    merged.retention = {
      bySegment: { ...live.retention.bySegment, ...changes.retention.bySegment },
      byCurrency: { ...live.retention.byCurrency, ...changes.retention.byCurrency },
    }
  }
  if (changes.caps) merged.caps = { ...live.caps, ...changes.caps }
  const parsed = engineSettingsSchema.safeParse(merged)
  if (!parsed.success) {
    return { settings: live, problems: parsed.error.issues.map((issue) => ({ path: `settings.${issue.path.join('.')}`, message: issue.message })) }
  }
  return { settings: parsed.data, problems: [] }
}

/** The live configuration with the scenario's changes; problems name the change that cannot apply. */
export function applyScenario(live: Configuration, changes: ScenarioChanges, minorDigits: number): ScenarioConfiguration {
  const { settings, problems } = scenarioSettings(live.settings, changes)
  if (changes.segments) {
    // Thresholds on unknown metrics or of the wrong kind are refused here, at save time, not mid-run.
    const compiled = compileSegments(settings.segments, minorDigits)
    problems.push(...compiled.errors.map((error) => ({ path: `segments.${error.path}`, message: error.message })))
  }
  const byId = new Map(live.rules.map((rule) => [rule.ruleId, rule]))
  const ruleVersions: ScenarioConfiguration['ruleVersions'] = []
  const compileAt = (definition: RuleDefinition, version: number, path: string) => {
    const compiled = compileRule(definition, { minorDigits }, version, path)
    if (!compiled.ok) {
      problems.push(...compiled.problems)
      return undefined
    }
    return compiled.rule
  }
  const edits = changes.rules ?? { edit: [], add: [], disable: [] }
  edits.edit.forEach((definition, index) => {
    const current = byId.get(definition.rule_id)
    if (!current) {
      problems.push({ path: `rules.edit[${index}].rule_id`, message: `there is no live rule ${definition.rule_id} to edit; put a new rule under rules.add` })
      return
    }
    const rule = compileAt(definition, current.version + 1, `rules.edit[${index}]`)
    if (!rule) return
    byId.set(rule.ruleId, rule)
    ruleVersions.push({ ruleId: rule.ruleId, action: 'edit', definition, version: rule.version })
  })
  edits.add.forEach((definition, index) => {
    if (byId.has(definition.rule_id)) {
      problems.push({ path: `rules.add[${index}].rule_id`, message: `rule ${definition.rule_id} already exists; change it under rules.edit` })
      return
    }
    const rule = compileAt(definition, 1, `rules.add[${index}]`)
    if (!rule) return
    byId.set(rule.ruleId, rule)
    ruleVersions.push({ ruleId: rule.ruleId, action: 'add', definition, version: 1 })
  })
  edits.disable.forEach((ruleId, index) => {
    const current = byId.get(ruleId)
    if (!current) {
      problems.push({ path: `rules.disable[${index}]`, message: `there is no rule ${ruleId} to disable` })
      return
    }
    if (current.status === 'paused') return
    const definition: RuleDefinition = { ...current.definition, status: 'paused' }
    const edited = ruleVersions.find((each) => each.ruleId === ruleId)
    const version = edited ? edited.version : current.version + 1
    const rule = compileAt(definition, version, `rules.disable[${index}]`)
    if (!rule) return
    byId.set(ruleId, rule)
    if (edited) edited.definition = definition
    else ruleVersions.push({ ruleId, action: 'disable', definition, version })
  })
  return { settings, rules: sortRules([...byId.values()]), ruleVersions, problems }
}

/** Order-independent equality of JSON values (two definitions differing only in key order are the same). */
function sameJson(a: unknown, b: unknown): boolean {
  const stable = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(stable)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined).map((key) => [key, stable((value as Record<string, unknown>)[key])]))
        : value
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b))
}

/** Every leaf that differs between two settings objects, as dotted paths. */
function settingDifferences(from: unknown, to: unknown, path: string, out: ConfigChange[]): void {
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)
  if (isObject(from) && isObject(to) && path !== 'segments.order') {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()
    for (const key of keys) settingDifferences(from[key], to[key], path ? `${path}.${key}` : key, out)
    return
  }
  if (!sameJson(from, to)) out.push({ area: 'setting', path, from: from ?? null, to: to ?? null })
}

/** The fields of a rule definition that differ (top level, reward.* one level down). */
function ruleFieldDifferences(from: RuleDefinition, to: RuleDefinition): string[] {
  const fields: string[] = []
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort() as (keyof RuleDefinition)[]
  for (const key of keys) {
    if (key === 'reward') {
      const a = from.reward as Record<string, unknown>
      const b = to.reward as Record<string, unknown>
      for (const field of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (!sameJson(a[field], b[field])) fields.push(`reward.${field}`)
      }
    } else if (!sameJson(from[key], to[key])) fields.push(key)
  }
  return fields
}

/**
 * What `to` changes relative to `from`: settings paths, then rules (added, disabled, or edited with
 * the fields that differ). Live → scenario is what applying it would do; scenario → scenario compares two.
 */
export function describeChanges(from: Configuration, to: Configuration): ConfigChange[] {
  const changes: ConfigChange[] = []
  settingDifferences(from.settings, to.settings, '', changes)
  const before = new Map(from.rules.map((rule) => [rule.ruleId, rule]))
  for (const rule of [...to.rules].sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))) {
    const current = before.get(rule.ruleId)
    if (!current) {
      changes.push({ area: 'rule', action: 'add', ruleId: rule.ruleId, toVersion: rule.version, fields: [] })
      continue
    }
    const fields = ruleFieldDifferences(current.definition, rule.definition)
    if (fields.length === 0) continue
    const disabled = fields.length === 1 && fields[0] === 'status' && rule.status === 'paused'
    changes.push({ area: 'rule', action: disabled ? 'disable' : 'edit', ruleId: rule.ruleId, fromVersion: current.version, toVersion: rule.version, fields })
  }
  return changes
}
