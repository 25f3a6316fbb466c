/**
 * Every role against every endpoint that returns incidents or their figures, with cases inside
 * and outside its scope: nothing from outside (404 for one case, no rows and no counts in the
 * rest), writes only where the role may write, personal data masked in every body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PERMISSIONS, type Role } from '../../server/access/roles.ts'
import { refreshIncidentStats } from '../../server/incidents/stats.ts'
import { connectTestDatabase } from '../support/database.ts'
import { decodePoints } from '../../server/analytics/points-format.ts'
import { SseReader } from '../support/sse.ts'
import { DISTRICT } from '../support/auth.ts'
import { addFieldWork, type FieldWork } from '../support/field-work.ts'
import { plainPhoto, upload } from '../support/photos.ts'
import { assertMasked, buildWorld, json, OTHER_TOWN, report, tileAt, tileFeatures, TOWN, type AccessWorld, type Case } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

const ROLES: Role[] = ['commander', 'analyst', 'wall', 'town_leader', 'village_leader', 'grid_worker']
let world: AccessWorld
let secrets: string[]
let field: FieldWork
const inScope = (scope: string, c: Case) => c.gridCode.startsWith(scope)

beforeAll(async () => {
  world = await buildWorld(db)
  secrets = Object.values(world.cases).flatMap((c) => [c.phone, c.idNumber, c.name])
  await refreshIncidentStats(db.sql)
  field = await addFieldWork(world)
})

/** GET as the role, checking the body for unmasked personal data. */
async function read(role: Role, path: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const res = await world.viewers[role].request(path, init)
  const body = await res.text()
  assertMasked(body, secrets, `${role} ${path}`)
  return { status: res.status, body }
}

