/**
 * The incidents API: categories, reporting (idempotent), listing with filters and keyset
 * pagination, one incident with its timeline, workflow transitions, and the live SSE feed.
 */
import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Sql } from '../db/connect.ts'
import { viewerIdempotencyKey } from '../http/idempotency.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { categoryTree } from './categories.ts'
import type { LiveHub } from './live.ts'
import { getIncident, listIncidents } from './queries.ts'
import { getTimeline } from './timeline.ts'
import { narrowPrefix, scopeFilter, viewerOf, viewerScope } from '../access/scope.ts'
import type { Viewer } from '../access/roles.ts'
import { onSessionsEnded } from '../access/session-events.ts'
import type { StreamSlotSource } from '../access/shared-limits.ts'
import { DEFAULT_STREAM_LIMITS, StreamSlots, trackStream, writeWithin, type StreamLimits } from '../http/stream-guard.ts'
import { createIncident } from './service.ts'
import { actionsForViewer, actOnCase } from './case-actions.ts'
import { assertFinishable, listAttachments } from '../attachments/service.ts'
import { IncidentIdParams, IncidentQuery, LiveQuery, NewIncidentBody, TransitionBody } from './types.ts'

const HEARTBEAT_MS = 15_000

export function categoryRoutes(sql: Sql) {
  return new Hono().get('/', describeRoute({ tag: 'incidents', summary: 'Categories of incidents (the tree)', access: 'read' }), async (c) =>
    c.json({ categories: await categoryTree(sql) }, 200, { 'cache-control': 'public, max-age=300' }),
  )
}

export function incidentRoutes(sql: Sql) {
  return new Hono()
    .get(
      '/',
      describeRoute({ tag: 'incidents', summary: "Incidents in the viewer's scope, filtered, newest first, keyset-paged (cursor)" }),
      validate('query', IncidentQuery),
      async (c) => c.json(await listIncidents(sql, scopeFilter(c, c.req.valid('query')))),
    )
    .post(
      '/',
      describeRoute({
        tag: 'incidents',
        summary: 'Report an incident (Idempotency-Key header honoured)',
        errors: [409, 422],
        ok: { status: 201, description: 'The new incident (or the earlier one for a repeated Idempotency-Key)' },
      }),
      validate('json', NewIncidentBody),
      async (c) => {
        const viewer = viewerOf(c)
        const idempotencyKey = viewerIdempotencyKey(c, viewer)
        const { incident, created } = await createIncident(sql, c.req.valid('json'), { actor: viewer.name, scope: viewer.scope, idempotencyKey })
        return c.json(incident, 201, created ? {} : { 'idempotent-replayed': 'true' })
      },
    )
    .get(
      '/:id',
      describeRoute({ tag: 'incidents', summary: 'One incident with its timeline', errors: [404] }),
      validate('param', IncidentIdParams),
      async (c) => {
        const { id } = c.req.valid('param')
        const incident = await getIncident(sql, id, viewerScope(c))
        if (!incident) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
        const allowedActions = await actionsForViewer(sql, incident, viewerOf(c).name)
        return c.json({ ...incident, allowedActions, timeline: await getTimeline(sql, id), attachments: await listAttachments(sql, id) })
      },
    )
    .post(
      '/:id/transitions',
      describeRoute({ tag: 'incidents', summary: 'Take a step of the case loop (accept, dispatch, finish, verify, …)', errors: [403, 404, 409, 422] }),
      validate('param', IncidentIdParams),
      validate('json', TransitionBody),
      async (c) => {
        const viewer = viewerOf(c)
        await assertFinishable(sql, c.req.valid('param').id, c.req.valid('json').action, viewer.scope)
        const incident = await actOnCase(sql, c.req.valid('param').id, c.req.valid('json'), viewer)
        return c.json(incident)
      },
    )
}

/**
 * Another source of events merged into the stream by id (the notices): its ids come from the
 * incident events' sequence, so one Last-Event-ID places the client in both.
 */
