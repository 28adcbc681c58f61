// The what-if's memory mapped ahead by helper threads (jobs/prefaulted-chunks.ts): the helper may
// never change a byte the main thread wrote, a simulation or a process run over it gives exactly
// the numbers of one over plain buffers, and every helper stops once its chunk is released.
import { describe, expect, it } from 'vitest'
import { engineSettingsSchema } from '../../src/shared/engine-settings'
import { scenarioChangesSchema } from '../../src/shared/scenario-schema'
import { runPipeline } from '../../src/main/engine/pipeline'
import { simulate } from '../../src/main/engine/simulation/compare'
import { applyScenario, describeChanges, type Configuration } from '../../src/main/engine/simulation/scenario-config'
import { prefaultedChunks } from '../../src/main/jobs/prefaulted-chunks'
import { compileWorkload, syntheticPlayers } from '../../scripts/bench/suites/engine'

const page = 4096

describe('prefaulted chunks', () => {
  it('leave every byte the main thread writes as written while the helper maps the same pages', async () => {
    const source = prefaultedChunks({ minimumBytes: 0 })
    const bytes = 32 * 1024 * 1024
    const chunk = source.allocate(bytes)
    expect(chunk).toBeInstanceOf(SharedArrayBuffer)
    const view = new Uint8Array(chunk)
    const pages = bytes / page
    // Written in slices as an arena hands them out, each slice announced first, so the helper
    // works on the very pages being written (the byte it touches is the first of each page).
    for (let from = 0; from < pages; from += 256) {
      const to = Math.min(pages, from + 256)
      source.used!(chunk, to * page)
      for (let p = from; p < to; p += 1) {
        view[p * page] = (p % 251) + 1
        view[p * page + 1_000] = (p % 13) + 1
      }
    }
    source.release!(chunk)
    await source.settled()
    let wrong = 0
    for (let p = 0; p < pages; p += 1) if (view[p * page] !== (p % 251) + 1 || view[p * page + 1_000] !== (p % 13) + 1) wrong += 1
    expect(wrong).toBe(0)
  })

  it('give a what-if exactly the numbers of plain memory, and its helpers all stop', async () => {
    const { rules } = compileWorkload()
    const settings = engineSettingsSchema.parse({ caps: { perPlayerDay: { BONUS: 150, RP: 400, TICKETS: 3 }, globalDay: { BONUS: 200_000 } } })
    const live: Configuration = { settings, rules }
    const edit = rules.slice(0, 2).map((rule) => ({ ...rule.definition, reward: { ...rule.definition.reward, formula: `(${rule.definition.reward.formula}) * 1.5` } }))
    const changes = scenarioChangesSchema.parse({ rules: { edit, disable: [rules[5]!.ruleId] }, safetyFactor: 0.7 })
    const scenario = applyScenario(live, changes, settings.currency.minorDigits)
    const { records } = syntheticPlayers(20_000)
    const input = { players: records, asOf: '2026-01-31', live, scenario, changes: describeChanges(live, scenario) }

    const plain = simulate(input)
    const source = prefaultedChunks({ minimumBytes: 0 })
    const mapped = simulate({ ...input, chunks: source })
    await source.settled()

    expect(mapped.comparison).toEqual(plain.comparison)
    for (const side of ['live', 'scenario'] as const) {
      const a = plain[side].run.evaluation.decisions
      const b = mapped[side].run.evaluation.decisions
      expect(b.count).toBe(a.count)
      expect(b.count).toBeGreaterThan(10_000)
      for (const column of ['player', 'rule', 'outcome', 'reason', 'amount', 'requested'] as const) expect(Array.from(b[column].subarray(0, b.count))).toEqual(Array.from(a[column].subarray(0, a.count)))
      expect(mapped[side].run.segments).toEqual(plain[side].run.segments)
      // The columns really came from the shared chunks the helpers mapped.
      expect(b.amount.buffer).toBeInstanceOf(SharedArrayBuffer)
    }
    expect(mapped.newlyEligible).toEqual(plain.newlyEligible)
    expect(mapped.noLongerEligible).toEqual(plain.noLongerEligible)
  })

  it('give a process run exactly the decisions of plain memory', async () => {
    const { rules } = compileWorkload()
    const settings = engineSettingsSchema.parse({ caps: { perPlayerDay: { BONUS: 150 }, globalDay: { BONUS: 200_000 } } })
    const { records } = syntheticPlayers(20_000)
    const input = { players: records, rules, settings, asOf: '2026-01-31' }
    const plain = runPipeline(input)
    const source = prefaultedChunks({ minimumBytes: 0 })
    const mapped = runPipeline({ ...input, chunks: source })
    await source.settled()
    const { decisions } = mapped.evaluation
    expect(decisions.amount.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(decisions.count).toBe(plain.evaluation.decisions.count)
    for (const column of ['player', 'rule', 'outcome', 'reason', 'amount', 'requested'] as const) expect(Array.from(decisions[column].subarray(0, decisions.count))).toEqual(Array.from(plain.evaluation.decisions[column].subarray(0, decisions.count)))
    expect(mapped.segmentCounts).toEqual(plain.segmentCounts)
    expect(Array.from(mapped.abuse.scores)).toEqual(Array.from(plain.abuse.scores))
    expect(mapped.review).toEqual(plain.review)
  })
})
