/**
 * The stored grid, checked by the database itself (PostGIS/GEOS): every geometry valid, every
 * child inside its parent, and the children of each cell covering it without gaps or overlaps.
 * Tolerance: 1e-6 of the parent's area (the generator rounds coordinates to 1e-7 degrees).
 * Every query returns one row per cell checked and the row count is asserted too: PGlite's GEOS
 * can drop a row instead of raising an error, and a missing row must not pass as "no problem".
 */
import { afterAll, describe, expect, it } from 'vitest'
import { connectTestDatabase } from '../support/database.ts'

const TOLERANCE = 1e-6
const CELLS = 1 + 28 + 409 + 4689 + 8805
const PARENTS = 1 + 28 + 409 + 4689
const db = connectTestDatabase()
afterAll(() => db.close())

describe('stored grid geometry', () => {
  it('is valid everywhere', async () => {
    const [row] = await db.sql`select count(*)::int as cells, count(*) filter (where ST_IsValid(geom))::int as valid from grid_cell`
    expect(row).toEqual({ cells: CELLS, valid: CELLS })
  })

  it('stores the neighbouring divisions for context as valid, non-empty polygons', async () => {
    const rows = await db.sql<{ name: string; valid: boolean; km2: number }[]>`
      select name, ST_IsValid(geom) as valid, ST_Area(geom::geography) / 1e6 as km2 from context_region order by code`
    expect(rows.map((r) => r.name)).toEqual(['茂南区', '高州市', '化州市', '信宜市'])
    for (const r of rows) {
      expect(r.valid, r.name).toBe(true)
      expect(r.km2, r.name).toBeGreaterThan(400) // the smallest, 茂南区, is about 430 km²
    }
  })

  it('keeps label points inside their cells', async () => {
    const [row] = await db.sql`select count(*) filter (where ST_Covers(geom, label_point))::int as inside from grid_cell`
    expect(row!.inside).toBe(CELLS)
  })

  it('places every child inside its parent', async () => {
    const rows = await db.sql<{ code: string; inside: number }[]>`
      select c.code, ST_Area(ST_Intersection(c.geom, p.geom)) / ST_Area(c.geom) as inside
      from grid_cell c join grid_cell p on p.code = c.parent_code`
    expect(rows).toHaveLength(CELLS - 1)
    expect(rows.filter((r) => !(r.inside >= 1 - TOLERANCE))).toEqual([])
  })

  it('covers every parent with its children, without gaps or overlaps', { timeout: 300_000 }, async () => {
    const rows = await db.sql<{ code: string; parent: number; children: number; covered: number }[]>`
      select p.code, ST_Area(p.geom) as parent, sum(ST_Area(c.geom)) as children,
             ST_Area(ST_Intersection(p.geom, ST_Union(c.geom))) as covered
      from grid_cell p join grid_cell c on c.parent_code = p.code
      group by p.code, p.geom`
    expect(rows).toHaveLength(PARENTS)
    // Children's areas add up to the parent's (no overlap) and their union covers it (no gap).
    const wrong = rows.filter((r) => !(Math.abs(r.children - r.parent) <= TOLERANCE * r.parent && r.parent - r.covered <= TOLERANCE * r.parent))
    expect(wrong).toEqual([])
  })
})
