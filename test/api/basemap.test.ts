/**
 * The basemap served by Gridscope (server/basemap/): a PMTiles archive the test builds from the
 * grid's land answers range requests (206 with Content-Range, 416 beyond its end, ETag and
 * If-None-Match, If-Range) and reads back tile by tile through the pmtiles library over HTTP;
 * GET /api/meta tells the client what to draw; an intranet XYZ server's tiles are fetched with
 * the key filled in; a file that is not an archive stops the start naming BASEMAP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { PMTiles, type Source } from 'pmtiles'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { openBasemap, type Basemap } from '../../server/basemap/archive.ts'
import { parseBasemapConfig } from '../../server/basemap/config.ts'
import { commanderApp, type RequestTarget } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'
import { buildLandArchive, tilesCovering } from '../support/pmtiles-writer.ts'

const db = connectTestDatabase()
const dir = mkdtempSync(join(tmpdir(), 'gridscope-basemap-'))
const archivePath = join(dir, 'land.pmtiles')
let basemap: Basemap
let app: RequestTarget
let size: number
let bounds: [number, number, number, number]

beforeAll(async () => {
  ;({ bounds } = await buildLandArchive(db.sql, archivePath, { minZoom: 6, maxZoom: 9 }))
  basemap = await openBasemap(parseBasemapConfig({ BASEMAP: `pmtiles:${archivePath}` }))
  app = await commanderApp(db, { basemap })
  size = Number((await app.request('/tiles/basemap.pmtiles', { method: 'HEAD' })).headers.get('content-length'))
}, 120_000)
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await db.close()
})

describe('a PMTiles basemap', () => {
  it('is described to the client by GET /api/meta', async () => {
    const meta = await (await app.request('/api/meta')).json()
    expect(meta.basemap).toEqual({
      kind: 'pmtiles',
      url: '/tiles/basemap.pmtiles',
      tiles: 'vector',
      minzoom: 6,
      maxzoom: 9,
      bounds: bounds.map((b) => expect.closeTo(b, 5)),
      attribution: '测试底图 (land from the grid)',
    })
  })

  it('answers a range with 206, Content-Range, an ETag and cache headers', async () => {
    expect(size).toBeGreaterThan(1000)
    const res = await app.request('/tiles/basemap.pmtiles', { headers: { range: 'bytes=0-126' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes 0-126/${size}`)
    expect(res.headers.get('content-length')).toBe('127')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(bytes.length).toBe(127)
    expect(new TextDecoder().decode(bytes.slice(0, 7))).toBe('PMTiles')
    expect(bytes[7]).toBe(3)

    const tail = await app.request('/tiles/basemap.pmtiles', { headers: { range: 'bytes=-10' } })
    expect(tail.status).toBe(206)
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`)
    expect((await tail.arrayBuffer()).byteLength).toBe(10)
  })

  it('answers a range beyond the end with 416 and the size', async () => {
    const res = await app.request('/tiles/basemap.pmtiles', { headers: { range: `bytes=${size}-` } })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe(`bytes */${size}`)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('serves the whole archive without a range, 304 for its ETag, and the whole file when If-Range names another version', async () => {
    const whole = await app.request('/tiles/basemap.pmtiles')
    expect(whole.status).toBe(200)
    expect((await whole.arrayBuffer()).byteLength).toBe(size)
    const etag = whole.headers.get('etag')!
    expect((await app.request('/tiles/basemap.pmtiles', { headers: { 'if-none-match': etag } })).status).toBe(304)
    const stale = await app.request('/tiles/basemap.pmtiles', { headers: { range: 'bytes=0-9', 'if-range': '"0-0"' } })
    expect(stale.status).toBe(200)
    await stale.body?.cancel()
    const fresh = await app.request('/tiles/basemap.pmtiles', { headers: { range: 'bytes=0-9', 'if-range': etag } })
    expect(fresh.status).toBe(206)
    await fresh.body?.cancel()
  })

  it('reads back through the pmtiles library over range requests: a tile over the district holds its land', async () => {
    const source: Source = {
      getKey: () => 'served',
      getBytes: async (offset, length) => {
        const res = await app.request('/tiles/basemap.pmtiles', { headers: { range: `bytes=${offset}-${offset + length - 1}` } })
        expect(res.status).toBe(206)
        return { data: await res.arrayBuffer(), etag: res.headers.get('etag') ?? undefined }
      },
    }
    const archive = new PMTiles(source)
    const header = await archive.getHeader()
    expect([header.minZoom, header.maxZoom, header.tileType]).toEqual([6, 9, 1])
    // 电城镇 area, inside the district: a tile there is land.
    const [tile] = tilesCovering([111.3, 21.5, 111.3, 21.5], 9)
    const found = await archive.getZxy(tile!.z, tile!.x, tile!.y)
    expect(found).toBeDefined()
    const earth = new VectorTile(new PbfReader(new Uint8Array(found!.data))).layers.earth!
    expect(earth.length).toBeGreaterThan(0)
    expect(earth.feature(0).properties.kind).toBe('earth')
  })

  it('is for signed-in readers only, like the grid tiles', async () => {
    const anonymous = createApp(db, { basemap })
    expect((await anonymous.request('/tiles/basemap.pmtiles', { headers: { range: 'bytes=0-126' } })).status).toBe(401)
  })
})

describe('without a basemap', () => {
  it('tells the client none and answers 404 problem+json for the archive and the tiles', async () => {
    const plain = await commanderApp(db)
    expect((await (await plain.request('/api/meta')).json()).basemap).toEqual({ kind: 'none' })
    for (const path of ['/tiles/basemap.pmtiles', '/tiles/basemap/3/1/1']) {
      const res = await plain.request(path)
      expect(res.status).toBe(404)
      expect((await res.json()).title).toBe('No basemap')
    }
  })

  it('stops the start for a file that is not a PMTiles archive, naming BASEMAP', async () => {
    const bogus = join(dir, 'not-an-archive.pmtiles')
    writeFileSync(bogus, 'not an archive at all, just some text that is long enough to be read as a header by the library'.repeat(3))
    await expect(openBasemap(parseBasemapConfig({ BASEMAP: `pmtiles:${bogus}` }))).rejects.toThrow(
      /Setting BASEMAP=pmtiles:.* cannot be used: it is not a PMTiles v3 archive/,
    )
    await expect(openBasemap(parseBasemapConfig({ BASEMAP: `pmtiles:${join(dir, 'missing.pmtiles')}` }))).rejects.toThrow(/BASEMAP=.*there is no such file/)
  })
})

describe('an intranet XYZ/WMTS basemap', () => {
  let upstream: Server
  let upstreamUrl: string
  const seen: string[] = []
  const PNG = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db40000000049454e44ae426082',
    'hex',
  )
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push(req.url!)
      const url = new URL(req.url!, 'http://x')
      if (url.searchParams.get('tk') !== 'secret-key') return res.writeHead(403).end()
      if (url.searchParams.get('TILEMATRIX') === '13') return res.writeHead(500).end('down')
      if (url.searchParams.get('TILEMATRIX') === '14') return res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())))

  it('is fetched by Gridscope with the key filled in; the client sees only /tiles/basemap/…', async () => {
    const config = parseBasemapConfig({
      BASEMAP: `${upstreamUrl}/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}`,
      BASEMAP_KEY: 'secret-key',
      BASEMAP_ATTRIBUTION: '天地图',
    })
    const xyz = await commanderApp(db, { basemap: await openBasemap(config) })
    const meta = await (await xyz.request('/api/meta')).json()
    expect(meta.basemap).toEqual({ kind: 'xyz', tiles: '/tiles/basemap/{z}/{x}/{y}', minzoom: 0, maxzoom: 18, attribution: '天地图' })
    expect(JSON.stringify(meta)).not.toContain('secret-key')

    const res = await xyz.request('/tiles/basemap/12/3300/1790')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
    expect(seen.at(-1)).toBe('/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIXSET=w&TILEMATRIX=12&TILEROW=1790&TILECOL=3300&tk=secret-key')

    const down = await xyz.request('/tiles/basemap/13/10/10')
    expect(down.status).toBe(502)
    expect(JSON.stringify(await down.json())).not.toContain('secret-key')
    expect((await xyz.request('/tiles/basemap/14/10/10')).status).toBe(404)
    expect((await xyz.request('/tiles/basemap/3/8/1')).status).toBe(404)
    const bad = await xyz.request('/tiles/basemap/99/1/1')
    expect(bad.status).toBe(400)
    expect((await bad.json()).invalidParams[0].name).toBe('z')
  })
})
