/**
 * /api/imports/grid: the commander's grid import in the web interface (the command line's
 * `npm run import -- grid`, server/imports/, behind a page). Upload the files (multipart, field
 * `file` once per file, the options as fields; or one file as the raw body with its content type
 * and the options as query parameters), follow the check, read the problems as GeoJSON, apply.
 * Every step is the commander's only, audited, one import at a time.
 */
import { type Context, Hono } from 'hono'
import { basename, extname } from 'node:path'
import { clientIp } from '../access/client-ip.ts'
import { viewerOf } from '../access/scope.ts'
import { describeRoute } from '../http/describe.ts'
import { HttpProblem, invalidRequest } from '../http/problem.ts'
import { validate } from '../http/validate.ts'
import { parseFieldMap } from '../imports/cells.ts'
import type { ImportActor } from './sql/audit.ts'
import { type GridImports, type ImportSettings, MAIN_EXTENSIONS, PART_EXTENSIONS, type UploadedFile } from './service.ts'
import { ApplyBody, ImportIdParams, ImportSettingsSchema } from './types.ts'

/** The path whose requests may be as large as GRID_IMPORT_MAX_BYTES (the API's usual body limit elsewhere). */
export const GRID_IMPORT_PATH = /^\/api\/imports\/grid\/?$/
/** At most 100 MB per upload: a whole county's five levels as a Shapefile or GeoPackage is a few tens. */
export const GRID_IMPORT_MAX_BYTES = 100 * 1024 * 1024

/** A raw body's content type → the file extension the readers know it by. */
const RAW_TYPES: Record<string, string> = {
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
  'application/geopackage+sqlite3': '.gpkg',
  'application/geo+json': '.geojson',
  'application/json': '.geojson',
  'application/flatgeobuf': '.fgb',
}
const KNOWN = [...MAIN_EXTENSIONS, ...PART_EXTENSIONS] as readonly string[]
const FORMATS = '.zip (Shapefile), .shp with .dbf/.prj/.cpg, .gpkg, .geojson/.json, .fgb'

function actorOf(c: Context): ImportActor {
  const viewer = viewerOf(c)
  if (viewer.role !== 'commander' || viewer.kind !== 'user') throw new HttpProblem(403, 'Not permitted', 'Only the commander may import a grid.')
  return { actorId: viewer.id, actor: viewer.name, role: viewer.role, clientIp: clientIp(c) }
}

function unsupported(detail: string): HttpProblem {
  return new HttpProblem(415, 'Unsupported file type', detail, [{ name: 'file', reason: `Expected ${FORMATS}.` }])
}

function tooLarge(size: number, maxBytes: number): HttpProblem {
  return new HttpProblem(413, 'Upload too large', `The upload has ${size} bytes; at most ${maxBytes} bytes are accepted.`, [
    { name: 'file', reason: `Expected at most ${Math.floor(maxBytes / 2 ** 20)} MB in all.` },
  ])
}

function settingsOf(fields: Record<string, string>): { settings: ImportSettings; filename?: string } {
  const parsed = ImportSettingsSchema.safeParse(fields)
  if (!parsed.success) throw invalidRequest('body', parsed.error)
  const { filename, map, ...rest } = parsed.data
  return { settings: { ...rest, map: map === undefined ? undefined : parseFieldMap(map) }, filename }
}

