/**
 * Tile SQL. On PostGIS the whole tile is built in the database (ST_AsMVT). The embedded
 * PGlite is compiled without protobuf, which takes ST_AsMVT and ST_AsMVTGeom with it; there the
 * database still clips, projects to tile space and snaps to the tile grid with portable PostGIS
 * functions (the steps ST_AsMVTGeom takes) and returns tile-space GeoJSON that encode.ts turns
 * into MVT. z/x/y and the level list are bound parameters; `geom_3857 &&` uses the GiST index.
 */
import type { Sql } from '../db/connect.ts'
import type { Fragment } from '../db/fragment.ts'
import {
  GEOMETRY_TILE_FIELDS,
  LAYER_NAMES,
  OUTLINE_PIECES_FROM_ZOOM,
  OVERVIEW_BELOW_ZOOM,
  TILE_BUFFER,
  TILE_EXTENT,
  TILE_FIELDS,
  levelsAtZoom,
} from './layers.ts'
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

/** A tile's place in the grid: z/x/y, and which levels it carries (levelsAtZoom). */
type TileCoordinates = Pick<TileAddress, 'z' | 'x' | 'y'>

/**
 * The cells a tile may hold, as `c` with a `geom_3857`: the current grid, or a grid version's.
 * A past version has no stored Web Mercator copy: its cells in the tile (found by the lon/lat
 * index, the tile's envelope taken back to WGS 84) are projected as the tile is built.
 */
function tileCells(sql: Sql, { z, x, y }: TileCoordinates, version: number | undefined) {
  return version === undefined
    ? sql`grid_cell c`
    : sql`(select code, level, name, households, population, ST_Transform(geom, 3857) as geom_3857 from grid_cell_version
              where version = ${version}
                and geom && ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8), 4326)) c`
}

/** The tile's envelope (`t.env`) and the envelope with its buffer (`t.wide`), both in EPSG:3857. */
function tileEnvelopes(sql: Sql, { z, x, y }: TileCoordinates) {
  return sql`(select ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int) as env,
                 ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8) as wide) t`
}

/**
 * `c`'s outline in EPSG:3857. Below OUTLINE_PIECES_FROM_ZOOM, the village's and higher outlines
 * simplified within a tile unit (geom_3857_overview below OVERVIEW_BELOW_ZOOM, else geom_3857_low).
 * From OUTLINE_PIECES_FROM_ZOOM on, the current grid's county and higher outlines are the pieces
 * under the tile (grid_cell_piece) dissolved back into one shape, so their seams draw no lines,
 * then clipped as any outline; the whole outline would be clipped for every tile. The pieces are
 * valid (cut from a valid outline), so the union is safe; clipped first they might not be.
 */
function cellOutline(sql: Sql, z: number, version: number | undefined) {
  if (version !== undefined) return sql`c.geom_3857`
  // Below z10 the village's and higher outlines are their simplified copies (migrations 025–027).
  if (z < OVERVIEW_BELOW_ZOOM) return sql`coalesce(c.geom_3857_overview, c.geom_3857)`
  if (z < OUTLINE_PIECES_FROM_ZOOM) return sql`coalesce(c.geom_3857_low, c.geom_3857)`
  return sql`case when c.level <= 1
      then (select ST_Union(p.geom_3857) from grid_cell_piece p where p.code = c.code and p.geom_3857 && t.wide)
      else c.geom_3857 end`
}

/** `c`'s geometry in tile space, clipped to `t`. */
function tileGeometry(sql: Sql, clipping: TileClipping, outline: Fragment) {
  // ST_AsMVTGeom's steps in functions every PostGIS build has: clip to the buffered tile, map
  // to 0…extent with y pointing down, snap to whole units, repair, and orient exterior rings
  // counter-clockwise in tile coordinates (positive area, as the MVT spec and ST_AsMVTGeom do).
  return clipping === 'ST_AsMVTGeom'
    ? sql`ST_AsMVTGeom(${outline}, t.env, ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true)`
    : sql`ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_RemoveRepeatedPoints(ST_SnapToGrid(
            ST_TransScale(ST_ClipByBox2D(${outline}, t.wide), -ST_XMin(t.env), -ST_YMax(t.env),
              ${TILE_EXTENT}::float8 / (ST_XMax(t.env) - ST_XMin(t.env)),
              -${TILE_EXTENT}::float8 / (ST_YMax(t.env) - ST_YMin(t.env))), 1))), 3))`
}

/** The cells of the levels shown at this zoom that reach into the buffered tile (the GiST index serves `&&`). */
function inTile(sql: Sql, z: number) {
  return sql`c.level = any(${levelsAtZoom(z)}::int[])
      and c.geom_3857 && t.wide`
}

/** What every tile tells of a cell: the same for every viewer. */
function cellColumns(sql: Sql) {
  return sql`c.code, c.level, c.name, c.households, c.population`
}

