/**
 * A database of its own for a test that changes the grid itself (imports a county), so the
 * shared test database and the files running beside it never see it: a new database on the same
 * PostgreSQL when the suite runs on one, else a second embedded PGlite in a temporary folder. It has
 * the migrations and the incident categories and no grid.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { inject } from 'vitest'
import { readConfig } from '../../server/config.ts'
import { type Database, openDatabase } from '../../server/db/connect.ts'
import { migrate } from '../../server/db/migrate.ts'
import { loadCategories } from '../../server/incidents/categories.ts'

export async function openScratchDatabase(): Promise<Database> {
  const env = { ...process.env, LOG_LEVEL: 'warn' }
  if (inject('databaseMode') === 'external') {
    const admin = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })
    const name = `gridscope_scratch_${process.pid}_${Date.now() % 1e6}`
    await admin`create database ${admin(name)}`
    const url = new URL(inject('databaseUrl'))
    url.pathname = `/${name}`
    const db = await openDatabase(readConfig({ ...env, DATABASE_URL: url.toString() }))
    await migrate(db.sql)
    await loadCategories(db.sql)
    return {
      ...db,
      async close() {
        await db.close()
        await admin`drop database if exists ${admin(name)} with (force)`
        await admin.end({ timeout: 5 })
      },
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-scratch-'))
  const db = await openDatabase(readConfig({ ...env, DATABASE_URL: '', DATA_DIR: dir }))
  await migrate(db.sql)
  await loadCategories(db.sql)
  return {
    ...db,
    async close() {
      await db.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
