/**
 * The demo's patrols: the same day seeded twice gives the same rows (deterministic), most grid
 * workers walk on some days and not all on one, every position lies in the worker's own household
 * group and counts (no flags), and each patrol's kilometres are the sum of its segments.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { seedDemoPatrolDay } from '../../server/demo/patrols.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
/** A day outside the demo's 30 (and outside any test's), removed again afterwards. */
const DAYS_AGO = 45

async function dayRows() {
  return db.sql<{ worker_scope: string; started_at: Date; ended_at: Date; km: number; positions: string }[]>`
    select p.worker_scope, p.started_at, p.ended_at, round(p.km::numeric, 6)::float8 as km,
           string_agg(x.t::text || ' ' || round(ST_X(x.location)::numeric, 7) || ' ' || round(ST_Y(x.location)::numeric, 7) || ' ' || x.accuracy, ',' order by x.t) as positions
    from patrol p join patrol_position x on x.patrol_id = p.id
    where p.user_id is null and p.started_at >= now() - interval '46 days' and p.started_at < now() - interval '44 days'
    group by p.id order by p.worker_scope, p.started_at`
}

async function removeDay() {
  await db.sql`delete from patrol where user_id is null and started_at >= now() - interval '47 days' and started_at < now() - interval '43 days'`
}

afterAll(async () => {
  await removeDay()
  await db.close()
})

describe('demo patrols', () => {
  it('are the same when the same day is seeded again, and plausible', { timeout: 300_000 }, async () => {
    await removeDay()
    const first = await seedDemoPatrolDay(db.sql, DAYS_AGO)
    const rows = await dayRows()
    expect(rows.length).toBe(first.patrols)
    await removeDay()
    const second = await seedDemoPatrolDay(db.sql, DAYS_AGO)
    expect(second).toEqual(first)
    expect(await dayRows()).toEqual(rows)

    const [workers] = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_person where role = 'grid_worker'`
    expect(first.patrols / workers!.n).toBeGreaterThan(0.1)
    expect(first.patrols / workers!.n).toBeLessThan(0.6)
    const [check] = await db.sql<{ outside: number; flagged: number; km_mismatch: number; daytime: number }[]>`
      select count(*) filter (where x.grid_code is distinct from p.worker_scope)::int as outside,
             count(*) filter (where x.flag is not null)::int as flagged,
             (select count(*)::int from patrol q where q.user_id is null and q.started_at < now() - interval '44 days' and q.started_at >= now() - interval '46 days'
                and abs(q.km - (select coalesce(sum(segment_m), 0) / 1000 from patrol_position where patrol_id = q.id)) > 1e-9) as km_mismatch,
             count(*) filter (where extract(hour from x.t at time zone 'Asia/Shanghai') between 8 and 17)::int as daytime
      from patrol p join patrol_position x on x.patrol_id = p.id
      where p.user_id is null and p.started_at >= now() - interval '46 days' and p.started_at < now() - interval '44 days'`
    expect(check).toEqual({ outside: 0, flagged: 0, km_mismatch: 0, daytime: first.positions })
    // Positions are where the worker's own cell is, and a walk moves: a plausible pace.
    const [pace] = await db.sql<{ kmh: number }[]>`
      select max(segment_m / 1000 / 0.15)::float8 as kmh from patrol_position x join patrol p on p.id = x.patrol_id
      where p.user_id is null and p.started_at >= now() - interval '46 days' and p.started_at < now() - interval '44 days'`
    expect(pace!.kmh).toBeLessThan(30)
  })
})
