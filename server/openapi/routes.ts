/**
 * GET /api/openapi.json: the OpenAPI 3.1 document of the whole API, built once from the app's
 * routes (document.ts). GET /api/docs: Swagger UI on it, every file served from this origin
 * (the bundle from node_modules/swagger-ui-dist), so it works without the internet and under
 * the page's Content-Security-Policy (no inline script). Both public: they describe, never show data.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import { describeRoute } from '../http/describe.ts'
import { buildOpenApiDocument } from './document.ts'

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const PAGE_DIR = new URL('./docs-page/', import.meta.url).pathname

/** The files /api/docs/<name> may serve, each with its folder and type (an allow-list: no path from the request reaches the disk). */
const FILES: Record<string, { dir: string; type: string }> = {
  'swagger-ui-bundle.js': { dir: SWAGGER_DIR, type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { dir: SWAGGER_DIR, type: 'text/css; charset=utf-8' },
  'docs.js': { dir: PAGE_DIR, type: 'text/javascript; charset=utf-8' },
  'docs.css': { dir: PAGE_DIR, type: 'text/css; charset=utf-8' },
}

export function openApiRoutes(app: () => Hono, version: string) {
  let document: Promise<unknown> | undefined
  const files = new Map<string, Promise<Buffer>>()
  const readOnce = (name: string, dir: string) => {
    let bytes = files.get(name)
    if (!bytes) files.set(name, (bytes = readFile(join(dir, name))))
    return bytes
  }
  return new Hono()
    .get('/openapi.json', describeRoute({ tag: 'meta', summary: 'This OpenAPI 3.1 document', access: 'public' }), async (c) => {
      document ??= buildOpenApiDocument(app(), version)
      return c.json(await document, 200, { 'cache-control': 'no-cache' })
    })
    .get(
      '/docs',
      describeRoute({
        tag: 'meta',
        summary: 'The API reference for people (Swagger UI, works offline)',
        access: 'public',
        ok: { description: 'HTML page', type: 'text/html' },
      }),
      async (c) => c.html((await readOnce('docs.html', PAGE_DIR)).toString('utf8'), 200, { 'cache-control': 'no-cache' }),
    )
    .get(
      '/docs/:file',
      describeRoute({
        tag: 'meta',
        summary: 'A script or style sheet of the API reference page',
        access: 'public',
        errors: [404],
        ok: { description: 'The file', type: 'text/javascript' },
      }),
      async (c) => {
        const name = c.req.param('file')
        const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined
        if (!file) return c.notFound()
        return c.body(new Uint8Array(await readOnce(name, file.dir)), 200, { 'content-type': file.type, 'cache-control': 'public, max-age=3600' })
      },
    )
}
