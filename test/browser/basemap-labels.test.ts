/**
 * The vector basemap's names in Chromium, drawn with no glyphs from anywhere: the server is given
 * a vector PMTiles archive the test builds (the district's land, and a `places` layer with towns
 * named in Chinese, and one in Latin letters and digits, at points the test chooses), and a second
 * server the same land without the places. The same screen from both must differ around each place's projected position (its name
 * drawn there, where the other has nothing) and not elsewhere; MapLibre must have placed the name
 * there; and no request may leave the test server (one to elsewhere is refused by the page's
 * Content-Security-Policy, a console error the last test catches; one past it, the origins
 * watched would show). The map (1440×900) and the phone (390×844);
 * screenshots in test/artifacts/basemap-labels-*.png.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBasemap } from '../../server/basemap/archive.ts'
import { parseBasemapConfig } from '../../server/basemap/config.ts'
import type { Database } from '../../server/db/connect.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { type ArchivePlace, buildLandArchive } from '../support/pmtiles-writer.ts'
import { type Box, differingShare, watchOrigins } from './basemap-page.ts'
import { openPhone } from './field-page.ts'
import { settle, waitForChildrenOf } from './map-page.ts'

/** A 1440×900 map drawn by SwiftShader can take longer than Playwright's 30 s for one frame on a loaded machine. */
const SHOT_TIMEOUT = 120_000

