/**
 * Incidents end to end in Debian's Chromium: the built client served with the API on the shared
 * test database. A case reported through the API into an open village must reach the page by the
 * live feed (SSE) within 2 s, in the panel's list and on the map; the map's part is asked of the
 * read-only debug handle (window.__gridscope.incidentIds), since WebGL points cannot be read from
 * the DOM. Then the case is opened in the drawer and registered (立案) from its action buttons.
 * Screenshots: incidents-village.png, incident-drawer.png in ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { drawnIncidentIds, settle, waitForChildrenOf } from './map-page.ts'

const VIEWPORT = { width: 1600, height: 1000 }
/** 电白区 › 电海街道 › 蓝田坡村委会. */
const VILLAGE = '440904004204'
const LIVE_WITHIN_MS = 2000

// Skipped when /usr/bin/chromium (or CHROMIUM_PATH) is missing: these tests need a real browser
// with WebGL2; test/support/browser.ts prints how to install one.
describe.skipIf(!HAS_CHROMIUM)('incidents in a browser', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  let labelPoint: [number, number]
  const pageErrors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    labelPoint = (
      (await (await fetch(`${server.url}/api/grids/${VILLAGE}`, { headers: { cookie: server.cookie } })).json()) as { labelPoint: [number, number] }
    ).labelPoint
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('shows a new report live, opens it in the drawer and registers it', { timeout: 180_000 }, async () => {
    // The live feed's response (headers come with its first `ready` event), caught from the start.
    const liveOpened = page.waitForResponse((r) => r.url().includes(`/api/live?grid=${VILLAGE}`), { timeout: 60_000 })
    // The open-case list is held back once: until it comes, the panel says it is loading, which
    // is what a screen reader hears and what a click on the map waits for (cases draw with it).
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const isOpenCaseList = (url: URL) => url.pathname === '/api/incidents' && url.searchParams.get('grid') === VILLAGE
    await page.route(isOpenCaseList, async (route) => (await held, route.continue()), { times: 1 })
    await page.goto(`${server.url}/grid/${VILLAGE}`)
    await waitForChildrenOf(page, VILLAGE)
    const openCases = page.locator('section[aria-labelledby="cell-panel-incidents"]')
    expect(await openCases.getAttribute('aria-busy')).toBe('true')
    release()
    // The open-case list has loaded (and so has the live subscription, opened with it).
    await expect.poll(() => openCases.getAttribute('aria-busy')).toBe('false')
    await page.locator('.incident-list, #cell-panel-incidents ~ .cell-panel__note').first().waitFor({ timeout: 30_000 })
    // A report before the subscription is attached would be missed by design (a fresh
    // subscription starts at "now"; only a reconnect replays): wait until the hub holds it.
    expect((await liveOpened).status()).toBe(200)
    await expect.poll(() => server.liveHub.clientCount, { timeout: 10_000 }).toBeGreaterThanOrEqual(1)

    const title = `测试事件 邻里噪音纠纷 ${Date.now().toString(36)}`
    const [lon, lat] = labelPoint
    const response = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: server.cookie },
      body: JSON.stringify({ category: 'dispute.neighbour', severity: 3, title, location: { lon, lat } }),
    })
    expect(response.status).toBe(201)
    const created = (await response.json()) as { id: number; gridCode: string }
    expect(created.gridCode.startsWith(VILLAGE)).toBe(true)
    const reportedAt = Date.now()

    const row = page.locator(`.incident-row[data-incident-id="${created.id}"]`)
    await row.waitFor({ timeout: LIVE_WITHIN_MS })
    await expect.poll(() => drawnIncidentIds(page), { timeout: LIVE_WITHIN_MS }).toContain(created.id)
    expect(Date.now() - reportedAt).toBeLessThan(LIVE_WITHIN_MS + 500)
    expect(await row.innerText()).toContain(title)
    expect(await row.locator('.status-badge').innerText()).toBe('待受理')

    // The pointer off the map so no tooltip covers the screenshot; two frames for the hover to clear.
    await page.mouse.move(200, 980)
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'incidents-village.png') })

    await row.click()
    const drawer = page.getByRole('complementary', { name: title })
    await drawer.waitFor({ timeout: 10_000 })
    await expect.poll(() => drawer.locator('.timeline__item').count()).toBeGreaterThanOrEqual(1)
    expect(await drawer.locator('.timeline__item').first().innerText()).toContain('上报')
    const actions = await drawer.locator('.action-button').allInnerTexts()
    // The viewer reported this case, so 不予立案 is not offered (separation of duties); merging is.
    expect(actions).toEqual(['立案', '合并'])

    await drawer.getByRole('button', { name: '立案', exact: true }).click()
    // Every action opens its form (a note, optional for 立案); confirming sends it.
    await drawer.getByRole('dialog').getByRole('button', { name: '确认' }).click()
    await expect.poll(() => drawer.getByTestId('incident-status').innerText(), { timeout: 10_000 }).toBe('已立案')
    await expect.poll(() => drawer.locator('.timeline__item').count()).toBe(2)
    // The list follows through the live feed, and the drawer offers the next steps.
    await expect.poll(() => row.locator('.status-badge').innerText(), { timeout: 5_000 }).toBe('已立案')
    await expect.poll(() => drawer.locator('.action-button').allInnerTexts()).toContain('派遣')

    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'incident-drawer.png') })
    expect(pageErrors).toEqual([])
  })
})
