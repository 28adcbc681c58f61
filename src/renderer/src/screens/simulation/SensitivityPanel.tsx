// Sensitivity: the scenario's net expected impact as one parameter sweeps a range (a game's house
// edge, a rule's formula factor, the safety factor), drawn as one line.
import { Button, Card, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core'
import { useMemo, useRef, useState } from 'react'
import type { ApiError } from '../../../../shared/api/result'
import type { SensitivityResult } from '../../../../shared/api/types-simulation'
import type { SensitivityParameter } from '../../../../shared/scenario-schema'
import { api } from '../../api/client'
import { ErrorState } from '../../components/states'
import { EChart } from './EChart'
import { sensitivityOption } from './charts'
import { parseChanges, useSimulationStore } from './simulation-store'

type Kind = SensitivityParameter['kind']
const defaults: Record<Kind, { from: number; to: number }> = {
  safetyFactor: { from: 0.2, to: 1 },
  houseEdge: { from: 0.01, to: 0.06 },
  ruleFactor: { from: 0.5, to: 2 },
  cap: { from: 0, to: 1000 },
}

export function SensitivityPanel({ ruleIds }: { ruleIds: string[] }) {
  const form = useSimulationStore((state) => state.form)
  const ignoreHistory = useSimulationStore((state) => state.ignoreHistory)
  const [kind, setKind] = useState<Kind>('safetyFactor')
  const [game, setGame] = useState('slots')
  const [ruleId, setRuleId] = useState<string | null>(ruleIds[0] ?? null)
  const [range, setRange] = useState(defaults.safetyFactor)
  const [running, setRunning] = useState(false)
  const [error, setError] = useState<ApiError>()
  const [result, setResult] = useState<SensitivityResult>()
  const controller = useRef<AbortController>(undefined)
  const option = useMemo(() => (result ? sensitivityOption(result) : undefined), [result])

  const parameter = (): SensitivityParameter | undefined => {
    if (kind === 'houseEdge') return { kind, game }
    if (kind === 'ruleFactor') return ruleId ? { kind, ruleId } : undefined
    if (kind === 'cap') return { kind, window: 'globalDay', currency: 'BONUS' }
    return { kind: 'safetyFactor' }
  }

  const run = async () => {
    const parsed = parseChanges(form.changesText)
    const chosen = parameter()
    if (!parsed.changes || !chosen) return
    controller.current = new AbortController()
    setRunning(true)
    setError(undefined)
    const response = await api.call(
      'simulation/sensitivity',
      { scenario: { name: form.name.trim() || 'Unsaved scenario', description: form.description, changes: parsed.changes }, ignoreHistory, parameter: chosen, range: { ...range, steps: 11 } },
      { signal: controller.current.signal },
    )
    setRunning(false)
    if (response.error) setError(response.error)
    else setResult(response.data)
  }

  return (
    <Card withBorder data-testid="sensitivity">
      <Stack gap="sm">
        <div>
          <Text fw={600}>Sensitivity</Text>
          <Text size="xs" c="dimmed">
            Net expected impact of the scenario as one parameter sweeps a range, everything else held.
          </Text>
        </div>
        <Group align="flex-end">
          <Select
            label="Parameter"
            value={kind}
            onChange={(value) => {
              const next = (value ?? 'safetyFactor') as Kind
              setKind(next)
              setRange(defaults[next])
            }}
            data={[
              { value: 'safetyFactor', label: 'Safety factor' },
              { value: 'houseEdge', label: 'House edge of a game type' },
              { value: 'ruleFactor', label: "A rule's amount × factor" },
              { value: 'cap', label: 'Global daily bonus budget' },
            ]}
            allowDeselect={false}
            w={230}
          />
          {kind === 'houseEdge' ? <TextInput label="Game type" value={game} onChange={(event) => setGame(event.currentTarget.value)} w={140} /> : null}
          {kind === 'ruleFactor' ? <Select label="Rule" value={ruleId} onChange={setRuleId} data={ruleIds} w={240} /> : null}
          <NumberInput label="From" value={range.from} onChange={(value) => setRange((current) => ({ ...current, from: Number(value) || 0 }))} w={110} min={0} decimalScale={4} />
          <NumberInput label="To" value={range.to} onChange={(value) => setRange((current) => ({ ...current, to: Number(value) || 0 }))} w={110} min={0} decimalScale={4} />
          <Button variant="light" onClick={() => void run()} loading={running}>
            Sweep
          </Button>
          {running ? (
            <Button variant="subtle" color="red" onClick={() => controller.current?.abort()}>
              Cancel
            </Button>
          ) : null}
        </Group>
        {error ? <ErrorState error={error} /> : null}
        {option ? <EChart option={option} height={260} label={`Net impact as ${result!.parameter} varies`} testId="chart-sensitivity" /> : null}
      </Stack>
    </Card>
  )
}
