/**
 * Reports that arrive together are written together (one statement per group): each still gets
 * exactly its own answer — created, replayed for a reused key, or refused — and exactly one
 * incident and one `report` event, in event-id order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

let point: { lon: number; lat: number }
beforeAll(async () => {
  const village = await (await app.request('/api/grids/440904004204')).json()
  point = { lon: village.labelPoint[0], lat: village.labelPoint[1] }
})

const post = (body: unknown, key?: string) =>
  app.request('/api/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  })

describe('reports written in groups', () => {
  it('answer each report on its own and store each exactly once', async () => {
    const run = `group-${Date.now()}`
    const valid = (i: number) => ({ category: 'environment.garbage', severity: 1 + (i % 4), title: `${run} ${i}`, location: point })
    const requests = [
      ...Array.from({ length: 40 }, (_, i) => post(valid(i), `${run}-k${i}`)),
      ...Array.from({ length: 10 }, (_, i) => post(valid(100 + i))), // no key
      post({ ...valid(200), category: 'environment.unknown' }, `${run}-bad-category`),
      post({ ...valid(201), location: { lon: 100, lat: 30 } }, `${run}-outside`),
      post(valid(300), `${run}-twice`),
      post(valid(300), `${run}-twice`),
      post({ ...valid(300), title: `${run} other body` }, `${run}-twice`),
    ]
    const responses = await Promise.all(requests)
    const bodies = await Promise.all(responses.map((r) => r.json()))
    const statuses = responses.map((r) => r.status)

    expect(statuses.slice(0, 50)).toEqual(Array(50).fill(201))
    bodies.slice(0, 50).forEach((b, i) => expect(b.title).toBe(`${run} ${i < 40 ? i : 100 + i - 40}`))
    expect(statuses[50]).toBe(422)
    expect(bodies[50].invalidParams[0].name).toBe('category')
    expect(statuses[51]).toBe(422)
    expect(bodies[51].invalidParams[0].name).toBe('location')
    // The same key twice with the same body: one incident, both answered with it; a different body: 422.
    expect(statuses.slice(52, 54)).toEqual([201, 201])
    expect(bodies[52].id).toBe(bodies[53].id)
    expect(responses.slice(52, 54).filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(1)
    expect(statuses[54]).toBe(422)
    expect(bodies[54].invalidParams[0].name).toBe('Idempotency-Key')

    const stored = await db.sql<{ id: number; title: string; severity: number; events: number; event_id: number }[]>`
      select i.id, i.title, i.severity, count(e.id) as events, min(e.id) as event_id
      from incident i left join incident_event e on e.incident_id = i.id and e.action = 'report'
      where i.title like ${run + ' %'} group by i.id order by i.id`
    expect(stored.map((s) => s.title).sort()).toEqual(
      bodies
        .slice(0, 51)
        .filter((_, i) => i < 50)
        .map((b) => b.title)
        .concat(`${run} 300`)
        .sort(),
    )
    expect(stored.every((s) => s.events === 1)).toBe(true)
    // Each answer is its own row: same id, same severity as asked.
    for (const body of bodies.slice(0, 50)) {
      expect(stored.find((s) => s.id === body.id)).toMatchObject({ title: body.title, severity: body.severity })
    }
    // Events follow incident ids within the run: the feed replays reports in the order they were stored.
    const eventIds = stored.map((s) => s.event_id)
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b))
  })
})
