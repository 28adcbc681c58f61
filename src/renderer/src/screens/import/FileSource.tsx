// Where a file comes from: dropped or chosen in the browser (uploaded to the web host), File → Open
// in the desktop app (a path), or the recent-files list.
import { Button, Card, Group, List, Progress, Stack, Text, UnstyledButton } from '@mantine/core'
import { useRef, useState, type DragEvent } from 'react'
import { useApiQuery } from '../../api/use-query'
import { canUpload } from '../../api/upload'
import { EmptyState } from '../../components/states'
import { formatBytes } from '../../format'
import { useImportStore } from './import-store'

const accepted = '.xlsx,.csv,.jsonl,.ndjson,.txt'

export function FileSource() {
  const source = useImportStore((state) => state.source)
  const upload = useImportStore((state) => state.upload)
  const sourceError = useImportStore((state) => state.sourceError)
  const chooseUpload = useImportStore((state) => state.chooseUpload)
  const choosePath = useImportStore((state) => state.choosePath)
  const clearSource = useImportStore((state) => state.clearSource)
  const recent = useApiQuery('files/recent', {})
  const input = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  const uploads = canUpload()

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setDragging(false)
    const file = event.dataTransfer.files[0]
    if (file && uploads) void chooseUpload(file)
  }

  const chooser = uploads ? (
    <>
      <input
        ref={input}
        type="file"
        accept={accepted}
        hidden
        data-testid="import-file-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0]
          if (file) void chooseUpload(file)
          event.currentTarget.value = ''
        }}
      />
      <Button onClick={() => input.current?.click()} loading={upload !== undefined}>
        Choose file…
      </Button>
    </>
  ) : null

  const recentFiles = recent.data?.files ?? []
  return (
    <Stack gap="sm">
      {source ? (
        <Card withBorder padding="sm" data-testid="import-source">
          <Group justify="space-between" wrap="nowrap">
            <div style={{ minWidth: 0 }}>
              <Text fw={600} truncate>
                {source.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {source.path}
              </Text>
            </div>
            <Group gap="xs" wrap="nowrap">
              {chooser}
              <Button variant="default" onClick={clearSource}>
                Close
              </Button>
            </Group>
          </Group>
        </Card>
      ) : (
        <div
          onDragOver={(event) => {
            event.preventDefault()
            setDragging(true)
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{
            border: `2px dashed ${dragging ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-default-border)'}`,
            borderRadius: 'var(--mantine-radius-md)',
          }}
          data-testid="import-dropzone"
        >
          <EmptyState title="No spreadsheet opened yet" action={chooser}>
            {uploads
              ? 'Drop a player summary (XLSX, CSV) or an activity file (CSV, XLSX, JSONL) here, or choose one. Nothing is written until you press Import.'
              : 'Choose File → Open Spreadsheet… (Ctrl+O), or pick a recent file below. Nothing is written until you press Import.'}
          </EmptyState>
        </div>
      )}
      {upload ? (
        <Stack gap={4} aria-label="Upload progress">
          <Text size="sm">
            Uploading {formatBytes(upload.sent)} of {formatBytes(upload.total)}…
          </Text>
          <Progress value={upload.total > 0 ? (upload.sent / upload.total) * 100 : 0} />
        </Stack>
      ) : null}
      {sourceError ? (
        <Text c="red" size="sm" role="alert">
          {sourceError}
        </Text>
      ) : null}
      {!source && recentFiles.length > 0 ? (
        <Card withBorder>
          <Text fw={600} mb="xs">
            Recent files
          </Text>
          <List size="sm" spacing={4}>
            {recentFiles.map((file) => (
              <List.Item key={file.path}>
                <UnstyledButton onClick={() => void choosePath(file.path)} style={{ wordBreak: 'break-all' }}>
                  <Text span size="sm" c="teal">
                    {file.path}
                  </Text>
                </UnstyledButton>{' '}
                <Text span c="dimmed" size="xs">
                  {new Date(file.openedAt).toLocaleString()}
                </Text>
              </List.Item>
            ))}
          </List>
        </Card>
      ) : null}
    </Stack>
  )
}
