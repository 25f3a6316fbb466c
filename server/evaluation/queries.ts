/**
 * Evaluation reads: the cells of one level under a grid (or of every level), or the grid workers of
 * its household groups, with their counts for a period, indicator values and scores among their
 * peers. The counting is one set-based statement keyed by cell (sql/case-counts.ts) rolled up here
 * to whatever level is asked, so every level and every worker of a grid cost one pass over the
 * period's rows. Every read takes the viewer's scope (incidentWhere); the grid is narrowed to it.
 */
import type { Sql } from '../db/connect.ts'
import { narrowPrefix } from '../grids/codes.ts'
import { HttpProblem } from '../http/problem.ts'
import { hasActivity, indicatorValues, type CaseCounts, type IndicatorValues } from './indicators.ts'
import type { Period } from './period.ts'
import { scoreAmongPeers, type Scored } from './score.ts'
import { activityByCell } from './sql/case-counts.ts'
import { periodCache } from './activity-cache.ts'
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
  counts: CaseCounts
  indicators: IndicatorValues
}

/** One row of sql/case-counts.ts: what happened in one cell (its exact code). */
interface ActivityRow {
  code: string
  reports: number
  registered: number
  handled: number
  handled_on_time: number
  closed: number
  reopened: number
  overdue: number
  closed_in_grid: number
  closed_in_town: number
  disputes: number
  disputes_closed: number
  hours_to_close: number
  patrol_days: number
  notice_recipients: number
  notice_acked: number
  notice_acked_on_time: number
  ack_hours: number
}

const SUMMED = [
  'reports',
  'registered',
  'handled',
  'handled_on_time',
  'closed',
  'reopened',
  'overdue',
  'closed_in_grid',
  'closed_in_town',
  'disputes',
  'disputes_closed',
  'hours_to_close',
  'patrol_days',
  'notice_recipients',
  'notice_acked',
  'notice_acked_on_time',
  'ack_hours',
] as const
/** Per cell the SUMMED figures in order, then the household groups: one flat array, no per-key object. */
type Totals = Float64Array
const GROUPS = SUMMED.length
const INDEX = Object.fromEntries(SUMMED.map((k, i) => [k, i])) as Record<(typeof SUMMED)[number], number>
const at = (t: Totals, k: (typeof SUMMED)[number]) => t[INDEX[k]]!

const DAY_MS = 86_400_000
const round2 = (x: number) => Math.round(x * 100) / 100

/** The days of the period elapsed by now (a period in the future has none). */
export function daysElapsed(period: Period, now = Date.now()): number {
  const from = Date.parse(period.from)
  const to = Math.min(Date.parse(period.to), now)
  return to <= from ? 0 : Math.ceil((to - from) / DAY_MS)
}

const EMPTY: Totals = new Float64Array(GROUPS + 1)

function countsOf(t: Totals | undefined, days: number): CaseCounts {
  const x = t ?? EMPTY
  const closed = at(x, 'closed')
  const acked = at(x, 'notice_acked')
  return {
    reports: at(x, 'reports'),
    registered: at(x, 'registered'),
    handled: at(x, 'handled'),
    handledOnTime: at(x, 'handled_on_time'),
    closed,
    reopened: at(x, 'reopened'),
    overdue: at(x, 'overdue'),
    closedInGrid: at(x, 'closed_in_grid'),
    closedInTown: at(x, 'closed_in_town'),
    disputes: at(x, 'disputes'),
    disputesClosed: at(x, 'disputes_closed'),
    meanHoursToClose: closed > 0 ? round2(at(x, 'hours_to_close') / closed) : null,
    groups: x[GROUPS]!,
    days,
    patrolGroupDays: at(x, 'patrol_days'),
    noticeRecipients: at(x, 'notice_recipients'),
    noticeAcked: acked,
    noticeAckedOnTime: at(x, 'notice_acked_on_time'),
    meanHoursToAck: acked > 0 ? round2(at(x, 'ack_hours') / acked) : null,
  }
}

/** What happened under one grid in a period, read once, rolled up on demand to any code length. */
class Activity {
  private codes: string[]
  private figures: Float64Array

