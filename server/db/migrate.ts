/**
 * Applies the ordered SQL files in data/migrations once each, recording every applied file in
 * schema_migrations. An advisory lock keeps two API processes starting together from racing.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Sql } from './connect.ts'
import { log } from '../log.ts'

export const MIGRATIONS_DIR = new URL('../../data/migrations/', import.meta.url).pathname
const MIGRATION_LOCK_KEY = 0x67726964 // "grid"

export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort()
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`
    await tx`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`
    const done = new Set((await tx<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name))
    const applied: string[] = []
    for (const file of files) {
      if (done.has(file)) continue
      await tx.unsafe(await readFile(join(dir, file), 'utf8'))
      await tx`insert into schema_migrations (name) values (${file})`
      applied.push(file)
      log.info({ migration: file }, 'migration applied')
    }
    return applied
  })
}
