import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { asViewer, commanderApp, signIn } from '../support/auth.ts'
import { encodeTile } from '../../server/tiles/encode.ts'
import {
  featureRows,
  gridRevision,
  mvtStatement,
  queryGeometryTileFeatures,
  queryGeometryTileMvt,
  queryTileFeatures,
  queryTileMvt,
  supportsAsMvt,
  tileFeatures,
} from '../../server/tiles/queries.ts'
import { connectTestDatabase } from '../support/database.ts'
import { openScratchDatabase } from '../support/scratch-database.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

/** Slippy-map tile containing a lon/lat at zoom z. */
function tileAt(lon: number, lat: number, z: number) {
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const rad = (lat * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
  return { z, x, y }
}

/** Shoelace area of a tile-space ring (signed: exterior and hole rings have opposite signs). */
function ringArea(ring: number[][]): number {
  let twice = 0
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!
    const [x2, y2] = ring[(i + 1) % ring.length]!
    twice += x1! * y2! - x2! * y1!
  }
  return twice / 2
}

function decode(bytes: Uint8Array) {
  const tile = new VectorTile(new PbfReader(bytes))
  const layers: Record<string, { properties: Record<string, unknown>; geometry: unknown }[]> = {}
  for (const [name, layer] of Object.entries(tile.layers)) {
    layers[name] = Array.from({ length: layer.length }, (_, i) => {
      const feature = layer.feature(i)
      return { properties: feature.properties, geometry: feature.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y])) }
    }).sort((a, b) => String(a.properties.code).localeCompare(String(b.properties.code)))
  }
  return layers
}

let labelPoint: [number, number]
beforeAll(async () => {
  labelPoint = (await (await app.request('/api/grids/440904004204')).json()).labelPoint
})

describe('GET /tiles/grids.json', () => {
  it('describes the source as TileJSON 3.0.0', async () => {
    const res = await app.request('http://gridscope.test/tiles/grids.json')
    expect(res.status).toBe(200)
    const tilejson = await res.json()
    expect(tilejson.tilejson).toBe('3.0.0')
    // With the grid's generation (the latest import) once there is one.
    expect(tilejson.tiles).toEqual([expect.stringMatching(/^http:\/\/gridscope\.test\/tiles\/grids\/\{z\}\/\{x\}\/\{y\}\.mvt(\?g=\d+)?$/)])
    // A county deployment: no province or city layer.
    expect(tilejson.vector_layers.map((l: { id: string }) => l.id)).toEqual(['district', 'town', 'village', 'group', 'household'])
    for (const layer of tilejson.vector_layers) {
      expect(Object.keys(layer.fields)).toEqual(['code', 'level', 'name', 'households', 'population', 'incidents', 'open', 'overdue', 'resolved'])
    }
    const [west, south, east, north] = tilejson.bounds
    expect(west).toBeGreaterThan(110.8)
    expect(east).toBeLessThan(111.5)
    expect(south).toBeGreaterThan(21.3)
    expect(north).toBeLessThan(22.0)
    expect(tilejson.minzoom).toBe(0)
    expect(tilejson.maxzoom).toBeGreaterThanOrEqual(14)
  })
})

