/**
 * The live simulator against the shared test database, on a fast interval and moving only the
 * cases it reported itself (so other tests' incidents are left alone): it reports incidents
 * through createIncident, moves them with applyTransition along valid workflow steps, survives a
 * failing tick, and stop() stops it; a case whose category requires a photo is finished only after
 * the simulator uploaded one. What it wrote is deleted afterwards.
 */
import exifr from 'exifr'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mulberry32 } from '../../data/generate/prng.ts'
import { connectTestDatabase } from '../../test/support/database.ts'
import { log } from '../log.ts'
import { readCategories, type Category } from '../incidents/categories.ts'
import { applyTransition, createIncident } from '../incidents/service.ts'
import { initialLevel, nextState, type Action, type Status } from '../incidents/workflow.ts'
import { loadIncidentCells, type IncidentCell } from './history.ts'
import { startSimulator } from './simulator.ts'

const db = connectTestDatabase()
const SIMULATOR_INTERVAL_MS = 5
const actor = `simulator-test-${process.pid}-${Date.now().toString(36)}`
/** The photo-rule test's own actor: its simulator moves only the cases reported under it. */
const photoActor = `${actor}-photo`
let cells: IncidentCell[]
let categories: Category[]

interface EventRow {
  incident_id: string
  actor: string
  action: string
  from_status: Status | null
  to_status: Status
  from_level: number | null
  to_level: number
}

async function ownIncidentIds(): Promise<string[]> {
  const rows = await db.sql<{ id: string }[]>`
    select incident_id::text as id from incident_event where action = 'report' and actor = any(${[actor, photoActor]}::text[])`
  return rows.map((r) => r.id)
}

beforeAll(async () => {
  cells = await loadIncidentCells(db.sql)
  categories = await readCategories()
}, 60_000)

afterAll(async () => {
  // incident_event is append-only; lift its guard only inside this one transaction to clean up.
  const ids = await ownIncidentIds()
  await db.sql.begin(async (tx) => {
    await tx`alter table incident_event disable trigger incident_event_no_update`
    await tx`delete from incident_attachment where incident_id = any(${ids}::bigint[])`
    await tx`delete from incident_event where incident_id = any(${ids}::bigint[])`
    await tx`delete from incident where id = any(${ids}::bigint[])`
    await tx`alter table incident_event enable trigger incident_event_no_update`
  })
  await db.close()
})

