/**
 * The smaller ways a request could hurt the API or its users: personal data in the logs of a
 * failing statement, idempotency keys shared between users, a database outage answered 500 or
 * late, a missing asset answered with the page cached for a year, scope-dependent JSON without
 * Cache-Control: private, live streams outliving the session (in this process and from another),
 * and a shutdown held up by open streams.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { Hono } from 'hono'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { disableUser } from '../../server/access/accounts.ts'
import { DUMMY_HASH } from '../../server/access/passwords.ts'
import { createSession } from '../../server/access/sessions.ts'
import { createApp } from '../../server/app.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { createLogger } from '../../server/log.ts'
import { cookieOf, signIn } from '../support/auth.ts'
import { startApiProcess } from '../support/api-process.ts'
import { connectTestDatabase } from '../support/database.ts'
import { stalledGet, waitUntil } from '../support/raw-http.ts'
import { serveApp } from '../support/serve-app.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

describe('logs of failing statements', () => {
  it('carry the error code but none of the values the statement held', async () => {
    const lines: string[] = []
    const logger = createLogger(new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }))
    const phone = '13800138000'
    const idNumber = '440904199001011234'
    const failures = await Promise.all([
      // "JSON data, line 1: …" in `where` quotes the whole parameter, parties included.
      db.sql`select ${`{"parties":[{"name":"张三","phone":"${phone}","idNumber":"${idNumber}"}],}`}::text::jsonb`.catch((e) => e),
      // The message itself quotes the value.
      db.sql`select ${phone}::int`.catch((e) => e),
    ])
    expect(failures.map((e) => e.code)).toEqual(['22P02', '22003'])
    expect(JSON.stringify({ ...failures[0], message: failures[0].message }) + failures[1].message).toContain(phone) // the raw errors do carry it
    for (const err of failures) logger.error({ err }, 'request failed')
    const text = lines.join('')
    expect(lines).toHaveLength(2)
    expect(text).toContain('22P02')
    expect(text).toContain('22003')
    for (const secret of [phone, idNumber, '张三']) expect(text).not.toContain(secret)
  })
})

describe('idempotency keys', () => {
  it('belong to the user: the same key from two users stores two reports', async () => {
    const users = [await signIn(db, 'commander'), await signIn(db, 'town_leader', '440904004')]
    const app = createApp(db)
    const village = await (await app.request('/api/grids/440904004001', { headers: { cookie: users[0]! } })).json()
    const key = `shared-key-${Date.now()}`
    const answers = []
    for (const [i, cookie] of users.entries()) {
      const res = await app.request('/api/incidents', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({
          category: 'dispute.neighbour',
          severity: 1,
          title: `user ${i} report`,
          location: { lon: village.labelPoint[0], lat: village.labelPoint[1] },
        }),
      })
      expect(res.status).toBe(201)
      expect(res.headers.get('idempotent-replayed')).toBeNull()
      answers.push(await res.json())
    }
    expect(answers[0].id).not.toBe(answers[1].id)
    expect(answers.map((a) => a.title)).toEqual(['user 0 report', 'user 1 report'])
  })
})

describe('a database that is not there', () => {
  it('is answered 503 with Retry-After, refused or silent, within the connect timeout', { timeout: 30_000 }, async () => {
    // Silent: accepts connections and never answers (a hung server or a black-holed network).
    const held: Socket[] = []
    const silent = createServer((socket) => held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    const refusedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as { port: number }).port
        probe.close(() => resolve(port))
      })
    })
    try {
      for (const port of [refusedPort, (silent.address() as { port: number }).port]) {
        const sql = postgres(`postgres://postgres@127.0.0.1:${port}/gone`, { max: 1, connect_timeout: 2, onnotice: () => {} })
        const app = createApp({ sql, mode: 'external', close: () => sql.end({ timeout: 1 }) })
        for (const path of ['/api/health', '/api/incidents?limit=1']) {
          const res = await app.request(path, { headers: { cookie: cookieOf('a'.repeat(43)) } })
          expect(res.status, `${port} ${path}`).toBe(503)
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
          expect(res.headers.get('content-type')).toContain('application/problem+json')
        }
        await sql.end({ timeout: 0 })
      }
    } finally {
      for (const socket of held) socket.destroy()
      silent.close()
    }
  })
})

describe('HTTP caching', () => {
  it('a missing asset is a 404, not the page cached for a year; client routes still get the page', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gridscope-web-'))
    try {
      await mkdir(join(root, 'assets'))
      await writeFile(join(root, 'index.html'), '<!doctype html><title>Gridscope</title>')
      await writeFile(join(root, 'assets', 'app-abc123.js'), 'export {}')
      const app = new Hono()
      mountWebClient(app, root)
      const missing = await app.request('/assets/app-old999.js')
      expect(missing.status).toBe(404)
      expect(missing.headers.get('cache-control') ?? '').not.toContain('immutable')
      const present = await app.request('/assets/app-abc123.js')
      expect(present.status).toBe(200)
      expect(present.headers.get('cache-control')).toContain('immutable')
      const page = await app.request('/grid/440904004')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<title>Gridscope</title>')
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('scope-dependent JSON is private', async () => {
    const app = createApp(db)
    const cookie = await signIn(db, 'town_leader', '440904004')
    for (const path of ['/api/incidents?limit=1', '/api/grids/440904004', '/api/incidents/summary?range=7d', '/api/auth/me']) {
      const res = await app.request(path, { headers: { cookie } })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('cache-control'), path).toMatch(/private|no-store/)
    }
  })
})

/** A user of its own (others' tests share the test users), signed in; returns its name and cookie. */
async function ownUser(role = 'analyst'): Promise<{ name: string; cookie: string }> {
  const name = `robust-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`
  const [user] = await db.sql<{ id: number }[]>`
    insert into app_user (username, password_hash, role, scope) values (${name}, ${DUMMY_HASH}, ${role}, '440904') returning id`
  return { name, cookie: cookieOf((await createSession(db.sql, { userId: user!.id }, 3_600_000)).token) }
}