export interface LiveSource {
  attach(options: {
    viewer: Viewer
    cursor: number | null
    write(frame: { id?: number; event: string; data: string }): Promise<void>
    drop(): void
  }): Promise<() => void>
}

/**
 * `stillSignedIn`: checked at once whenever sessions end (logout, a disabled user, a revoked wall
 * token, in this process or another: access/session-events.ts) and every `recheckMs` as a safety
 * net; a stream whose session has ended is closed. Streams are limited per session, writes have a
 * deadline (http/stream-guard.ts), and shutdown ends them.
 */
export function liveRoutes(
  hub: LiveHub,
  session?: { stillSignedIn(c: Context): Promise<boolean>; recheckMs: number; streams?: StreamSlotSource },
  limits: StreamLimits = DEFAULT_STREAM_LIMITS,
  sources: LiveSource[] = [],
) {
  // Per session: in PostgreSQL when several processes serve it (access/shared-limits.ts), else here.
  const local = new StreamSlots(limits.liveStreamsPerSession, Number.POSITIVE_INFINITY, 'live streams')
  const streams: StreamSlotSource = session?.streams ?? { acquire: async (c, key) => local.acquire(c, key) }
  return new Hono().get(
    '/',
    describeRoute({
      tag: 'live',
      summary: 'Live feed of incident and notice events (server-sent events; Last-Event-ID resumes)',
      ok: { description: 'Event stream', type: 'text/event-stream' },
    }),
    validate('query', LiveQuery),
    async (c) => {
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
      c.header('cache-control', 'no-store')
      if (c.req.method === 'HEAD') return c.body(null, 200, { 'content-type': 'text/event-stream' })
      const release = await streams.acquire(c, viewerOf(c).sessionHash)
      return streamSSE(c, async (stream) => {
        let closed = false
        let finish!: () => void
        const done = new Promise<void>(
          (resolve) =>
            (finish = () => {
              closed = true
              resolve()
            }),
        )
        stream.onAbort(finish)
        const untrack = trackStream(finish)
        const recheckNow = () =>
          void session?.stillSignedIn(c).then(
            (ok) => ok || finish(),
            () => {},
          )
        const unsubscribe = session ? onSessionsEnded(recheckNow) : () => {}
        const recheck = session && setInterval(recheckNow, session.recheckMs)
        const write = async (text: string) => {
          if (closed) return
          if (!(await writeWithin(c, stream, text, limits.writeTimeoutMs))) finish()
        }
        const heartbeat = setInterval(() => void write(': heartbeat\n\n'), HEARTBEAT_MS)
        try {
          await write('event: ready\ndata: {}\nretry: 2000\n\n')
          const detach =
            grid === null || closed
              ? () => {}
              : await hub.attach({
                  grid,
                  cursor: lastEventId === undefined ? null : Number(lastEventId),
                  send: (event) => write(`id: ${event.id}\nevent: incident\ndata: ${JSON.stringify(event)}\n\n`),
                  // Too far behind or broken: end the stream; the client reconnects with Last-Event-ID.
                  drop: finish,
                  // Too far behind to replay: the client reloads its state and follows from here.
                  reset: (position) => write(`id: ${position}\nevent: reset\ndata: ${JSON.stringify({ position })}\n\n`),
                  isClosed: () => closed,
                })
          const detachSources = closed
            ? []
            : await Promise.all(
                sources.map((source) =>
                  source.attach({
                    viewer: viewerOf(c),
                    cursor: lastEventId === undefined ? null : Number(lastEventId),
                    write: (frame) => write(`${frame.id === undefined ? '' : `id: ${frame.id}\n`}event: ${frame.event}\ndata: ${frame.data}\n\n`),
                    drop: finish,
                  }),
                ),
              )
          await done
          detach()
          for (const detachSource of detachSources) detachSource()
        } finally {
          clearInterval(heartbeat)
          clearInterval(recheck)
          unsubscribe()
          untrack()
          release()
        }
      })
    },
  )
}
