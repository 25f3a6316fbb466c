/**
 * The analyst's figures for one filter: KPIs, counts by category, over time (Asia/Shanghai
 * calendar buckets), by town and village, the time-to-close distribution, and this period
 * against the one just before it (环比) and against the same dates a year earlier (同比). Every count comes from `incidentWhere`, so they add up to the same
 * total as the list, the points, the cells and the export.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { checkIncidentFilter } from '../incidents/queries.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import { closedRateFigures, openFigures } from '../incidents/sql/figures.ts'
import type { IncidentFilter } from '../incidents/types.ts'
import { codeLength } from '../grids/codes.ts'
import type { Bucket, CellCount, ComparisonBasis, CountByCode, IncidentSummary, PeriodChange } from './types.ts'

const ZONE = 'Asia/Shanghai'
/** Upper edges (hours) of the time-to-close histogram; a last bucket (null) holds the rest. */
export const CLOSE_HOUR_EDGES = [4, 8, 24, 48, 72, 168, 336, 720]
const MAX_BUCKETS = 1500
const TOP_VILLAGES = 20
const DEFAULT_COMPARISON_MS = 30 * 86_400_000

/** Cells of one level inside the filter's grid subtree (or the cell of that level containing it). */
export function cellsInGrid(sql: Sql, level: number, grid: string | undefined) {
  return sql`c.level = ${level} ${grid ? sql`and (c.code like ${grid + '%'} or ${grid} like c.code || '%')` : sql``}`
}

export async function incidentSummary(sql: Sql, f: IncidentFilter & { scope: string }, bucket: Bucket): Promise<IncidentSummary> {
  await checkIncidentFilter(sql, f)
  // One snapshot for every figure, so they add up even while reports arrive.
  return sql.begin('isolation level repeatable read read only', (tx) => summarise(tx as unknown as Sql, f, bucket)) as Promise<IncidentSummary>
}

async function summarise(sql: Sql, f: IncidentFilter & { scope: string }, bucket: Bucket): Promise<IncidentSummary> {
  const where = incidentWhere(sql, f)
  const now = new Date()
  // Each statement is a pass over the filter's incidents (ten million for a province's year), so
  // passes are shared: the figures and the time to close share one; the comparisons' current
  // window is counted once for both and, when it is the filter's own window (range, or from and
  // to), its counts per category and town give the counts per category and per town too.
  const window = comparisonWindow(f, now)
  const ownWindow = f.from !== undefined && f.to !== undefined
  const [[figures], categoryRows, byTime, townRows, byVillage, current, previous, aYearBefore] = await Promise.all([
    sql<
      (Omit<IncidentSummary, 'byCategory' | 'bucket' | 'byTime' | 'byTown' | 'byVillage' | 'timeToClose' | 'comparison' | 'yearOnYear'> & {
        closedWithin: number[]
      })[]
    >`
      select count(*) as total,
             ${openFigures(sql)},
             count(*) filter (where i.status = 'closed') as closed,
             ${closedRateFigures(sql)},
             array[${closedWithinCounts(sql)}]::int[] as "closedWithin"
      from incident i where ${where}`,
    ownWindow
      ? undefined
      : sql<CountByCode[]>`
      select i.category as code, count(*) as count from incident i where ${where} group by 1 order by 2 desc, 1`,
    countsOverTime(sql, f, bucket, now),
    ownWindow ? sql<CellCount[]>`select c.code, c.name, 0 as count from grid_cell c where ${cellsInGrid(sql, 2, f.grid)}` : cellCounts(sql, f, 2),
    cellCounts(sql, f, 3, TOP_VILLAGES),
    windowCounts(sql, ownWindow ? f : { ...f, ...window }),
    windowCounts(sql, { ...f, ...earlierWindow(window, 'previous') }),
    windowCounts(sql, { ...f, ...earlierWindow(window, 'year') }),
  ])
  const byCategory = categoryRows ? [...categoryRows] : mostFirst([...sumBy(current, 'category')].map(([code, count]) => ({ code, count })))
  const perTown = sumBy(current, 'town')
  const byTown = ownWindow ? mostFirst(townRows.map((t) => ({ ...t, count: perTown.get(t.code) ?? 0 }))) : [...townRows]
  const { closedWithin, ...kpis } = figures!
  const towns = new Map(byTown.map((t) => [t.code, t.name]))
  return {
    ...kpis,
    byCategory,
    bucket,
    byTime,
    byTown,
    byVillage,
    timeToClose: closeBuckets(closedWithin),
    comparison: comparisonOf('previous', window, current, previous, towns),
    yearOnYear: comparisonOf('year', window, current, aYearBefore, towns),
  }
}

