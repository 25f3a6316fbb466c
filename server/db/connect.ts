/**
 * Opens the one database client the server uses (postgres.js), on an external PostgreSQL when
 * DATABASE_URL is set and on the embedded PGlite otherwise, and checks that PostGIS is there.
 * Every failure a person can fix becomes a StartupError with a plain sentence.
 */
import postgres from 'postgres'
import { StartupError, type Config } from '../config.ts'
import { startEmbeddedDatabase } from './embedded.ts'
import { ReadReplica } from './replica.ts'

export type Sql = postgres.Sql<{}>

export interface Database {
  sql: Sql
  mode: 'embedded' | 'external'
  /** DATABASE_READ_URL: the read routes' client, with its lag (replica.ts). */
  replica?: ReadReplica
  close(): Promise<void>
}

export async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    const sql = createClient(config.DATABASE_URL, config, 10)
    await checkReachable(sql, 'the PostgreSQL server in DATABASE_URL', 'check DATABASE_URL and that the server is running')
    await ensurePostgis(sql)
    if (!config.DATABASE_READ_URL) return { sql, mode: 'external', close: () => sql.end({ timeout: 5 }) }
    const replica = new ReadReplica(sql, createClient(config.DATABASE_READ_URL, config, 10), config.REPLICA_MAX_LAG_SECONDS)
    await replica.probe()
    return {
      sql,
      mode: 'external',
      replica,
      async close() {
        await replica.close()
        await sql.end({ timeout: 5 })
      },
    }
  }
  const embedded = await startEmbeddedDatabase(config.DATA_DIR, config.EMBEDDED_DB_PORT)
  // One connection: PGlite is a single session, and its socket interleaves the protocol messages
  // of concurrent connections, which is unsafe for the extended query protocol. postgres.js
  // queues and pipelines queries on the one connection instead; a transaction holds it.
  // Known limit: after some errors (seen with one raised by a trigger, and with ST_AsMVT's), the
  // next query on the same connection came back empty, so the server keeps SQL errors off the
  // embedded database in normal work (see supportsAsMvt, explainRefusal).
  const sql = createClient(embedded.url, config, 1)
  try {
    await checkReachable(sql, 'the embedded database', `remove ${config.DATA_DIR} to start afresh`)
    await ensurePostgis(sql)
  } catch (error) {
    await sql.end({ timeout: 1 })
    await embedded.stop()
    throw error
  }
  return {
    sql,
    mode: 'embedded',
    async close() {
      await sql.end({ timeout: 5 })
      await embedded.stop()
    },
  }
}

function createClient(url: string, config: Config, max: number): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    // A database that does not accept the connection is answered 503 within the statement timeout.
    connect_timeout: Math.max(1, Math.min(10, Math.floor(config.STATEMENT_TIMEOUT_MS / 2000))),
    // Bounds every statement so one bad query cannot hold a connection forever, and a transaction
    // left open by a stalled caller (PostgreSQL; the embedded PGlite accepts the settings but
    // cannot enforce them: no timer signals in WebAssembly).
    connection: {
      statement_timeout: config.STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: config.STATEMENT_TIMEOUT_MS * 2,
      application_name: 'gridscope',
      // PostgreSQL compiles a statement whose estimated cost passes 100,000 (JIT), about 10–30 ms:
      // a county's or a town's roll-up on a province (estimated at 200,000–300,000, run in 20–80 ms)
      // paid it on every request. From 500,000, where PostgreSQL also inlines and optimises, it is
      // left to statements over millions of rows, which it speeds up (the province-wide summary).
      jit_above_cost: 500_000,
      // Plan every statement for its bound values. After five runs PostgreSQL may switch a prepared
      // statement to a generic plan that cannot see them, and the best plan here depends on them:
      // a tile's levels and envelope (a generic z6 tile scanned 127,000 cells by the spatial index
      // alone, 68 ms against 22), a scope's prefix length in LIKE. Planning a tile's statement took 0.3 ms.
      plan_cache_mode: 'force_custom_plan',
    },
    types: { bigint: INT8_AS_NUMBER },
  })
}

/**
 * int8 (ids, counts) as JavaScript numbers: exact up to 2^53, far beyond any id or count here,
 * and serialisable to JSON, which BigInt is not.
 */
export const INT8_AS_NUMBER = {
  to: 20,
  from: [20],
  serialize: (value: number) => String(value),
  parse: (value: string) => Number(value),
}

async function checkReachable(sql: Sql, what: string, advice: string): Promise<void> {
  try {
    await sql`select 1`
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {})
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new StartupError(`Cannot connect to ${what} (${reason}); ${advice}.`)
  }
}

/** PostGIS is required; CREATE EXTENSION fails when the server has no PostGIS files installed. */
async function ensurePostgis(sql: Sql): Promise<void> {
  try {
    await sql`create extension if not exists postgis`
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {})
    throw new StartupError(
      `The database has no PostGIS extension (${(error as Error).message}); install PostGIS ≥ 3.3 on the database server ` +
        `(on Debian: apt-get install postgresql-15-postgis-3) or ask its administrator to run CREATE EXTENSION postgis.`,
    )
  }
}

export async function describeDatabase(sql: Sql): Promise<{ postgres: string; postgis: string }> {
  const [row] = await sql<{ postgres: string; postgis: string }[]>`
    select current_setting('server_version') as postgres, postgis_lib_version() as postgis`
  return row!
}
