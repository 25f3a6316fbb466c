/**
 * Several API processes on one PostgreSQL, behind nginx with the product's own configuration
 * (deploy/nginx/gridscope.conf): sessions, rate limits, live streams per session and idempotency
 * keys hold across processes; a report through one process reaches live clients of the other; the
 * nginx configuration caches only what is the same for every viewer, passes the live feed through
 * and gzips; one process killed, its live clients reconnect through nginx and replay what they
 * missed (Last-Event-ID), every event once and in order.
 */
import { randomUUID } from 'node:crypto'
import { execFileSync, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addUser } from '../../server/access/accounts.ts'
import { readConfig } from '../../server/config.ts'
import { signIn as sessionFor } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'
import { startApiProcess } from '../support/api-process.ts'
import { hasNginx, startNginx, type RunningNginx } from '../support/nginx.ts'
import { SseReader } from '../support/sse.ts'

// Several API processes share one PostgreSQL; the embedded database belongs to the one process
// that opened it, so none of this applies there (WORKERS > 1 refuses to start without DATABASE_URL).
// nginx: Debian's package (.ci/run installs it).
const external = inject('databaseMode') === 'external'
describe.skipIf(!external || !hasNginx)('several API processes behind nginx (PostgreSQL; Debian nginx)', () => {
  const db = connectTestDatabase()
  let a: { url: string; child: ChildProcess }
  let b: { url: string; child: ChildProcess }
  let nginx: RunningNginx
  const password = `scale-${randomUUID()}`
  const username = `scale-${Date.now()}`
  let grid: string
  let point: { lon: number; lat: number }

  beforeAll(async () => {
    // The processes read the client's address from nginx (and from the test: both on loopback).
    const env = { TRUSTED_PROXIES: '127.0.0.1', LOGIN_RATE_LIMIT_PER_MINUTE: '10' }
    ;[a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)])
    nginx = await startNginx([a.url, b.url])
    await addUser(db.sql, { username, role: 'commander', password })
    // A village only this file reports into, so other tests' events do not mix in.
    const [row] = await db.sql<{ code: string; lon: number; lat: number }[]>`
      select code, ST_X(label_point) as lon, ST_Y(label_point) as lat
      from grid_cell where level = 3 and code like '440904453%' order by code desc limit 1`
    grid = row!.code
    point = { lon: row!.lon, lat: row!.lat }
  }, 240_000)

  afterAll(async () => {
    a?.child.kill('SIGKILL')
    b?.child.kill('SIGKILL')
    await nginx?.stop()
    await db.close()
  })

  async function signIn(base: string, address = '127.0.0.1'): Promise<string> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ username, password }),
    })
    expect(res.status).toBe(200)
    return /gridscope_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0]
  }

  const get = (base: string, path: string, cookie?: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { headers: { ...(cookie ? { cookie } : {}), ...headers } })

  /**
   * Reports as the phone's send queue does: with an Idempotency-Key, sent again while the answer is
   * a 502 (nginx does not repeat a POST that reached a process which then died; the client does,
   * and the key makes the repeat the same report).
   */
  async function report(base: string, cookie: string, title: string, key = randomUUID()) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}/api/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'idempotency-key': key },
        body: JSON.stringify({ category: 'environment.garbage', severity: 1, title, location: point }),
      })
      if (res.status === 502 && attempt < 3) continue
      expect(res.status).toBeLessThan(300)
      return ((await res.json()) as { id: number }).id
    }
  }

  function live(base: string, cookie: string, lastEventId?: number) {
    const controller = new AbortController()
    const headers: Record<string, string> = { cookie, ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}) }
    return fetch(`${base}/api/live?grid=${grid}`, { headers, signal: controller.signal }).then((res) => ({ res, controller }))
  }

  it('a session opened through one process is known to the other, and a logout through either ends it in both', async () => {
    const cookie = await signIn(a.url)
    expect((await get(b.url, '/api/auth/me', cookie)).status).toBe(200)
    expect((await get(nginx.url, '/api/auth/me', cookie)).status).toBe(200)
    // A live stream through A ends when the session is ended through B.
    const { res, controller } = await live(a.url, cookie)
    expect(res.status).toBe(200)
    const stream = new SseReader(res, controller, undefined, ['ready'])
    await stream.waitFor((e) => e.length === 1)
    expect((await fetch(`${b.url}/api/auth/logout`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' } })).status).toBeLessThan(300)
    await expect.poll(async () => (await get(a.url, '/api/auth/me', cookie)).status).toBe(401)
    // The stream's body ends (read returns done) without the test aborting it.
    await expect(stream.ended()).resolves.toBe(true)
  })

  it('sign-in attempts are counted once for all processes', async () => {
    // A made-up client address of this run, so no other test's attempts count with these.
    const address = `198.51.100.${1 + Math.floor(Math.random() * 250)}`
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const base = i % 2 ? a.url : b.url
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ username, password: 'wrong-password' }),
      })
      statuses.push(res.status)
    }
    // Ten attempts per address and username per minute in all, not ten per process.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toEqual([429, 429])
  })

  it('live streams per session are counted once for all processes', async () => {
    const cookie = await signIn(a.url)
    const open = []
    for (let i = 0; i < 4; i++) open.push(await live(i % 2 ? a.url : b.url, cookie))
    expect(open.map((o) => o.res.status)).toEqual([200, 200, 200, 200])
    const fifth = await live(b.url, cookie)
    expect(fifth.res.status).toBe(429)
    expect(fifth.res.headers.get('retry-after')).toBeTruthy()
    for (const o of open) o.controller.abort()
    // Closed streams free their slots.
    await expect
      .poll(async () => {
        const again = await live(a.url, cookie)
        again.controller.abort()
        return again.res.status
      })
      .toBe(200)
  })

  it('an Idempotency-Key sent to both processes at once stores one report', async () => {
    const cookie = await signIn(a.url)
    const key = randomUUID()
    const ids = await Promise.all([report(a.url, cookie, '幂等 跨进程', key), report(b.url, cookie, '幂等 跨进程', key)])
    expect(ids[0]).toBe(ids[1])
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from incident where idempotency_key like ${`%${key}%`}`
    expect(row!.n).toBe(1)
  })

  it('nginx caches only answers the same for every viewer, gzips, and asks anonymous requests to sign in', async () => {
    const cookie = await signIn(nginx.url)
    // The category tree is public: the second request is answered from the cache.
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await get(nginx.url, '/api/categories', cookie)).headers.get('x-cache-status'))
    expect(statuses).toContain('HIT')
    // Without a session it is not served from the cache: the API asks for a sign-in.
    const anonymous = await get(nginx.url, '/api/categories')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('x-cache-status')).not.toBe('HIT')
    // The TileJSON names the grid's generation, which an import changes: revalidated, never kept.
    const tileJson = []
    for (let i = 0; i < 2; i++) tileJson.push((await get(nginx.url, '/tiles/grids.json', cookie)).headers.get('x-cache-status'))
    expect(tileJson).not.toContain('HIT')
    // Tiles carry incident figures of the viewer's scope: private, never from the shared cache.
    const tile = []
    for (let i = 0; i < 3; i++) {
      const res = await get(nginx.url, '/tiles/grids/10/829/449.mvt', cookie, { 'accept-encoding': 'gzip' })
      expect(res.headers.get('cache-control')).toMatch(/^private/)
      tile.push(res.headers.get('x-cache-status'))
    }
    expect(tile).not.toContain('HIT')
    // The same for an API answer; JSON is gzipped on the way.
    const grids = await get(nginx.url, '/api/grids/440904', cookie, { 'accept-encoding': 'gzip' })
    expect(grids.status).toBe(200)
    expect(grids.headers.get('content-encoding')).toBe('gzip')
    expect(grids.headers.get('x-cache-status')).not.toBe('HIT')
    // /metrics is for this machine: each process answers on loopback, nginx does not pass it on.
    expect((await get(nginx.url, '/metrics', cookie)).status).toBe(404)
    const metrics = await get(a.url, '/metrics')
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toContain('gridscope_live_clients')
  })

  it('nginx keeps the geometry tiles for every viewer and every process, never a figures tile, never for a request without a session', async () => {
    const cookie = await signIn(nginx.url)
    // The TileJSON names the revision; its host is nginx's $host (no port here), so only its path is used.
    const template = (await (await get(nginx.url, '/tiles/geometry.json', cookie)).json()).tiles[0] as string
    const path = (z: number, x: number, y: number) => new URL(template.replace('{z}', `${z}`).replace('{x}', `${x}`).replace('{y}', `${y}`)).pathname
    const tile = path(10, 829, 449)
    // Both processes build the very same tile: whichever built the cached copy, it is right for all.
    const [fromA, fromB] = await Promise.all([get(a.url, tile, cookie), get(b.url, tile, cookie)])
    expect(fromA.status).toBe(200)
    expect(fromA.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(fromB.headers.get('etag')).toBe(fromA.headers.get('etag'))
    const built = new Uint8Array(await fromA.arrayBuffer())
    expect(new Uint8Array(await fromB.arrayBuffer())).toEqual(built)

    // Through nginx: the first request goes to a process, the second is answered from the cache
    // although nginx's turn has moved on to the other process (the uncached request after it goes there).
    const first = await get(nginx.url, tile, cookie)
    expect(first.headers.get('x-cache-status')).toBe('MISS')
    const second = await get(nginx.url, tile, cookie)
    expect(second.headers.get('x-cache-status')).toBe('HIT')
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(built)
    const figures = '/tiles/grids/10/829/449.mvt'
    expect((await get(nginx.url, figures, cookie)).headers.get('cache-control')).toMatch(/^private/)
    const log = await nginx.accessLog()
    const answered = (uri: string) => log.filter((line) => line.uri === uri)
    const [built1, hit] = answered(tile)
    expect(built1!.cache).toBe('MISS')
    expect(hit).toMatchObject({ upstream: '-', cache: 'HIT' })
    expect([a.url, b.url].map((u) => new URL(u).host)).toContain(built1!.upstream)
    expect(answered(figures).at(-1)!.upstream).not.toBe(built1!.upstream)
    // Another viewer (a town's leader, other scope) gets the cached copy as well.
    const leaderCookie = await sessionFor(db, 'town_leader', '440904004')
    expect((await get(nginx.url, tile, leaderCookie)).headers.get('x-cache-status')).toBe('HIT')

    // A figures tile (the viewer's scope) is never kept, however often it is asked for.
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await get(nginx.url, figures, cookie)).headers.get('x-cache-status'))
    expect(statuses).not.toContain('HIT')
    // Without a session the cached tile is not served: the API asks for a sign-in.
    const anonymous = await get(nginx.url, tile)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('x-cache-status')).not.toBe('HIT')
    // A past revision's redirect is not kept either (the next import moves it on).
    const revision = Number(/\/tiles\/geometry\/(\d+)\//.exec(tile)![1])
    if (revision > 0) {
      const moved = await fetch(`${nginx.url}${path(10, 830, 449).replace(`/${revision}/`, `/${revision - 1}/`)}`, { headers: { cookie }, redirect: 'manual' })
      expect(moved.status).toBe(302)
      expect(moved.headers.get('x-cache-status')).not.toBe('HIT')
    }
  })

  it('a grid import is kept in the database: every process answers it, an import running in one holds uploads to all, a file past the photo limit reaches the API', async () => {
    const cookie = await signIn(nginx.url)
    // A county of one cell, as GeoJSON: read at once, checked in the background by the process that took it.
    const county = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '445997', name: '转发测试县', level: 1 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [112.0, 21.0],
                [112.01, 21.0],
                [112.01, 21.01],
                [112.0, 21.01],
                [112.0, 21.0],
              ],
            ],
          },
        },
      ],
    }
    const started = await fetch(`${nginx.url}/api/imports/grid?filename=county.geojson`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/geo+json' },
      body: JSON.stringify(county),
    })
    expect(started.status, await started.clone().text()).toBe(202)
    const { id } = (await started.json()) as { id: string }
    // nginx balances imports like the rest; each process reads the import from the database.
    const polls = []
    for (let i = 0; i < 4; i++) polls.push((await get(nginx.url, `/api/imports/grid/${id}`, cookie)).status)
    for (const base of [a.url, b.url]) polls.push((await get(base, `/api/imports/grid/${id}`, cookie)).status)
    expect(polls).toEqual([200, 200, 200, 200, 200, 200])
    // One import at a time: the next upload waits for this one's check.
    const stateOf = async () => ((await (await get(nginx.url, `/api/imports/grid/${id}`, cookie)).json()) as { state: string }).state
    await expect.poll(stateOf, { timeout: 60_000 }).not.toBe('checking')
    // Checked by one process, the same answer from both: its plan and its problems.
    const [fromA, fromB] = await Promise.all([a.url, b.url].map(async (base) => (await get(base, `/api/imports/grid/${id}`, cookie)).json()))
    expect(fromA).toMatchObject({ id, state: 'checked', cells: 1, plan: { roots: ['445997'], added: 1 } })
    expect(fromB).toEqual(fromA)
    expect((await get(b.url, `/api/imports/grid/${id}/problems`, cookie)).status).toBe(200)
    // An import being checked elsewhere (its heartbeat fresh) holds every process's uploads.
    const running = randomUUID()
    await db.sql`insert into grid_import (id, state, status) values (${running}, 'checking', ${db.sql.json({ ...fromA, id: running, state: 'checking' })})`
    try {
      for (const base of [a.url, b.url]) {
        const refused = await fetch(`${base}/api/imports/grid?filename=county.geojson`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/geo+json' },
          body: JSON.stringify(county),
        })
        expect(refused.status).toBe(409)
        expect(await refused.json()).toMatchObject({ running })
      }
    } finally {
      await db.sql`delete from grid_import where id = ${running}`
    }
    // 12 MB, past the 11 MB the other routes take: the API judges it (unreadable, 422 problem+json), not nginx (413).
    const big = await fetch(`${nginx.url}/api/imports/grid?filename=big.geojson`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(12 * 1024 * 1024).fill(0x20),
    })
    expect(big.headers.get('content-type'), await big.clone().text()).toContain('application/problem+json')
    expect(big.status, await big.clone().text()).toBe(422)
  })

  it('a report through one process reaches live clients connected through the other and through nginx', async () => {
    const cookie = await signIn(nginx.url)
    const readers = await Promise.all(
      [a.url, b.url, nginx.url].map(async (base) => {
        const { res, controller } = await live(base, cookie)
        expect(res.status).toBe(200)
        return new SseReader(res, controller)
      }),
    )
    try {
      const ids = [await report(a.url, cookie, '跨进程 A'), await report(b.url, cookie, '跨进程 B'), await report(nginx.url, cookie, '跨进程 nginx')]
      for (const reader of readers) {
        const events = await reader.waitFor((e) => ids.every((id) => e.some((x) => x.data.incidentId === id)))
        expect(events.filter((e) => ids.includes(e.data.incidentId)).map((e) => e.data.incidentId)).toEqual(ids)
      }
    } finally {
      for (const reader of readers) await reader.close()
    }
  })

  it('one process killed: its live clients reconnect through nginx and replay without a missed event', { timeout: 120_000 }, async () => {
    const cookie = await signIn(nginx.url)
    // Four clients through nginx: round robin puts two on each process.
    const clients = [0, 1, 2, 3].map(() => followThroughNginx(nginx.url, grid, cookie))
    try {
      await Promise.all(clients.map((client) => client.connected))
      const first = await report(nginx.url, cookie, '切换前')
      for (const client of clients) await client.waitFor([first])
      a.child.kill('SIGKILL')
      // Reports while the killed process's clients are away, through the process left.
      const ids = [first]
      for (let i = 0; i < 6; i++) ids.push(await report(nginx.url, cookie, `切换中 ${i}`))
      for (const client of clients) await client.waitFor(ids)
      // Some clients were on the killed process and had to reconnect.
      expect(clients.reduce((n, c) => n + c.connections, 0)).toBeGreaterThan(clients.length)
      // The dead process's stream slots are freed with its database connection; a reconnection in
      // the instant before PostgreSQL has seen it go may still be refused (429) and is repeated.
      expect(clients.flatMap((c) => c.refused).filter((s) => s !== 429)).toEqual([])
      for (const client of clients) {
        const seen = client.ids.filter((id) => ids.includes(id))
        // Every event once, in order: the first (seen before the kill by all) and those after.
        expect(seen).toEqual(ids)
      }
    } finally {
      for (const client of clients) client.stop()
    }
  })
})

/**
 * A live client as the web's live feed is: it reconnects when its stream ends and resumes with
 * Last-Event-ID. `ids` are the incident ids of its events in arrival order.
 */
function followThroughNginx(base: string, grid: string, cookie: string) {
  const client = {
    ids: [] as number[],
    connections: 0,
    /** Statuses of reconnections that were refused. */
    refused: [] as number[],
    stopped: false,
    controller: null as AbortController | null,
    connected: null as unknown as Promise<void>,
    async waitFor(ids: number[]) {
      const deadline = Date.now() + 60_000
      while (!ids.every((id) => client.ids.includes(id))) {
        if (Date.now() > deadline) throw new Error(`live client: got ${client.ids.join(',')}, waited for ${ids.join(',')}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    stop() {
      client.stopped = true
      client.controller?.abort()
    },
  }
  let lastEventId: string | undefined
  let markConnected!: () => void
  client.connected = new Promise((resolve) => (markConnected = resolve))
  void (async () => {
    while (!client.stopped) {
      client.controller = new AbortController()
      try {
        const res = await fetch(`${base}/api/live?grid=${grid}`, {
          headers: { cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal: client.controller.signal,
        })
        if (res.status !== 200) {
          client.refused.push(res.status)
          throw new Error(`live: ${res.status}`)
        }
        client.connections++
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const fields = Object.fromEntries(
              buffer
                .slice(0, end)
                .split('\n')
                .filter((l) => l && !l.startsWith(':'))
                .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
            )
            buffer = buffer.slice(end + 2)
            if (fields.event === 'ready') markConnected()
            if (fields.id) lastEventId = fields.id
            if (fields.event === 'incident') client.ids.push(JSON.parse(fields.data!).incidentId)
          }
        }
      } catch {
        // cut off (the process died) or stopped by the test
      }
      // The web client waits with backoff; the test reconnects at once.
    }
  })()
  return client
}