/** The features of one tile (grid cells with their figures and tile-space geometry) as a subquery. */
export function tileFeatures(sql: Sql, address: TileAddress, clipping: TileClipping) {
  return sql`
    select ${cellColumns(sql)},
           coalesce(s.total, 0) as incidents, coalesce(s.open, 0) as open, coalesce(s.overdue, 0) as overdue,
           coalesce(s.resolved, 0) as resolved, ${tileGeometry(sql, clipping, cellOutline(sql, address.z, address.version))} as geom
    from ${tileCells(sql, address, address.version)} left join grid_incident_stats s on s.code = ${scopedStatsCode(sql, address.scope)},
         ${tileEnvelopes(sql, address)}
    where ${inTile(sql, address.z)}`
}

/**
 * The features of one geometry tile: the current grid's cells with only what is the same for
 * every viewer (code, level, name, households, population; no incident figures), so the tile may
 * be kept by shared caches.
 */
export function geometryFeatures(sql: Sql, address: TileCoordinates, clipping: TileClipping) {
  return sql`
    select ${cellColumns(sql)}, ${tileGeometry(sql, clipping, cellOutline(sql, address.z, undefined))} as geom
    from ${tileCells(sql, address, undefined)}, ${tileEnvelopes(sql, address)}
    where ${inTile(sql, address.z)}`
}

type Features = ReturnType<typeof tileFeatures>

// The readers below wrap the features in `offset 0`: without it PostgreSQL pushes `geom is not
// null` down into the features' scan, so the clipped geometry, a tile's whole cost, is built once
// for the test and again for the output (three times with the portable clipping's ST_IsEmpty).

/** The statement of a finished tile from ST_AsMVT (PostGIS with protobuf support): one layer per level, every column but geom a property. */
export function mvtStatement(sql: Sql, features: Features) {
  return sql<{ tile: Uint8Array }[]>`
    select coalesce(string_agg(layer_tile, ''::bytea order by level), ''::bytea) as tile
    from (
      select f.level, ST_AsMVT(f, (${LAYER_NAMES}::text[])[f.level + 2], ${TILE_EXTENT}::int, 'geom') as layer_tile
      from (${features} offset 0) f
      where f.geom is not null
      group by f.level
    ) layers`
}

/** The finished tile. Empty tile → empty buffer. */
async function aggregateMvt(sql: Sql, features: Features): Promise<Uint8Array> {
  const [row] = await mvtStatement(sql, features)
  return row!.tile
}

/** The features with tile-space geometry as GeoJSON text, for encoding in the server (encode.ts). */
export function featureRows<Row extends object>(sql: Sql, features: Features, columns: readonly string[]) {
  return sql<Row[]>`
    select ${sql(columns as string[])}, ST_AsGeoJSON(geom) as geometry
    from (${features} offset 0) f
    where f.geom is not null and not ST_IsEmpty(f.geom)
    order by level, code`
}

/** The finished tile from ST_AsMVT (PostGIS with protobuf support). Empty tile → empty buffer. */
export async function queryTileMvt(sql: Sql, address: TileAddress): Promise<Uint8Array> {
  return aggregateMvt(sql, tileFeatures(sql, address, 'ST_AsMVTGeom'))
}

/** A feature of a tile as encode.ts writes it: its properties, and its tile-space geometry as GeoJSON text. */
export interface TileRow {
  level: number
  geometry: string
  [property: string]: string | number
}

export interface TileFeatureRow extends TileRow {
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
  return featureRows<TileFeatureRow>(sql, tileFeatures(sql, address, clipping), Object.keys(TILE_FIELDS))
}

/** A geometry tile from ST_AsMVT. */
export async function queryGeometryTileMvt(sql: Sql, address: TileCoordinates): Promise<Uint8Array> {
  return aggregateMvt(sql, geometryFeatures(sql, address, 'ST_AsMVTGeom'))
}

/** A geometry tile's features for encode.ts. */
export async function queryGeometryTileFeatures(sql: Sql, address: TileCoordinates, clipping: TileClipping = 'portable'): Promise<TileRow[]> {
  return featureRows<TileRow>(sql, geometryFeatures(sql, address, clipping), Object.keys(GEOMETRY_TILE_FIELDS))
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
 * The current grid's revision (data/migrations/022_grid_revision.sql): it goes up with every change
 * to grid_cell, shapes, names and figures alike, so the geometry tiles' address carries it.
 */
export async function gridRevision(sql: Sql): Promise<number> {
  const [row] = await sql<{ revision: number }[]>`select revision from grid_revision`
  return row!.revision
}

/**
 * Whether this database can build tiles itself: PostGIS built with protobuf-c names it in its
 * version string. (Read, not probed by calling ST_AsMVT: errors are best kept off PGlite's socket.)
 */
export async function supportsAsMvt(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ version: string }[]>`select postgis_full_version() as version`
  return /PROTOBUF=/.test(row!.version)
}
