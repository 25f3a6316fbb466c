/**
 * The grid hierarchy API: the roots, one cell with its path, children and subtree figures,
 * and cell geometry as GeoJSON (one cell, or its children for drill-down).
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { notFound } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { StreamSlots } from '../http/stream-guard.ts'
import type { StreamSlotSource } from '../access/shared-limits.ts'
import { viewerOf, viewerScope } from '../access/scope.ts'
import type { Role } from '../access/roles.ts'

/** Who may call the grid's staff: their phones are work contacts, in full inside the scope. */
const WORK_CONTACT_ROLES: readonly Role[] = ['commander', 'town_leader', 'village_leader']
import { cellGeometry, cellsAt, findCell, listRoots, searchCells } from './queries.ts'
import { CodeParams, ExportQuery, GeometryQuery, PointQuery, SearchQuery } from './types.ts'
import { exportGeoJson, exportGeoPackage, listVersions, versionCellGeometry, versionExists } from './versions.ts'

/** A whole grid export is built in memory (about 30 MB of GeoJSON for 14,000 cells): one at a time
 * per viewer, two in all, so no client can hold the server's memory with many of them. */
export const GRID_EXPORT_SLOTS = { name: 'grid-exports', perKey: 1, total: 2, what: 'grid exports' } as const

/** `exportSlots`: across processes on PostgreSQL (access); else counted here. */
export function gridRoutes(sql: Sql, exportSlots?: StreamSlotSource) {
  const local = new StreamSlots(GRID_EXPORT_SLOTS.perKey, GRID_EXPORT_SLOTS.total, GRID_EXPORT_SLOTS.what)
  const slots: StreamSlotSource = exportSlots ?? { acquire: async (c, key) => local.acquire(c, key) }
  return (
    new Hono()
      .get('/', describeRoute({ tag: 'grids', summary: "The root cells of the viewer's grid" }), async (c) =>
        c.json({ roots: await listRoots(sql, viewerScope(c)) }),
      )
      // Fixed paths before '/:code', which would otherwise take 'search' and 'at' for codes.
      .get('/search', describeRoute({ tag: 'grids', summary: 'Search cells by name or code' }), validate('query', SearchQuery), async (c) => {
        const { q, limit } = c.req.valid('query')
        return c.json({ results: await searchCells(sql, q, limit, viewerScope(c)) })
      })
      .get('/at', describeRoute({ tag: 'grids', summary: 'The cells containing a point' }), validate('query', PointQuery), async (c) => {
        const { lon, lat } = c.req.valid('query')
        const chain = await cellsAt(sql, lon, lat)
        if (chain.length === 0) throw notFound('Grid cell', `No grid cell covers the point lon=${lon}, lat=${lat}.`)
        return c.json({ chain })
      })
      .get('/versions', describeRoute({ tag: 'grids', summary: 'The grid versions imported, oldest first' }), async (c) =>
        c.json({ versions: await listVersions(sql) }),
      )
      .get(
        '/export',
        describeRoute({
          tag: 'grids',
          summary: 'The grid of the current or any version, all levels or one, as GeoJSON or GeoPackage',
          errors: [404, 429],
          ok: { description: 'GeoJSON FeatureCollection or GeoPackage', type: 'application/geo+json' },
        }),
        validate('query', ExportQuery),
        async (c) => {
          const { format, level, version } = c.req.valid('query')
          if (version !== undefined && !(await versionExists(sql, version))) throw unknownVersion(version)
          const viewer = viewerOf(c)
          const release = await slots.acquire(c, `${viewer.kind}:${viewer.id}`)
          try {
            const name = `grid${version === undefined ? '' : `-v${version}`}${level === undefined ? '' : `-level${level}`}`
            if (format === 'gpkg') {
              const bytes = await exportGeoPackage(sql, { version, level })
              return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
                'content-type': 'application/geopackage+sqlite3',
                'content-disposition': `attachment; filename="${name}.gpkg"`,
              })
            }
            return c.body(await exportGeoJson(sql, { version, level }), 200, {
              'content-type': 'application/geo+json; charset=utf-8',
              'content-disposition': `attachment; filename="${name}.geojson"`,
            })
          } finally {
            release()
          }
        },
      )
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
          const { children, version } = c.req.valid('query')
          if (version !== undefined) {
            if (!(await versionExists(sql, version))) throw unknownVersion(version)
            const versioned = await versionCellGeometry(sql, version, code, children === '1')
            if (!versioned) throw notFound('Grid cell', `Grid version ${version} has no cell with the code ${code} (parameter code).`)
            return c.body(JSON.stringify(versioned), 200, { 'content-type': 'application/geo+json; charset=utf-8' })
          }
          const geojson = await cellGeometry(sql, code, children === '1', viewerScope(c))
          if (!geojson) throw unknownCode(code)
          return c.body(JSON.stringify(geojson), 200, { 'content-type': 'application/geo+json; charset=utf-8' })
        },
      )
  )
}

function unknownVersion(version: number) {
  return notFound('Grid version', `No grid version has the id ${version} (parameter version).`)
}

function unknownCode(code: string) {
  return notFound('Grid cell', `No grid cell has the code ${code} (parameter code).`)
}
