/**
 * Vector tiles of the grid: GET /tiles/grids/{z}/{x}/{y}.mvt and its TileJSON
 * (GET /tiles/grids.json). Tiles carry an ETag and Cache-Control, answer If-None-Match with
 * 304, are served gzipped to clients that accept it, and an empty tile is 204.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { HttpProblem, notFound } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { viewerScope } from '../access/scope.ts'
import { GridVersionParam } from '../grids/types.ts'
import { versionExists } from '../grids/versions.ts'
import type { TileCache } from './cache.ts'
import { encodeTile } from './encode.ts'
import { GRID_TILE_LAYERS, MAX_ZOOM, SOURCE_MAX_ZOOM, TILE_FIELDS } from './layers.ts'
import { gridBounds, gridGeneration, gridTopLevel, queryTileFeatures, queryTileMvt, supportsAsMvt, type TileAddress } from './queries.ts'

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

// Grid geometry changes only on import; a minute of freshness, then revalidation by ETag.
// Private: the incident figures depend on the viewer's scope, so no shared cache may keep them.
const CACHE_CONTROL = 'private, max-age=60, stale-while-revalidate=600'

export function tileRoutes(sql: Sql, cache: TileCache) {
  let useAsMvt: Promise<boolean> | undefined
  const buildTile = async (address: TileAddress) => {
    useAsMvt ??= supportsAsMvt(sql)
    return (await useAsMvt) ? queryTileMvt(sql, address) : encodeTile(await queryTileFeatures(sql, address))
  }

  return new Hono()
    .get('/grids.json', describeRoute({ tag: 'grids', summary: "TileJSON of the grid's vector tiles" }), async (c) => {
      const [bounds, generation, topLevel] = await Promise.all([
        gridBounds(sql).then((b) => b ?? [-180, -85.05, 180, 85.05]),
        gridGeneration(sql),
        gridTopLevel(sql),
      ])
      const origin = new URL(c.req.url).origin
      return c.json(
        {
          tilejson: '3.0.0',
          name: 'gridscope-grids',
          description: 'Five-level grid cells (网格) with their figures',
          scheme: 'xyz',
          // The grid's generation in the address: after an import browsers fetch new tiles at once
          // rather than keep the old ones for their minute of freshness.
          tiles: [`${origin}/tiles/grids/{z}/{x}/{y}.mvt${generation ? `?g=${generation}` : ''}`],
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
            fields: TILE_FIELDS,
          })),
        },
        200,
        // Revalidated on every use: an import changes the grid's bounds and its tiles' address.
        { 'cache-control': 'no-cache' },
      )
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
        const size = 2 ** z
        if (x >= size || y >= size) {
          throw new HttpProblem(400, 'Invalid request', `Tile ${z}/${x}/${y} does not exist: x and y must be from 0 to ${size - 1} at zoom ${z}.`, [
            ...(x >= size ? [{ name: 'x', reason: `Expected 0 to ${size - 1} at zoom ${z}.` }] : []),
            ...(y >= size ? [{ name: 'y', reason: `Expected 0 to ${size - 1} at zoom ${z}.` }] : []),
          ])
        }
        // The scope is part of the key: a cached tile never crosses scopes.
        const scope = viewerScope(c)
        const key = version === undefined ? `grids/${scope}/${z}/${x}/${y}` : `grids/${scope}/v${version}/${z}/${x}/${y}`
        const tile = await cache.getOrBuild(key, () => buildTile({ z, x, y, scope, version }))
        const headers: Record<string, string> = { etag: tile.etag, 'cache-control': CACHE_CONTROL, vary: 'accept-encoding' }
        if (c.req.header('if-none-match') === tile.etag) return c.body(null, 304, headers)
        if (tile.raw.byteLength === 0) return c.body(null, 204, headers)
        headers['content-type'] = 'application/vnd.mapbox-vector-tile'
        if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
          headers['content-encoding'] = 'gzip'
          return c.body((await tile.gzipped()) as Uint8Array<ArrayBuffer>, 200, headers)
        }
        return c.body(tile.raw as Uint8Array<ArrayBuffer>, 200, headers)
      },
    )
}
