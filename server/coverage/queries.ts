/**
 * Coverage figures in SQL, each one statement over the indexed activity: plausible patrol
 * positions (patrol_position_visits: grid_code prefix + time, flagged ones excluded) and reports
 * (incident_grid). A household group is visited in a period when at least one plausible position
 * falls in it; kilometres are the segments between consecutive plausible positions, counted in the
 * cell where the segment ends; a report counts in the cell it was reported in; a day is active
 * (China Standard Time) when the cell had either. Every caller passes a grid already narrowed to
 * the viewer's scope.
 */
import type { Sql } from '../db/connect.ts'
import { codeLength } from '../grids/codes.ts'
import { SILENT_LOOKBACK_DAYS, type CellCoverage, type Coverage, type SilentCell, type WorkerCoverage } from './types.ts'

/** The China Standard Time calendar day of a `t` column (a fixed fragment, no input in it). */
const DAY = "(t at time zone 'Asia/Shanghai')::date"

/** Per cell one level below `grid` (the cell itself when it is a household group). */
export async function coverageByCell(sql: Sql, grid: string, from: Date, to: Date): Promise<Coverage | null> {
  const [cell] = await sql<{ code: string; name: string; level: number }[]>`select code, name, level from grid_cell where code = ${grid}`
  if (!cell) return null
  const childLength = cell.level === 5 ? grid.length : codeLength(cell.level + 1)
  const activity = sql`
    select grid_code, t, patrol_id, segment_m, 'patrol' as kind from patrol_position
      where flag is null and grid_code like ${grid + '%'} and t >= ${from} and t < ${to}
    union all
    select grid_code, reported_at, null, 0, 'report' from incident
      where grid_code like ${grid + '%'} and reported_at >= ${from} and reported_at < ${to}`
  const cells = await sql<CellCoverage[]>`
    with a as (${activity}),
    per_cell as (
      select left(grid_code, ${childLength}::int) as code,
             count(distinct grid_code) filter (where kind = 'patrol')::int as visited,
             count(distinct patrol_id)::int as patrols,
             coalesce(sum(segment_m), 0) / 1000 as km,
             count(*) filter (where kind = 'report')::int as reports,
             count(distinct ${sql.unsafe(DAY)})::int as "daysActive",
             max(t) as "lastActivity"
      from a group by 1),
    households as (
      select left(code, ${childLength}::int) as code, count(*)::int as households
      from grid_cell where level = 5 and code like ${grid + '%'} group by 1)
    select c.code, c.name, coalesce(h.households, 0) as households, coalesce(p.visited, 0) as visited,
           case when coalesce(h.households, 0) = 0 then 0 else coalesce(p.visited, 0)::float8 / h.households end as "visitedShare",
           coalesce(p.patrols, 0) as patrols, coalesce(p.km, 0) as km, coalesce(p.reports, 0) as reports,
           coalesce(p."daysActive", 0) as "daysActive", p."lastActivity"
    from grid_cell c
    left join households h on h.code = c.code
    left join per_cell p on p.code = c.code
    where ${cell.level === 5 ? sql`c.code = ${grid}` : sql`c.parent_code = ${grid}`}
    order by c.code`
  const [total] = await sql<{ patrols: number }[]>`
    select count(distinct patrol_id)::int as patrols from patrol_position
    where flag is null and grid_code like ${grid + '%'} and t >= ${from} and t < ${to}`
  const households = cells.reduce((n, c) => n + c.households, 0)
  const visited = cells.reduce((n, c) => n + c.visited, 0)
  return {
    grid,
    name: cell.name,
    from: from.toISOString(),
    to: to.toISOString(),
    households,
    visited,
    visitedShare: households === 0 ? 0 : visited / households,
    patrols: total!.patrols,
    km: cells.reduce((n, c) => n + c.km, 0),
    reports: cells.reduce((n, c) => n + c.reports, 0),
    cells,
  }
}

/**
 * One row per grid worker (grid_person) of a household group under `grid`. The steps are
 * materialised: inlined, the report counts were recomputed per worker wherever the planner has no
 * statistics (the embedded database has no autovacuum), 207 s for the district instead of 0.2 s.
 */
