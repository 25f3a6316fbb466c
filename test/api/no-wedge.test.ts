/**
 * No request can wedge the API. Each attack runs concurrently with ordinary traffic, and then a
 * health check and an ordinary request must answer: exports that are never read (HEAD, stalled
 * readers), inputs that used to break the embedded database (dates before year 1, unpaired
 * surrogates, forged cursors) and replay storms from Last-Event-ID 0.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { REPLAY_WINDOW } from '../../server/incidents/live.ts'
import { LiveHub } from '../../server/incidents/live.ts'
import { signIn } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'
import { stalledGet, waitUntil } from '../support/raw-http.ts'
import { serveApp } from '../support/serve-app.ts'

const db = connectTestDatabase()
const hub = new LiveHub(db.sql)
const WRITE_TIMEOUT_MS = 800
const served = await serveApp(db, { liveHub: hub, streams: { writeTimeoutMs: WRITE_TIMEOUT_MS }, access: { writesPerMinute: 100_000 } })
const commander = await signIn(db)
afterAll(async () => {
  await served.close()
  await hub.stop()
  await db.close()
})

const get = (path: string, cookie = commander, init: RequestInit = {}) =>
  fetch(served.url + path, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } })

/** The health check and an ordinary list request both answer, with the right content. */
async function expectServing(): Promise<void> {
  const health = await get('/api/health')
  expect(health.status).toBe(200)
  expect((await health.json()).status).toBe('ok')
  const list = await get('/api/incidents?limit=3&grid=440904004')
  expect(list.status).toBe(200)
  const page = await list.json()
  expect(page.items).toHaveLength(3)
  expect(page.items.every((i: { gridCode: string }) => i.gridCode.startsWith('440904004'))).toBe(true)
}

let point: { lon: number; lat: number }
beforeAll(async () => {
  const village = await (await get('/api/grids/440904004001')).json()
  point = { lon: village.labelPoint[0], lat: village.labelPoint[1] }
})

describe('exports nobody reads', () => {
  it('HEAD answers the headers without holding anything, twelve times over', async () => {
    const heads = await Promise.all(Array.from({ length: 12 }, () => get('/api/incidents/export?format=csv', commander, { method: 'HEAD' })))
    for (const res of heads) {
      expect(res.status).toBe(200)
      expect(Number(res.headers.get('x-total-count'))).toBeGreaterThan(0)
    }
    await expectServing()
  })

  it('limits concurrent exports per user (429), and a reader that goes away gives its slot back', { timeout: 180_000 }, async () => {
    const patient = await serveApp(db, { liveHub: hub, streams: { writeTimeoutMs: 120_000 } })
    try {
      const cookie = await signIn(db, 'analyst')
      const stalled = await Promise.all([0, 1].map(() => stalledGet(patient.url, '/api/incidents/export?format=geojson', cookie)))
      await waitUntil(
        async () => {
          const res = await fetch(patient.url + '/api/incidents/export?format=csv&grid=440904004001', { headers: { cookie } })
          await res.body?.cancel()
          return res.status === 429 && res.headers.get('retry-after') !== null
        },
        90_000,
        'the third export to be refused',
      )
      await expectServing()
      for (const socket of stalled) socket.destroy()
      await waitUntil(
        async () => {
          const res = await fetch(patient.url + '/api/incidents/export?format=csv&grid=440904004001', { headers: { cookie } })
          return res.status === 200 ? (await res.text()).includes('编号 id') : (await res.body?.cancel(), false)
        },
        60_000,
        'the slots to come back',
      )
    } finally {
      await patient.close()
    }
  })

  it('stalled readers are cut off at the write deadline while others are served', { timeout: 120_000 }, async () => {
    const cookie = await signIn(db, 'town_leader', '440904004')
    const stalled = await Promise.all([0, 1].map(() => stalledGet(served.url, '/api/incidents/export?format=geojson', cookie)))
    await Promise.all([expectServing(), expectServing(), expectServing()])
    // The sockets stay open and unread: only the deadline can give the user's two slots back.
    await waitUntil(
      async () => {
        const res = await get('/api/incidents/export?format=csv&grid=440904004001', cookie)
        return res.status === 200 ? (await res.text()).includes('编号 id') : (await res.body?.cancel(), false)
      },
      60_000,
      'the stalled exports to be cut off',
    )
    for (const socket of stalled) socket.destroy()
    await expectServing()
  })
})

