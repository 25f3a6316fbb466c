/**
 * The province build (server/demo/province.ts) into a fresh PostgreSQL database of its own: two
 * counties of two cities with a few thousand incidents. The province and city rows, their parents
 * and outlines, the cells and incidents per county, incidents inside their cells (ST_Covers on a
 * sample) and the figures rolled up to the province. PostgreSQL only: the build loads by COPY FROM
 * STDIN, which the embedded PGlite socket does not take, and the command refuses the embedded
 * database for that reason.
 */
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { buildProvince, DIANBAI_CODE, type ProvinceResult, withoutSlivers } from '../../server/demo/province.ts'
import { connectTestDatabase } from '../support/database.ts'
import { openScratchDatabase } from '../support/scratch-database.ts'

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data')
// 越秀区 (广州市); 武江区 and 浈江区 (韶关市), neighbours whose source outlines leave slivers between them.
const COUNTIES = ['440104', '440203', '440204']
const INCIDENTS = 6000

describe.skipIf(inject('databaseMode') !== 'external')('a province built into PostgreSQL (PostgreSQL only: COPY FROM STDIN)', () => {
  let db: Database
  let result: ProvinceResult
  beforeAll(async () => {
    db = await openScratchDatabase()
    result = await buildProvince(db.sql, {
      provinceDir: join(DATA, 'guangdong'),
      countyFolders: new Map([[DIANBAI_CODE, join(DATA, 'dianbai')]]),
      codes: COUNTIES,
      incidents: INCIDENTS,
      end: new Date('2026-12-01T00:00:00Z'),
      templateCount: 2000,
    })
  }, 600_000)
  afterAll(() => db?.close())

  it('has the province and its cities as cells above the counties, each outline the union of its counties', async () => {
    const rows = await db.sql<
      { code: string; level: number; parent_code: string | null; covers: boolean; area_ratio: number; households: number; below: number }[]
    >`
      select p.code, p.level, p.parent_code,
             bool_and(ST_Covers(p.geom, ST_PointOnSurface(c.geom))) as covers,
             ST_Area(p.geom) / sum(ST_Area(c.geom)) as area_ratio,
             p.households, sum(c.households)::int as below
      from grid_cell p join grid_cell c on c.level = 1 and left(c.code, length(p.code)) = p.code
      where p.level <= 0 group by p.code order by p.code`
    expect(rows.map((r) => [r.code, r.level, r.parent_code])).toEqual([
      ['44', -1, null],
      ['4401', 0, '44'],
      ['4402', 0, '44'],
    ])
    for (const r of rows) {
      expect(r.covers).toBe(true)
      expect(r.area_ratio).toBeCloseTo(1, 2)
      expect(r.households).toBe(r.below)
      expect(r.households).toBeGreaterThan(0)
    }
    // 武江 and 浈江 unioned leave 44 holes of a few m² along their shared edge: none stays.
    const holes = await db.sql<{ code: string; smallest: number | null }[]>`
      select c.code, min(ST_Area(ST_MakePolygon(r.geom)::geography)) as smallest
      from grid_cell c, ST_Dump(c.geom) d, ST_DumpRings(d.geom) r
      where c.level <= 0 and r.path[1] > 0 group by c.code`
    for (const h of holes) expect(h.smallest!).toBeGreaterThanOrEqual(10_000)
    const counties = await db.sql<{ code: string; parent_code: string }[]>`select code, parent_code from grid_cell where level = 1 order by code`
    expect(counties).toEqual(COUNTIES.map((code) => ({ code, parent_code: code.slice(0, 4) })))
  })

  it('holds each county as built: its cells, its staff and its share of the incidents', async () => {
    expect(result.counties.map((c) => c.code)).toEqual(COUNTIES)
    expect(result.incidents).toBe(INCIDENTS)
    const rows = await db.sql<{ county: string; cells: number; people: number; incidents: number }[]>`
      select c.county,
             (select count(*)::int from grid_cell where code like c.county || '%') as cells,
             (select count(*)::int from grid_person where cell_code like c.county || '%') as people,
             (select count(*)::int from incident where grid_code like c.county || '%') as incidents
      from unnest(${COUNTIES}::text[]) as c(county) order by 1`
    expect(rows).toEqual(result.counties.map((c) => ({ county: c.code, cells: c.cells, people: c.people, incidents: c.incidents })))
    for (const r of rows) expect(r.incidents).toBeGreaterThan(0)
    const [levels] = await db.sql<
      { bad: number }[]
    >`select count(*)::int as bad from incident i left join grid_cell c on c.code = i.grid_code where c.level is distinct from 5`
    expect(levels!.bad).toBe(0)
  })

  it('places every sampled incident inside the cell it names', async () => {
    const [sample] = await db.sql<{ n: number; outside: number }[]>`
      select count(*)::int as n, count(*) filter (where not ST_Covers(c.geom, i.location))::int as outside
      from (select * from incident order by md5(id::text) limit 1000) i join grid_cell c on c.code = i.grid_code`
    expect(sample).toEqual({ n: 1000, outside: 0 })
  })

  it('rolls the figures up from the household groups to the province', async () => {
    const stats = await db.sql<{ code: string; total: number; resolved: number }[]>`
      select code, total, resolved from grid_incident_stats where length(code) <= 6 order by code`
    const total = (code: string) => stats.find((s) => s.code === code)?.total
    expect(total('44')).toBe(INCIDENTS)
    expect(total('4401')! + total('4402')!).toBe(INCIDENTS)
    const byCity = new Map<string, number>()
    for (const county of result.counties) {
      expect(total(county.code)).toBe(county.incidents)
      byCity.set(county.code.slice(0, 4), (byCity.get(county.code.slice(0, 4)) ?? 0) + county.incidents)
    }
    for (const [city, incidents] of byCity) expect(total(city)).toBe(incidents)
    const [closed] = await db.sql<{ n: number }[]>`select count(*)::int as n from incident where status = 'closed'`
    expect(stats.find((s) => s.code === '44')!.resolved).toBe(closed!.n)
  })

  it('refuses a database that already holds a grid', async () => {
    await expect(buildProvince(db.sql, { provinceDir: join(DATA, 'guangdong'), countyFolders: new Map(), codes: ['440104'], incidents: 1 })).rejects.toThrow(
      /empty database of its own/,
    )
  })
})

