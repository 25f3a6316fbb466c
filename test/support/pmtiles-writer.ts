/**
 * A small PMTiles v3 writer for tests (the `pmtiles` package only reads): header, one root
 * directory (no leaf directories: enough for the few hundred tiles a test archive holds),
 * JSON metadata and the tiles, uncompressed, in tile-id (Hilbert) order. Spec:
 * https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md. Also builds the two test
 * basemaps from data the tests have: vector tiles of the land (the district and its neighbouring
 * divisions, clipped in PostGIS) with named places if the test gives some, and raster tiles of
 * one colour drawn with sharp.
 */
import { writeFile } from 'node:fs/promises'
import sharp from 'sharp'
import vtpbf from 'vt-pbf'
import { TileType, zxyToTileId } from 'pmtiles'
import type { Sql } from '../../server/db/connect.ts'

export interface ArchiveTile {
  z: number
  x: number
  y: number
  data: Uint8Array
}

const HEADER_BYTES = 127

function varint(out: number[], value: number) {
  let v = value
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
}

export function writePmtiles(
  tiles: ArchiveTile[],
  options: { tileType: TileType; bounds: [number, number, number, number]; metadata?: Record<string, unknown> },
): Uint8Array {
  const sorted = tiles.map((t) => ({ ...t, id: zxyToTileId(t.z, t.x, t.y) })).sort((a, b) => a.id - b.id)
  let offset = 0
  const entries = sorted.map((t) => {
    const entry = { id: t.id, offset, length: t.data.length }
    offset += t.data.length
    return entry
  })
  const dir: number[] = []
  varint(dir, entries.length)
  let last = 0
  for (const e of entries) {
    varint(dir, e.id - last)
    last = e.id
  }
  for (const _ of entries) varint(dir, 1) // run lengths
  for (const e of entries) varint(dir, e.length)
  for (const e of entries) varint(dir, e.offset + 1) // explicit offsets (0 would mean "right after the previous")
  const metadata = new TextEncoder().encode(JSON.stringify(options.metadata ?? {}))
  const rootOffset = HEADER_BYTES
  const metadataOffset = rootOffset + dir.length
  const tileDataOffset = metadataOffset + metadata.length
  if (rootOffset + dir.length > 16_384) throw new Error('test archive too large for a root directory alone')

  const out = new Uint8Array(tileDataOffset + offset)
  const view = new DataView(out.buffer)
  out.set(new TextEncoder().encode('PMTiles'), 0)
  out[7] = 3
  const u64 = (at: number, value: number) => view.setBigUint64(at, BigInt(value), true)
  u64(8, rootOffset)
  u64(16, dir.length)
  u64(24, metadataOffset)
  u64(32, metadata.length)
  u64(40, 0) // leaf directories: none
  u64(48, 0)
  u64(56, tileDataOffset)
  u64(64, offset)
  u64(72, entries.length) // addressed tiles
  u64(80, entries.length) // tile entries
  u64(88, entries.length) // tile contents
  out[96] = 1 // clustered
  out[97] = 1 // internal compression: none
  out[98] = 1 // tile compression: none
  out[99] = options.tileType
  const zooms = sorted.map((t) => t.z)
  out[100] = Math.min(...zooms)
  out[101] = Math.max(...zooms)
  const [west, south, east, north] = options.bounds
  view.setInt32(102, Math.round(west * 1e7), true)
  view.setInt32(106, Math.round(south * 1e7), true)
  view.setInt32(110, Math.round(east * 1e7), true)
  view.setInt32(114, Math.round(north * 1e7), true)
  out[118] = Math.max(...zooms)
  view.setInt32(119, Math.round(((west + east) / 2) * 1e7), true)
  view.setInt32(123, Math.round(((south + north) / 2) * 1e7), true)
  out.set(dir, rootOffset)
  out.set(metadata, metadataOffset)
  let at = tileDataOffset
  for (const t of sorted) {
    out.set(t.data, at)
    at += t.data.length
  }
  return out
}

/** Slippy-map tiles covering a lon/lat box at zoom z. */
export function tilesCovering([west, south, east, north]: [number, number, number, number], z: number): { z: number; x: number; y: number }[] {
  const n = 2 ** z
  const col = (lon: number) => Math.min(n - 1, Math.floor(((lon + 180) / 360) * n))
  const row = (lat: number) => {
    const rad = (lat * Math.PI) / 180
    return Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n))
  }
  const tiles = []
  for (let x = col(west); x <= col(east); x++) for (let y = row(north); y <= row(south); y++) tiles.push({ z, x, y })
  return tiles
}

const EXTENT = 4096

/** Land in the database: the district (level 1) and the neighbouring divisions, with their box. */
async function landBounds(sql: Sql): Promise<[number, number, number, number]> {
  const [row] = await sql<{ w: number; s: number; e: number; n: number }[]>`
    with land as (select geom from grid_cell where level = 1 union all select geom from context_region)
    select ST_XMin(b) as w, ST_YMin(b) as s, ST_XMax(b) as e, ST_YMax(b) as n from (select ST_Extent(geom)::geometry as b from land) x`
  return [row!.w, row!.s, row!.e, row!.n]
}

