/**
 * Patrols: start, batches of positions (idempotent per time, out of order), flags for implausible
 * positions (kept, not counted), the line and kilometres, end, who sees a track, the day's tracks
 * for playback, and the retention job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectTestDatabase } from '../support/database.ts'
import { buildWorld, json, type AccessWorld } from '../support/access-fixture.ts'
import { purgeOldPatrols } from '../../server/patrols/retention.ts'
import { distanceM } from '../../server/patrols/plausibility.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
beforeAll(async () => {
  world = await buildWorld(db)
})

const worker = () => world.viewers.grid_worker
/** Three hours ago, moved back so the walks (up to 10 minutes) stay inside one China day. */
const base = withinOneChinaDay(Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000, 10 * 60_000)
function withinOneChinaDay(start: number, span: number): number {
  const day = 86_400_000
  const intoDay = (start + 8 * 3_600_000) % day
  return intoDay + span < day ? start : start - span
}
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString()
/** Positions walking east from the cell's label point, ~50 m per step, one per minute. */
const walk = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ t: at(from + i), lon: world.cell.point.lon + (from + i) * 0.0005, lat: world.cell.point.lat, accuracy: 12 }))

async function start(headers: Record<string, string> = {}): Promise<number> {
  const res = await worker().request('/api/patrols', json({ startedAt: at(0) }, headers))
  expect(res.status).toBe(201)
  return (await res.json()).id
}

