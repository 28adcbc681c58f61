// Build or choose a scenario: a saved one, the change another screen handed over ("simulate this
// change"), or a new one; its changes are JSON in the scenario format (see README, "What-if
// simulation"), with the common knob (safety factor) as a field. Saved through the API, which checks
// the scenario against the live configuration and says what is wrong and where.
import { Alert, Button, Card, Code, Group, NumberInput, Select, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core'
import { useState } from 'react'
import type { ApiError } from '../../../../shared/api/result'
import { api } from '../../api/client'
import { useApiQuery } from '../../api/use-query'
import { ErrorState } from '../../components/states'
import { useScenarioDraft } from '../../stores/scenario-draft'
import { emptyForm, formFromScenario, parseChanges, useSimulationStore } from './simulation-store'

export function ScenarioEditor({ onApply }: { onApply: (scenarioId: number) => void }) {
  const form = useSimulationStore((state) => state.form)
  const setForm = useSimulationStore((state) => state.setForm)
  const trials = useSimulationStore((state) => state.trials)
  const setTrials = useSimulationStore((state) => state.setTrials)
  const ignoreHistory = useSimulationStore((state) => state.ignoreHistory)
  const setIgnoreHistory = useSimulationStore((state) => state.setIgnoreHistory)
  const run = useSimulationStore((state) => state.run)
  const running = useSimulationStore((state) => state.job.status === 'running')
  const formError = useSimulationStore((state) => state.formError)
  const draft = useScenarioDraft((state) => state.draft)
  const setDraft = useScenarioDraft((state) => state.setDraft)
  const list = useApiQuery('scenarios/list', {})
  const [error, setError] = useState<ApiError>()
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)

  const parsed = parseChanges(form.changesText)
  const safetyFactor = typeof parsed.changes?.safetyFactor === 'number' ? parsed.changes.safetyFactor : ''

  const call = async (work: () => Promise<{ error?: ApiError; data?: unknown }>, after: (data: unknown) => void) => {
    setBusy(true)
    setError(undefined)
    const result = await work()
    setBusy(false)
    if (result.error) setError(result.error)
    else after(result.data)
  }

  const choose = async (value: string | null) => {
    setSaved(false)
    setError(undefined)
    if (!value) {
      setForm(emptyForm)
      return
    }
    await call(
      () => api.call('scenarios/get', { id: Number(value) }),
      (data) => {
        const record = data as { id: number; name: string; description: string; changes: object }
        setForm(formFromScenario(record, record.id))
      },
    )
  }

  const save = () => {
    if (!parsed.changes) return setError({ code: 'invalid_input', message: parsed.error! })
    void call(
      () => api.call('scenarios/save', { ...(form.id ? { id: form.id } : {}), scenario: { name: form.name, description: form.description, changes: parsed.changes! } }),
      (data) => {
        setForm({ id: (data as { id: number }).id })
        setSaved(true)
        list.reload()
      },
    )
  }

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group align="flex-end" grow>
          <Select
            label="Scenario"
            placeholder={list.loading ? 'Loading…' : 'New scenario'}
            data={(list.data?.scenarios ?? []).map((each) => ({ value: String(each.id), label: `${each.name} (${each.changeCount} change${each.changeCount === 1 ? '' : 's'})` }))}
            value={form.id ? String(form.id) : null}
            onChange={(value) => void choose(value)}
            clearable
            data-testid="scenario-select"
          />
          <TextInput label="Name" value={form.name} onChange={(event) => setForm({ name: event.currentTarget.value })} placeholder="e.g. Cashback 15%" required />
        </Group>
        {draft ? (
          <Alert color="blue" title="A change is waiting to be simulated" data-testid="scenario-draft">
            <Group justify="space-between">
              <Text size="sm">“{draft.name}” was handed over from another screen.</Text>
              <Button
                size="xs"
                onClick={() => {
                  setForm(formFromScenario(draft))
                  setDraft(undefined)
                }}
              >
                Use it
              </Button>
            </Group>
          </Alert>
        ) : null}
        <TextInput label="Description" value={form.description} onChange={(event) => setForm({ description: event.currentTarget.value })} placeholder="What the change is for" />
        <NumberInput
          label="Safety factor"
          description="Rewards may cost at most this share of the expected margin. Empty: as live."
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          value={safetyFactor}
          disabled={!parsed.changes}
          onChange={(value) => {
            const changes = { ...parsed.changes }
            if (typeof value === 'number') changes.safetyFactor = value
            else delete changes.safetyFactor
            setForm({ changesText: JSON.stringify(changes, null, 2) })
          }}
          maw={260}
        />
        <Textarea
          label="Changes"
          description={
            <>
              JSON: <Code>segments</Code>, <Code>rules</Code> (<Code>edit</Code>, <Code>add</Code>, <Code>disable</Code>), <Code>caps</Code>, <Code>houseEdges</Code>, <Code>retention</Code>,{' '}
              <Code>safetyFactor</Code>. Rules are full definitions in the rule file format.
            </>
          }
          value={form.changesText}
          onChange={(event) => setForm({ changesText: event.currentTarget.value })}
          autosize
          minRows={4}
          maxRows={16}
          ff="monospace"
          error={parsed.error}
          data-testid="scenario-changes"
        />
        {error ? <ErrorState error={error} /> : null}
        {formError ? <ErrorState error={formError} /> : null}
        {saved ? (
          <Text size="sm" c="teal" data-testid="scenario-saved">
            Saved as scenario {form.id}.
          </Text>
        ) : null}
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="default" onClick={save} loading={busy} disabled={!form.name.trim()}>
              Save
            </Button>
            <Button
              variant="default"
              disabled={!form.id || busy}
              onClick={() =>
                void call(
                  () => api.call('scenarios/duplicate', { id: form.id! }),
                  (data) => {
                    const record = data as { id: number; name: string; description: string; changes: object }
                    setForm(formFromScenario(record, record.id))
                    list.reload()
                  },
                )
              }
            >
              Duplicate
            </Button>
            <Button
              variant="subtle"
              color="red"
              disabled={!form.id || busy}
              onClick={() =>
                void call(
                  () => api.call('scenarios/delete', { id: form.id! }),
                  () => {
                    setForm(emptyForm)
                    setSaved(false)
                    list.reload()
                  },
                )
              }
            >
              Delete
            </Button>
            <Button variant="light" color="orange" disabled={!form.id || busy} onClick={() => onApply(form.id!)}>
              Apply scenario…
            </Button>
          </Group>
          <Group gap="sm" align="flex-end">
            <Switch label="As if nothing was issued yet" checked={ignoreHistory} onChange={(event) => setIgnoreHistory(event.currentTarget.checked)} />
            <NumberInput label="Monte Carlo trials" min={0} max={100_000} step={100} value={trials} onChange={(value) => setTrials(typeof value === 'number' ? value : 0)} w={150} />
            <Button onClick={() => void run()} loading={running} disabled={!parsed.changes}>
              Run simulation
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  )
}
