/**
 * 30 days of demo patrols (巡查) for the embedded demo: most grid workers walk their household
 * group on most days, a few villages have gone quiet (沉默网格), deterministic for a given day
 * (every random choice is an md5 of the cell code, the day and a purpose, so two seedings of the
 * same day give the same rows; the days themselves are the 30 before today, China time).
 *
 * Generated inside the database, one statement per day, so no rows cross the wire and the work
 * can run after the server is listening, a day at a time between requests: the map is usable at
 * once and the coverage figures fill in within seconds. A patrol is a loop around its cell's label
 * point, a position about every 8 minutes for 30–60 minutes (sparser than a phone records, to keep
 * the embedded demo small), radius a quarter of the cell's smaller side, every position inside the
 * worker's own household group.
 */
import type postgres from 'postgres'
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'

export const DEMO_PATROL_DAYS = 30
/** Share of villages that went silent (no patrols) for the last 8–27 days. */
const SILENT_VILLAGE_SHARE = 0.06

/** A number in [0, 1) from md5 of the parts: the same everywhere, every time. */
type Part = string | number | postgres.PendingQuery<postgres.Row[]>
function rnd(sql: Sql, ...parts: Part[]) {
  const text = (p: Part) => (typeof p === 'object' ? sql`(${p})::text` : sql`${String(p)}::text`)
  const key = parts.map((p, i) => (i === 0 ? text(p) : sql`|| ':' || ${text(p)}`))
  return sql`(('x' || substr(md5(${key}), 1, 8))::bit(32)::bigint::float8 / 4294967296.0)`
}

/** Seeds day `daysAgo` (1 = yesterday, China time); returns the patrols and positions written. */
export async function seedDemoPatrolDay(sql: Sql, daysAgo: number): Promise<{ patrols: number; positions: number }> {
  // Midnight China time `daysAgo` days before today.
  const [row] = await sql<{ day: Date }[]>`
    select (date_trunc('day', now() at time zone 'Asia/Shanghai') - make_interval(days => ${daysAgo}::int)) at time zone 'Asia/Shanghai' as day`
  const day = row!.day
  const dayKey = day.toISOString().slice(0, 10)
  return sql.begin(async (tx) => {
    const t = tx as unknown as Sql
    // The planner cannot estimate the md5-based choices and picks nested loops (seen: 12 s a day
    // instead of well under one); hash joins are right for these sizes.
    await tx`set local enable_nestloop = off`
    const [counts] = await tx<{ patrols: number; positions: number }[]>`
      with workers as (
        select c.code, c.geom, c.label_point, ST_X(c.label_point) as lx, ST_Y(c.label_point) as ly,
               least(ST_XMax(c.geom) - ST_XMin(c.geom), ST_YMax(c.geom) - ST_YMin(c.geom)) as side,
               p.id as person_id, p.full_name,
               ${rnd(t, sql`c.code`, 'rate')} as rate_seed
        from grid_cell c join grid_person p on p.cell_code = c.code and p.role = 'grid_worker'
        where c.level = 5 and ST_Covers(c.geom, c.label_point)
          -- A silent village has had no patrols for its last 8–27 days.
          and not (${rnd(t, sql`left(c.code, 12)`, 'silent')} < ${SILENT_VILLAGE_SHARE}
                   and ${daysAgo}::int <= 8 + floor(${rnd(t, sql`left(c.code, 12)`, 'silent-days')} * 20))
      ),
      walking as (
        -- Each worker walks on 15–50 % of days (every second to seventh day); one in twelve rarely (5 %).
        select w.*, ${rnd(t, sql`w.code`, dayKey, 'start')} as start_seed, ${rnd(t, sql`w.code`, dayKey, 'shape')} as shape_seed
        from workers w
        where ${rnd(t, sql`w.code`, dayKey, 'walks')} < case when w.rate_seed < 0.083 then 0.05 else 0.15 + 0.35 * w.rate_seed end
      ),
      started as (
        insert into patrol (person_id, worker_name, worker_scope, started_at, ended_at)
        select person_id, full_name, code,
               ${day}::timestamptz + make_interval(mins => (8 * 60 + floor(start_seed * 8 * 60))::int),
               ${day}::timestamptz + make_interval(mins => (8 * 60 + floor(start_seed * 8 * 60) + 30 + floor(shape_seed * 30))::int)
        from walking
        returning id, worker_scope, started_at, ended_at),
      points as (
        -- A loop around the label point, a position every ~8 minutes; a point that would leave
        -- the cell is replaced by the label point, so every position lies in the worker's cell.
        select s.id, s.started_at + make_interval(secs => k * 480 + floor(${rnd(t, sql`w.code`, dayKey, sql`k`, 'jitter')} * 60)) as t, w.code,
               w.label_point, w.geom,
               ST_SetSRID(ST_MakePoint(
                 w.lx + w.side / 4 * (0.6 + 0.4 * w.shape_seed) * cos(2 * pi() * k / n + w.shape_seed * 6.28),
                 w.ly + w.side / 4 * (0.6 + 0.4 * w.shape_seed) * sin(2 * pi() * k / n + w.shape_seed * 6.28)), 4326) as candidate
        from started s join walking w on w.code = s.worker_scope
        cross join lateral (select (extract(epoch from s.ended_at - s.started_at) / 480)::int as n) len
        cross join lateral generate_series(0, len.n) k),
      placed as (
        select id, t, code, case when ST_Covers(geom, candidate) then candidate else label_point end as pt from points),
      measured as (
        select id, t, code, pt, ST_X(pt) as lon, ST_Y(pt) as lat,
               lag(ST_X(pt)) over w as plon, lag(ST_Y(pt)) over w as plat
        from placed window w as (partition by id order by t)),
      stored as (
        insert into patrol_position (patrol_id, t, location, accuracy, grid_code, segment_m)
        select id, t, pt, 8 + floor(${rnd(t, sql`code`, sql`t`, 'accuracy')} * 25), code,
               -- Haversine on the mean Earth radius, as the API measures (plausibility.ts).
               case when plon is null then 0 else 2 * 6371008.8 * asin(least(1, sqrt(
                 sin(radians(lat - plat) / 2) ^ 2 + cos(radians(plat)) * cos(radians(lat)) * sin(radians(lon - plon) / 2) ^ 2))) end
        from measured
        returning 1)
      select (select count(*)::int from started) as patrols, (select count(*)::int from stored) as positions`
    // Each patrol's line and kilometres, from its plausible positions.
    await tx`
      update patrol p set track = s.line, km = s.m / 1000
      from (select x.patrol_id, ST_MakeLine(x.location order by x.t) as line, sum(x.segment_m) as m
            from patrol_position x join patrol q on q.id = x.patrol_id
            where q.user_id is null and q.started_at >= ${day} and q.started_at < ${day}::timestamptz + interval '1 day' and x.flag is null
            group by x.patrol_id) s
      where p.id = s.patrol_id`
    return counts!
  })
}

