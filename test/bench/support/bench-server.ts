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

export interface BenchDatabase {
  db: Database
  label: string
  close(): Promise<void>
}

export async function openBenchDatabases({ embeddedOnly = false } = {}): Promise<BenchDatabase[]> {
  const result: BenchDatabase[] = []
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-bench-'))
  const embedded = await prepareDatabase(readConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '' }))
  result.push({ db: embedded, label: 'embedded PGlite', close: async () => (await embedded.close(), await rm(dir, { recursive: true, force: true })) })
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL
  if (embeddedOnly) return result
  if (url) {
    const external = await prepareDatabase(readConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' }))
    result.push({ db: external, label: 'PostgreSQL + PostGIS', close: () => external.close() })
  } else {
    console.log('(PostGIS figures skipped: set BENCH_DATABASE_URL or DATABASE_URL to a PostgreSQL with PostGIS)')
  }
  return result
}

export { serveApp } from '../../support/serve-app.ts'
