/**
 * The patrol API (巡查): `POST /api/patrols` → `{ id }`; `POST /api/patrols/:id/positions` with
 * `[{ t, lon, lat, accuracy }]` (idempotent per time, any order); `POST /api/patrols/:id/end`;
 * `GET /api/patrols/:id`; and `GET /api/patrols?date=&grid=&person=`, a day's tracks for playback.
 * Writes only on one's own patrols; reads as service.ts `visibleTo` says.
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { viewerIdempotencyKey } from '../http/idempotency.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { narrowPrefix, viewerOf } from '../access/scope.ts'
import { addPositions, dayTracks, endPatrol, getPatrol, mayReadTracks, startPatrol } from './service.ts'
import { EndPatrolBody, NewPatrolBody, PatrolIdParams, PositionsBody, TracksQuery } from './types.ts'

export function patrolRoutes(sql: Sql) {
  return new Hono()
    .post(
      '/',
      describeRoute({
        tag: 'field-work',
        summary: 'Start a patrol (Idempotency-Key honoured)',
        errors: [422],
        ok: { status: 201, description: 'The patrol id' },
      }),
      validate('json', NewPatrolBody),
      async (c) => {
        const viewer = viewerOf(c)
        const { id, created } = await startPatrol(sql, viewer, c.req.valid('json'), viewerIdempotencyKey(c, viewer))
        return c.json({ id }, 201, created ? {} : { 'idempotent-replayed': 'true' })
      },
    )
    .get('/', describeRoute({ tag: 'field-work', summary: 'Patrol tracks of a cell on a day, for playback' }), validate('query', TracksQuery), async (c) => {
      const viewer = viewerOf(c)
      if (!mayReadTracks(viewer))
        throw new HttpProblem(403, 'Not permitted', `Patrol tracks are their workers' personal data; the role ${viewer.role} does not see them.`)
      const query = c.req.valid('query')
      const grid = narrowPrefix(viewer.scope, query.grid)
      if (grid === null) return c.json({ date: query.date, dayStart: new Date(`${query.date}T00:00:00+08:00`).toISOString(), tracks: [] })
      return c.json(await dayTracks(sql, viewer, { grid, date: query.date, person: query.person }), 200, { 'cache-control': 'private, no-store' })
    })
    .get(
      '/:id',
      describeRoute({ tag: 'field-work', summary: 'One patrol with its line and length', errors: [404] }),
      validate('param', PatrolIdParams),
      async (c) => {
        const { id } = c.req.valid('param')
        const patrol = await getPatrol(sql, id, viewerOf(c))
        if (!patrol) throw new HttpProblem(404, 'Patrol not found', `No patrol has the id ${id} (parameter id).`)
        return c.json(patrol, 200, { 'cache-control': 'private, no-store' })
      },
    )
    .post(
      '/:id/positions',
      describeRoute({ tag: 'field-work', summary: 'Add a batch of positions to a patrol (idempotent, any order)', errors: [403, 404, 422] }),
      validate('param', PatrolIdParams),
      validate('json', PositionsBody),
      async (c) => {
        return c.json(await addPositions(sql, c.req.valid('param').id, viewerOf(c), c.req.valid('json')))
      },
    )
    .post('/:id/end', describeRoute({ tag: 'field-work', summary: 'End a patrol', errors: [403, 404] }), validate('param', PatrolIdParams), async (c) => {
      // The body is optional ({ endedAt } when sent later from the offline queue).
      const text = await c.req.text()
      let body: unknown
      try {
        body = text.trim() === '' ? undefined : JSON.parse(text)
      } catch {
        throw new HttpProblem(400, 'Invalid request', 'Invalid json parameter: the body is not JSON.', [
          { name: 'json', reason: 'Expected { endedAt } or no body.' },
        ])
      }
      const parsed = EndPatrolBody.safeParse(body)
      if (!parsed.success)
        throw new HttpProblem(400, 'Invalid request', `Invalid json parameter: endedAt. ${parsed.error.issues[0]!.message}`, [
          { name: 'endedAt', reason: parsed.error.issues[0]!.message },
        ])
      return c.json(await endPatrol(sql, c.req.valid('param').id, viewerOf(c), parsed.data?.endedAt))
    })
}
