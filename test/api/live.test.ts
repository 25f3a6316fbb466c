import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { commanderApp, withCookie } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'
import { SseReader } from '../support/sse.ts'
import { startApiProcess } from '../support/api-process.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

/** A village only this file reports into, so events from other tests do not mix in. */
let grid: string
let point: { lon: number; lat: number }
beforeAll(async () => {
  const town = await (await app.request('/api/grids/440904126')).json()
  const village = await (await app.request(`/api/grids/${town.children.at(-1).code}`)).json()
  grid = village.code
  point = { lon: village.labelPoint[0], lat: village.labelPoint[1] }
})

async function report(base: { request(path: string, init?: RequestInit): Promise<Response> | Response }, title: string) {
  const res = await base.request('/api/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'environment.garbage', severity: 1, title, location: point }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number }
}

async function openLive(path: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const res = await app.request(path, { headers, signal: controller.signal })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  return new SseReader(res, controller)
}

describe('GET /api/live', () => {
  it('pushes each new event once, in order, with the event id as SSE id', async () => {
    const live = await openLive(`/api/live?grid=${grid}`)
    const created = [await report(app, '直播一'), await report(app, '直播二'), await report(app, '直播三')]
    const events = await live.waitFor((e) => e.length >= 3)
    expect(events.map((e) => e.data.incidentId)).toEqual(created.map((c) => c.id))
    expect(events.every((e) => e.id === e.data.id && e.data.action === 'report')).toBe(true)
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b))
    await live.close()
  })

  it('replays exactly what a reconnecting client missed, from Last-Event-ID', async () => {
    const first = await openLive(`/api/live?grid=${grid}`)
    await report(app, '断线前')
    const [seen] = await first.waitFor((e) => e.length >= 1)
    await first.close()
    const missed = [await report(app, '断线中一'), await report(app, '断线中二')]
    const transition = await app.request(`/api/incidents/${missed[0]!.id}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'register' }),
    })
    expect(transition.status).toBe(200)
    const again = await openLive(`/api/live?grid=${grid}`, { 'last-event-id': String(seen!.id) })
    const after = await report(app, '重连后')
    const events = await again.waitFor((e) => e.some((x) => x.data.incidentId === after.id))
    expect(events.map((e) => [e.data.incidentId, e.data.action])).toEqual([
      [missed[0]!.id, 'report'],
      [missed[1]!.id, 'report'],
      [missed[0]!.id, 'register'],
      [after.id, 'report'],
    ])
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    await again.close()
  })

  it('only sends events of the requested subtree', async () => {
    const live = await openLive(`/api/live?grid=${grid}`)
    const elsewhere = await (await app.request('/api/grids/440904004204')).json()
    await app.request('/api/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'environment.garbage',
        severity: 1,
        title: '别处',
        location: { lon: elsewhere.labelPoint[0], lat: elsewhere.labelPoint[1] },
      }),
    })
    const mine = await report(app, '本网格')
    const events = await live.waitFor((e) => e.some((x) => x.data.incidentId === mine.id))
    expect(events.every((e) => e.data.incident.gridCode.startsWith(grid))).toBe(true)
    await live.close()
  })

  it('answers 400 for a malformed Last-Event-ID or grid', async () => {
    expect((await app.request('/api/live', { headers: { 'last-event-id': 'abc' } })).status).toBe(400)
    expect((await app.request('/api/live?grid=123')).status).toBe(400)
  })
})

// Several API processes share one database only on an external PostgreSQL (NOTIFY between
// processes); the embedded database belongs to the one process that opened it.
describe.skipIf(inject('databaseMode') !== 'external')('two API processes on one PostgreSQL', () => {
  it('both deliver every event, whichever process it was committed through', { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([startApiProcess(), startApiProcess()])
    try {
      const readers = await Promise.all(
        [a, b].map(async ({ url }) => {
          const controller = new AbortController()
          const res = await fetch(`${url}/api/live?grid=${grid}`, { signal: controller.signal, headers: { cookie: app.cookie } })
          return new SseReader(res, controller)
        }),
      )
      const via = (url: string) => ({ request: (path: string, init?: RequestInit) => fetch(url + path, withCookie(init, app.cookie)) })
      const ids: number[] = []
      for (let i = 0; i < 10; i++) ids.push((await report(via(i % 2 ? a.url : b.url), `双进程 ${i}`)).id)
      for (const reader of readers) {
        const events = await reader.waitFor((e) => ids.every((id) => e.some((x) => x.data.incidentId === id)))
        expect(events.filter((e) => ids.includes(e.data.incidentId)).map((e) => e.data.incidentId)).toEqual(ids)
        await reader.close()
      }
    } finally {
      a.child.kill('SIGKILL')
      b.child.kill('SIGKILL')
    }
  })
})
