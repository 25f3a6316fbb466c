/**
 * The analyst API under /api/incidents: summary figures and charts, binary points, counts per
 * grid cell, and streamed exports. Every route takes the one incident filter, within the viewer's
 * scope (scopeFilter); mounted before the
 * incidents router so its fixed paths win over /incidents/:id.
 */
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { scopeFilter, viewerOf } from '../access/scope.ts'
import { DEFAULT_STREAM_LIMITS, StreamSlots, type StreamLimits } from '../http/stream-guard.ts'
import type { StreamSlotSource } from '../access/shared-limits.ts'
import { POINTS_MEDIA_TYPE } from './points-format.ts'
import { selectPoints } from './points.ts'
import { incidentsByCell } from './by-cell.ts'
import { exportIncidents } from './export.ts'
import { incidentSummary } from './summary.ts'
import { ByCellQuery, ExportQuery, PointsQuery, SummaryQuery } from './types.ts'

const gzipAsync = promisify(gzip)
/** Level 1: most of the saving for a fraction of the time of the default level on typed columns. */
const GZIP_LEVEL = 1

/** `exportSlots`: exports at once per user and in all (across processes on PostgreSQL: access). */
export function analyticsRoutes(sql: Sql, limits: StreamLimits = DEFAULT_STREAM_LIMITS, exportSlots?: StreamSlotSource) {
  const local = new StreamSlots(limits.exportsPerUser, limits.exportsTotal, 'exports')
  const exports: StreamSlotSource = exportSlots ?? { acquire: async (c, key) => local.acquire(c, key) }
  return new Hono()
    .get(
      '/summary',
      describeRoute({ tag: 'analytics', summary: 'Figures of the filtered incidents: totals, by category, status and time bucket' }),
      validate('query', SummaryQuery),
      async (c) => {
        const { bucket, ...filter } = c.req.valid('query')
        return c.json(await incidentSummary(sql, scopeFilter(c, filter), bucket))
      },
    )
    .get(
      '/by-cell',
      describeRoute({ tag: 'analytics', summary: 'Filtered incident counts per cell of a level' }),
      validate('query', ByCellQuery),
      async (c) => {
        const { level, ...filter } = c.req.valid('query')
        return c.json(await incidentsByCell(sql, scopeFilter(c, filter), level))
      },
    )
    .get(
      '/export',
      describeRoute({
        tag: 'analytics',
        summary: 'Export the filtered incidents (CSV or GeoJSON), streamed; x-total-count header',
        errors: [413],
        ok: { description: 'The incidents', type: ['text/csv', 'application/geo+json'] },
      }),
      validate('query', ExportQuery),
      async (c) => {
        const { format, ...filter } = c.req.valid('query')
        const viewer = viewerOf(c)
        return exportIncidents(c, sql, scopeFilter(c, filter), format, {
          slots: exports,
          owner: `${viewer.kind}:${viewer.id}`,
          writeTimeoutMs: limits.writeTimeoutMs,
        })
      },
    )
    .get(
      '/points',
      describeRoute({ tag: 'analytics', summary: 'The filtered incidents as points for the analyst map' }),
      validate('query', PointsQuery),
      async (c) => {
        const { limit, ...filter } = c.req.valid('query')
        const points = await selectPoints(sql, scopeFilter(c, filter), limit)
        const headers: Record<string, string> = {
          'content-type': POINTS_MEDIA_TYPE,
          'x-total-count': String(points.total),
          'x-categories': points.categories.join(','),
          'cache-control': 'no-store',
          vary: 'accept-encoding',
        }
        if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
          headers['content-encoding'] = 'gzip'
          return c.body(new Uint8Array(await gzipAsync(points.body, { level: GZIP_LEVEL })), 200, headers)
        }
        return c.body(points.body as Uint8Array<ArrayBuffer>, 200, headers)
      },
    )
}