describe('GET /tiles/grids/{z}/{x}/{y}.mvt', () => {
  it('serves the district and its towns at z8 with the figures the map colours by', async () => {
    const { z, x, y } = tileAt(111.1, 21.6, 8)
    const res = await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
    const layers = decode(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(layers).sort()).toEqual(['district', 'town'])
    expect(layers.district!.map((f) => f.properties.code)).toEqual(['440904'])
    expect(layers.town!.length).toBeGreaterThan(10)
    const dianhai = layers.town!.find((f) => f.properties.name === '电海街道')!
    expect(dianhai.properties).toMatchObject({ code: '440904004', level: 2 })
    expect(dianhai.properties.households).toBeGreaterThan(0)
    expect(dianhai.properties.population).toBeGreaterThan(dianhai.properties.households as number)
  })

  it('adds deeper levels as the zoom grows', async () => {
    const layersAt = async (z: number) => {
      const t = tileAt(labelPoint[0], labelPoint[1], z)
      return Object.keys(decode(new Uint8Array(await (await app.request(`/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`)).arrayBuffer()))).sort()
    }
    expect(await layersAt(10)).toEqual(['district', 'town', 'village'])
    expect(await layersAt(12)).toEqual(['district', 'group', 'town', 'village'])
    expect(await layersAt(14)).toEqual(['district', 'group', 'household', 'town', 'village'])
  })

  it('answers a matching If-None-Match with 304 and serves gzip to clients that accept it', async () => {
    const { z, x, y } = tileAt(labelPoint[0], labelPoint[1], 12)
    const first = await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^".+"$/)
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/)
    const raw = new Uint8Array(await first.arrayBuffer())
    const again = await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect((await again.arrayBuffer()).byteLength).toBe(0)
    const stale = await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`, { headers: { 'if-none-match': '"other"' } })
    expect(stale.status).toBe(200)
    const gz = await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'gzip, deflate' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    const gzBytes = new Uint8Array(await gz.arrayBuffer())
    expect(gzBytes.byteLength).toBeLessThan(raw.byteLength)
    expect(new Uint8Array(gunzipSync(gzBytes))).toEqual(raw)
  })

  it('keeps simplified outlines for the tiles below z10: the village and above within 20 m, the town and above within 75 m', async () => {
    for (const [column, tolerance, lowest] of [
      ['geom_3857_low', 20, 3],
      ['geom_3857_overview', 75, 2],
    ] as const) {
      const levels = await db.sql<{ level: number; whole: number; simplified: number | null; off: number | null; invalid: number }[]>`
        select level, sum(ST_NPoints(geom_3857))::int as whole, sum(ST_NPoints(${db.sql(column)}))::int as simplified,
               max(ST_HausdorffDistance(geom_3857, ${db.sql(column)})) as off,
               count(*) filter (where not ST_IsValid(${db.sql(column)}))::int as invalid
        from grid_cell group by level order by level`
      expect(levels.map((l) => l.level)).toEqual([1, 2, 3, 4, 5])
      for (const l of levels) {
        if (l.level > lowest) expect(l.simplified, `${column} level ${l.level}`).toBeNull()
        else {
          expect(l.simplified!).toBeGreaterThan(0)
          expect(l.simplified!).toBeLessThan(l.whole)
          expect(l.off!).toBeLessThanOrEqual(tolerance + 0.001)
          expect(l.invalid).toBe(0)
        }
      }
    }
  })

  it('clips each cell once per tile: the features are planned apart from the readers that drop the empty ones', async () => {
    // Without the fence PostgreSQL pushes the readers' `geom is not null` into the features' scan as
    // a filter, building the clipped geometry there and again for the output.
    const address = { ...tileAt(111.01, 21.5, 9), scope: '440904' }
    const reader = (await supportsAsMvt(db.sql))
      ? mvtStatement(db.sql, tileFeatures(db.sql, address, 'ST_AsMVTGeom'))
      : featureRows(db.sql, tileFeatures(db.sql, address, 'portable'), ['code'])
    const plan = (await db.sql<{ 'QUERY PLAN': string }[]>`explain (verbose) ${reader}`).map((r) => r['QUERY PLAN']).join('\n')
    const filters = plan.split('\n').filter((line) => /^\s*Filter:/.test(line))
    expect(plan).toMatch(/st_asmvtgeom|st_clipbybox2d/i)
    expect(filters.filter((line) => /st_asmvtgeom|st_clipbybox2d/i.test(line))).toEqual([])
  })

  it('answers an empty tile with 204', async () => {
    const res = await app.request('/tiles/grids/8/0/0.mvt')
    expect(res.status).toBe(204)
  })

  it('answers 400 problem+json naming the parameter for tiles that cannot exist', async () => {
    const cases: [string, string][] = [
      ['23/0/0.mvt', 'z'],
      ['-1/0/0.mvt', 'z'],
      ['z/0/0.mvt', 'z'],
      ['8/256/0.mvt', 'x'],
      ['8/0/256.mvt', 'y'],
      ['8/0/0.png', 'y'],
      ['8/1.5/0.mvt', 'x'],
      ['0/0/1.mvt', 'y'],
      ['99999999999/0/0.mvt', 'z'],
    ]
    for (const [path, name] of cases) {
      const res = await app.request(`/tiles/grids/${path}`)
      expect(res.status, path).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const body = await res.json()
      expect(
        body.invalidParams.map((p: { name: string }) => p.name),
        path,
      ).toContain(name)
    }
  })
})

const GEOMETRY_FIELDS = ['code', 'level', 'name', 'households', 'population']
const FIGURES = ['incidents', 'open', 'overdue', 'resolved']

/** The path of a geometry tile from the TileJSON's template. */
async function geometryTilePath(target: { request(path: string): Promise<Response> }, z: number, x: number, y: number) {
  const template = (await (await target.request('http://gridscope.test/tiles/geometry.json')).json()).tiles[0] as string
  return new URL(template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y))).pathname
}

/**
 * Runs `fetch` again while the grid's revision moves under it. Test files beside this one change the
 * shared grid (an import moves the revision on, and the old revision's tiles then redirect), so
 * answers meant to be compared are fetched within one revision.
 */
async function atOneRevision<T>(fetch: () => Promise<T>): Promise<T> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const revision = await gridRevision(db.sql)
    const result = await fetch()
    if ((await gridRevision(db.sql)) === revision) return result
  }
  throw new Error('the grid changed during each of five attempts')
}

describe('GET /tiles/geometry.json', () => {
  it("names the grid's revision in the tiles' address and lists the fields without incident figures", async () => {
    const res = await app.request('http://gridscope.test/tiles/geometry.json')
    expect(res.status).toBe(200)
    // The address changes with the grid: the TileJSON itself is revalidated on every use.
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const tilejson = await res.json()
    expect(tilejson.tilejson).toBe('3.0.0')
    expect(tilejson.tiles).toEqual([`http://gridscope.test/tiles/geometry/${await gridRevision(db.sql)}/{z}/{x}/{y}.mvt`])
    // A county deployment: no province or city layer.
    expect(tilejson.vector_layers.map((l: { id: string }) => l.id)).toEqual(['district', 'town', 'village', 'group', 'household'])
    for (const layer of tilejson.vector_layers) expect(Object.keys(layer.fields)).toEqual(GEOMETRY_FIELDS)
    expect(tilejson.bounds[0]).toBeGreaterThan(110.8)
  })

  it('is no more public than the other tiles: without a session it is a 401', async () => {
    const anonymous = createApp(db)
    expect((await anonymous.request('/tiles/geometry.json')).status).toBe(401)
    expect((await anonymous.request(await geometryTilePath(app, 8, 207, 112))).status).toBe(401)
  })
})

