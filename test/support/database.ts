/**
 * The shared test database (prepared by global-setup.ts) as the server's Database object, so
 * tests build the real app in memory with `createApp(db)` and call `app.request(...)`.
 */
import postgres from 'postgres'
import { inject } from 'vitest'
import type { Database } from '../../server/db/connect.ts'

export function connectTestDatabase(): Database {
  const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {}, types: { bigint: postgres.BigInt } })
  return { sql, mode: inject('databaseMode'), close: () => sql.end({ timeout: 5 }) }
}
