/**
 * The case loop as a command centre runs it: notes for the steps that must say why, separation of
 * duties, dispatch to a person of the handling cell or a department (and "my cases"), timelines
 * that name people as masked name · role · cell, automatic escalation of cases left in 待受理,
 * possible duplicates at report time, merging, and the departments table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectTestDatabase } from '../support/database.ts'
import { buildWorld, json, report, type AccessWorld, type Viewer } from '../support/access-fixture.ts'
import { escalateUnregistered, REGISTER_ESCALATION_NOTE } from '../../server/incidents/register-deadline.ts'
import { labelActors } from '../../server/incidents/timeline.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
let department: { id: number; nameZh: string }
beforeAll(async () => {
  world = await buildWorld(db)
  const res = await world.commander.request(
    '/api/departments',
    json({
      nameZh: `电海调解测试部门 ${Date.now()}`,
      nameEn: 'Test mediation office',
      categories: ['dispute'],
      scope: '440904004',
      contactName: '值班室',
      contactPhone: '0668-5109999',
    }),
  )
  expect(res.status, await res.clone().text()).toBe(201)
  department = await res.json()
})

const act = async (viewer: Viewer, id: number, body: Record<string, unknown>) => viewer.request(`/api/incidents/${id}/transitions`, json(body))
async function step(viewer: Viewer, id: number, action: string, extra: Record<string, unknown> = {}) {
  const res = await act(viewer, id, { action, ...extra })
  expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200)
  return res.json() as Promise<{
    status: string
    handlingLevel: number
    assignee: { kind: string; id: number; name: string } | null
    mergedInto: number | null
  }>
}
const detail = async (viewer: Viewer, id: number) =>
  (await viewer.request(`/api/incidents/${id}`)).json() as Promise<{
    status: string
    handlingLevel: number
    mergedInto: number | null
    timeline: {
      incidentId: number
      action: string
      actor: string
      note: string
      by: { kind: string; name: string | null; role: string; cellName: string | null }
      assignee: { kind: string; name: string } | null
      relatedIncident: number | null
    }[]
  }>

describe('notes', () => {
  it('are required to dismiss, return, reopen and escalate (422 naming note)', async () => {
    const c = await report(world.commander, world.cell, 'note test')
    for (const action of ['dismiss', 'escalate']) {
      const res = await act(world.viewers.town_leader, c.id, { action })
      expect(res.status).toBe(422)
      expect((await res.json()).invalidParams[0].name).toBe('note')
    }
    expect((await act(world.viewers.town_leader, c.id, { action: 'dismiss', note: ' ' })).status).toBe(422)
    await step(world.viewers.town_leader, c.id, 'register', { note: '' })
    await step(world.viewers.town_leader, c.id, 'dispatch')
    expect((await act(world.viewers.town_leader, c.id, { action: 'return' })).status).toBe(422)
    await step(world.viewers.town_leader, c.id, 'return', { note: '非本级职责' })
  })
})

describe('separation of duties', () => {
  /** The actions the case's detail offers this viewer. */
  const offered = async (viewer: typeof world.commander, id: number): Promise<string[]> =>
    ((await (await viewer.request(`/api/incidents/${id}`)).json()) as { allowedActions: string[] }).allowedActions
  it('keeps the reporter from dismissing their own report', async () => {
    const c = await report(world.viewers.grid_worker, world.cell, 'own report')
    expect(await offered(world.viewers.grid_worker, c.id)).not.toContain('dismiss') // not offered on their screens either
    expect(await offered(world.viewers.village_leader, c.id)).toContain('dismiss')
    const res = await act(world.viewers.grid_worker, c.id, { action: 'dismiss', note: '重复上报' })
    expect(res.status).toBe(403)
    expect((await res.json()).title).toBe('Separation of duties')
    expect((await step(world.viewers.village_leader, c.id, 'dismiss', { note: '重复上报' })).status).toBe('dismissed')
  })

  it('keeps the one who finished a case from verifying it', async () => {
    const c = await report(world.commander, world.cell, 'finish and verify')
    for (const action of ['register', 'dispatch', 'start', 'finish']) await step(world.viewers.grid_worker, c.id, action)
    expect(await offered(world.viewers.grid_worker, c.id)).not.toContain('verify')
    expect(await offered(world.viewers.village_leader, c.id)).toContain('verify')
    expect((await act(world.viewers.grid_worker, c.id, { action: 'verify' })).status).toBe(403)
    expect((await step(world.viewers.village_leader, c.id, 'verify')).status).toBe('verified')
  })
})

