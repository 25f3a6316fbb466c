/**
 * The incidents API: categories, reporting (idempotent), listing with filters and keyset
 * pagination, one incident with its timeline, workflow transitions, and the live SSE feed.
 */
import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { validate } from '../http/validate.ts'
import { categoryTree } from './categories.ts'
import type { LiveHub } from './live.ts'
import { getIncident, getTimeline, listIncidents } from './queries.ts'
import { narrowPrefix, scopeFilter, viewerOf, viewerScope } from '../access/scope.ts'
import { applyTransition, createIncident } from './service.ts'
import { IncidentIdParams, IncidentQuery, LiveQuery, NewIncidentBody, TransitionBody } from './types.ts'

const HEARTBEAT_MS = 15_000
const IDEMPOTENCY_KEY = /^[\w.:-]{8,200}$/

export function categoryRoutes(sql: Sql) {
  return new Hono().get('/', async (c) => c.json({ categories: await categoryTree(sql) }, 200, { 'cache-control': 'public, max-age=300' }))
}

export function incidentRoutes(sql: Sql) {
  return new Hono()
    .get('/', validate('query', IncidentQuery), async (c) => c.json(await listIncidents(sql, scopeFilter(c, c.req.valid('query')))))
    .post('/', validate('json', NewIncidentBody), async (c) => {
      const key = c.req.header('idempotency-key')
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new HttpProblem(400, 'Invalid request', 'Invalid header: Idempotency-Key. Expected 8 to 200 letters, digits or . _ : -', [
          { name: 'Idempotency-Key', reason: 'Expected 8 to 200 letters, digits or . _ : -' },
        ])
      }
      const viewer = viewerOf(c)
      const { incident, created } = await createIncident(sql, c.req.valid('json'), { actor: viewer.name, scope: viewer.scope, idempotencyKey: key })
      return c.json(incident, 201, created ? {} : { 'idempotent-replayed': 'true' })
    })
    .get('/:id', validate('param', IncidentIdParams), async (c) => {
      const { id } = c.req.valid('param')
      const incident = await getIncident(sql, id, viewerScope(c))
      if (!incident) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
      return c.json({ ...incident, timeline: await getTimeline(sql, id) })
    })
    .post('/:id/transitions', validate('param', IncidentIdParams), validate('json', TransitionBody), async (c) => {
      const viewer = viewerOf(c)
      const incident = await applyTransition(sql, c.req.valid('param').id, c.req.valid('json'), viewer.name, viewer.scope)
      return c.json(incident)
    })
}

/** `stillSignedIn`: checked every `recheckMs`; a stream whose session has ended (logout, revoked wall token) is closed. */
export function liveRoutes(hub: LiveHub, session?: { stillSignedIn(c: Context): Promise<boolean>; recheckMs: number }) {
  return new Hono().get('/', validate('query', LiveQuery), async (c) => {
    const query = c.req.valid('query')
    const header = c.req.header('last-event-id')
    if (header !== undefined && !/^[0-9]{1,16}$/.test(header)) {
      throw new HttpProblem(400, 'Invalid request', 'Invalid header: Last-Event-ID. Expected an event id as sent in the id field.', [
        { name: 'Last-Event-ID', reason: 'Expected an event id as sent in the id field.' },
      ])
    }
    const lastEventId = header ?? query.lastEventId
    // The stream carries only the viewer's subtree; a grid outside it streams nothing.
    const grid = narrowPrefix(viewerScope(c), query.grid)
    c.header('x-accel-buffering', 'no') // nginx: do not buffer the stream
    return streamSSE(c, async (stream) => {
      let closed = false
      let finish!: () => void
      const done = new Promise<void>((resolve) => (finish = () => {
        closed = true
        resolve()
      }))
      stream.onAbort(finish)
      await stream.writeSSE({ event: 'ready', data: '{}', retry: 2000 })
      const detach = grid === null ? () => {} : await hub.attach({
        grid,
        cursor: lastEventId === undefined ? null : Number(lastEventId),
        send: (event) => (closed ? Promise.resolve() : stream.writeSSE({ id: String(event.id), event: 'incident', data: JSON.stringify(event) })),
        // Too far behind or broken: end the stream; the client reconnects with Last-Event-ID.
        drop: finish,
      })
      const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n').catch(() => {}), HEARTBEAT_MS)
      const recheck = session && setInterval(() => void session.stillSignedIn(c).then((ok) => ok || finish(), () => {}), session.recheckMs)
      await done
      clearInterval(heartbeat)
      clearInterval(recheck)
      detach()
    })
  })
}