/** A named place of a vector test basemap, tagged as the Protomaps schema tags a town (`kind: locality`). */
export interface ArchivePlace {
  lon: number
  lat: number
  /** The local name (`name`); a Chinese one's script is tagged Han, as Protomaps does. */
  name: string
  /** Other tags, e.g. `name:zh-Hans`. */
  tags?: Record<string, string | number>
}

/** A place in the tile's coordinates (0…EXTENT), or null when it lies outside the tile. */
function placeInTile(place: ArchivePlace, t: { z: number; x: number; y: number }): [number, number] | null {
  const n = 2 ** t.z
  const rad = (place.lat * Math.PI) / 180
  const worldX = ((place.lon + 180) / 360) * n
  const worldY = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n
  const [x, y] = [Math.round((worldX - t.x) * EXTENT), Math.round((worldY - t.y) * EXTENT)]
  return x >= 0 && x < EXTENT && y >= 0 && y < EXTENT ? [x, y] : null
}

/**
 * A vector basemap of the land (MVT layer `earth`, as the Protomaps style reads it), zooms
 * minZoom…maxZoom, clipped and put in tile space by PostGIS with functions every build has (the
 * embedded PGlite has no ST_AsMVT) and encoded with vt-pbf; with `places`, a `places` layer of
 * towns (Protomaps tags: kind, name, script, population_rank, min_zoom) in the tiles they fall in.
 */
export async function buildLandArchive(
  sql: Sql,
  path: string,
  { minZoom = 6, maxZoom = 10, places = [] as ArchivePlace[] } = {},
): Promise<{ bounds: [number, number, number, number]; tiles: number }> {
  const bounds = await landBounds(sql)
  const tiles: ArchiveTile[] = []
  for (let z = minZoom; z <= maxZoom; z++) {
    for (const t of tilesCovering(bounds, z)) {
      const rows = await sql<{ geometry: string }[]>`
        with env as (select ST_TileEnvelope(${t.z}::int, ${t.x}::int, ${t.y}::int) as e),
             land as (select ST_Transform(geom, 3857) as g from grid_cell where level = 1
                      union all select ST_Transform(geom, 3857) from context_region)
        select ST_AsGeoJSON(ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(
                 ST_TransScale(ST_ClipByBox2D(land.g, env.e), -ST_XMin(env.e), -ST_YMax(env.e),
                   ${EXTENT}::float8 / (ST_XMax(env.e) - ST_XMin(env.e)), -${EXTENT}::float8 / (ST_YMax(env.e) - ST_YMin(env.e))), 1)), 3))) as geometry
        from land, env where land.g && env.e`
      const features = rows.flatMap((r) => {
        const g = JSON.parse(r.geometry) as { type: string; coordinates: number[][][] | number[][][][] }
        const rings = g.type === 'Polygon' ? (g.coordinates as number[][][]) : g.type === 'MultiPolygon' ? (g.coordinates as number[][][][]).flat() : []
        return rings.length ? [{ type: 3 as const, geometry: rings, tags: { kind: 'earth' } }] : []
      })
      const towns = places.flatMap((place) => {
        const at = placeInTile(place, t)
        // Protomaps tags a name's script unless it is Latin.
        const script = /\p{Script=Han}/u.test(place.name) ? { script: 'Han' } : {}
        const tags = { kind: 'locality', name: place.name, ...script, population_rank: 9, min_zoom: 8, ...place.tags }
        return at ? [{ type: 1 as const, geometry: [at], tags }] : []
      })
      if (features.length === 0 && towns.length === 0) continue
      const layers = { earth: { features }, ...(towns.length ? { places: { features: towns } } : {}) }
      const data = vtpbf.fromGeojsonVt(layers as unknown as Parameters<typeof vtpbf.fromGeojsonVt>[0], { version: 2, extent: EXTENT })
      tiles.push({ ...t, data })
    }
  }
  await writeFile(path, writePmtiles(tiles, { tileType: TileType.Mvt, bounds, metadata: { name: 'test land', attribution: '测试底图 (land from the grid)' } }))
  return { bounds, tiles: tiles.length }
}

/** A raster basemap: every tile of the land's box, zooms minZoom…maxZoom, one colour. */
export async function buildRasterArchive(
  sql: Sql,
  path: string,
  color: { r: number; g: number; b: number },
  { minZoom = 6, maxZoom = 11 } = {},
): Promise<{ bounds: [number, number, number, number]; tiles: number }> {
  const bounds = await landBounds(sql)
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: color } })
    .png()
    .toBuffer()
  const tiles: ArchiveTile[] = []
  for (let z = minZoom; z <= maxZoom; z++) for (const t of tilesCovering(bounds, z)) tiles.push({ ...t, data: new Uint8Array(png) })
  await writeFile(path, writePmtiles(tiles, { tileType: TileType.Png, bounds, metadata: { attribution: '测试栅格底图' } }))
  return { bounds, tiles: tiles.length }
}