describe('dispatch', () => {
  it("offers the handling cell's people and the departments of the category, and refuses anyone else", async () => {
    const c = await report(world.commander, world.cell, 'candidates')
    await step(world.commander, c.id, 'register')
    const { level, items } = (await (await world.commander.request(`/api/incidents/${c.id}/candidates`)).json()) as {
      level: number
      items: { kind: string; id: number; name: string; cellCode: string | null }[]
    }
    expect(level).toBe(5)
    const people = items.filter((a) => a.kind === 'person')
    expect(people.length).toBeGreaterThan(0)
    expect(people.every((p) => p.cellCode === world.cell.code && /^.\*$/.test(p.name))).toBe(true)
    expect(items.some((a) => a.kind === 'department' && a.id === department.id)).toBe(true)
    const [stranger] = await db.sql<{ id: number }[]>`select id from grid_person where cell_code = ${world.otherTown.code} limit 1`
    const refused = await act(world.commander, c.id, { action: 'dispatch', assignee: { person: stranger!.id } })
    expect(refused.status).toBe(422)
    expect((await refused.json()).invalidParams[0].name).toBe('assignee')
    expect((await world.viewers.analyst.request(`/api/incidents/${c.id}/candidates`)).status).toBe(403)
  })

  it('puts the case in the assignee\'s "my cases", and records a reassignment to a department', async () => {
    const c = await report(world.commander, world.cell, 'my cases')
    await step(world.commander, c.id, 'register')
    const [worker] = await db.sql<
      { id: number }[]
    >`select id from grid_person where cell_code = ${world.cell.code} and role = 'grid_worker' order by id limit 1`
    const dispatched = await step(world.commander, c.id, 'dispatch', { assignee: { person: worker!.id }, note: '请尽快到场' })
    expect(dispatched.assignee).toMatchObject({ kind: 'person', id: worker!.id })
    const mine = (await (await world.viewers.grid_worker.request('/api/incidents/mine')).json()) as { items: { id: number }[] }
    expect(mine.items.map((i) => i.id)).toContain(c.id)
    await step(world.commander, c.id, 'return', { note: '需派出所处理' })
    const again = await step(world.commander, c.id, 'dispatch', { assignee: { department: department.id } })
    expect(again.assignee).toMatchObject({ kind: 'department', id: department.id, name: department.nameZh })
    const mineAfter = (await (await world.viewers.grid_worker.request('/api/incidents/mine')).json()) as { items: { id: number }[] }
    expect(mineAfter.items.map((i) => i.id)).not.toContain(c.id)
    const { timeline } = await detail(world.commander, c.id)
    const dispatches = timeline.filter((e) => e.action === 'dispatch')
    expect(dispatches.map((e) => e.assignee?.kind)).toEqual(['person', 'department'])
    expect(dispatches[1]!.assignee!.name).toBe(department.nameZh)
  })
})

describe('the timeline', () => {
  it('names people by masked name, role and cell, never by raw id', async () => {
    const c = await report(world.viewers.grid_worker, world.cell, 'labels')
    await step(world.viewers.village_leader, c.id, 'register')
    const { timeline } = await detail(world.commander, c.id)
    expect(timeline[0]!.by).toMatchObject({ kind: 'person', role: 'grid_worker' })
    expect(timeline[0]!.by.name).toMatch(/^.\*$/)
    expect(timeline[0]!.by.cellName).toBeTruthy()
    expect(timeline[1]!.by).toMatchObject({ kind: 'person', role: 'village_leader' })
    for (const e of timeline) for (const value of Object.values(e.by)) expect(String(value)).not.toMatch(/test-|:/)
  })

  it("reads the demo history's actors as people, offices and channels", async () => {
    const labels = await labelActors(db.sql, [
      { actor: `grid_worker:${world.cell.code}` },
      { actor: 'town:440904004' },
      { actor: 'hotline:12345' },
      { actor: 'system' },
    ])
    expect(labels.get(`grid_worker:${world.cell.code}`)).toMatchObject({ kind: 'person', role: 'grid_worker', cellCode: world.cell.code })
    expect(labels.get(`grid_worker:${world.cell.code}`)!.name).toMatch(/^.\*$/)
    expect(labels.get('town:440904004')).toMatchObject({ kind: 'office', role: 'town_office', cellName: '电海街道' })
    expect(labels.get('hotline:12345')).toMatchObject({ kind: 'channel', role: 'hotline' })
    expect(labels.get('system')).toMatchObject({ kind: 'system' })
  })
})

