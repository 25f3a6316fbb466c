/**
 * Grid workers' field work on the command centre's map, in Debian's Chromium at a leader's laptop
 * size (1440×900): the silent-grids layer (drawn, and its count and ranked list as the API gives
 * them), a day's patrol played back with deck.gl's TripsLayer (drawn where the walk was), one
 * grid worker's day picked among the village's workers (the other's trail gone), the coverage
 * share, and a worker's photo in the incident drawer's gallery and timeline. Screenshots:
 * field-work-map.png, field-work-playback.png, field-work-playback-worker.png,
 * field-work-drawer.png in ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { yesterdayInChina } from '../../web/src/field-work/use-field-work.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { plainPhoto, upload } from '../support/photos.ts'
import { screenshotClear } from './banners.ts'
import { pagePointOf, settle, waitForChildrenOf } from './map-page.ts'

const VIEWPORT = { width: 1440, height: 900 }
/** 电白区 › 电海街道 › 蓝田坡村委会. */
const VILLAGE = '440904004204'

describe.skipIf(!HAS_CHROMIUM)('field work on the map', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  let walk: { lon: number; lat: number; seconds: number }[] = []
  let otherWalk: { lon: number; lat: number; seconds: number }[] = []
  let workerCell = ''
  let caseTitle = ''
  const date = yesterdayInChina()

  const call = (path: string, cookie: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        cookie,
        'sec-fetch-site': 'same-origin',
        ...(init.body && !(init.body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string>),
      },
    })

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    const [cell, otherCell] = await db.sql<{ code: string; lon: number; lat: number }[]>`
      select code, ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell
      where level = 5 and code like ${VILLAGE + '%'} and ST_Covers(geom, label_point) order by code desc limit 2`
    // A grid worker of that cell walked it yesterday at 10:00 China time.
    const worker = await signIn(db, 'grid_worker', cell!.code)
    const dayStart = Date.parse(`${date}T00:00:00+08:00`)
    walk = Array.from({ length: 12 }, (_, i) => ({
      lon: cell!.lon + (i - 6) * 0.00025,
      lat: cell!.lat + Math.sin(i / 2) * 0.0002,
      seconds: 10 * 3600 + i * 90,
    }))
    const { id } = await (
      await call('/api/patrols', worker, { method: 'POST', body: JSON.stringify({ startedAt: new Date(dayStart + walk[0]!.seconds * 1000).toISOString() }) })
    ).json()
    const positions = walk.map((p) => ({ t: new Date(dayStart + p.seconds * 1000).toISOString(), lon: p.lon, lat: p.lat, accuracy: 6 }))
    expect((await call(`/api/patrols/${id}/positions`, worker, { method: 'POST', body: JSON.stringify(positions) })).status).toBe(200)
    await call(`/api/patrols/${id}/end`, worker, { method: 'POST' })
    // The worker of another cell of the village walked at the same hours there.
    const other = await signIn(db, 'grid_worker', otherCell!.code)
    otherWalk = walk.map((p, i) => ({ lon: otherCell!.lon + (i - 6) * 0.00025, lat: otherCell!.lat, seconds: p.seconds }))
    const second = await (await call('/api/patrols', other, { method: 'POST', body: JSON.stringify({ startedAt: positions[0]!.t }) })).json()
    const otherPositions = otherWalk.map((p) => ({ t: new Date(dayStart + p.seconds * 1000).toISOString(), lon: p.lon, lat: p.lat, accuracy: 6 }))
    expect((await call(`/api/patrols/${second.id}/positions`, other, { method: 'POST', body: JSON.stringify(otherPositions) })).status).toBe(200)
    await call(`/api/patrols/${second.id}/end`, other, { method: 'POST' })
    workerCell = cell!.code
    // A case in the cell with the worker's photo.
    caseTitle = `现场照片测试 ${Date.now().toString(36)}`
    const incident = await (
      await call('/api/incidents', server.cookie, {
        method: 'POST',
        body: JSON.stringify({ category: 'environment.garbage', severity: 1, title: caseTitle, location: { lon: cell!.lon, lat: cell!.lat } }),
      })
    ).json()
    const photo = await plainPhoto('jpeg', 1200, 900, '#1971c2')
    const added = await fetch(`${server.url}/api/incidents/${incident.id}/attachments`, {
      ...upload(photo),
      headers: { cookie: worker, 'sec-fetch-site': 'same-origin' },
    })
    expect(added.status).toBe(201)
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  /** Red, green, blue of the map at lon/lat (a 3×3 patch, averaged). */
  async function colourAt(point: [number, number]): Promise<number[]> {
    const { x, y } = await pagePointOf(page, point)
    const png = await screenshotClear(page, { x: x - 1, y: y - 1, width: 3, height: 3 })
    const sharp = (await import('sharp')).default
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    const sum = [0, 0, 0]
    for (let i = 0; i < data.length; i += 3) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!
    return sum.map((v) => v / (data.length / 3))
  }

  it('draws the silent grids and lists them as the API ranks them, with the coverage share', { timeout: 180_000 }, async () => {
    // Other files patrol cells of this village at the same time, so the page is checked against
    // the answers it was given (read as it received them), not against a later count.
    const answerOf = (pathname: string) =>
      page.waitForResponse((r) => {
        const url = new URL(r.url())
        return url.pathname === pathname && url.searchParams.get('grid') === VILLAGE && r.ok()
      })
    const silentAnswer = answerOf('/api/coverage/silent')
    const coverageAnswer = answerOf('/api/coverage')
    await page.goto(`${server.url}/grid/${VILLAGE}`)
    await waitForChildrenOf(page, VILLAGE)
    const shapes = (await (await silentAnswer).json()) as { features: { properties: { code: string; name: string; lon: number; lat: number } }[] }
    const silent = { total: shapes.features.length, cells: shapes.features.map((f) => f.properties) }
    const coverage = (await (await coverageAnswer).json()) as { visited: number; households: number }
    // The ranked list and the map's shapes are one answer in two forms: the cells both still hold
    // (a cell patrolled since drops out of the later one), in the same order.
    const ranked = (await (await call(`/api/coverage/silent?grid=${VILLAGE}&days=7`, server.cookie)).json()) as { cells: { code: string }[] }
    const shapeCodes = silent.cells.map((c) => c.code)
    const rankedCodes = ranked.cells.map((c) => c.code)
    expect(rankedCodes.length).toBeGreaterThan(0)
    expect(shapeCodes.filter((code) => rankedCodes.includes(code))).toEqual(rankedCodes.filter((code) => shapeCodes.includes(code)))
    await expect.poll(() => page.getByTestId('silent-count').innerText(), { timeout: 30_000 }).toBe(`${silent.total} 个住户小组`)
    expect(await page.getByTestId('coverage-share').innerText()).toContain(`${coverage.visited}/${coverage.households}`)
    const listed = await page.getByTestId('silent-list').locator('li').allInnerTexts()
    expect(listed.length).toBe(Math.min(5, silent.total))
    listed.forEach((text, i) => expect(text).toContain(silent.cells[i]!.name))
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-work-map.png') })
    if (silent.total > 0) {
      const at: [number, number] = [silent.cells[0]!.lon, silent.cells[0]!.lat]
      const withLayer = await colourAt(at)
      await page.getByTestId('silent-toggle').uncheck()
      await settle(page)
      const without = await colourAt(at)
      // The amber-to-red fill adds red over the cell.
      expect(withLayer[0]! - without[0]!).toBeGreaterThan(20)
      await page.getByTestId('silent-toggle').check()
    }
  })

  it("plays back the day's patrols where they walked", { timeout: 180_000 }, async () => {
    const tracks = (await (await call(`/api/patrols?grid=${VILLAGE}&date=${date}`, server.cookie)).json()) as { tracks: { km: number }[] }
    await page.getByTestId('silent-toggle').uncheck()
    const head: [number, number] = [walk[9]!.lon, walk[9]!.lat]
    await settle(page)
    const before = await colourAt(head)
    await page.getByTestId('playback-toggle').check()
    await page.getByTestId('playback-date').fill(date)
    await page.getByTestId('playback-time').fill(String(walk[9]!.seconds))
    const km = tracks.tracks.reduce((n, t) => n + t.km, 0).toFixed(1)
    await expect.poll(() => page.getByTestId('playback-summary').innerText(), { timeout: 30_000 }).toBe(`${tracks.tracks.length} 条轨迹 · ${km} 公里`)
    await settle(page)
    const after = await colourAt(head)
    // The trail's head is cyan (110, 231, 249): much more green and blue than the map under it.
    expect(after[1]! + after[2]! - before[1]! - before[2]!).toBeGreaterThan(80)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-work-playback.png') })
  })

  it("plays back one grid worker's day, picked among the village's workers", { timeout: 180_000 }, async () => {
    const from = new Date(`${date}T00:00:00+08:00`)
    const to = new Date(from.getTime() + 86_400_000)
    const { workers } = (await (
      await call(`/api/coverage/workers?grid=${VILLAGE}&from=${from.toISOString()}&to=${to.toISOString()}`, server.cookie)
    ).json()) as { workers: { person: number; cell: string; patrols: number }[] }
    const picked = workers.find((w) => w.cell === workerCell)!
    const own = (await (await call(`/api/patrols?grid=${VILLAGE}&date=${date}&person=${picked.person}`, server.cookie)).json()) as { tracks: { km: number }[] }
    const select = page.getByTestId('playback-worker')
    // Every worker of the village is offered, those who walked that day first.
    await expect.poll(() => select.locator('option').count(), { timeout: 30_000 }).toBe(workers.length + 1)
    const offered = await select.locator('option').evaluateAll((options) => options.slice(1).map((o) => Number((o as HTMLOptionElement).value)))
    expect(new Set(offered)).toEqual(new Set(workers.map((w) => w.person)))
    const walked = workers.filter((w) => w.patrols > 0).length
    expect(offered.slice(0, walked).every((p) => workers.find((w) => w.person === p)!.patrols > 0)).toBe(true)

    const otherHead: [number, number] = [otherWalk[9]!.lon, otherWalk[9]!.lat]
    await settle(page)
    const otherWithAll = await colourAt(otherHead)
    await select.selectOption(String(picked.person))
    const km = own.tracks.reduce((n, t) => n + t.km, 0).toFixed(1)
    await expect.poll(() => page.getByTestId('playback-summary').innerText(), { timeout: 30_000 }).toBe(`${own.tracks.length} 条轨迹 · ${km} 公里`)
    await settle(page)
    // The other worker's trail is gone; the picked worker's is still drawn.
    const otherAlone = await colourAt(otherHead)
    expect(otherWithAll[1]! + otherWithAll[2]! - otherAlone[1]! - otherAlone[2]!).toBeGreaterThan(80)
    const ownHead = await colourAt([walk[9]!.lon, walk[9]!.lat])
    expect(ownHead[1]! + ownHead[2]! - otherAlone[1]! - otherAlone[2]!).toBeGreaterThan(80)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-work-playback-worker.png') })
    await select.selectOption('')
    await page.getByTestId('playback-toggle').uncheck()
  })

  it("shows the worker's photo in the drawer's gallery and timeline", { timeout: 120_000 }, async () => {
    await page.getByText(caseTitle).first().click()
    const drawer = page.getByRole('complementary', { name: caseTitle })
    await drawer.waitFor({ timeout: 15_000 })
    const image = drawer.getByTestId('photo-gallery').locator('img').first()
    await image.waitFor({ timeout: 15_000 })
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBe(320)
    expect(await drawer.locator('.timeline__item[data-action="photo"]').innerText()).toContain('添加照片')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-work-drawer.png') })
    expect(pageErrors).toEqual([])
  })
})
