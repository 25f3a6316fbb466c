/**
 * An area notice end to end in Debian's Chromium: the commander composes a 寻人协查 notice for
 * 电海街道 on /notices at 1440×900 (the page shows how many will receive it, the same number the
 * database holds) and sends it; the phone pages (/m, 390×844) of two grid workers in different
 * villages show its banner within 2 s while they are on another section. Worker A acknowledges
 * on the banner, opens the notice (read), posts a clue with a photo and the phone's position and
 * marks the grid searched; worker B opens it from the 通知 list (read, not acknowledged). The
 * commander's map then colours the two household groups by their states (clue / not
 * acknowledged) and lists the clue with its photo; the wall's banner (1920×1080) shows the notice
 * and its progress moves. Screenshots: notices-*.png in ARTIFACTS_DIR, Chinese and English.
 */
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWallToken } from '../../server/access/accounts.ts'
import { SESSION_COOKIE } from '../../server/access/sessions.ts'
import type { Database } from '../../server/db/connect.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { plainPhoto } from '../support/photos.ts'

const TOWN = '440904004'
const PHONE = { width: 390, height: 844 }
/**
 * The phones refetch their notices only every 5 minutes, so a banner within 30 s came by the live
 * feed. How fast it comes is measured in the benchmarks (npm run bench -- notices), not here: a
 * loaded machine takes seconds to redraw a page.
 */
const LIVE_WITHIN_MS = 30_000

interface Cell {
  code: string
  lon: number
  lat: number
}

