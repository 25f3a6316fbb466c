/**
 * The levels above the county in Debian's Chromium, on a database of its own: Dianbai under 茂名市
 * (4409) and 广东省 (44) (test/support/province-fixture.ts). The province's commander opens on the
 * province, drills down through the city to the county with the path back up; the province's wall
 * ranks its cities and its counties. Screenshots (map 1440×900, wall 1920×1080, in Chinese and
 * English) go to ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { refreshIncidentStats } from '../../server/incidents/stats.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'
import { json } from '../support/access-fixture.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage } from '../support/browser.ts'
import { CITY, COUNTY, openProvinceDatabase, PROVINCE } from '../support/province-fixture.ts'
import { serveApp } from '../support/serve-app.ts'
import { waitForChildrenOf } from './map-page.ts'
import { waitForWall } from './wall-page.ts'

describe.skipIf(!HAS_CHROMIUM)('a province and its city above the county (skipped without chromium)', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof serveApp>>
  let browser: Browser
  let commander: string
  let wall: string
  const errors: string[] = []

  beforeAll(async () => {
    db = await openProvinceDatabase()
    await ensureWebBuilt()
    server = await serveApp(db, { extend: (app) => mountWebClient(app) })
    commander = await signIn(db, 'commander', PROVINCE)
    wall = await signIn(db, 'wall', PROVINCE)
    // One open case in Dianbai, so the rankings have something to rank.
    const [cell] = await db.sql<{ lon: number; lat: number }[]>`
      select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell
      where level = 5 and code like ${`${COUNTY}%`} and ST_Covers(geom, label_point) order by code limit 1`
    const res = await fetch(`${server.url}/api/incidents`, {
      ...json({ category: 'dispute.neighbour', severity: 2, title: '省级大屏测试', location: cell }),
      headers: { cookie: commander, origin: server.url, 'content-type': 'application/json' },
    })
    expect(res.status).toBe(201)
    await refreshIncidentStats(db.sql)
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  async function open(path: string, cookie: string, viewport: { width: number; height: number }, language: 'zh-CN' | 'en'): Promise<Page> {
    const page = await openWatchedPage(browser, viewport, errors, { url: server.url, cookie, liveHub: server.liveHub, close: async () => {} })
    if (language === 'en') await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
    await page.goto(`${server.url}${path}`)
    return page
  }

  it('opens the province for its commander and drills down through the city to the county', { timeout: 480_000 }, async () => {
    const page = await open('/', commander, { width: 1440, height: 900 }, 'zh-CN')
    const silentRequests: string[] = []
    page.on('request', (request) => {
      if (request.url().includes('/api/coverage/silent')) silentRequests.push(new URL(request.url()).searchParams.get('grid') ?? '')
    })
    try {
      await waitForChildrenOf(page, PROVINCE, 120_000)
      // Silent grids are shown from the county down: the province's panel says so and asks for none.
      await page.getByTestId('silent-by-county').waitFor()
      await expect.poll(() => page.locator('.user-menu__role').textContent()).toBe('省指挥中心 · 广东省')
      await expect.poll(() => page.locator('#cell-panel-name').textContent()).toContain('广东省')
      expect(await page.locator('.cell-panel__level').textContent()).toBe('省')
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'province-map-zh.png') })

      await page.goto(`${server.url}/grid/${CITY}`)
      await waitForChildrenOf(page, CITY, 120_000)
      await expect.poll(() => page.locator('#cell-panel-name').textContent()).toContain('茂名市')
      expect(await page.locator('.breadcrumb-bar__steps li').allTextContents()).toEqual(['广东省', '茂名市'])

      await page.goto(`${server.url}/grid/${COUNTY}`)
      await waitForChildrenOf(page, COUNTY, 120_000)
      expect(await page.locator('.breadcrumb-bar__steps li').allTextContents()).toEqual(['广东省', '茂名市', '电白区'])
      await page.getByTestId('silent-count').filter({ hasNotText: '…' }).waitFor({ timeout: 60_000 })
      expect(silentRequests).toEqual([COUNTY])
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  })

  for (const language of ['zh-CN', 'en'] as const) {
    it(`ranks the province's cities and counties on its wall (${language})`, { timeout: 240_000 }, async () => {
      // The wall takes its language from its address.
      const page = await open(`/wall?tour=off${language === 'en' ? '&lang=en' : ''}`, wall, { width: 1920, height: 1080 }, 'zh-CN')
      try {
        await waitForWall(page, { timeout: 180_000 })
        const titles = await page.locator('.wall-ranking .wall-panel__title').allTextContents()
        expect(titles).toEqual(language === 'en' ? ['Cities ranked by open cases', 'Counties ranked by open cases'] : ['各市事件排行', '各区县事件排行'])
        const names = async (level: number) => page.locator(`.wall-ranking__table[data-level="${level}"] tbody .wall-ranking__name`).allTextContents()
        expect(await names(0)).toEqual(['茂名市'])
        expect(await names(1)).toEqual(['电白区'])
        expect(Number(await page.locator('.wall-ranking__table[data-level="0"] tbody .wall-ranking__open').textContent())).toBeGreaterThanOrEqual(1)
        expect(await page.getByTestId('wall-focus-name').textContent()).toBe(language === 'en' ? 'Whole province' : '全省总览')
        await page.screenshot({ path: join(ARTIFACTS_DIR, `province-wall-${language === 'en' ? 'en' : 'zh'}.png`) })
        expect(errors).toEqual([])
      } finally {
        await page.close()
      }
    })
  }
})
