#!/usr/bin/env node
// `npm start`: build, make sure Electron and an Electron-ABI build of better-sqlite3 exist, and
// launch the desktop app. The Electron-ABI build is kept in .cache/electron-native/<version>/,
// apart from node_modules' Node-ABI build, so `npm start` and `npm test` work in any order.
// Where no Electron binary can be had (offline build machines), it says so and exits 1.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const require = createRequire(import.meta.url)
const electronPackageDir = dirname(require.resolve('electron/package.json'))
const electronVersion = JSON.parse(readFileSync(join(electronPackageDir, 'package.json'), 'utf8')).version
const installTimeoutMilliseconds = 5 * 60_000
const checkOnly = process.argv.includes('--check')

function say(message) {
  process.stderr.write(`npm start: ${message}\n`)
}

/** The Electron executable, downloading it once if this checkout has none (as electron's own CLI would). */
function electronExecutable() {
  const pathFile = join(electronPackageDir, 'path.txt')
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : process.platform === 'win32' ? 'electron.exe' : 'electron'
  const executable = override ? join(override, relative) : join(electronPackageDir, 'dist', relative)
  if (existsSync(executable)) return executable
  if (!override && !checkOnly) {
    say(`Electron ${electronVersion} is not downloaded yet; fetching it once…`)
    const install = spawnSync(process.execPath, [join(electronPackageDir, 'install.js')], {
      stdio: 'inherit',
      timeout: installTimeoutMilliseconds,
    })
    const installed = existsSync(pathFile) && join(electronPackageDir, 'dist', readFileSync(pathFile, 'utf8'))
    if (install.status === 0 && installed && existsSync(installed)) return installed
  }
  return undefined
}

/** better-sqlite3 compiled for Electron's ABI, built once per Electron version. */
function electronSqliteBinding() {
  const target = join(root, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node')
  if (existsSync(target)) return target
  if (checkOnly) return undefined
  say(`building better-sqlite3 for Electron ${electronVersion} (once; Node's own build is left untouched)…`)
  const workDir = join(root, '.cache', 'electron-native', `build-${electronVersion}`)
  rmSync(workDir, { recursive: true, force: true })
  const sourceDir = dirname(require.resolve('better-sqlite3/package.json'))
  cpSync(sourceDir, workDir, { recursive: true, filter: (path) => !path.startsWith(join(sourceDir, 'build')) })
  const options = { cwd: workDir, stdio: 'inherit', timeout: 10 * 60_000 }
  const prebuilt = spawnSync(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
    options,
  )
  if (prebuilt.status !== 0) {
    const nodeGyp = process.env.npm_config_node_gyp
    if (!nodeGyp) return undefined
    const built = spawnSync(
      process.execPath,
      [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
      options,
    )
    if (built.status !== 0) return undefined
  }
  mkdirSync(dirname(target), { recursive: true })
  copyFileSync(join(workDir, 'build', 'Release', 'better_sqlite3.node'), target)
  rmSync(workDir, { recursive: true, force: true })
  return target
}

const executable = electronExecutable()
if (!executable) {
  say(
    `no Electron ${electronVersion} binary is available on this machine, and it could not be downloaded ` +
      '(no internet access, or a blocked download). The desktop window cannot start here. ' +
      'Use `npm run web` for the same app in a browser, or `npx loyalty --help` for the command line. ' +
      'On a machine with internet access, `npm start` downloads Electron once and then works offline.',
  )
  process.exit(1)
}
const binding = electronSqliteBinding()
if (!binding) {
  say(
    `better-sqlite3 could not be built for Electron ${electronVersion} (its prebuilt binary or Electron's headers ` +
      'could not be downloaded). Use `npm run web` meanwhile.',
  )
  process.exit(1)
}
if (checkOnly) {
  process.stdout.write(`Electron ${electronVersion}: ${executable}\nbetter-sqlite3 for Electron: ${binding}\n`)
  process.exit(0)
}

const build = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const child = spawn(executable, [root, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LOYALTY_SQLITE_BINDING: binding },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
