/**
 * Slips seen on the analyst view and the wall: dates read and typed as yyyy-mm-dd in an American
 * English browser; the comparison offers 环比 and 同比; towns (and a town's villages) are named on
 * the analyst map and at the wall's town stops; no English label is cut off at the analysts' and
 * the wall's sizes; and the 4K wall's tour shows no missing-tile rectangle while it flies: with
 * every grid tile held back, frames of the flight and of the town it reached are compared with
 * the same cameras once the tiles have been let through and have loaded.
 * Screenshots in ARTIFACTS_DIR (slips-*.png).
 */
import { join } from 'node:path'
import type { Browser, Page, Route } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { addWallToken } from '../../server/access/accounts.ts'
import type { Database } from '../../server/db/connect.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, signInPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { settleMap, waitForSelection } from './analyst-page.ts'
import { findCutLabels } from './label-fit.ts'
import { flightFrames, holesAgainst, pauseTourAt, readSeaFrame, recordFlightTo, waitForMapIdle, waitForWall } from './wall-page.ts'

const LAPTOP = { width: 1440, height: 900 }
const DESKTOP = { width: 1920, height: 1080 }
const WALL_4K = { width: 3840, height: 2160 }
const TOWN = '440904004'
const DAY = /^\d{4}-\d{2}-\d{2}$/

