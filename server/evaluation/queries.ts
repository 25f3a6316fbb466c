/**
 * Evaluation reads: the cells of one level under a grid (or the grid workers of its household
 * groups) with their case counts for a period, indicator values and scores among their peers.
 * Every read takes the viewer's scope, applied through incidentWhere; the grid is narrowed to it.
 */
import type { Sql } from '../db/connect.ts'
import { narrowPrefix } from '../access/scope.ts'
import { HttpProblem } from '../http/problem.ts'
import { EMPTY_COUNTS, indicatorValues, type CaseCounts, type IndicatorValues } from './indicators.ts'
import type { Period } from './period.ts'
import { scoreAmongPeers, type Scored } from './score.ts'
import { caseCountsByKey } from './sql/case-counts.ts'
import type { Weights } from './weights.ts'

export interface GridRef {
  code: string
  name: string
  /** The name with its parents' (groups carry their village's name). */
  fullName: string
  level: number
  parentCode: string | null
}

export interface EvaluatedRow extends GridRef, Scored {
  counts: CaseCounts
  indicators: IndicatorValues
}

export interface EvaluatedWorker extends Scored {
  cellCode: string
  cellName: string
  villagerGroup: string
  worker: string | null
  patrolReports: number
  counts: CaseCounts
  indicators: IndicatorValues
}

type CountRow = Record<string, number | string | null>

const levelOf = (code: string) => (code.length - 3) / 3

function countsOf(row: CountRow | undefined): CaseCounts {
  if (!row) return EMPTY_COUNTS
  return {
    reports: row.reports as number,
    registered: row.registered as number,
    handled: row.handled as number,
    handledOnTime: row.handled_on_time as number,
    closed: row.closed as number,
    reopened: row.reopened as number,
    overdue: row.overdue as number,
    closedInGrid: row.closed_in_grid as number,
    closedInTown: row.closed_in_town as number,
    disputes: row.disputes as number,
    disputesClosed: row.disputes_closed as number,
    meanHoursToClose: row.mean_hours_to_close as number | null,
  }
}

/** The grid the viewer asked for, narrowed to their scope; 404 outside it or when it does not exist. */
export async function resolveGrid(sql: Sql, scope: string, grid: string | undefined): Promise<GridRef> {
  const code = narrowPrefix(scope, grid)
  if (code === null) throw new HttpProblem(404, 'Grid not found', `No grid ${grid} within your scope.`)
  const [row] = await sql<GridRef[]>`select code, name, full_name as "fullName", level, parent_code as "parentCode" from grid_cell where code = ${code}`
  if (!row) throw new HttpProblem(404, 'Grid not found', `No grid ${code}.`)
  return row
}

async function countsByKey(sql: Sql, scope: string, prefix: string, period: Period, keyLength: number): Promise<Map<string, CountRow>> {
  const rows = await sql<CountRow[]>`${caseCountsByKey(sql, { scope, grid: prefix, from: period.from, to: period.to }, keyLength)}`
  return new Map(rows.map((r) => [r.key as string, r]))
}

/** The cells of `level` under `grid`, scored among the cells of the same parent. */
export async function evaluateCells(sql: Sql, scope: string, grid: GridRef, level: number, period: Period, weights: Weights): Promise<EvaluatedRow[]> {
  const cells = await sql<GridRef[]>`
    select code, name, full_name as "fullName", level, parent_code as "parentCode" from grid_cell
    where level = ${level} and code like ${grid.code + '%'} order by code`
  const counts = await countsByKey(sql, scope, grid.code, period, 3 + 3 * level)
  const rows = cells.map((cell) => {
    const c = countsOf(counts.get(cell.code))
    return { cell, counts: c, indicators: indicatorValues(c) }
  })
  const scored = scoreAmongPeers(
    rows.map((r) => ({ peerGroup: r.cell.parentCode ?? '', reports: r.counts.reports, values: r.indicators })),
    weights,
  )
  return rows.map((r, i) => ({ ...r.cell, counts: r.counts, indicators: r.indicators, ...scored[i]! }))
}

/** The grid itself: its counts, and its score among its siblings when the viewer may see them. */
export async function evaluateGrid(sql: Sql, scope: string, grid: GridRef, period: Period, weights: Weights): Promise<EvaluatedRow> {
  if (grid.parentCode?.startsWith(scope)) {
    const [parent] = await sql<
      GridRef[]
    >`select code, name, full_name as "fullName", level, parent_code as "parentCode" from grid_cell where code = ${grid.parentCode}`
    const siblings = await evaluateCells(sql, scope, parent!, grid.level, period, weights)
    return siblings.find((s) => s.code === grid.code)!
  }
  const c = countsOf((await countsByKey(sql, scope, grid.code, period, grid.code.length)).get(grid.code))
  const values = indicatorValues(c)
  const [scored] = scoreAmongPeers([{ peerGroup: '', reports: 0, values }], weights)
  return { ...grid, counts: c, indicators: values, ...scored!, peers: 0 }
}

/** The grid workers of the household groups under `grid`, scored among those of the same villager group. */
export async function evaluateWorkers(sql: Sql, scope: string, grid: GridRef, period: Period, weights: Weights): Promise<EvaluatedWorker[]> {
  if (grid.level > 5 || levelOf(grid.code) !== grid.level) return []
  const cells = await sql<{ code: string; name: string; parent_code: string; worker: string | null }[]>`
    select g.code, g.full_name as name, g.parent_code,
      (select mask_name(p.full_name) from grid_person p where p.cell_code = g.code and p.role = 'grid_worker' order by p.id limit 1) as worker
    from grid_cell g where g.level = 5 and g.code like ${grid.code + '%'} order by g.code`
  const counts = await countsByKey(sql, scope, grid.code, period, 18)
  const rows = cells.map((cell) => {
    const row = counts.get(cell.code)
    const c = countsOf(row)
    return { cell, counts: c, indicators: indicatorValues(c), patrolReports: (row?.patrol_reports as number) ?? 0 }
  })
  const scored = scoreAmongPeers(
    rows.map((r) => ({ peerGroup: r.cell.parent_code, reports: r.counts.reports, values: r.indicators })),
    weights,
  )
  return rows.map((r, i) => ({
    cellCode: r.cell.code,
    cellName: r.cell.name,
    villagerGroup: r.cell.parent_code,
    worker: r.cell.worker,
    patrolReports: r.patrolReports,
    counts: r.counts,
    indicators: r.indicators,
    ...scored[i]!,
  }))
}
