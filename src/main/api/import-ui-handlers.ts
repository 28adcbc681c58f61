// What the Import screen needs besides the import job itself: a preview of a file before anything
// is written. Reads only; the file is whatever path the caller names (in the web host, a path the
// upload endpoint chose), read with the importer's own limits.
import { resolve } from 'node:path'
import { previewImport } from '../jobs/import-preview'
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'

export function importUiHandlers(services: Services) {
  const { database } = services
  return {
    'import/preview': ({ path, sheet, mapping }, context) => previewImport(database, { path: resolve(path), sheet, mapping, signal: context.signal }),
  } satisfies HandlerGroup
}
