import { readdir } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { MIGRATIONS_DIR, migrate } from '../../server/db/migrate.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

describe('migrations', () => {
  it('are recorded once each, in order, and a second run applies nothing', async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort()
    expect(files.length).toBeGreaterThan(0)
    const recorded = await db.sql<{ name: string }[]>`select name from schema_migrations order by applied_at, name`
    expect(recorded.map((r) => r.name)).toEqual(files)
    expect(await migrate(db.sql)).toEqual([])
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`
    expect(count!.n).toBe(files.length)
  })
})