describe('GET /tiles/geometry/{revision}/{z}/{x}/{y}.mvt', () => {
  it('serves the cells without incident figures, public and immutable, the same bytes to every viewer', async () => {
    const { z, x, y } = tileAt(111.1, 21.6, 8)
    const townViewer = asViewer(createApp(db), await signIn(db, 'town_leader', '440904004'))
    const { res, theirs, current, revalidated } = await atOneRevision(async () => {
      const path = await geometryTilePath(app, z, x, y)
      const res = await app.request(path)
      // A viewer of one town asks for the same tile (the grid tile would differ: its figures).
      const theirs = await townViewer.request(path)
      const current = await app.request(`/tiles/geometry/current/${z}/${x}/${y}.mvt`)
      const revalidated = await app.request(`/tiles/geometry/current/${z}/${x}/${y}.mvt`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } })
      return { res, theirs, current, revalidated }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const bytes = new Uint8Array(await res.arrayBuffer())
    const layers = decode(bytes)
    expect(Object.keys(layers).sort()).toEqual(['district', 'town'])
    for (const features of Object.values(layers)) for (const f of features) expect(Object.keys(f.properties)).toEqual(GEOMETRY_FIELDS)
    const dianhai = layers.town!.find((f) => f.properties.name === '电海街道')!
    expect(dianhai.properties).toMatchObject({ code: '440904004', level: 2 })
    expect(dianhai.properties.households).toBeGreaterThan(0)
    expect(theirs.headers.get('etag')).toBe(res.headers.get('etag'))
    expect(new Uint8Array(await theirs.arrayBuffer())).toEqual(bytes)
    // At `current` (a fixed URL template for QGIS): the same tile, revalidated on every use.
    expect(current.headers.get('cache-control')).toBe('no-cache')
    expect(current.headers.get('etag')).toBe(res.headers.get('etag'))
    expect(revalidated.status).toBe(304)
  })

  it('carries deeper levels as the zoom grows, never a figure', async () => {
    for (const [z, expected] of [
      [10, ['district', 'town', 'village']],
      [14, ['district', 'group', 'household', 'town', 'village']],
    ] as const) {
      const t = tileAt(labelPoint[0], labelPoint[1], z)
      const tile = await atOneRevision(async () => app.request(await geometryTilePath(app, t.z, t.x, t.y)))
      const layers = decode(new Uint8Array(await tile.arrayBuffer()))
      expect(Object.keys(layers).sort()).toEqual(expected)
      const properties = Object.values(layers).flatMap((features) => features.flatMap((f) => Object.keys(f.properties)))
      for (const figure of FIGURES) expect(properties).not.toContain(figure)
    }
  })

  it('answers If-None-Match with 304, gzip when accepted, and an empty tile with 204', async () => {
    const { z, x, y } = tileAt(labelPoint[0], labelPoint[1], 12)
    const { first, again, gz, empty } = await atOneRevision(async () => {
      const path = await geometryTilePath(app, z, x, y)
      const first = await app.request(path)
      const again = await app.request(path, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } })
      const gz = await app.request(path, { headers: { 'accept-encoding': 'gzip' } })
      const empty = await app.request(await geometryTilePath(app, 8, 0, 0))
      return { first, again, gz, empty }
    })
    const raw = new Uint8Array(await first.arrayBuffer())
    expect(first.headers.get('etag')!).toMatch(/^".+"$/)
    expect(again.status).toBe(304)
    expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('vary')).toBe('accept-encoding')
    expect(new Uint8Array(gunzipSync(new Uint8Array(await gz.arrayBuffer())))).toEqual(raw)
    expect(empty.status).toBe(204)
    expect(empty.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('answers 400 naming the parameter for a malformed revision or a tile that cannot exist, 404 naming it for a revision the grid never had', async () => {
    const revision = await gridRevision(db.sql)
    const cases: [string, string][] = [
      ['abc/8/0/0.mvt', 'revision'],
      ['-1/8/0/0.mvt', 'revision'],
      ['1.5/8/0/0.mvt', 'revision'],
      ['01/8/0/0.mvt', 'revision'],
      ['latest/8/0/0.mvt', 'revision'],
      ['9999999999/8/0/0.mvt', 'revision'],
      [`${revision}/23/0/0.mvt`, 'z'],
      [`${revision}/8/256/0.mvt`, 'x'],
      [`${revision}/8/0/256.mvt`, 'y'],
      [`${revision}/8/0/0.png`, 'y'],
    ]
    for (const [path, name] of cases) {
      const res = await app.request(`/tiles/geometry/${path}`)
      expect(res.status, path).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(
        (await res.json()).invalidParams.map((p: { name: string }) => p.name),
        path,
      ).toContain(name)
    }
    const ahead = await app.request(`/tiles/geometry/${revision + 1}/8/207/112.mvt`)
    expect(ahead.status).toBe(404)
    expect(ahead.headers.get('content-type')).toContain('application/problem+json')
    const body = await ahead.json()
    expect(body.invalidParams.map((p: { name: string }) => p.name)).toEqual(['revision'])
    expect(body.detail).toContain(`current one is ${revision}`)
  })
})