describe('inputs that used to break the embedded database', () => {
  it('are 400s naming the field, among concurrent good requests that all get their own answers', async () => {
    const report = (title: string) =>
      fetch(served.url + '/api/incidents', {
        method: 'POST',
        headers: { cookie: commander, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
        body: `{"category":"dispute.neighbour","severity":2,"title":${title},"location":${JSON.stringify(point)}}`,
      })
    const forged = [
      Buffer.from('0000-12-31T00:00:00Z|1').toString('base64url'),
      Buffer.from('99999999999999999999|1').toString('base64url'),
      Buffer.from('1700000000000000|0').toString('base64url'),
      Buffer.from('1700000000000000|99999999999999999').toString('base64url'),
      Buffer.from('garbage').toString('base64url'),
    ]
    const bad: [Promise<Response>, string][] = [
      [get('/api/incidents/summary?to=0001-02-01T00:00:00Z'), 'to'],
      [get('/api/incidents/summary?from=0001-01-02T00:00:00Z&to=0001-03-01T00:00:00Z'), 'from'],
      [get('/api/incidents?from=0000-06-01T00:00:00Z'), 'from'],
      [get('/api/incidents/export?format=csv&to=10000-01-01T00:00:00Z'), 'to'],
      ...forged.map((cursor): [Promise<Response>, string] => [get(`/api/incidents?cursor=${cursor}`), 'cursor']),
      ...[0, 1, 2, 3, 4].map((): [Promise<Response>, string] => [report('"\\ud800 lone"'), 'title']),
      [report('"tail \\udc00"'), 'title'],
    ]
    const titles = Array.from({ length: 15 }, (_, i) => `good report ${Date.now()}-${i}`)
    const good = titles.map((title) => report(JSON.stringify(title)))
    const lists = [0, 1, 2].map(() => get('/api/incidents?limit=5&grid=440904004'))
    for (const [pending, field] of bad) {
      const res = await pending
      expect(res.status, field).toBe(400)
      const problem = await res.json()
      expect(
        problem.invalidParams.map((p: { name: string }) => p.name),
        field,
      ).toContain(field)
    }
    for (const [i, pending] of good.entries()) {
      const res = await pending
      expect(res.status).toBe(201)
      expect((await res.json()).title).toBe(titles[i])
    }
    for (const pending of lists) {
      const page = await (await pending).json()
      expect(page.items).toHaveLength(5)
    }
    await expectServing()
  })

  it('a failed statement leaves the connection usable: pipelined and in a transaction, every other statement gets its own rows', async () => {
    const settle = (p: Promise<{ n: number }[]>) =>
      p.then(
        (rows) => rows[0]?.n ?? 'empty',
        (error: { code: string }) => error.code,
      )
    const results = await Promise.all([
      settle(db.sql`select 1 as n`),
      settle(db.sql`select 1 / (0 * ${2}::int) as n`),
      settle(db.sql`select 3 as n`),
      settle(db.sql`select ${'0000-12-02T00:00:00Z'}::timestamptz::text::int as n`),
      settle(db.sql`select 5 as n`),
    ])
    expect(results).toEqual([1, '22012', 3, '22008', 5])
    const inTransaction = await db.sql
      .begin((tx) => Promise.all([tx`select 6 as n`, tx`select 1 / 0 as n`, tx`select 8 as n`]))
      .then(
        () => 'committed',
        (error) => error.code,
      )
    expect(inTransaction).toBe('22012')
    const after = await Promise.all([settle(db.sql`select 9 as n`), settle(db.sql`select 10 as n`)])
    expect(after).toEqual([9, 10])
  })

  it('a connection that goes away in the middle of a transaction leaves the session to the others', async () => {
    const other = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })
    const reserved = await other.reserve()
    await reserved`begin`
    await reserved`select 1`
    await other.end({ timeout: 0 }) // the socket is destroyed with the transaction open
    const [row] = await db.sql<{ n: number }[]>`select 42 as n`
    expect(row!.n).toBe(42)
    await expectServing()
  })
})

describe('replay storms', () => {
  /** Reads an SSE response until `event: <name>` arrives; returns its data. */
  async function readUntilEvent(res: Response, name: string): Promise<Record<string, unknown>> {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`stream ended before event ${name}`)
      text += value
      const match = new RegExp(`event: ${name}\\ndata: (.*)\\n`).exec(text)
      if (match) return JSON.parse(match[1]!)
    }
  }

  it('thirty clients from Last-Event-ID 0 are told to reload instead of replaying the history, and leave nothing behind', async () => {
    const max = (await db.sql<{ max: number }[]>`select max(id) as max from incident_event`)[0]!.max
    expect(max).toBeGreaterThan(REPLAY_WINDOW) // the demo history is longer than the window
    // Other files write meanwhile and the hub reads their events a moment after they commit: the
    // feed's position is compared once it has reached the newest event at the start.
    hub.poke()
    await waitUntil(() => hub.position >= max, 10_000, 'the hub to read the newest event')
    const cookies = await Promise.all(Array.from({ length: 30 }, () => signIn(db, 'analyst')))
    const controllers = cookies.map(() => new AbortController())
    const streams = cookies.map((cookie, i) => get('/api/live', cookie, { headers: { 'last-event-id': '0' }, signal: controllers[i]!.signal }))
    await Promise.all([expectServing(), expectServing()])
    const resets = await Promise.all(streams.map(async (pending) => readUntilEvent(await pending, 'reset')))
    for (const reset of resets) expect(reset.position).toBeGreaterThanOrEqual(max)
    await expectServing()
    await waitUntil(() => hub.clientCount >= 30, 10_000, 'the clients to join')
    for (const controller of controllers) controller.abort()
    await waitUntil(() => hub.clientCount === 0, 10_000, 'the clients to be gone')
  })

  it('limits the live streams of one session (429 beyond four)', async () => {
    const cookie = await signIn(db, 'analyst')
    const controllers = Array.from({ length: 5 }, () => new AbortController())
    const opened = []
    for (const controller of controllers.slice(0, 4)) {
      const res = await get('/api/live', cookie, { signal: controller.signal })
      expect(res.status).toBe(200)
      opened.push(res)
    }
    const fifth = await get('/api/live', cookie, { signal: controllers[4]!.signal })
    expect(fifth.status).toBe(429)
    expect(fifth.headers.get('retry-after')).toBeTruthy()
    controllers[0]!.abort()
    // One left: another may open.
    await waitUntil(
      async () => {
        const controller = new AbortController()
        const res = await get('/api/live', cookie, { signal: controller.signal })
        controller.abort()
        return res.status === 200
      },
      10_000,
      'a slot to free up',
    )
    for (const controller of controllers) controller.abort()
    await expectServing()
  })
})
