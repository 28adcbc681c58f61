// "Apply scenario": the exact list of what becomes live (settings and new rule versions), read from
// the backend's preview, and only then the confirmation that applies it.
import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import type { ApplyResult } from '../../../../shared/api/types-simulation'
import { api } from '../../api/client'
import { useApiQuery } from '../../api/use-query'
import { ErrorState, LoadingState } from '../../components/states'
import type { ApiError } from '../../../../shared/api/result'
import { describeChange } from './SimulationResults'

export function ApplyDialog({ scenarioId, opened, onClose, onApplied }: { scenarioId: number; opened: boolean; onClose: () => void; onApplied: (result: ApplyResult) => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Apply scenario to the live configuration" size="lg">
      {opened ? <ApplyBody scenarioId={scenarioId} onClose={onClose} onApplied={onApplied} /> : null}
    </Modal>
  )
}

function ApplyBody({ scenarioId, onClose, onApplied }: { scenarioId: number; onClose: () => void; onApplied: (result: ApplyResult) => void }) {
  const preview = useApiQuery('simulation/apply-preview', { scenarioId })
  const [applying, setApplying] = useState(false)
  const [error, setError] = useState<ApiError>()
  if (preview.loading) return <LoadingState rows={3} />
  if (preview.error) return <ErrorState error={preview.error} onRetry={preview.reload} />
  const changes = preview.data!.changes
  const apply = async () => {
    setApplying(true)
    const result = await api.call('simulation/apply', { scenarioId })
    setApplying(false)
    if (result.error) setError(result.error)
    else onApplied(result.data)
  }
  return (
    <Stack gap="md" data-testid="apply-preview">
      {changes.length === 0 ? (
        <Alert color="gray">This scenario is already the live configuration: there is nothing to apply.</Alert>
      ) : (
        <>
          <Text size="sm">
            Applying “{preview.data!.scenario.name}” makes {changes.length === 1 ? 'this change' : `these ${changes.length} changes`} live. Edited rules get a new version (rewards
            already issued keep pointing at theirs); the next Process run uses them. This is recorded in the audit log.
          </Text>
          <List size="sm" spacing={4}>
            {changes.map((change) => (
              <List.Item key={describeChange(change)}>{describeChange(change)}</List.Item>
            ))}
          </List>
        </>
      )}
      {error ? <ErrorState error={error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="orange" onClick={() => void apply()} loading={applying} disabled={changes.length === 0}>
          Apply {changes.length} change{changes.length === 1 ? '' : 's'}
        </Button>
      </Group>
    </Stack>
  )
}
