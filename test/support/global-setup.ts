/**
 * Prepares the one database every test file shares: a real PostgreSQL + PostGIS when
 * DATABASE_URL is set, else a fresh embedded PGlite in a temporary folder, served on a
 * loopback port for the whole run. Migrations and the demo seed run here, once.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { readConfig } from '../../server/config.ts'
import { startEmbeddedDatabase } from '../../server/db/embedded.ts'
import { prepareDatabase } from '../../server/server.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    databaseMode: 'embedded' | 'external'
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL
  let url: string
  let cleanup = async () => {}
  if (external) {
    url = external
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'gridscope-test-'))
    const embedded = await startEmbeddedDatabase(dir)
    url = embedded.url
    cleanup = async () => {
      await embedded.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
  const started = Date.now()
  const db = await prepareDatabase(readConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }))
  await db.close()
  console.log(`[test database] ${external ? 'external PostgreSQL (DATABASE_URL)' : 'embedded PGlite'} ready in ${Date.now() - started} ms`)
  if (!external) {
    console.log(
      '[test database] PostGIS-only tests (ST_AsMVT tiles, start-up without PostGIS) are skipped: set DATABASE_URL to a PostgreSQL ≥ 15 with PostGIS to run them.',
    )
  }
  project.provide('databaseUrl', url)
  project.provide('databaseMode', external ? 'external' : 'embedded')
  return cleanup
}
