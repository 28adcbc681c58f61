import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../../src/shared/engine-settings'
import { decisionAt } from '../../../src/main/engine/evaluate'
import { runPipeline } from '../../../src/main/engine/pipeline'
import { compileRuleSet } from '../../../src/main/engine/rules'
import { seedRule, wealthyLoser } from './helpers'

describe('the whole pipeline', () => {
  it('scores abuse over the whole base, scales rewards by it, segments, records transitions and opens review items', () => {
    const settings = engineSettingsSchema.parse({ safetyFactor: 1, marginHorizonDays: 365, abuse: { reviewAt: 45, detection: { sharedIdentityIgnore: ['10.0.0.1'] } } })
    const players = [
      wealthyLoser('A1', { ip: '203.0.113.7', previousSegment: 'VIP' }),
      wealthyLoser('A2', { ip: '203.0.113.7', deviceId: 'dev-9' }),
      wealthyLoser('A3', { deviceId: 'dev-9', bonusReceived: 900_000, totalDeposited: 100_000 }),
      wealthyLoser('B1', { ip: '10.0.0.1' }),
      wealthyLoser('B2', { ip: '10.0.0.1', previousSegment: 'LOSING' }),
    ]
    const { rules } = compileRuleSet([seedRule], { minorDigits: 2 })
    const result = runPipeline({ players, rules, settings, asOf: '2026-01-31' })

    expect(result.abuse.clusters).toEqual([expect.objectContaining({ playerIds: ['A1', 'A2', 'A3'] })])
    const score = (id: string) => result.abuse.scores[result.table.playerIds.indexOf(id)]!
    expect(score('B1')).toBe(0) // the ignored office IP links nobody
    expect(score('A3')).toBeGreaterThan(score('A1')) // shared identity plus bonus-only play
    expect(result.segmentCounts.LOSING).toBe(5)
    expect(result.transitions).toEqual([{ playerId: 'A1', from: 'VIP', to: 'LOSING', notable: true }])

    const decisions = Array.from({ length: result.evaluation.decisions.count }, (_, i) => decisionAt(result.evaluation, i))
    for (const decision of decisions) {
      const s = score(decision.playerId)
      if (s >= settings.abuse.blockAt) expect(decision).toMatchObject({ outcome: 'blocked', reason: 'abuse_blocked' })
      else if (s >= settings.abuse.reduceAt) expect(decision).toMatchObject({ outcome: 'reduced', amount: 25_000 })
      else expect(decision).toMatchObject({ outcome: 'issued', amount: 50_000 })
    }
    expect(decisions.map((d) => [d.playerId, d.outcome])).toEqual([['A1', 'issued'], ['A2', 'issued'], ['A3', 'reduced'], ['B1', 'issued'], ['B2', 'issued']])
    expect(result.review).toEqual([{ playerId: 'A3', abuseScore: score('A3'), reason: 'bonus only play (+27), shared identity (+20)' }])
  })
})
