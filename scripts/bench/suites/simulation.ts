// What-if simulation at the sizes:
//   deterministic: live vs a scenario over 1,000,000 synthetic players × the engine suite's 20 rules —
//     the player table and abuse scores, then segments + rules for each configuration, then the side
//     by side summaries (target < 3 s); loading the base from SQLite is not inside it;
//   Monte Carlo: 1,000 trials over 100,000 players, split over worker threads (target < 20 s with
//     both cores), and the same on one thread for comparison. The threads run the built job worker:
//     build first (npm run build).
// The deterministic line is bound by fresh memory, not arithmetic: on our build VMs the first touch
// of a 4 KB page costs ~15–20 µs, and each large allocation with a million player objects alive may
// cost a full GC. So the columns come from one arena (one allocation) whose pages a helper thread
// maps ahead of use, as the simulation job runs it (engine/column-arena.ts, jobs/prefaulted-chunks.ts).
import { availableParallelism } from 'node:os'
import { existsSync } from 'node:fs'
import { engineSettingsSchema } from '../../../src/shared/engine-settings'
import { scenarioChangesSchema } from '../../../src/shared/scenario-schema'
import { simulate, simulationSteps, type SimulationDetail } from '../../../src/main/engine/simulation/compare'
import { buildMonteCarloModel } from '../../../src/main/engine/simulation/monte-carlo'
import { applyScenario, describeChanges, type Configuration } from '../../../src/main/engine/simulation/scenario-config'
import { runMonteCarloTrials } from '../../../src/main/jobs/monte-carlo-pool'
import { prefaultedChunks } from '../../../src/main/jobs/prefaulted-chunks'
import { workerScriptPath } from '../../../src/main/jobs/worker-runner'
import { timed, type BenchResult, type Suite } from '../lib'
import { compileWorkload, syntheticPlayers } from './engine'

const suiteName = 'simulation'
const asOf = '2026-01-31'
const deterministicTargetSeconds = 3
const monteCarloTargetSeconds = 20

const count = (value: number) => value.toLocaleString('en-US')

/** CPU seconds this process (all its threads) spent in `fn`: on a shared machine, wall time alone says little. */
async function withCpu<T>(fn: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const start = process.cpuUsage()
  const value = await fn()
  const used = process.cpuUsage(start)
  return { value, cpu: (used.user + used.system) / 1e6 }
}

