// Segments & thresholds: counts per segment and the threshold lint for any configuration, over the
// whole current base. Loading a million players takes seconds while classifying them takes
// milliseconds, so the loaded table is kept between calls and rebuilt only when the base changes
// (a new snapshot, new events or a new evaluation) — moving a slider asks again and again.
import { ApiFailure } from '../../shared/api/result'
import { engineSettingsSchema, type SegmentConfig } from '../../shared/engine-settings'
import type { SegmentPreviewResult, SegmentSettingsView } from '../../shared/api/types-desk'
import { metricCatalogue, resolveMetricName } from '../../shared/metric-catalogue'
import { PlayerTable } from '../engine/player-table'
import { classifySegments, compileSegments, lintSegments } from '../engine/segments'
import { segmentNames, type Segment } from '../engine/segments-types'
import type { LedgerDatabase } from '../ledger/database'
import { auditLog } from '../ledger/schema'
import { engineSettingsKey, readEngineSettings, readSetting, writeSetting } from '../ledger/settings-store'
import { loadPlayers } from './player-loader'

interface CachedBase {
  key: string
  table: PlayerTable
  asOf: string | null
  /** Built with the activity events; without them, metrics that need events are unavailable. */
  withEvents: boolean
  /** Row id → position in the table (-1: not in it), for reading stored per-player values into it. */
  positionOf: Int32Array
  /** The stored abuse scores are in the table (read only once a condition needs them). */
  withScores: boolean
}

/**
 * Metrics whose values come from (or are changed by) activity events. A base without events loads
 * far faster — events can outnumber players a hundredfold — and most segment conditions only use
 * the summary figures.
 */
const eventMetrics = new Set<string>([
  ...metricCatalogue.filter((metric) => 'needsEvents' in metric && metric.needsEvents).map((metric) => metric.name),
  'game_diversity',
  'days_since_last_activity',
  'risk_score',
])

/** Metrics that read the abuse scores the last evaluation stored. */
const scoreMetrics = new Set<string>(['abuse_score', 'risk_score'])

function usesAny(metrics: ReadonlySet<string>, configs: SegmentConfig[]): boolean {
  return configs.some((config) => config.order.some((definition) => Object.keys(definition.conditions).some((key) => metrics.has(resolveMetricName(key.replace(/_(min|max|gt|lt)$/, '')) ?? key))))
}

const needsEvents = (...configs: SegmentConfig[]) => usesAny(eventMetrics, configs)
const needsScores = (...configs: SegmentConfig[]) => usesAny(scoreMetrics, configs)

/** Players per segment; a typed counter instead of string-keyed increments (a million of them). */
function countCodes(codes: Uint8Array): Record<Segment, number> {
  const counts = new Int32Array(256)
  for (let i = 0; i < codes.length; i += 1) counts[codes[i]!]! += 1
  return Object.fromEntries(segmentNames.map((name, code) => [name, counts[code]!])) as Record<Segment, number>
}

/** One per database: the player base as of its last change. */
export class SegmentPreviewer {
  private cached: CachedBase | undefined
  /** Counts under the saved configuration, per base and configuration: every slider move asks again. */
  private savedCounts: { key: string; counts: Record<Segment, number> } | undefined

  constructor(private readonly database: LedgerDatabase) {}

  /** Cheap to ask (index ends), and changes whenever anything the table is built from changes. */
  private baseKey(): string {
    const row = this.database
      .readRaw(
        'SELECT (SELECT max(id) FROM players) AS players, (SELECT max(id) FROM metric_snapshots) AS snapshots, ' +
          '(SELECT max(rowid) FROM activity_events) AS events, (SELECT max(id) FROM evaluations) AS evaluations',
      )
      .get() as Record<string, number | null>
    return JSON.stringify(row)
  }

