/**
 * The levels above the county (issue: province scale) on a database of their own: Dianbai under
 * 茂名市 (4409) and 广东省 (44) (test/support/province-fixture.ts). Viewers scoped to the province
 * or the city open on it, drill down through it to the county, see its figures rolled up, rank its
 * cities and counties on the wall, and get its outlines in the tiles; a county viewer is unchanged.
 */
import { VectorTile } from '@mapbox/vector-tile'
import type { Hono } from 'hono'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AccountError, addUser } from '../../server/access/accounts.ts'
import { createApp } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { refreshIncidentStats } from '../../server/incidents/stats.ts'
import { json } from '../support/access-fixture.ts'
import { signIn, withCookie } from '../support/auth.ts'
import { CITY, COUNTY, openProvinceDatabase, PROVINCE } from '../support/province-fixture.ts'

let db: Database
let app: Hono
const cookies = {} as Record<'province' | 'city' | 'county' | 'town' | 'wall', string>
let caseGrid = ''

const get = async (path: string, cookie: string) => {
  const res = await app.request(path, withCookie({}, cookie))
  return { res, body: res.headers.get('content-type')?.includes('json') ? await res.json() : null }
}

beforeAll(async () => {
  db = await openProvinceDatabase()
  app = createApp(db)
  cookies.province = await signIn(db, 'commander', PROVINCE)
  cookies.city = await signIn(db, 'analyst', CITY)
  cookies.county = await signIn(db, 'commander', COUNTY)
  cookies.town = await signIn(db, 'town_leader', `${COUNTY}004`)
  cookies.wall = await signIn(db, 'wall', PROVINCE)
  // One case, reported by the province's commander, in a household group of Dianbai.
  const [cell] = await db.sql<{ lon: number; lat: number }[]>`
    select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell
    where level = 5 and code like ${`${COUNTY}004%`} and ST_Covers(geom, label_point) order by code limit 1`
  const res = await app.request(
    '/api/incidents',
    withCookie(json({ category: 'dispute.neighbour', severity: 2, title: '省级视角测试', location: cell }), cookies.province),
  )
  expect(res.status).toBe(201)
  caseGrid = ((await res.json()) as { gridCode: string }).gridCode
  await refreshIncidentStats(db.sql)
}, 300_000)
afterAll(async () => {
  await db?.close()
})

