/**
 * Grid tiles: uncached latency over HTTP ÷ the same tile built directly through postgres.js,
 * over a fixed set of tiles covering z8–z16 (median and p99 of the two distributions), the
 * largest tile in the set, and cached tile throughput ÷ a trivial JSON route (autocannon).
 */
import { Agent, get } from 'node:http'
import type { Database } from '../../server/db/connect.ts'
import { TileCache } from '../../server/tiles/cache.ts'
import { encodeTile } from '../../server/tiles/encode.ts'
import { queryTileFeatures, queryTileMvt, supportsAsMvt, type TileAddress } from '../../server/tiles/queries.ts'
import { median, percentile } from './support/machine.ts'
import { serveApp } from './support/bench-server.ts'
import { LOAD_TOOL, measureThroughput } from './support/load.ts'

/** Places the map is looked at: the district seat, a coastal town, a mountain town, the middle. */
const PLACES: [number, number][] = [
  [111.01, 21.5],
  [111.23, 21.48],
  [111.15, 21.98],
  [111.12, 21.68],
]
const ROUNDS = 5

export function fixedTileSet(): TileAddress[] {
  const tiles = new Map<string, TileAddress>()
  for (let z = 8; z <= 16; z++) {
    for (const [lon, lat] of PLACES) {
      const n = 2 ** z
      const x = Math.floor(((lon + 180) / 360) * n)
      const rad = (lat * Math.PI) / 180
      const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
      // The district's scope, as the commander (the benchmark's HTTP client) sees it.
      tiles.set(`${z}/${x}/${y}`, { z, x, y, scope: '440904' })
    }
  }
  return [...tiles.values()]
}

/** One keep-alive connection and node:http (lighter than fetch) so the client adds little. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
function getBytes(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { 'accept-encoding': 'identity', cookie } }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength))
      res.on('end', () => resolve(bytes))
    }).on('error', reject)
  })
}

export interface TileFigures {
  tiles: number
  httpMedianMs: number
  sqlMedianMs: number
  medianRatio: number
  p99Ratio: number
  largestTileBytes: number
  largestTile: string
  cachedTileRps: number
  jsonRps: number
  throughputRatio: number
  builtBy: string
  loadTool: string
}

export async function benchTiles(db: Database): Promise<TileFigures> {
  const tiles = fixedTileSet()
  const asMvt = await supportsAsMvt(db.sql)
  const direct = (t: TileAddress) => (asMvt ? queryTileMvt(db.sql, t) : queryTileFeatures(db.sql, t).then(encodeTile))
  const uncached = await serveApp(db, { tileCache: new TileCache(0) })
  const http: number[] = []
  const sql: number[] = []
  let largest = { bytes: 0, tile: '' }
  // Warm both paths (prepared statements, JIT) before timing.
  for (const t of tiles) {
    await direct(t)
    await getBytes(`${uncached.url}/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`, uncached.cookie)
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of tiles) {
      let started = performance.now()
      const bytes = await direct(t)
      sql.push(performance.now() - started)
      started = performance.now()
      await getBytes(`${uncached.url}/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`, uncached.cookie)
      http.push(performance.now() - started)
      if (bytes.byteLength > largest.bytes) largest = { bytes: bytes.byteLength, tile: `${t.z}/${t.x}/${t.y}` }
    }
  }
  await uncached.close()

  const cached = await serveApp(db)
  // Every tile of the set in turn, gzipped as browsers ask for them, all cached beforehand.
  const paths = tiles.map((t) => `/tiles/grids/${t.z}/${t.x}/${t.y}.mvt`)
  for (const path of paths) await (await fetch(cached.url + path, { headers: { cookie: cached.cookie } })).arrayBuffer()
  const jsonRps = await measureThroughput(cached.url, ['/api/meta'], 4, cached.cookie)
  const cachedTileRps = await measureThroughput(cached.url, paths, 4, cached.cookie)
  await cached.close()

  return {
    tiles: tiles.length,
    httpMedianMs: median(http),
    sqlMedianMs: median(sql),
    medianRatio: median(http) / median(sql),
    p99Ratio: percentile(http, 99) / percentile(sql, 99),
    largestTileBytes: largest.bytes,
    largestTile: largest.tile,
    cachedTileRps,
    jsonRps,
    throughputRatio: cachedTileRps / jsonRps,
    builtBy: asMvt ? 'ST_AsMVT' : 'portable clipping + vt-pbf',
    loadTool: LOAD_TOOL,
  }
}
