/**
 * Applying an imported grid as a version, on a database of its own holding only the fixture
 * county (test/support/county-fixture.ts): the apply waits for confirmation and then writes the
 * county in one go; the same files again change nothing; a second version that moves a household
 * group's boundary says how many open cases a report would now place elsewhere, keeps each case in
 * the cell it was reported in, and leaves the first version readable; homes follow their house
 * points, and a household group merged into its neighbour is retired with its worker, party branch
 * and homes moved and its case kept.
 */
import { execFileSync } from 'node:child_process'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createApp } from '../../server/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { createTransform, epsgSpec } from '../../server/imports/crs.ts'
import { type GridImportOptions, importGrid } from '../../server/imports/grid-import.ts'
import { correctCounty, type FixtureFiles, hasOgr2ogr, movedCounty, ORIGIN, writeFixtureFiles } from '../support/county-fixture.ts'
import { asViewer, signIn } from '../support/auth.ts'
import { openScratchDatabase } from '../support/scratch-database.ts'

const gdal = hasOgr2ogr()
const toWgs = createTransform(epsgSpec(4547))
const at = ([x, y]: [number, number]) => toWgs([ORIGIN[0] + x, ORIGIN[1] + y])
const options = (files: string[], extra: Partial<GridImportOptions> = {}): GridImportOptions => ({ files, toleranceM: 5, dryRun: false, yes: false, ...extra })

// Version ids come from an identity: a plan rolled back (no --yes) uses one up, so ids have gaps.
let firstVersion = 0

