/**
 * A province deployment in small, for the tests of the levels above the county: a database of
 * its own with the demo's Dianbai grid, under 茂名市 (4409) and 广东省 (44). The city's and the
 * province's outlines are Dianbai's and its neighbours' (the context regions the seed loads), so
 * they are real places and hold the county.
 */
import { join } from 'node:path'
import type { Database } from '../../server/db/connect.ts'
import { seedDemo } from '../../server/demo/seed.ts'
import { openScratchDatabase } from './scratch-database.ts'

export const PROVINCE = '44'
export const CITY = '4409'
export const COUNTY = '440904'

export async function openProvinceDatabase(): Promise<Database> {
  const db = await openScratchDatabase()
  await seedDemo(db.sql, { sourceDir: join(import.meta.dirname, '..', '..', 'data', 'dianbai'), history: false })
  await db.sql.begin(async (tx) => {
    for (const [code, level, name, parent] of [
      [PROVINCE, -1, '广东省', null],
      [CITY, 0, '茂名市', PROVINCE],
    ] as const) {
      await tx`
        insert into grid_cell (code, level, name, full_name, parent_code, households, population, geom, label_point)
        select ${code}, ${level}, ${name}, ${name}, ${parent}, c.households, c.population, u.geom, ST_PointOnSurface(u.geom)
        from grid_cell c,
             (select ST_Multi(ST_Union(geom)) as geom
              from (select geom from grid_cell where code = ${COUNTY} union all select geom from context_region) g) u
        where c.code = ${COUNTY}`
    }
    await tx`update grid_cell set parent_code = ${CITY} where code = ${COUNTY}`
  })
  return db
}
