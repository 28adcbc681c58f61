// Where things live on disk. The CLI, the web host and the Electron app must agree on the
// default database, so the app-data folder is computed here and Electron is told to use it
// (app.setPath('userData', …)) rather than each side guessing.
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const productFolderName = 'Loyalty Workstation'
export const databaseFileName = 'loyalty.sqlite'

/** The OS's per-user application-data folder, as Electron's `appData` path defines it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LOYALTY_DATA_DIR) return resolve(env.LOYALTY_DATA_DIR)
  const home = env.HOME || homedir()
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), productFolderName)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', productFolderName)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), productFolderName)
}

/** `--db` beats `LOYALTY_DB`, which beats the app-data default. */
export function resolveDatabasePath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit)
  if (env.LOYALTY_DB) return resolve(env.LOYALTY_DB)
  return join(defaultDataDir(env), databaseFileName)
}

/** The application's root: the folder holding package.json and resources/ (works from src and out). */
export function appRoot(): string {
  if (process.env.LOYALTY_APP_ROOT) return resolve(process.env.LOYALTY_APP_ROOT)
  let folder = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth += 1) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'resources', 'migrations'))) return folder
    folder = dirname(folder)
  }
  throw new Error('The application folder (package.json and resources/) was not found around the running code.')
}

export function resourcesDir(): string {
  return join(appRoot(), 'resources')
}

export function migrationsDir(): string {
  return join(resourcesDir(), 'migrations')
}

let cachedVersion: string | undefined
export function productVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version
  return cachedVersion
}
