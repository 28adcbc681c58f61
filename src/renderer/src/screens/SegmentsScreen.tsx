// Segments & thresholds: the ordered segment conditions with sliders, live counts per segment over
// the whole base as they move (debounced), the threshold lint, save, and "Simulate this change".
// Parts live in ./segments/.
import { Alert, Button, Grid, Group, Select, Stack, Text } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiError } from '../../../shared/api/result'
import type { SegmentPreviewResult, SegmentSettingsView } from '../../../shared/api/types-desk'
import type { SegmentConfig } from '../../../shared/engine-settings'
import { api } from '../api/client'
import { useApiQuery } from '../api/use-query'
import { ScreenFrame } from '../components/ScreenFrame'
import { EmptyState, ErrorState } from '../components/states'
import { useNavigation } from '../stores/navigation'
import { useScenarioDraft } from '../stores/scenario-draft'
import { SegmentCounts } from './segments/SegmentCounts'
import { SegmentEditor } from './segments/SegmentEditor'
import { SegmentsLoading } from './segments/SegmentsLoading'
import { thresholdRange, type ThresholdRange } from './segments/threshold-range'

const title = 'Segments & thresholds'
const description = 'Ordered segment conditions: first match wins. Counts are over the whole current player base.'

export function SegmentsScreen() {
  const query = useApiQuery('segments/get', {})
  const go = useNavigation((state) => state.go)
  return (
    <ScreenFrame title={title} description={description}>
      {query.error ? <ErrorState error={query.error} onRetry={query.reload} /> : null}
      {!query.data && !query.error ? <SegmentsLoading /> : null}
      {query.data && query.data.preview.players === 0 ? (
        <EmptyState title="Nothing to segment yet" action={<Button onClick={() => go('import')}>Import a spreadsheet</Button>}>
          Segment counts (NEW, VIP, WINNING, BREAKEVEN, LOSING) and threshold checks need imported players.
        </EmptyState>
      ) : null}
      {query.data && query.data.preview.players > 0 ? <SegmentsBody view={query.data} /> : null}
    </ScreenFrame>
  )
}

function SegmentsBody({ view }: { view: SegmentSettingsView }) {
  const go = useNavigation((state) => state.go)
  const setDraft = useScenarioDraft((state) => state.setDraft)
  const [saved, setSaved] = useState<SegmentConfig>(view.config as SegmentConfig)
  const [config, setConfig] = useState<SegmentConfig>(view.config as SegmentConfig)
  const [preview, setPreview] = useState<SegmentPreviewResult>(view.preview)
  const [previewError, setPreviewError] = useState<ApiError | undefined>()
  const [loading, setLoading] = useState(false)
  const [notice, setNotice] = useState<string | undefined>()
  const [saveError, setSaveError] = useState<ApiError | undefined>()
  const [saving, setSaving] = useState(false)
  const [debounced] = useDebouncedValue(config, 250)

  useEffect(() => {
    let current = true
    setLoading(true)
    void api.call('segments/preview', { config: debounced }).then((reply) => {
      if (!current) return
      setLoading(false)
      if (reply.error) setPreviewError(reply.error)
      else {
        setPreviewError(undefined)
        setPreview(reply.data)
      }
    })
    return () => {
      current = false
    }
  }, [debounced])

  // Slider bounds come from the value first seen for each threshold and then stay put.
  const ranges = useRef(new Map<string, ThresholdRange>())
  const rangeOf = useCallback((segment: string, metric: string, operator: string, value: number) => {
    const key = `${segment}:${metric}:${operator}`
    let range = ranges.current.get(key)
    if (!range) {
      range = thresholdRange(metric, value)
      ranges.current.set(key, range)
    }
    return range
  }, [])

  const changed = JSON.stringify(config) !== JSON.stringify(saved)
  const edit = (next: SegmentConfig) => {
    setNotice(undefined)
    setConfig(next)
  }
  const save = async () => {
    setSaving(true)
    setSaveError(undefined)
    const reply = await api.call('segments/save', { config })
    setSaving(false)
    if (reply.error) setSaveError(reply.error)
    else {
      setSaved(reply.data.config as SegmentConfig)
      setConfig(reply.data.config as SegmentConfig)
      setNotice('Saved. The next processing labels players with these thresholds.')
    }
  }
  const simulate = () => {
    setDraft({ name: 'Segment thresholds from the Segments screen', description: 'Edited segment conditions, not yet saved.', changes: { segments: config } })
    go('simulation')
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Button onClick={() => void save()} loading={saving} disabled={!changed}>
            Save thresholds
          </Button>
          <Button variant="light" onClick={simulate} disabled={!changed}>
            Simulate this change
          </Button>
          <Button variant="subtle" color="gray" onClick={() => edit(saved)} disabled={!changed}>
            Revert to saved
          </Button>
          <Button variant="subtle" color="gray" onClick={() => edit(view.defaults as SegmentConfig)}>
            Use defaults
          </Button>
        </Group>
        <Select
          label="Fallback segment"
          description="For players no definition matches"
          data={['NEW', 'VIP', 'WINNING', 'BREAKEVEN', 'LOSING']}
          value={config.fallback}
          allowDeselect={false}
          onChange={(value) => value && edit({ ...config, fallback: value as SegmentConfig['fallback'] })}
          w={260}
        />
      </Group>
      {notice ? (
        <Alert color="teal" variant="light">
          {notice}
        </Alert>
      ) : null}
      {saveError ? <ErrorState error={saveError} /> : null}
      {changed ? (
        <Text size="sm" c="dimmed">
          Unsaved changes: the counts show what the edited thresholds would give.
        </Text>
      ) : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <SegmentEditor config={config} rangeOf={rangeOf} onChange={edit} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md" style={{ position: 'sticky', top: 60 }}>
            {previewError ? <ErrorState error={previewError} /> : null}
            <SegmentCounts preview={preview} loading={loading} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}