  private base(withEvents: boolean, withScores: boolean): { table: PlayerTable; asOf: string | null; cached: boolean } {
    const key = this.baseKey()
    let base = this.cached
    const reuse = base?.key === key && (base.withEvents || !withEvents)
    if (!base || !reuse) {
      const asOf =
        (this.database.readRaw('SELECT as_of AS asOf FROM evaluations ORDER BY id DESC LIMIT 1').get() as { asOf: string } | undefined)?.asOf ??
        (this.database.readRaw('SELECT max(current_as_of) AS asOf FROM players WHERE deleted_at IS NULL').get() as { asOf: string | null }).asOf
      const loaded = loadPlayers(this.database, { events: withEvents })
      const table = new PlayerTable(loaded.records, asOf ?? '1970-01-01')
      let maxRowId = 0
      for (const rowId of loaded.rowIds.values()) if (rowId > maxRowId) maxRowId = rowId
      const positionOf = new Int32Array(maxRowId + 1).fill(-1)
      table.playerIds.forEach((playerId, index) => (positionOf[loaded.rowIds.get(playerId)!] = index))
      base = { key, table, asOf, withEvents, positionOf, withScores: false }
      this.cached = base
    }
    if (withScores && !base.withScores) {
      // Abuse scores as the last evaluation stored them, for conditions on abuse_score / risk_score.
      // Most players score above 0 once evaluated: a scan of the table (the unary + keeps SQLite off
      // the score index, whose every entry would cost a lookup of the row) beats the index here.
      const scores = new Float64Array(base.table.count)
      const { positionOf } = base
      for (const row of this.database.readRaw('SELECT id, abuse_score AS score FROM players WHERE deleted_at IS NULL AND +abuse_score > 0').iterate() as IterableIterator<{ id: number; score: number }>) {
        const index = row.id < positionOf.length ? positionOf[row.id]! : -1
        if (index >= 0) scores[index] = row.score
      }
      base.table.setAbuseScores(scores)
      base.withScores = true
    }
    return { table: base.table, asOf: base.asOf, cached: reuse }
  }

  preview(config: SegmentConfig): SegmentPreviewResult {
    const settings = readEngineSettings(this.database)
    const minorDigits = settings.currency.minorDigits
    const proposed = compiled(config, minorDigits)
    const saved = compiled(settings.segments, minorDigits)
    const { table, asOf, cached } = this.base(needsEvents(config, settings.segments), needsScores(config, settings.segments))
    const savedKey = `${this.cached!.key}:${this.cached!.withEvents}:${this.cached!.withScores}:${JSON.stringify(settings.segments)}`
    if (this.savedCounts?.key !== savedKey) this.savedCounts = { key: savedKey, counts: countCodes(classifySegments(saved, table)) }
    return {
      players: table.count,
      asOf,
      counts: countCodes(classifySegments(proposed, table)),
      savedCounts: this.savedCounts.counts,
      findings: lintSegments(proposed, table),
      cached,
    }
  }

  settings(): SegmentSettingsView {
    const config = readEngineSettings(this.database).segments
    return { config, defaults: engineSettingsSchema.parse({}).segments, preview: this.preview(config) }
  }
}

function compiled(config: SegmentConfig, minorDigits: number) {
  const result = compileSegments(config, minorDigits)
  if (!result.segments) {
    const first = result.errors[0]!
    throw new ApiFailure('invalid_input', `The segment conditions have ${result.errors.length} problem(s). ${first.path}: ${first.message}`, { problems: result.errors })
  }
  return result.segments
}

/** Replaces only the `segments` part of the saved engine settings; everything else is kept as saved. */
export function saveSegments(database: LedgerDatabase, config: SegmentConfig, actor: string, now: string): SegmentConfig {
  compiled(config, readEngineSettings(database).currency.minorDigits)
  return database.write((transaction) => {
    const stored = readSetting(database, engineSettingsKey)
    const raw = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {}
    const next = { ...raw, segments: config }
    const parsed = engineSettingsSchema.safeParse(next)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new ApiFailure('invalid_input', `The settings would be invalid at "${issue.path.join('.')}": ${issue.message}.`)
    }
    const previous = engineSettingsSchema.safeParse(raw)
    writeSetting(transaction, engineSettingsKey, next, now)
    transaction
      .insert(auditLog)
      .values({ action: 'settings.segments', actor, subject: 'settings:segments', reason: 'segment conditions changed', details: { from: previous.success ? previous.data.segments : null, to: config }, at: now })
      .run()
    return parsed.data.segments
  })
}
