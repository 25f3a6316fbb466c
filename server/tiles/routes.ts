/**
 * Vector tiles of the grid, two kinds, each with its TileJSON:
 * - grid tiles, GET /tiles/grids/{z}/{x}/{y}.mvt (/tiles/grids.json): the cells with the incident
 *   figures of the viewer's scope, so `private`;
 * - geometry tiles, GET /tiles/geometry/{revision}/{z}/{x}/{y}.mvt (/tiles/geometry.json): the
 *   current grid's cells with what is the same for every viewer (code, level, name, households,
 *   population), addressed by the grid's revision (data/migrations/022_grid_revision.sql), so
 *   `public, immutable`: nginx and browsers keep them until the grid changes and the TileJSON
 *   names a new revision. A past revision is redirected to the current one (the grid as it stood
 *   then is not kept whole: a grid version holds only the subtree it imported), so a map opened
 *   before an import keeps working, unless a cache still holds that tile (it is what the address
 *   always answered); a revision the grid never had is a 404. `current` in its place answers the
 *   current grid's tile at a fixed address (`no-cache`), for GIS tools that take a URL template.
 * Both carry an ETag, answer If-None-Match with 304, are served gzipped to clients that accept it,
 * and an empty tile is 204. Both need a session or an API token, like every route but sign-in.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { HttpProblem, notFound } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { viewerScope } from '../access/scope.ts'
import { GridVersionParam } from '../grids/types.ts'
import { versionExists } from '../grids/versions.ts'
import { type CachedTile, IMMUTABLE_KEY, type TileCache } from './cache.ts'
import { encodeTile } from './encode.ts'
import { GEOMETRY_TILE_FIELDS, GRID_TILE_LAYERS, MAX_ZOOM, SOURCE_MAX_ZOOM, TILE_FIELDS } from './layers.ts'
import {
  gridBounds,
  gridGeneration,
  gridRevision,
  gridTopLevel,
  queryGeometryTileFeatures,
  queryGeometryTileMvt,
  queryTileFeatures,
  queryTileMvt,
  supportsAsMvt,
  type TileAddress,
} from './queries.ts'

/** A grid version's tiles (GET /api/grids/versions); the current grid without. */
const TileQuery = z.object({ version: GridVersionParam.optional() })

const TileParams = z.object({
  z: z
    .string()
    .regex(/^\d{1,2}$/, `Expected zoom z as an integer from 0 to ${MAX_ZOOM}.`)
    .transform(Number)
    .pipe(z.number().max(MAX_ZOOM, `Expected zoom z as an integer from 0 to ${MAX_ZOOM}.`)),
  x: z
    .string()
    .regex(/^\d{1,7}$/, 'Expected tile column x as a non-negative integer.')
    .transform(Number),
  y: z
    .string()
    .regex(/^\d{1,7}\.mvt$/, 'Expected tile row y as a non-negative integer followed by .mvt.')
    .transform((s) => Number.parseInt(s, 10)),
})

// In the path's order (the API document lists them so).
const GeometryTileParams = z.object({
  revision: z
    .string()
    .regex(/^(current|0|[1-9][0-9]{0,8})$/, 'Expected the grid revision as a whole number (the one /tiles/geometry.json names), or current.')
    .transform((s) => (s === 'current' ? CURRENT : Number(s))),
  ...TileParams.shape,
})

// Grid geometry changes only on import; a minute of freshness, then revalidation by ETag.
// Private: the incident figures depend on the viewer's scope, so no shared cache may keep them.
const CACHE_CONTROL = 'private, max-age=60, stale-while-revalidate=600'
// A geometry tile's address names the grid's revision: its answer never changes, so any cache
// may keep it for a year (`immutable`: a browser does not even revalidate it on reload).
const GEOMETRY_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/**
 * `current` in the revision's place: for GIS tools that take a fixed URL template rather than a
 * TileJSON (QGIS's vector tile connection), always the current grid. Not immutable, so `no-cache`:
 * nginx passes it to the API, which revalidates it by ETag from its own cache.
 */
const CURRENT = 'current' as const
const CURRENT_CACHE_CONTROL = 'no-cache'

/** The grid moved past the revision a geometry tile was asked for while it was being built. */
class RevisionMoved extends Error {}

