// Segmentation: an ordered list of condition sets, first match wins, unmatched players fall to
// the fallback segment. The lint runs every definition over the real base to show gaps (players
// no definition matches), overlaps (players several match; order decides) and mislabels (net
// winners labelled LOSING, net losers labelled WINNING) with how many players each affects.
import { separateColumns, type ColumnAllocator } from './column-arena'
import type { SegmentConfig } from '../../shared/engine-settings'
import { compileConditions, applyConditions, type Condition, type ConditionError } from './conditions'
import type { PlayerTable } from './player-table'
import { segmentNames, type Segment } from './segments-types'

export interface CompiledSegments {
  order: { segment: Segment; conditions: Condition[] }[]
  fallback: Segment
}

export function compileSegments(config: SegmentConfig, minorDigits: number): { segments?: CompiledSegments; errors: ConditionError[] } {
  const errors: ConditionError[] = []
  const order = config.order.map((definition, index) => {
    const compiled = compileConditions(
      definition.conditions,
      { minorDigits, allowSegment: false, allowTier: false, knownSegments: segmentNames },
      `segments.order[${index}].conditions`,
    )
    errors.push(...compiled.errors)
    return { segment: definition.segment, conditions: compiled.conditions }
  })
  return errors.length ? { errors } : { segments: { order, fallback: config.fallback }, errors }
}

/** Segment index (into segmentNames) per player, in table order. */
export function classifySegments(segments: CompiledSegments, table: PlayerTable, columns: ColumnAllocator = separateColumns): Uint8Array {
  const n = table.count
  const unassigned = 255
  const result = columns.uint8(n).fill(unassigned)
  const mask = columns.uint8(n)
  for (const definition of segments.order) {
    mask.fill(1)
    applyConditions(definition.conditions, table, undefined, mask)
    const code = segmentNames.indexOf(definition.segment)
    for (let i = 0; i < n; i += 1) if (mask[i] && result[i] === unassigned) result[i] = code
  }
  const fallback = segmentNames.indexOf(segments.fallback)
  for (let i = 0; i < n; i += 1) if (result[i] === unassigned) result[i] = fallback
  return result
}

export function segmentLabels(codes: Uint8Array): Segment[] {
  return Array.from(codes, (code) => segmentNames[code]!)
}

export function countBySegment(codes: Uint8Array): Record<Segment, number> {
  const counts = Object.fromEntries(segmentNames.map((name) => [name, 0])) as Record<Segment, number>
  for (const code of codes) counts[segmentNames[code]!] += 1
  return counts
}

export interface SegmentLintFinding {
  kind: 'gap' | 'overlap' | 'mislabel' | 'unreachable'
  players: number
  message: string
  segments: Segment[]
}

export function lintSegments(segments: CompiledSegments, table: PlayerTable): SegmentLintFinding[] {
  const n = table.count
  const findings: SegmentLintFinding[] = []
  const definitions = segments.order.length
  // One pass over the base with each player's matches as bits (at most 20 definitions): the
  // Segments screen re-lints a million players on every slider move.
  const matches = new Uint32Array(n)
  const mask = new Uint8Array(n)
  segments.order.forEach((definition, index) => {
    mask.fill(1)
    applyConditions(definition.conditions, table, undefined, mask)
    const bit = 1 << index
    for (let i = 0; i < n; i += 1) if (mask[i]) matches[i]! |= bit
  })
  const codes = segments.order.map((definition) => segmentNames.indexOf(definition.segment))
  const fallback = segmentNames.indexOf(segments.fallback)
  const losing = segmentNames.indexOf('LOSING')
  const winning = segmentNames.indexOf('WINNING')
  const pnl = table.column('net_pnl')

  let unmatched = 0
  let unmatchedWinners = 0
  let unmatchedLosers = 0
  let winnersLosing = 0
  let losersWinning = 0
  const pairCounts = new Int32Array(definitions * definitions) // [first * definitions + second]
  const matchesAny = new Uint8Array(definitions)
  const reachable = new Uint8Array(definitions)
  for (let i = 0; i < n; i += 1) {
    const bits = matches[i]!
    let assigned = fallback
    if (bits === 0) {
      unmatched += 1
      if (pnl[i]! > 0) unmatchedWinners += 1
      if (pnl[i]! < 0) unmatchedLosers += 1
    } else {
      const first = 31 - Math.clz32(bits & -bits)
      assigned = codes[first]!
      for (let a = first; a < definitions; a += 1) {
        if (!(bits & (1 << a))) continue
        matchesAny[a] = 1
        // A definition is reachable when some player it matches ends up with its segment.
        if (codes[a] === assigned) reachable[a] = 1
        for (let b = a + 1; b < definitions; b += 1) if (bits & (1 << b)) pairCounts[a * definitions + b]! += 1
      }
    }
    if (assigned === losing && pnl[i]! > 0) winnersLosing += 1
    if (assigned === winning && pnl[i]! < 0) losersWinning += 1
  }
  if (unmatched > 0) {
    const detail = [unmatchedWinners ? `${unmatchedWinners} of them are up` : '', unmatchedLosers ? `${unmatchedLosers} are down` : ''].filter(Boolean).join(', ')
    findings.push({
      kind: 'gap',
      players: unmatched,
      segments: [segments.fallback],
      message: `${unmatched} player(s) match no segment definition and fall to ${segments.fallback}${detail ? ` (${detail})` : ''}.`,
    })
  }
  for (let pair = 0; pair < pairCounts.length; pair += 1) {
    const players = pairCounts[pair]!
    if (players === 0) continue
    const a = segments.order[Math.floor(pair / definitions)]!.segment
    const b = segments.order[pair % definitions]!.segment
    findings.push({
      kind: 'overlap',
      players,
      segments: [a, b],
      message: `${players} player(s) match both ${a} and ${b}; ${a} wins because it comes first.`,
    })
  }
  segments.order.forEach((definition, index) => {
    if (!reachable[index] && matchesAny[index]) {
      findings.push({
        kind: 'unreachable',
        players: 0,
        segments: [definition.segment],
        message: `${definition.segment} (position ${index + 1}) matches players, but earlier definitions take all of them.`,
      })
    }
  })
  if (winnersLosing > 0) {
    findings.push({ kind: 'mislabel', players: winnersLosing, segments: ['LOSING'], message: `${winnersLosing} player(s) who are up (net_pnl > 0) are labelled LOSING.` })
  }
  if (losersWinning > 0) {
    findings.push({ kind: 'mislabel', players: losersWinning, segments: ['WINNING'], message: `${losersWinning} player(s) who are down (net_pnl < 0) are labelled WINNING.` })
  }
  return findings
}

export interface SegmentTransition {
  playerId: string
  from: Segment
  to: Segment
  /** A fall from VIP or WINNING straight to LOSING, worth an operator's attention. */
  notable: boolean
}

const notableFalls = new Set(['VIP>LOSING', 'WINNING>LOSING', 'VIP>NEW'])

/** Players whose segment changed since the previous evaluation (their `previousSegment`). */
export function segmentTransitions(table: PlayerTable, codes: Uint8Array): SegmentTransition[] {
  const transitions: SegmentTransition[] = []
  table.records.forEach((record, index) => {
    const to = segmentNames[codes[index]!]!
    const from = record.previousSegment
    if (from && from !== to) transitions.push({ playerId: record.playerId, from, to, notable: notableFalls.has(`${from}>${to}`) })
  })
  return transitions
}