describe.each(ROLES)('as %s', (role) => {
  const viewer = () => world.viewers[role]
  const visible = () => Object.values(world.cases).filter((c) => inScope(viewer().scope, c))
  const hidden = () => Object.values(world.cases).filter((c) => !inScope(viewer().scope, c))

  it('lists only incidents inside the scope, and counts none from outside', async () => {
    const all = JSON.parse((await read(role, '/api/incidents?limit=500')).body) as { items: { gridCode: string }[] }
    expect(all.items.length).toBeGreaterThan(0)
    expect(all.items.every((i) => i.gridCode.startsWith(viewer().scope))).toBe(true)
    for (const c of [...visible(), ...hidden()]) {
      const page = JSON.parse((await read(role, `/api/incidents?grid=${c.gridCode}&limit=500`)).body) as { items: { id: number }[]; total: number }
      expect(
        page.items.some((i) => i.id === c.id),
        `case in ${c.gridCode}`,
      ).toBe(inScope(viewer().scope, c))
      if (!inScope(viewer().scope, c)) expect(page.total).toBe(0)
    }
    if (viewer().scope !== DISTRICT) {
      const outside = JSON.parse((await read(role, `/api/incidents?grid=${OTHER_TOWN}&limit=500`)).body)
      expect(outside).toMatchObject({ items: [], total: 0 })
    }
  })

  it('answers 404 for one incident outside the scope and the case with masked parties inside', async () => {
    for (const c of visible()) {
      const { status, body } = await read(role, `/api/incidents/${c.id}`)
      expect(status).toBe(200)
      expect(JSON.parse(body).parties[0].phone).toMatch(/^139\*{4}\d{4}$/)
    }
    for (const c of hidden()) expect((await read(role, `/api/incidents/${c.id}`)).status).toBe(404)
  })

  it('rolls up in /api/grids/:code only the incidents inside the scope', async () => {
    const other = JSON.parse((await read(role, `/api/grids/${OTHER_TOWN}`)).body)
    expect(other.stats.households).toBeGreaterThan(0) // non-personal figures stay visible to all
    if (viewer().scope === DISTRICT) expect(other.incidents.total).toBeGreaterThan(0)
    else expect(other.incidents).toMatchObject({ total: 0, open: 0, overdue: 0, resolved: 0 })
    const district = JSON.parse((await read(role, `/api/grids/${DISTRICT}`)).body)
    const own = JSON.parse((await read(role, `/api/grids/${viewer().scope}`)).body)
    expect(district.incidents.total).toBeGreaterThanOrEqual(own.incidents.total)
    expect(own.incidents.total).toBeGreaterThan(0)
  })

  it('shows in child lists and geometry the incident figures of the scope only', async () => {
    const scope = viewer().scope
    const children = JSON.parse((await read(role, `/api/grids/${DISTRICT}`)).body).children as { code: string; incidents: number; households: number }[]
    const features = (
      JSON.parse((await read(role, `/api/grids/${DISTRICT}/geometry?children=1`)).body).features as {
        properties: { code: string; incidents: number; open: number; overdue: number; households: number }
      }[]
    ).map((f) => f.properties)
    const roots = JSON.parse((await read(role, '/api/grids')).body).roots as { incidents: number }[]
    expect(roots[0]!.incidents).toBeGreaterThan(0)
    for (const town of [...children, ...features]) {
      const related = town.code.startsWith(scope) || scope.startsWith(town.code)
      expect(town.households, town.code).toBeGreaterThan(0)
      if (!related) expect(town.incidents, town.code).toBe(0)
    }
    const own = features.find((f) => f.code === TOWN)!
    expect(own.incidents).toBeGreaterThan(0)
    expect(children.find((c) => c.code === TOWN)!.incidents).toBe(own.incidents)
    const other = features.find((f) => f.code === OTHER_TOWN)!
    if (scope === DISTRICT) expect(other.incidents).toBeGreaterThan(0)
    else expect([other.incidents, other.open, other.overdue]).toEqual([0, 0, 0])
  })

  it('counts on the wall summary only the incidents inside the scope', async () => {
    type WallSummary = { kpis: { open: number }; ranking: { rows: { code: string; open: number }[] } }
    const recount = async () =>
      (
        await db.sql<{ open: number }[]>`
      select count(*)::int as open from incident where status not in ('closed', 'dismissed') and grid_code like ${viewer().scope + '%'}`
      )[0]!.open
    // Other test files report at the same time on PostgreSQL: compare with a recount that did not move.
    let summary: WallSummary | undefined
    let before = -1
    let after = -2
    for (let attempt = 0; attempt < 10 && before !== after; attempt++) {
      before = await recount()
      const { status, body } = await read(role, `/api/wall/summary?grid=${DISTRICT}`)
      expect(status).toBe(200)
      summary = JSON.parse(body) as WallSummary
      after = await recount()
    }
    expect(after).toBe(before)
    expect(summary!.kpis.open).toBe(before)
    expect(before).toBeGreaterThan(0)
    for (const row of summary!.ranking.rows) {
      const related = row.code.startsWith(viewer().scope) || viewer().scope.startsWith(row.code)
      if (!related) expect(row.open, row.code).toBe(0)
    }
  })

  it('counts, draws and exports on the analyst endpoints only the incidents inside the scope', async () => {
    const q = `q=${encodeURIComponent(world.tag)}`
    const ids = visible()
      .map((c) => c.id)
      .sort((a, b) => a - b)
    const geojson = JSON.parse((await read(role, `/api/incidents/export?format=geojson&${q}`)).body) as { features: { id: number }[] }
    expect(geojson.features.map((f) => f.id).sort((a, b) => a - b)).toEqual(ids)
    const csv = await viewer().request(`/api/incidents/export?format=csv&${q}`)
    expect(csv.headers.get('x-total-count')).toBe(String(ids.length))
    assertMasked(await csv.text(), secrets, `${role} csv export`)
    const summary = JSON.parse((await read(role, `/api/incidents/summary?${q}`)).body) as { total: number; byTown: { code: string; count: number }[] }
    expect(summary.total).toBe(ids.length)
    if (viewer().scope !== DISTRICT) expect(summary.byTown.find((t) => t.code === OTHER_TOWN)?.count ?? 0).toBe(0)
    const points = await viewer().request(`/api/incidents/points?${q}`)
    expect(points.status).toBe(200)
    expect(decodePoints(new Uint8Array(await points.arrayBuffer())).count).toBe(ids.length)
    const cells = JSON.parse((await read(role, `/api/incidents/by-cell?level=2&${q}`)).body) as { cells: { count: number }[] }
    expect(cells.cells.reduce((sum, c) => sum + c.count, 0)).toBe(ids.length)
  })

  it('carries in tiles the incident figures of the scope only, never from a cached tile of another scope', async () => {
    const { z, x, y } = tileAt(world.otherTown.point.lon, world.otherTown.point.lat, 8)
    // The commander's tile is built and cached first: the role's must not be served from it.
    expect((await world.commander.request(`/tiles/grids/${z}/${x}/${y}.mvt`)).status).toBe(200)
    const res = await viewer().request(`/tiles/grids/${z}/${x}/${y}.mvt`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toMatch(/^private/)
    const features = tileFeatures(new Uint8Array(await res.arrayBuffer()))
    const towns = features.filter((f) => f.level === 2)
    expect(towns.length).toBeGreaterThan(5)
    const scope = viewer().scope
    for (const f of features) {
      const code = String(f.code)
      const related = code.startsWith(scope) || scope.startsWith(code)
      if (!related) expect([f.incidents, f.open, f.overdue, f.resolved], code).toEqual([0, 0, 0, 0])
      expect(f.households, code).toBeGreaterThan(0) // non-personal figures stay visible
    }
    const other = towns.find((f) => f.code === OTHER_TOWN)!
    if (scope === DISTRICT) expect(other.incidents).toBeGreaterThan(0)
    expect(towns.find((f) => f.code === TOWN)!.incidents).toBeGreaterThan(0)
  })

  it('streams live only the events inside the scope', async () => {
    const controller = new AbortController()
    const res = await viewer().request('/api/live', { signal: controller.signal })
    expect(res.status).toBe(200)
    const live = new SseReader(res, controller)
    try {
      // Outside first: events arrive in order, so once the inside one is here the other would be too.
      const outside = viewer().scope === DISTRICT ? null : await report(world.commander, world.otherTown, 'live outside')
      const inside = await report(world.commander, world.cell, 'live inside')
      const events = await live.waitFor((e) => e.some((x) => x.data.incidentId === inside.id))
      expect(events.every((e) => e.data.incident.gridCode.startsWith(viewer().scope))).toBe(true)
      if (outside) expect(events.some((e) => e.data.incidentId === outside.id)).toBe(false)
      for (const e of events) assertMasked(JSON.stringify(e.data), secrets, `${role} live`)
    } finally {
      await live.close()
    }
  })

  it(PERMISSIONS[role].write ? 'reports and acts inside the scope only' : 'may not report or act (403)', async () => {
    const inside = await viewer().request(
      '/api/incidents',
      json({ category: 'environment.garbage', severity: 1, title: `${role} report`, location: world.cell.point }),
    )
    const outside = await viewer().request(
      '/api/incidents',
      json({ category: 'environment.garbage', severity: 1, title: `${role} report`, location: world.otherTown.point }),
    )
    const actInside = await viewer().request(
      `/api/incidents/${(await report(world.commander, world.cell, 'to act on')).id}/transitions`,
      json({ action: 'register' }),
    )
    const actOutside = await viewer().request(
      `/api/incidents/${(await report(world.commander, world.otherTown, 'to act on')).id}/transitions`,
      json({ action: 'register' }),
    )
    if (!PERMISSIONS[role].write) {
      expect([inside.status, outside.status, actInside.status, actOutside.status]).toEqual([403, 403, 403, 403])
      return
    }
    expect(inside.status).toBe(201)
    expect((await inside.json()).gridCode.startsWith(viewer().scope)).toBe(true)
    expect(actInside.status).toBe(200)
    expect((await actInside.json()).status).toBe('registered')
    if (viewer().scope === DISTRICT) {
      expect([outside.status, actOutside.status]).toEqual([201, 200])
    } else {
      expect(outside.status).toBe(403)
      expect((await outside.json()).invalidParams[0].name).toBe('location')
      expect(actOutside.status).toBe(404)
    }
  })

  it(PERMISSIONS[role].reveal ? 'reveals parties inside the scope only' : 'may not reveal parties (403)', async () => {
    for (const c of [...visible(), ...hidden()]) {
      const res = await viewer().request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '调解需要联系当事人' }))
      const expected = !PERMISSIONS[role].reveal ? 403 : inScope(viewer().scope, c) ? 200 : 404
      expect(res.status, `case in ${c.gridCode}`).toBe(expected)
      const body = await res.text()
      if (expected === 200) expect(JSON.parse(body).parties).toEqual([{ name: c.name, phone: c.phone, idNumber: c.idNumber }])
      else assertMasked(body, secrets, `${role} reveal refused`)
    }
  })

  it('reads photos inside the scope only, and adds them where it may write', async () => {
    expect((await read(role, field.cellPhoto)).status).toBe(200)
    expect((await read(role, `${field.cellPhoto}?size=thumb`)).status).toBe(200)
    expect((await read(role, field.otherPhoto)).status).toBe(viewer().scope === DISTRICT ? 200 : 404)
    const photo = await plainPhoto('jpeg', 64, 64, '#e67700')
    const inside = await viewer().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(photo))
    const outside = await viewer().request(`/api/incidents/${world.cases.otherTown.id}/attachments`, upload(photo))
    if (!PERMISSIONS[role].write) expect([inside.status, outside.status]).toEqual([403, 403])
    else expect([inside.status, outside.status]).toEqual([201, viewer().scope === DISTRICT ? 201 : 404])
    const detail = JSON.parse((await read(role, `/api/incidents/${world.cases.cell.id}`)).body) as { attachments: { url: string }[] }
    expect(detail.attachments.map((a) => a.url)).toContain(field.cellPhoto)
  })

  it('sees patrol tracks only as their worker, a leader whose scope holds them, or the commander', async () => {
    const mayRead = ['grid_worker', 'village_leader', 'town_leader', 'commander'].includes(role)
    const username = `test-grid_worker-${world.viewers.grid_worker.scope}`
    const one = await read(role, `/api/patrols/${field.patrol}`)
    expect(one.status).toBe(mayRead ? 200 : 404)
    expect(one.body).not.toContain(username)
    const day = await read(role, `/api/patrols?date=${field.date}`)
    expect(day.status).toBe(mayRead ? 200 : 403)
    if (mayRead) expect((JSON.parse(day.body) as { tracks: { id: number }[] }).tracks.map((t) => t.id)).toContain(field.patrol)
    expect(day.body).not.toContain(username)
    const away = await read(role, `/api/patrols?date=${field.date}&grid=${OTHER_TOWN}`)
    if (mayRead) expect((JSON.parse(away.body) as { tracks: { id: number }[] }).tracks.map((t) => t.id)).not.toContain(field.patrol)
    const positions = await viewer().request(
      `/api/patrols/${field.patrol}/positions`,
      json([{ t: new Date().toISOString(), lon: world.cell.point.lon, lat: world.cell.point.lat, accuracy: 5 }]),
    )
    expect(positions.status).toBe(role === 'grid_worker' ? 200 : PERMISSIONS[role].write ? 404 : 403)
  })

  it('gives coverage and silent grids of its scope only, worker names masked', async () => {
    const own = await read(role, '/api/coverage')
    expect(own.status).toBe(200)
    expect(JSON.parse(own.body).grid).toBe(viewer().scope)
    expect((await read(role, `/api/coverage?grid=${OTHER_TOWN}`)).status).toBe(viewer().scope === DISTRICT ? 200 : 404)
    expect((await read(role, `/api/coverage/workers?grid=${OTHER_TOWN}`)).status).toBe(viewer().scope === DISTRICT ? 200 : 404)
    const workers = await read(role, '/api/coverage/workers?format=csv')
    expect(workers.status).toBe(200)
    const names = await db.sql<{ full_name: string }[]>`select full_name from grid_person where role = 'grid_worker' and cell_code = ${world.cell.code}`
    assertMasked(
      workers.body,
      names.map((n) => n.full_name),
      `${role} coverage csv`,
    )
    const silent = JSON.parse((await read(role, '/api/coverage/silent?days=7')).body) as { cells: { code: string }[] }
    expect(silent.cells.every((c) => c.code.startsWith(viewer().scope))).toBe(true)
  })

  it(PERMISSIONS[role].audit ? 'reads the audit log' : 'may not read the audit log (403)', async () => {
    const { status } = await read(role, '/api/audit')
    expect(status).toBe(PERMISSIONS[role].audit ? 200 : 403)
  })
})

