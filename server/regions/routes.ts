/**
 * GET /api/regions/context: neighbouring divisions drawn around the grid for orientation.
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'

export function regionRoutes(sql: Sql) {
  return new Hono().get('/context', async (c) => {
    const [row] = await sql<{ collection: unknown }[]>`
      select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', code,
        'properties', json_build_object('code', code, 'name', name),
        'geometry', ST_AsGeoJSON(geom, 5)::json) order by code), '[]'::json)) as collection
      from context_region`
    return c.body(JSON.stringify(row!.collection), 200, {
      'content-type': 'application/geo+json; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    })
  })
}