describe.skipIf(!gdal)('grid versions (skipped without gdal-bin: the fixture files are written by ogr2ogr)', () => {
  let db: Database
  let first: FixtureFiles
  let second: FixtureFiles
  beforeAll(async () => {
    db = await openScratchDatabase()
    first = writeFixtureFiles(correctCounty(), 'county')
    second = writeFixtureFiles(movedCounty(), 'county_moved')
  }, 240_000)
  afterAll(async () => {
    await db?.close()
    for (const files of [first, second]) if (files) rmSync(files.dir, { recursive: true, force: true })
  })
  const count = async (table: 'grid_cell' | 'grid_version' | 'grid_cell_version') =>
    (await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql(table)}`)[0]!.n
  const run = async (files: string[], extra: Partial<GridImportOptions> = {}) => {
    const lines: string[] = []
    const result = await importGrid(db.sql, options(files, extra), (l) => lines.push(l))
    return { ...result, text: lines.join('\n') }
  }

  it('applies only with --yes, then writes the county as version 1; the same files again change nothing', { timeout: 120_000 }, async () => {
    const unconfirmed = await run([first.shp])
    expect(unconfirmed.status).toBe(3)
    expect(unconfirmed.text).toContain('run again with --yes')
    expect(await count('grid_cell')).toBe(0)
    expect(await count('grid_version')).toBe(0)

    const applied = await run([first.shp], { yes: true, effective: '2027-01-01' })
    expect(applied.status, applied.text).toBe(0)
    firstVersion = applied.outcome!.version!
    expect(applied.outcome).toMatchObject({ state: 'applied', added: correctCounty().length, removed: 0, roots: ['445999'] })
    expect(await count('grid_cell')).toBe(correctCounty().length)
    const [group] = await db.sql<{ full_name: string; parent_code: string; inside: boolean }[]>`
      select full_name, parent_code, ST_Covers(geom, label_point) as inside from grid_cell where code = '445999001001001001'`
    expect(group).toEqual({ full_name: '东岭村委会第一村民小组第一住户小组', parent_code: '445999001001001', inside: true })
    const [version] = await db.sql`select effective_date::text as effective, cells, root_codes from grid_version where id = ${firstVersion}`
    expect(version).toEqual({ effective: '2027-01-01', cells: correctCounty().length, root_codes: ['445999'] })

    expect((await run([first.shp], { yes: true })).outcome).toMatchObject({ state: 'unchanged', version: firstVersion })
    // The same county from another format (rings wound the other way) is the same grid: nothing changes.
    const again = await run([first.gpkg], { yes: true })
    expect(again.outcome).toMatchObject({ state: 'unchanged', version: firstVersion })
    expect(again.text).toContain('nothing written')
    expect(await count('grid_version')).toBe(1)
    expect(await count('grid_cell_version')).toBe(correctCounty().length)
  })

  it('a second version moves a boundary: counts the open case, keeps its cell, keeps version 1 readable', { timeout: 120_000 }, async () => {
    // An open case 100 m east of the first boundary: in 第二住户小组 now, in 第一 after the move.
    const [lon, lat] = at([1100, 500])
    const [category] = await db.sql<{ code: string }[]>`select code from incident_category where parent_code is not null order by code limit 1`
    const [incident] = await db.sql<{ id: number }[]>`
      insert into incident (category, severity, title, source, occurred_at, location, grid_code, status, due_at)
      values (${category!.code}, 2, '路灯不亮', 'patrol', now(), ST_SetSRID(ST_MakePoint(${lon!}, ${lat!}), 4326),
              '445999001001001002', 'registered', now() + interval '1 day') returning id`

    const planned = await run([second.shp])
    expect(planned.status).toBe(3)
    expect(planned.outcome).toMatchObject({ state: 'not-confirmed', openCasesChangingCell: 1, added: 0, removed: 0 })
    expect(planned.text).toContain('would now put in another household group: 1')
    expect(await count('grid_version')).toBe(1)

    const applied = await run([second.shp], { yes: true, effective: '2027-03-01' })
    expect(applied.outcome).toMatchObject({ state: 'applied', openCasesChangingCell: 1 })
    expect(applied.outcome!.version).toBeGreaterThan(firstVersion)
    const [kept] = await db.sql`select grid_code from incident where id = ${incident!.id}`
    expect(kept).toEqual({ grid_code: '445999001001001002' })
    const [now] =
      await db.sql`select code from grid_cell where level = 5 and ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon!}, ${lat!}), 4326)) order by code limit 1`
    expect(now).toEqual({ code: '445999001001001001' })
    const [before] = await db.sql`
      select code from grid_cell_version where version = ${firstVersion} and level = 5 and ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon!}, ${lat!}), 4326))`
    expect(before).toEqual({ code: '445999001001001002' })
    const figures = await db.sql`select code, open from grid_incident_stats where code in ('445999', '445999001001001002') order by code`
    expect(figures).toEqual([
      { code: '445999', open: 1 },
      { code: '445999001001001002', open: 1 },
    ])
  })

  it('serves each version on the grid routes and exports any version as GeoJSON and GeoPackage that import back unchanged', { timeout: 120_000 }, async () => {
    const api = asViewer(createApp(db), await signIn(db, 'analyst', '445999'))
    const { versions } = (await (await api.request('/api/grids/versions')).json()) as { versions: { id: number; effectiveDate: string; rootCodes: string[] }[] }
    expect(versions.map((v) => [v.effectiveDate, v.rootCodes])).toEqual([
      ['2027-01-01', ['445999']],
      ['2027-03-01', ['445999']],
    ])
    const [lon] = at([1100, 500])
    // The first household group's eastern edge: 1000 m in version 1, 1200 m now.
    const eastEdge = async (query: string) => {
      const res = await api.request(`/api/grids/445999001001001/geometry?children=1${query}`)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { features: { id: string; geometry: { coordinates: number[][][][] } }[] }
      const first = body.features.find((f) => f.id === '445999001001001001')!
      return Math.max(...first.geometry.coordinates.flat(2).map((p) => p[0]!))
    }
    expect(await eastEdge(`&version=${firstVersion}`)).toBeLessThan(lon!)
    expect(await eastEdge('')).toBeGreaterThan(lon!)
    expect((await api.request('/api/grids/445999/geometry?version=99999')).status).toBe(404)
    expect((await api.request('/api/grids/445999/geometry?version=x')).status).toBe(400)

    const dir = first.dir
    const geojson = join(dir, 'export.geojson')
    const res = await api.request('/api/grids/export?format=geojson')
    expect(res.headers.get('content-type')).toContain('application/geo+json')
    writeFileSync(geojson, await res.text())
    const gpkg = join(dir, 'export.gpkg')
    const gpkgRes = await api.request('/api/grids/export?format=gpkg')
    expect(gpkgRes.headers.get('content-disposition')).toContain('grid.gpkg')
    writeFileSync(gpkg, new Uint8Array(await gpkgRes.arrayBuffer()))
    for (const file of [geojson, gpkg]) {
      expect(execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' })).toContain(`Feature Count: ${correctCounty().length}`)
      const back = await run([file], { yes: true })
      expect({ file, state: back.outcome?.state }).toEqual({ file, state: 'unchanged' })
    }
    const oldLevel5 = join(dir, 'v1-level5.gpkg')
    writeFileSync(oldLevel5, new Uint8Array(await (await api.request(`/api/grids/export?format=gpkg&level=5&version=${firstVersion}`)).arrayBuffer()))
    const info = execFileSync('ogrinfo', ['-al', '-q', oldLevel5], { encoding: 'utf8' })
    expect(info.match(/^\s+code \(String\) = \d+$/gm)?.map((l) => l.trim())).toEqual([
      'code (String) = 445999001001001001',
      'code (String) = 445999001001001002',
    ])
    expect((await api.request('/api/grids/export?format=shp')).status).toBe(400)
    expect((await api.request('/api/grids/export?level=6')).status).toBe(400)
    expect((await api.request('/api/grids/export?version=99999')).status).toBe(404)
  })

  it('draws the tiles of the current grid and of an earlier version', { timeout: 60_000 }, async () => {
    const api = asViewer(createApp(db), await signIn(db, 'analyst', '445999'))
    const [lon, lat] = at([1100, 500])
    const z = 14
    const x = Math.floor(((lon! + 180) / 360) * 2 ** z)
    const y = Math.floor(((1 - Math.log(Math.tan((lat! * Math.PI) / 180) + 1 / Math.cos((lat! * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z)
    const eastEdge = async (query: string) => {
      const res = await api.request(`/tiles/grids/${z}/${x}/${y}.mvt${query}`)
      expect(res.status).toBe(200)
      const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())))
      const layer = tile.layers.household!
      const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i))
      const first = features.find((f) => f.properties.code === '445999001001001001')!
      const geometry = first.toGeoJSON(x, y, z).geometry as { coordinates: number[][][] | number[][][][] }
      return Math.max(...(geometry.coordinates.flat(3) as number[]).filter((_, i) => i % 2 === 0))
    }
    expect(await eastEdge(`?version=${firstVersion}`)).toBeLessThan(lon!)
    expect(await eastEdge('')).toBeGreaterThan(lon!)
    expect((await api.request(`/tiles/grids/${z}/${x}/${y}.mvt?version=99999`)).status).toBe(404)
    expect((await api.request(`/tiles/grids/${z}/${x}/${y}.mvt?version=0`)).status).toBe(400)
  })

  it('serves the imported county like any grid (nothing assumes Dianbai): roots, a cell with its figures, search', { timeout: 60_000 }, async () => {
    const api = asViewer(createApp(db), await signIn(db, 'town_leader', '445999001'))
    const roots = (await (await api.request('/api/grids')).json()) as { roots: { code: string }[] }
    expect(roots.roots.map((r) => r.code)).toEqual(['445999'])
    const cell = await api.request('/api/grids/445999001')
    expect(cell.status).toBe(200)
    // The figures follow the import: the open case counts in its village and town.
    expect(await cell.json()).toMatchObject({
      name: '东岭镇',
      path: [{ code: '445999', name: '测试县' }],
      children: [{ code: '445999001001', name: '东岭村委会', open: 1 }, { code: '445999001002' }],
      descendantCounts: [
        { level: 3, count: 2 },
        { level: 4, count: 1 },
        { level: 5, count: 2 },
      ],
      incidents: { total: 1, open: 1 },
    })
    const search = (await (await api.request(`/api/grids/search?q=${encodeURIComponent('第一住户')}`)).json()) as { results: { code: string }[] }
    expect(search.results.map((r) => r.code)).toContain('445999001001001001')
  })

  it('moves homes with their house points, retires a dropped household group into its neighbour, and keeps the case in it', { timeout: 180_000 }, async () => {
    const removed = '445999001001001002'
    const neighbour = '445999001001001001'
    // A home 100 m east of the first boundary: in 第一住户小组 while the boundary is at 1200 m.
    const [hx, hy] = at([1100, 500])
    const [home] = await db.sql<{ id: number }[]>`
      insert into household (code, cell_code, address, location) values ('GV1', ${neighbour}, '东岭路1号', ST_SetSRID(ST_MakePoint(${hx!}, ${hy!}), 4326)) returning id`
    await db.sql`insert into resident (id_number, household_id, kind, full_name) values ('44099919800101001X', ${home!.id}, 'registered', '黄明')`
    const [worker] = await db.sql<{ id: number }[]>`
      insert into grid_person (cell_code, role, full_name, phone) values (${removed}, 'grid_worker', '林芳', '13800138001') returning id`
    const [branch] = await db.sql<{ id: number }[]>`insert into party_org (cell_code, kind, name) values (${removed}, 'party_group', '第二党小组') returning id`
    const cellOf = async () => {
      const [row] = await db.sql<{ home: string; worker: string; branch: string }[]>`
        select (select cell_code from household where id = ${home!.id}) as home, (select cell_code from grid_person where id = ${worker!.id}) as worker,
               (select cell_code from party_org where id = ${branch!.id}) as branch`
      return row
    }
    const withFiles = async <T>(cells: ReturnType<typeof correctCounty>, name: string, body: (file: string) => Promise<T>) => {
      const files = writeFixtureFiles(cells, name)
      try {
        return await body(files.geojson)
      } finally {
        rmSync(files.dir, { recursive: true, force: true })
      }
    }

    // The boundary back at 1000 m: the home's point is now 100 m inside 第二住户小组, so the home moves there.
    const reshaped = await withFiles(correctCounty(), 'county_back', (file) => run([file], { yes: true, effective: '2027-05-01' }))
    expect(reshaped.outcome).toMatchObject({ state: 'applied', moves: { households: 1, residents: 1, staff: 0, party: 0 }, retiredWithCases: 0 })
    expect(reshaped.text).toContain('households that follow their house points into another cell: 1 (1 residents)')
    expect(await cellOf()).toEqual({ home: removed, worker: removed, branch: removed })

    // 第二住户小组 dropped and nothing drawn in its place: its worker, branch and home have nowhere to go.
    const uncovered = correctCounty().filter((c) => c.编码 !== removed)
    const refused = await withFiles(uncovered, 'county_uncovered', (file) => run([file], { yes: true }))
    expect(refused.status).toBe(2)
    expect(refused.outcome).toMatchObject({ state: 'refused', unplaced: [{ code: removed, people: 1, party: 1, households: 1 }] })
    expect(refused.text).toContain('cell-in-use')
    const versions = await count('grid_version')

    // 第二住户小组 merged into 第一 (which now covers the whole villager group).
    const merged = correctCounty().filter((c) => c.编码 !== removed)
    merged.find((c) => c.编码 === neighbour)!.parts = [
      [
        [
          [0, 0],
          [2000, 0],
          [2000, 2000],
          [0, 2000],
          [0, 0],
        ],
      ],
    ]
    const planned = await withFiles(merged, 'county_merged', (file) => run([file]))
    expect(planned.status).toBe(3)
    expect(planned.outcome).toMatchObject({ moves: { households: 1, residents: 1, staff: 1, party: 1 }, retiredWithCases: 1, unplaced: [], removed: 1 })
    expect(planned.text).toContain('removed cells that cases keep as the cell they were reported in: 1')
    expect(await cellOf()).toEqual({ home: removed, worker: removed, branch: removed })
    expect(await count('grid_version')).toBe(versions)

    const applied = await withFiles(merged, 'county_merged', (file) => run([file], { yes: true, effective: '2027-07-01' }))
    expect(applied.status, applied.text).toBe(0)
    expect(await cellOf()).toEqual({ home: neighbour, worker: neighbour, branch: neighbour })
    expect(await db.sql`select code from grid_cell where code = ${removed}`).toEqual([])
    // The case keeps the retired cell, and still counts in its villager group, village, town and county.
    const cases = await db.sql`select grid_code from incident where grid_code like '445999%'`
    expect(cases).toEqual([{ grid_code: removed }])
    const figures = await db.sql`select code, open from grid_incident_stats where code in ('445999', '445999001001001') order by code`
    expect(figures).toEqual([
      { code: '445999', open: 1 },
      { code: '445999001001001', open: 1 },
    ])
    // The retired cell stays readable in the versions that had it.
    const api = asViewer(createApp(db), await signIn(db, 'analyst', '445999'))
    const childrenAt = async (query: string) => {
      const res = await api.request(`/api/grids/445999001001001/geometry?children=1${query}`)
      expect(res.status).toBe(200)
      return ((await res.json()) as { features: { id: string }[] }).features.map((f) => f.id).sort()
    }
    expect(await childrenAt('')).toEqual([neighbour])
    expect(await childrenAt(`&version=${reshaped.outcome!.version}`)).toEqual([neighbour, removed])
  })
})
