/**
 * The analyst map filters the points it holds on the GPU, in Debian's Chromium, on the shared
 * test database: every request to /api/incidents/points is counted.
 * - Narrowing the status, the severity or the categories (and re-widening the categories within
 *   those held) requests no points: the map's count follows the API's total for the selection,
 *   the GPU filter given to the layers changes and the heatmap draws a different picture.
 * - Widening past the held points (the whole district after one town) requests them once; the
 *   points layer is cut by the same filter.
 * - Narrowing the time window with the histogram's brush requests no points either: the GPU's time
 *   filter cuts the held points, the count is the API's total for the new window, and the map draws
 *   exactly what it draws once the same window's points are fetched afresh.
 * Screenshots: analyst-gpu-filter.png and analyst-gpu-time.png (1440×900) in ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { queryOf, settleMap, waitForSelection } from './analyst-page.ts'
import { screenshotClear } from './banners.ts'

const VIEWPORT = { width: 1440, height: 900 }
const DAY = 86_400_000
/** A window of the demo history that ends yesterday: no report made today falls in it. */
const TO = new Date(Math.floor(Date.now() / DAY) * DAY - DAY).toISOString()
const FROM = new Date(Date.parse(TO) - 360 * DAY).toISOString()
/** The address query of a selection in that window, as the page writes it (filterToParams's order). */
const address = (params: Record<string, string>) => `?${new URLSearchParams({ ...params, from: FROM, to: TO })}`

