/**
 * The SQL of the wall summary. The subtree is the one incident filter (`incidentWhere`, grid
 * prefix, within the viewer's scope: outside it nothing is counted); the wall's own conditions (today, the last 30 days, serious cases) are written here.
 * Every time bound comes from one SummaryWindow, bound as a parameter, so the figures agree with
 * each other and with a recount over the same window.
 */
import type { Sql } from '../db/connect.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import { openFigures } from '../incidents/sql/figures.ts'
import { caseIsOpen } from '../incidents/sql/status.ts'
import { maskedTitle } from '../incidents/free-text-mask.ts'
import type { SummaryWindow } from './window.ts'
import { codeLength } from '../grids/codes.ts'
import { ALERT_LIMIT, type WallAlert, type WallCategoryCount, type WallKpis, type WallRankingRow, type WallSummary } from './types.ts'

export async function findWallGrid(sql: Sql, code: string): Promise<WallSummary['grid'] | null> {
  const [row] = await sql<{ code: string; name: string; level: number; bbox: number[] }[]>`
    select code, name, level, array[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] as bbox
    from grid_cell where code = ${code} and level <= 2`
  return row ? { ...row, bbox: row.bbox as [number, number, number, number] } : null
}

export async function rootGridCode(sql: Sql): Promise<string | null> {
  const [row] = await sql<{ code: string }[]>`select code from grid_cell order by level, code limit 1`
  return row?.code ?? null
}

function bounds(sql: Sql, w: SummaryWindow) {
  return {
    asOf: sql`${w.asOf.toISOString()}::timestamptz`,
    today: sql`${w.todayFrom.toISOString()}::timestamptz`,
    recent: sql`${w.recentFrom.toISOString()}::timestamptz`,
  }
}

export async function wallKpis(sql: Sql, grid: string, scope: string, w: SummaryWindow): Promise<WallKpis> {
  const t = bounds(sql, w)
  const [row] = await sql<WallKpis[]>`
    select count(*) filter (where i.reported_at >= ${t.today} and i.reported_at <= ${t.asOf}) as "reportsToday",
           ${openFigures(sql, t.asOf)},
           count(*) filter (where i.status = 'closed' and i.closed_at >= ${t.today} and i.closed_at <= ${t.asOf}) as "closedToday",
           (count(*) filter (where i.status = 'closed' and i.closed_at >= ${t.recent} and i.closed_at <= ${t.asOf} and i.handling_level >= 4))::float8
             / nullif(count(*) filter (where i.status = 'closed' and i.closed_at >= ${t.recent} and i.closed_at <= ${t.asOf}), 0) as "resolvedInGridRate",
           (count(*) filter (where i.category like 'dispute.%' and i.status = 'closed' and i.reported_at >= ${t.recent} and i.reported_at <= ${t.asOf}))::float8
             / nullif(count(*) filter (where i.category like 'dispute.%' and i.reported_at >= ${t.recent} and i.reported_at <= ${t.asOf}), 0) as "disputeResolutionRate",
           count(distinct i.reporter) filter (where i.source = 'patrol' and i.reporter <> '' and i.reported_at >= ${t.today} and i.reported_at <= ${t.asOf}) as "workersReportingToday"
    from incident i where ${incidentWhere(sql, { grid, scope })}`
  return row!
}

/** Reports of the last 30 days per top-level category; every category listed, most reports first. */
export async function wallCategories(sql: Sql, grid: string, scope: string, w: SummaryWindow): Promise<WallCategoryCount[]> {
  const t = bounds(sql, w)
  return sql<WallCategoryCount[]>`
    select c.code, c.name_zh as "nameZh", c.name_en as "nameEn", c.color, coalesce(n.count, 0)::int as count
    from incident_category c
    left join (
      select split_part(i.category, '.', 1) as code, count(*) as count
      from incident i
      where ${incidentWhere(sql, { grid, scope })} and i.reported_at >= ${t.recent} and i.reported_at <= ${t.asOf}
      group by 1) n on n.code = c.code
    where c.parent_code is null
    order by count desc, c.sort`
}

/** The cells of `level` below `grid`, with their open, overdue and today's cases; every one listed. */
export async function wallRanking(sql: Sql, grid: string, level: number, scope: string, w: SummaryWindow): Promise<WallRankingRow[]> {
  const t = bounds(sql, w)
  return sql<WallRankingRow[]>`
    select c.code, c.name, coalesce(n.open, 0)::int as open, coalesce(n.overdue, 0)::int as overdue,
           coalesce(n.reports_today, 0)::int as "reportsToday"
    from grid_cell c
    left join (
      select left(i.grid_code, ${codeLength(level)}) as code,
             ${openFigures(sql, t.asOf)},
             count(*) filter (where i.reported_at >= ${t.today} and i.reported_at <= ${t.asOf}) as reports_today
      from incident i where ${incidentWhere(sql, { grid, scope })}
      group by 1) n on n.code = c.code
    where c.level = ${level} and c.code like ${`${grid}%`}
    order by open desc, overdue desc, "reportsToday" desc, c.code`
}

/** Disputes of the last 30 days counted per square of `cell` degrees, placed at the square's centre. */
export async function wallDisputeHeat(sql: Sql, grid: string, scope: string, w: SummaryWindow, cell: number): Promise<[number, number, number][]> {
  const t = bounds(sql, w)
  const rows = await sql<{ x: number; y: number; n: number }[]>`
    select floor(ST_X(i.location) / ${cell}::float8)::int as x,
           floor(ST_Y(i.location) / ${cell}::float8)::int as y, count(*)::int as n
    from incident i
    where ${incidentWhere(sql, { grid, scope })} and i.category like 'dispute.%' and i.reported_at >= ${t.recent} and i.reported_at <= ${t.asOf}
    group by 1, 2 order by 1, 2`
  const centre = (index: number) => Math.round((index + 0.5) * cell * 1e5) / 1e5
  return rows.map((r) => [centre(r.x), centre(r.y), r.n])
}

/** Open serious cases reported in the last 30 days, newest first: severity 4, a missing person, or escalated to the district. */
export async function wallAlerts(sql: Sql, grid: string, scope: string, w: SummaryWindow): Promise<WallAlert[]> {
  const t = bounds(sql, w)
  const rows = await sql<Omit<WallAlert, 'reasons'>[]>`
    select i.id, i.category, i.severity, ${maskedTitle(sql)} as title, i.status, i.handling_level as "handlingLevel", i.grid_code as "gridCode",
           coalesce(town.name, '') as "townName",
           json_build_object('lon', ST_X(i.location), 'lat', ST_Y(i.location)) as location,
           i.reported_at as "reportedAt", (i.due_at < ${t.asOf}) as overdue
    from incident i left join grid_cell town on town.code = left(i.grid_code, 9)
    where ${incidentWhere(sql, { grid, scope })} and ${caseIsOpen(sql)} and i.reported_at >= ${t.recent} and i.reported_at <= ${t.asOf}
      and (i.severity = 4 or i.category like 'missing.%' or i.handling_level = 1)
    order by i.reported_at desc, i.id desc
    limit ${ALERT_LIMIT}`
  return rows.map((row) => ({ ...row, reasons: alertReasons(row) }))
}

export function alertReasons(c: { severity: number; category: string; handlingLevel: number }): WallAlert['reasons'] {
  return [
    ...(c.severity === 4 ? (['severity'] as const) : []),
    ...(c.category.startsWith('missing.') ? (['missing'] as const) : []),
    ...(c.handlingLevel === 1 ? (['district'] as const) : []),
  ]
}
