/**
 * A seeded database and an API server on a free loopback port for benchmarks: PostGIS when
 * BENCH_DATABASE_URL (or DATABASE_URL) is set, else a fresh embedded PGlite in a temp folder.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { createApp, type AppOptions } from '../../../server/app.ts'
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

export async function serveApp(db: Database, options: AppOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp(db, options)
  let server: ServerType
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      if ('closeAllConnections' in server) server.closeAllConnections()
    }),
  }
}