/** Lets the phone's map (its handle, window.__gridscopeField) finish moving and loading, and a couple of frames draw. */
async function settlePhone(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const map = window.__gridscopeField!.map()
    while (map.isMoving() || !map.loaded()) await new Promise((resolve) => map.once('idle', resolve))
    await document.fonts.ready
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

/** Around a name's anchor: three CJK characters at the style's largest size (12 px), with their halo. */
const LABEL_BOX = { width: 64, height: 28 }
const boxAround = ({ x, y }: { x: number; y: number }, size = LABEL_BOX): Box => ({
  left: x - size.width / 2,
  top: y - size.height / 2,
  width: size.width,
  height: size.height,
})

describe.skipIf(!HAS_CHROMIUM)('the vector basemap’s names in a browser, from local fonts', () => {
  let db: Database
  let labelled: WebServer
  let unlabelled: WebServer
  let browser: Browser
  let dir: string
  let towns: ArchivePlace[]
  let latin: ArchivePlace
  let phoneCell: { code: string; lon: number; lat: number }
  const errors: string[] = []
  const origins = new Set<string>()

  beforeAll(async () => {
    db = connectTestDatabase()
    dir = mkdtempSync(join(tmpdir(), 'gridscope-basemap-labels-'))
    // Two villages' points, in two towns, far apart, far from every town's name (the map's own
    // labels at the district's view) and from the district's edge; and the middle of a household
    // group, which the phone centres.
    const villages = await db.sql<{ lon: number; lat: number; town: string }[]>`
      select ST_X(v.label_point) as lon, ST_Y(v.label_point) as lat, v.parent_code as town
      from grid_cell v, grid_cell d
      where v.level = 3 and d.code = left(v.code, 6)
      order by least((select min(ST_Distance(v.label_point, t.label_point)) from grid_cell t where t.level = 2),
                     ST_Distance(v.label_point, ST_Boundary(d.geom))) desc, v.code
      limit 40`
    const first = villages[0]!
    // Ten kilometres apart, so that neither name hides the other.
    const second = villages.find((v) => v.town !== first.town && Math.hypot(v.lon - first.lon, v.lat - first.lat) > 0.1)!
    towns = [
      { lon: first.lon, lat: first.lat, name: '望海岭' },
      { lon: second.lon, lat: second.lat, name: '沙琅墟', tags: { 'name:zh-Hans': '沙琅圩' } },
    ]
    // And a name in Latin letters and digits, whose glyphs a style with a glyphs URL would fetch (CJK ones MapLibre draws locally anyway).
    const third = villages.find((v) => [first, second].every((o) => v.town !== o.town && Math.hypot(v.lon - o.lon, v.lat - o.lat) > 0.1))!
    latin = { lon: third.lon, lat: third.lat, name: 'Bohe 2' }
    const [cell] = await db.sql<{ code: string; lon: number; lat: number }[]>`
      select code, (ST_XMin(geom) + ST_XMax(geom)) / 2 as lon, (ST_YMin(geom) + ST_YMax(geom)) / 2 as lat
      from grid_cell where level = 5 order by code limit 1`
    phoneCell = cell!
    const phoneTown = { lon: phoneCell.lon, lat: phoneCell.lat, name: '林头' }
    const withNames = join(dir, 'named.pmtiles')
    const without = join(dir, 'land.pmtiles')
    await buildLandArchive(db.sql, withNames, { minZoom: 6, maxZoom: 10, places: [...towns, latin, phoneTown] })
    await buildLandArchive(db.sql, without, { minZoom: 6, maxZoom: 10 })
    labelled = await startWebServer(db, { basemap: await openBasemap(parseBasemapConfig({ BASEMAP: `pmtiles:${withNames}` })) })
    unlabelled = await startWebServer(db, { basemap: await openBasemap(parseBasemapConfig({ BASEMAP: `pmtiles:${without}` })) })
    browser = await launchBrowser()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await labelled?.close()
    await unlabelled?.close()
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** The map page of `server`, settled on the district's towns. */
  async function openMap(server: WebServer): Promise<Page> {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, server)
    watchOrigins(page, origins)
    await page.goto(server.url)
    const roots = (await (await fetch(`${server.url}/api/grids`, { headers: { cookie: server.cookie } })).json()) as { roots: { code: string }[] }
    await waitForChildrenOf(page, roots.roots[0]!.code, 120_000)
    return page
  }

  it('draws the towns’ Chinese names on the map (1440×900) where they are, from this server alone', { timeout: 420_000 }, async () => {
    const page = await openMap(labelled)
    // MapLibre placed each name (its symbol layer), at the place's point: the name itself, or its zh-Hans form.
    const placed = async () =>
      page.evaluate(
        (points) => {
          const map = window.__gridscope!.map
          return points.map(({ lon, lat }) => {
            const { x, y } = map.project([lon, lat])
            const features = map.queryRenderedFeatures(
              [
                [x - 4, y - 4],
                [x + 4, y + 4],
              ],
              { layers: ['basemap-places_locality'] },
            )
            return features.map((f) => String(f.properties['name:zh-Hans'] ?? f.properties.name))
          })
        },
        [...towns, latin],
      )
    await expect.poll(placed, { timeout: 60_000 }).toEqual([['望海岭'], ['沙琅圩'], ['Bohe 2']])
    await settle(page)
    const points = await Promise.all(towns.map((t) => page.evaluate(([lon, lat]) => window.__gridscope!.pagePointOf(lon, lat), [t.lon, t.lat] as const)))
    // The grid's own names are elsewhere: the difference below is the basemap's name.
    const gridLabels = await page.evaluate(() => window.__gridscope!.labelBoxes())
    for (const p of points) {
      const box = boxAround(p)
      expect(gridLabels.some(([l, t, r, b]) => l < box.left + box.width && r > box.left && t < box.top + box.height && b > box.top)).toBe(false)
    }
    const named = await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-labels-map.png'), timeout: SHOT_TIMEOUT })

    const bare = await openMap(unlabelled)
    const plain = await bare.screenshot({ timeout: SHOT_TIMEOUT })
    for (const p of points) {
      // Ink where the name is…
      expect(await differingShare(named, plain, boxAround(p))).toBeGreaterThan(0.04)
      // …and nowhere near it otherwise: the same box a little below is the same in both.
      expect(await differingShare(named, plain, boxAround({ x: p.x, y: p.y + 60 }))).toBeLessThan(0.005)
    }
    await bare.close()
    // For the eye: the names over the towns' colours alone, the silent cells' overlay (on above) off.
    await page.getByTestId('silent-toggle').uncheck()
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'basemap-labels-map-towns.png'), timeout: SHOT_TIMEOUT })
    await page.close()
    expect([...origins]).toEqual(expect.arrayContaining([labelled.url]))
    expect([...origins].every((origin) => origin === labelled.url || origin === unlabelled.url)).toBe(true)
  })

  it('draws a name on the phone (390×844) under the worker’s household group', { timeout: 300_000 }, async () => {
    const worker = await signIn(db, 'grid_worker', phoneCell.code)
    const shots: Buffer[] = []
    let middle: { x: number; y: number } | undefined
    for (const server of [labelled, unlabelled]) {
      const context = await openPhone(browser, server.url, worker, { longitude: phoneCell.lon, latitude: phoneCell.lat }, errors)
      const page = await context.newPage()
      watchOrigins(page, origins)
      await page.goto(`${server.url}/m`)
      await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
      await page.waitForFunction(() => window.__gridscopeField !== undefined, undefined, { timeout: 60_000 })
      const names = () =>
        page.evaluate(({ lon, lat }) => {
          const map = window.__gridscopeField!.map()
          const { x, y } = map.project([lon, lat])
          const box: [[number, number], [number, number]] = [
            [x - 4, y - 4],
            [x + 4, y + 4],
          ]
          return map.queryRenderedFeatures(box, { layers: ['basemap-places_locality'] }).map((f) => String(f.properties.name))
        }, phoneCell)
      if (server === labelled) await expect.poll(names, { timeout: 60_000 }).toEqual(['林头'])
      await settlePhone(page)
      if (server === unlabelled) expect(await names()).toEqual([])
      middle = await page.evaluate(({ lon, lat }) => {
        const map = window.__gridscopeField!.map()
        const { x, y } = map.project([lon, lat])
        const rect = map.getCanvas().getBoundingClientRect()
        return { x: rect.left + x, y: rect.top + y }
      }, phoneCell)
      shots.push(
        await page.screenshot(
          server === labelled ? { path: join(ARTIFACTS_DIR, 'basemap-labels-phone.png'), timeout: SHOT_TIMEOUT } : { timeout: SHOT_TIMEOUT },
        ),
      )
      await context.close()
    }
    expect(await differingShare(shots[0]!, shots[1]!, boxAround(middle!))).toBeGreaterThan(0.04)
    expect(await differingShare(shots[0]!, shots[1]!, boxAround({ x: middle!.x, y: middle!.y + 60 }))).toBeLessThan(0.005)
    expect([...origins].every((origin) => origin === labelled.url || origin === unlabelled.url)).toBe(true)
  })

  it('drew without page errors', () => {
    expect(errors).toEqual([])
  })
})
