/**
 * Serves the built web client (web/dist) from the API's port. Client-side routes such as
 * /grid/440904004 fall back to index.html; hashed assets are cached for a year, and a missing
 * asset is a 404 (never the page, which a browser would then keep for a year under that name).
 * The phone page's service worker (sw.js, with its Workbox runtime) and manifest are revalidated
 * on every load, so a new build reaches installed phones; the manifest gets its own content type.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Context, Hono, Next } from 'hono'

export const WEB_DIST = new URL('../../web/dist/', import.meta.url).pathname

const noCache = async (c: Context, next: Next) => {
  await next()
  if (c.res.status === 200) c.res.headers.set('cache-control', 'no-cache')
}

export function mountWebClient(app: Hono, root = WEB_DIST): void {
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.status === 200) c.res.headers.set('cache-control', 'public, max-age=31536000, immutable')
  })
  app.use('/sw.js', noCache)
  app.use('/workbox-*', noCache)
  app.use('/manifest.webmanifest', async (c, next) => {
    await next()
    if (c.res.status === 200) {
      c.res.headers.set('content-type', 'application/manifest+json; charset=utf-8')
      c.res.headers.set('cache-control', 'no-cache')
    }
  })
  app.use('*', serveStatic({ root }))
  app.get('*', async (c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/assets/')) return c.notFound()
    const html = await readFile(join(root, 'index.html'), 'utf8')
    return c.html(html, 200, { 'cache-control': 'no-cache' })
  })
}
