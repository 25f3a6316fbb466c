/**
 * SQL of the grid capability. Subtrees are code prefixes; every value is a bound parameter.
 */
import type { Sql } from '../db/connect.ts'
import type { GridCell, GridChild, GridLevel, GridRef, GridSearchResult, GridStats, PartyOrgRef, ResponsiblePerson } from './types.ts'
import { ancestorCodes, codeLength } from './codes.ts'
import { coversPoint, pointGeometry } from './sql/point-in-cell.ts'
import { subtreeRollup } from '../incidents/queries.ts'
import { scopedStatsCode } from '../access/scope-sql.ts'

/**
 * A cell c with the incident figures s a viewer of `scope` may see (its subtree's, as the tiles
 * carry them, refreshed periodically; zeros outside the scope).
 */
function withFigures(sql: Sql, scope: string) {
  return sql`grid_cell c left join grid_incident_stats s on s.code = ${scopedStatsCode(sql, scope)}`
}

function childColumns(sql: Sql) {
  return sql`c.code, c.level, c.name, c.households, c.population,
    coalesce(s.total, 0) as incidents, coalesce(s.open, 0) as open, coalesce(s.overdue, 0) as overdue`
}

/**
 * The top of the viewer's grid: their own province, city or county, or for a viewer scoped below the
 * county (a town leader, a grid worker) their county, which their map opens on and drills down from.
 */
export async function listRoots(sql: Sql, scope: string): Promise<GridChild[]> {
  const root = scope.slice(0, Math.min(scope.length, codeLength(1)))
  return sql<GridChild[]>`
    select ${childColumns(sql)} from ${withFigures(sql, scope)} where c.code = ${root}`
}

/**
 * One cell; its incident roll-up counts only incidents inside `scope` (the viewer's grid code prefix).
 * `workContacts`: the viewer may call the grid's staff (commander, leaders): phones of the people
 * inside their scope come in full; for everyone else they stay masked.
 */
export async function findCell(sql: Sql, code: string, scope: string, workContacts = false): Promise<GridCell | null> {
  const [cell] = await sql<(GridRef & { parentCode: string | null; households: number; population: number; bbox: number[]; labelPoint: number[] })[]>`
    select code, level, name, parent_code as "parentCode", households, population,
           array[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] as bbox,
           array[ST_X(label_point), ST_Y(label_point)] as "labelPoint"
    from grid_cell where code = ${code}`
  if (!cell) return null
  const [path, children, stats, descendantCounts, responsible, party, incidents] = await Promise.all([
    sql<GridRef[]>`select code, level, name from grid_cell where code = any(${ancestorCodes(code)}) order by level`,
    sql<GridChild[]>`
      select ${childColumns(sql)} from ${withFigures(sql, scope)} where c.parent_code = ${code} order by c.code`,
    subtreeStats(sql, code),
    sql<{ level: GridLevel; count: number }[]>`
      select level, count(*)::int as count from grid_cell
      where code like ${code + '%'} and level > ${cell.level} group by level order by level`,
    responsiblePeople(sql, code, cell.level, workContacts ? scope : null),
    sql<PartyOrgRef[]>`
      select kind, name, cell_code as "cellCode" from party_org
      where cell_code = any(${[...ancestorCodes(code), code]}) and (cell_code = ${code} or ${cell.level} >= 4)
      order by length(cell_code), id`,
    subtreeRollup(sql, code, scope),
  ])
  return {
    code: cell.code,
    level: cell.level,
    name: cell.name,
    parentCode: cell.parentCode,
    path,
    children,
    // A household group has no leader of its own: the one responsible is its villager group's.
    stats: {
      ...stats,
      households: cell.households,
      population: cell.population,
      leaders: cell.level === 5 ? responsible.filter((p) => p.role === 'grid_leader').length : stats.leaders,
    },
    descendantCounts,
    responsible,
    party,
    incidents,
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
export async function cellGeometry(sql: Sql, code: string, children: boolean, scope: string): Promise<unknown | null> {
  if (!children) {
    const [row] = await sql<{ feature: unknown }[]>`
      select ${featureSql(sql)} as feature from ${withFigures(sql, scope)} where c.code = ${code}`
    return row?.feature ?? null
  }
  const [exists] = await sql`select 1 from grid_cell where code = ${code}`
  if (!exists) return null
  const [row] = await sql<{ collection: unknown }[]>`
    select json_build_object('type', 'FeatureCollection',
      'features', coalesce(json_agg(${featureSql(sql)} order by c.code), '[]'::json)) as collection
    from ${withFigures(sql, scope)} where c.parent_code = ${code}`
  return row!.collection
}

/** Over grid_cell c left joined with grid_incident_stats s. */
function featureSql(sql: Sql) {
  return sql`json_build_object(
    'type', 'Feature',
    'id', c.code,
    'properties', json_build_object(
      'code', c.code, 'level', c.level, 'name', c.name, 'parentCode', c.parent_code,
      'households', c.households, 'population', c.population,
      'incidents', coalesce(s.total, 0), 'open', coalesce(s.open, 0), 'overdue', coalesce(s.overdue, 0),
      'labelPoint', json_build_array(round(ST_X(c.label_point)::numeric, 6), round(ST_Y(c.label_point)::numeric, 6))),
    'geometry', ST_AsGeoJSON(c.geom, 6)::json)`
}

/** Leaders and workers of a group cell (its own, its parent's leader, its children's workers), masked. */
async function responsiblePeople(sql: Sql, code: string, level: number, contactScope: string | null): Promise<ResponsiblePerson[]> {
  if (level < 4) return []
  const scope = level === 4 ? code : code.slice(0, -3)
  return sql<ResponsiblePerson[]>`
    select role, mask_name(full_name) as name,
           ${contactScope === null ? sql`mask_phone(phone)` : sql`case when cell_code like ${contactScope + '%'} then phone else mask_phone(phone) end`} as phone,
           cell_code as "cellCode"
    from grid_person
    where (role = 'grid_leader' and cell_code = ${scope})
       or (role = 'grid_worker' and cell_code like ${code + '%'})
    order by role desc, cell_code`
}

/**
 * Cells inside the viewer's scope whose name (groups: with their village's name) contains q, or
 * whose code starts with q. A cell outside the scope is not offered: it would only open empty.
 */
export async function searchCells(sql: Sql, q: string, limit: number, scope: string): Promise<GridSearchResult[]> {
  const isCode = /^[0-9]+$/.test(q)
  return sql<GridSearchResult[]>`
    select c.code, c.level, c.name, c.full_name as "fullName", c.parent_code as "parentCode",
           coalesce((select string_agg(a.name, ' › ' order by a.level) from grid_cell a
                     where a.level between 2 and c.level - 1 and a.code = left(c.code, 3 + 3 * a.level)), '') as context
    from grid_cell c
    where ${isCode ? sql`c.code like ${q + '%'}` : sql`strpos(c.full_name, ${q}) > 0`} and c.code like ${scope + '%'}
    order by ${isCode ? sql`c.level` : sql`(c.name = ${q}) desc, (strpos(c.name, ${q}) = 1) desc, (strpos(c.name, ${q}) > 0) desc, c.level`}, c.code
    limit ${limit}`
}

/** The chain of cells (district down to household group) containing a point, by ST_Covers. */
export async function cellsAt(sql: Sql, lon: number, lat: number): Promise<GridRef[]> {
  return sql<GridRef[]>`
    select distinct on (level) code, level, name
    from grid_cell
    where ${coversPoint(sql, pointGeometry(sql, { lon, lat }))}
    order by level, code`
}
