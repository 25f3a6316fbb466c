/**
 * Signing in and out, sessions and their expiry, wall display tokens and their revocation,
 * sign-in and write rate limits, CSRF refusal, the body size limit, and 401 for everything but
 * the public routes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../server/app.ts'
import { addUser, addWallToken, disableUser, revokeWallToken } from '../../server/access/accounts.ts'
import { digestToken } from '../../server/access/passwords.ts'
import { SESSION_COOKIE, VIEWER_CACHE_MS } from '../../server/access/sessions.ts'
import { connectTestDatabase } from '../support/database.ts'
import { asViewer, cookieOf, signIn } from '../support/auth.ts'
import { json, TOWN } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db)
const run = `${Date.now() % 1e8}`
const PASSWORD = 'correct horse battery staple'

function sessionCookie(res: Response): string {
  const header = res.headers.get('set-cookie') ?? ''
  const token = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(header)?.[1]
  if (!token) throw new Error(`no session cookie in ${header}`)
  return cookieOf(token)
}

async function expectProblem(res: Response, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  return (await res.json()) as { title: string; detail?: string; invalidParams?: { name: string }[] }
}

let username: string
beforeAll(async () => {
  username = `leader-${run}`
  await addUser(db.sql, { username, role: 'town_leader', scope: TOWN, password: PASSWORD })
})

describe('without a session', () => {
  it.each([
    '/api/incidents',
    '/api/grids',
    '/api/grids/440904',
    '/api/live',
    '/api/audit',
    '/api/auth/me',
    '/api/categories',
    '/tiles/grids/8/207/113.mvt',
    '/tiles/grids.json',
  ])('GET %s answers 401 problem+json', async (path) => {
    await expectProblem(await app.request(path), 401)
  })

  it('still answers the health check and the product info', async () => {
    expect((await app.request('/api/health')).status).toBe(200)
    expect((await app.request('/api/meta')).status).toBe(200)
  })

  it('refuses writes with 401', async () => {
    await expectProblem(await app.request('/api/incidents', json({ title: 'x' })), 401)
  })
})

describe('POST /api/auth/login', () => {
  it('opens a session in an HttpOnly, SameSite=Strict cookie and says who is signed in', async () => {
    const res = await app.request('/api/auth/login', json({ username, password: PASSWORD }))
    expect(res.status).toBe(200)
    const setCookie = res.headers.get('set-cookie')!
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    expect(setCookie).toMatch(/Path=\//)
    expect(setCookie).toMatch(/Expires=/)
    expect(await res.json()).toMatchObject({
      kind: 'user',
      name: username,
      role: 'town_leader',
      scope: TOWN,
      scopeName: '电海街道',
      permissions: { write: true, reveal: true, audit: false },
    })
    const me = await app.request('/api/auth/me', { headers: { cookie: sessionCookie(res) } })
    expect(await me.json()).toMatchObject({ name: username, role: 'town_leader' })
    // Only a digest is stored: the token itself is nowhere in the database.
    const token = sessionCookie(res).split('=')[1]!
    const [row] = await db.sql`select count(*) as n from user_session where token_hash = ${token}`
    expect(row!.n).toBe(0)
    const [hashed] = await db.sql`select count(*) as n from user_session where token_hash = ${digestToken(token)}`
    expect(hashed!.n).toBe(1)
  })

  it('writes each successful sign-in to the audit log, and only those', async () => {
    // Its own app and user: the sign-in limits of this file's other tests are not touched.
    const own = createApp(db)
    const audited = `audited-${run}`
    await addUser(db.sql, { username: audited, role: 'village_leader', scope: `${TOWN}001`, password: PASSWORD })
    const commander = asViewer(own, await signIn(db, 'commander'))
    const records = async () =>
      ((await (await commander.request(`/api/audit?action=sign_in&actor=${audited}`)).json()) as { items: { actor: string; action: string }[] }).items
    expect(await records()).toEqual([])
    expect((await own.request('/api/auth/login', json({ username: audited, password: PASSWORD }))).status).toBe(200)
    expect((await own.request('/api/auth/login', json({ username: audited, password: 'wrong password' }))).status).toBe(401)
    const after = await records()
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ actor: audited, action: 'sign_in', actorRole: 'village_leader' })
    // Token reads are filtered by their own code, hyphen and all.
    expect((await commander.request('/api/audit?action=api-token-read')).status).toBe(200)
  })

  it('answers a wrong password and an unknown user alike, with 401', async () => {
    const wrong = await expectProblem(await app.request('/api/auth/login', json({ username, password: 'wrong password' })), 401)
    const unknown = await expectProblem(await app.request('/api/auth/login', json({ username: `nobody-${run}`, password: PASSWORD })), 401)
    expect(wrong).toEqual(unknown)
  })

  it('validates the body', async () => {
    const problem = await expectProblem(await app.request('/api/auth/login', json({ username })), 400)
    expect(problem.invalidParams?.[0]?.name).toBe('password')
  })

  it('rate limits attempts per address and username, then answers 429 even to the right password', async () => {
    const limited = createApp(db, { access: { loginAttemptsPerMinute: 3 } })
    for (let i = 0; i < 3; i++) expect((await limited.request('/api/auth/login', json({ username, password: `guess ${i}` }))).status).toBe(401)
    const refused = await limited.request('/api/auth/login', json({ username, password: PASSWORD }))
    await expectProblem(refused, 429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another username from the same address is counted apart.
    expect((await limited.request('/api/auth/login', json({ username: `other-${run}`, password: 'x' }))).status).toBe(401)
  })
})

describe('sessions', () => {
  it('end on logout', async () => {
    const cookie = sessionCookie(await app.request('/api/auth/login', json({ username, password: PASSWORD })))
    expect((await app.request('/api/incidents?limit=1', { headers: { cookie } })).status).toBe(200)
    const out = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`${SESSION_COOKIE}=;`))
    await expectProblem(await app.request('/api/incidents?limit=1', { headers: { cookie } }), 401)
  })

  it('expire, even while the server remembers them', async () => {
    const brief = createApp(db, { access: { sessionTtlMs: 1500 } })
    const cookie = sessionCookie(await brief.request('/api/auth/login', json({ username, password: PASSWORD })))
    expect((await brief.request('/api/incidents?limit=1', { headers: { cookie } })).status).toBe(200)
    // Asked again until the 1.5 s are over (a remembered session never outlives its expiry).
    const ended = await vi.waitFor(
      async () => {
        const res = await brief.request('/api/incidents?limit=1', { headers: { cookie } })
        expect(res.status).toBe(401)
        return res
      },
      { timeout: 10_000, interval: 100 },
    )
    const problem = await expectProblem(ended, 401)
    expect(problem.detail).toMatch(/ended/)
  })

  it('end within VIEWER_CACHE_MS when another process ends them in the database', async () => {
    const cookie = await signIn(db, 'analyst')
    expect((await app.request('/api/incidents?limit=1', { headers: { cookie } })).status).toBe(200)
    await db.sql`update user_session set expires_at = now() - interval '1 second' where token_hash = ${digestToken(cookie.split('=')[1]!)}`
    const ended = await vi.waitFor(
      async () => {
        const res = await app.request('/api/incidents?limit=1', { headers: { cookie } })
        expect(res.status).toBe(401)
        return res
      },
      { timeout: VIEWER_CACHE_MS + 1000, interval: 100 },
    )
    await expectProblem(ended, 401)
  })

  it('last as long as configured', async () => {
    const short = createApp(db, { access: { sessionTtlMs: 60_000 } })
    const res = await short.request('/api/auth/login', json({ username, password: PASSWORD }))
    const [row] = await db.sql<{ seconds: number }[]>`
      select extract(epoch from expires_at - now())::float8 as seconds from user_session where token_hash = ${digestToken(sessionCookie(res).split('=')[1]!)}`
    expect(row!.seconds).toBeGreaterThan(0)
    expect(row!.seconds).toBeLessThanOrEqual(60)
  })

  it('end when the user is disabled', async () => {
    const name = `worker-${run}`
    await addUser(db.sql, { username: name, role: 'analyst', password: PASSWORD })
    const cookie = sessionCookie(await app.request('/api/auth/login', json({ username: name, password: PASSWORD })))
    await disableUser(db.sql, name)
    await expectProblem(await app.request('/api/incidents?limit=1', { headers: { cookie } }), 401)
    expect((await app.request('/api/auth/login', json({ username: name, password: PASSWORD }))).status).toBe(401)
  })

  it('count writes per session and answer 429 past the limit', async () => {
    const limited = asViewer(createApp(db, { access: { writesPerMinute: 2 } }), await signIn(db, 'commander'))
    for (let i = 0; i < 2; i++) expect((await limited.request('/api/incidents', json({}))).status).toBe(400)
    await expectProblem(await limited.request('/api/incidents', json({})), 429)
    expect((await limited.request('/api/incidents?limit=1')).status).toBe(200) // reads are not limited
  })
})

describe('wall display tokens', () => {
  it('open a read-only, masked session until revoked', async () => {
    const { token, row } = await addWallToken(db.sql, { label: `wall ${run}`, scope: TOWN })
    const res = await app.request('/api/auth/wall', json({ token }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ kind: 'wall', role: 'wall', scope: TOWN, permissions: { write: false, reveal: false, audit: false } })
    const wall = asViewer(app, sessionCookie(res))
    const list = await wall.request(`/api/incidents?limit=5`)
    expect(list.status).toBe(200)
    expect(((await list.json()) as { items: { gridCode: string }[] }).items.every((i) => i.gridCode.startsWith(TOWN))).toBe(true)
    await expectProblem(
      await wall.request('/api/incidents', json({ category: 'environment.garbage', severity: 1, title: 'wall', location: { lon: 111, lat: 21.5 } })),
      403,
    )

    await revokeWallToken(db.sql, row.id)
    await expectProblem(await wall.request('/api/incidents?limit=5'), 401)
    await expectProblem(await app.request('/api/auth/wall', json({ token })), 401)
  })

  it('end an open live stream when revoked', { timeout: 20_000 }, async () => {
    const quick = createApp(db, { access: { sessionRecheckMs: 100 } })
    const { token, row } = await addWallToken(db.sql, { label: `wall live ${run}` })
    const cookie = sessionCookie(await quick.request('/api/auth/wall', json({ token })))
    const controller = new AbortController()
    const res = await quick.request('/api/live', { headers: { cookie }, signal: controller.signal })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    await reader.read() // the `ready` event: the stream is open
    await revokeWallToken(db.sql, row.id)
    let ended = false
    while (!ended) ended = (await reader.read()).done // resolves once the server closes the stream
    expect(ended).toBe(true)
  })

  it('are checked for shape before any lookup', async () => {
    await expectProblem(await app.request('/api/auth/wall', json({ token: "' or 1=1 --" })), 400)
  })
})

describe('cross-site writes', () => {
  let cookie: string
  beforeAll(async () => {
    cookie = await signIn(db, 'commander')
  })
  const body = JSON.stringify({ action: 'register' })

  it('are refused when the Origin is another site', async () => {
    const problem = await expectProblem(
      await app.request('/api/incidents/1/transitions', {
        method: 'POST',
        headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
        body,
      }),
      403,
    )
    expect(problem.title).toMatch(/Cross-site/)
  })

  it('are refused when the browser says the request is cross-site', async () => {
    await expectProblem(await app.request('/api/auth/logout', { method: 'POST', headers: { cookie, 'sec-fetch-site': 'cross-site' } }), 403)
  })

  it('are refused as a form post without Origin', async () => {
    await expectProblem(
      await app.request('/api/incidents', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' }),
      403,
    )
  })

  it('pass from the same origin', async () => {
    const res = await app.request('http://localhost/api/incidents', {
      method: 'POST',
      headers: { cookie, origin: 'http://localhost', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(res.status).toBe(400) // past the CSRF check, stopped by validation
    const site = await app.request('/api/incidents', {
      method: 'POST',
      headers: { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(site.status).toBe(400)
  })
})

describe('request bodies', () => {
  it('larger than the limit are refused with 413', async () => {
    const cookie = await signIn(db, 'commander')
    const big = JSON.stringify({ category: 'dispute.neighbour', severity: 1, title: 'x', description: 'x'.repeat(100_000), location: { lon: 111, lat: 21.5 } })
    await expectProblem(await app.request('/api/incidents', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: big }), 413)
  })
})