describe.each(ROLES)('OGC API as %s', (role) => {
  const viewer = () => world.viewers[role]
  it('lists only incidents inside the scope (masked), 404 for one outside, no figures of other towns', async () => {
    const ids = Object.values(world.cases)
      .map((c) => `id = ${c.id}`)
      .join(' OR ')
    const page = JSON.parse((await read(role, `/ogc/collections/incidents/items?limit=100&filter=${encodeURIComponent(ids)}`)).body) as {
      features: { id: string }[]
    }
    const expected = Object.values(world.cases)
      .filter((c) => inScope(viewer().scope, c))
      .map((c) => String(c.id))
      .sort()
    expect(page.features.map((f) => f.id).sort()).toEqual(expected)
    for (const c of Object.values(world.cases)) {
      expect((await read(role, `/ogc/collections/incidents/items/${c.id}`)).status).toBe(inScope(viewer().scope, c) ? 200 : 404)
    }
    const other = JSON.parse((await read(role, `/ogc/collections/towns/items/${OTHER_TOWN}`)).body) as {
      properties: { incidents_total: number; households: number }
    }
    expect(other.properties.households).toBeGreaterThan(0)
    if (viewer().scope === DISTRICT) expect(other.properties.incidents_total).toBeGreaterThan(0)
    else expect(other.properties.incidents_total).toBe(0)
  })
})