/** Opens a live stream and resolves `ended` when the server ends it. */
async function openLive(url: string, cookie: string) {
  const res = await fetch(url + '/api/live', { headers: { cookie } })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const ended = (async () => {
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true
  })()
  return { ended, cancel: () => reader.cancel().catch(() => {}) }
}

describe('live streams and sessions', () => {
  it('end when the session is signed out or the user disabled, without waiting for the periodic check', { timeout: 30_000 }, async () => {
    const served = await serveApp(db, { access: { sessionRecheckMs: 3_600_000 } })
    try {
      const out = await ownUser()
      const live = await openLive(served.url, out.cookie)
      const logout = await fetch(served.url + '/api/auth/logout', { method: 'POST', headers: { cookie: out.cookie, 'sec-fetch-site': 'same-origin' } })
      expect(logout.status).toBe(204)
      expect(await live.ended).toBe(true)

      const disabled = await ownUser()
      const second = await openLive(served.url, disabled.cookie)
      await disableUser(db.sql, disabled.name)
      expect(await second.ended).toBe(true)
    } finally {
      await served.close()
    }
  })

  // Another process's change arrives by NOTIFY, which the embedded database does not deliver
  // across its connections (and only one process can open it).
  it.skipIf(inject('databaseMode') !== 'external')('end when another process disables the user', { timeout: 90_000 }, async () => {
    const api = await startApiProcess()
    try {
      const user = await ownUser()
      const live = await openLive(api.url.replace(/\/$/, ''), user.cookie)
      await disableUser(db.sql, user.name) // this test process is the "other process"
      expect(await live.ended).toBe(true)
    } finally {
      api.child.kill('SIGKILL')
    }
  })
})

describe('shutdown', () => {
  // A second process on the embedded database would share its one session with this test run's
  // own connection; the shutdown itself is the same code on both databases.
  it.skipIf(inject('databaseMode') !== 'external')('SIGTERM ends open streams and exits', { timeout: 90_000 }, async () => {
    const api = await startApiProcess({ STREAM_WRITE_TIMEOUT_MS: '600000' })
    const base = api.url.replace(/\/$/, '')
    const user = await ownUser()
    const live = await openLive(base, user.cookie)
    const stalled = await stalledGet(base, '/api/incidents/export?format=geojson', user.cookie)
    await waitUntil(async () => (await fetch(base + '/api/health')).status === 200, 10_000, 'health')
    const exited = new Promise<number | null>((resolve) => api.child.once('exit', (code) => resolve(code)))
    api.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(await live.ended).toBe(true)
    stalled.destroy()
  })
})
