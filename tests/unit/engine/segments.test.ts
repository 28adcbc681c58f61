import { describe, expect, it } from 'vitest'
import { defaultEngineSettings, engineSettingsSchema } from '../../../src/shared/engine-settings'
import { PlayerTable, type PlayerRecord } from '../../../src/main/engine/player-table'
import { classifySegments, compileSegments, countBySegment, lintSegments, segmentLabels } from '../../../src/main/engine/segments'

const asOf = '2026-01-31'
const player = (playerId: string, wagered: number | undefined, won: number | undefined, sessions = 10): PlayerRecord => ({
  playerId,
  totalWagered: wagered,
  totalWon: won,
  sessions,
})

function classify(players: PlayerRecord[], settings = defaultEngineSettings()) {
  const table = new PlayerTable(players, asOf)
  const compiled = compileSegments(settings.segments, 2)
  const codes = classifySegments(compiled.segments!, table)
  return { table, compiled: compiled.segments!, labels: Object.fromEntries(table.playerIds.map((id, i) => [id, segmentLabels(codes)[i]])) }
}

describe('segmentation', () => {
  it('labels players with the default thresholds (money in minor units)', () => {
    const { labels } = classify([
      player('new', 99_999, 50_000), // wagered 999.99 < 1,000
      player('vip', 10_000_001, 9_000_000, 101),
      player('vip-few-sessions', 10_000_001, 9_000_000, 100), // not VIP: 100 sessions is not > 100 → LOSING
      player('even', 1_000_000, 1_040_000), // up 4% → BREAKEVEN
      player('up7', 1_000_000, 1_070_000), // up 7%: WINNING, never LOSING
      player('down', 1_000_000, 900_000),
      player('nodata', undefined, undefined),
    ])
    expect(labels).toEqual({
      new: 'NEW',
      vip: 'VIP',
      'vip-few-sessions': 'LOSING',
      even: 'BREAKEVEN',
      up7: 'WINNING',
      down: 'LOSING',
      nodata: 'NEW',
    })
  })

  it('never labels a player who is up as LOSING with the defaults', () => {
    const players = Array.from({ length: 2000 }, (_, i) => player(`P${i}`, 100_000 + i * 997, Math.round((100_000 + i * 997) * (0.5 + (i % 100) / 100))))
    const { table, compiled, labels } = classify(players)
    const pnl = table.column('net_pnl')
    table.playerIds.forEach((id, i) => {
      if (pnl[i]! > 0) expect(labels[id], id).not.toBe('LOSING')
      if (pnl[i]! < 0) expect(labels[id], id).not.toBe('WINNING')
    })
    expect(lintSegments(compiled, table).filter((finding) => finding.kind === 'mislabel' || finding.kind === 'gap')).toEqual([])
  })

  it("lints the seed's literal thresholds: the gap that labels winners LOSING, with player counts", () => {
    const seedLiteral = engineSettingsSchema.parse({
      segments: {
        order: [
          { segment: 'NEW', conditions: { total_wagered: { lt: 1000 } } },
          { segment: 'VIP', conditions: { total_wagered: { gt: 100000 }, sessions: { gt: 100 } } },
          { segment: 'WINNING', conditions: { net_pnl: { gt: 0 }, win_loss_ratio: { gt: 1.1 } } },
          { segment: 'BREAKEVEN', conditions: { hold: { gt: -0.05, lt: 0.05 } } },
        ],
        fallback: 'LOSING',
      },
    })
    const players = [
      player('up7', 1_000_000, 1_070_000),
      player('up8', 1_000_000, 1_080_000),
      player('down', 1_000_000, 900_000),
      player('up20', 1_000_000, 1_200_000),
    ]
    const { table, compiled, labels } = classify(players, seedLiteral)
    expect(labels.up7).toBe('LOSING')
    const findings = lintSegments(compiled, table)
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'gap', players: 3, message: expect.stringMatching(/3 player\(s\) match no segment definition and fall to LOSING \(2 of them are up, 1 are down\)/) }))
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'mislabel', players: 2, message: expect.stringMatching(/2 player\(s\) who are up/) }))
  })

  it('reports overlaps (order decides) and definitions that can never win', () => {
    const settings = engineSettingsSchema.parse({
      segments: {
        order: [
          { segment: 'LOSING', conditions: { net_pnl: { lt: 0 } } },
          { segment: 'VIP', conditions: { total_wagered: { gt: 100000 } } },
          { segment: 'NEW', conditions: { net_pnl: { lt: -100 } } },
        ],
        fallback: 'BREAKEVEN',
      },
    })
    const { table, compiled } = classify([player('a', 20_000_000, 10_000_000), player('b', 50_000, 10_000)], settings)
    const findings = lintSegments(compiled, table)
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'overlap', segments: ['LOSING', 'VIP'], players: 1 }))
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'unreachable', segments: ['NEW'] }))
  })

  it('refuses a segment definition with an unknown metric, naming the path', () => {
    const settings = engineSettingsSchema.parse({ segments: { order: [{ segment: 'NEW', conditions: { wagerd_max: 5 } }], fallback: 'LOSING' } })
    const compiled = compileSegments(settings.segments, 2)
    expect(compiled.segments).toBeUndefined()
    expect(compiled.errors[0]).toMatchObject({ path: 'segments.order[0].conditions.wagerd_max', message: expect.stringMatching(/unknown condition/) })
  })

  it('counts players per segment', () => {
    const table = new PlayerTable([player('a', 10, 5), player('b', 2_000_000, 1_000_000)], asOf)
    const compiled = compileSegments(defaultEngineSettings().segments, 2).segments!
    expect(countBySegment(classifySegments(compiled, table))).toEqual({ NEW: 1, VIP: 0, WINNING: 0, BREAKEVEN: 0, LOSING: 1 })
  })
})
