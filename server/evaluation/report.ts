/**
 * The monthly (or weekly) report of one grid: its figures for the period, the period before (环比)
 * and the same period a year earlier (同比), its score, its children ranked, the top categories
 * the overdue cases, the notices sent to its people with their acknowledgement, and its silent
 * household groups. Case rows carry no parties and titles are masked (residents never appear).
 */
import type { Sql } from '../db/connect.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import { maskedTitle } from '../incidents/free-text-mask.ts'
import { silentCells } from '../coverage/queries.ts'
import { previousPeriod, samePeriodLastYear, type Period } from './period.ts'
import { evaluateCells, evaluateGrid, type EvaluatedRow, type GridRef } from './queries.ts'
import type { Weights } from './weights.ts'

export interface ReportCase {
  id: number
  title: string
  category: string
  categoryName: string
  gridName: string
  handlingLevel: number
  dueAt: string
  hoursOverdue: number
}

export interface ReportNotice {
  id: number
  kind: string
  title: string
  createdAt: string
  ackDeadline: string
  recipients: number
  acked: number
  ackedOnTime: number
  meanHoursToAck: number | null
}

/** Days without a patrol position or a report after which a household group is silent (as the map's layer). */
const SILENT_DAYS = 7

export async function buildReport(sql: Sql, scope: string, grid: GridRef, period: Period, weights: Weights) {
  const previous = previousPeriod(period)
  const lastYear = samePeriodLastYear(period)
  const filter = { scope, grid: grid.code, from: period.from, to: period.to }
  const asOf = new Date(Math.min(Date.now(), Date.parse(period.to)))
  const [current, before, yearBefore, children, categories, overdue, notices, silent] = await Promise.all([
    evaluateGrid(sql, scope, grid, period, weights),
    evaluateGrid(sql, scope, grid, previous, weights),
    evaluateGrid(sql, scope, grid, lastYear, weights),
    grid.level < 5 ? evaluateCells(sql, scope, grid, grid.level + 1, period, weights) : Promise.resolve([] as EvaluatedRow[]),
    sql<{ category: string; name: string; count: number }[]>`
      select split_part(i.category, '.', 1) as category, max(k.name_zh) as name, count(*)::int as count
      from incident i join incident_category k on k.code = split_part(i.category, '.', 1)
      where ${incidentWhere(sql, filter)} group by 1 order by 3 desc, 1 limit 8`,
    sql<ReportCase[]>`
      select i.id, ${maskedTitle(sql)} as title, i.category, k.name_zh as "categoryName", coalesce(g.full_name, (select v.full_name from grid_cell_version v where v.code = i.grid_code order by v.version desc limit 1), i.grid_code) as "gridName",
        i.handling_level as "handlingLevel", i.due_at as "dueAt",
        round((extract(epoch from coalesce(f.at, least(now(), ${period.to}::timestamptz)) - i.due_at) / 3600)::numeric, 1)::float8 as "hoursOverdue"
      from incident i
      join incident_category k on k.code = i.category
      -- A case keeps the cell it was reported in, which a later grid version may have retired.
      left join grid_cell g on g.code = i.grid_code
      left join lateral (select min(ev.at) as at from incident_event ev where ev.incident_id = i.id and ev.action = 'finish') f on true
      where ${incidentWhere(sql, filter)}
        and exists (select 1 from incident_event r where r.incident_id = i.id and r.action = 'register')
        and i.due_at < least(now(), ${period.to}::timestamptz) and (f.at is null or f.at > i.due_at)
      order by 8 desc, i.id limit 20`,
    // Notices sent in the period to people of this grid: their acknowledgement by those people.
    // The title is masked like any free text (a missing person's name, phones).
    sql<ReportNotice[]>`
      select n.id, n.kind, mask_free_text(n.title, case when n.person is null then null else jsonb_build_array(n.person) end) as title,
        n.created_at as "createdAt", n.ack_deadline as "ackDeadline",
        count(*)::int as recipients, count(r.acked_at)::int as acked,
        count(*) filter (where r.acked_at <= n.ack_deadline)::int as "ackedOnTime",
        round((avg(extract(epoch from r.acked_at - n.created_at) / 3600))::numeric, 1)::float8 as "meanHoursToAck"
      from notice n join notice_recipient r on r.notice_id = n.id
      where r.cell_code like ${grid.code + '%'} and n.created_at >= ${period.from}::timestamptz and n.created_at < ${period.to}::timestamptz
      group by n.id order by n.created_at, n.id limit 30`,
    // Silent grids at the end of the period (or now): no patrol position and no report for a week.
    silentCells(sql, grid.code, SILENT_DAYS, asOf),
  ])
  return {
    grid,
    period,
    previousPeriod: previous,
    lastYearPeriod: lastYear,
    printedAt: new Date().toISOString(),
    current,
    previous: before,
    lastYear: yearBefore,
    children,
    categories,
    overdue,
    notices,
    silent: { days: SILENT_DAYS, asOf: asOf.toISOString(), total: silent.length, cells: silent.slice(0, 20).map(({ lon, lat, ...cell }) => cell) },
  }
}
