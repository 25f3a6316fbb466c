/**
 * Assembles the API from its capabilities; each capability owns its routes, SQL and types.
 * `AppType` is what the web client's typed Hono RPC client is derived from.
 */
import { createMetrics } from './metrics/metrics.ts'
import { metricsRoutes } from './metrics/routes.ts'
import { describeRoute } from './http/describe.ts'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Database } from './db/connect.ts'
import { GRID_EXPORT_SLOTS, gridRoutes } from './grids/routes.ts'
import { healthRoutes } from './health/routes.ts'
import { HttpProblem, renderProblem } from './http/problem.ts'
import { securityHeaders } from './http/security-headers.ts'
import { log } from './log.ts'
import { regionRoutes } from './regions/routes.ts'
import { TileCache } from './tiles/cache.ts'
import { tileRoutes } from './tiles/routes.ts'
import { LiveHub } from './incidents/live.ts'
import { categoryRoutes, incidentRoutes, liveRoutes } from './incidents/routes.ts'
import { caseRoutes } from './incidents/case-routes.ts'
import { departmentRoutes } from './departments/routes.ts'
import { createAccess, type Access, type AccessOptions } from './access/index.ts'
import { auditRoutes } from './access/audit.ts'
import { apiTokenRoutes } from './access/api-token-routes.ts'
import { revealRoutes } from './access/reveal.ts'
import { wallRoutes } from './wall/routes.ts'
import { analyticsRoutes } from './analytics/routes.ts'
import { evaluationRoutes } from './evaluation/routes.ts'
import { ogcRoutes } from './ogc/routes.ts'
import { openApiRoutes } from './openapi/routes.ts'
import { open311Routes } from './open311/routes.ts'
import { createNotices, type Notices } from './notices/index.ts'
import { noticeRoutes } from './notices/routes.ts'
import { NOTICE_UPLOAD_PATH } from './notices/attachments.ts'
import { patrolRoutes } from './patrols/routes.ts'
import { coverageRoutes } from './coverage/routes.ts'
import { attachmentRoutes, UPLOAD_MAX_BYTES, UPLOAD_PATH } from './attachments/routes.ts'
import { BASE_DATA_UPLOAD_MAX_BYTES, BASE_DATA_UPLOAD_PATH, baseDataImportRoutes, householdRoutes } from './base-data/routes.ts'
import { GRID_IMPORT_MAX_BYTES, GRID_IMPORT_PATH, gridImportRoutes } from './grid-imports/routes.ts'
import { GridImports } from './grid-imports/service.ts'
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './db/unavailable.ts'
import { privateByDefault } from './http/private-cache.ts'
import { NO_BASEMAP, type Basemap } from './basemap/archive.ts'
import { basemapRoutes } from './basemap/routes.ts'
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './http/stream-guard.ts'

export interface AppOptions {
  /** Adds routes after the API's (the web client, in production). */
  extend?: (app: Hono) => void
  /** The tile cache; benchmarks pass a disabled one to measure uncached tiles. */
  tileCache?: TileCache
  /** The live feed hub; by default one that hears this process's own commits. */
  liveHub?: LiveHub
  /** Rate limits, session lifetimes and body size (defaults in server/access/index.ts). */
  access?: Partial<AccessOptions>
  /** Area notices: outbound channels and the notice feed (by default: the log channel). */
  notices?: Notices
  /** Limits of exports and live streams (defaults in server/http/stream-guard.ts). */
  streams?: Partial<StreamLimits>
  /** GET /metrics (Prometheus): who may read it (server/metrics/routes.ts); without it, no route. */
  metrics?: { token?: string }
  /** The basemap under the grid (server/basemap/); none by default. */
  basemap?: Basemap
  /** The largest grid upload (bytes; GRID_IMPORT_MAX_BYTES by default). */
  gridImportMaxBytes?: number
}

/**
 * Read routes (tiles, the analyst's summaries, points and exports, the wall, OGC) read from the
 * replica when there is one (DATABASE_READ_URL; the primary while it is down or behind); every
 * other route reads and writes the primary, so a change is seen at once by whoever made it.
 */
function readSql(db: Database) {
  return db.replica?.sql ?? db.sql
}

const PRODUCT = { name: 'Gridscope', nameZh: '网格态势', version: process.env.npm_package_version ?? '0.1.0' }

