/**
 * The generated demo grid is valid for PostGIS: ST_IsValid on every one of its 13,932 cells, in
 * the shared test database (embedded PGlite + PostGIS, or DATABASE_URL). Context regions are not
 * checked here: they pass through from the source and are repaired on insert;
 * test/api/grid-geometry.test.ts checks the stored ones.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { generateGrid, loadSource } from '../../data/generate/index.ts'
import { connectTestDatabase } from '../support/database.ts'

const SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'dianbai')
const db = connectTestDatabase()
afterAll(() => db.close())

it('is valid for PostGIS (ST_IsValid on every cell)', async () => {
  const grid = generateGrid(await loadSource(SOURCE_DIR))
  const geometries = grid.cells.map((c) => ({ code: c.code, g: JSON.stringify(c.geometry) }))
  const invalid: string[] = []
  let checked = 0
  for (let i = 0; i < geometries.length; i += 2000) {
    const batch = JSON.stringify(geometries.slice(i, i + 2000))
    const [counted] = await db.sql<{ n: number }[]>`select count(*)::int as n from json_to_recordset(${batch}::text::json) as r(code text, g text)`
    checked += counted!.n
    const rows = await db.sql<{ code: string; reason: string }[]>`
      select code, ST_IsValidReason(ST_GeomFromGeoJSON(g)) as reason from json_to_recordset(${batch}::text::json) as r(code text, g text)
      where not ST_IsValid(ST_GeomFromGeoJSON(g))`
    invalid.push(...rows.map((r) => `${r.code}: ${r.reason}`))
  }
  expect(checked).toBe(13_932)
  expect(invalid).toEqual([])
}, 180_000)