  constructor(
    rows: ActivityRow[],
    private households: string[],
    readonly days: number,
  ) {
    this.codes = rows.map((r) => r.code)
    this.figures = new Float64Array(rows.length * GROUPS)
    rows.forEach((row, i) => {
      for (let k = 0; k < GROUPS; k++) this.figures[i * GROUPS + k] = row[SUMMED[k]!]
    })
  }

  /** Totals per cell of codes `keyLength` long: a row counts for the cell whose code prefixes its own. */
  byKey(keyLength: number): Map<string, Totals> {
    const out = new Map<string, Totals>()
    const totals = (key: string) => {
      let t = out.get(key)
      if (!t) out.set(key, (t = new Float64Array(GROUPS + 1)))
      return t
    }
    for (let i = 0; i < this.codes.length; i++) {
      const code = this.codes[i]!
      if (code.length < keyLength) continue
      const t = totals(code.slice(0, keyLength))
      for (let k = 0; k < GROUPS; k++) t[k]! += this.figures[i * GROUPS + k]!
    }
    for (const code of this.households) if (code.length >= keyLength) totals(code.slice(0, keyLength))[GROUPS]! += 1
    return out
  }

  counts(totals: Map<string, Totals>, code: string): CaseCounts {
    return countsOf(totals.get(code), this.days)
  }
}

/** The activity under `prefix` in `period` for the viewer's scope, from the process's cache when nothing it counts changed. */
function readActivity(sql: Sql, scope: string, prefix: string, period: Period): Promise<Activity> {
  return periodCache<Activity>(sql).get(`${scope}|${prefix}|${period.label}`, period, () => countActivity(sql, scope, prefix, period))
}

/** One pass over the period's rows under `prefix` (sql/case-counts.ts) and the household groups. */
async function countActivity(sql: Sql, scope: string, prefix: string, period: Period): Promise<Activity> {
  const [rows, households] = await Promise.all([
    sql<ActivityRow[]>`${activityByCell(sql, { scope, grid: prefix, from: period.from, to: period.to })}`,
    sql<{ code: string }[]>`select code from grid_cell where level = 5 and code like ${prefix + '%'}`,
  ])
  return new Activity(
    rows,
    households.map((h) => h.code),
    daysElapsed(period),
  )
}

/** The grid the viewer asked for, narrowed to their scope; 404 outside it or when it does not exist. */
export async function resolveGrid(sql: Sql, scope: string, grid: string | undefined): Promise<GridRef> {
  const code = narrowPrefix(scope, grid)
  if (code === null) throw new HttpProblem(404, 'Grid not found', `No grid ${grid} within your scope.`)
  const [row] = await sql<GridRef[]>`select code, name, full_name as "fullName", level, parent_code as "parentCode" from grid_cell where code = ${code}`
  if (!row) throw new HttpProblem(404, 'Grid not found', `No grid ${code}.`)
  return row
}

function scoreCells(cells: GridRef[], activity: Activity, level: number, weights: Weights): EvaluatedRow[] {
  const totals = activity.byKey(3 + 3 * level)
  const rows = cells.map((cell) => {
    const c = activity.counts(totals, cell.code)
    return { cell, counts: c, indicators: indicatorValues(c) }
  })
  const scored = scoreAmongPeers(
    rows.map((r) => ({ peerGroup: r.cell.parentCode ?? '', activity: hasActivity(r.counts) ? 1 : 0, values: r.indicators })),
    weights,
  )
  return rows.map((r, i) => ({ ...r.cell, counts: r.counts, indicators: r.indicators, ...scored[i]! }))
}

/** The cells of `level` under `grid`, scored among the cells of the same parent. */
export async function evaluateCells(sql: Sql, scope: string, grid: GridRef, level: number, period: Period, weights: Weights): Promise<EvaluatedRow[]> {
  const [cells, activity] = await Promise.all([
    sql<GridRef[]>`
      select code, name, full_name as "fullName", level, parent_code as "parentCode" from grid_cell
      where level = ${level} and code like ${grid.code + '%'} order by code`,
    readActivity(sql, scope, grid.code, period),
  ])
  return scoreCells(cells, activity, level, weights)
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
  return selfOf(grid, await readActivity(sql, scope, grid.code, period), weights)
}

