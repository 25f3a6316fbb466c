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
import type { Bucket, CellCount, ComparisonBasis, IncidentSummary, PeriodChange } from './types.ts'

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
  const [figures, byCategory, byTime, byTown, byVillage, timeToClose, comparison, yearOnYear] = await Promise.all([
    sql<Omit<IncidentSummary, 'byCategory' | 'bucket' | 'byTime' | 'byTown' | 'byVillage' | 'timeToClose' | 'comparison' | 'yearOnYear'>[]>`
      select count(*) as total,
             ${openFigures(sql)},
             count(*) filter (where i.status = 'closed') as closed,
             ${closedRateFigures(sql)}
      from incident i where ${where}`,
    sql<{ code: string; count: number }[]>`
      select i.category as code, count(*) as count from incident i where ${where} group by 1 order by 2 desc, 1`,
    countsOverTime(sql, f, bucket, now),
    cellCounts(sql, f, 2),
    cellCounts(sql, f, 3, TOP_VILLAGES),
    sql<{ bucket: number; count: number }[]>`
      select width_bucket(extract(epoch from i.closed_at - i.reported_at)::float8 / 3600, ${CLOSE_HOUR_EDGES}::float8[]) as bucket, count(*) as count
      from incident i where ${where} and i.status = 'closed' and i.closed_at is not null group by 1`,
    periodComparison(sql, f, now, 'previous'),
    periodComparison(sql, f, now, 'year'),
  ])
  const closeCounts = new Map(timeToClose.map((r) => [r.bucket, r.count]))
  const towns = new Map(byTown.map((t) => [t.code, t.name]))
  return {
    ...figures[0]!,
    byCategory: [...byCategory],
    bucket,
    byTime,
    byTown,
    byVillage,
    timeToClose: [...CLOSE_HOUR_EDGES, null].map((hoursMax, k) => ({ hoursMax, count: closeCounts.get(k) ?? 0 })),
    comparison: comparisonOf(comparison, towns),
    yearOnYear: comparisonOf(yearOnYear, towns),
  }
}

function comparisonOf(c: Awaited<ReturnType<typeof periodComparison>>, towns: Map<string, string>): IncidentSummary['comparison'] {
  return {
    basis: c.basis,
    current: c.current,
    previous: c.previous,
    byCategory: changes(c.rows, 'category'),
    // Only the towns in the filter's grid, named.
    byTown: changes(c.rows, 'town')
      .filter((t) => towns.has(t.code))
      .map((t) => ({ ...t, name: towns.get(t.code)! })),
  }
}

/**
 * Counts per calendar bucket in Asia/Shanghai, contiguous and zero-filled over the filter's time
 * window ([from, to), to defaulting to now), or over the first to the last incident without one.
 */
async function countsOverTime(sql: Sql, f: IncidentFilter & { scope: string }, bucket: Bucket, now: Date): Promise<{ t: string; count: number }[]> {
  const from = f.from ?? null
  const to = f.to ?? (f.from ? now.toISOString() : null)
  const rows = await sql<{ t: string; count: number }[]>`
    with counts as (
      select date_trunc(${bucket}::text, i.reported_at at time zone ${ZONE}::text) as local, count(*) as n
      from incident i where ${incidentWhere(sql, f)} group by 1),
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

interface ComparisonRow {
  current: boolean
  category: string
  town: string
  count: number
}

/**
 * The filter's time window (or the last 30 days without one) against an earlier window, with
 * every other filter field the same: 'previous' (环比) the window of the same length just before
 * it, 'year' (同比) the same dates of the Asia/Shanghai calendar a year earlier.
 */
async function periodComparison(sql: Sql, f: IncidentFilter & { scope: string }, now: Date, basis: ComparisonBasis) {
  const to = f.to ? Date.parse(f.to) : now.getTime()
  const from = f.from ? Date.parse(f.from) : to - DEFAULT_COMPARISON_MS
  const [earlierFrom, earlierTo] = basis === 'previous' ? [from - (to - from), from] : [yearEarlier(from), yearEarlier(to)]
  const iso = (ms: number) => new Date(ms).toISOString()
  // Each window counted on its own: a window longer than a year overlaps its 同比 window.
  const counts = (current: boolean, a: number, b: number) => sql`
    select ${current} as current, i.category, left(i.grid_code, 9) as town, count(*) as count
    from incident i where ${incidentWhere(sql, { ...f, from: iso(a), to: iso(b) })}
    group by 2, 3`
  const rows = await sql<ComparisonRow[]>`${counts(true, from, to)} union all ${counts(false, earlierFrom, earlierTo)}`
  const total = (current: boolean) => rows.reduce((sum, r) => sum + (r.current === current ? r.count : 0), 0)
  return {
    basis,
    rows,
    current: { from: iso(from), to: iso(to), total: total(true) },
    previous: { from: iso(earlierFrom), to: iso(earlierTo), total: total(false) },
  }
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
