import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/property/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // Native SQLite and child processes: forks keep each file's handles apart.
    pool: 'forks',
    testTimeout: 30_000,
  },
})
