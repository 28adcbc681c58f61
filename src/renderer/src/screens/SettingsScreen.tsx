// Settings: the engine's configuration (currency, house edges, caps and budgets, safety factor,
// retention, points expiry), the date order for ambiguous dates, the data folder and the theme.
// Nothing is saved until the whole form is valid; each problem is shown beside its field.
import { Alert, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, useMantineColorScheme, type MantineColorScheme } from '@mantine/core'
import { useEffect, useMemo, useState } from 'react'
import type { WorkstationPreferences } from '../../../shared/api/types-operations'
import { api } from '../api/client'
import { useApiQuery } from '../api/use-query'
import { ErrorState, LoadingState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { useMoneyStore } from '../stores/money'
import { sameJson, setPath, type SettingsDraft } from './settings/draft'
import { CapsSection, CurrencySection, ExpirySection, HouseEdgeSection, RetentionSection, SafetySection, Section } from './settings/SettingsSections'
import { issuesToErrors, validateSettings, type FieldErrors } from './settings/validation'

const title = 'Settings'
const description = 'House edges, caps, budgets and currency: what the engine uses on the next evaluation.'

export function SettingsScreen() {
  const query = useApiQuery('settings/get', {})
  const info = useApiQuery('system/info', {})
  const [saved, setSaved] = useState<{ settings: SettingsDraft; preferences: WorkstationPreferences } | undefined>()
  const [draft, setDraft] = useState<SettingsDraft | undefined>()
  const [preferences, setPreferences] = useState<WorkstationPreferences>({ dateOrder: 'DMY' })
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [status, setStatus] = useState<{ kind: 'saved'; changed: string[] } | { kind: 'failed'; message: string } | undefined>()
  const [saving, setSaving] = useState(false)
  const setMoney = useMoneyStore((state) => state.set)

  useEffect(() => {
    if (!query.data) return
    setSaved({ settings: query.data.settings, preferences: query.data.preferences })
    setDraft(query.data.settings)
    setPreferences(query.data.preferences)
  }, [query.data])

  const validation = useMemo(() => (draft ? validateSettings(draft) : { errors: {} }), [draft])
  const errors = { ...serverErrors, ...validation.errors }
  const dirty = Boolean(saved && draft && (!sameJson(saved.settings, draft) || !sameJson(saved.preferences, preferences)))
  const invalid = Object.keys(validation.errors).length > 0

  if (query.error) {
    return (
      <ScreenFrame title={title} description={description}>
        <ErrorState error={query.error} onRetry={query.reload} />
      </ScreenFrame>
    )
  }
  if (!draft || !saved) {
    return (
      <ScreenFrame title={title} description={description}>
        <LoadingState rows={10} />
      </ScreenFrame>
    )
  }

  const edit = (path: string[], value: unknown) => {
    setDraft((current) => setPath(current, path, value))
    setServerErrors({})
    setStatus(undefined)
  }
  const revert = () => {
    setDraft(saved.settings)
    setPreferences(saved.preferences)
    setServerErrors({})
    setStatus(undefined)
  }
  const save = async () => {
    if (!validation.settings) return
    setSaving(true)
    const result = await api.call('settings/save', { settings: validation.settings, preferences })
    setSaving(false)
    if (result.error) {
      const details = Array.isArray(result.error.details) ? (result.error.details as { path: string; message: string }[]) : []
      setServerErrors(issuesToErrors(details, 'settings.'))
      setStatus({ kind: 'failed', message: result.error.message })
      return
    }
    setSaved({ settings: result.data.settings, preferences: result.data.preferences })
    setDraft(result.data.settings)
    setPreferences(result.data.preferences)
    setMoney(result.data.settings.currency)
    setStatus({ kind: 'saved', changed: result.data.changed })
  }
  const sectionProps = { draft, errors, edit }
  const errorCount = Object.keys(errors).length

  return (
    <ScreenFrame title={title} description={description}>
      <Card withBorder pos="sticky" top={60} style={{ zIndex: 5 }} data-testid="settings-bar">
        <Group justify="space-between">
          <Text size="sm" c={invalid ? 'red' : 'dimmed'} data-testid="settings-state" aria-live="polite">
            {invalid
              ? `${errorCount} ${errorCount === 1 ? 'value needs' : 'values need'} fixing before you can save.`
              : dirty
                ? 'Unsaved changes.'
                : query.data?.updatedAt
                  ? `Saved ${new Date(query.data.updatedAt).toLocaleString()}.`
                  : 'Using the defaults: nothing saved yet.'}
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={revert} disabled={!dirty || saving}>
              Revert
            </Button>
            <Button onClick={() => void save()} disabled={!dirty || invalid} loading={saving}>
              Save settings
            </Button>
          </Group>
        </Group>
      </Card>
      {query.data?.problem ? (
        <Alert color="orange" title="The saved settings could not be read">
          {query.data.problem} The defaults are shown; saving replaces the broken settings.
        </Alert>
      ) : null}
      {status?.kind === 'saved' ? (
        <Alert color="teal" title="Settings saved" data-testid="settings-saved" withCloseButton onClose={() => setStatus(undefined)}>
          {status.changed.length ? `Changed: ${status.changed.join(', ')}. The next evaluation uses them.` : 'Nothing had changed.'}
        </Alert>
      ) : null}
      {status?.kind === 'failed' ? (
        <Alert color="red" title="Not saved" role="alert">
          {status.message}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Stack gap="lg">
          <CurrencySection {...sectionProps} />
          <SafetySection {...sectionProps} />
          <ExpirySection {...sectionProps} />
          <Section title="Dates" description="How a date such as 03/04/2026 is read when a file does not say: day first (3 April) or month first (March 4).">
            <SegmentedControl
              aria-label="Date order for ambiguous dates"
              value={preferences.dateOrder}
              onChange={(value) => {
                setPreferences({ dateOrder: value === 'MDY' ? 'MDY' : 'DMY' })
                setStatus(undefined)
              }}
              data={[
                { value: 'DMY', label: 'Day first (DD/MM)' },
                { value: 'MDY', label: 'Month first (MM/DD)' },
              ]}
            />
          </Section>
        </Stack>
        <Stack gap="lg">
          <HouseEdgeSection {...sectionProps} />
          <RetentionSection {...sectionProps} />
        </Stack>
      </SimpleGrid>
      <CapsSection {...sectionProps} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Section title="Data folder" description="Where the database and exports are kept on this computer. Start with --db PATH to use another database.">
          <TextInput aria-label="Data folder" readOnly value={info.data?.dataDir ?? ''} placeholder={info.error ? info.error.message : 'Loading…'} data-testid="data-folder" />
          {info.data ? (
            <Text size="xs" c="dimmed">
              Database: {info.data.database.path}
            </Text>
          ) : null}
        </Section>
        <ThemeSection />
      </SimpleGrid>
    </ScreenFrame>
  )
}

function ThemeSection() {
  const { colorScheme, setColorScheme } = useMantineColorScheme()
  return (
    <Section title="Theme" description="Applies at once and is remembered on this computer.">
      <SegmentedControl
        aria-label="Theme"
        value={colorScheme}
        onChange={(value) => setColorScheme(value as MantineColorScheme)}
        data={[
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
          { value: 'auto', label: 'As the system' },
        ]}
      />
    </Section>
  )
}