describe('the levels above the county', () => {
  it("opens each viewer's map on their own province, city or county; below the county, on the county", async () => {
    const roots = async (cookie: string) => (await get('/api/grids', cookie)).body.roots.map((r: { code: string; level: number }) => [r.code, r.level])
    expect(await roots(cookies.province)).toEqual([[PROVINCE, -1]])
    expect(await roots(cookies.city)).toEqual([[CITY, 0]])
    expect(await roots(cookies.county)).toEqual([[COUNTY, 1]])
    expect(await roots(cookies.town)).toEqual([[COUNTY, 1]])
  })

  it('drills down from the province through the city to the county, with the path back up', async () => {
    const province = (await get(`/api/grids/${PROVINCE}`, cookies.province)).body
    expect(province.level).toBe(-1)
    expect(province.path).toEqual([])
    expect(province.children.map((c: { code: string }) => c.code)).toEqual([CITY])
    const city = (await get(`/api/grids/${CITY}`, cookies.province)).body
    expect(city.path.map((p: { code: string }) => p.code)).toEqual([PROVINCE])
    expect(city.children.map((c: { code: string }) => c.code)).toEqual([COUNTY])
    expect(city.descendantCounts.map((d: { level: number }) => d.level)).toEqual([1, 2, 3, 4, 5])
    const county = (await get(`/api/grids/${COUNTY}`, cookies.province)).body
    expect(county.path.map((p: { code: string; name: string }) => `${p.code} ${p.name}`)).toEqual([`${PROVINCE} 广东省`, `${CITY} 茂名市`])
  })

  it('rolls the figures up to the city and the province, for their viewers only', async () => {
    const [row] = await db.sql<{ county: number; city: number; province: number }[]>`
      select (select total from grid_incident_stats where code = ${COUNTY}) as county,
             (select total from grid_incident_stats where code = ${CITY}) as city,
             (select total from grid_incident_stats where code = ${PROVINCE}) as province`
    expect(row!.county).toBeGreaterThanOrEqual(1)
    expect([row!.city, row!.province]).toEqual([row!.county, row!.county])
    const cityAsCityViewer = (await get(`/api/grids/${PROVINCE}`, cookies.city)).body.children[0]
    expect(cityAsCityViewer.incidents).toBe(row!.county)
    // The county's commander sees the city's outline but counts only the county's own cases.
    const cityAsCounty = (await get(`/api/grids/${PROVINCE}`, cookies.county)).body.children[0]
    expect(cityAsCounty.incidents).toBe(row!.county)
    const list = (await get(`/api/incidents?grid=${CITY}&limit=5`, cookies.city)).body
    expect(list.items.map((i: { gridCode: string }) => i.gridCode)).toContain(caseGrid)
  })

  it('scopes roles to a city or the province; leaders stay at their own level', async () => {
    const city = await addUser(db.sql, { username: 'city-commander', role: 'commander', scope: CITY, password: 'correct horse battery staple' })
    expect(city.scope).toBe(CITY)
    const top = await addUser(db.sql, { username: 'province-analyst', role: 'analyst', password: 'correct horse battery staple' })
    expect(top.scope).toBe(PROVINCE)
    await expect(addUser(db.sql, { username: 'city-town-leader', role: 'town_leader', scope: CITY, password: 'correct horse battery staple' })).rejects.toThrow(
      AccountError,
    )
  })

  it('finds the city by name, and reads cases per county for the analyst', async () => {
    const found = (await get(`/api/grids/search?q=${encodeURIComponent('茂名')}`, cookies.city)).body.results
    expect(found.map((r: { code: string }) => r.code)).toContain(CITY)
    const byCounty = (await get(`/api/incidents/by-cell?level=1&grid=${CITY}`, cookies.city)).body
    expect(byCounty.cells.map((c: { code: string }) => c.code)).toEqual([COUNTY])
    expect(byCounty.cells[0].count).toBeGreaterThanOrEqual(1)
  })

  it('ranks the cities and the counties on a province wall, the counties on a city wall', async () => {
    const province = (await get('/api/wall/summary', cookies.wall)).body
    expect(province.grid).toMatchObject({ code: PROVINCE, level: -1 })
    expect(province.ranking.level).toBe(0)
    expect(province.ranking.rows.map((r: { code: string }) => r.code)).toEqual([CITY])
    expect(province.countyRanking.map((r: { code: string }) => r.code)).toEqual([COUNTY])
    expect(province.countyRanking[0].open).toBe(province.ranking.rows[0].open)
    expect(province.ranking.rows[0].open).toBeGreaterThanOrEqual(1)
    expect(province.heat.cellDegrees).toBeGreaterThan(0.005)
    const city = (await get(`/api/wall/summary?grid=${CITY}`, cookies.wall)).body
    expect(city.ranking).toMatchObject({ level: 1, rows: [expect.objectContaining({ code: COUNTY })] })
    expect(city.countyRanking).toBeNull()
    const bad = await get('/api/wall/summary?grid=440', cookies.wall)
    expect(bad.res.status).toBe(400)
    expect(bad.body.invalidParams[0].name).toBe('grid')
  })

  it("counts the patrol coverage of the province's and the city's household groups, per city and per county", async () => {
    const county = (await get(`/api/coverage?grid=${COUNTY}`, cookies.province)).body
    expect(county.households).toBeGreaterThan(0)
    for (const [grid, child] of [
      [PROVINCE, CITY],
      [CITY, COUNTY],
    ]) {
      const coverage = (await get(`/api/coverage?grid=${grid}`, cookies.province)).body
      expect(coverage).toMatchObject({ households: county.households, visited: county.visited })
      expect(coverage.cells).toEqual([expect.objectContaining({ code: child, households: county.households })])
    }
  })

  it('lists silent grids per county, not for a city or the province (too many household groups to draw)', async () => {
    for (const grid of [PROVINCE, CITY]) {
      const { res, body } = await get(`/api/coverage/silent?grid=${grid}&format=geojson`, cookies.province)
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(body.invalidParams[0].name).toBe('grid')
    }
    const county = await get(`/api/coverage/silent?grid=${COUNTY}&format=geojson`, cookies.province)
    expect(county.res.status).toBe(200)
    expect(county.body.features.length).toBeGreaterThan(0)
    expect(county.body.features.every((f: { id: string }) => f.id.startsWith(COUNTY))).toBe(true)
  })

  it("draws the province's and the city's outlines in the tiles, and lists their layers", async () => {
    const tilejson = (await get('/tiles/grids.json', cookies.province)).body
    expect(tilejson.vector_layers.map((l: { id: string }) => l.id)).toEqual(['province', 'city', 'district', 'town', 'village', 'group', 'household'])
    // The z6 tile over Dianbai (111.3°E, 21.5°N).
    const res = await app.request('/tiles/grids/6/51/28.mvt', withCookie({}, cookies.province))
    expect(res.status).toBe(200)
    const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())))
    const codes = (layer: string) => Array.from({ length: tile.layers[layer]?.length ?? 0 }, (_, i) => tile.layers[layer]!.feature(i).properties.code)
    expect(codes('province')).toEqual([PROVINCE])
    expect(codes('city')).toEqual([CITY])
    expect(codes('district')).toEqual([COUNTY])
  })
})
