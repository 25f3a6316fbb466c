/**
 * The shared test database (prepared by global-setup.ts) as the server's Database object, so
 * tests build the real app in memory with `createApp(db)` and call `app.request(...)`.
 */
import postgres from 'postgres'
import { inject } from 'vitest'
import { INT8_AS_NUMBER, type Database } from '../../server/db/connect.ts'

export function connectTestDatabase(): Database {
  // Only the `database` project (vitest.config.ts) prepares it; a unit test reaching here is misfiled.
  if (!inject('databaseUrl')) throw new Error('This test needs the test database: put it under test/api or test/browser, or name it *.db.test.ts')
  // The embedded database takes one connection at a time safely (see server/db/connect.ts).
  const embedded = inject('databaseMode') === 'embedded'
  const sql = postgres(inject('databaseUrl'), {
    max: embedded ? 1 : 4,
    onnotice: () => {},
    types: { bigint: INT8_AS_NUMBER },
  })
  return { sql, mode: inject('databaseMode'), close: () => sql.end({ timeout: 5 }) }
}