const suite: Suite = {
  name: suiteName,
  description: 'what-if: live vs scenario over 1M players × 20 rules, and 1,000 Monte Carlo trials over 100k players on all cores',
  async run({ quick }) {
    if (!existsSync(workerScriptPath())) throw new Error(`The job worker ${workerScriptPath()} is missing: run npm run build first.`)
    const results: BenchResult[] = []
    const players = quick ? 100_000 : 1_000_000
    const trialPlayers = quick ? 10_000 : 100_000
    const trials = quick ? 100 : 1_000

    const { rules } = compileWorkload()
    const settings = engineSettingsSchema.parse({ caps: { perPlayerDay: { BONUS: 150, RP: 400, TICKETS: 3 }, globalDay: { BONUS: 2_000_000 } } })
    const live: Configuration = { settings, rules }
    // A realistic change set: two rules paid half as much again, one switched off, a tighter safety
    // factor and an easier VIP threshold (house edges unchanged, so the base is shared).
    const edit = rules.slice(0, 2).map((rule) => ({ ...rule.definition, reward: { ...rule.definition.reward, formula: `(${rule.definition.reward.formula}) * 1.5` } }))
    const order = settings.segments.order.map((each) => (each.segment === 'VIP' ? { segment: 'VIP' as const, conditions: { total_wagered: { gt: 50_000 } } } : each))
    const changes = scenarioChangesSchema.parse({ rules: { edit, disable: [rules[5]!.ruleId] }, safetyFactor: 0.7, segments: { order, fallback: 'NEW' } })
    const scenario = applyScenario(live, changes, settings.currency.minorDigits)
    if (scenario.problems.length) throw new Error(JSON.stringify(scenario.problems))
    const described = describeChanges(live, scenario)

    const { records } = syntheticPlayers(players)
    // Warm-up on a slice so the JIT has seen the code before the timed run.
    // As the simulation job runs it: columns in an arena whose pages a helper thread maps ahead.
    const chunks = prefaultedChunks()
    simulate({ players: records.slice(0, 20_000), asOf, live, scenario, changes: described, chunks })
    // Driven step by step to time the shared base (table + abuse scores) apart from the per-configuration work.
    const stepSeconds = new Map<string, number>()
    const measured = await withCpu(() =>
      timed(() => {
        const steps = simulationSteps({ players: records, asOf, live, scenario, changes: described, chunks })
        let last = process.hrtime.bigint()
        let current = 'start'
        for (;;) {
          const next = steps.next()
          const now = process.hrtime.bigint()
          stepSeconds.set(current, Number(now - last) / 1e9)
          last = now
          if (next.done) return next.value as SimulationDetail
          current = next.value.step
        }
      }),
    )
    const deterministic = measured.value
    const { comparison } = deterministic.value
    const baseSeconds = (stepSeconds.get('live: metrics and abuse') ?? 0) + (stepSeconds.get('scenario: metrics and abuse') ?? 0)
    results.push({
      suite: suiteName,
      name: 'live vs scenario',
      value: deterministic.seconds,
      unit: 's',
      note:
        `${count(players)} players × ${rules.length} rules, both configurations incl. metrics, abuse scores, segments, rules and the comparison; ` +
        `${count(comparison.live.rewards.issued)} → ${count(comparison.scenario.rewards.issued)} rewards, ${count(comparison.newlyEligible.total)} newly / ${count(comparison.noLongerEligible.total)} no longer eligible; ` +
        `${measured.cpu.toFixed(1)} CPU s (the simulation's thread, V8's GC threads and the page-mapping helper); of which building the base (player table, abuse scores) ${baseSeconds.toFixed(1)} s and ` +
        `segments + rules + comparison for the two configurations ${(deterministic.seconds - baseSeconds).toFixed(1)} s; target < ${deterministicTargetSeconds} s${quick ? ' at 1M' : deterministic.seconds < deterministicTargetSeconds ? ' met' : ' MISSED'}`,
    })

    const trialBase = records.slice(0, trialPlayers)
    const small = simulate({ players: trialBase, asOf, live, scenario, changes: described, chunks })
    const model = buildMonteCarloModel({ run: small.live.run, side: small.live.side, settings }, { run: small.scenario.run, side: small.scenario.side, settings: scenario.settings })
    const threads = availableParallelism()
    const parallelMeasured = await withCpu(() => timed(() => runMonteCarloTrials(model, { trials, seed: 1, threads })))
    const parallel = parallelMeasured.value
    results.push({
      suite: suiteName,
      name: 'Monte Carlo',
      value: parallel.seconds,
      unit: 's',
      note: `${count(trials)} trials × ${count(trialPlayers)} players × 2 configurations on ${threads} thread(s), ${parallelMeasured.cpu.toFixed(1)} CPU s in all (incl. starting the threads); target < ${monteCarloTargetSeconds} s${quick ? ' at full size' : parallel.seconds < monteCarloTargetSeconds ? ' met' : ' MISSED'}`,
    })
    const single = await timed(() => runMonteCarloTrials(model, { trials: Math.ceil(trials / 4), seed: 1, threads: 1 }))
    const same = single.value.live.every((value, index) => value === parallel.value.live[index])
    results.push({
      suite: suiteName,
      name: 'Monte Carlo, one thread',
      value: (single.seconds * trials) / Math.ceil(trials / 4),
      unit: 's',
      note: `extrapolated from ${count(Math.ceil(trials / 4))} trials on one thread; its trials ${same ? 'equal' : 'DIFFER FROM'} the threaded run's`,
    })
    return results
  },
}

export default suite
