// Handlers for the methods in src/shared/api/domains/simulation.ts: scenarios are stored here, the
// simulation and sensitivity run as jobs (in a worker thread where the host has one), and applying
// a scenario is one audited transaction.
import { applyScenario, previewApply } from '../jobs/apply-scenario'
import { compareScenarios, deleteScenario, duplicateScenario, getScenario, listScenarios, saveScenario } from '../jobs/scenario-store'
import type { HandlerGroup } from './dispatcher'
import { jobRunner } from './job-runner'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

export function simulationHandlers(services: Services) {
  const { database } = services
  const runJob = jobRunner(services)
  const now = () => new Date().toISOString()
  return {
    'scenarios/list': () => ({ scenarios: listScenarios(database) }),
    'scenarios/get': ({ id }) => getScenario(database, id),
    'scenarios/save': ({ id, scenario }) => saveScenario(database, scenario, { id, actor: operatorName(), now: now() }),
    'scenarios/duplicate': ({ id, name }) => duplicateScenario(database, id, { name, actor: operatorName(), now: now() }),
    'scenarios/delete': ({ id }) => deleteScenario(database, id),
    'scenarios/compare': ({ a, b }) => compareScenarios(database, a, b),
    'simulation/run': (input, context) => runJob('simulation/run', input, context),
    'simulation/sensitivity': (input, context) => runJob('simulation/sensitivity', input, context),
    'simulation/apply-preview': ({ scenarioId }) => previewApply(database, scenarioId),
    'simulation/apply': ({ scenarioId, reason }) => applyScenario(database, scenarioId, { actor: operatorName(), now: now(), reason }),
  } satisfies HandlerGroup
}
