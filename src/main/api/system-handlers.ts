import { productVersion } from '../paths'
import type { HandlerGroup } from './dispatcher'
import type { Services } from './services'
import { listRecentFiles } from './recent-files'

export function systemHandlers(services: Services) {
  return {
    'system/info': () => ({
      product: 'Loyalty Workstation',
      version: productVersion(),
      runtime: services.runtime,
      dataDir: services.dataDir,
      database: services.database.info(),
      versions: { ...services.versions, sqlite: services.database.sqliteVersion() },
    }),
    'system/ping': ({ echo }) => ({ echo }),
    'db/info': () => services.database.info(),
    'files/recent': () => ({ files: listRecentFiles(services.database) }),
  } satisfies HandlerGroup
}

