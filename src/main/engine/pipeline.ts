// The whole decision for a base, in one call: metrics → abuse → segments (+ transitions and
// lint) → reward evaluation → review items. Pure; the caller brings the players, the rules,
// the settings, the as-of date and the ledger history, and stores what comes back.
import type { EngineSettings } from '../../shared/engine-settings'
import { detectAbuse, defaultAbuseSettings, type AbuseResult, type AbuseSettings } from './abuse'
import { ColumnArena, type ChunkSource } from './column-arena'
import { evaluate, type EvaluationResult, type PriorHistory } from './evaluate'
import { PlayerTable, type PlayerRecord } from './player-table'
import type { CompiledRule } from './rules'
import {
  classifySegments,
  compileSegments,
  countBySegment,
  lintSegments,
  segmentTransitions,
  type SegmentLintFinding,
  type SegmentTransition,
} from './segments'
import type { Segment } from './segments-types'

export interface PipelineInput {
  players: readonly PlayerRecord[]
  rules: readonly CompiledRule[]
  settings: EngineSettings
  asOf: string
  history?: PriorHistory
  /** Memory for the run's columns (see column-arena); plain buffers by default. */
  chunks?: ChunkSource
}

/** Arena bytes asked for per player: the table's columns, scores, segments and the decisions (~300 at a million players). */
const arenaBytesPerPlayer = 384
const arenaMinimumBytes = 1 << 20

export interface ReviewCandidate {
  playerId: string
  abuseScore: number
  /** The signals behind the score, strongest first, as one line for the review queue. */
  reason: string
}

export interface PipelineResult {
  table: PlayerTable
  segments: Uint8Array
  segmentCounts: Record<Segment, number>
  transitions: SegmentTransition[]
  lint: SegmentLintFinding[]
  abuse: AbuseResult
  evaluation: EvaluationResult
  review: ReviewCandidate[]
}

export function abuseSettingsFrom(settings: EngineSettings): AbuseSettings {
  const detection = settings.abuse.detection
  return {
    ...defaultAbuseSettings,
    ...detection,
    houseEdges: settings.houseEdges,
    gameVariance: settings.gameVariance,
    weights: { ...defaultAbuseSettings.weights, ...detection.weights },
  }
}

export function runPipeline(input: PipelineInput): PipelineResult {
  const { settings, asOf } = input
  // One arena for every column of the run, which lives as long as its result: one large allocation
  // instead of dozens, each of which could start a full GC over the million player objects.
  const arena = new ColumnArena(Math.max(arenaMinimumBytes, input.players.length * arenaBytesPerPlayer), input.chunks)
  const table = new PlayerTable(input.players, asOf, { columns: arena })
  const abuse = detectAbuse(table.records, abuseSettingsFrom(settings), arena.float64(table.count))
  table.setAbuseScores(abuse.scores)
  const compiled = compileSegments(settings.segments, settings.currency.minorDigits)
  if (!compiled.segments) throw new Error(`Segment settings are invalid: ${compiled.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`)
  const segments = classifySegments(compiled.segments, table, arena)
  const evaluation = evaluate({
    table,
    rules: input.rules,
    settings,
    asOf,
    segments,
    tiers: table.records.map((record) => record.tier),
    abuseScores: abuse.scores,
    history: input.history,
    columns: arena,
  })
  arena.close()
  const review: ReviewCandidate[] = []
  const signalsByPlayer = new Map<string, { signal: string; points: number }[]>()
  for (const signal of abuse.signals) {
    const list = signalsByPlayer.get(signal.playerId) ?? []
    list.push({ signal: signal.signal, points: signal.points })
    signalsByPlayer.set(signal.playerId, list)
  }
  table.records.forEach((record, index) => {
    const score = abuse.scores[index]!
    if (score < settings.abuse.reviewAt) return
    const signals = (signalsByPlayer.get(record.playerId) ?? []).sort((a, b) => b.points - a.points)
    review.push({
      playerId: record.playerId,
      abuseScore: score,
      reason: signals.map((each) => `${each.signal.replaceAll('_', ' ')} (+${Math.round(each.points)})`).join(', '),
    })
  })
  return {
    table,
    segments,
    segmentCounts: countBySegment(segments),
    transitions: segmentTransitions(table, segments),
    lint: lintSegments(compiled.segments, table),
    abuse,
    evaluation,
    review,
  }
}
