/**
 * Slips seen on the map screen, each checked the way a user meets it: the sign-in page logs no
 * error; a town leader opening another town's code is told it is outside their area and the page
 * asks nothing about that code (search offers no such cell); an unknown code is asked about
 * once; the search list is opaque and above the map; a tooltip leaves the cell names readable;
 * in English no label is cut off at the leaders' sizes; a notice's banner leaves the breadcrumb, the
 * panels and the analyst's filters readable. Screenshots in ARTIFACTS_DIR (slips-*.png).
 */
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, signInPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { waitForSelection } from './analyst-page.ts'
import { findCutLabels } from './label-fit.ts'
import { fetchChildren, pagePointOf, waitForChildrenOf } from './map-page.ts'

const LAPTOP = { width: 1440, height: 900 }
const DESKTOP = { width: 1920, height: 1080 }
/** 电海街道 (the leader's town) and 水东街道 (another town). */
const TOWN = '440904004'
const OTHER_TOWN = '440904003'
/** 电海街道 › 蓝田坡村委会, and one of its household groups. */
const VILLAGE = '440904004204'
const HOUSEHOLD_GROUP = '440904004204003002'
/** A well-formed code that names no cell. */
const UNKNOWN = '440904099'

describe.skipIf(!HAS_CHROMIUM)('slips on the map screen', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let leader: { url: string; cookie: string }

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    leader = { url: server.url, cookie: await signIn(db, 'town_leader', TOWN) }
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  /** A page that records console errors, page errors and failed or refused requests. */
  async function openPage(viewport: { width: number; height: number }, as: { url: string; cookie: string } | null, locale = 'zh-CN') {
    const page = await browser.newPage({ viewport, locale })
    if (as) await signInPage(page, as)
    const problems: string[] = []
    const requests: string[] = []
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`))
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`))
    page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()}: ${response.url()}`))
    page.on('request', (request) => request.resourceType() !== 'document' && requests.push(request.url()))
    return { page, problems, requests }
  }

  it("serves the production build of the client (React's development build warns and runs slower)", async () => {
    const page = await (await fetch(`${server.url}/login`)).text()
    const scripts = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!)
    expect(scripts.length).toBeGreaterThan(0)
    for (const script of scripts) {
      // Printed by React's development build only.
      expect(await (await fetch(`${server.url}${script}`)).text(), script).not.toContain('Download the React DevTools')
    }
  })

  it('shows the sign-in page without a console error or a failed request', { timeout: 120_000 }, async () => {
    const { page, problems } = await openPage(LAPTOP, null)
    await page.goto(server.url)
    await page.waitForURL(/\/login$/, { timeout: 30_000 })
    await page.getByRole('form', { name: '登录' }).waitFor()
    await page.evaluate(() => document.fonts.ready)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-login.png') })
    expect(problems).toEqual([])
    await page.close()
  })

  it("tells a town leader another town's code is outside their area and asks nothing about it", { timeout: 180_000 }, async () => {
    const { page, requests } = await openPage(LAPTOP, leader)
    await page.goto(`${server.url}/grid/${OTHER_TOWN}`)
    const notice = page.getByTestId('outside-scope')
    await notice.waitFor({ timeout: 60_000 })
    expect(await notice.innerText()).toContain(`网格 ${OTHER_TOWN} 不在您的管辖范围（电海街道）内`)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-outside-scope.png') })
    expect(requests.filter((url) => url.includes(OTHER_TOWN))).toEqual([])

    // Searching for the other town by its name or code offers nothing of it.
    const box = page.getByRole('combobox')
    for (const q of ['水东街道', OTHER_TOWN]) {
      await box.fill(q)
      await expect.poll(() => page.locator('.search-box__note').innerText(), { timeout: 20_000 }).toContain('没有')
      expect(await page.locator('.search-box__option').count()).toBe(0)
    }
    await box.fill('')
    // The way back leads to the own town.
    await notice.getByRole('button').click()
    await page.waitForURL(new RegExp(`/grid/${TOWN}$`))
    await waitForChildrenOf(page, TOWN)
    expect(requests.filter((url) => url.includes(`/api/grids/${OTHER_TOWN}`) || url.includes(`grid=${OTHER_TOWN}`))).toEqual([])
    await page.close()
  })

  it('asks about an unknown grid code once', { timeout: 120_000 }, async () => {
    const { page, requests } = await openPage(LAPTOP, server)
    await page.goto(`${server.url}/grid/${UNKNOWN}`)
    await page
      .getByRole('alert')
      .filter({ hasText: `没有代码为 ${UNKNOWN} 的网格` })
      .waitFor({ timeout: 60_000 })
    // The notice shows once the request has failed for good (after any retries), so every
    // request a retry or another panel would make has been made by now.
    expect(requests.filter((url) => url.includes(UNKNOWN))).toEqual([`${server.url}/api/grids/${UNKNOWN}`])
    // Going on to a real cell asks nothing more about the unknown one.
    await page.getByRole('alert').getByRole('button').click()
    await waitForChildrenOf(page, '440904')
    expect(requests.filter((url) => url.includes(UNKNOWN))).toHaveLength(1)
    await page.close()
  })

  it('draws the search list opaque, above the map', { timeout: 180_000 }, async () => {
    const { page } = await openPage(LAPTOP, server)
    await page.goto(server.url)
    await waitForChildrenOf(page, '440904')
    await page.getByRole('combobox').fill('电海')
    const list = page.locator('.search-box__dropdown')
    await page.locator('.search-box__option').first().waitFor({ timeout: 20_000 })
    const check = await list.evaluate((el) => {
      const r = el.getBoundingClientRect()
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2]
      const color = getComputedStyle(el).backgroundColor
      const alpha = /rgba\([^)]*,\s*([\d.]+)\)/.exec(color)?.[1]
      return { color, alpha: alpha === undefined ? 1 : Number(alpha), onTop: el.contains(document.elementFromPoint(x, y)), overMap: r.bottom > 150 }
    })
    expect(check).toMatchObject({ alpha: 1, onTop: true, overMap: true })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-search.png') })
    await page.close()
  })

  it("places a cell's tooltip off the names on the map", { timeout: 180_000 }, async () => {
    const { page } = await openPage(LAPTOP, server)
    await page.goto(`${server.url}/grid/${TOWN}`)
    await waitForChildrenOf(page, TOWN)
    const villages = await fetchChildren(server.url, TOWN, server.cookie)
    const labels = await page.evaluate(() => window.__gridscope!.labelBoxes())
    expect(labels.length).toBeGreaterThan(3)
    let checked = 0
    // The pointer just left of and above each of a few names: a card right-below the pointer would cover it.
    for (const village of villages.slice(0, 6)) {
      const at = await pagePointOf(page, village.labelPoint)
      await page.mouse.move(at.x - 30, at.y - 20)
      const tooltip = page.getByRole('tooltip')
      if (!(await tooltip.isVisible().catch(() => false))) {
        await page.mouse.move(at.x - 31, at.y - 21)
        await tooltip.waitFor({ timeout: 10_000 })
      }
      const card = (await tooltip.boundingBox())!
      const covered = labels.filter(([l, t, r, b]) => card.x < r && l < card.x + card.width && card.y < b && t < card.y + card.height)
      expect(covered, village.name).toEqual([])
      checked++
    }
    expect(checked).toBeGreaterThan(0)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-tooltip.png') })
    await page.close()
  })

  for (const viewport of [LAPTOP, DESKTOP]) {
    it(`cuts no English label on the map screen at ${viewport.width}×${viewport.height}`, { timeout: 180_000 }, async () => {
      const { page } = await openPage(viewport, leader, 'en-US')
      await page.goto(`${server.url}/grid/${TOWN}`)
      await waitForChildrenOf(page, TOWN)
      await page.locator('.language-switch__option[lang="en"]').click()
      await page.locator('html[lang="en"]').waitFor()
      await page.evaluate(() => document.fonts.ready)
      await page.screenshot({ path: join(ARTIFACTS_DIR, `slips-map-en-${viewport.width}.png`) })
      expect(await findCutLabels(page)).toEqual([])
      await page.close()
    })
  }

  /** Sends a work notice into the leader's town and waits for its banner on `page`, come to rest. */
  async function bannerOfNewNotice(page: Page, label: string): Promise<Locator> {
    await page.locator('html[data-notice-live="ready"]').waitFor({ timeout: 30_000 })
    const title = `工作通知：本周排查安排 ${label}-${Date.now().toString(36)}`
    const sent = await fetch(`${server.url}/api/notices`, {
      method: 'POST',
      headers: { cookie: leader.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'work', title, target: { grids: [HOUSEHOLD_GROUP] } }),
    })
    expect(sent.status).toBe(201)
    const banner = page.locator('.notice-banner', { hasText: title })
    await banner.waitFor({ timeout: 30_000 })
    // Measured where it comes to rest (it slides in).
    await banner.evaluate((el) => Promise.all(el.getAnimations().map((animation) => animation.finished)))
    return banner
  }

  /** The names of `parts` that `banner` covers. */
  async function coveredBy(banner: Locator, parts: Record<string, Locator>): Promise<string[]> {
    const box = (await banner.boundingBox())!
    const covered: string[] = []
    for (const [name, part] of Object.entries(parts)) {
      const other = (await part.boundingBox())!
      if (box.x < other.x + other.width && other.x < box.x + box.width && box.y < other.y + other.height && other.y < box.y + box.height) covered.push(name)
    }
    return covered
  }

  for (const viewport of [LAPTOP, DESKTOP]) {
    it(`keeps a notice's banner off the breadcrumb, the panels and the analyst's filters at ${viewport.width}×${viewport.height}`, {
      timeout: 180_000,
    }, async () => {
      const { page } = await openPage(viewport, leader)
      await page.goto(`${server.url}/grid/${VILLAGE}`)
      await waitForChildrenOf(page, VILLAGE)
      const onMap = await bannerOfNewNotice(page, `map-${viewport.width}`)
      const mapParts = {
        breadcrumb: page.locator('.breadcrumb-bar__steps'),
        upButton: page.locator('.breadcrumb-bar__up'),
        cellPanel: page.locator('.cell-panel'),
        fieldWork: page.getByTestId('field-work-panel'),
      }
      expect(await coveredBy(onMap, mapParts)).toEqual([])
      await page.screenshot({ path: join(ARTIFACTS_DIR, `slips-notice-banner-${viewport.width}.png`) })

      await page.goto(`${server.url}/analyst`)
      await waitForSelection(page)
      const onAnalyst = await bannerOfNewNotice(page, `analyst-${viewport.width}`)
      const analystParts = { filters: page.locator('.analyst-filters'), layers: page.locator('.layer-panel'), insights: page.locator('.analyst__insights') }
      expect(await coveredBy(onAnalyst, analystParts)).toEqual([])
      await page.screenshot({ path: join(ARTIFACTS_DIR, `slips-notice-banner-analyst-${viewport.width}.png`) })
      await page.close()
    })
  }
})
