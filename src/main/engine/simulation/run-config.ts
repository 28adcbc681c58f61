// One configuration evaluated over the base, as the pipeline does it (metrics → abuse → segments →
// rules), with the player table and abuse scores shared between configurations whose abuse
// settings are equal: the scenario and the live configuration then differ only in what they change,
// and the base is built once (what keeps live vs scenario over a million players fast).
import { detectAbuse, type AbuseResult } from '../abuse'
import { evaluate, type EvaluationResult, type PriorIssue } from '../evaluate'
import { abuseSettingsFrom } from '../pipeline'
import { PlayerTable, type PlayerRecord } from '../player-table'
import { classifySegments, compileSegments } from '../segments'
import type { Configuration } from './scenario-config'

export interface PreparedBase {
  table: PlayerTable
  abuse: AbuseResult
  /** The abuse settings it was scored with, as JSON, to know when it can be shared. */
  abuseKey: string
}

export interface ConfigRun {
  base: PreparedBase
  segments: Uint8Array
  evaluation: EvaluationResult
}

export function prepareBase(players: readonly PlayerRecord[], configuration: Configuration, asOf: string, reuse?: PreparedBase): PreparedBase {
  const abuseSettings = abuseSettingsFrom(configuration.settings)
  const abuseKey = JSON.stringify(abuseSettings)
  if (reuse && reuse.abuseKey === abuseKey) return reuse
  const table = new PlayerTable(players, asOf)
  const abuse = detectAbuse(table.records, abuseSettings)
  table.setAbuseScores(abuse.scores)
  return { table, abuse, abuseKey }
}

export function runConfiguration(base: PreparedBase, configuration: Configuration, asOf: string, history?: readonly PriorIssue[]): ConfigRun {
  const { settings } = configuration
  const compiled = compileSegments(settings.segments, settings.currency.minorDigits)
  if (!compiled.segments) throw new Error(`Segment settings are invalid: ${compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`)
  const segments = classifySegments(compiled.segments, base.table)
  const evaluation = evaluate({
    table: base.table,
    rules: configuration.rules,
    settings,
    asOf,
    segments,
    tiers: base.table.records.map((record) => record.tier),
    abuseScores: base.abuse.scores,
    history,
  })
  return { base, segments, evaluation }
}
