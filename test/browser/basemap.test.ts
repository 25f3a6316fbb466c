/**
 * The basemap under the grid in Chromium, on every screen that draws a map through the one map
 * shell: the server is given a raster PMTiles archive the test draws (one magenta colour, which
 * no colour of the product's palette comes near: red above green), served with range requests;
 * the map (1440×900), the analyst view (1440×900), the wall (1920×1080) and the phone (390×844)
 * must show it across the map and under the grid's cells (the cells' fill blended over it, not
 * hiding it). Screenshots of the four go to test/artifacts/basemap-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWallToken } from '../../server/access/accounts.ts'
import { openBasemap } from '../../server/basemap/archive.ts'
import { parseBasemapConfig } from '../../server/basemap/config.ts'
import type { Database } from '../../server/db/connect.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { buildRasterArchive } from '../support/pmtiles-writer.ts'
import { openPhone } from './field-page.ts'
import { waitForChildrenOf } from './map-page.ts'
import { waitForWall } from './wall-page.ts'
import { waitForSelection } from './analyst-page.ts'
import { screenshotClear } from './banners.ts'
import { type Box, basemapShares as sharesOf, basemapUnderCells, canvasBox } from './basemap-page.ts'

/** Red above green, which no colour of the product's palette comes near (basemap-page.ts). */
const MAGENTA = { r: 200, g: 40, b: 200 }
const basemapShares = (png: Buffer, box?: Box) => sharesOf(png, MAGENTA, box)

describe.skipIf(!HAS_CHROMIUM)('the basemap under the grid in a browser', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let dir: string
  const errors: string[] = []
  const archiveRequests: number[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    dir = mkdtempSync(join(tmpdir(), 'gridscope-basemap-'))
    const path = join(dir, 'raster.pmtiles')
    await buildRasterArchive(db.sql, path, MAGENTA, { minZoom: 5, maxZoom: 10 })
    server = await startWebServer(db, { basemap: await openBasemap(parseBasemapConfig({ BASEMAP: `pmtiles:${path}` })) })
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const watchArchive = (page: Page) =>
    page.on('response', (response) => {
      if (response.url().endsWith('/tiles/basemap.pmtiles')) archiveRequests.push(response.status())
    })

  it('shows on the map (1440×900) across the map and under the district’s towns', { timeout: 420_000 }, async () => {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, server)
    watchArchive(page)
    await page.goto(server.url)
    const roots = (await (await fetch(`${server.url}/api/grids`, { headers: { cookie: server.cookie } })).json()) as { roots: { code: string }[] }
    await waitForChildrenOf(page, roots.roots[0]!.code, 120_000)
    const box = await canvasBox(page, '.grid-map__canvas')
    await expect.poll(async () => (await basemapShares(await screenshotClear(page))).pure, { timeout: 60_000 }).toBeGreaterThan(0.02)
    // Under the towns: the silent cells' overlay (on by default, over every household group of a
    // database without patrols) is switched off, its outlines would cover the towns; then most
    // points inside the towns are the basemap seen through the towns' fill (neither hidden nor bare).
    await page.getByTestId('silent-toggle').uncheck()
    const underTowns = () => basemapUnderCells(page, box, MAGENTA)
    await expect.poll(async () => (await underTowns()).blended, { timeout: 60_000 }).toBeGreaterThan(0.6)
    expect((await underTowns()).points).toBeGreaterThan(15)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-map.png') })
    expect(archiveRequests.length).toBeGreaterThan(0)
    expect(archiveRequests.every((status) => status === 206)).toBe(true)
    await page.close()
  })

  it('shows on the wall (1920×1080)', { timeout: 300_000 }, async () => {
    const { token } = await addWallToken(db.sql, { label: 'basemap browser test' })
    const page = await openWatchedPage(browser, { width: 1920, height: 1080 }, errors)
    await page.goto(`${server.url}/wall?token=${token}`)
    await waitForWall(page, { timeout: 180_000 })
    const box = await canvasBox(page, '.wall-map__canvas')
    await expect.poll(async () => (await basemapShares(await screenshotClear(page), box)).pure, { timeout: 60_000 }).toBeGreaterThan(0.02)
    // The district's land and towns are drawn over it, blended: the basemap tints them.
    const shares = await basemapShares(await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-wall.png') }), box)
    expect(shares.tinted).toBeGreaterThan(0.1)
    await page.close()
  })

  it('shows on the analyst view (1440×900)', { timeout: 300_000 }, async () => {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, server)
    await page.goto(`${server.url}/analyst`)
    await waitForSelection(page, 180_000)
    const box = await canvasBox(page, '.analyst .grid-map__canvas')
    await expect.poll(async () => (await basemapShares(await screenshotClear(page), box)).pure, { timeout: 60_000 }).toBeGreaterThan(0.02)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-analyst.png') })
    await page.close()
  })

  it('shows on the phone (390×844) under the worker’s household group', { timeout: 240_000 }, async () => {
    const [cell] = await db.sql<{ code: string; lon: number; lat: number }[]>`
      select code, ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat from grid_cell where level = 5 order by code limit 1`
    const worker = await signIn(db, 'grid_worker', cell!.code)
    const context = await openPhone(browser, server.url, worker, { longitude: cell!.lon, latitude: cell!.lat }, errors)
    const page = await context.newPage()
    await page.goto(`${server.url}/m`)
    await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
    const box = await canvasBox(page, '.field-cell-map__canvas')
    // The cell's own fill covers much of the phone's map: the basemap shows bare around it and blended under it.
    await expect
      .poll(
        async () => {
          const shares = await basemapShares(await screenshotClear(page), box)
          return shares.pure > 0.02 && shares.tinted > 0.1
        },
        { timeout: 60_000 },
      )
      .toBe(true)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-phone.png') })
    await context.close()
  })

  it('drew without page errors', () => {
    expect(errors).toEqual([])
  })
})
