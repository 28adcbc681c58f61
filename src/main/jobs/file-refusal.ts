// Several files in one call (import/files, process): each file is its own unit, so when one is
// refused the files before it stay imported. The refusal says which file it is about and which were
// imported before it (their summaries in `details.imported`), for the CLI, the UI and API callers alike.
import { basename } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import type { ImportSummary } from '../../shared/api/types'

/** `error` (from importing `path`) naming the file and the files `kept` before it; other errors pass through. */
export function fileRefusal(error: unknown, path: string, kept: readonly ImportSummary[]): unknown {
  if (!(error instanceof ApiFailure) || error.code === 'cancelled') return error
  const file = basename(path)
  const named = error.message.includes(file) ? error.message : `${file}: ${error.message}`
  const before = kept.length ? ` Imported before this refusal: ${kept.map((each) => `${each.file} (import ${each.importId})`).join(', ')}.` : ''
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {}
  return new ApiFailure(error.code, named + before, { ...details, file, imported: [...kept] })
}

/** The summaries of the files imported before a refusal, as fileRefusal put them in its details. */
export function importedBefore(details: unknown): ImportSummary[] {
  const imported = typeof details === 'object' && details !== null ? (details as { imported?: unknown }).imported : undefined
  return Array.isArray(imported) ? (imported as ImportSummary[]) : []
}