/**
 * Seeds the demo patrols in the background, a day per statement, after the server listens: the
 * cold start is not held up and requests interleave between the days. `stop()` lets the day in
 * progress finish and seeds no more (the next start goes on: days already there are skipped).
 */
export function startDemoPatrolSeeding(sql: Sql): { done: Promise<void>; stop(): Promise<void> } {
  let stopped = false
  const done = (async () => {
    const started = Date.now()
    const [row] = await sql<{ days: number }[]>`
      select count(distinct (started_at at time zone 'Asia/Shanghai')::date)::int as days from patrol where user_id is null`
    if (row!.days >= DEMO_PATROL_DAYS) return
    log.info({ days: DEMO_PATROL_DAYS }, 'seeding demo patrols in the background')
    const total = { patrols: 0, positions: 0 }
    for (let daysAgo = 1; daysAgo <= DEMO_PATROL_DAYS && !stopped; daysAgo++) {
      if (await hasDemoPatrolDay(sql, daysAgo)) continue
      const day = await seedDemoPatrolDay(sql, daysAgo)
      total.patrols += day.patrols
      total.positions += day.positions
      if (daysAgo % 5 === 0) log.info({ done: daysAgo, total: DEMO_PATROL_DAYS }, `demo patrols: ${daysAgo}/${DEMO_PATROL_DAYS} days`)
    }
    if (!stopped) log.info({ ...total, ms: Date.now() - started }, 'demo patrols seeded')
  })().catch((error) => {
    if (!stopped) log.warn({ err: error }, 'seeding demo patrols failed')
  })
  return {
    done,
    async stop() {
      stopped = true
      await done
    },
  }
}

async function hasDemoPatrolDay(sql: Sql, daysAgo: number): Promise<boolean> {
  const [row] = await sql`
    select 1 from patrol where user_id is null
      and started_at >= (date_trunc('day', now() at time zone 'Asia/Shanghai') - make_interval(days => ${daysAgo}::int)) at time zone 'Asia/Shanghai'
      and started_at < (date_trunc('day', now() at time zone 'Asia/Shanghai') - make_interval(days => ${daysAgo - 1}::int)) at time zone 'Asia/Shanghai'
    limit 1`
  return Boolean(row)
}
