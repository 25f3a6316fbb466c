/**
 * The basemap, served by Gridscope (mounted under /tiles, so only signed-in readers get it):
 *
 * - `GET|HEAD /tiles/basemap.pmtiles`: the local PMTiles archive with range requests (206 with
 *   Content-Range, 416 beyond the end, 200 for the whole file), a strong ETag from the file's size
 *   and time (If-None-Match → 304; If-Range honoured), `Accept-Ranges: bytes` and a cache lifetime.
 *   The browser reads the archive's header, directories and tiles from it (pmtiles:// in MapLibre).
 * - `GET /tiles/basemap/{z}/{x}/{y}`: one tile of the intranet XYZ/WMTS server, fetched by
 *   Gridscope. Proxied rather than given to the browser directly because: the key (天地图's tk) then
 *   never reaches a browser or its history; the Content-Security-Policy stays `'self'` (no
 *   per-deployment tile host to allow); and command-centre screens often reach only Gridscope,
 *   not the county's other servers. The upstream is fixed by the setting (no client-chosen URL).
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { describeRoute } from '../http/describe.ts'
import { HttpProblem } from '../http/problem.ts'
import { validate } from '../http/validate.ts'
import { log } from '../log.ts'
import type { Basemap } from './archive.ts'
import { tileUrl } from './config.ts'
import { matchesEtag, parseRange } from './range.ts'

// The archive changes only when an operator replaces it (and the ETag with it): an hour, then revalidation.
const ARCHIVE_CACHE_CONTROL = 'private, max-age=3600'
const UPSTREAM_TIMEOUT_MS = 10_000
const UPSTREAM_TYPES = /^(image\/(png|jpeg|webp)|application\/(x-protobuf|vnd\.mapbox-vector-tile))/

const TileParams = z.object({
  z: z
    .string()
    .regex(/^\d{1,2}$/, 'Expected zoom z as an integer from 0 to 22.')
    .transform(Number)
    .pipe(z.number().max(22, 'Expected zoom z as an integer from 0 to 22.')),
  x: z
    .string()
    .regex(/^\d{1,7}$/, 'Expected tile column x as a non-negative integer.')
    .transform(Number),
  y: z
    .string()
    .regex(/^\d{1,7}$/, 'Expected tile row y as a non-negative integer.')
    .transform(Number),
})

const noBasemap = (kind: string) => new HttpProblem(404, 'No basemap', `This server has no ${kind} basemap (setting BASEMAP).`)

export function basemapRoutes(basemap: Basemap) {
  // HEAD is answered by the GET route (Hono runs it and drops the body; serveArchive reads no file for it).
  const archive = (c: Context) => {
    if (basemap.config.kind !== 'pmtiles') throw noBasemap('PMTiles')
    return serveArchive(c, basemap.config.path)
  }
  return new Hono()
    .get(
      '/basemap.pmtiles',
      describeRoute({
        tag: 'basemap',
        summary: 'The PMTiles basemap archive, read with range requests (206; 416 beyond its end)',
        ok: { description: 'The archive or the requested range', type: 'application/vnd.pmtiles' },
        errors: [404],
      }),
      archive,
    )
    .get(
      '/basemap/:z/:x/:y',
      describeRoute({
        tag: 'basemap',
        summary: 'One tile of the intranet XYZ/WMTS basemap server, fetched by Gridscope (502 when it does not answer)',
        ok: { description: 'The tile as the server sent it', type: ['image/png', 'image/jpeg', 'image/webp', 'application/x-protobuf'] },
        errors: [404],
      }),
      validate('param', TileParams),
      async (c) => {
        if (basemap.config.kind !== 'xyz') throw noBasemap('XYZ/WMTS')
        const { z: zoom, x, y } = c.req.valid('param')
        if (x >= 2 ** zoom || y >= 2 ** zoom) throw new HttpProblem(404, 'Tile not found', `Tile ${zoom}/${x}/${y} is outside the world at zoom ${zoom}.`)
        return proxyTile(c, tileUrl(basemap.config.template, zoom, x, y))
      },
    )
}

async function serveArchive(c: Context, path: string): Promise<Response> {
  const file = await stat(path).catch(() => null)
  if (!file?.isFile()) throw new HttpProblem(404, 'No basemap', 'The basemap archive is not there any more; ask the operator.')
  const size = file.size
  const etag = `"${size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`
  const headers: Record<string, string> = {
    'accept-ranges': 'bytes',
    etag,
    'cache-control': ARCHIVE_CACHE_CONTROL,
    'last-modified': file.mtime.toUTCString(),
    'content-type': 'application/vnd.pmtiles',
  }
  if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
  // If-Range: a range only of this very version of the file, else the whole new one.
  const ifRange = c.req.header('if-range')
  const range = ifRange !== undefined && ifRange.trim() !== etag ? { kind: 'whole' as const } : parseRange(c.req.header('range'), size)
  if (range.kind === 'unsatisfiable')
    return c.body(
      JSON.stringify({ type: 'about:blank', title: 'Range not satisfiable', status: 416, detail: `The archive has ${size} bytes.`, instance: c.req.path }),
      416,
      { ...headers, 'content-range': `bytes */${size}`, 'content-type': 'application/problem+json; charset=utf-8' },
    )
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206 as const] : [0, size - 1, 200 as const]
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`
  headers['content-length'] = String(end - start + 1)
  if (c.req.method === 'HEAD' || size === 0) return c.body(null, status, headers)
  const stream = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>
  return c.body(stream, status, headers)
}

async function proxyTile(c: Context, url: string): Promise<Response> {
  let upstream: Response
  try {
    upstream = await fetch(url, { signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS), redirect: 'error', headers: { accept: 'image/*,application/x-protobuf' } })
  } catch (error) {
    // The URL holds the key: log the host only.
    log.warn({ host: new URL(url).host, err: (error as Error).name }, 'basemap tile server did not answer')
    throw new HttpProblem(502, 'Basemap server unavailable', 'The basemap tile server did not answer.')
  }
  if (upstream.status === 404 || upstream.status === 204) {
    await upstream.body?.cancel()
    throw new HttpProblem(404, 'Tile not found', 'The basemap tile server has no tile here.')
  }
  const type = upstream.headers.get('content-type') ?? ''
  if (!upstream.ok || !UPSTREAM_TYPES.test(type)) {
    await upstream.body?.cancel()
    log.warn({ host: new URL(url).host, status: upstream.status, type }, 'basemap tile server answered without a tile')
    throw new HttpProblem(502, 'Basemap server unavailable', `The basemap tile server answered ${upstream.status} without a tile.`)
  }
  const bytes = await upstream.arrayBuffer()
  return c.body(bytes, 200, { 'content-type': type, 'cache-control': 'private, max-age=86400' })
}
