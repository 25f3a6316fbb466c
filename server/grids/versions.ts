/**
 * Grid versions (data/migrations/014_grid_versions.sql, written by the grid import): the list,
 * a version's cells as GeoJSON, and the export of any version or the current grid, all levels or
 * one, as GeoJSON or GeoPackage. Grid polygons and their household and population figures are
 * visible to every signed-in role, so these reads take no scope.
 */
import type { Sql } from '../db/connect.ts'
import { type GeoPackageCell, writeGeoPackage } from './geopackage.ts'

export interface GridVersion {
  id: number
  rootCodes: string[]
  effectiveDate: string | null
  importedAt: string
  source: string
  cells: number
}

export async function listVersions(sql: Sql): Promise<GridVersion[]> {
  return sql<GridVersion[]>`
    select id, root_codes as "rootCodes", effective_date::text as "effectiveDate", imported_at as "importedAt", source, cells
      from grid_version order by id`
}

export async function versionExists(sql: Sql, version: number): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`select exists (select 1 from grid_version where id = ${version}) as found`
  return row!.found
}

/** One cell of a version, or its children, as GeoJSON; null when the version has no such cell. */
export async function versionCellGeometry(sql: Sql, version: number, code: string, children: boolean): Promise<unknown | null> {
  const feature = sql`json_build_object('type', 'Feature', 'id', v.code,
    'properties', json_build_object('code', v.code, 'level', v.level, 'name', v.name, 'parentCode', v.parent_code,
      'households', v.households, 'population', v.population, 'version', v.version,
      'labelPoint', json_build_array(round(ST_X(v.label_point)::numeric, 6), round(ST_Y(v.label_point)::numeric, 6))),
    'geometry', ST_AsGeoJSON(v.geom, 6)::json)`
  const [exists] = await sql`select 1 from grid_cell_version where version = ${version} and code = ${code}`
  if (!exists) return null
  if (!children) {
    const [row] = await sql<{ feature: unknown }[]>`select ${feature} as feature from grid_cell_version v where v.version = ${version} and v.code = ${code}`
    return row!.feature
  }
  const [row] = await sql<{ collection: unknown }[]>`
    select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(${feature} order by v.code), '[]'::json)) as collection
      from grid_cell_version v where v.version = ${version} and v.parent_code = ${code}`
  return row!.collection
}

export interface ExportSelection {
  /** A version's cells; the current grid without. */
  version?: number
  level?: number
}

/** The cells of the selection from the current grid or a version, with a bound filter. */
function selection(sql: Sql, s: ExportSelection) {
  const source = s.version === undefined ? sql`grid_cell v where true` : sql`grid_cell_version v where v.version = ${s.version}`
  return sql`${source} ${s.level === undefined ? sql`` : sql`and v.level = ${s.level}`}`
}

/** GeoJSON (RFC 7946, WGS 84) of the selection, 9 decimals so an export imports back unchanged. */
export async function exportGeoJson(sql: Sql, s: ExportSelection): Promise<string> {
  const rows = await sql<{ feature: string }[]>`
    select json_build_object('type', 'Feature',
      'properties', json_build_object('code', v.code, 'name', v.name, 'level', v.level, 'parent_code', v.parent_code,
        'households', v.households, 'population', v.population),
      'geometry', ST_AsGeoJSON(v.geom, 9)::json)::text as feature
      from ${selection(sql, s)} order by v.level, v.code`
  return `{"type":"FeatureCollection","name":"grid_cell","features":[${rows.map((r) => r.feature).join(',\n')}]}`
}

export async function exportGeoPackage(sql: Sql, s: ExportSelection): Promise<Uint8Array> {
  const cells = await sql<GeoPackageCell[]>`
    select v.code, v.name, v.level, v.parent_code, v.households, v.population, ST_AsBinary(v.geom, 'NDR') as wkb
      from ${selection(sql, s)} order by v.level, v.code`
  const [extent] = await sql<{ x0: number | null; y0: number; x1: number; y1: number }[]>`
    select ST_XMin(e) as x0, ST_YMin(e) as y0, ST_XMax(e) as x1, ST_YMax(e) as y1 from (select ST_Extent(v.geom) as e from ${selection(sql, s)}) x`
  const bounds = extent?.x0 == null ? null : ([extent.x0, extent.y0, extent.x1, extent.y1] as [number, number, number, number])
  return writeGeoPackage('grid_cell', cells, bounds)
}
