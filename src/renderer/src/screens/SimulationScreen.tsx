// The Simulation screen: build or choose a scenario, run it over the whole base (progress, cancel),
// read the comparison as charts then tables, and apply it after confirming exactly what changes.
// Its parts live in ./simulation/.
import { Alert, Stack } from '@mantine/core'
import { useState } from 'react'
import type { ApplyResult } from '../../../shared/api/types-simulation'
import { useApiQuery } from '../api/use-query'
import { EmptyState, ErrorState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { formatCount } from '../format'
import { JobProgress } from './import/JobProgress'
import { ApplyDialog } from './simulation/ApplyDialog'
import { ScenarioEditor } from './simulation/ScenarioEditor'
import { SimulationResults } from './simulation/SimulationResults'
import { useSimulationStore } from './simulation/simulation-store'
import { StarterScreen } from './StarterScreen'

export function SimulationScreen() {
  // With no players there is nothing to simulate: the starter says so and leads to Import.
  const info = useApiQuery('db/info', {})
  const players = info.data?.tables.find((table) => table.name === 'players')?.rows ?? 0
  if (!info.data || players === 0) return <StarterScreen id="simulation" />
  return <Simulation />
}

function Simulation() {
  const job = useSimulationStore((state) => state.job)
  const cancel = useSimulationStore((state) => state.cancel)
  const [applying, setApplying] = useState<number>()
  const [applied, setApplied] = useState<ApplyResult>()
  return (
    <ScreenFrame title="Simulation" description="What would a change to thresholds, rules, caps or house edges do? Live vs scenario over the whole base; nothing is written to the ledger.">
      <Stack gap="md">
        <ScenarioEditor
          onApply={(id) => {
            setApplied(undefined)
            setApplying(id)
          }}
        />
        {applied ? (
          <Alert color="teal" title={`“${applied.scenario.name}” is live`} withCloseButton onClose={() => setApplied(undefined)} data-testid="scenario-applied">
            {applied.rules.length > 0 ? `New rule versions: ${applied.rules.map((rule) => `${rule.ruleId} v${rule.version}`).join(', ')}. ` : ''}
            {applied.settingsChanged ? 'Engine settings updated. ' : ''}Recorded as audit entry {formatCount(applied.auditId)}. The next Process run uses it.
          </Alert>
        ) : null}
        <JobProgress job={job} title="Simulating" onCancel={cancel} testId="simulation-progress" />
        {job.status === 'failed' && job.error ? <ErrorState error={job.error} /> : null}
        {job.status === 'cancelled' ? (
          <Alert color="gray" title="Simulation cancelled">
            Nothing was changed.
          </Alert>
        ) : null}
        {job.status === 'done' && job.result ? <SimulationResults result={job.result} /> : null}
        {job.status === 'idle' ? (
          <EmptyState title="No simulation run yet">
            Describe a change above — or pick a saved scenario — and run it: the live configuration and the scenario are evaluated side by side over every player.
          </EmptyState>
        ) : null}
      </Stack>
      {applying !== undefined ? (
        <ApplyDialog
          scenarioId={applying}
          opened
          onClose={() => setApplying(undefined)}
          onApplied={(result) => {
            setApplying(undefined)
            setApplied(result)
          }}
        />
      ) : null}
    </ScreenFrame>
  )
}
