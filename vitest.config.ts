import { defineConfig } from 'vitest/config'

// Two projects. `unit`: tests that need no database (pure functions, the generator, the import
// graph), no global set-up, run with `npm run test:unit` in seconds. `database`: the API, browser
// and `*.db.test.ts` files, which share one database prepared once by the global set-up.
// `npm test` runs both. The database project keeps the root's excludes, so `--exclude` on the command
// line reaches it: CI runs `npm test -- --exclude 'test/browser/**'` on the embedded database.
const DATABASE_TESTS = ['test/api/**/*.test.ts', 'test/browser/**/*.test.ts', '**/*.db.test.ts']

export default defineConfig({
  test: {
    env: { LOG_LEVEL: 'warn' },
    testTimeout: 30_000,
    hookTimeout: 240_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.ts', 'data/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...DATABASE_TESTS],
          // The unit tests keep no global state (each makes its own i18n instance, restores its
          // spies), so the files of one worker share their imported modules instead of importing
          // them again: a third less CPU for the project.
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: DATABASE_TESTS,
          // One database (embedded PGlite, or DATABASE_URL) is prepared once for the whole run.
          globalSetup: ['test/support/global-setup.ts'],
          // Two cores: the browser tests and the embedded database compete for them. The embedded
          // database is one session that must not see two clients' protocol messages interleaved, so
          // on it the test files take turns; on PostgreSQL they run side by side.
          maxWorkers: 2,
          fileParallelism: Boolean(process.env.DATABASE_URL),
          // A loaded machine takes seconds to redraw a page or answer a request: a condition a
          // test waits for with expect.poll gets as long as a locator's wait, not vitest's 1 s.
          expect: { poll: { timeout: 30_000 } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
