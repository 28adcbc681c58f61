import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultDataDir, resolveDatabasePath } from '../../src/main/paths'

describe('data folder and database path', () => {
  it('follows each OS convention for per-user application data, as Electron does', () => {
    expect(defaultDataDir({ HOME: '/home/op' }, 'linux')).toBe('/home/op/.config/Loyalty Workstation')
    expect(defaultDataDir({ HOME: '/home/op', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Loyalty Workstation')
    expect(defaultDataDir({ HOME: '/Users/op' }, 'darwin')).toBe('/Users/op/Library/Application Support/Loyalty Workstation')
    expect(defaultDataDir({ HOME: '/h', APPDATA: 'C:/Users/op/AppData/Roaming' }, 'win32')).toBe(join('C:/Users/op/AppData/Roaming', 'Loyalty Workstation'))
  })

  it('takes --db over $LOYALTY_DB over the default', () => {
    const env = { HOME: '/home/op', LOYALTY_DB: '/data/env.sqlite' }
    expect(resolveDatabasePath('/data/flag.sqlite', env)).toBe('/data/flag.sqlite')
    expect(resolveDatabasePath(undefined, env)).toBe('/data/env.sqlite')
    expect(resolveDatabasePath(undefined, { HOME: '/home/op' })).toBe('/home/op/.config/Loyalty Workstation/loyalty.sqlite')
  })
})