/** 400 for a tile outside the zoom's grid, naming x or y. */
function assertTileExists(z: number, x: number, y: number): void {
  const size = 2 ** z
  if (x < size && y < size) return
  throw new HttpProblem(400, 'Invalid request', `Tile ${z}/${x}/${y} does not exist: x and y must be from 0 to ${size - 1} at zoom ${z}.`, [
    ...(x >= size ? [{ name: 'x', reason: `Expected 0 to ${size - 1} at zoom ${z}.` }] : []),
    ...(y >= size ? [{ name: 'y', reason: `Expected 0 to ${size - 1} at zoom ${z}.` }] : []),
  ])
}

/** A finished tile as the answer: 304 for a matching If-None-Match, 204 when empty, else the bytes, gzipped when accepted. */
async function tileResponse(c: Context, tile: CachedTile, cacheControl: string): Promise<Response> {
  const headers: Record<string, string> = { etag: tile.etag, 'cache-control': cacheControl, vary: 'accept-encoding' }
  if (c.req.header('if-none-match') === tile.etag) return c.body(null, 304, headers)
  if (tile.raw.byteLength === 0) return c.body(null, 204, headers)
  headers['content-type'] = 'application/vnd.mapbox-vector-tile'
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    headers['content-encoding'] = 'gzip'
    return c.body((await tile.gzipped()) as Uint8Array<ArrayBuffer>, 200, headers)
  }
  return c.body(tile.raw as Uint8Array<ArrayBuffer>, 200, headers)
}

interface TileJsonSource {
  name: string
  description: string
  /** The tiles' URL template from the origin on: `/tiles/…/{z}/{x}/{y}.mvt`. */
  path: string
  fields: Record<string, string>
}

/** TileJSON 3.0.0 of a source over the current grid: its bounds, and only the layers this grid has. */
async function tileJson(sql: Sql, c: Context, source: TileJsonSource, topLevel: number): Promise<Response> {
  const bounds = (await gridBounds(sql)) ?? [-180, -85.05, 180, 85.05]
  return c.json(
    {
      tilejson: '3.0.0',
      name: source.name,
      description: source.description,
      scheme: 'xyz',
      tiles: [`${new URL(c.req.url).origin}${source.path}`],
      minzoom: 0,
      maxzoom: SOURCE_MAX_ZOOM,
      bounds,
      center: [(bounds[0]! + bounds[2]!) / 2, (bounds[1]! + bounds[3]!) / 2, 9],
      // The layers this grid has: a county deployment has no province or city.
      vector_layers: GRID_TILE_LAYERS.filter((l) => l.level >= topLevel).map((l) => ({
        id: l.id,
        description: l.description,
        minzoom: l.minzoom,
        maxzoom: SOURCE_MAX_ZOOM,
        fields: source.fields,
      })),
    },
    200,
    // Revalidated on every use: an import changes the grid's bounds and its tiles' address.
    { 'cache-control': 'no-cache' },
  )
}