describe('WORKERS', () => {
  it('more than one needs DATABASE_URL: the embedded database belongs to one process', () => {
    expect(() => readConfig({ WORKERS: '2' })).toThrow(/WORKERS=2 needs DATABASE_URL/)
    expect(readConfig({ WORKERS: '2', DATABASE_URL: 'postgres://127.0.0.1/x' }).WORKERS).toBe(2)
  })

  it.skipIf(!external)('WORKERS=2 serves one port from two processes and replaces one that dies (PostgreSQL only)', { timeout: 180_000 }, async () => {
    const server = await startApiProcess({ WORKERS: '2' })
    try {
      // The primary's node children: the workers (not the TypeScript loader's esbuild service).
      const workers = () =>
        execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(server.child.pid)], { encoding: 'utf8' })
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .filter(([pid, command]) => pid && command === 'node')
          .map(([pid]) => Number(pid))
      await expect.poll(workers, { timeout: 30_000 }).toHaveLength(2)
      const [victim, survivor] = workers()
      process.kill(victim!, 'SIGKILL')
      // A new process takes the dead one's place, and the port answers (a request handed to the
      // dying process in the moment before the primary hears of it is lost: node:cluster's limit).
      await expect.poll(() => workers().filter((pid) => pid !== victim), { timeout: 60_000 }).toEqual(expect.arrayContaining([survivor, expect.any(Number)]))
      const answer = () =>
        fetch(`${server.url}/api/meta`, { signal: AbortSignal.timeout(5000) }).then(
          (r) => r.status,
          (e: Error) => e.name,
        )
      for (let i = 0; i < 4; i++) await expect.poll(answer, { timeout: 30_000 }).toBe(200)
    } finally {
      server.child.kill('SIGTERM')
    }
  })
})
