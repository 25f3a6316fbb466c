/**
 * Tile SQL. On PostGIS the whole tile is built in the database (ST_AsMVT). The embedded
 * PGlite is compiled without protobuf, which takes ST_AsMVT and ST_AsMVTGeom with it; there the
 * database still clips, projects to tile space and snaps to the tile grid with portable PostGIS
 * functions (the steps ST_AsMVTGeom takes) and returns tile-space GeoJSON that encode.ts turns
 * into MVT. z/x/y and the level list are bound parameters; `geom_3857 &&` uses the GiST index.
 */
import type { Sql } from '../db/connect.ts'
import { LAYER_NAMES, TILE_BUFFER, TILE_EXTENT, levelsAtZoom } from './layers.ts'
import { scopedStatsCode } from '../access/scope-sql.ts'

export interface TileAddress {
  z: number
  x: number
  y: number
  /** The viewer's grid code prefix: incident figures count only incidents inside it. */
  scope: string
  /** A grid version's cells (grid_cell_version); the current grid (grid_cell) without. */
  version?: number
}

/** How features are clipped and quantised into tile space. */
export type TileClipping = 'ST_AsMVTGeom' | 'portable'

/** The features of one tile (grid cells with their figures and tile-space geometry) as a subquery. */
export function tileFeatures(sql: Sql, { z, x, y, scope, version }: TileAddress, clipping: TileClipping) {
  // A past version has no stored Web Mercator copy: its cells in the tile (found by the lon/lat
  // index, the tile's envelope taken back to WGS 84) are projected as the tile is built.
  const cells =
    version === undefined
      ? sql`grid_cell c`
      : sql`(select code, level, name, households, population, ST_Transform(geom, 3857) as geom_3857 from grid_cell_version
              where version = ${version}
                and geom && ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8), 4326)) c`
  // ST_AsMVTGeom's steps in functions every PostGIS build has: clip to the buffered tile, map
  // to 0…extent with y pointing down, snap to whole units, repair, and orient exterior rings
  // counter-clockwise in tile coordinates (positive area, as the MVT spec and ST_AsMVTGeom do).
  const geom =
    clipping === 'ST_AsMVTGeom'
      ? sql`ST_AsMVTGeom(c.geom_3857, t.env, ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true)`
      : sql`ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_RemoveRepeatedPoints(ST_SnapToGrid(
            ST_TransScale(ST_ClipByBox2D(c.geom_3857, t.wide), -ST_XMin(t.env), -ST_YMax(t.env),
              ${TILE_EXTENT}::float8 / (ST_XMax(t.env) - ST_XMin(t.env)),
              -${TILE_EXTENT}::float8 / (ST_YMax(t.env) - ST_YMin(t.env))), 1))), 3))`
  return sql`
    select c.code, c.level, c.name, c.households, c.population,
           coalesce(s.total, 0) as incidents, coalesce(s.open, 0) as open, coalesce(s.overdue, 0) as overdue,
           coalesce(s.resolved, 0) as resolved, ${geom} as geom
    from ${cells} left join grid_incident_stats s on s.code = ${scopedStatsCode(sql, scope)},
         (select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as env,
                 ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8) as wide) t
    where c.level = any(${levelsAtZoom(z)}::int[])
      and c.geom_3857 && t.wide`
}

/** The finished tile from ST_AsMVT (PostGIS with protobuf support). Empty tile → empty buffer. */
export async function queryTileMvt(sql: Sql, address: TileAddress): Promise<Uint8Array> {
  const [row] = await sql<{ tile: Uint8Array }[]>`
    select coalesce(string_agg(layer_tile, ''::bytea order by level), ''::bytea) as tile
    from (
      select f.level, ST_AsMVT(f, (${LAYER_NAMES}::text[])[f.level + 2], ${TILE_EXTENT}::int, 'geom') as layer_tile
      from (${tileFeatures(sql, address, 'ST_AsMVTGeom')}) f
      where f.geom is not null
      group by f.level
    ) layers`
  return row!.tile
}

export interface TileFeatureRow {
  code: string
  level: number
  name: string
  households: number
  population: number
  incidents: number
  open: number
  overdue: number
  resolved: number
  geometry: string
}

/** The same features with tile-space geometry as GeoJSON text, for encoding in the server. */
export async function queryTileFeatures(sql: Sql, address: TileAddress, clipping: TileClipping = 'portable'): Promise<TileFeatureRow[]> {
  return sql<TileFeatureRow[]>`
    select code, level, name, households, population, incidents, open, overdue, resolved, ST_AsGeoJSON(geom) as geometry
    from (${tileFeatures(sql, address, clipping)}) f
    where f.geom is not null and not ST_IsEmpty(f.geom)
    order by level, code`
}

/** The district's bounding box [west, south, east, north] (the TileJSON's bounds), or null on an empty grid. */
export async function gridBounds(sql: Sql): Promise<number[] | null> {
  const [extent] = await sql<{ bounds: number[] | null }[]>`
    select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] as bounds
    from (select ST_Extent(geom) as e from grid_cell where level = 1) x`
  return extent?.bounds ?? null
}

/** The highest level the grid holds: -1 with a province loaded, 0 with a city, else 1 (the county). */
export async function gridTopLevel(sql: Sql): Promise<number> {
  const [row] = await sql<{ level: number }[]>`select coalesce(min(level), 1)::int as level from grid_cell`
  return row!.level
}

/** The latest grid version's id (0 before any import): tile addresses carry it, so an import changes them. */
export async function gridGeneration(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: number }[]>`select coalesce(max(id), 0)::int as id from grid_version`
  return row!.id
}

/**
 * Whether this database can build tiles itself: PostGIS built with protobuf-c names it in its
 * version string. (Read, not probed by calling ST_AsMVT: errors are best kept off PGlite's socket.)
 */
export async function supportsAsMvt(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ version: string }[]>`select postgis_full_version() as version`
  return /PROTOBUF=/.test(row!.version)
}
