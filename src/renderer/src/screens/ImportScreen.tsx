// Import: choose a file, see what would be read (and fix the column mapping), import it with
// progress, read the result, and process the base. Pieces are in ./import/.
import { Stack } from '@mantine/core'
import { useEffect } from 'react'
import { ScreenFrame } from '../components/ScreenFrame'
import { useNavigation } from '../stores/navigation'
import { FileSource } from './import/FileSource'
import { useImportStore } from './import/import-store'
import { ImportResult } from './import/ImportResult'
import { JobProgress } from './import/JobProgress'
import { PreviewPanel } from './import/PreviewPanel'
import { ProcessPanel } from './import/ProcessPanel'

export function ImportScreen() {
  const pendingFile = useNavigation((state) => state.pendingFile)
  const choosePath = useImportStore((state) => state.choosePath)
  const importJob = useImportStore((state) => state.importJob)
  const cancel = useImportStore((state) => state.cancel)

  useEffect(() => {
    // File → Open in the desktop app hands over a path.
    if (pendingFile) {
      void choosePath(pendingFile)
      useNavigation.setState({ pendingFile: undefined })
    }
  }, [pendingFile, choosePath])

  return (
    <ScreenFrame title="Import" description="Player summary spreadsheets (XLSX, CSV) and activity event files (CSV, XLSX, JSONL).">
      <Stack gap="md">
        <FileSource />
        <PreviewPanel />
        <JobProgress job={importJob} title="Importing" onCancel={() => cancel('import')} testId="import-progress" />
        <ImportResult />
        <ProcessPanel />
      </Stack>
    </ScreenFrame>
  )
}
