/**
 * The analyst view end to end in Debian's Chromium: the built client served with the API on the
 * shared test database (12 months of demo history).
 * - The filter lives in the address: controls push history entries, reload restores the
 *   selection, back/forward step through it.
 * - The figures, the list, the category chart, the time histogram and the map's points all show
 *   the API's totals, for several filters (absolute windows in the past, so reports other test
 *   files make meanwhile cannot move the numbers between two requests).
 * - Heatmap and hexagon bins draw different pictures (canvas screenshots differ).
 * - Playback moves the histogram's cursor and the playhead; a drag across the histogram sets the window.
 * - A chart bar clicked narrows the filter (address and totals change).
 * - The CSV export has exactly the selection's rows.
 * Screenshots: analyst-*.png in ARTIFACTS_DIR.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { queryOf, settleMap, shownTotals, waitForSelection } from './analyst-page.ts'
import { screenshotClear } from './banners.ts'

const VIEWPORT = { width: 1600, height: 1000 }
const DAY = 86_400_000
/**
 * Windows of the demo history that end a fortnight ago: no report made today falls in them, nor a
 * case another file dates back (the duplicate rule's test moves one 8 days back; the comparison
 * test dates its cases two years back).
 */
const TO = new Date(Math.floor(Date.now() / DAY) * DAY - 14 * DAY).toISOString()
const FROM_90 = new Date(Date.parse(TO) - 90 * DAY).toISOString()
const FROM_YEAR = new Date(Date.parse(TO) - 360 * DAY).toISOString()
const windowOf = (from: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(TO)}`

describe.skipIf(!HAS_CHROMIUM)('the analyst view in a browser', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  const api = async <T>(path: string): Promise<{ body: T; headers: Headers }> => {
    const response = await fetch(`${server.url}${path}`, { headers: { cookie: server.cookie } })
    expect(response.status, path).toBe(200)
    return { body: (await response.json()) as T, headers: response.headers }
  }
  const apiTotal = async (query: string) => (await api<{ total: number }>(`/api/incidents/summary${query}`)).body.total

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('keeps the filter in the address: reload restores it, back and forward step through it', { timeout: 180_000 }, async () => {
    await page.goto(`${server.url}/analyst`)
    // A bare address opens on disputes of the last 12 months, written into the address by the
    // time the document has loaded (not later, once the session and the page's chunk are in).
    expect(queryOf(page)).toBe('?category=dispute&range=12m')
    await waitForSelection(page)
    await settleMap(page)
    await page.mouse.move(5, 995)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-default.png') })

    await page.locator('.chip[data-status="closed"]').click()
    await expect.poll(() => queryOf(page)).toBe('?category=dispute&status=closed&range=12m')
    await page.locator('input[name="overdue"]').check()
    await expect.poll(() => queryOf(page)).toBe('?category=dispute&status=closed&range=12m&overdue=1')
    // Typing commits nothing until Enter.
    await page.locator('input[name="q"]').fill('纠纷')
    expect(queryOf(page)).toBe('?category=dispute&status=closed&range=12m&overdue=1')
    await page.locator('input[name="q"]').press('Enter')
    await expect.poll(() => new URLSearchParams(queryOf(page)).get('q')).toBe('纠纷')

    await page.reload()
    await waitForSelection(page)
    expect(await page.locator('.chip[data-status="closed"]').getAttribute('aria-pressed')).toBe('true')
    expect(await page.locator('input[name="overdue"]').isChecked()).toBe(true)
    expect(await page.locator('input[name="q"]').inputValue()).toBe('纠纷')

    await page.goBack()
    await expect.poll(() => page.locator('input[name="q"]').inputValue()).toBe('')
    expect(await page.locator('input[name="overdue"]').isChecked()).toBe(true)
    await page.goBack()
    await expect.poll(() => page.locator('input[name="overdue"]').isChecked()).toBe(false)
    await page.goBack()
    await expect.poll(() => page.locator('.chip[data-status="closed"]').getAttribute('aria-pressed')).toBe('false')
    expect(queryOf(page)).toBe('?category=dispute&range=12m')
    await page.goForward()
    await expect.poll(() => page.locator('.chip[data-status="closed"]').getAttribute('aria-pressed')).toBe('true')
    expect(queryOf(page)).toBe('?category=dispute&status=closed&range=12m')
    // The figures follow the restored selection.
    await waitForSelection(page)
    expect((await shownTotals(page)).kpi).toBe(await apiTotal(queryOf(page)))
  })

  it('shows the same totals as the API in the figures, list, charts and map, for several filters', { timeout: 240_000 }, async () => {
    const root = (await api<{ roots: { code: string }[] }>('/api/grids')).body.roots[0]!.code
    const town = (await api<{ children: { code: string }[] }>(`/api/grids/${root}`)).body.children[0]!.code
    const filters = [
      `?category=dispute&${windowOf(FROM_YEAR)}`,
      `?category=dispute.land,hazard&severity=3,4&${windowOf(FROM_90)}`,
      `?status=closed&grid=${town}&${windowOf(FROM_YEAR)}`,
    ]
    for (const query of filters) {
      await page.goto(`${server.url}/analyst${query}`)
      await waitForSelection(page)
      const shown = await shownTotals(page)
      const summary = await apiTotal(query)
      const list = (await api<{ total: number }>(`/api/incidents${query}&limit=1`)).body.total
      const points = await fetch(`${server.url}/api/incidents/points${query}`, { headers: { cookie: server.cookie } })
      const pointsTotal = Number(points.headers.get('x-total-count'))
      expect(summary, query).toBeGreaterThan(0)
      expect([list, pointsTotal], query).toEqual([summary, summary])
      expect(shown, query).toEqual({ kpi: summary, list: summary, categoryChart: summary, histogram: summary, mapPoints: summary })
    }
  })

  it('draws a different picture with hexagon bins than with the heatmap', { timeout: 180_000 }, async () => {
    pageErrors.length = 0
    await page.goto(`${server.url}/analyst?category=dispute&${windowOf(FROM_YEAR)}`)
    await waitForSelection(page)
    await settleMap(page)
    await page.mouse.move(5, 995)
    // The map beside the layer panel (whose own check boxes and legends change with the toggles).
    const map = page.locator('.analyst__map')
    const mapBox = (await map.boundingBox())!
    const panelBox = (await page.locator('.layer-panel').boundingBox())!
    const left = panelBox.x + panelBox.width + 4
    const clip = { x: left, y: mapBox.y, width: mapBox.x + mapBox.width - left, height: mapBox.height - 24 }
    await map.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-heatmap.png') })
    const heat = await screenshotClear(page, clip)
    expect(await drawnLayers(page)).toContain('heatmap')

    await page.locator('input[name="layer-heatmap"]').uncheck()
    await page.locator('input[name="layer-bins"]').check()
    await expect.poll(() => drawnLayers(page)).toContain('bins')
    expect(await drawnLayers(page)).not.toContain('heatmap')
    await settleMap(page)
    await map.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-bins.png') })
    const bins = await screenshotClear(page, clip)
    expect(bins.equals(heat)).toBe(false)

    await page.locator('input[name="layer-bins"]').uncheck()
    await settleMap(page)
    const none = await screenshotClear(page, clip)
    expect(none.equals(bins)).toBe(false)
    expect(none.equals(heat)).toBe(false)

    // The choropleth of incidents per 1,000 households, with its legend.
    await page.locator('input[name="layer-choropleth"]').check()
    await expect.poll(() => drawnLayers(page), { timeout: 30_000 }).toContain('choropleth')
    await expect.poll(() => page.locator('[data-layer="choropleth"] .legend__item').count()).toBeGreaterThan(1)
    await settleMap(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-choropleth.png') })
    expect(pageErrors).toEqual([])
  })

  it('moves the histogram cursor and the playhead while playing', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/analyst?category=dispute&${windowOf(FROM_YEAR)}`)
    await waitForSelection(page)
    await page.locator('[data-action="play"]').click()
    const cursor = page.locator('.time-histogram__cursor')
    // A line of no width: attached, never "visible" to playwright.
    await cursor.waitFor({ state: 'attached', timeout: 10_000 })
    const first = Number(await cursor.getAttribute('data-x'))
    const firstAt = (await page.evaluate(() => window.__gridscopeAnalyst!.playhead())).at!
    await expect.poll(async () => Number(await cursor.getAttribute('data-x')), { timeout: 15_000 }).toBeGreaterThan(first + 5)
    const playing = await page.evaluate(() => window.__gridscopeAnalyst!.playhead())
    expect(playing.playing).toBe(true)
    expect(playing.at!).toBeGreaterThan(firstAt)
    // The count in the window is shown with the figures.
    expect(await page.locator('[data-kpi="window"]').getAttribute('data-value')).toMatch(/^\d+$/)
    await page.locator('[data-action="pause"]').click()
    await page.mouse.move(5, 995)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'analyst-playback.png') })

    // Dragging across the histogram sets the filter's window (one history entry, on release).
    const box = (await page.locator('.time-histogram svg').boundingBox())!
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + box.width * 0.3, y)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 })
    await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 })
    await page.mouse.up()
    await expect.poll(() => new URLSearchParams(queryOf(page)).get('from')).not.toBeNull()
    const params = new URLSearchParams(queryOf(page))
    const [from, to] = [Date.parse(params.get('from')!), Date.parse(params.get('to')!)]
    // About the middle 30% of the year shown.
    expect((to - from) / DAY).toBeGreaterThan(80)
    expect((to - from) / DAY).toBeLessThan(140)
    expect(from).toBeGreaterThan(Date.parse(FROM_YEAR))
    await waitForSelection(page)
    expect((await shownTotals(page)).kpi).toBe(await apiTotal(queryOf(page)))
  })

  it('narrows the filter to a clicked chart bar', { timeout: 240_000 }, async () => {
    const query = `?category=dispute&${windowOf(FROM_YEAR)}`
    await page.goto(`${server.url}/analyst${query}`)
    await waitForSelection(page)
    const before = (await shownTotals(page)).kpi

    const town = page.locator('[data-section="towns"] [role="button"]').first()
    const code = (await town.getAttribute('data-key'))!
    await town.click()
    await expect.poll(() => new URLSearchParams(queryOf(page)).get('grid')).toBe(code)
    await waitForSelection(page)
    const inTown = await apiTotal(queryOf(page))
    expect(inTown).toBeLessThan(before)
    expect((await shownTotals(page)).kpi).toBe(inTown)

    const category = page.locator('[data-section="by-category"] [role="button"]').first()
    const sub = (await category.getAttribute('data-key'))!
    await category.click()
    await expect.poll(() => new URLSearchParams(queryOf(page)).get('category')).toBe(sub)
    await waitForSelection(page)
    const narrowed = await apiTotal(queryOf(page))
    expect(narrowed).toBeLessThanOrEqual(inTown)
    expect((await shownTotals(page)).kpi).toBe(narrowed)
  })

  it('exports a CSV with exactly the selected rows', { timeout: 120_000 }, async () => {
    const query = `?category=dispute&severity=2,3&${windowOf(FROM_90)}`
    await page.goto(`${server.url}/analyst${query}`)
    await waitForSelection(page)
    const total = (await shownTotals(page)).kpi
    const download = page.waitForEvent('download', { timeout: 60_000 })
    await page.locator('button[data-format="csv"]').click()
    const file = await (await download).path()
    const text = await readFile(file, 'utf8')
    expect(text.startsWith('\ufeff')).toBe(true)
    expect(csvRecords(text) - 1).toBe(total)
    expect(total).toBe(await apiTotal(query))
  })
})

/** Records in a CSV text: line breaks outside quoted fields (a field may hold one). */
function csvRecords(text: string): number {
  let records = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    else if (c === '\n' && !quoted) records++
  }
  return text.endsWith('\n') ? records : records + 1
}

function drawnLayers(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__gridscopeAnalyst!.drawnLayerIds())
}
