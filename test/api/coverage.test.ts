/**
 * Coverage and silent grids: the API's figures equal a recount from the stored positions and
 * reports done here in TypeScript; flagged positions never count; the CSV export holds the same
 * rows; scope narrows or refuses the grid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectTestDatabase } from '../support/database.ts'
import { buildWorld, json, type AccessWorld } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
const to = new Date()
const from = new Date(to.getTime() - 7 * 86_400_000)
const period = `from=${from.toISOString()}&to=${to.toISOString()}`

beforeAll(async () => {
  world = await buildWorld(db)
  // A patrol in the worker's cell: a walk, an inaccurate fix and a jump (flagged, not counted).
  const worker = world.viewers.grid_worker
  const { id } = await (await worker.request('/api/patrols', json({}))).json()
  const t0 = Date.now() - 2 * 3_600_000
  const { lon, lat } = world.cell.point
  const positions = [0, 1, 2, 3].map((i) => ({ t: new Date(t0 + i * 60_000).toISOString(), lon: lon + i * 0.0003, lat, accuracy: 10 }))
  positions.push({ t: new Date(t0 + 5 * 60_000).toISOString(), lon, lat, accuracy: 800 })
  positions.push({ t: new Date(t0 + 6 * 60_000).toISOString(), lon: world.otherTown.point.lon, lat: world.otherTown.point.lat, accuracy: 5 })
  expect((await worker.request(`/api/patrols/${id}/positions`, json(positions))).status).toBe(200)
})

interface Activity {
  grid_code: string
  t: Date
  patrol_id: number | null
  segment_m: number
  kind: 'patrol' | 'report'
}

async function recount(grid: string, childLength: number) {
  const rows = await db.sql<Activity[]>`
    select grid_code, t, patrol_id, segment_m, 'patrol' as kind from patrol_position
      where flag is null and grid_code like ${grid + '%'} and t >= ${from} and t < ${to}
    union all
    select grid_code, reported_at, null, 0, 'report' from incident where grid_code like ${grid + '%'} and reported_at >= ${from} and reported_at < ${to}`
  const cells = await db.sql<{ code: string }[]>`select code from grid_cell where level = 5 and code like ${grid + '%'}`
  const byChild = new Map<
    string,
    { households: number; visited: Set<string>; patrols: Set<number>; km: number; reports: number; days: Set<string>; last: number }
  >()
  const child = (code: string) => {
    const key = code.slice(0, childLength)
    if (!byChild.has(key)) byChild.set(key, { households: 0, visited: new Set(), patrols: new Set(), km: 0, reports: 0, days: new Set(), last: 0 })
    return byChild.get(key)!
  }
  for (const c of cells) child(c.code).households++
  for (const r of rows) {
    const k = child(r.grid_code)
    if (r.kind === 'patrol') {
      k.visited.add(r.grid_code)
      k.patrols.add(r.patrol_id!)
      k.km += r.segment_m / 1000
    } else k.reports++
    k.days.add(new Date(r.t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10))
    k.last = Math.max(k.last, r.t.getTime())
  }
  return byChild
}

describe('GET /api/coverage', () => {
  it("equals a recount for every cell of the worker's village and town", async () => {
    for (const grid of [world.village, world.village.slice(0, 9)]) {
      const res = await world.commander.request(`/api/coverage?grid=${grid}&${period}`)
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(body).toMatchObject({ grid, from: from.toISOString(), to: to.toISOString() })
      const expected = await recount(grid, grid.length + 3)
      expect(body.cells.length).toBe(expected.size)
      for (const cell of body.cells) {
        const e = expected.get(cell.code)!
        expect(cell, cell.code).toMatchObject({
          households: e.households,
          visited: e.visited.size,
          patrols: e.patrols.size,
          reports: e.reports,
          daysActive: e.days.size,
          lastActivity: e.last ? new Date(e.last).toISOString() : null,
        })
        expect(cell.visitedShare).toBeCloseTo(e.households ? e.visited.size / e.households : 0, 12)
        expect(cell.km).toBeCloseTo(e.km, 9)
      }
      const households = [...expected.values()].reduce((n, e) => n + e.households, 0)
      const visited = [...expected.values()].reduce((n, e) => n + e.visited.size, 0)
      expect(body.visitedShare).toBeCloseTo(visited / households, 12)
    }
  })

  it("counts the worker's cell as visited, and not the cell a flagged position fell in", async () => {
    const body = await (await world.commander.request(`/api/coverage?grid=${world.cell.code.slice(0, 15)}&${period}`)).json()
    expect(body.cells.find((c: { code: string }) => c.code === world.cell.code)).toMatchObject({ visited: 1, visitedShare: 1 })
    const [flagged] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from patrol_position where flag = 'too_fast' and grid_code like ${world.otherTown.code.slice(0, 9) + '%'}`
    expect(flagged!.n).toBeGreaterThan(0)
    const other = await (await world.commander.request(`/api/coverage?grid=${world.otherTown.code}&${period}`)).json()
    const expected = await recount(world.otherTown.code, world.otherTown.code.length)
    expect(other.cells[0].visited).toBe(expected.get(world.otherTown.code)?.visited.size ?? 0)
  })

  it('narrows a grid above the scope to it and refuses one beside it (404); bad periods are 400s', async () => {
    const narrowed = await (await world.viewers.village_leader.request(`/api/coverage?grid=440904&${period}`)).json()
    expect(narrowed.grid).toBe(world.village)
    expect((await world.viewers.village_leader.request(`/api/coverage?grid=440904126`)).status).toBe(404)
    const bad = await world.commander.request(`/api/coverage?from=${to.toISOString()}&to=${from.toISOString()}`)
    expect(bad.status).toBe(400)
    expect((await bad.json()).invalidParams[0].name).toBe('to')
    expect((await world.commander.request('/api/coverage?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400)
    expect((await world.commander.request('/api/coverage?grid=44090')).status).toBe(400)
    expect((await world.commander.request('/api/coverage?grid=440904999')).status).toBe(404)
  })
})

describe('GET /api/coverage/workers', () => {
  it('gives one row per grid worker with masked names, the same in CSV', async () => {
    const res = await world.viewers.village_leader.request(`/api/coverage/workers?${period}`)
    const body = await res.json()
    const [persons] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from grid_person where role = 'grid_worker' and cell_code like ${world.village + '%'}`
    expect(body.workers.length).toBe(persons!.n)
    expect(body.workers.every((w: { worker: string }) => /^.\*$/.test(w.worker))).toBe(true)
    const mine = body.workers.find((w: { cell: string }) => w.cell === world.cell.code)
    const [walked] = await db.sql<{ patrols: number; km: number }[]>`
      select count(distinct x.patrol_id)::int as patrols, coalesce(sum(x.segment_m), 0) / 1000 as km
      from patrol q join patrol_position x on x.patrol_id = q.id
      where q.person_id = ${mine.person} and x.flag is null and x.t >= ${from} and x.t < ${to}`
    expect(mine).toMatchObject({ visitedShare: 1, patrols: walked!.patrols })
    expect(mine.km).toBeCloseTo(walked!.km, 9)

    const csv = await world.viewers.village_leader.request(`/api/coverage/workers?${period}&format=csv`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const bytes = Buffer.from(await csv.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // the BOM, so spreadsheets read UTF-8
    const text = bytes.subarray(3).toString('utf8')
    expect(text.startsWith('网格员 worker,')).toBe(true)
    const lines = text.trim().split('\r\n')
    expect(lines.length).toBe(body.workers.length + 1)
    expect(lines.some((l) => l.includes(world.cell.code))).toBe(true)
  })
})

describe('GET /api/coverage/silent', () => {
  it('lists exactly the household groups without activity for N days, most silent first', async () => {
    const res = await world.commander.request(`/api/coverage/silent?grid=${world.village}&days=7`)
    const body = await res.json()
    const now = new Date(body.asOf)
    const last = await db.sql<{ code: string; last: Date | null }[]>`
      select c.code, greatest(
        (select max(t) from patrol_position where flag is null and grid_code = c.code and t >= ${now}::timestamptz - interval '90 days' and t <= ${now}),
        (select max(reported_at) from incident where grid_code = c.code and reported_at >= ${now}::timestamptz - interval '90 days' and reported_at <= ${now})) as last
      from grid_cell c where c.level = 5 and c.code like ${world.village + '%'}`
    const expected = last
      .filter((r) => r.last === null || now.getTime() - r.last.getTime() >= 7 * 86_400_000)
      .map((r) => r.code)
      .sort()
    expect(body.cells.map((c: { code: string }) => c.code).sort()).toEqual(expected)
    expect(body.total).toBe(expected.length)
    expect(body.cells.map((c: { code: string }) => c.code)).not.toContain(world.cell.code)
    const ranked = body.cells.map((c: { daysSilent: number | null }) => c.daysSilent ?? Infinity)
    expect(ranked).toEqual([...ranked].sort((a: number, b: number) => b - a))
    const geo = await (await world.commander.request(`/api/coverage/silent?grid=${world.village}&days=7&format=geojson`)).json()
    expect(geo.type).toBe('FeatureCollection')
    expect(geo.features.length).toBe(expected.length)
    if (geo.features.length) expect(geo.features[0].geometry.type).toBe('MultiPolygon')
    expect((await world.commander.request('/api/coverage/silent?days=0')).status).toBe(400)
  })
})
