import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.ts'],
    // One database (embedded PGlite, or DATABASE_URL) is prepared once for the whole run.
    globalSetup: ['test/support/global-setup.ts'],
    env: { LOG_LEVEL: 'warn' },
    testTimeout: 30_000,
    hookTimeout: 240_000,
    // Two cores: the browser tests and the embedded database compete for them. The embedded
    // database is one session that must not see two clients' protocol messages interleaved, so
    // on it the test files take turns; on PostgreSQL they run side by side.
    maxWorkers: 2,
    fileParallelism: Boolean(process.env.DATABASE_URL),
  },
})
