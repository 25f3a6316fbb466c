/**
 * The phone page as an installable web app: the server hands out the manifest (its own content
 * type), the service worker (JavaScript, revalidated on every load so a new build reaches
 * installed phones), the icons, and the page itself at /m, from the built client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'
import { commanderApp, type RequestTarget } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

describe('the installable phone page', () => {
  let db: Database
  let app: RequestTarget

  beforeAll(async () => {
    await ensureWebBuilt()
    db = connectTestDatabase()
    app = await commanderApp(db, { extend: (hono) => mountWebClient(hono) })
  })

  afterAll(async () => {
    await db?.close()
  })

  it('serves the manifest as application/manifest+json, starting at /m, with PNG icons that exist', async () => {
    const response = await app.request('/manifest.webmanifest')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/)
    expect(response.headers.get('cache-control')).toBe('no-cache')
    const manifest = (await response.json()) as { start_url: string; scope: string; display: string; icons: { src: string; sizes: string; type: string }[] }
    expect(manifest).toMatchObject({ start_url: '/m', scope: '/m', display: 'standalone' })
    expect(manifest.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
    for (const icon of manifest.icons) {
      const image = await app.request(icon.src)
      expect(image.status, icon.src).toBe(200)
      expect(image.headers.get('content-type')).toBe('image/png')
      expect([...new Uint8Array(await image.arrayBuffer()).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47])
    }
  })

  it('serves the service worker as JavaScript, never cached for long, precaching the page and its assets', async () => {
    const response = await app.request('/sw.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/)
    expect(response.headers.get('cache-control')).toBe('no-cache')
    const body = await response.text()
    expect(body).toContain('index.html')
    expect(body).toMatch(/assets\/mobile-page-[\w-]+\.js/)
    // Its runtime and every precached file come from this server (only licence comments name URLs).
    expect(body).toMatch(/define\(\[["']\.\/workbox-\w+["']\]/)
    // The precache list's entries (`url:"…"`, quoted or not as the build minifies): all local.
    const precached = [...body.matchAll(/["']?url["']?:\s*["']([^"']+)["']/g)].map((match) => match[1]!)
    expect(precached).toContain('index.html')
    expect(precached.filter((url) => /^https?:/.test(url))).toEqual([])
  })

  it('answers /m with the client, which links the manifest', async () => {
    const response = await app.request('/m')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<link rel="manifest" href="/manifest.webmanifest">')
  })
})