/** The files and options of an upload, or the problem with it (400, 413, 415). */
async function readUpload(c: Context, maxBytes: number): Promise<{ files: UploadedFile[]; settings: ImportSettings }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase().split(';')[0]!.trim()
  const query = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v[0] ?? '']))
  if (type === 'multipart/form-data') {
    let form: FormData
    try {
      form = await c.req.formData()
    } catch {
      throw new HttpProblem(400, 'Invalid request', 'The multipart body could not be read; send the files in the field file.', [
        { name: 'file', reason: 'Expected a well-formed multipart/form-data body.' },
      ])
    }
    const fields: Record<string, string> = { ...query }
    const files: UploadedFile[] = []
    let size = 0
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') fields[name] = value
      else if (name === 'file') {
        const fileName = basename(value.name.replaceAll('\\', '/'))
        if (!KNOWN.includes(extname(fileName).toLowerCase())) throw unsupported(`${fileName}: the grid import does not read this type of file.`)
        if (files.some((f) => f.name === fileName))
          throw new HttpProblem(400, 'Invalid request', `The file ${fileName} was sent twice.`, [{ name: 'file', reason: 'Expected each file once.' }])
        size += value.size
        if (size > maxBytes) throw tooLarge(size, maxBytes)
        files.push({ name: fileName, bytes: new Uint8Array(await value.arrayBuffer()) })
      }
    }
    if (files.length === 0)
      throw new HttpProblem(400, 'Invalid request', 'No file was sent: add the grid in the field file.', [
        { name: 'file', reason: 'Expected at least one file.' },
      ])
    if (!files.some((f) => (MAIN_EXTENSIONS as readonly string[]).includes(extname(f.name).toLowerCase())))
      throw unsupported(`None of ${files.map((f) => f.name).join(', ')} holds a grid: add the .shp (or a .zip, .gpkg, .geojson, .fgb).`)
    return { files, settings: settingsOf(fields).settings }
  }
  const { settings, filename } = settingsOf(query)
  const fromName = filename ? extname(filename).toLowerCase() : ''
  const extension = RAW_TYPES[type] ?? (type === 'application/octet-stream' && (MAIN_EXTENSIONS as readonly string[]).includes(fromName) ? fromName : undefined)
  if (!extension)
    throw unsupported(
      `Content type ${type || '(none)'}: send multipart/form-data, or one file as application/zip, application/geopackage+sqlite3, application/geo+json or application/flatgeobuf.`,
    )
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes)
  if (bytes.byteLength === 0)
    throw new HttpProblem(400, 'Invalid request', 'The body is empty: send the file as the body.', [{ name: 'file', reason: 'Expected the file as the body.' }])
  const stem = filename ? basename(filename, extname(filename)).replaceAll(/[\\/]/g, '') || 'upload' : 'upload'
  return { files: [{ name: `${stem}${extension}`, bytes }], settings }
}

export function gridImportRoutes(imports: GridImports, maxBytes = GRID_IMPORT_MAX_BYTES) {
  return new Hono()
    .post(
      '/grid',
      describeRoute({
        tag: 'admin',
        summary: 'Upload a grid to import (commander): read at once, then checked in the background; one import at a time',
        errors: [403, 409, 413, 415, 422],
        ok: { status: 202, description: 'The import, being checked: follow GET /api/imports/grid/{id}' },
      }),
      async (c) => {
        const by = actorOf(c)
        await imports.refuseWhenBusy() // 409 before the body is read
        const { files, settings } = await readUpload(c, maxBytes)
        return c.json(await imports.start(files, settings, by), 202)
      },
    )
    .get('/grid', describeRoute({ tag: 'admin', summary: 'The grid imports kept (the last 20), newest first (commander)', errors: [403] }), async (c) => {
      actorOf(c)
      return c.json({ items: await imports.list() }, 200, { 'cache-control': 'private, no-store' })
    })
    .get(
      '/grid/:id',
      describeRoute({ tag: 'admin', summary: 'A grid import: progress, problems by kind, what applying changes (commander)', errors: [403, 404] }),
      validate('param', ImportIdParams),
      async (c) => {
        actorOf(c)
        return c.json(await imports.status(c.req.valid('param').id), 200, { 'cache-control': 'private, no-store' })
      },
    )
    .get(
      '/grid/:id/problems',
      describeRoute({
        tag: 'admin',
        summary: "A grid import's problems as GeoJSON (EPSG:4326; code, kind, severity, areaM2, message) (commander)",
        errors: [403, 404],
        ok: { description: 'A FeatureCollection, one feature per problem', type: 'application/geo+json' },
      }),
      validate('param', ImportIdParams),
      async (c) => {
        actorOf(c)
        return c.body(JSON.stringify(await imports.problems(c.req.valid('param').id)), 200, {
          'content-type': 'application/geo+json',
          'cache-control': 'private, no-store',
        })
      },
    )
    .post(
      '/grid/:id/apply',
      describeRoute({
        tag: 'admin',
        summary: 'Apply a checked grid import as a new grid version (commander); refused with blocking problems (422) or cells in use (409)',
        errors: [403, 404, 409, 422],
      }),
      validate('param', ImportIdParams),
      validate('json', ApplyBody),
      async (c) => {
        const by = actorOf(c)
        return c.json(await imports.apply(c.req.valid('param').id, by))
      },
    )
}
