/**
 * Patrols in the database: start one, add positions (idempotent per (patrol, t), any order), end
 * it, read it back, and the day's tracks for the map. After every batch the patrol's positions are
 * re-assessed in time order (plausibility.ts) under a lock on the patrol row, and its line and
 * kilometres rebuilt from the plausible ones, so two batches racing still give one answer.
 *
 * A track is its worker's personal data: `visibleTo` is the one place that says who sees it.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { Viewer } from '../access/roles.ts'
import { assessPositions, type StoredPosition } from './plausibility.ts'
import type { Flag, PatrolView, Position, TrackView } from './types.ts'

/** Roles that may see the tracks of others inside their scope. */
const TRACK_READERS = new Set(['commander', 'town_leader', 'village_leader'])

/** SQL: the patrol `p` is visible to the viewer (their own, or inside a leader's or the commander's scope). */
export function visibleTo(sql: Sql, viewer: Viewer) {
  if (TRACK_READERS.has(viewer.role)) return sql`starts_with(p.worker_scope, ${viewer.scope}::text)`
  if (viewer.kind === 'user') return sql`p.user_id = ${viewer.id}::bigint`
  return sql`false`
}

export function mayReadTracks(viewer: Viewer): boolean {
  return TRACK_READERS.has(viewer.role) || (viewer.kind === 'user' && viewer.role === 'grid_worker')
}

function patrolNotFound(id: number): HttpProblem {
  return new HttpProblem(404, 'Patrol not found', `No patrol of yours has the id ${id} (parameter id).`)
}

export async function startPatrol(sql: Sql, viewer: Viewer, input: { startedAt?: string }, idempotencyKey?: string): Promise<{ id: number; created: boolean }> {
  const [row] = await sql<{ id: number }[]>`
    insert into patrol (user_id, person_id, worker_name, worker_scope, started_at, idempotency_key)
    select ${viewer.id}, (select id from grid_person where cell_code = ${viewer.scope} and role = 'grid_worker' order by id limit 1),
           ${viewer.name}, ${viewer.scope}, coalesce(${input.startedAt ?? null}::timestamptz, now()), ${idempotencyKey ?? null}
    on conflict (idempotency_key) do nothing returning id`
  if (row) return { id: row.id, created: true }
  const [previous] = await sql<{ id: number; user_id: number | null }[]>`select id, user_id from patrol where idempotency_key = ${idempotencyKey ?? null}`
  if (!previous || previous.user_id !== viewer.id) {
    throw new HttpProblem(422, 'Idempotency key reused', 'This Idempotency-Key was already used; use a new key for a new patrol.', [
      { name: 'Idempotency-Key', reason: 'Expected a key not used before.' },
    ])
  }
  return { id: previous.id, created: false }
}

/** The patrol row locked for a change by its own worker, else 404. */
async function lockOwnPatrol(tx: Sql, id: number, viewer: Viewer): Promise<{ started_at: Date; ended_at: Date | null }> {
  const [row] = await tx<{ started_at: Date; ended_at: Date | null }[]>`
    select started_at, ended_at from patrol where id = ${id} and user_id = ${viewer.id}::bigint for update`
  if (!row) throw patrolNotFound(id)
  return row
}

export interface BatchResult {
  id: number
  received: number
  stored: number
  duplicates: number
  positions: number
  km: number
  flagged: Record<Flag, number>
}

/** Stores a batch (new times only), re-assesses the whole patrol and rebuilds its line. */
export async function addPositions(sql: Sql, id: number, viewer: Viewer, batch: Position[]): Promise<BatchResult> {
  const future = batch.findIndex((p) => Date.parse(p.t) > Date.now() + 10 * 60_000)
  if (future >= 0) {
    throw new HttpProblem(422, 'Position in the future', `Position ${future} (field t) lies more than 10 minutes in the future; check the phone's clock.`, [
      { name: `${future}.t`, reason: 'Expected a time not in the future.' },
    ])
  }
  return sql.begin(async (tx) => {
    await lockOwnPatrol(tx as unknown as Sql, id, viewer)
    // Within one batch the same t twice is one position (the first).
    const unique = [...new Map(batch.map((p) => [Date.parse(p.t), p])).values()].reverse()
    const inserted = await tx<{ n: number }[]>`
      with input as (
        select distinct on (t) t, lon, lat, accuracy from json_to_recordset(${sql.json(unique as never)}::json)
          as p(t timestamptz, lon float8, lat float8, accuracy real) order by t),
      stored as (
        insert into patrol_position (patrol_id, t, location, accuracy, grid_code)
        select ${id}::bigint, i.t, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), i.accuracy,
               (select g.code from grid_cell g where g.level = 5 and ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326)) order by g.code limit 1)
        from input i
        on conflict (patrol_id, t) do nothing returning 1)
      select count(*)::int as n from stored`
    const stored = inserted[0]!.n
    await reassess(tx as unknown as Sql, id)
    const [summary] = await tx<{ positions: number; km: number; outside: number; too_fast: number; inaccurate: number }[]>`
      select count(*)::int as positions, (select km from patrol where id = ${id}) as km,
             count(*) filter (where flag = 'outside')::int as outside, count(*) filter (where flag = 'too_fast')::int as too_fast,
             count(*) filter (where flag = 'inaccurate')::int as inaccurate
      from patrol_position where patrol_id = ${id}`
    const s = summary!
    return {
      id,
      received: batch.length,
      stored,
      duplicates: batch.length - stored,
      positions: s.positions,
      km: s.km,
      flagged: { outside: s.outside, too_fast: s.too_fast, inaccurate: s.inaccurate },
    }
  })
}

