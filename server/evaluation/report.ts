/**
 * The monthly (or weekly) report of one grid: its figures for the period, the period before (环比)
 * and the same period a year earlier (同比), its score, its children ranked, the top categories
 * and the overdue cases. Case rows carry no parties (residents never appear in the report).
 */
import type { Sql } from '../db/connect.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
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

export async function buildReport(sql: Sql, scope: string, grid: GridRef, period: Period, weights: Weights) {
  const previous = previousPeriod(period)
  const lastYear = samePeriodLastYear(period)
  const filter = { scope, grid: grid.code, from: period.from, to: period.to }
  const [current, before, yearBefore, children, categories, overdue] = await Promise.all([
    evaluateGrid(sql, scope, grid, period, weights),
    evaluateGrid(sql, scope, grid, previous, weights),
    evaluateGrid(sql, scope, grid, lastYear, weights),
    grid.level < 5 ? evaluateCells(sql, scope, grid, grid.level + 1, period, weights) : Promise.resolve([] as EvaluatedRow[]),
    sql<{ category: string; name: string; count: number }[]>`
      select split_part(i.category, '.', 1) as category, max(k.name_zh) as name, count(*)::int as count
      from incident i join incident_category k on k.code = split_part(i.category, '.', 1)
      where ${incidentWhere(sql, filter)} group by 1 order by 3 desc, 1 limit 8`,
    sql<ReportCase[]>`
      select i.id, i.title, i.category, k.name_zh as "categoryName", g.full_name as "gridName",
        i.handling_level as "handlingLevel", i.due_at as "dueAt",
        round((extract(epoch from coalesce(f.at, least(now(), ${period.to}::timestamptz)) - i.due_at) / 3600)::numeric, 1)::float8 as "hoursOverdue"
      from incident i
      join incident_category k on k.code = i.category
      join grid_cell g on g.code = i.grid_code
      left join lateral (select min(ev.at) as at from incident_event ev where ev.incident_id = i.id and ev.action = 'finish') f on true
      where ${incidentWhere(sql, filter)}
        and exists (select 1 from incident_event r where r.incident_id = i.id and r.action = 'register')
        and i.due_at < least(now(), ${period.to}::timestamptz) and (f.at is null or f.at > i.due_at)
      order by 8 desc, i.id limit 20`,
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
  }
}
