/**
 * Personal data: masked by default; revealed only with a reason, to a permitted role inside its
 * scope, with exactly one audit record per look written in the same transaction; the audit log
 * for the commander; log lines without personal data or secrets.
 */
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REVEAL_ACTION } from '../../server/access/reveal.ts'
import { createLogger } from '../../server/log.ts'
import { connectTestDatabase } from '../support/database.ts'
import { assertMasked, buildWorld, json, type AccessWorld } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
beforeAll(async () => {
  world = await buildWorld(db)
})

const auditRows = (incidentId: number) => db.sql<{ actor: string; actor_role: string; action: string; reason: string; at: Date }[]>`
  select actor, actor_role, action, reason, at from audit_log where incident_id = ${incidentId} order by id`

describe('POST /api/incidents/:id/parties/reveal', () => {
  it('shows the unmasked parties and writes exactly one audit record: who, which case, what, when, why', async () => {
    const c = world.cases.cell
    const before = await auditRows(c.id)
    const started = Date.now()
    const res = await world.viewers.village_leader.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '  需电话联系当事人安排调解  ' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toMatchObject({ incidentId: c.id, parties: [{ name: c.name, phone: c.phone, idNumber: c.idNumber }], description: '' })
    const after = await auditRows(c.id)
    expect(after).toHaveLength(before.length + 1)
    const record = after.at(-1)!
    expect(record).toMatchObject({
      actor: `test-village_leader-${world.village}`,
      actor_role: 'village_leader',
      action: REVEAL_ACTION,
      reason: '需电话联系当事人安排调解',
    })
    expect(record.at.getTime()).toBeGreaterThan(started - 60_000)
  })

  it('refuses a missing, short or overlong reason with 400 and records nothing', async () => {
    const c = world.cases.cell
    const before = (await auditRows(c.id)).length
    for (const body of [{}, { reason: 'ab ' }, { reason: 'x'.repeat(501) }, { reason: 42 }]) {
      const res = await world.commander.request(`/api/incidents/${c.id}/parties/reveal`, json(body))
      expect(res.status).toBe(400)
      expect((await res.json()).invalidParams[0].name).toBe('reason')
    }
    expect(await auditRows(c.id)).toHaveLength(before)
  })

  it('records nothing for a refused look (other scope, read-only role, unknown case)', async () => {
    const c = world.cases.otherTown
    const before = (await auditRows(c.id)).length
    expect((await world.viewers.grid_worker.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '越权查看测试' }))).status).toBe(404)
    expect((await world.viewers.analyst.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '越权查看测试' }))).status).toBe(403)
    expect((await world.viewers.wall.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '越权查看测试' }))).status).toBe(403)
    expect((await world.commander.request(`/api/incidents/999999999999/parties/reveal`, json({ reason: '不存在的案件' }))).status).toBe(404)
    expect(await auditRows(c.id)).toHaveLength(before)
  })

  it('leaves every other payload masked after a reveal', async () => {
    const c = world.cases.sameTown
    expect((await world.viewers.town_leader.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '核实身份信息' }))).status).toBe(200)
    for (const path of [`/api/incidents/${c.id}`, `/api/incidents?grid=${c.gridCode}&limit=50`]) {
      const body = await (await world.viewers.town_leader.request(path)).text()
      assertMasked(body, [c.phone, c.idNumber, c.name], path)
    }
  })
})

describe('GET /api/audit', () => {
  it('lists the looks, newest first, for the commander; pages with before', async () => {
    const c = world.cases.cell
    await world.viewers.grid_worker.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '上门走访前核对电话' }))
    const res = await world.commander.request(`/api/audit?incident=${c.id}&limit=1`)
    expect(res.status).toBe(200)
    const page = await res.json()
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).toMatchObject({
      actor: `test-grid_worker-${world.cell.code}`,
      actorRole: 'grid_worker',
      action: REVEAL_ACTION,
      incidentId: c.id,
      reason: '上门走访前核对电话',
    })
    const older = await (await world.commander.request(`/api/audit?incident=${c.id}&before=${page.nextBefore}`)).json()
    expect(older.items.length).toBeGreaterThan(0)
    expect(older.items.every((r: { id: number }) => r.id < page.items[0].id)).toBe(true)
  })

  it('is refused to every other role', async () => {
    for (const role of ['analyst', 'wall', 'town_leader', 'village_leader', 'grid_worker'] as const) {
      expect((await world.viewers[role].request('/api/audit')).status).toBe(403)
    }
  })
})

describe('log lines', () => {
  it('carry no personal data, passwords, tokens, cookies or bound SQL parameters', () => {
    const lines: string[] = []
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })
    const logger = createLogger(sink)
    logger.level = 'info'
    const c = world.cases.cell
    const dbError = Object.assign(new Error('insert failed'), { query: 'insert into incident …', parameters: [c.name, c.phone, c.idNumber] })
    logger.error({ err: dbError, body: { parties: [{ name: c.name, phone: c.phone, idNumber: c.idNumber }], password: 'hunter2-secret' } }, 'request failed')
    logger.info({ headers: { cookie: world.commander.cookie }, token: 'gsw_secret-token-value', reason: '需电话联系当事人' }, 'signed in')
    const output = lines.join('')
    expect(lines).toHaveLength(2)
    for (const secret of [c.name, c.phone, c.idNumber, 'hunter2-secret', world.commander.cookie.split('=')[1]!, 'gsw_secret-token-value', '需电话联系当事人']) {
      expect(output).not.toContain(secret)
    }
    expect(output).toContain('[redacted]')
    expect(output).toContain('insert failed') // the message itself is kept for operators
  })
})
