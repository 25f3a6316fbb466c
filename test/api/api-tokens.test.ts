/**
 * API tokens: a bearer token reads what its role and scope allow (incidents masked, other towns
 * invisible), never writes, is refused from the request after it is revoked or past its expiry,
 * is rate-limited per token (429 + Retry-After), leaves an audit record for every read of
 * incidents, and shows its last use to the commander (not to other roles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addApiToken, revokeApiToken } from '../../server/access/api-tokens.ts'
import { TOKEN_READ_ACTION } from '../../server/access/token-audit.ts'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { assertMasked, buildWorld, json, TOWN, type AccessWorld } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
const app = createApp(db, { access: { apiTokenRequestsPerMinute: 40 } })
beforeAll(async () => {
  world = await buildWorld(db)
})

const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
})
const listIds = async (token: string) => {
  const res = await app.request(`/api/incidents?q=${encodeURIComponent(world.tag)}&limit=50`, bearer(token))
  expect(res.status).toBe(200)
  const text = await res.text()
  return { ids: (JSON.parse(text) as { items: { id: number }[] }).items.map((i) => i.id).sort(), text }
}

describe('API tokens', () => {
  it('read incidents within the token scope only, parties masked, and tiles', async () => {
    const { token } = await addApiToken(db.sql, { name: 'town gis', role: 'town_leader', scope: TOWN })
    const { ids, text } = await listIds(token)
    expect(ids).toEqual([world.cases.cell.id, world.cases.sameTown.id].sort())
    assertMasked(text, [world.cases.cell.phone, world.cases.cell.idNumber, world.cases.sameTown.phone], 'token incidents')
    expect((await app.request(`/api/incidents/${world.cases.otherTown.id}`, bearer(token))).status).toBe(404)
    expect((await app.request('/tiles/grids.json', bearer(token))).status).toBe(200)
  })

  it('never write, not even for a role that may (403), and a bad token is 401', async () => {
    const { token } = await addApiToken(db.sql, { name: 'writer?', role: 'commander' })
    const res = await app.request('/api/incidents', bearer(token, json({ category: 'dispute.neighbour', severity: 2, title: 'x', location: world.cell.point })))
    expect(res.status).toBe(403)
    const reveal = await app.request(`/api/incidents/${world.cases.cell.id}/parties/reveal`, bearer(token, json({ reason: '需要联系当事人' })))
    expect(reveal.status).toBe(403)
    expect((await app.request('/api/incidents', bearer(`gst_${'x'.repeat(43)}`))).status).toBe(401)
    expect((await app.request('/api/incidents', bearer('not-a-token'))).status).toBe(401)
  })

  it('stop at once when revoked, and at their expiry', async () => {
    const { token, row } = await addApiToken(db.sql, { name: 'short lived', role: 'analyst' })
    expect((await app.request('/api/incidents', bearer(token))).status).toBe(200)
    await revokeApiToken(db.sql, row.id)
    expect((await app.request('/api/incidents', bearer(token))).status).toBe(401)
    const expiring = await addApiToken(db.sql, { name: 'expiring', role: 'analyst', expires: '2999-01-01' })
    expect((await app.request('/api/incidents', bearer(expiring.token))).status).toBe(200)
    await db.sql`update api_token set expires_at = now() - interval '1 second' where id = ${expiring.row.id}`
    expect((await app.request('/api/incidents', bearer(expiring.token))).status).toBe(401)
    await expect(addApiToken(db.sql, { name: 'past', role: 'analyst', expires: '2001-01-01' })).rejects.toThrow('already past')
  })

  it('are limited per token: 429 with Retry-After, another token unaffected', async () => {
    const a = await addApiToken(db.sql, { name: 'busy', role: 'analyst' })
    const b = await addApiToken(db.sql, { name: 'quiet', role: 'analyst' })
    let limited: Response | undefined
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await app.request('/api/meta', bearer(a.token))
      if (res.status === 429) limited = res
      else expect(res.status).toBe(200)
    }
    expect(limited?.status).toBe(429)
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await app.request('/api/meta', bearer(b.token))).status).toBe(200)
  })

  it('audit every read of incidents, and the commander sees the last use', async () => {
    const { token, row } = await addApiToken(db.sql, { name: 'audited', role: 'analyst' })
    const actor = `api-token:${row.id}:audited`
    const count = async () => (await db.sql`select 1 from audit_log where actor = ${actor} and action = ${TOKEN_READ_ACTION}`).length
    expect(await count()).toBe(0)
    await app.request('/api/meta', bearer(token)) // not personal: not audited
    expect(await count()).toBe(0)
    await listIds(token)
    await app.request(`/api/incidents/${world.cases.cell.id}`, bearer(token))
    expect(await count()).toBe(2)
    const res = await world.commander.request('/api/api-tokens')
    expect(res.status).toBe(200)
    const listed = ((await res.json()) as { items: { id: number; lastUsedAt: string | null; name: string }[] }).items.find((t) => t.id === row.id)
    expect(listed?.name).toBe('audited')
    expect(listed?.lastUsedAt).not.toBeNull()
    expect(JSON.stringify(listed)).not.toContain(token)
    expect((await world.viewers.town_leader.request('/api/api-tokens')).status).toBe(403)
    expect((await app.request('/api/api-tokens', bearer(token))).status).toBe(403)
  })
})
