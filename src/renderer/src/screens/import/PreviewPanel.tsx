// The preview before anything is written: sheet, header row, detected kind, each column's field
// (with a mapping editor for unknown or wrong ones), the first rows, and the import options.
import { Alert, Badge, Button, Card, Group, ScrollArea, Select, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core'
import type { ImportPreview } from '../../../../shared/api/types'
import { ErrorState, LoadingState } from '../../components/states'
import { formatBytes } from '../../format'
import { useImportStore } from './import-store'
import { useApiQuery } from '../../api/use-query'

const kindLabel: Record<string, string> = { summary: 'Player summary', events: 'Activity events' }
const ignore = 'ignore'

export function PreviewPanel() {
  const preview = useImportStore((state) => state.preview)
  const loading = useImportStore((state) => state.previewLoading)
  const error = useImportStore((state) => state.previewError)
  const source = useImportStore((state) => state.source)
  const imported = useImportStore((state) => state.importJob.status === 'done')
  // Once imported, the result below says everything; the preview would only repeat it.
  if (!source || imported) return null
  if (error) return <ErrorState error={error} />
  if (!preview) return <LoadingState rows={6} />
  return (
    <Card withBorder data-testid="import-preview" style={{ opacity: loading ? 0.6 : 1, transition: 'opacity 120ms' }} aria-busy={loading}>
      <Stack gap="md">
        <PreviewFacts preview={preview} />
        {preview.alreadyImported ? (
          <Alert color="blue" title="Already imported" data-testid="already-imported">
            This exact file (same content) was imported before as import {preview.alreadyImported.importId}. Importing it again adds nothing.
          </Alert>
        ) : null}
        {preview.refusal ? (
          <Alert color="orange" title="Not importable as mapped" data-testid="preview-refusal">
            <Text size="sm">{preview.refusal}</Text>
            {preview.kind !== 'events' ? (
              <Text size="sm" mt="xs">
                Choose the right field for the column in the table below; the mapping is remembered for files with these headers.
              </Text>
            ) : null}
          </Alert>
        ) : null}
        <SampleTable preview={preview} />
        <ImportOptions preview={preview} />
      </Stack>
    </Card>
  )
}

function PreviewFacts({ preview }: { preview: ImportPreview }) {
  const sheet = useImportStore((state) => state.sheet)
  const setSheet = useImportStore((state) => state.setSheet)
  const profileApplied = useImportStore((state) => state.profileApplied)
  return (
    <Group gap="lg" align="flex-end" wrap="wrap">
      {preview.sheets && preview.sheets.length > 1 ? (
        <Select
          label="Sheet"
          data={preview.sheets}
          value={sheet ?? preview.sheet ?? null}
          onChange={(value) => value && void setSheet(value)}
          allowDeselect={false}
          w={200}
        />
      ) : null}
      <Fact label="Format" value={`${preview.format.toUpperCase()} · ${formatBytes(preview.sizeBytes)}`} testId="preview-format" />
      {preview.sheet && !(preview.sheets && preview.sheets.length > 1) ? <Fact label="Sheet" value={preview.sheet} testId="preview-sheet" /> : null}
      <Fact label="Header row" value={preview.headerRow !== undefined ? String(preview.headerRow) : '—'} testId="preview-header-row" />
      <Fact label="Detected" value={preview.kind ? kindLabel[preview.kind]! : 'No header recognised'} testId="preview-kind" />
      {preview.missingRequired.length > 0 ? (
        <Fact label="Missing" value={preview.missingRequired.join(', ')} testId="preview-missing" color="orange" />
      ) : (
        <Badge color="teal" variant="light" size="lg">
          All required columns found
        </Badge>
      )}
      {profileApplied ? (
        <Badge color="blue" variant="light" size="lg">
          Saved mapping applied
        </Badge>
      ) : null}
    </Group>
  )
}

function Fact({ label, value, testId, color }: { label: string; value: string; testId: string; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} c={color} data-testid={testId}>
        {value}
      </Text>
    </div>
  )
}

function SampleTable({ preview }: { preview: ImportPreview }) {
  const mapColumn = useImportStore((state) => state.mapColumn)
  const editable = preview.kind !== 'events'
  const options = [
    { value: ignore, label: 'Not imported' },
    ...preview.fields.map((field) => ({ value: field.field, label: field.label })),
  ]
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table striped withTableBorder withColumnBorders fz="sm" data-testid="preview-table" style={{ minWidth: preview.columns.length * 190 }}>
        <Table.Thead>
          <Table.Tr>
            {preview.columns.map((column) => (
              <Table.Th key={column.index} style={{ verticalAlign: 'top', minWidth: 190 }}>
                <Stack gap={4}>
                  <Text fw={700} size="sm" truncate title={column.header}>
                    {column.header}
                  </Text>
                  {editable ? (
                    <Select
                      aria-label={`Field for column ${column.header}`}
                      size="xs"
                      data={options}
                      value={column.field ?? ignore}
                      searchable
                      allowDeselect={false}
                      comboboxProps={{ width: 260, position: 'bottom-start' }}
                      onChange={(value) => void mapColumn(column.header, value ?? ignore)}
                      styles={column.field === null ? { input: { color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' } } : undefined}
                    />
                  ) : (
                    <Badge variant="light" color={column.field ? 'teal' : 'gray'}>
                      {column.field ?? 'not imported'}
                    </Badge>
                  )}
                </Stack>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.sample.map((row, rowIndex) => (
            <Table.Tr key={rowIndex}>
              {preview.columns.map((column) => (
                <Table.Td key={column.index} style={{ whiteSpace: 'nowrap' }}>
                  {row[column.index] ?? ''}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {preview.sample.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs">
          No data rows below the header.
        </Text>
      ) : null}
    </ScrollArea>
  )
}

function ImportOptions({ preview }: { preview: ImportPreview }) {
  const asOf = useImportStore((state) => state.asOf)
  const setAsOf = useImportStore((state) => state.setAsOf)
  const chosenOrder = useImportStore((state) => state.dateOrder)
  const saved = useApiQuery('settings/get', {})
  const dateOrder = chosenOrder ?? saved.data?.preferences.dateOrder ?? 'DMY'
  const setDateOrder = useImportStore((state) => state.setDateOrder)
  const runImport = useImportStore((state) => state.runImport)
  const running = useImportStore((state) => state.importJob.status === 'running')
  const asOfInvalid = asOf !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)
  return (
    <Group align="flex-end" gap="lg" wrap="wrap">
      <TextInput
        label="As-of date"
        description="Empty: the date in the file's title row, else today"
        placeholder="YYYY-MM-DD"
        value={asOf}
        onChange={(event) => setAsOf(event.currentTarget.value.trim())}
        error={asOfInvalid ? 'Use YYYY-MM-DD' : undefined}
        w={240}
      />
      <div>
        <Text size="sm" fw={500}>
          Ambiguous dates
        </Text>
        <Text size="xs" c="dimmed" mb={4}>
          Order for dates like 03/04/2026
        </Text>
        <SegmentedControl
          aria-label="Date order"
          value={dateOrder}
          onChange={(value) => setDateOrder(value === 'MDY' ? 'MDY' : 'DMY')}
          data={[
            { value: 'DMY', label: 'Day first' },
            { value: 'MDY', label: 'Month first' },
          ]}
        />
      </div>
      <Button size="md" onClick={() => void runImport()} loading={running} disabled={asOfInvalid || preview.refusal !== undefined}>
        Import
      </Button>
    </Group>
  )
}