describe.skipIf(!HAS_CHROMIUM)('the analyst map filtering held points on the GPU', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const pointsRequests: string[] = []

  const apiTotal = async (query: string) => {
    const response = await fetch(`${server.url}/api/incidents/summary${query}`, { headers: { cookie: server.cookie } })
    expect(response.status, query).toBe(200)
    return ((await response.json()) as { total: number }).total
  }
  type Handle = NonNullable<Window['__gridscopeAnalyst']>
  /** One of the page's debug handle readers (analyst-debug.ts), called in the page. */
  const handle = <K extends 'pointsKey' | 'pointCount' | 'heldPointCount' | 'heldPointsKey' | 'drawnLayerIds' | 'pointFilter' | 'timeRange'>(name: K) =>
    page.evaluate((name) => window.__gridscopeAnalyst![name]() as never, name) as Promise<ReturnType<Handle[K]>>
  /** The map beside the layer panel: what the heatmap draws. */
  const mapPicture = async () => {
    const mapBox = (await page.locator('.analyst__map').boundingBox())!
    const panelBox = (await page.locator('.layer-panel').boundingBox())!
    const left = panelBox.x + panelBox.width + 4
    return screenshotClear(page, { x: left, y: mapBox.y, width: mapBox.x + mapBox.width - left, height: mapBox.height - 24 })
  }
  /** After a filter control: the new address, drawn; the map's count is the API's total. */
  const shows = async (query: string) => {
    await expect.poll(() => queryOf(page)).toBe(query)
    await waitForSelection(page)
    await settleMap(page)
    expect(await handle('pointsKey')).toBe(query)
    expect(await handle('pointCount')).toBe(await apiTotal(query))
  }

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/incidents/points') pointsRequests.push(request.url())
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('narrows status, severity and categories without requesting points, and redraws the heatmap', { timeout: 240_000 }, async () => {
    const start = address({ category: 'dispute' })
    await page.goto(`${server.url}/analyst${start}`)
    await shows(start)
    // One request, for the window with every category, status and severity.
    expect(pointsRequests).toHaveLength(1)
    expect(new URL(pointsRequests[0]!).searchParams.get('category')).toBeNull()
    const held = await handle('heldPointCount')
    expect(held).toBe(await apiTotal(address({})))
    expect(await handle('pointCount')).toBeLessThan(held)
    expect(await handle('drawnLayerIds')).toContain('heatmap')
    const disputes = await mapPicture()

    await page.locator('.chip[data-status="closed"]').click()
    await shows(address({ category: 'dispute', status: 'closed' }))
    expect((await handle('pointFilter')).statuses).toEqual([6])
    const closed = await mapPicture()
    expect(closed.equals(disputes)).toBe(false)

    await page.locator('.chip[data-severity="1"]').click()
    await page.locator('.chip[data-severity="2"]').click()
    await shows(address({ category: 'dispute', status: 'closed', severity: '1,2' }))
    expect((await handle('pointFilter')).severities).toEqual([1, 2])
    expect((await mapPicture()).equals(closed)).toBe(false)

    // Another family as well: wider than the selection, still within the held points.
    await page.locator('input[data-category="hazard"]').check()
    await shows(address({ category: 'dispute,hazard', status: 'closed', severity: '1,2' }))
    await page.locator('input[data-category="dispute"]').uncheck()
    await shows(address({ category: 'hazard', status: 'closed', severity: '1,2' }))
    const categories = (await handle('pointFilter')).categories
    expect(categories.length).toBeGreaterThan(0)
    await page.mouse.move(5, VIEWPORT.height - 5)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-gpu-filter.png') })

    // Back to the start: every step above was drawn from the one response.
    await page.goBack()
    await page.goBack()
    await page.goBack()
    await page.goBack()
    await page.goBack()
    await shows(start)
    // The heatmap settles its colour scale a moment after the points change: wait for the same picture.
    await expect.poll(async () => (await mapPicture()).equals(disputes), { timeout: 60_000 }).toBe(true)
    expect(pointsRequests).toHaveLength(1)
    expect(pageErrors).toEqual([])
  })

  it('requests the points once when the selection widens past those held', { timeout: 180_000 }, async () => {
    const root = (await (await fetch(`${server.url}/api/grids`, { headers: { cookie: server.cookie } })).json()) as { roots: { code: string }[] }
    const rootCode = root.roots[0]!.code
    const tree = (await (await fetch(`${server.url}/api/grids/${rootCode}`, { headers: { cookie: server.cookie } })).json()) as { children: { code: string }[] }
    const town = tree.children[0]!.code
    const inTown = address({ category: 'dispute', grid: town })
    await page.goto(`${server.url}/analyst${inTown}`)
    await shows(inTown)
    const before = pointsRequests.length
    const heldInTown = await handle('heldPointCount')

    await page.locator('.chip[data-status="handling"]').click()
    await shows(address({ category: 'dispute', status: 'handling', grid: town }))
    expect(pointsRequests).toHaveLength(before)

    // The whole district: more than the town's points, one request.
    await page.locator('.grid-chip button').click()
    await shows(address({ category: 'dispute', status: 'handling' }))
    expect(pointsRequests).toHaveLength(before + 1)
    expect(new URL(pointsRequests.at(-1)!).searchParams.get('grid')).toBeNull()
    expect(await handle('heldPointCount')).toBeGreaterThan(heldInTown)

    // The points layer reads the same filter keys: drawn without a WebGL complaint, and cut by a narrowing.
    await page.locator('input[name="layer-heatmap"]').uncheck()
    await page.locator('input[name="layer-points"]').check()
    await expect.poll(() => handle('drawnLayerIds')).toContain('points')
    await settleMap(page)
    const handling = await mapPicture()
    await page.locator('.chip[data-severity="4"]').click()
    await shows(address({ category: 'dispute', status: 'handling', severity: '4' }))
    expect((await mapPicture()).equals(handling)).toBe(false)
    expect(pointsRequests).toHaveLength(before + 1)
    expect(pageErrors).toEqual([])
  })

  it('narrows the time window without requesting points, drawing what a fresh fetch draws', { timeout: 240_000 }, async () => {
    const start = address({ category: 'dispute' })
    await page.goto(`${server.url}/analyst${start}`)
    await shows(start)
    const before = pointsRequests.length
    const held = await handle('heldPointCount')
    const heldKey = await handle('heldPointsKey')
    expect(await handle('timeRange')).toBeNull()
    // The points layer: every point drawn on its own, so one point more or less shows.
    await page.locator('input[name="layer-heatmap"]').uncheck()
    await page.locator('input[name="layer-points"]').check()
    await expect.poll(() => handle('drawnLayerIds')).toContain('points')
    await settleMap(page)
    const whole = await mapPicture()

    // Brush the middle third of the histogram: an absolute window of whole minutes inside the one held.
    const box = (await page.locator('.time-histogram svg').boundingBox())!
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + box.width / 3, y)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2, y, { steps: 4 })
    await page.mouse.move(box.x + (2 * box.width) / 3, y, { steps: 4 })
    await page.mouse.up()
    await page.mouse.move(5, VIEWPORT.height - 5)
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).not.toBe(FROM)
    const narrowed = queryOf(page)
    const params = new URL(page.url()).searchParams
    const [from, to] = [Date.parse(params.get('from')!), Date.parse(params.get('to')!)]
    expect(from % 60_000).toBe(0)
    expect(to % 60_000).toBe(0)
    expect(from).toBeGreaterThan(Date.parse(FROM))
    expect(to).toBeLessThan(Date.parse(TO))
    await shows(narrowed)
    expect(pointsRequests).toHaveLength(before)
    expect(await handle('heldPointsKey')).toBe(heldKey)
    expect(await handle('heldPointCount')).toBe(held)
    expect(await handle('timeRange')).not.toBeNull()
    const cut = await mapPicture()
    expect(cut.equals(whole)).toBe(false)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-gpu-time.png') })

    // The same window fetched afresh: away to a window the held points do not cover, then back.
    const elsewhere = `?${new URLSearchParams({ category: 'dispute', from: new Date(Date.parse(FROM) - 30 * DAY).toISOString(), to: FROM })}`
    await page.evaluate((search) => {
      window.history.pushState(null, '', `/analyst${search}`)
      window.dispatchEvent(new PopStateEvent('popstate'))
    }, elsewhere)
    await shows(elsewhere)
    await page.goBack()
    await shows(narrowed)
    expect(pointsRequests).toHaveLength(before + 2)
    const fresh = new URL(pointsRequests.at(-1)!).searchParams
    expect([fresh.get('from'), fresh.get('to')]).toEqual([params.get('from'), params.get('to')])
    expect(await handle('timeRange')).toBeNull()
    // Held now: every category of the window, nothing cut by time.
    expect(await handle('heldPointCount')).toBe(await apiTotal(`?${new URLSearchParams({ from: params.get('from')!, to: params.get('to')! })}`))
    expect((await mapPicture()).equals(cut)).toBe(true)
    expect(pageErrors).toEqual([])
  })
})