describe.skipIf(!HAS_CHROMIUM)('slips on the analyst view and the wall', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let analyst: { url: string; cookie: string }
  let wallToken: string

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    analyst = { url: server.url, cookie: await signIn(db, 'analyst') }
    wallToken = (await addWallToken(db.sql, { label: 'slips wall test' })).token
    browser = await launchBrowser()
  })

  // A test that failed leaves its page open, and with it the wall's live stream: close it, so the
  // next test's wall is not refused a stream and a single failure stays one failure.
  afterEach(async () => {
    await Promise.all(browser?.contexts().map((context) => context.close()) ?? [])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  async function openAnalyst(viewport: { width: number; height: number }, locale: string, query = ''): Promise<Page> {
    const page = await browser.newPage({ viewport, locale })
    await signInPage(page, analyst)
    await page.goto(`${server.url}/analyst${query}`)
    await waitForSelection(page)
    await settleMap(page)
    return page
  }

  it('shows and takes dates as yyyy-mm-dd in an en-US browser', { timeout: 180_000 }, async () => {
    const page = await openAnalyst(LAPTOP, 'en-US')
    // No native date field is what the reader sees (it would show mm/dd/yyyy here).
    const visibleNative = await page.locator('input[type="date"]').evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().width > 2).length)
    expect(visibleNative).toBe(0)
    const from = page.locator('.date-input').first().locator('input.day-input__text')
    await from.fill('2026-09-01')
    await from.press('Enter')
    await page.waitForURL(/from=/)
    await waitForSelection(page)
    expect(await from.inputValue()).toBe('2026-09-01')
    for (const value of await page.locator('input.day-input__text').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value)))
      expect(value === '' || DAY.test(value), value).toBe(true)
    // A day that does not exist is refused and the field returns to the last good one.
    await from.fill('2026-02-30')
    expect(await from.getAttribute('aria-invalid')).toBe('true')
    await from.blur()
    expect(await from.inputValue()).toBe('2026-09-01')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-analyst-dates-en-US.png') })
    await page.close()
  })

  it('offers 环比 and 同比 and names the towns and villages on the map', { timeout: 180_000 }, async () => {
    const page = await openAnalyst(LAPTOP, 'zh-CN', `?grid=${TOWN}`)
    const comparison = page.locator('.comparison')
    await comparison.scrollIntoViewIfNeeded()
    expect(await comparison.getAttribute('data-basis')).toBe('previous')
    expect(await comparison.locator('thead th').nth(2).innerText()).toBe('上期')
    await comparison.getByRole('button', { name: '同比' }).click()
    expect(await comparison.getAttribute('data-basis')).toBe('year')
    expect(await comparison.locator('thead th').nth(2).innerText()).toBe('去年同期')
    const periods = await comparison.locator('.comparison__periods').innerText()
    const [current, earlier] = [...periods.matchAll(/(\d{4})-(\d\d-\d\d)/g)]
      .map((m) => ({ year: Number(m[1]), day: m[2] }))
      .filter((_, k) => k === 0 || k === 2)
    expect(earlier).toEqual({ year: current!.year - 1, day: current!.day })
    const drawn = await page.evaluate(() => window.__gridscopeAnalyst!.drawnLayerIds())
    expect(drawn.at(-1)).toBe('place-labels')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-analyst-town-zh.png') })
    await page.close()
  })

  for (const viewport of [LAPTOP, DESKTOP]) {
    it(`cuts no English label on the analyst view at ${viewport.width}×${viewport.height}`, { timeout: 180_000 }, async () => {
      const page = await openAnalyst(viewport, 'en-US')
      await page.locator('.language-switch__option[lang="en"]').click()
      await page.locator('html[lang="en"]').waitFor()
      await page.evaluate(() => document.fonts.ready)
      await page.screenshot({ path: join(ARTIFACTS_DIR, `slips-analyst-en-${viewport.width}.png`) })
      expect(await findCutLabels(page)).toEqual([])
      await page.close()
    })
  }

  async function openWall(viewport: { width: number; height: number }, query: string, { mapIdle = true } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport })
    await page.goto(`${server.url}/wall?${query}&token=${wallToken}`)
    await waitForWall(page, { timeout: 240_000, mapIdle })
    return page
  }

  it('names the villages at a town stop and cuts no English label on the wall', { timeout: 400_000 }, async () => {
    // A serious case with a long title: the wall shortens it with … (free text is any length), which is no cut label.
    const [at] = await db.sql<{ lon: number; lat: number }[]>`
      select ST_X(p) as lon, ST_Y(p) as lat from (select ST_PointOnSurface(geom) as p from grid_cell where code = ${TOWN}) x`
    const stamp = Date.now().toString(36)
    const title = `社区第9居民小组住户对拆迁安置方案提出诉求，要求重新核算补偿面积并公开安置房分配名单 ${stamp}`
    const reported = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: server.cookie },
      body: JSON.stringify({ category: 'dispute.land', severity: 4, title, location: at }),
    })
    expect(reported.status).toBe(201)
    const page = await openWall(DESKTOP, `tour=${TOWN}&interval=2&idle=3600&lang=en`, { mapIdle: false })
    // The tour reaches the town and stays there (a key pauses it), so the map can settle.
    await pauseTourAt(page, TOWN)
    // Its villages are named (short names: 蓝田坡村), beside the towns.
    await page.waitForFunction(() => window.__gridscopeWall!.placeNames().some((name) => name.endsWith('村')), null, { timeout: 60_000, polling: 250 })
    expect(await page.evaluate(() => window.__gridscopeWall!.placeNames())).toEqual(expect.arrayContaining(['电海街道', '蓝田坡村']))
    await page.locator('html[lang="en"]').waitFor()
    await page.evaluate(() => document.fonts.ready)
    const long = page.locator('.wall-alert-row__title', { hasText: stamp })
    await long.waitFor({ timeout: 60_000 })
    expect(await long.evaluate((el) => el.scrollWidth > el.clientWidth && (el as HTMLElement).title === el.textContent)).toBe(true)
    expect(await findCutLabels(page)).toEqual([])
    await waitForMapIdle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-wall-town-en-1920.png') })
    await page.close()
  })

  it('keeps the 4K land whole while the tour flies to a town whose grid tiles have not arrived', { timeout: 600_000 }, async () => {
    const page = await browser.newPage({ viewport: WALL_4K })
    // Every grid tile is held back until released: what the map draws meanwhile is drawn without them.
    const held: Route[] = []
    let holding = true
    await page.route('**/tiles/geometry/*/*/*/*', (route) => (holding ? held.push(route) : route.continue()))
    // Frames of the flight to the town (up to three, as many as the machine draws in it: drawing 4K
    // without a GPU it may draw none), each with its camera, kept by the page itself; then the
    // town once the camera has stopped.
    await recordFlightTo(page, TOWN)
    await page.goto(`${server.url}/wall?tour=${TOWN}&interval=2&idle=3600&layers=grid&token=${wallToken}`)
    await waitForWall(page, { timeout: 240_000, mapIdle: false })
    await pauseTourAt(page, TOWN)
    const flight = await flightFrames(page)
    expect(flight.every((frame) => frame.moving)).toBe(true)
    const withheld = await readSeaFrame(page)
    // The town stop asked for its village lines' tiles, and none has been given.
    expect(held.length).toBeGreaterThan(0)
    holding = false
    await Promise.all(held.splice(0).map((route) => route.continue()))
    await waitForMapIdle(page)
    const loaded = await readSeaFrame(page)
    expect(loaded.center).toEqual(withheld.center)
    // The land was there before the tiles: no hole where they were missing (the town fills most of the map).
    expect(withheld.sea.split('1').join('').length / withheld.sea.length).toBeGreaterThan(0.3)
    expect(holesAgainst(withheld, loaded)).toBeLessThan(0.002)
    // Each frame of the flight against the same camera once everything has loaded.
    for (const frame of flight) {
      await page.evaluate(({ center, zoom }) => window.__gridscopeWall!.map()!.jumpTo({ center, zoom }), frame)
      await waitForMapIdle(page)
      const reference = await readSeaFrame(page)
      expect(holesAgainst(frame, reference), `zoom ${frame.zoom.toFixed(2)}`).toBeLessThan(0.002)
    }
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-wall-4k-town.png'), timeout: 120_000 })
    await page.close()
  })
})