describe('cases left in 待受理', () => {
  it("escalate by themselves past their category's registration deadline, and not before", async () => {
    const late = await report(world.commander, world.cell, 'not registered')
    const fresh = await report(world.commander, world.cell, 'just reported')
    // dispute.neighbour: the dispute group's 24 hours.
    await db.sql`update incident set updated_at = now() - interval '25 hours' where id = ${late.id}`
    await db.sql`update incident set updated_at = now() - interval '23 hours' where id = ${fresh.id}`
    expect(await escalateUnregistered(db.sql)).toBeGreaterThanOrEqual(1)
    const escalated = await detail(world.commander, late.id)
    expect(escalated).toMatchObject({ status: 'reported', handlingLevel: 4 })
    expect(escalated.timeline.at(-1)).toMatchObject({ action: 'escalate', note: REGISTER_ESCALATION_NOTE, by: { kind: 'system' } })
    expect((await detail(world.commander, fresh.id)).handlingLevel).toBe(5)
  })
})

describe('possible duplicates', () => {
  it('are the open cases of the same category within 50 m and 7 days', async () => {
    const first = await report(world.commander, world.cell, 'duplicate base')
    const near = { lon: world.cell.point.lon + 0.0002, lat: world.cell.point.lat }
    const far = { lon: world.cell.point.lon + 0.002, lat: world.cell.point.lat }
    const look = async (p: { lon: number; lat: number }, category = 'dispute.neighbour') =>
      (
        (await (await world.commander.request(`/api/incidents/duplicates?category=${category}&lon=${p.lon}&lat=${p.lat}`)).json()) as {
          items: { id: number; distanceM: number }[]
        }
      ).items
    const found = (await look(near)).find((d) => d.id === first.id)
    expect(found!.distanceM).toBeGreaterThan(10)
    expect(found!.distanceM).toBeLessThanOrEqual(50)
    expect((await look(far)).map((d) => d.id)).not.toContain(first.id)
    expect((await look(near, 'dispute.land')).map((d) => d.id)).not.toContain(first.id)
    await db.sql`update incident set reported_at = now() - interval '8 days' where id = ${first.id}`
    expect((await look(near)).map((d) => d.id)).not.toContain(first.id)
    const bad = await world.commander.request('/api/incidents/duplicates?category=dispute&lon=500&lat=21')
    expect(bad.status).toBe(400)
  })
})

describe('merging', () => {
  it('closes the duplicate into the case kept, whose timeline holds both', async () => {
    const kept = await report(world.commander, world.cell, 'merge kept')
    const dup = await report(world.viewers.grid_worker, world.cell, 'merge duplicate')
    const noNote = await world.commander.request(`/api/incidents/${dup.id}/merge`, json({ into: kept.id }))
    expect(noNote.status).toBe(400)
    expect((await noNote.json()).invalidParams[0].name).toBe('note')
    const merged = await world.commander.request(`/api/incidents/${dup.id}/merge`, json({ into: kept.id, note: '同一事件重复上报' }))
    expect(merged.status, await merged.clone().text()).toBe(200)
    const gone = await detail(world.commander, dup.id)
    expect(gone).toMatchObject({ status: 'dismissed', mergedInto: kept.id })
    const { timeline } = await detail(world.commander, kept.id)
    expect(timeline.some((e) => e.incidentId === dup.id && e.action === 'report')).toBe(true)
    expect(timeline.find((e) => e.action === 'merge_in')).toMatchObject({ incidentId: kept.id, relatedIncident: dup.id, note: '同一事件重复上报' })
    const late = await act(world.commander, dup.id, { action: 'register' })
    expect(late.status).toBe(409)
    expect((await world.commander.request(`/api/incidents/${kept.id}/merge`, json({ into: kept.id, note: '自己' }))).status).toBe(422)
    expect((await world.viewers.analyst.request(`/api/incidents/${kept.id}/merge`, json({ into: dup.id, note: '只读' }))).status).toBe(403)
  })
})

