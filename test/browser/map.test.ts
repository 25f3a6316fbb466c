/**
 * End to end in Debian's Chromium: the built client served with the API on the shared test
 * database. The facts checked (which town lies where, its name and households) are read from
 * the API first; what was drawn is asked of deck.gl's picking and of the screenshot's pixels.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { waitForNoEndlessAnimation } from './stillness.ts'
import { screenshotClear } from './banners.ts'

interface Town {
  code: string
  name: string
  households: number
  labelPoint: [number, number]
}

const VIEWPORT = { width: 1600, height: 1000 }
/** The map's sea colour (web/src/map/palette.ts SEA_COLOR, #08121f). */
const SEA_RGB = [8, 18, 31] as const

// Skipped when /usr/bin/chromium (or CHROMIUM_PATH) is missing: these tests need a real browser
// with WebGL2; test/support/browser.ts prints how to install one.
describe.skipIf(!HAS_CHROMIUM)('the situation map in a browser', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  let town: Town
  const pageErrors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    const roots = (await (await fetch(`${server.url}/api/grids`, { headers: { cookie: server.cookie } })).json()) as { roots: { code: string }[] }
    const rootCode = roots.roots[0]!.code
    const towns = (await (await fetch(`${server.url}/api/grids/${rootCode}/geometry?children=1`, { headers: { cookie: server.cookie } })).json()) as {
      features: { properties: Town; geometry: { coordinates: unknown } }[]
    }
    // The town with the largest extent: room around its label to hover and to sample pixels.
    town = towns.features.map((f) => ({ town: f.properties, extent: bboxArea(f.geometry.coordinates) })).sort((a, b) => b.extent - a.extent)[0]!.town
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
    mkdirSync(ARTIFACTS_DIR, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('draws the towns, names one under the pointer, and switches to English', { timeout: 120_000 }, async () => {
    await page.goto(server.url)
    await waitForTownDrawn(page, town)

    // deck.gl picking finds the town the API placed there.
    const picked = await page.evaluate(([lon, lat]) => window.__gridscope!.pickCellAt(lon, lat), town.labelPoint)
    expect(picked).toBe(town.code)

    // And the screenshot has the town's fill there, not the sea: sample next to the label,
    // at points that picking confirms are inside the same town.
    const inside = await pointsInsideTown(page, town)
    expect(inside.length).toBeGreaterThan(0)
    const colours = await pixelsAt(page, await screenshotClear(page), inside)
    for (const colour of colours) expect(distance(colour, SEA_RGB)).toBeGreaterThan(30)

    // Hovering shows the tooltip with the Chinese name and households.
    const at = await page.evaluate(([lon, lat]) => window.__gridscope!.pagePointOf(lon, lat), town.labelPoint)
    await page.mouse.move(at.x, at.y)
    const tooltip = page.getByRole('tooltip')
    await tooltip.waitFor()
    expect(await tooltip.innerText()).toContain(town.name)
    expect(await tooltip.innerText()).toContain(`${town.households.toLocaleString('zh-CN')} 户`)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await page.locator('h1').innerText()).toBe('网格态势')
    // Nothing animates without end once the map has drawn (the live dot pulses once per case).
    await waitForNoEndlessAnimation(page)
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'map-zh.png') })

    // English: the header changes, <html lang> follows, numbers are formatted for English.
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('h1').innerText()).toBe('Gridscope')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await page.mouse.move(at.x + 1, at.y + 1)
    await tooltip.waitFor()
    await expect.poll(() => tooltip.innerText()).toContain(`${town.households.toLocaleString('en')} households`)
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'map-en.png') })

    // The choice is remembered across a reload.
    await page.reload()
    await expect.poll(() => page.locator('h1').innerText()).toBe('Gridscope')

    expect(pageErrors).toEqual([])
  })
})

/** Waits until deck.gl picks `town` at its label point, i.e. the town layer has been drawn. */
async function waitForTownDrawn(page: Page, town: Town) {
  await page.waitForFunction(
    ([lon, lat, code]) => window.__gridscope?.pickCellAt(lon as number, lat as number) === code,
    [...town.labelPoint, town.code] as const,
    { timeout: 60_000, polling: 250 },
  )
  await settle(page)
}

/** Lets the camera finish, web fonts load and a couple of frames draw before a screenshot. */
async function settle(page: Page) {
  await page.evaluate(async () => {
    const map = window.__gridscope!.map
    if (map.isMoving() || !map.loaded()) await new Promise((resolve) => map.once('idle', resolve))
    await document.fonts.ready
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

/** Page points around the label (clear of its text) that deck.gl picks as `town`. */
async function pointsInsideTown(page: Page, town: Town): Promise<{ x: number; y: number }[]> {
  return page.evaluate(
    ([lon, lat, code]) => {
      const handle = window.__gridscope!
      const centre = handle.map.project([lon as number, lat as number])
      const rect = handle.map.getCanvas().getBoundingClientRect()
      const offsets = [
        [0, 22],
        [0, -22],
        [0, 30],
        [0, -30],
        [50, 0],
        [-50, 0],
      ]
      return offsets
        .map(([dx, dy]) => ({ x: centre.x + dx!, y: centre.y + dy! }))
        .filter((p) => {
          const at = handle.map.unproject([p.x, p.y])
          // Inside the town, and not under an incident point (other test files report incidents).
          return handle.pickCellAt(at.lng, at.lat) === code && !handle.topLayerAt(at.lng, at.lat)?.startsWith('incident')
        })
        .map((p) => ({ x: Math.round(rect.left + p.x), y: Math.round(rect.top + p.y) }))
    },
    [...town.labelPoint, town.code] as const,
  )
}

/** RGB of a PNG screenshot at page points, decoded by the browser itself (no image library). */
async function pixelsAt(page: Page, png: Buffer, points: { x: number; y: number }[]): Promise<number[][]> {
  return page.evaluate(
    async ({ base64, points }) => {
      // Decoded from bytes, not fetched from a data: URL: the page's CSP allows connections to itself only.
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))], { type: 'image/png' }))
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
      const context = canvas.getContext('2d')!
      context.drawImage(bitmap, 0, 0)
      return points.map(({ x, y }) => [...context.getImageData(x, y, 1, 1).data.slice(0, 3)])
    },
    { base64: png.toString('base64'), points },
  )
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(...a.map((value, i) => value - b[i]!))
}

/** Area of the lon/lat bounding box of nested GeoJSON coordinates. */
function bboxArea(coordinates: unknown): number {
  const box = [Infinity, Infinity, -Infinity, -Infinity]
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return
    if (typeof value[0] === 'number') {
      const [lon, lat] = value as [number, number]
      box[0] = Math.min(box[0]!, lon)
      box[1] = Math.min(box[1]!, lat)
      box[2] = Math.max(box[2]!, lon)
      box[3] = Math.max(box[3]!, lat)
    } else value.forEach(visit)
  }
  visit(coordinates)
  return (box[2]! - box[0]!) * (box[3]! - box[1]!)
}