/** A grid whose siblings the viewer may not see: counted, scored alone (no rank among peers). */
function selfOf(grid: GridRef, activity: Activity, weights: Weights): EvaluatedRow {
  const c = activity.counts(activity.byKey(grid.code.length), grid.code)
  const values = indicatorValues(c)
  const [scored] = scoreAmongPeers([{ peerGroup: '', activity: hasActivity(c) ? 1 : 0, values }], weights)
  return { ...grid, counts: c, indicators: values, ...scored!, peers: 0 }
}

interface WorkerCell {
  code: string
  name: string
  parent_code: string
  worker: string | null
}

/** The first grid worker of every household group under `prefix`, masked; one statement. */
function workerCells(sql: Sql, prefix: string) {
  return sql<WorkerCell[]>`
    select g.code, g.full_name as name, g.parent_code, w.worker
    from grid_cell g
    left join (
      select distinct on (p.cell_code) p.cell_code, mask_name(p.full_name) as worker
      from grid_person p where p.role = 'grid_worker' and p.cell_code like ${prefix + '%'}
      order by p.cell_code, p.id
    ) w on w.cell_code = g.code
    where g.level = 5 and g.code like ${prefix + '%'} order by g.code`
}

function scoreWorkers(cells: WorkerCell[], activity: Activity, weights: Weights): EvaluatedWorker[] {
  const totals = activity.byKey(18)
  const rows = cells.map((cell) => {
    const c = activity.counts(totals, cell.code)
    return { cell, counts: c, indicators: indicatorValues(c) }
  })
  const scored = scoreAmongPeers(
    rows.map((r) => ({ peerGroup: r.cell.parent_code, activity: hasActivity(r.counts) ? 1 : 0, values: r.indicators })),
    weights,
  )
  return rows.map((r, i) => ({
    cellCode: r.cell.code,
    cellName: r.cell.name,
    villagerGroup: r.cell.parent_code,
    worker: r.cell.worker,
    counts: r.counts,
    indicators: r.indicators,
    ...scored[i]!,
  }))
}

/** The grid workers of the household groups under `grid`, scored among those of the same villager group. */
export async function evaluateWorkers(sql: Sql, scope: string, grid: GridRef, period: Period, weights: Weights): Promise<EvaluatedWorker[]> {
  if (grid.level > 5) return []
  const [cells, activity] = await Promise.all([workerCells(sql, grid.code), readActivity(sql, scope, grid.code, period)])
  return scoreWorkers(cells, activity, weights)
}

export interface EvaluatedTree {
  /** The grid itself (scored among its siblings only through evaluateGrid; here counted, unranked). */
  self: EvaluatedRow
  /** Every level below the grid, keyed by level. */
  levels: Record<number, EvaluatedRow[]>
  workers: EvaluatedWorker[]
}

/**
 * Every cell of every level below `grid` and every grid worker, from one pass over the period's
 * rows (three statements in all): the month's evaluation of a whole district at once. Counted
 * afresh (the benchmark's "one pass"), not from the process's cache.
 */
export async function evaluateTree(sql: Sql, scope: string, grid: GridRef, period: Period, weights: Weights): Promise<EvaluatedTree> {
  const [cells, workers, activity] = await Promise.all([
    sql<GridRef[]>`
      select code, name, full_name as "fullName", level, parent_code as "parentCode" from grid_cell
      where level > ${grid.level} and code like ${grid.code + '%'} order by level, code`,
    workerCells(sql, grid.code),
    countActivity(sql, scope, grid.code, period),
  ])
  const levels: Record<number, EvaluatedRow[]> = {}
  for (let level = grid.level + 1; level <= 5; level++) {
    levels[level] = scoreCells(
      cells.filter((c) => c.level === level),
      activity,
      level,
      weights,
    )
  }
  return { self: selfOf(grid, activity, weights), levels, workers: scoreWorkers(workers, activity, weights) }
}