describe('departments', () => {
  it('are managed by the commander only, contacts in full for roles that act and masked for read-only ones', async () => {
    expect((await world.viewers.town_leader.request('/api/departments', json({ nameZh: '不许', scope: '440904004' }))).status).toBe(403)
    const patched = await world.commander.request(`/api/departments/${department.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contactName: '调解室' }),
    })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ contactName: '调解室', contactPhone: '0668-5109999' })
    const forLeader = (await (await world.viewers.town_leader.request('/api/departments')).json()) as { items: { id: number; contactPhone: string }[] }
    expect(forLeader.items.find((d) => d.id === department.id)!.contactPhone).toBe('0668-5109999')
    const forAnalyst = (await (await world.viewers.analyst.request('/api/departments')).json()) as { items: { id: number; contactPhone: string }[] }
    expect(forAnalyst.items.find((d) => d.id === department.id)!.contactPhone).toBe('066*****9999')
    const twice = await world.commander.request('/api/departments', json({ nameZh: department.nameZh, scope: '440904' }))
    expect(twice.status).toBe(409)
    const unknown = await world.commander.request('/api/departments', json({ nameZh: `未知类别 ${Date.now()}`, scope: '440904', categories: ['nope.none'] }))
    expect(unknown.status).toBe(422)
  })
})

describe('staff contacts', () => {
  it('give grid staff phones in full to the commander and leaders whose scope holds them, masked to the others', async () => {
    const [worker] = await db.sql<
      { phone: string }[]
    >`select phone from grid_person where cell_code = ${world.cell.code} and role = 'grid_worker' order by id limit 1`
    const phones = async (viewer: Viewer, code: string) =>
      ((await (await viewer.request(`/api/grids/${code}`)).json()) as { responsible: { phone: string; cellCode: string }[] }).responsible
    for (const role of ['commander', 'town_leader', 'village_leader'] as const) {
      expect(
        (await phones(world.viewers[role], world.cell.code)).map((p) => p.phone),
        role,
      ).toContain(worker!.phone)
    }
    for (const role of ['analyst', 'wall', 'grid_worker'] as const) {
      const people = await phones(world.viewers[role], world.cell.code)
      expect(people.length, role).toBeGreaterThan(0)
      expect(
        people.every((p) => p.phone.includes('*')),
        role,
      ).toBe(true)
    }
    const outside = await phones(world.viewers.town_leader, world.otherTown.code)
    expect(outside.every((p) => p.phone.includes('*'))).toBe(true)
  })
})

describe('the audit log', () => {
  it('filters by person, case, action and date, and exports as CSV, for the commander only', async () => {
    const c = await report(world.commander, world.cell, 'audit filter')
    const reason = `审计筛选测试 ${Date.now()}`
    expect((await world.viewers.village_leader.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason }))).status).toBe(200)
    const actor = `test-village_leader-${world.village}`
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    const page = async (query: string) =>
      ((await (await world.commander.request(`/api/audit?${query}`)).json()) as { items: { reason: string; incidentId: number }[] }).items
    expect((await page(`actor=${actor}&action=reveal_parties&incident=${c.id}&from=${today}&to=${today}`)).map((r) => r.reason)).toEqual([reason])
    expect(await page(`actor=nobody-at-all&incident=${c.id}`)).toEqual([])
    expect(await page(`incident=${c.id}&to=2020-01-01`)).toEqual([])
    const csv = await world.commander.request(`/api/audit?format=csv&incident=${c.id}`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const text = await csv.text()
    expect(text).toContain('理由 reason')
    expect(text).toContain(reason)
    expect((await world.commander.request('/api/audit?from=30/11/2026')).status).toBe(400)
    expect((await world.viewers.town_leader.request('/api/audit')).status).toBe(403)
  })
})
