/**
 * GET /api/regions/context: neighbouring divisions drawn around the grid for orientation.
 */
import { describeRoute } from '../http/describe.ts'
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { contextRegions } from './queries.ts'

export function regionRoutes(sql: Sql) {
  return new Hono().get('/context', describeRoute({ tag: 'grids', summary: "The district's context: boundary, neighbours and attribution" }), async (c) => {
    return c.body(JSON.stringify(await contextRegions(sql)), 200, {
      'content-type': 'application/geo+json; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    })
  })
}
