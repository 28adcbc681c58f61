// One configuration evaluated over the base, as the pipeline does it (metrics → abuse → segments →
// rules), with the player table and abuse scores shared between configurations whose abuse
// settings are equal: the scenario and the live configuration then differ only in what they change,
// and the base is built once (what keeps live vs scenario over a million players fast). The
// evaluation cache goes with the base, so unchanged rules are selected and computed once as well.
import { abuseScores, type AbuseResult } from '../abuse'
import { ColumnArena, type ChunkSource } from '../column-arena'
import { EvaluationCache, evaluate, type EvaluationResult, type PriorHistory } from '../evaluate'
import { abuseSettingsFrom } from '../pipeline'
import { PlayerTable, type PlayerRecord } from '../player-table'
import { classifySegments, compileSegments } from '../segments'
import type { Configuration } from './scenario-config'

export interface PreparedBase {
  table: PlayerTable
  /** Scores and clusters; the signals' details are not kept (a what-if reads only the scores). */
  abuse: AbuseResult
  /** The abuse settings it was scored with, as JSON, to know when it can be shared. */
  abuseKey: string
  /** Tier per player, in table order. */
  tiers: (string | undefined)[]
  /** Candidates, house edges and margins the configurations evaluated over this base can share. */
  cache: EvaluationCache
  /** Where the base's columns (and the what-if runs' own) are cut from; close it when done. */
  arena: ColumnArena
}

export interface ConfigRun {
  base: PreparedBase
  segments: Uint8Array
  evaluation: EvaluationResult
}

/**
 * Bytes of arena per player asked for up front: a what-if at a million players writes ~400 (base
 * columns, scores, safety, candidates and two sets of decisions). Pages never written cost nothing.
 */
const arenaBytesPerPlayer = 512
const arenaMinimumBytes = 1 << 20

export function prepareBase(players: readonly PlayerRecord[], configuration: Configuration, asOf: string, reuse?: PreparedBase, chunks?: ChunkSource): PreparedBase {
  const abuseSettings = abuseSettingsFrom(configuration.settings)
  const abuseKey = JSON.stringify(abuseSettings)
  if (reuse && reuse.abuseKey === abuseKey) return reuse
  // One arena for the base and both configurations' columns, which a what-if keeps together: a
  // few large allocations instead of dozens, each of which could start a full GC (see column-arena).
  const arena = new ColumnArena(Math.max(arenaMinimumBytes, players.length * arenaBytesPerPlayer), chunks)
  const table = new PlayerTable(players, asOf, { columns: arena })
  const abuse = abuseScores(table.records, abuseSettings, table.columns.float64(table.count))
  table.setAbuseScores(abuse.scores)
  // No tiers at all reads the same as an empty list (a tier condition then matches nobody), without a million-slot array.
  const tiers = table.records.some((record) => record.tier !== undefined) ? table.records.map((record) => record.tier) : []
  return { table, abuse, abuseKey, tiers, cache: new EvaluationCache(table), arena }
}

/**
 * `keepWithBase`: the run's own columns (segments, decisions) come from the base's arena and live
 * as long as it — for the what-if's two runs; a sweep of many runs lets each one's go.
 */
export function runConfiguration(base: PreparedBase, configuration: Configuration, asOf: string, history?: PriorHistory, keepWithBase = false): ConfigRun {
  const { settings } = configuration
  const compiled = compileSegments(settings.segments, settings.currency.minorDigits)
  if (!compiled.segments) throw new Error(`Segment settings are invalid: ${compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`)
  const columns = keepWithBase ? base.arena : undefined
  const segments = classifySegments(compiled.segments, base.table, columns)
  const evaluation = evaluate({
    table: base.table,
    rules: configuration.rules,
    settings,
    asOf,
    segments,
    tiers: base.tiers,
    abuseScores: base.abuse.scores,
    history,
    cache: base.cache,
    columns,
  })
  return { base, segments, evaluation }
}
