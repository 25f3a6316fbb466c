/**
 * A large synthetic incident history for benchmarks (≥ 1,000,000 incidents), generated inside
 * PostgreSQL with INSERT … SELECT generate_series: no rows travel from Node. Points lie inside
 * level-5 cells (ST_GeneratePoints, a pool of points per cell drawn once), categories, severity,
 * status and handling level are spread by hashing the row number, and every row is reported in
 * the year before the demo history (BIG_HISTORY_WINDOW), so that window selects exactly the
 * synthetic set. Idempotent: rows already there are counted and only the missing ones added, in
 * batches with progress. Meant for a separate bench database, never the test database.
 */
import type { Sql } from '../../../server/db/connect.ts'

export const BIG_HISTORY_REPORTER = 'bench-synthetic'
const BATCH = 100_000
const POINTS_PER_CELL = 12
const DAY_MS = 86_400_000

/** The synthetic rows' time window: the 365 days ending 400 days before `now` (whole UTC days). */
export function bigHistoryWindow(now = new Date()): { from: string; to: string } {
  const end = Math.floor(now.getTime() / DAY_MS) * DAY_MS - 400 * DAY_MS
  return { from: new Date(end - 365 * DAY_MS).toISOString(), to: new Date(end).toISOString() }
}

export async function ensureBigHistory(
  sql: Sql,
  target = 1_000_000,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ from: string; to: string; added: number; ms: number }> {
  const started = performance.now()
  const [meta] = await sql<{ window: { from: string; to: string } | null }[]>`
    select (select jsonb_build_object('from', min(reported_at), 'to', max(reported_at)) from incident where reporter = ${BIG_HISTORY_REPORTER} having count(*) > 0) as window`
  // The window is fixed by the first load, so a later run (another day) keeps using the same rows.
  const window = meta!.window ? fixedWindow(meta!.window) : bigHistoryWindow()
  const [counted] = await sql<{ have: number }[]>`select count(*) as have from incident where reporter = ${BIG_HISTORY_REPORTER}`
  const have = counted!.have
  if (have >= target) return { ...window, added: 0, ms: performance.now() - started }

  await sql`drop table if exists bench_point_pool`
  // Unlogged scratch table: a pool of points inside each household group, numbered 0..n-1.
  await sql`
    create unlogged table bench_point_pool as
    select (row_number() over (order by c.code, d.path) - 1)::int as k, c.code, d.geom
    from grid_cell c, ST_Dump(ST_GeneratePoints(c.geom, ${POINTS_PER_CELL}, 42)) d
    where c.level = 5`
  await sql`create unique index on bench_point_pool (k)`
  const [pooled] = await sql<{ pool: number }[]>`select count(*) as pool from bench_point_pool`
  const pool = pooled!.pool
  const subcategories = (await sql<{ code: string }[]>`select code from incident_category where parent_code is not null order by sort`).map((r) => r.code)

  for (let done = have; done < target; done += BATCH) {
    const n = Math.min(BATCH, target - done)
    await sql`
      with r as (
        select g, hashint4(g)::int8 as h1, hashint4(g # 1431655765)::int8 as h2
        from generate_series(${done}::int, ${done + n - 1}::int) g),
      v as (
        select r.*, p.code, p.geom,
               ${subcategories}::text[] as cats,
               (case when abs(h1) % 100 < 55 then 1 when abs(h1) % 100 < 85 then 2 when abs(h1) % 100 < 97 then 3 else 4 end)::smallint as severity,
               ${window.from}::timestamptz + (abs(h2::int8) % (365 * 86400)) * interval '1 second' as reported_at
        from r join bench_point_pool p on p.k = (abs(r.h1 # r.h2) % ${pool})::int),
      s as (
        select v.*, cats[(1 + abs(h1 / 7) % cardinality(cats))::int] as category,
               (array['closed','closed','closed','closed','closed','closed','dismissed','handling','dispatched','verified'])[(1 + abs(h2 / 11) % 10)::int] as status,
               (case when severity = 4 then 2 when severity = 3 then 3 else 5 end) - (case when abs(h1 / 13) % 10 = 0 then 1 else 0 end) as handling_level
        from v)
      insert into incident (category, severity, title, description, source, reporter, occurred_at, reported_at, location, grid_code,
                            handling_level, status, due_at, closed_at, parties, updated_at)
      select s.category, s.severity, c.name_zh || ' · 合成 ' || s.g, '', 'patrol', ${BIG_HISTORY_REPORTER},
             s.reported_at - interval '20 minutes', s.reported_at, s.geom, s.code, s.handling_level, s.status,
             s.reported_at + make_interval(hours => c.due_hours[s.severity]),
             case when s.status = 'closed' then s.reported_at + (1 + abs(s.h1 / 17) % 400) * interval '1 hour' end,
             case when s.category like 'dispute.%'
               then jsonb_build_array(jsonb_build_object('name', '张' || (s.g % 100), 'phone', '138' || lpad((abs(s.h2) % 100000000)::text, 8, '0')))
               else '[]'::jsonb end,
             s.reported_at
      from s join incident_category c on c.code = s.category`
    onProgress(done + n, target)
  }
  await sql`drop table bench_point_pool`
  await sql`analyze incident`
  return { ...window, added: target - have, ms: performance.now() - started }
}

/** The stored rows' window, widened to whole UTC days so it covers the first and last row. */
function fixedWindow(stored: { from: string; to: string }): { from: string; to: string } {
  const from = Math.floor(Date.parse(stored.from) / DAY_MS) * DAY_MS
  const to = (Math.floor(Date.parse(stored.to) / DAY_MS) + 1) * DAY_MS
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}
