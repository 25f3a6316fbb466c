/**
 * The command-centre wall (/wall) in Debian's Chromium, served with the API on the shared test
 * database: laid out at 1920×1080 and 3840×2160 with nothing outside the viewport, clipped or
 * overlapping (screenshots wall-*.png in ARTIFACTS_DIR); a case POSTed during the test reaches
 * the ticker and a serious one raises an alert card that a key acknowledges; the API stopped
 * and started again on the same port shows the stale banner, then recovers with every event
 * delivered exactly once (ids received compared with the database); the tour advances by itself
 * and pauses on a key. The JS heap over three minutes of live events is a benchmark
 * (`npm run bench -- wall-heap`, test/bench/wall-heap.ts).
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { createIncident } from '../../server/incidents/service.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage } from '../support/browser.ts'
import { addWallToken } from '../../server/access/accounts.ts'
import { signIn } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'
import { animationRuns, waitForNoEndlessAnimation } from './stillness.ts'
import { checkLayout, feedStats, startRestartableServer, waitForWall, type RestartableServer } from './wall-page.ts'

/** 电白区 › 电海街道 › 乔梅村委会: where this file reports. */
const VILLAGE = '440904004203'
const NETWORK_NOISE = /Failed to load resource|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|net::/

describe.skipIf(!HAS_CHROMIUM)('the wall display in a browser', () => {
  let db: Database
  let server: RestartableServer
  let browser: Browser
  let point: { lon: number; lat: number }
  let wallToken: string
  let cookie: string
  const errors: string[] = []
  const realErrors = () => errors.filter((e) => !NETWORK_NOISE.test(e) && !e.includes('weightsTexture'))

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startRestartableServer(db)
    // The wall signs in as a real one does: with a wall token in its address. Reports are made by the commander.
    wallToken = (await addWallToken(db.sql, { label: 'wall browser test' })).token
    cookie = await signIn(db)
    const village = (await (await fetch(`${server.url}/api/grids/${VILLAGE}`, { headers: { cookie } })).json()) as { labelPoint: [number, number] }
    point = { lon: village.labelPoint[0], lat: village.labelPoint[1] }
    browser = await launchBrowser()
  })

  // A test that failed leaves its page open, and with it the wall's live stream: close it, so the
  // next test's wall is not refused a stream and a single failure stays one failure.
  afterEach(async () => {
    await Promise.all(browser?.contexts().map((context) => context.close()) ?? [])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await db?.close()
  })

  async function report(body: Record<string, unknown>): Promise<{ id: number }> {
    const res = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ location: point, ...body }),
    })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: number }
  }

  async function openWall(viewport: { width: number; height: number }, query: string, { mapIdle = true } = {}): Promise<Page> {
    const page = await openWatchedPage(browser, viewport, errors)
    await page.goto(`${server.url}/wall${query}${query ? '&' : '?'}token=${wallToken}`)
    await waitForWall(page, { mapIdle })
    return page
  }

  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 3840, height: 2160 },
  ]) {
    it(`fills ${viewport.width}×${viewport.height} with nothing outside, clipped or overlapping`, { timeout: 180_000 }, async () => {
      const page = await openWall(viewport, '?tour=off')
      const layout = await checkLayout(page)
      expect(layout.outsideViewport).toEqual([])
      expect(layout.clippedInPanel).toEqual([])
      expect(layout.overlapping).toEqual([])
      expect(layout.scroll).toEqual({ width: viewport.width, height: viewport.height, viewportWidth: viewport.width, viewportHeight: viewport.height })
      // Chinese by default, the district in focus, every panel filled.
      expect(await page.locator('.wall-header__focus-name').innerText()).toBe('全区总览')
      expect(await page.locator('.wall-bar').count()).toBe(8)
      expect(await page.locator('.wall-ranking__table tbody tr').count()).toBe(10)
      await page.screenshot({ path: join(ARTIFACTS_DIR, `wall-${viewport.width}x${viewport.height}.png`) })
      await page.close()
      expect(realErrors()).toEqual([])
    })
  }

  it('speaks English with lang=en and keeps its layout', { timeout: 120_000 }, async () => {
    const page = await openWall({ width: 1920, height: 1080 }, '?tour=off&lang=en')
    expect(await page.locator('[data-kpi="open"] .wall-kpi__label').innerText()).toBe('Open cases')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    const layout = await checkLayout(page)
    expect([...layout.outsideViewport, ...layout.clippedInPanel, ...layout.overlapping]).toEqual([])
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'wall-1920x1080-en.png') })
    await page.close()
  })

  it('shows a POSTed case in the ticker and raises an alert for a serious one until a key acknowledges it', { timeout: 120_000 }, async () => {
    const page = await openWall({ width: 1920, height: 1080 }, '?tour=off')
    const title = `墙屏测试 道路积水 ${Date.now().toString(36)}`
    const plain = await report({ category: 'livelihood.road', severity: 2, title })
    const item = page.locator(`.wall-ticker__item[data-incident-id="${plain.id}"]`)
    await item.waitFor({ timeout: 15_000 })
    expect(await item.innerText()).toContain(title)
    expect(await item.innerText()).toContain('电海街道')

    const missing = await report({ category: 'missing.person', severity: 4, title: `墙屏测试 老人走失 ${Date.now().toString(36)}` })
    const card = page.locator(`.wall-alert-card[data-incident-id="${missing.id}"]`)
    await card.waitFor({ timeout: 15_000 })
    expect(await card.innerText()).toContain('走失寻人')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'wall-alert.png') })
    // The card glows for 30 s as it comes up (a set number of times), then stays red and still until
    // acknowledged; nothing on the wall animates without end.
    const runs = await animationRuns(card)
    expect(runs.length).toBeGreaterThan(0)
    expect(runs.every((n) => Number.isFinite(n))).toBe(true)
    await waitForNoEndlessAnimation(page)
    await page.keyboard.press('Space')
    await card.waitFor({ state: 'detached', timeout: 5_000 })
    await page.close()
    expect(realErrors()).toEqual([])
  })

  it('shows the stale banner while the API is away, then recovers with every event exactly once', { timeout: 180_000 }, async () => {
    const page = await openWall({ width: 1920, height: 1080 }, '?tour=off')
    // At least one event before the outage, so the feed has an id to resume from.
    const before = await report({ category: 'environment.garbage', severity: 1, title: '墙屏测试 断线前' })
    await page.locator(`.wall-ticker__item[data-incident-id="${before.id}"]`).waitFor({ timeout: 15_000 })

    await server.stop()
    const banner = page.getByTestId('wall-stale')
    await banner.waitFor({ timeout: 30_000 })
    expect(await banner.innerText()).toMatch(/数据已中断，最后更新 \d{2}:\d{2}:\d{2}/)
    // Cases reported while the wall cannot hear (written straight to the database).
    const missed: number[] = []
    for (const n of [1, 2, 3]) {
      const { incident } = await createIncident(
        db.sql,
        { category: 'environment.garbage', severity: 1, title: `墙屏测试 断线中 ${n}`, location: point },
        { actor: 'wall-test', scope: VILLAGE },
      )
      missed.push(incident.id)
    }
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'wall-stale.png') })

    await server.start()
    await banner.waitFor({ state: 'detached', timeout: 90_000 })
    await page.locator('.wall[data-feed="live"]').waitFor({ timeout: 30_000 })
    const after = await report({ category: 'environment.garbage', severity: 1, title: '墙屏测试 恢复后' })
    await page.locator(`.wall-ticker__item[data-incident-id="${after.id}"]`).waitFor({ timeout: 15_000 })

    const stats = await feedStats(page)
    expect(stats.connections).toBeGreaterThanOrEqual(2)
    expect(stats.duplicates).toBe(0)
    const [events] = await db.sql<{ count: number; sum: number; missed: number }[]>`
      select count(*)::int as count, coalesce(sum(id), 0)::float8 as sum,
             count(*) filter (where incident_id = any(${missed}::bigint[]))::int as missed
      from incident_event where id between ${stats.first!} and ${stats.last!}`
    expect(events!.missed).toBe(3)
    expect({ count: stats.count, sum: stats.sum }).toEqual({ count: events!.count, sum: events!.sum })
    await page.close()
    expect(realErrors()).toEqual([])
  })

  it('tours the towns by itself, pauses on a key and resumes after idle', { timeout: 180_000 }, async () => {
    // The tour flies to a new stop every 3 s: its map is not waited for to be idle.
    const page = await openWall({ width: 1920, height: 1080 }, '?tour=440904004,440904003&interval=3&idle=8', { mapIdle: false })
    const wall = page.locator('.wall')
    const focus = () => wall.getAttribute('data-focus')
    const seen = new Set([await focus()])
    await expect
      .poll(
        async () => {
          seen.add(await focus())
          return [...seen].sort()
        },
        { timeout: 30_000, interval: 250 },
      )
      .toEqual(['440904', '440904003', '440904004'])
    // The panels follow the focus: the town's own summary, its villages ranked.
    await expect.poll(async () => await page.locator('.wall-ranking .wall-panel__title').innerText(), { timeout: 30_000 }).toMatch(/村（社区）|镇（街道）/)

    await page.keyboard.press('Shift')
    const paused = await wall.getAttribute('data-tour-index')
    await page.locator('.wall-header__tour--paused').waitFor({ timeout: 5_000 })
    // Watched until the pause ends (the 8 s idle time spans more than two 3 s intervals): the tour
    // stays on its stop the whole time. Both read in one go, so a resume cannot fall between them.
    const readTour = () =>
      page.evaluate(() => ({
        paused: document.querySelector('.wall-header__tour--paused') !== null,
        index: document.querySelector('.wall')?.getAttribute('data-tour-index') ?? null,
      }))
    const indexesWhilePaused = new Set<string | null>()
    await expect
      .poll(
        async () => {
          const tour = await readTour()
          if (tour.paused) indexesWhilePaused.add(tour.index)
          return tour.paused
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(false)
    expect([...indexesWhilePaused]).toEqual([paused])
    await expect.poll(() => wall.getAttribute('data-tour-index'), { timeout: 30_000 }).not.toBe(paused)
    await page.close()
  })
})
