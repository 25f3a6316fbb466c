/**
 * The case loop's own routes under /api/incidents: my cases, possible duplicates of a report
 * about to be made, whom a case can be dispatched to, and merging a duplicate. Mounted before
 * the incident routes so /mine and /duplicates are not read as ids.
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { requirePermission, viewerOf } from '../access/scope.ts'
import { dispatchCandidates } from './assignee.ts'
import { DuplicateQuery, findDuplicates } from './duplicates.ts'
import { MergeBody, mergeCase } from './merge.ts'
import { listMyCases } from './my-cases.ts'
import { IncidentIdParams } from './types.ts'

export function caseRoutes(sql: Sql) {
  return new Hono()
    .get('/mine', describeRoute({ tag: 'incidents', summary: 'The cases the signed-in person reported, handles or must verify' }), async (c) =>
      c.json(await listMyCases(sql, viewerOf(c)), 200, { 'cache-control': 'no-store' }),
    )
    .get(
      '/duplicates',
      describeRoute({ tag: 'incidents', summary: 'Possible duplicates: same category within 50 m and 7 days' }),
      validate('query', DuplicateQuery),
      async (c) => c.json({ items: await findDuplicates(sql, c.req.valid('query'), viewerOf(c).scope) }, 200, { 'cache-control': 'no-store' }),
    )
    .get(
      '/:id/candidates',
      describeRoute({ tag: 'incidents', summary: 'Who a case may be dispatched to: people of the handling cell and departments', errors: [404] }),
      validate('param', IncidentIdParams),
      async (c) => {
        const viewer = requirePermission(c, 'write')
        const { id } = c.req.valid('param')
        const [row] = await sql<{ gridCode: string; level: number; category: string }[]>`
        select grid_code as "gridCode", handling_level as level, category from incident where id = ${id} and grid_code like ${viewer.scope + '%'}`
        if (!row) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
        return c.json({ level: row.level, items: await dispatchCandidates(sql, row) }, 200, { 'cache-control': 'no-store' })
      },
    )
    .post(
      '/:id/merge',
      describeRoute({ tag: 'incidents', summary: 'Merge a duplicate into this case, keeping both timelines', errors: [404, 409, 422] }),
      validate('param', IncidentIdParams),
      validate('json', MergeBody),
      async (c) => {
        const viewer = requirePermission(c, 'write')
        return c.json(await mergeCase(sql, c.req.valid('param').id, c.req.valid('json'), viewer))
      },
    )
}