describe.skipIf(!HAS_CHROMIUM)('an area notice in a browser', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let cells: Cell[]
  const contexts: BrowserContext[] = []
  const errors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
    // Two household groups in different villages, each with its grid worker, whose label point lies inside it.
    cells = await db.sql<Cell[]>`
      select distinct on (left(c.code, 12)) c.code, ST_X(c.label_point) as lon, ST_Y(c.label_point) as lat from grid_cell c
      where c.level = 5 and c.code like ${TOWN + '%'} and ST_Covers(c.geom, c.label_point)
        and exists (select 1 from grid_person p where p.cell_code = c.code and p.role = 'grid_worker')
      order by left(c.code, 12) desc, c.code limit 2`
  })

  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  async function phoneOf(cell: Cell): Promise<Page> {
    const context = await browser.newContext({
      viewport: PHONE,
      locale: 'zh-CN',
      geolocation: { longitude: cell.lon, latitude: cell.lat },
      permissions: ['geolocation'],
      isMobile: true,
      hasTouch: true,
    })
    contexts.push(context)
    const cookie = await signIn(db, 'grid_worker', cell.code)
    await context.addCookies([{ name: SESSION_COOKIE, value: cookie.slice(SESSION_COOKIE.length + 1), url: server.url, httpOnly: true, sameSite: 'Strict' }])
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(error.message))
    // The worker is on the page's first section (my cell), not on the notices.
    await page.goto(`${server.url}/m#cell`)
    await page.locator('.field-page').waitFor({ timeout: 30_000 })
    await page.locator('html[data-notice-live="ready"]').waitFor({ timeout: 30_000 })
    return page
  }

  it("goes from the commander to two workers' phones and back to the map and the wall", { timeout: 420_000 }, async () => {
    const [a, b] = [await phoneOf(cells[0]!), await phoneOf(cells[1]!)]
    const wallToken = (await addWallToken(db.sql, { label: 'notices browser test', scope: TOWN })).token
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    wall.on('pageerror', (error) => errors.push(error.message))
    // The wall renders slowly on a software GPU: the heat layer is left out and its waits are long.
    await wall.goto(`${server.url}/wall?token=${wallToken}&tour=off&layers=grid`)
    await wall.locator('html[data-notice-live="ready"]').waitFor({ timeout: 60_000 })

    const commander = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, server)
    await commander.goto(`${server.url}/notices/new`)
    await commander
      .locator('.notice-compose')
      .waitFor({ timeout: 60_000 })
      .catch(async (error) => {
        await commander.screenshot({ path: join(ARTIFACTS_DIR, 'notices-compose-failed.png') })
        throw error
      })
    const title = `寻人协查 ${Date.now().toString(36)}`
    await commander.locator('input[name="title"]').fill(title)
    await commander.locator('textarea[name="body"]').fill('请各网格员在本网格内协助查找，发现线索立即上报。')
    await commander.locator('input[name="person-name"]').fill('林小明')
    await commander.locator('input[name="person-age"]').fill('9')
    await commander.locator('input[name="person-clothing"]').fill('蓝色校服，黑色书包')
    await commander.locator('.notice-search input').fill('电海街道')
    await commander.locator('.notice-search [role="option"]').first().click()
    const [expected] = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_person where cell_code like ${TOWN + '%'}`
    await commander.locator(`.notice-recipients[data-recipients="${expected!.n}"]`).waitFor({ timeout: 30_000 })
    expect(await commander.locator('.notice-recipients').innerText()).toContain(String(expected!.n))
    await commander.locator('html[data-notice-live="ready"]').waitFor({ timeout: 30_000 })
    await commander.screenshot({ path: join(ARTIFACTS_DIR, 'notices-compose.png') })

    await commander.locator('.notice-compose button[type="submit"]').click()
    // Both phones show the banner by the live feed (the condition's timeout; no sleep).
    const banner = (page: Page) => page.locator('.notice-banner', { hasText: title })
    await Promise.all([banner(a).waitFor({ timeout: LIVE_WITHIN_MS }), banner(b).waitFor({ timeout: LIVE_WITHIN_MS })])
    expect(await banner(a).locator('.notice-banner__kind').innerText()).toBe('寻人协查')
    await commander.waitForURL(/\/notices\/\d+$/)
    const id = Number(new URL(commander.url()).pathname.split('/').pop())

    // The wall shows it with nobody acknowledged yet.
    const wallBanner = wall.locator(`.wall-notice[data-notice="${id}"]`)
    await wallBanner.waitFor({ timeout: 90_000 })
    expect(await wallBanner.getAttribute('data-acked')).toBe('0')
    expect(await wallBanner.getAttribute('data-total')).toBe(String(expected!.n))

    await b.screenshot({ path: join(ARTIFACTS_DIR, 'notices-phone-banner.png') })
    const recipient = async (cell: Cell) =>
      (
        await db.sql<{ read: boolean; acked: boolean; searched: boolean; clue: boolean }[]>`
          select bool_and(read_at is not null) as read, bool_and(acked_at is not null) as acked,
                 bool_and(searched_at is not null) as searched, bool_and(clue_at is not null) as clue
          from notice_recipient where notice_id = ${id} and cell_code = ${cell.code}`
      )[0]!

    // Worker A: 已收到 on the banner, then the notice opened under 通知, a clue with a photo and the phone's position, and 已排查未发现.
    await banner(a).locator('button.notice-button--primary').click()
    await banner(a).locator('.notice-banner__done').waitFor()
    await banner(a).locator('button', { hasText: '查看' }).click()
    await a.locator('.notice-inbox__detail').waitFor()
    expect(await a.locator('.field-nav__item[aria-current="page"]').innerText()).toContain('通知')
    expect(await a.locator('.notice-person').innerText()).toContain('蓝色校服')
    expect(await a.locator('.notice-person').innerText()).toContain('林小明 · 9 岁')
    expect(await recipient(cells[0]!)).toMatchObject({ read: true, acked: true, searched: false })
    await a.locator('button', { hasText: '提供线索' }).click()
    await a.locator('.notice-reply textarea').fill('菜市场东门见到一名穿蓝色校服的男孩')
    await a
      .locator('.notice-reply input[type="file"]')
      .setInputFiles({ name: 'clue.png', mimeType: 'image/png', buffer: await plainPhoto('png', 640, 480, '#2f9e44') })
    await a.locator('.notice-reply img.notice-photo').waitFor({ timeout: 30_000 })
    await a.locator('.notice-reply button[type="submit"]:not([disabled])').click()
    await a.locator('.notice-clues li').first().waitFor({ timeout: 30_000 })
    await a.locator('.notice-inbox__actions button', { hasText: '已排查未发现' }).click()
    await a.locator('.notice-inbox__actions button', { hasText: '已排查未发现 ✓' }).waitFor({ timeout: 30_000 })
    expect(await recipient(cells[0]!)).toMatchObject({ searched: true, clue: true })
    await a.screenshot({ path: join(ARTIFACTS_DIR, 'notices-phone-clue.png'), fullPage: true })

    // Worker B: the notice from the 通知 list, opened (read) but not acknowledged.
    await b.locator('.field-nav__item', { hasText: '通知' }).click()
    await b.locator(`.notice-inbox__item[data-notice="${id}"]`).click()
    await b.locator(`.notice-inbox__detail[data-notice="${id}"]`).waitFor()
    await expect.poll(async () => (await recipient(cells[1]!)).read, { timeout: 10_000 }).toBe(true)
    expect((await recipient(cells[1]!)).acked).toBe(false)
    await b.screenshot({ path: join(ARTIFACTS_DIR, 'notices-phone-detail.png') })

    // The wall's progress moved.
    await wall.locator(`.wall-notice[data-notice="${id}"][data-acked="1"]`).waitFor({ timeout: 90_000 })
    await wall.screenshot({ path: join(ARTIFACTS_DIR, 'notices-wall.png'), timeout: 90_000 })

    // The commander's map at household-group level: A has a clue, B nobody acknowledged.
    await commander.locator('.notice-levels button', { hasText: '住户小组' }).click()
    await commander.waitForFunction(
      ([ca, cb]) => {
        const states = window.__gridscopeNotice?.states() ?? {}
        return states[ca!] === 'clue' && states[cb!] === 'none'
      },
      [cells[0]!.code, cells[1]!.code],
      { timeout: 30_000 },
    )
    const clue = commander.locator('.notice-clues li[data-clue]').first()
    await clue.waitFor({ timeout: 30_000 })
    expect(await clue.innerText()).toContain('菜市场东门')
    await commander.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>('.notice-clues img.notice-photo')
        return img?.complete && img.naturalWidth > 0
      },
      undefined,
      { timeout: 30_000 },
    )
    // Fly the map to both cells and read the drawn colours under them.
    await commander.evaluate(
      ([west, south, east, north]) => {
        window.__gridscopeNotice!.map()!.fitBounds(
          [
            [west!, south!],
            [east!, north!],
          ],
          { duration: 0, padding: 60 },
        )
      },
      [
        Math.min(cells[0]!.lon, cells[1]!.lon) - 0.004,
        Math.min(cells[0]!.lat, cells[1]!.lat) - 0.004,
        Math.max(cells[0]!.lon, cells[1]!.lon) + 0.004,
        Math.max(cells[0]!.lat, cells[1]!.lat) + 0.004,
      ],
    )
    await commander.waitForFunction(
      () => {
        const map = window.__gridscopeNotice?.map()
        return map?.loaded() && !map.isMoving()
      },
      undefined,
      { timeout: 30_000 },
    )
    const shot = await commander.screenshot({ path: join(ARTIFACTS_DIR, 'notices-commander.png') })
    const points = await commander.evaluate(
      (list) => {
        const map = window.__gridscopeNotice!.map()!
        const box = map.getCanvas().getBoundingClientRect()
        return list.map(([lon, lat]) => {
          const p = map.project([lon!, lat!])
          return { x: Math.round(box.left + p.x), y: Math.round(box.top + p.y) }
        })
      },
      [
        [cells[0]!.lon, cells[0]!.lat],
        [cells[1]!.lon, cells[1]!.lat],
      ],
    )
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true })
    const rgb = ({ x, y }: { x: number; y: number }) => {
      const i = (y * info.width + x) * info.channels
      return [data[i]!, data[i + 1]!, data[i + 2]!] as const
    }
    // A: the clue point (amber) drawn over its cell; B: the red of "not acknowledged".
    const [ar, ag, ab] = rgb(points[0]!)
    expect(ar).toBeGreaterThan(180)
    expect(ag).toBeGreaterThan(120)
    expect(ab).toBeLessThan(ag)
    const [br, bg, bb] = rgb(points[1]!)
    expect(br).toBeGreaterThan(bg + 30)
    expect(br).toBeGreaterThan(bb + 30)
    // The same screens in English.
    await a.locator('.language-switch__option[lang="en"]').click()
    await a.locator('.notice-inbox__actions button', { hasText: 'Searched, not found' }).waitFor()
    await a.screenshot({ path: join(ARTIFACTS_DIR, 'notices-phone-en.png'), fullPage: true })
    const english = commander.locator('.language-switch__option[lang="en"]')
    if (await english.count()) {
      await english.first().click()
      await commander.locator('.notice-progress__label', { hasText: 'Acknowledged' }).waitFor({ timeout: 10_000 })
      await commander.screenshot({ path: join(ARTIFACTS_DIR, 'notices-commander-en.png') })
    }
    expect(errors).toEqual([])
  })
})