/** Re-decides every position's flag and segment in time order; rebuilds the line and kilometres. */
async function reassess(tx: Sql, id: number): Promise<void> {
  const rows = await tx<(StoredPosition & { flag: Flag | null; segmentM: number })[]>`
    select t, ST_X(location) as lon, ST_Y(location) as lat, accuracy, grid_code as "gridCode", flag, segment_m as "segmentM"
    from patrol_position where patrol_id = ${id} order by t`
  const assessed = assessPositions(rows)
  const changed = rows.flatMap((r, i) => {
    const a = assessed[i]!
    return a.flag !== r.flag || Math.abs(a.segmentM - r.segmentM) > 1e-6 ? [{ t: r.t.toISOString(), flag: a.flag, segment_m: a.segmentM }] : []
  })
  if (changed.length > 0) {
    await tx`
      update patrol_position p set flag = c.flag, segment_m = c.segment_m
      from json_to_recordset(${tx.json(changed as never)}::json) as c(t timestamptz, flag text, segment_m float8)
      where p.patrol_id = ${id} and p.t = c.t`
  }
  await tx`
    update patrol set
      track = (select case when count(*) >= 2 then ST_MakeLine(location order by t) end from patrol_position where patrol_id = ${id} and flag is null),
      km = (select coalesce(sum(segment_m), 0) / 1000 from patrol_position where patrol_id = ${id} and flag is null)
    where id = ${id}`
}

export async function endPatrol(sql: Sql, id: number, viewer: Viewer, endedAt?: string): Promise<PatrolView> {
  await sql.begin(async (tx) => {
    const row = await lockOwnPatrol(tx as unknown as Sql, id, viewer)
    if (row.ended_at) return // ending twice (a replay) changes nothing
    // The end is no earlier than the start nor than the last position received so far.
    await tx`
      update patrol set ended_at = greatest(coalesce(${endedAt ?? null}::timestamptz, now()), started_at,
        coalesce((select max(t) from patrol_position where patrol_id = ${id}), started_at))
      where id = ${id}`
  })
  return (await getPatrol(sql, id, viewer))!
}

export async function getPatrol(sql: Sql, id: number, viewer: Viewer): Promise<PatrolView | null> {
  const [row] = await sql<PatrolView[]>`
    select p.id, mask_name(p.worker_name) as worker, p.worker_scope as "workerScope", p.started_at as "startedAt", p.ended_at as "endedAt", p.km,
           (select count(*)::int from patrol_position where patrol_id = p.id) as positions,
           (select count(*)::int from patrol_position where patrol_id = p.id and flag is null) as plausible,
           coalesce((select array_agg(distinct grid_code order by grid_code) from patrol_position where patrol_id = p.id and flag is null), '{}') as visited,
           json_build_object(
             'outside', (select count(*)::int from patrol_position where patrol_id = p.id and flag = 'outside'),
             'too_fast', (select count(*)::int from patrol_position where patrol_id = p.id and flag = 'too_fast'),
             'inaccurate', (select count(*)::int from patrol_position where patrol_id = p.id and flag = 'inaccurate')) as flagged
    from patrol p where p.id = ${id} and ${visibleTo(sql, viewer)}`
  return row ?? null
}

/**
 * The tracks of one China Standard Time day under `grid` (or of one worker), as the viewer may see
 * them: plausible positions only, with seconds since that day's midnight (TripsLayer timestamps).
 */
export async function dayTracks(
  sql: Sql,
  viewer: Viewer,
  q: { grid: string; date: string; person?: number },
): Promise<{ date: string; dayStart: string; tracks: TrackView[] }> {
  const dayStart = new Date(`${q.date}T00:00:00+08:00`)
  const dayEnd = new Date(dayStart.getTime() + 86_400_000)
  const tracks = await sql<TrackView[]>`
    select p.id, mask_name(p.worker_name) as worker, p.worker_scope as "workerScope", p.person_id as person,
           p.started_at as "startedAt", p.ended_at as "endedAt", p.km,
           coalesce(json_agg(json_build_array(round(ST_X(x.location)::numeric, 6), round(ST_Y(x.location)::numeric, 6)) order by x.t)
             filter (where x.t is not null), '[]') as path,
           coalesce(json_agg(round(extract(epoch from x.t - ${dayStart})::numeric, 0) order by x.t) filter (where x.t is not null), '[]') as timestamps
    from patrol p
    join patrol_position x on x.patrol_id = p.id and x.flag is null and x.t >= ${dayStart} and x.t < ${dayEnd}
    where starts_with(p.worker_scope, ${q.grid}::text) and ${visibleTo(sql, viewer)}
      ${q.person === undefined ? sql`` : sql`and p.person_id = ${q.person}`}
      and p.started_at < ${dayEnd} and coalesce(p.ended_at, 'infinity') >= ${dayStart}
    group by p.id order by p.started_at, p.id`
  return { date: q.date, dayStart: dayStart.toISOString(), tracks }
}
