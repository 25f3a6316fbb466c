/**
 * An intranet XYZ tile server as the basemap, in Chromium: the test serves one-colour PNG tiles
 * at /{z}/{x}/{y}.png from a small node:http server on a loopback port (violet: red and blue above
 * green, which no colour of the product's palette comes near) and starts the product with
 * BASEMAP=http://127.0.0.1:<port>/{z}/{x}/{y}.png. The map (1440×900) must show the colour across
 * the map and under the district's towns; the tile server must have been asked for the tiles of
 * the area in view, at the map's zoom; and the browser must have asked only the product (which
 * fetches the tiles for it). Screenshot in test/artifacts/basemap-xyz-map.png.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBasemap } from '../../server/basemap/archive.ts'
import { parseBasemapConfig } from '../../server/basemap/config.ts'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { tilesCovering } from '../support/pmtiles-writer.ts'
import { basemapShares, basemapUnderCells, canvasBox, watchOrigins } from './basemap-page.ts'
import { waitForChildrenOf } from './map-page.ts'
import { screenshotClear } from './banners.ts'

const VIOLET = { r: 170, g: 30, b: 230 }

interface TileRequest {
  z: number
  x: number
  y: number
}

/** One-colour PNG tiles at /{z}/{x}/{y}.png; what was asked for is recorded, anything else is a 404. */
async function startTileServer(requests: TileRequest[]): Promise<{ server: Server; port: number }> {
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: VIOLET } })
    .png()
    .toBuffer()
  const server = createServer((req, res) => {
    const match = /^\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '')
    if (!match) {
      res.writeHead(404).end()
      return
    }
    requests.push({ z: Number(match[1]), x: Number(match[2]), y: Number(match[3]) })
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

describe.skipIf(!HAS_CHROMIUM)('an intranet XYZ basemap under the grid in a browser', () => {
  let db: Database
  let tiles: { server: Server; port: number }
  let server: WebServer
  let browser: Browser
  const requests: TileRequest[] = []
  const errors: string[] = []
  const origins = new Set<string>()

  beforeAll(async () => {
    db = connectTestDatabase()
    tiles = await startTileServer(requests)
    server = await startWebServer(db, { basemap: await openBasemap(parseBasemapConfig({ BASEMAP: `http://127.0.0.1:${tiles.port}/{z}/{x}/{y}.png` })) })
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (tiles) await new Promise((resolve) => tiles.server.close(resolve))
    await db?.close()
  })

  it('shows the tile server’s tiles of the area in view on the map (1440×900), fetched by the product', { timeout: 420_000 }, async () => {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, server)
    watchOrigins(page, origins)
    await page.goto(server.url)
    const roots = (await (await fetch(`${server.url}/api/grids`, { headers: { cookie: server.cookie } })).json()) as { roots: { code: string }[] }
    await waitForChildrenOf(page, roots.roots[0]!.code, 120_000)
    const box = await canvasBox(page, '.grid-map__canvas')
    await expect.poll(async () => (await basemapShares(await screenshotClear(page), VIOLET, box)).pure, { timeout: 60_000 }).toBeGreaterThan(0.02)
    // Under the towns: the silent cells' overlay (on by default, over every household group of a
    // database without patrols) is switched off, its outlines would cover the towns; then most
    // points inside the towns are the basemap seen through the towns' fill (neither hidden nor bare).
    await page.getByTestId('silent-toggle').uncheck()
    const underTowns = () => basemapUnderCells(page, box, VIOLET)
    await expect.poll(async () => (await underTowns()).blended, { timeout: 60_000 }).toBeGreaterThan(0.6)
    expect((await underTowns()).points).toBeGreaterThan(15)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-xyz-map.png') })

    // The tiles asked for are those of the view, at the zoom MapLibre draws a 256-pixel raster source
    // with: its zoom counts 512-pixel tiles, so one deeper than the map's, rounded.
    const view = await page.evaluate(() => {
      const map = window.__gridscope!.map
      const b = map.getBounds()
      return { zoom: map.getZoom(), bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as [number, number, number, number] }
    })
    const z = Math.round(view.zoom + 1)
    const key = (t: TileRequest) => `${t.z}/${t.x}/${t.y}`
    const asked = new Set(requests.map(key))
    const inView = tilesCovering(view.bounds, z)
    expect(inView.every((t) => asked.has(key(t)))).toBe(true)
    for (const t of requests) {
      // Nothing far from the view: each tile asked for is in view at its zoom, or next to it (MapLibre's margin).
      expect(Math.abs(t.z - z)).toBeLessThanOrEqual(1)
      const around = tilesCovering(view.bounds, t.z)
      const [xs, ys] = [around.map((a) => a.x), around.map((a) => a.y)]
      expect(t.x).toBeGreaterThanOrEqual(Math.min(...xs) - 1)
      expect(t.x).toBeLessThanOrEqual(Math.max(...xs) + 1)
      expect(t.y).toBeGreaterThanOrEqual(Math.min(...ys) - 1)
      expect(t.y).toBeLessThanOrEqual(Math.max(...ys) + 1)
    }
    // The browser asked the product alone; the tile server was reached by the product.
    expect([...origins]).toEqual([server.url])
    await page.close()
  })

  it('drew without page errors', () => {
    expect(errors).toEqual([])
  })
})
