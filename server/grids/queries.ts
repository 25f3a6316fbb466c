/**
 * SQL of the grid capability. Subtrees are code prefixes; every value is a bound parameter.
 */
import type { Sql } from '../db/connect.ts'
import type { GridCell, GridChild, GridLevel, GridRef, GridStats } from './types.ts'
import { ancestorCodes } from './types.ts'

export async function listRoots(sql: Sql): Promise<GridChild[]> {
  return sql<GridChild[]>`
    select code, level, name, households, population
    from grid_cell where level = 1 order by code`
}

export async function findCell(sql: Sql, code: string): Promise<GridCell | null> {
  const [cell] = await sql<(GridRef & { parentCode: string | null; households: number; population: number; bbox: number[]; labelPoint: number[] })[]>`
    select code, level, name, parent_code as "parentCode", households, population,
           array[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] as bbox,
           array[ST_X(label_point), ST_Y(label_point)] as "labelPoint"
    from grid_cell where code = ${code}`
  if (!cell) return null
  const [path, children, stats, descendantCounts] = await Promise.all([
    sql<GridRef[]>`select code, level, name from grid_cell where code = any(${ancestorCodes(code)}) order by level`,
    sql<GridChild[]>`
      select code, level, name, households, population
      from grid_cell where parent_code = ${code} order by code`,
    subtreeStats(sql, code),
    sql<{ level: GridLevel; count: number }[]>`
      select level, count(*)::int as count from grid_cell
      where code like ${code + '%'} and level > ${cell.level} group by level order by level`,
  ])
  return {
    code: cell.code,
    level: cell.level,
    name: cell.name,
    parentCode: cell.parentCode,
    path,
    children,
    stats: { ...stats, households: cell.households, population: cell.population },
    descendantCounts,
    bbox: cell.bbox as GridCell['bbox'],
    labelPoint: cell.labelPoint as GridCell['labelPoint'],
  }
}

async function subtreeStats(sql: Sql, code: string): Promise<Omit<GridStats, 'households' | 'population'>> {
  const prefix = code + '%'
  const [row] = await sql<Omit<GridStats, 'households' | 'population'>[]>`
    select
      (select count(*)::int from grid_person where cell_code like ${prefix} and role = 'grid_worker') as workers,
      (select count(*)::int from grid_person where cell_code like ${prefix} and role = 'grid_leader') as leaders,
      count(*) filter (where kind = 'village_committee')::int as "partyCommittees",
      count(*) filter (where kind = 'general_branch')::int as "partyGeneralBranches",
      count(*) filter (where kind = 'grid_branch')::int as "partyBranches",
      count(*) filter (where kind = 'party_group')::int as "partyGroups"
    from party_org where cell_code like ${prefix}`
  return row!
}

/** One cell as a GeoJSON Feature, or its children as a FeatureCollection, built in the database. */
export async function cellGeometry(sql: Sql, code: string, children: boolean): Promise<unknown | null> {
  if (!children) {
    const [row] = await sql<{ feature: unknown }[]>`
      select ${featureSql(sql)} as feature from grid_cell where code = ${code}`
    return row?.feature ?? null
  }
  const [exists] = await sql`select 1 from grid_cell where code = ${code}`
  if (!exists) return null
  const [row] = await sql<{ collection: unknown }[]>`
    select json_build_object('type', 'FeatureCollection',
      'features', coalesce(json_agg(${featureSql(sql)} order by code), '[]'::json)) as collection
    from grid_cell where parent_code = ${code}`
  return row!.collection
}

function featureSql(sql: Sql) {
  return sql`json_build_object(
    'type', 'Feature',
    'id', code,
    'properties', json_build_object(
      'code', code, 'level', level, 'name', name, 'parentCode', parent_code,
      'households', households, 'population', population,
      'labelPoint', json_build_array(round(ST_X(label_point)::numeric, 6), round(ST_Y(label_point)::numeric, 6))),
    'geometry', ST_AsGeoJSON(geom, 6)::json)`
}