/**
 * Notices: a worker sees only what they received; everyone else what reaches into their scope (or
 * what they sent); only the sender roles send, remind and close, inside their scope; only
 * recipients acknowledge and reply; the live feed carries a notice to exactly those who see it.
 */
describe.each(ROLES)('notices as %s', (role) => {
  const viewer = () => world.viewers[role]
  const SENDERS: Role[] = ['commander', 'town_leader', 'village_leader']
  let inCell: number
  let otherTown: number
  const send = async (grid: string, title: string) => {
    const res = await world.commander.request('/api/notices', json({ kind: 'urgent', title, target: { grids: [grid] } }))
    expect(res.status).toBe(201)
    return (await res.json()).id as number
  }
  beforeAll(async () => {
    inCell = await send(world.cell.code, `${role} 本网格通知`)
    otherTown = await send(OTHER_TOWN, `${role} 外镇通知`)
  })

  it('reads, lists and streams only the notices it received or that reach into its scope', async () => {
    const sees = (grid: string) => grid.startsWith(viewer().scope) || viewer().scope.startsWith(grid)
    const controller = new AbortController()
    const res = await viewer().request('/api/live', { signal: controller.signal })
    const live = new SseReader(res, controller, undefined, ['notice'])
    try {
      const outside = await send(OTHER_TOWN, `${role} 外镇实时`)
      const inside = await send(world.cell.code, `${role} 本网格实时`)
      const events = await live.waitFor((e) => e.some((x) => (x.data as unknown as { noticeId: number }).noticeId === inside))
      expect(events.some((x) => (x.data as unknown as { noticeId: number }).noticeId === outside)).toBe(sees(OTHER_TOWN))
    } finally {
      await live.close()
    }
    for (const [id, grid] of [
      [inCell, world.cell.code],
      [otherTown, OTHER_TOWN],
    ] as const) {
      const res = await viewer().request(`/api/notices/${id}`)
      expect(res.status, `notice to ${grid}`).toBe(sees(grid) ? 200 : 404)
      const list = (await (await viewer().request('/api/notices?status=active')).json()).notices as { id: number }[]
      expect(
        list.some((n) => n.id === id),
        `listed: notice to ${grid}`,
      ).toBe(sees(grid))
    }
    const inbox = (await (await viewer().request('/api/notices/inbox')).json()).notices as { id: number }[]
    expect(inbox.some((n) => n.id === inCell)).toBe(role === 'grid_worker')
    expect(inbox.some((n) => n.id === otherTown)).toBe(false)
  })

  it(SENDERS.includes(role) ? 'sends, reminds and closes inside its scope only' : 'may not send, remind or close', async () => {
    const inside = await viewer().request('/api/notices', json({ kind: 'work', title: `${role} 发送`, target: { grids: [world.cell.code] } }))
    const outside = await viewer().request('/api/notices', json({ kind: 'work', title: `${role} 发送`, target: { grids: [OTHER_TOWN] } }))
    const preview = await viewer().request('/api/notices/preview', json({ target: { grids: [world.cell.code] } }))
    const remindOther = await viewer().request(`/api/notices/${otherTown}/remind`, json({}))
    const closeOther = await viewer().request(`/api/notices/${otherTown}/close`, json({ outcome: 'cancelled', note: '测试' }))
    if (!SENDERS.includes(role)) {
      expect([inside.status, outside.status, preview.status]).toEqual([403, 403, 403])
      expect([403, 404]).toContain(remindOther.status)
      expect([403, 404]).toContain((await viewer().request(`/api/notices/${inCell}/remind`, json({}))).status)
      expect([403, 404]).toContain((await viewer().request(`/api/notices/${inCell}/close`, json({ outcome: 'found', note: '测试' }))).status)
      return
    }
    expect(inside.status).toBe(201)
    expect(preview.status).toBe(200)
    const remind = await viewer().request(`/api/notices/${inCell}/remind`, json({}))
    expect(remind.status).toBe(200)
    if (viewer().scope === DISTRICT) {
      expect([outside.status, remindOther.status, closeOther.status]).toEqual([201, 200, 200])
    } else {
      expect(outside.status).toBe(403)
      expect([remindOther.status, closeOther.status]).toEqual([404, 404])
    }
    // The work phones of those who have not acknowledged: the sender roles', inside their scope.
    const detail = await (await viewer().request(`/api/notices/${inCell}`)).json()
    expect(detail.pending.length).toBeGreaterThan(0)
    expect(detail.pending.every((p: { cellCode: string }) => p.cellCode.startsWith(viewer().scope))).toBe(true)
  })

  it(role === 'grid_worker' ? 'acknowledges and replies to the notices it received only' : 'does not acknowledge or reply (not a recipient)', async () => {
    const ack = await viewer().request(`/api/notices/${inCell}/ack`, json({}))
    const reply = await viewer().request(`/api/notices/${inCell}/replies`, json({ kind: 'not-found' }))
    const ackOther = await viewer().request(`/api/notices/${otherTown}/ack`, json({}))
    if (role === 'grid_worker') {
      expect([ack.status, reply.status, ackOther.status]).toEqual([200, 201, 404])
    } else {
      expect(ack.status).toBe(403)
      expect(reply.status).toBe(403)
      expect([403, 404]).toContain(ackOther.status)
    }
    // Nothing from another role's body carries the recipients' phones but the senders' detail.
    if (!SENDERS.includes(role)) assertMasked(await (await viewer().request(`/api/notices/${inCell}`)).text(), secrets, `${role} notice`)
  })
})
