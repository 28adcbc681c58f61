// The layering of DESIGN.md is enforced by eslint.config.js; this proves each arrow is checked.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`)
}

describe('layering lint', () => {
  it('reports Node, Electron, database and main-process imports in the engine', async () => {
    const found = await problems(
      'src/main/engine/example.ts',
      [
        "import { readFileSync } from 'node:fs'",
        "import { app } from 'electron'",
        "import Database from 'better-sqlite3'",
        "import { LedgerDatabase } from '../ledger/database'",
        'export const used = [readFileSync, app, Database, LedgerDatabase]',
      ].join('\n'),
    )
    expect(found.filter((line) => line.startsWith('no-restricted-imports'))).toHaveLength(3)
    expect(found.some((line) => line.startsWith('import-x/no-restricted-paths'))).toBe(true)
  })

  it('reports the clock and unseeded randomness in the engine', async () => {
    const found = await problems('src/main/engine/example.ts', 'export const a = [Date.now(), Math.random(), new Date()]\n')
    expect(found.filter((line) => /no-restricted-(properties|syntax)/.test(line))).toHaveLength(3)
  })

  it('reports main-process and UI imports in shared code', async () => {
    const found = await problems(
      'src/shared/example.ts',
      "import { createHandlers } from '../main/api/handlers'\nimport React from 'react'\nexport const used = [createHandlers, React]\n",
    )
    expect(found).toHaveLength(2)
  })

  it('reports backend imports in the renderer', async () => {
    const found = await problems(
      'src/renderer/src/example.ts',
      "import { openBackend } from '../../main/backend'\nimport { join } from 'node:path'\nimport { drizzle } from 'drizzle-orm/better-sqlite3'\nexport const used = [openBackend, join, drizzle]\n",
    )
    expect(found).toHaveLength(3)
  })

  it('accepts the allowed arrows: engine → shared, renderer → shared, main → engine', async () => {
    expect(await problems('src/main/engine/example.ts', "import { contract } from '../../shared/api/contract'\nexport const used = contract\n")).toEqual([])
    expect(await problems('src/renderer/src/example.ts', "import { contract } from '../../shared/api/contract'\nexport const used = contract\n")).toEqual([])
    expect(await problems('src/main/api/example.ts', "import { readFileSync } from 'node:fs'\nexport const used = readFileSync\n")).toEqual([])
  })
})
