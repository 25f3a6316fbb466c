/**
 * The grid hierarchy API: the roots, one cell with its path, children and subtree figures,
 * and cell geometry as GeoJSON (one cell, or its children for drill-down).
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { notFound } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { viewerOf, viewerScope } from '../access/scope.ts'
import type { Role } from '../access/roles.ts'

/** Who may call the grid's staff: their phones are work contacts, in full inside the scope. */
const WORK_CONTACT_ROLES: readonly Role[] = ['commander', 'town_leader', 'village_leader']
import { cellGeometry, cellsAt, findCell, listRoots, searchCells } from './queries.ts'
import { CodeParams, GeometryQuery, PointQuery, SearchQuery } from './types.ts'

export function gridRoutes(sql: Sql) {
  return (
    new Hono()
      .get('/', describeRoute({ tag: 'grids', summary: "The root cells of the viewer's grid" }), async (c) =>
        c.json({ roots: await listRoots(sql, viewerScope(c)) }),
      )
      // Fixed paths before '/:code', which would otherwise take 'search' and 'at' for codes.
      .get('/search', describeRoute({ tag: 'grids', summary: 'Search cells by name or code' }), validate('query', SearchQuery), async (c) => {
        const { q, limit } = c.req.valid('query')
        return c.json({ results: await searchCells(sql, q, limit) })
      })
      .get('/at', describeRoute({ tag: 'grids', summary: 'The cells containing a point' }), validate('query', PointQuery), async (c) => {
        const { lon, lat } = c.req.valid('query')
        const chain = await cellsAt(sql, lon, lat)
        if (chain.length === 0) throw notFound('Grid cell', `No grid cell covers the point lon=${lon}, lat=${lat}.`)
        return c.json({ chain })
      })
      .get(
        '/:code',
        describeRoute({ tag: 'grids', summary: 'One cell with its figures, parents and children', errors: [404] }),
        validate('param', CodeParams),
        async (c) => {
          const { code } = c.req.valid('param')
          const viewer = viewerOf(c)
          const cell = await findCell(sql, code, viewer.scope, WORK_CONTACT_ROLES.includes(viewer.role))
          if (!cell) throw unknownCode(code)
          return c.json(cell)
        },
      )
      .get(
        '/:code/geometry',
        describeRoute({
          tag: 'grids',
          summary: "A cell's outline (and its children's) as GeoJSON",
          errors: [404],
          ok: { description: 'GeoJSON FeatureCollection', type: 'application/geo+json' },
        }),
        validate('param', CodeParams),
        validate('query', GeometryQuery),
        async (c) => {
          const { code } = c.req.valid('param')
          const geojson = await cellGeometry(sql, code, c.req.valid('query').children === '1', viewerScope(c))
          if (!geojson) throw unknownCode(code)
          return c.body(JSON.stringify(geojson), 200, { 'content-type': 'application/geo+json; charset=utf-8' })
        },
      )
  )
}

function unknownCode(code: string) {
  return notFound('Grid cell', `No grid cell has the code ${code} (parameter code).`)
}