describe('geometry tiles of a grid that changes (a database of its own)', () => {
  let scratch: Database
  let target: Awaited<ReturnType<typeof commanderApp>>
  const square = (west: number, south: number, size: number) =>
    `MULTIPOLYGON(((${west} ${south}, ${west + size} ${south}, ${west + size} ${south + size}, ${west} ${south + size}, ${west} ${south})))`

  beforeAll(async () => {
    scratch = await openScratchDatabase()
    // A province over a city over a county with one town, nested squares around Maoming.
    const cells = [
      ['44', -1, '广东省', null, square(110, 21, 4)],
      ['4409', 0, '茂名市', '44', square(110.5, 21.2, 1.5)],
      ['440904', 1, '电白区', '4409', square(111, 21.4, 0.4)],
      ['440904004', 2, '电海街道', '440904', square(111.1, 21.45, 0.1)],
    ] as const
    await scratch.sql.begin(async (tx) => {
      for (const [code, level, name, parent, wkt] of cells) {
        await tx`
          insert into grid_cell (code, level, name, full_name, parent_code, households, population, geom, label_point)
          select ${code}, ${level}, ${name}, ${name}, ${parent}, 100, 300, g, ST_PointOnSurface(g) from ST_GeomFromText(${wkt}, 4326) as g`
      }
    })
    target = await commanderApp(scratch)
  }, 240_000)
  afterAll(() => scratch?.close())

  it('carries the province and city layers where the grid has them, and towns from z7', async () => {
    const tilejson = await (await target.request('http://gridscope.test/tiles/geometry.json')).json()
    expect(tilejson.vector_layers.map((l: { id: string }) => l.id)).toEqual(['province', 'city', 'district', 'town', 'village', 'group', 'household'])
    const { z, x, y } = tileAt(111.15, 21.5, 6)
    const layers = decode(new Uint8Array(await (await target.request(await geometryTilePath(target, z, x, y))).arrayBuffer()))
    expect(Object.fromEntries(Object.entries(layers).map(([name, features]) => [name, features.map((f) => f.properties.code)]))).toEqual({
      province: ['44'],
      city: ['4409'],
      district: ['440904'],
    })
    expect(layers.province![0]!.properties).toEqual({ code: '44', level: -1, name: '广东省', households: 100, population: 300 })
    // Towns join at z7: below it a tile spans a province, and its towns are specks.
    const at7 = tileAt(111.15, 21.5, 7)
    const z7 = decode(new Uint8Array(await (await target.request(await geometryTilePath(target, at7.z, at7.x, at7.y))).arrayBuffer()))
    expect(z7.town!.map((f) => f.properties.code)).toEqual(['440904004'])
  })

  it('moves to a new address when households change without a grid import; the old address redirects there', async () => {
    const { z, x, y } = tileAt(111.15, 21.5, 10)
    const before = await geometryTilePath(target, z, x, y)
    const town = async (path: string) => decode(new Uint8Array(await (await target.request(path)).arrayBuffer())).town![0]!.properties
    expect((await town(before)).households).toBe(100)
    // What a base-data import does: households recounted in grid_cell, no new grid version.
    await scratch.sql`update grid_cell set households = 120 where code = '440904004'`
    const after = await geometryTilePath(target, z, x, y)
    expect(after).not.toBe(before)
    expect((await town(after)).households).toBe(120)
    expect((await town(`/tiles/geometry/current/${z}/${x}/${y}.mvt`)).households).toBe(120)
    // The tile kept at the old address stays what it was (it is immutable) ...
    expect((await town(before)).households).toBe(100)
    // ... and a tile never built at the old revision is sent to the current one, uncached.
    const old = before.replace(`/${z}/${x}/${y}.mvt`, `/${z}/${x + 1}/${y}.mvt`)
    const moved = await target.request(old)
    expect(moved.status).toBe(302)
    expect(moved.headers.get('location')).toBe(after.replace(`/${z}/${x}/${y}.mvt`, `/${z}/${x + 1}/${y}.mvt`))
    expect(moved.headers.get('cache-control')).toBe('no-store')
  })

  it('draws a long outline from its pieces from z10: one shape without seams, the same area as the whole', async () => {
    const pieces = async () => (await scratch.sql<{ n: number }[]>`select count(*)::int as n from grid_cell_piece where code = '44'`)[0]!.n
    expect(await pieces()).toBe(1)
    // A province outline of 2,048 vertices: the trigger cuts it again, into pieces of at most 256.
    await scratch.sql`update grid_cell set geom = ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(112, 23), 4326), 2.5, 512)) where code = '44'`
    expect(await pieces()).toBeGreaterThanOrEqual(8)
    const province = async (z: number, x: number, y: number) => {
      const layers = decode(new Uint8Array(await (await target.request(await geometryTilePath(target, z, x, y))).arrayBuffer()))
      return layers.province![0]!.geometry as number[][][]
    }
    // Inside the outline: the buffered tile's square, one ring.
    const inside = tileAt(112, 23, 12)
    const square = await province(inside.z, inside.x, inside.y)
    expect(square).toHaveLength(1)
    expect(Math.min(...square[0]!.map((p) => p[0]!))).toBe(-64)
    expect(Math.max(...square[0]!.map((p) => p[1]!))).toBe(4160)
    // On the outline's edge, where pieces meet: one exterior ring, and the area the whole outline has there.
    for (const z of [10, 13]) {
      const edge = tileAt(114.5, 23, z)
      const rings = await province(edge.z, edge.x, edge.y)
      const areas = rings.map(ringArea)
      expect(areas.filter((a) => Math.sign(a) === Math.sign(areas[0]!))).toHaveLength(1)
      const [expected] = await scratch.sql<{ area: number }[]>`
        select ST_Area(ST_Intersection(c.geom_3857, ST_TileEnvelope(${edge.z}::int, ${edge.x}::int, ${edge.y}::int, margin => ${64 / 4096}::float8)))
               / power((ST_XMax(e) - ST_XMin(e)) / 4096, 2) as area
        from grid_cell c, ST_TileEnvelope(${edge.z}::int, ${edge.x}::int, ${edge.y}::int) as e where c.code = '44'`
      expect(expected!.area).toBeGreaterThan(1000)
      const drawn = Math.abs(areas.reduce((sum, a) => sum + a, 0))
      expect(Math.abs(drawn - expected!.area) / expected!.area).toBeLessThan(0.005)
    }
  })
})