/** Counts per category or per town, summed over a window's rows. */
function sumBy(rows: readonly WindowCount[], key: 'category' | 'town'): Map<string, number> {
  const sums = new Map<string, number>()
  for (const r of rows) sums.set(r[key], (sums.get(r[key]) ?? 0) + r.count)
  return sums
}

/** Most first, then by code in byte order (the SQL's `order by count desc, code` under the C collation). */
function mostFirst<T extends CountByCode>(rows: T[]): T[] {
  return rows.sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

/**
 * Closed cases closed within each of CLOSE_HOUR_EDGES (cumulative), then all closed cases with a
 * close time, in that order. Compared as times (closed_at before reported_at + the edge): the same
 * cut as width_bucket on the hours, and without its array per row, so counted with the KPIs it adds
 * about a tenth of a second per million incidents instead of a pass of its own.
 */
function closedWithinCounts(sql: Sql) {
  const closed = sql`i.status = 'closed' and i.closed_at is not null`
  return [
    ...CLOSE_HOUR_EDGES.map((hours) => sql`count(*) filter (where ${closed} and i.closed_at < i.reported_at + ${`${hours} hours`}::interval)`),
    sql`count(*) filter (where ${closed})`,
  ].reduce((all, count) => sql`${all}, ${count}`)
}

/** Counts per time-to-close bucket (hoursMax: the bucket's upper edge, null beyond the last) from closedWithinCounts. */
function closeBuckets(closedWithin: readonly number[]): IncidentSummary['timeToClose'] {
  return [...CLOSE_HOUR_EDGES, null].map((hoursMax, k) => ({ hoursMax, count: closedWithin[k]! - (k ? closedWithin[k - 1]! : 0) }))
}

function comparisonOf(
  basis: ComparisonBasis,
  window: Window,
  current: readonly WindowCount[],
  earlier: readonly WindowCount[],
  towns: Map<string, string>,
): IncidentSummary['comparison'] {
  const earlierPeriod = earlierWindow(window, basis)
  const rows = [...current.map((r) => ({ ...r, current: true })), ...earlier.map((r) => ({ ...r, current: false }))]
  const total = (counts: readonly WindowCount[]) => counts.reduce((sum, r) => sum + r.count, 0)
  return {
    basis,
    current: { ...window, total: total(current) },
    previous: { ...earlierPeriod, total: total(earlier) },
    byCategory: changes(rows, 'category'),
    // Only the towns in the filter's grid, named.
    byTown: changes(rows, 'town')
      .filter((t) => towns.has(t.code))
      .map((t) => ({ ...t, name: towns.get(t.code)! })),
  }
}

/**
 * Counts per calendar bucket in Asia/Shanghai, contiguous and zero-filled over the filter's time
 * window ([from, to), to defaulting to now), or over the first to the last incident without one.
 * Counted per day first, then per week or month: the day is the expression the planner has
 * statistics for (migration 024), so it hashes the days in parallel instead of sorting every row.
 */
async function countsOverTime(sql: Sql, f: IncidentFilter & { scope: string }, bucket: Bucket, now: Date): Promise<{ t: string; count: number }[]> {
  const from = f.from ?? null
  const to = f.to ?? (f.from ? now.toISOString() : null)
  const rows = await sql<{ t: string; count: number }[]>`
    with days as (
      select date_trunc('day', i.reported_at at time zone ${ZONE}::text) as day, count(*) as n
      from incident i where ${incidentWhere(sql, f)} group by 1),
    counts as (
      select date_trunc(${bucket}::text, day) as local, sum(n)::int as n from days group by 1),
    span as (
      select coalesce(date_trunc(${bucket}::text, ${from}::timestamptz at time zone ${ZONE}::text), min(local)) as first,
             coalesce(date_trunc(${bucket}::text, (${to}::timestamptz - interval '1 microsecond') at time zone ${ZONE}::text), max(local)) as last
      from counts)
    select to_char(s.local, 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as t, coalesce(c.n, 0) as count
    from span, generate_series(span.first, span.last, ${'1 ' + bucket}::interval) as s(local)
    left join counts c on c.local = s.local
    order by s.local
    limit ${MAX_BUCKETS + 1}`
  if (rows.length > MAX_BUCKETS) {
    const reason = `Expected a coarser bucket: the time window spans more than ${MAX_BUCKETS} ${bucket} buckets.`
    throw new HttpProblem(400, 'Invalid request', `Invalid query parameter: bucket. ${reason}`, [{ name: 'bucket', reason }])
  }
  return [...rows]
}

/** Incidents per cell of `level` in the filter's grid, most first (zeros included unless `top` is set). */
async function cellCounts(sql: Sql, f: IncidentFilter & { scope: string }, level: 2 | 3, top?: number): Promise<CellCount[]> {
  const rows = await sql<CellCount[]>`
    with counts as (
      select left(i.grid_code, ${codeLength(level)}) as code, count(*) as n from incident i where ${incidentWhere(sql, f)} group by 1)
    select c.code, c.name, coalesce(n.n, 0) as count
    from grid_cell c ${top ? sql`join` : sql`left join`} counts n on n.code = c.code
    where ${cellsInGrid(sql, level, f.grid)}
    order by 3 desc, 1
    ${top ? sql`limit ${top}` : sql``}`
  return [...rows]
}

interface WindowCount {
  category: string
  town: string
  count: number
}

interface ComparisonRow extends WindowCount {
  current: boolean
}

interface Window {
  from: string
  to: string
}

/** The filter's time window, or the last 30 days without one: the comparisons' current window. */
function comparisonWindow(f: IncidentFilter, now: Date): Window {
  const to = f.to ? Date.parse(f.to) : now.getTime()
  const from = f.from ? Date.parse(f.from) : to - DEFAULT_COMPARISON_MS
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}

/**
 * The window a comparison sets against the current one: 'previous' (环比) the window of the same
 * length just before it, 'year' (同比) the same dates of the Asia/Shanghai calendar a year earlier.
 */
function earlierWindow(window: Window, basis: ComparisonBasis): Window {
  const [from, to] = [Date.parse(window.from), Date.parse(window.to)]
  const [a, b] = basis === 'previous' ? [from - (to - from), from] : [yearEarlier(from), yearEarlier(to)]
  return { from: new Date(a).toISOString(), to: new Date(b).toISOString() }
}

/**
 * Incidents per category and town in a filter's window. Each window is counted on its own: a
 * window longer than a year overlaps its 同比 window.
 */
async function windowCounts(sql: Sql, f: IncidentFilter & { scope: string }): Promise<WindowCount[]> {
  const rows = await sql<WindowCount[]>`
    select i.category, left(i.grid_code, 9) as town, count(*) as count
    from incident i where ${incidentWhere(sql, f)}
    group by 1, 2`
  return [...rows]
}

const CST_MS = 8 * 3_600_000

/**
 * The same wall-clock moment a year earlier in China time (no daylight saving: a fixed +08:00);
 * 29 February falls back to the 28th.
 */
export function yearEarlier(ms: number): number {
  const local = new Date(ms + CST_MS)
  const year = local.getUTCFullYear() - 1
  const lastDay = new Date(Date.UTC(year, local.getUTCMonth() + 1, 0)).getUTCDate()
  const shifted = Date.UTC(
    year,
    local.getUTCMonth(),
    Math.min(local.getUTCDate(), lastDay),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  )
  return shifted - CST_MS
}

function changes(rows: readonly ComparisonRow[], key: 'category' | 'town'): PeriodChange[] {
  const byCode = new Map<string, { current: number; previous: number }>()
  for (const r of rows) {
    const entry = byCode.get(r[key]) ?? { current: 0, previous: 0 }
    entry[r.current ? 'current' : 'previous'] += r.count
    byCode.set(r[key], entry)
  }
  return [...byCode]
    .map(([code, { current, previous }]) => ({
      code,
      current,
      previous,
      change: current - previous,
      changeRate: previous ? (current - previous) / previous : null,
    }))
    .sort((a, b) => b.current - a.current || b.previous - a.previous || a.code.localeCompare(b.code))
}