export async function coverageByWorker(sql: Sql, grid: string, from: Date, to: Date): Promise<WorkerCoverage[]> {
  return sql<WorkerCoverage[]>`
    with workers as materialized (
      select p.id as person, p.full_name, p.cell_code, c.name as cell_name
      from grid_person p join grid_cell c on c.code = p.cell_code
      where p.role = 'grid_worker' and p.cell_code like ${grid + '%'}),
    walked as materialized (
      select q.person_id as person, x.t, x.patrol_id, x.segment_m, x.grid_code
      from patrol q join patrol_position x on x.patrol_id = q.id
      where q.person_id in (select person from workers) and x.flag is null and x.t >= ${from} and x.t < ${to}),
    per_worker as materialized (
      select person, count(distinct patrol_id)::int as patrols, sum(segment_m) / 1000 as km, max(t) as last_walk,
             array_agg(distinct ${sql.unsafe(DAY)}) as days, bool_or(w.grid_code = k.cell_code) as own_cell
      from walked w join workers k using (person) group by person),
    reports as materialized (
      select grid_code, count(*)::int as reports, max(reported_at) as last_report,
             array_agg(distinct (reported_at at time zone 'Asia/Shanghai')::date) as days
      from incident where grid_code like ${grid + '%'} and reported_at >= ${from} and reported_at < ${to} group by grid_code)
    select k.person, mask_name(k.full_name) as worker, k.cell_code as cell, k.cell_name as "cellName",
           case when coalesce(w.own_cell, false) then 1 else 0 end as "visitedShare",
           coalesce(w.patrols, 0) as patrols, coalesce(w.km, 0) as km, coalesce(r.reports, 0) as reports,
           (select count(distinct d)::int from unnest(coalesce(w.days, '{}') || coalesce(r.days, '{}')) d) as "daysActive",
           nullif(greatest(coalesce(w.last_walk, '-infinity'), coalesce(r.last_report, '-infinity')), '-infinity') as "lastActivity"
    from workers k left join per_worker w using (person) left join reports r on r.grid_code = k.cell_code
    order by k.cell_code, k.person`
}

/**
 * Household groups under `grid` without a plausible patrol position or a report for at least
 * `days` days, most silent first (no activity in the look-back at all before any other).
 */
export async function silentCells(sql: Sql, grid: string, days: number, now = new Date()): Promise<SilentCell[]> {
  const since = new Date(now.getTime() - SILENT_LOOKBACK_DAYS * 86_400_000)
  return sql<SilentCell[]>`
    with last_walk as (
      select grid_code, max(t) as t from patrol_position
      where flag is null and grid_code like ${grid + '%'} and t >= ${since} and t <= ${now} group by grid_code),
    last_report as (
      select grid_code, max(reported_at) as t from incident
      where grid_code like ${grid + '%'} and reported_at >= ${since} and reported_at <= ${now} group by grid_code),
    cells as (
      select c.code, c.name, left(c.code, 12) as village, c.label_point,
             nullif(greatest(coalesce(w.t, '-infinity'), coalesce(r.t, '-infinity')), '-infinity') as last
      from grid_cell c left join last_walk w on w.grid_code = c.code left join last_report r on r.grid_code = c.code
      where c.level = 5 and c.code like ${grid + '%'})
    select s.code, s.name, s.village, v.name as "villageName", s.last as "lastActivity",
           case when s.last is null then null else floor(extract(epoch from ${now}::timestamptz - s.last) / 86400)::int end as "daysSilent",
           ST_X(s.label_point) as lon, ST_Y(s.label_point) as lat
    from cells s join grid_cell v on v.code = s.village
    where s.last is null or s.last <= ${now}::timestamptz - make_interval(days => ${days}::int)
    order by s.last nulls first, s.code`
}

/** The silent cells' polygons, for the map layer. */
export async function silentCellShapes(sql: Sql, codes: string[]): Promise<{ code: string; geometry: unknown }[]> {
  if (codes.length === 0) return []
  return sql<{ code: string; geometry: unknown }[]>`
    select code, ST_AsGeoJSON(geom, 6)::json as geometry from grid_cell where code = any(${codes}::text[]) order by code`
}
