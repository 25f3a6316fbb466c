/**
 * The stored grid, checked by the database itself (PostGIS/GEOS): every geometry valid, every
 * child inside its parent, and the children of each cell covering it without gaps or overlaps.
 * Tolerance: 1e-6 of the parent's area (the generator rounds coordinates to 1e-7 degrees).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { connectTestDatabase } from '../support/database.ts'

const TOLERANCE = 1e-6
const db = connectTestDatabase()
afterAll(() => db.close())

describe('stored grid geometry', () => {
  it('is valid everywhere', async () => {
    const [row] = await db.sql`select count(*)::int as invalid from grid_cell where not ST_IsValid(geom)`
    expect(row!.invalid).toBe(0)
  })

  it('keeps label points inside their cells', async () => {
    const [row] = await db.sql`select count(*)::int as outside from grid_cell where not ST_Covers(geom, label_point)`
    expect(row!.outside).toBe(0)
  })

  it('places every child inside its parent', async () => {
    const rows = await db.sql`
      select c.code, ST_Area(ST_Difference(c.geom, p.geom)) / ST_Area(c.geom) as outside
      from grid_cell c join grid_cell p on p.code = c.parent_code
      where ST_Area(ST_Difference(c.geom, p.geom)) > ${TOLERANCE} * ST_Area(c.geom)`
    expect(rows).toEqual([])
  })

  it('covers every parent with its children, without gaps or overlaps', { timeout: 300_000 }, async () => {
    const rows = await db.sql`
      select p.code,
             abs(sum(ST_Area(c.geom)) - ST_Area(p.geom)) / ST_Area(p.geom) as area_error,
             ST_Area(ST_Difference(p.geom, ST_Union(c.geom))) / ST_Area(p.geom) as gap
      from grid_cell p join grid_cell c on c.parent_code = p.code
      group by p.code, p.geom
      having abs(sum(ST_Area(c.geom)) - ST_Area(p.geom)) > ${TOLERANCE} * ST_Area(p.geom)
          or ST_Area(ST_Difference(p.geom, ST_Union(c.geom))) > ${TOLERANCE} * ST_Area(p.geom)`
    expect(rows).toEqual([])
    const [count] = await db.sql`select count(distinct parent_code)::int as parents from grid_cell`
    expect(count!.parents).toBe(1 + 28 + 409 + 4689)
  })
})
