/**
 * A seeded database for benchmarks: PostGIS when
 * BENCH_DATABASE_URL (or DATABASE_URL) is set, else a fresh embedded PGlite in a temp folder.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readConfig } from '../../../server/config.ts'
import type { Database } from '../../../server/db/connect.ts'
import { prepareDatabase } from '../../../server/server.ts'
import type { AppOptions } from '../../../server/app.ts'
import { serveApp as serveTestApp } from '../../support/serve-app.ts'
import { signIn } from '../../support/auth.ts'

export interface BenchDatabase {
  db: Database
  label: string
  close(): Promise<void>
}

export async function openBenchDatabases({ embeddedOnly = false } = {}): Promise<BenchDatabase[]> {
  const result: BenchDatabase[] = []
  // BENCH_EMBEDDED=off: PostGIS only (the embedded database takes minutes to seed on a busy machine).
  if (process.env.BENCH_EMBEDDED === 'off' && !embeddedOnly) return openExternal(result)
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-bench-'))
  const embedded = await prepareDatabase(readConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '' }))
  result.push({ db: embedded, label: 'embedded PGlite', close: async () => (await embedded.close(), await rm(dir, { recursive: true, force: true })) })
  if (embeddedOnly) return result
  return openExternal(result)
}

async function openExternal(result: BenchDatabase[]): Promise<BenchDatabase[]> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL
  if (url) {
    const external = await prepareDatabase(readConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }))
    result.push({ db: external, label: 'PostgreSQL + PostGIS', close: () => external.close() })
  } else {
    console.log('(PostGIS figures skipped: set BENCH_DATABASE_URL or DATABASE_URL to a PostgreSQL with PostGIS)')
  }
  return result
}

/**
 * The app on a loopback port with a commander's session (`cookie`) for the load generators, and
 * the per-session write limit lifted: the benchmarks drive thousands of writes through one session.
 */
export async function serveApp(db: Database, options: AppOptions = {}): Promise<{ url: string; cookie: string; close(): Promise<void> }> {
  const server = await serveTestApp(db, { ...options, access: { writesPerMinute: 1e9, ...options.access } })
  return { ...server, cookie: await signIn(db) }
}