describe('incident simulator', () => {
  it('reports incidents and moves them through the workflow via the service, survives errors, and stops', async () => {
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined as never)
    let stopped = false
    let callsAfterStop = 0
    let failNextCreate = true
    const sim = startSimulator({
      sql: db.sql,
      cells,
      categories,
      intervalMs: SIMULATOR_INTERVAL_MS,
      random: mulberry32(20260301),
      actor,
      ownCasesOnly: true,
      createIncident: async (...args) => {
        if (stopped) callsAfterStop++
        if (failNextCreate) {
          failNextCreate = false
          throw new Error('database went away')
        }
        return createIncident(...args)
      },
      applyTransition: async (...args) => {
        if (stopped) callsAfterStop++
        return applyTransition(...args)
      },
    })

    // Running until several of its cases have been reported and some carried to the end.
    await vi.waitFor(
      async () => {
        const [row] = await db.sql<{ reported: number; moves: number; finished: number }[]>`
        select count(*) filter (where e.action = 'report')::int as reported,
               count(*) filter (where e.action <> 'report')::int as moves,
               count(*) filter (where e.to_status = 'closed')::int as finished
        from incident_event e where e.actor = ${actor}`
        expect(row!.reported).toBeGreaterThanOrEqual(4)
        expect(row!.moves).toBeGreaterThanOrEqual(15)
        expect(row!.finished).toBeGreaterThanOrEqual(1)
      },
      { timeout: 60_000, interval: 100 },
    )

    await sim.stop()
    stopped = true
    const before = await db.sql<{ n: number }[]>`select count(*)::int as n from incident_event where actor = ${actor}`
    // Ten of its intervals on the same timer queue: a tick still scheduled would have run by now.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, SIMULATOR_INTERVAL_MS))
    const after = await db.sql<{ n: number }[]>`select count(*)::int as n from incident_event where actor = ${actor}`
    expect(after[0]!.n).toBe(before[0]!.n)
    expect(callsAfterStop).toBe(0)

    // The failing tick was logged and did not stop the timer.
    expect(failNextCreate).toBe(false)
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.stringContaining('simulator'))
    errors.mockRestore()

    // Everything it did is a valid walk of the workflow on its own cases, through the service.
    const ids = await ownIncidentIds()
    const events = await db.sql<EventRow[]>`
      select incident_id::text, actor, action, from_status, to_status, from_level, to_level
      from incident_event where incident_id = any(${ids}::bigint[]) order by id`
    const foreign = await db.sql<{ n: number }[]>`
      select count(*)::int as n from incident_event where actor = ${actor} and not (incident_id = any(${ids}::bigint[]))`
    expect(foreign[0]!.n).toBe(0)
    const incidents = await db.sql<{ id: string; status: Status; handling_level: number; severity: number; idempotency_key: string | null }[]>`
      select id::text, status, handling_level, severity, idempotency_key from incident where id = any(${ids}::bigint[])`
    expect(incidents).toHaveLength(ids.length)
    for (const incident of incidents) {
      expect(incident.idempotency_key).toMatch(new RegExp(`^${actor}-`))
      const timeline = events.filter((e) => e.incident_id === incident.id)
      const [first, ...rest] = timeline
      expect(first).toMatchObject({ action: 'report', from_status: null, to_status: 'reported', to_level: initialLevel(incident.severity), actor })
      let state = { status: first!.to_status, handlingLevel: first!.to_level }
      for (const e of rest) {
        expect(e.actor).toBe(actor)
        if (e.action === 'photo') {
          expect({ status: e.to_status, handlingLevel: e.to_level }).toEqual(state) // a photo does not move the case
          continue
        }
        const next = nextState(state, e.action as Action)
        expect(next, `${state.status} -${e.action}->`).not.toBeNull()
        expect({ status: e.to_status, handlingLevel: e.to_level }).toEqual(next)
        state = next!
      }
      expect({ status: incident.status, handlingLevel: incident.handling_level }).toEqual(state)
    }
    // Every dispatch chose who handles the case: a person of the handling cell or a department.
    const dispatches = await db.sql<{ person: number | null; department: number | null; cell: string | null; handling: string }[]>`
      select e.assignee_person as person, e.assignee_department as department, p.cell_code as cell,
             left(i.grid_code, 3 + 3 * e.to_level) as handling
      from incident_event e join incident i on i.id = e.incident_id left join grid_person p on p.id = e.assignee_person
      where e.incident_id = any(${ids}::bigint[]) and e.action = 'dispatch'`
    expect(dispatches.length).toBeGreaterThan(0)
    for (const d of dispatches) {
      expect(d.person !== null || d.department !== null, 'a dispatch without an assignee').toBe(true)
      if (d.person !== null) expect(d.cell).toBe(d.handling)
    }
    const actions = new Set(events.map((e) => e.action))
    for (const action of ['register', 'dispatch', 'start', 'finish', 'verify', 'close']) expect(actions).toContain(action)
  }, 90_000)

  it('finishes a case whose category requires a photo only after uploading one, read back without GPS', async () => {
    const cell = cells.find((c) => c.level === 5)!
    const district = cell.code.slice(0, 6)
    const location = { lon: cell.labelPoint[0], lat: cell.labelPoint[1] }
    const { incident } = await createIncident(
      db.sql,
      { category: 'hazard.power', severity: 2, title: '模拟器照片规则测试', location },
      { actor: photoActor, scope: district, idempotencyKey: `${photoActor}-case` },
    )
    const id = Number(incident.id)
    for (const action of ['register', 'dispatch', 'start'] as const) await applyTransition(db.sql, id, { action }, photoActor, district)
    const sim = startSimulator({
      sql: db.sql,
      cells,
      categories,
      intervalMs: SIMULATOR_INTERVAL_MS,
      random: mulberry32(7),
      actor: photoActor,
      createIncident,
      applyTransition: (sql, caseId, input, who, scope) =>
        // Only the case under test moves: other cases of this actor are left where they are.
        caseId === id ? applyTransition(sql, caseId, input, who, scope) : Promise.reject(Object.assign(new Error('other case'), { status: 409 })),
    })
    try {
      await vi.waitFor(
        async () => {
          const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from incident_event where incident_id = ${id} and action = 'finish'`
          expect(row!.n).toBeGreaterThanOrEqual(1)
        },
        { timeout: 60_000, interval: 50 },
      )
    } finally {
      await sim.stop()
    }
    const timeline = await db.sql<{ id: number; action: string }[]>`select id, action from incident_event where incident_id = ${id} order by id`
    const photoAt = timeline.findIndex((e) => e.action === 'photo')
    const finishAt = timeline.findIndex((e) => e.action === 'finish')
    expect(photoAt).toBeGreaterThan(-1)
    expect(photoAt).toBeLessThan(finishAt)
    const [photo] = await db.sql<{ bytes: Buffer; media_type: string; thumb: Buffer }[]>`
      select b.bytes, b.media_type, b.thumb from incident_attachment a join attachment_blob b on b.sha256 = a.sha256 where a.incident_id = ${id}`
    expect(photo!.media_type).toBe('image/jpeg')
    const meta = await sharp(photo!.bytes).metadata()
    expect(meta.width).toBeGreaterThan(0)
    expect(await exifr.gps(photo!.bytes).catch(() => undefined)).toBeFalsy()
    expect((await sharp(photo!.thumb).metadata()).width).toBeLessThanOrEqual(320)
  }, 90_000)

  it('stops cleanly before its first tick', async () => {
    let calls = 0
    const sim = startSimulator({
      sql: db.sql,
      cells,
      categories,
      intervalMs: 60_000,
      actor,
      ownCasesOnly: true,
      createIncident: async (...args) => {
        calls++
        return createIncident(...args)
      },
      applyTransition: async (...args) => {
        calls++
        return applyTransition(...args)
      },
    })
    await sim.stop()
    expect(calls).toBe(0)
  })
})