describe('the two tile encoders', () => {
  // The district's scope: figures of every cell, as the commander sees them.
  const tiles = [8, 10, 12, 14, 16].map((z) => ({ ...tileAt(111.0, 21.5, z), scope: '440904' }))

  it('builds tiles in the server from portable PostGIS clipping that decode to the expected features', async () => {
    for (const address of tiles) {
      const layers = decode(encodeTile(await queryTileFeatures(db.sql, address)))
      expect(layers.district?.length, `${address.z}`).toBe(1)
      for (const features of Object.values(layers)) {
        for (const f of features)
          expect(Object.keys(f.properties)).toEqual(['code', 'level', 'name', 'households', 'population', 'incidents', 'open', 'overdue', 'resolved'])
      }
    }
  })

  // ST_AsMVT and ST_AsMVTGeom exist only where PostGIS is built with protobuf: the external
  // PostGIS, not PGlite. There the three ways to build a tile are compared with each other.
  it.skipIf(db.mode === 'embedded')('match ST_AsMVT on PostGIS layer for layer, feature for feature', async () => {
    expect(await supportsAsMvt(db.sql)).toBe(true)
    for (const address of tiles) {
      const fromDatabase = decode(await queryTileMvt(db.sql, address))
      const fromServer = decode(encodeTile(await queryTileFeatures(db.sql, address, 'ST_AsMVTGeom')))
      expect(fromServer).toEqual(fromDatabase)
      const portable = decode(encodeTile(await queryTileFeatures(db.sql, address, 'portable')))
      expect(Object.keys(portable).sort()).toEqual(Object.keys(fromDatabase).sort())
      for (const [layer, features] of Object.entries(fromDatabase)) {
        expect(
          portable[layer]!.map((f) => f.properties),
          `${address.z} ${layer}`,
        ).toEqual(features.map((f) => f.properties))
        portable[layer]!.forEach((f, i) => expectSimilarGeometry(f.geometry as number[][][], features[i]!.geometry as number[][][]))
      }
    }
  })

  it.skipIf(db.mode === 'embedded')('build the same geometry tiles with ST_AsMVT on PostGIS and in the server', async () => {
    for (const { z, x, y } of tiles) {
      const fromDatabase = decode(await queryGeometryTileMvt(db.sql, { z, x, y }))
      expect(decode(encodeTile(await queryGeometryTileFeatures(db.sql, { z, x, y }, 'ST_AsMVTGeom')))).toEqual(fromDatabase)
      for (const features of Object.values(fromDatabase)) for (const f of features) expect(Object.keys(f.properties)).toEqual(GEOMETRY_FIELDS)
    }
  })
})