export function createApi(
  db: Database,
  liveHub: LiveHub,
  access: Access,
  notices: Notices,
  streams: StreamLimits = DEFAULT_STREAM_LIMITS,
  basemap: Basemap = NO_BASEMAP,
  gridImports = new GridImports(db.sql),
  gridImportMaxBytes = GRID_IMPORT_MAX_BYTES,
  onFiguresChanged: () => void = () => {},
) {
  return (
    new Hono()
      // What this server is, where its tiles are and which basemap the maps draw (the server
      // decides: BASEMAP); static, so it also serves as the cheapest route. The maps draw the
      // grid from the geometry tiles (no incident figures, kept by nginx); `grids` has the figures.
      .get('/meta', describeRoute({ tag: 'meta', summary: 'Product name, version, where the tiles are and the basemap', access: 'public' }), (c) =>
        c.json({ ...PRODUCT, tiles: { grids: '/tiles/grids.json', geometry: '/tiles/geometry.json' }, basemap: basemap.info }),
      )
      .route('/health', healthRoutes(db))
      .route('/auth', access.routes)
      .route('/audit', auditRoutes(db.sql))
      .route('/api-tokens', apiTokenRoutes(db.sql))
      .route('/grids', gridRoutes(db.sql, access.slots(GRID_EXPORT_SLOTS)))
      .route('/regions', regionRoutes(db.sql))
      .route('/categories', categoryRoutes(db.sql))
      // The analyst's fixed paths (summary, points, by-cell, export) before /incidents/:id.
      .route(
        '/incidents',
        analyticsRoutes(readSql(db), streams, access.slots({ name: 'exports', perKey: streams.exportsPerUser, total: streams.exportsTotal, what: 'exports' })),
      )
      .route('/incidents', caseRoutes(db.sql))
      .route('/incidents', incidentRoutes(db.sql))
      .route('/departments', departmentRoutes(db.sql))
      .route('/incidents', revealRoutes(db.sql))
      .route('/notices', noticeRoutes(notices.ctx))
      .route('/live', liveRoutes(liveHub, access.liveSession, streams, [notices.feed]))
      .route('/wall', wallRoutes(readSql(db)))
      .route('/evaluation', evaluationRoutes(db.sql))
      .route('/', attachmentRoutes(db.sql))
      .route('/patrols', patrolRoutes(db.sql))
      .route('/coverage', coverageRoutes(db.sql))
      // The grid's import (/imports/grid) before the base data's /imports/:kind.
      .route('/imports', gridImportRoutes(gridImports, gridImportMaxBytes))
      .route('/imports', baseDataImportRoutes(db.sql, onFiguresChanged))
      .route('/households', householdRoutes(db.sql))
  )
}

export type AppType = ReturnType<typeof buildRoutes>
function buildRoutes(
  db: Database,
  tileCache = new TileCache(),
  liveHub = new LiveHub(db.sql),
  access = createAccess(db.sql),
  notices = createNotices(db.sql),
  streams = DEFAULT_STREAM_LIMITS,
  basemap = NO_BASEMAP,
  gridImportMaxBytes = GRID_IMPORT_MAX_BYTES,
) {
  // An applied import (grid, or base data changing cell figures) empties this process's tile cache
  // at once (other processes hear its NOTIFY).
  const gridImports = new GridImports(db.sql, () => tileCache.invalidate())
  return new Hono()
    .route(
      '/api',
      createApi(db, liveHub, access, notices, streams, basemap, gridImports, gridImportMaxBytes, () => tileCache.invalidate()),
    )
    .route('/tiles', basemapRoutes(basemap))
    .route('/tiles', tileRoutes(readSql(db), tileCache))
}

export function createApp(
  db: Database,
  {
    extend,
    tileCache = new TileCache(),
    liveHub = new LiveHub(db.sql),
    access: accessOptions,
    notices,
    streams,
    metrics: metricsOptions,
    basemap,
    gridImportMaxBytes = GRID_IMPORT_MAX_BYTES,
  }: AppOptions = {},
): Hono {
  const app = new Hono()
  const metrics = metricsOptions && createMetrics(db, { liveHub, tileCache })
  if (metrics) app.use(metrics.middleware)
  app.use(securityHeaders())
  app.use('/api/*', privateByDefault())
  // Body limit, CSRF, sign-in, write permission and rate limits before every API and tile route.
  const access = createAccess(db.sql, {
    ...accessOptions,
    // The product's uploads, and any a caller adds: options read from the configuration (which
    // carry the default empty list) must not take the photo, notice and import limits away.
    largeBodies: [
      { path: UPLOAD_PATH, maxBytes: UPLOAD_MAX_BYTES },
      { path: NOTICE_UPLOAD_PATH, maxBytes: UPLOAD_MAX_BYTES },
      { path: BASE_DATA_UPLOAD_PATH, maxBytes: BASE_DATA_UPLOAD_MAX_BYTES },
      // The multipart framing on top of the files.
      { path: GRID_IMPORT_PATH, maxBytes: gridImportMaxBytes + 64 * 1024 },
      ...(accessOptions?.largeBodies ?? []),
    ],
  })
  access.guard(app)
  app.route('/', buildRoutes(db, tileCache, liveHub, access, notices, { ...DEFAULT_STREAM_LIMITS, ...streams }, basemap, gridImportMaxBytes))
  app.route('/ogc', ogcRoutes(readSql(db)))
  app.route('/open311', open311Routes(db.sql, access.tokens))
  if (metrics) app.route('/metrics', metricsRoutes(metrics, metricsOptions?.token))
  // The document of every route above (and of itself), built from the app on first request.
  app.route(
    '/api',
    openApiRoutes(() => app, PRODUCT.version),
  )
  app.all('/api/*', () => {
    throw new HttpProblem(404, 'Not found', 'No API route matches this path.')
  })
  extend?.(app)
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return renderProblem(c, error)
    if (error instanceof HTTPException) {
      return renderProblem(c, new HttpProblem(error.status as HttpProblem['status'], error.message || 'Request failed'))
    }
    if (isDatabaseUnavailable(error)) {
      log.warn({ err: error, method: c.req.method, path: new URL(c.req.url).pathname }, 'database unavailable')
      c.header('retry-after', String(RETRY_AFTER_SECONDS))
      return renderProblem(
        c,
        new HttpProblem(503, 'Database unavailable', 'The database is not answering just now; retry in a few seconds.', undefined, {
          retryAfter: RETRY_AFTER_SECONDS,
        }),
      )
    }
    // Unexpected: log it whole for operators, tell the client nothing about the internals.
    log.error({ err: error, method: c.req.method, path: new URL(c.req.url).pathname }, 'request failed')
    return renderProblem(c, new HttpProblem(500, 'Internal error', 'The server could not complete the request.'))
  })
  app.notFound((c) => renderProblem(c, new HttpProblem(404, 'Not found', 'Nothing is served at this path.')))
  return app
}