export function tileRoutes(sql: Sql, cache: TileCache) {
  let useAsMvt: Promise<boolean> | undefined
  const buildTile = async (address: TileAddress) => {
    useAsMvt ??= supportsAsMvt(sql)
    return (await useAsMvt) ? queryTileMvt(sql, address) : encodeTile(await queryTileFeatures(sql, address))
  }
  // The revision and the cells read in one snapshot: a grid import committing in between must not
  // leave the new grid's cells in a tile kept for a year under the old revision.
  const buildGeometryTile = async (revision: number, address: { z: number; x: number; y: number }) => {
    useAsMvt ??= supportsAsMvt(sql)
    const asMvt = await useAsMvt
    return sql.begin('isolation level repeatable read read only', async (tx) => {
      const snapshot = tx as unknown as Sql
      if ((await gridRevision(snapshot)) !== revision) throw new RevisionMoved()
      return asMvt ? queryGeometryTileMvt(snapshot, address) : encodeTile(await queryGeometryTileFeatures(snapshot, address))
    })
  }

  return new Hono()
    .get('/grids.json', describeRoute({ tag: 'grids', summary: "TileJSON of the grid's vector tiles" }), async (c) => {
      const [generation, topLevel] = await Promise.all([gridGeneration(sql), gridTopLevel(sql)])
      const source = {
        name: 'gridscope-grids',
        description: 'Five-level grid cells (网格) with their figures',
        // The grid's generation in the address: after an import browsers fetch new tiles at once
        // rather than keep the old ones for their minute of freshness.
        path: `/tiles/grids/{z}/{x}/{y}.mvt${generation ? `?g=${generation}` : ''}`,
        fields: TILE_FIELDS,
      }
      return tileJson(sql, c, source, topLevel)
    })
    .get('/geometry.json', describeRoute({ tag: 'grids', summary: "TileJSON of the grid's geometry tiles (no incident figures; for GIS)" }), async (c) => {
      const [revision, topLevel] = await Promise.all([gridRevision(sql), gridTopLevel(sql)])
      const source = {
        name: 'gridscope-grid-geometry',
        description: 'Grid cells (网格) of every level: code, level, name, households, population; no incident figures',
        path: `/tiles/geometry/${revision}/{z}/{x}/{y}.mvt`,
        fields: GEOMETRY_TILE_FIELDS,
      }
      return tileJson(sql, c, source, topLevel)
    })
    .get(
      '/grids/:z/:x/:y',
      describeRoute({
        tag: 'grids',
        summary: 'One vector tile of the grid (Mapbox Vector Tile)',
        ok: { description: 'The tile (204 when empty, 304 when unchanged)', type: 'application/vnd.mapbox-vector-tile' },
      }),
      validate('param', TileParams),
      validate('query', TileQuery),
      async (c) => {
        const { z, x, y } = c.req.valid('param')
        const { version } = c.req.valid('query')
        if (version !== undefined && !(await versionExists(sql, version))) {
          throw notFound('Grid version', `No grid version has the id ${version} (parameter version).`)
        }
        assertTileExists(z, x, y)
        // The scope is part of the key: a cached tile never crosses scopes.
        const scope = viewerScope(c)
        const key = version === undefined ? `grids/${scope}/${z}/${x}/${y}` : `grids/${scope}/v${version}/${z}/${x}/${y}`
        const tile = await cache.getOrBuild(key, () => buildTile({ z, x, y, scope, version }))
        return tileResponse(c, tile, CACHE_CONTROL)
      },
    )
    .get(
      '/geometry/:revision/:z/:x/:y',
      describeRoute({
        tag: 'grids',
        summary: 'One geometry tile of the grid at a revision (Mapbox Vector Tile; no incident figures, the same for every viewer)',
        description:
          'The revision is the one /tiles/geometry.json names (immutable), or `current` (no-cache; for a fixed URL template, as in QGIS). A past revision is redirected (302) to the same tile of the current one (or answered from a cache still holding it: the answer at an address never changes); a revision the grid never had is a 404.',
        ok: { description: 'The tile (204 when empty, 304 when unchanged)', type: 'application/vnd.mapbox-vector-tile' },
        errors: [404],
      }),
      validate('param', GeometryTileParams),
      async (c) => {
        const { revision: asked, z, x, y } = c.req.valid('param')
        assertTileExists(z, x, y)
        const current = asked === CURRENT
        const revision = current ? await gridRevision(sql) : asked
        // The same for every viewer and never changing at its address: one entry for all scopes,
        // kept through the figures' refreshes (cache.ts), and no database at all on a hit.
        const key = `${IMMUTABLE_KEY}geometry/${revision}/${z}/${x}/${y}`
        if (!current && !cache.get(key)) {
          const latest = await gridRevision(sql)
          if (revision > latest) {
            throw new HttpProblem(
              404,
              'Grid revision not found',
              `The grid has no revision ${revision} (parameter revision); the current one is ${latest}, named by /tiles/geometry.json.`,
              [{ name: 'revision', reason: `Expected a revision of this grid, at most ${latest}.` }],
            )
          }
          if (revision < latest) return redirectToRevision(c, latest, z, x, y)
        }
        try {
          const tile = await cache.getOrBuild(key, () => buildGeometryTile(revision, { z, x, y }))
          return await tileResponse(c, tile, current ? CURRENT_CACHE_CONTROL : GEOMETRY_CACHE_CONTROL)
        } catch (error) {
          if (!(error instanceof RevisionMoved)) throw error
          return redirectToRevision(c, await gridRevision(sql), z, x, y)
        }
      },
    )
}

/** The same tile at the current revision; never kept by a cache (the next import moves it on). */
function redirectToRevision(c: Context, revision: number, z: number, x: number, y: number): Response {
  return c.body(null, 302, { location: `/tiles/geometry/${revision}/${z}/${x}/${y}.mvt`, 'cache-control': 'no-store' })
}