describe('patrols', () => {
  it('stores batches once each, in any order, and gives the same line as in order', async () => {
    const id = await start()
    const positions = walk(0, 6)
    const late = await worker().request(`/api/patrols/${id}/positions`, json(positions.slice(3)))
    expect(late.status).toBe(200)
    expect(await late.json()).toMatchObject({ received: 3, stored: 3, duplicates: 0 })
    const early = await (await worker().request(`/api/patrols/${id}/positions`, json(positions.slice(0, 4)))).json()
    expect(early).toMatchObject({ received: 4, stored: 3, duplicates: 1, positions: 6 })
    const replay = await (await worker().request(`/api/patrols/${id}/positions`, json(positions))).json()
    expect(replay).toMatchObject({ stored: 0, duplicates: 6, positions: 6 })
    const [row] = await db.sql<{ n: number; points: number; km: number }[]>`
      select (select count(*)::int from patrol_position where patrol_id = ${id}) as n, ST_NPoints(track) as points, km from patrol where id = ${id}`
    expect(row).toMatchObject({ n: 6, points: 6 })
    const expected = positions.slice(1).reduce((sum, p, i) => sum + distanceM(positions[i]!, p), 0) / 1000
    expect(row!.km).toBeCloseTo(expected, 6)
    // The line is in time order whatever the arrival order.
    const [first] = await db.sql<{ lon: number }[]>`select ST_X(ST_StartPoint(track)) as lon from patrol where id = ${id}`
    expect(first!.lon).toBeCloseTo(positions[0]!.lon, 9)
  })

  it('keeps implausible positions flagged and does not count them as visits', async () => {
    const id = await start()
    const good = walk(0, 3)
    const batch = [
      ...good,
      { t: at(3), lon: world.cell.point.lon + 0.3, lat: world.cell.point.lat, accuracy: 10 }, // ~31 km in a minute
      { t: at(4), lon: world.cell.point.lon, lat: world.cell.point.lat, accuracy: 900 }, // inaccurate
      { t: at(5), lon: 100.0, lat: 30.0, accuracy: 5 }, // far outside the district
      { t: at(6), lon: world.otherTown.point.lon, lat: world.otherTown.point.lat, accuracy: 5 }, // a jump to another town
    ]
    const result = await (await worker().request(`/api/patrols/${id}/positions`, json(batch))).json()
    expect(result).toMatchObject({ stored: 7, positions: 7, flagged: { too_fast: 2, inaccurate: 1, outside: 1 } })
    const ended = await (await worker().request(`/api/patrols/${id}/end`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })).json()
    expect(ended).toMatchObject({ id, positions: 7, plausible: 3, visited: [world.cell.code] })
    expect(ended.endedAt).not.toBeNull()
    const rows = await db.sql<{ flag: string | null }[]>`select flag from patrol_position where patrol_id = ${id} order by t`
    expect(rows.map((r) => r.flag)).toEqual([null, null, null, 'too_fast', 'inaccurate', 'outside', 'too_fast'])
    // Ending again changes nothing.
    const again = await (await worker().request(`/api/patrols/${id}/end`, json({ endedAt: new Date().toISOString() }))).json()
    expect(again.endedAt).toBe(ended.endedAt)
  })

  it('refuses bad batches with 400 naming the field, and positions in the future with 422', async () => {
    const id = await start()
    const bad = await worker().request(`/api/patrols/${id}/positions`, json([{ t: 'yesterday', lon: 111, lat: 21.5, accuracy: 5 }]))
    expect(bad.status).toBe(400)
    expect((await bad.json()).invalidParams[0].name).toBe('0.t')
    expect((await worker().request(`/api/patrols/${id}/positions`, json([]))).status).toBe(400)
    expect((await worker().request(`/api/patrols/${id}/positions`, json([{ t: at(0), lon: 181, lat: 21.5, accuracy: 5 }]))).status).toBe(400)
    const future = await worker().request(
      `/api/patrols/${id}/positions`,
      json([{ t: new Date(Date.now() + 3_600_000).toISOString(), lon: 111, lat: 21.5, accuracy: 5 }]),
    )
    expect(future.status).toBe(422)
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from patrol_position where patrol_id = ${id}`
    expect(row!.n).toBe(0)
  })

  it('starts one patrol per Idempotency-Key', async () => {
    const key = `patrol-${Date.now()}`
    const a = await start({ 'idempotency-key': key })
    const b = await start({ 'idempotency-key': key })
    expect(b).toBe(a)
  })

  it('shows a track to its worker, leaders whose scope holds it and the commander only', async () => {
    const id = await start()
    await worker().request(`/api/patrols/${id}/positions`, json(walk(0, 4)))
    for (const role of ['grid_worker', 'village_leader', 'town_leader', 'commander'] as const) {
      expect((await world.viewers[role].request(`/api/patrols/${id}`)).status, role).toBe(200)
    }
    expect((await world.viewers.analyst.request(`/api/patrols/${id}`)).status).toBe(404)
    expect((await world.viewers.wall.request(`/api/patrols/${id}`)).status).toBe(404)
    // Another town's leader, and a worker of another cell, neither see it nor add to it.
    const body = await (await world.viewers.commander.request(`/api/patrols/${id}`)).json()
    expect(body.worker).toMatch(/^.\*$/)
    expect((await world.viewers.town_leader.request(`/api/patrols/${id}/positions`, json(walk(5, 6)))).status).toBe(404)
    expect((await world.viewers.commander.request(`/api/patrols/${id}/end`, json({}))).status).toBe(404)
    expect((await world.viewers.analyst.request('/api/patrols', json({}))).status).toBe(403)
  })

  it("gives a day's tracks for playback with seconds since midnight China time", async () => {
    const id = await start()
    await worker().request(`/api/patrols/${id}/positions`, json(walk(0, 5)))
    const date = new Date(base + 8 * 3_600_000).toISOString().slice(0, 10)
    const res = await world.viewers.village_leader.request(`/api/patrols?grid=${world.village}&date=${date}`)
    expect(res.status).toBe(200)
    const day = await res.json()
    const track = day.tracks.find((t: { id: number }) => t.id === id)
    expect(track.path).toHaveLength(5)
    expect(track.timestamps).toHaveLength(5)
    expect(track.timestamps[1] - track.timestamps[0]).toBe(60)
    expect(new Date(Date.parse(day.dayStart) + track.timestamps[0] * 1000).toISOString()).toBe(at(0))
    expect(track.path[0][0]).toBeCloseTo(world.cell.point.lon, 5)
    // Outside the viewer's scope: nothing; read-only roles: 403; a bad date: 400.
    const other = await (await world.viewers.village_leader.request(`/api/patrols?grid=440904126&date=${date}`)).json()
    expect(other.tracks).toEqual([])
    expect((await world.viewers.analyst.request(`/api/patrols?date=${date}`)).status).toBe(403)
    expect((await world.viewers.commander.request('/api/patrols?date=2026-13-45')).status).toBe(400)
  })

  it('retention deletes patrols that ended longer ago than the limit, with their positions, and says so', async () => {
    const id = await start()
    await worker().request(`/api/patrols/${id}/positions`, json(walk(0, 3)))
    await db.sql`update patrol set started_at = now() - interval '200 days', ended_at = now() - interval '199 days' where id = ${id}`
    const purged = await purgeOldPatrols(db.sql, 180)
    expect(purged.patrols).toBeGreaterThanOrEqual(1)
    expect(purged.positions).toBeGreaterThanOrEqual(3)
    const [left] = await db.sql<{ p: number; x: number }[]>`
      select (select count(*)::int from patrol where id = ${id}) as p, (select count(*)::int from patrol_position where patrol_id = ${id}) as x`
    expect(left).toEqual({ p: 0, x: 0 })
    const [young] = await db.sql<{ n: number }[]>`select count(*)::int as n from patrol where coalesce(ended_at, started_at) >= now() - interval '180 days'`
    expect(young!.n).toBeGreaterThan(0)
  })
})