/**
 * The portable clipping may place a vertex differently from ST_AsMVTGeom (which snaps before it
 * clips and drops vertices closer than a unit), most visibly on slivers in the tile's buffer.
 * "The same picture" here means: extents within one pixel of a 512-pixel tile (8 units), and
 * areas that differ by no more than moving every edge by that pixel would explain.
 */
const PIXEL = 4096 / 512
function expectSimilarGeometry(actual: number[][][], expected: number[][][]) {
  const box = (rings: number[][][]) => {
    const points = rings.flat()
    return [
      Math.min(...points.map((p) => p[0]!)),
      Math.min(...points.map((p) => p[1]!)),
      Math.max(...points.map((p) => p[0]!)),
      Math.max(...points.map((p) => p[1]!)),
    ]
  }
  const area = (rings: number[][][]) =>
    rings.reduce(
      (sum, ring) =>
        sum +
        ring.reduce((s, p, i) => {
          const q = ring[(i + 1) % ring.length]!
          return s + p[0]! * q[1]! - q[0]! * p[1]!
        }, 0) /
          2,
      0,
    )
  box(actual).forEach((v, i) =>
    expect(Math.abs(v - box(expected)[i]!), JSON.stringify({ actual: box(actual), expected: box(expected) })).toBeLessThanOrEqual(PIXEL),
  )
  const perimeter = expected.reduce(
    (sum, ring) =>
      sum +
      ring.reduce((s, p, i) => {
        const q = ring[(i + 1) % ring.length]!
        return s + Math.hypot(q[0]! - p[0]!, q[1]! - p[1]!)
      }, 0),
    0,
  )
  expect(Math.abs(area(actual) - area(expected))).toBeLessThanOrEqual(perimeter * PIXEL)
}