describe('a union of counties without slivers', () => {
  const db = connectTestDatabase()
  afterAll(() => db.close())

  it('drops the holes under a hectare and keeps the larger ones, each polygon with its own', async () => {
    // Two squares in degrees near Dianbai: the first with a hole of about 1 m² and one of about
    // 1.2 km², the second with a hole of about 100 m².
    const union = db.sql`ST_GeomFromText('MULTIPOLYGON(
      ((111.00 21.40, 111.10 21.40, 111.10 21.50, 111.00 21.50, 111.00 21.40),
       (111.02 21.42, 111.02001 21.42, 111.02001 21.42001, 111.02 21.42001, 111.02 21.42),
       (111.05 21.45, 111.06 21.45, 111.06 21.46, 111.05 21.46, 111.05 21.45)),
      ((111.20 21.40, 111.30 21.40, 111.30 21.50, 111.20 21.50, 111.20 21.40),
       (111.25 21.45, 111.2501 21.45, 111.2501 21.4501, 111.25 21.4501, 111.25 21.45)))', 4326)`
    const [row] = await db.sql<{ kind: string; parts: number; holes: number[]; valid: boolean; srid: number }[]>`
      select ST_GeometryType(g) as kind, ST_NumGeometries(g) as parts, ST_IsValid(g) as valid, ST_SRID(g) as srid,
             array(select ST_NumInteriorRings(d.geom) from ST_Dump(g) d order by d.path) as holes
      from (select ${withoutSlivers(db.sql, union)} as g) x`
    expect(row).toEqual({ kind: 'ST_MultiPolygon', parts: 2, holes: [1, 0], valid: true, srid: 4326 })
  })
})

it('the command refuses the embedded database, saying why', async () => {
  const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'server/demo/generate-cli.ts', 'province', '--counties', '1'], {
      cwd: join(DATA, '..'),
      env: { ...process.env, DATABASE_URL: '' },
    })
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) => resolve({ code, stderr }))
  })
  expect(run.code).toBe(2)
  expect(run.stderr).toMatch(/PostgreSQL database of its own: set DATABASE_URL/)
})
