/**
 * The drill-down end to end in Debian's Chromium: the built client served with the API on the
 * shared test database. The path walked (district › town › village › villager group › household
 * group) is read from the API; what the map drew is asked of the page's debug handle (deck.gl
 * picking for the cells being compared, MapLibre's rendered tile features for the grid around
 * them), and the breadcrumb, panel and URL are read from the DOM. A screenshot of each level
 * goes to ARTIFACTS_DIR (drill-1-district.png … drill-5-household.png).
 */
import { join } from 'node:path'
import type { Browser, Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { clickCell, fetchChildren, pagePointOf, pickCellAt, settle, waitForChildrenOf, type CellFacts } from './map-page.ts'

const VIEWPORT = { width: 1600, height: 1000 }
/** The household group the issue names: 电白区 › 电海街道 › 蓝田坡村委会 › 第3村民小组 › 第2住户小组. */
const HOUSEHOLD_GROUP = '440904004204003002'
const SCREENSHOTS = ['drill-1-district.png', 'drill-2-town.png', 'drill-3-village.png', 'drill-4-group.png', 'drill-5-household.png']

// Skipped when /usr/bin/chromium (or CHROMIUM_PATH) is missing: these tests need a real browser
// with WebGL2; test/support/browser.ts prints how to install one.
describe.skipIf(!HAS_CHROMIUM)('grid drill-down in a browser', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  /** The cells from the district down to the household group, each with its map facts. */
  let path: CellFacts[]
  let towns: CellFacts[]
  const pageErrors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    const leaf = (await (await fetch(`${server.url}/api/grids/${HOUSEHOLD_GROUP}`, { headers: { cookie: server.cookie } })).json()) as {
      path: { code: string }[]
    }
    const codes = [...leaf.path.map((step) => step.code), HOUSEHOLD_GROUP]
    // Each cell's label point comes from its parent's children (that is where it is clicked).
    path = [(await (await fetch(`${server.url}/api/grids/${codes[0]}`, { headers: { cookie: server.cookie } })).json()) as CellFacts]
    for (let i = 1; i < codes.length; i++) {
      path.push((await fetchChildren(server.url, codes[i - 1]!, server.cookie)).find((child) => child.code === codes[i])!)
    }
    towns = await fetchChildren(server.url, codes[0]!, server.cookie)
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  const breadcrumb = () => page.getByRole('navigation', { name: '网格层级路径' }).getByRole('listitem').allInnerTexts()
  const panelName = () => page.locator('#cell-panel-name').innerText()
  const pathname = () => new URL(page.url()).pathname

  it('drills from the district to a household group by clicking the map', { timeout: 180_000 }, async () => {
    await page.goto(server.url)
    await waitForChildrenOf(page, path[0]!.code)
    expect(await breadcrumb()).toEqual([path[0]!.name])
    await page.screenshot({ path: join(ARTIFACTS_DIR, SCREENSHOTS[0]!) })

    for (let level = 2; level <= 5; level++) {
      const cell = path[level - 1]!
      await clickCell(page, cell.code, cell.labelPoint)
      // A household group has no children: the map then compares it with its siblings.
      const compared = level < 5 ? cell.code : path[level - 2]!.code
      await waitForChildrenOf(page, compared)

      expect(pathname()).toBe(`/grid/${cell.code}`)
      await expect.poll(breadcrumb).toEqual(path.slice(0, level).map((step) => step.name))
      await expect.poll(panelName).toBe(cell.name)
      // Its children are drawn where the API puts them: deck.gl picks each at its label point
      // (those on screen: a household group's siblings reach beyond the view fitted to it).
      const children = await fetchChildren(server.url, compared, server.cookie)
      let checked = 0
      for (const child of children) {
        const at = await pagePointOf(page, child.labelPoint)
        if (at.x < 420 || at.x > VIEWPORT.width || at.y < 130 || at.y > VIEWPORT.height) continue
        expect(await pickCellAt(page, child.labelPoint)).toBe(child.code)
        if (++checked === 6) break
      }
      expect(checked).toBeGreaterThan(0)
      if (level === 5) expect(await pickCellAt(page, cell.labelPoint)).toBe(cell.code)
      if (level === 5) {
        // The commander sees grid workers' work phones in full, as links to call.
        const people = await page.locator('.people__item').allInnerTexts()
        expect(people.some((text) => /网格员/.test(text) && /1\d{10}/.test(text))).toBe(true)
        expect(await page.locator('.people__item a.people__phone[href^="tel:1"]').count()).toBeGreaterThan(0)
      }
      // The pointer off the map (over the side panel), so no tooltip covers the screenshot.
      await page.mouse.move(200, VIEWPORT.height - 80)
      await expect.poll(() => page.getByRole('tooltip').count()).toBe(0)
      await settle(page)
      await page.screenshot({ path: join(ARTIFACTS_DIR, SCREENSHOTS[level - 1]!) })
    }
    expect(pageErrors).toEqual([])
  })

  it('draws the grid around a town from the vector tiles and names any cell under the pointer', { timeout: 120_000 }, async () => {
    const town = path[1]!
    // The map's tiles are the geometry tiles (the same for every viewer, kept by nginx), never
    // the tiles with the viewer's incident figures.
    const tileAnswers: Response[] = []
    const onResponse = (response: Response) => /\/tiles\/\w+\/.*\.mvt/.test(response.url()) && tileAnswers.push(response)
    page.on('response', onResponse)
    await page.goto(`${server.url}/grid/${town.code}`)
    await waitForChildrenOf(page, town.code)
    page.off('response', onResponse)
    expect(tileAnswers.length).toBeGreaterThan(0)
    for (const answer of tileAnswers) {
      expect(answer.url()).toMatch(/\/tiles\/geometry\/\d+\/\d+\/\d+\/\d+\.mvt$/)
      if (answer.status() === 200) expect(answer.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
    }
    // Outside the town, MapLibre drew the neighbouring towns' villages from the tiles (level 3
    // at town view): scan the map clear of the panels for a tile cell of another town.
    const tile = await page.evaluate((townCode) => {
      const handle = window.__gridscope!
      const { width, height } = handle.map.getCanvas().getBoundingClientRect()
      for (let y = 180; y < height - 60; y += 40) {
        for (let x = 440; x < width - 300; x += 40) {
          const at = handle.map.unproject([x, y])
          const cell = handle.tileCellAt(at.lng, at.lat)
          if (cell && !cell.code.startsWith(townCode)) return cell
        }
      }
      return null
    }, town.code)
    expect(tile?.level).toBe(3)
    expect(towns.some((t) => tile!.code.startsWith(t.code))).toBe(true)

    // Hovering a village shows its name and level.
    const village = path[2]!
    const at = await pagePointOf(page, village.labelPoint)
    await page.mouse.move(at.x, at.y)
    const tooltip = page.getByRole('tooltip')
    await tooltip.waitFor()
    expect(await tooltip.innerText()).toContain(village.name)
    expect(await tooltip.innerText()).toContain('村（社区）')
    await page.mouse.move(5, VIEWPORT.height - 5)
  })

  it('restores a deep link to a household group after a reload, camera on the cell', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/grid/${HOUSEHOLD_GROUP}`)
    await waitForChildrenOf(page, path[3]!.code)
    expect(await breadcrumb()).toHaveLength(5)
    await page.reload()
    await waitForChildrenOf(page, path[3]!.code)
    expect(await breadcrumb()).toEqual(path.map((step) => step.name))
    expect(await panelName()).toBe(path[4]!.name)
    // Fitted to the cell: its label point is on screen, clear of the panels, at a street-level zoom.
    const at = await pagePointOf(page, path[4]!.labelPoint)
    expect(at.x).toBeGreaterThan(400)
    expect(at.x).toBeLessThan(VIEWPORT.width - 260)
    expect(at.y).toBeGreaterThan(140)
    expect(await page.evaluate(() => window.__gridscope!.map.getZoom())).toBeGreaterThan(14)
  })

  it('walks back up the drill path with the browser back button', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/grid/${path[1]!.code}`)
    await waitForChildrenOf(page, path[1]!.code)
    await clickCell(page, path[2]!.code, path[2]!.labelPoint)
    await waitForChildrenOf(page, path[2]!.code)
    expect(await breadcrumb()).toHaveLength(3)

    await page.goBack()
    await waitForChildrenOf(page, path[1]!.code)
    expect(pathname()).toBe(`/grid/${path[1]!.code}`)
    await expect.poll(breadcrumb).toEqual([path[0]!.name, path[1]!.name])
    await page.goForward()
    await waitForChildrenOf(page, path[2]!.code)
    await expect.poll(panelName).toBe(path[2]!.name)
  })

  it('finds 蓝田坡 with the search box and opens the village', { timeout: 120_000 }, async () => {
    await page.goto(server.url)
    await waitForChildrenOf(page, path[0]!.code)
    const search = page.getByRole('combobox', { name: '搜索网格' })
    await search.fill('蓝田坡')
    const options = page.getByRole('option')
    await expect.poll(() => options.count()).toBeGreaterThan(1)
    // Best match first, with its context; ↑/↓ move the highlight.
    expect(await options.first().innerText()).toContain('蓝田坡村委会')
    expect(await options.nth(1).innerText()).toContain('电海街道 › 蓝田坡村委会')
    await search.press('ArrowDown')
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true')
    await search.press('ArrowUp')
    expect(await options.first().getAttribute('aria-selected')).toBe('true')
    await search.press('Enter')

    await waitForChildrenOf(page, '440904004204')
    expect(pathname()).toBe('/grid/440904004204')
    await expect.poll(panelName).toBe('蓝田坡村委会')
  })

  it('goes one level up with Escape and with the up button', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/grid/${path[2]!.code}`)
    await waitForChildrenOf(page, path[2]!.code)
    await page.locator('body').press('Escape')
    await waitForChildrenOf(page, path[1]!.code)
    expect(pathname()).toBe(`/grid/${path[1]!.code}`)
    await page.getByRole('button', { name: '上一级' }).click()
    await waitForChildrenOf(page, path[0]!.code)
    expect(pathname()).toBe('/')
    expect(await page.getByRole('button', { name: '上一级' }).isDisabled()).toBe(true)
  })

  it('colours and ranks by population when asked, with a legend from the values shown', { timeout: 120_000 }, async () => {
    await page.goto(`${server.url}/grid/${path[1]!.code}`)
    await waitForChildrenOf(page, path[1]!.code)
    const legend = () => page.locator('.legend__item').allInnerTexts()
    const byHouseholds = await legend()
    await page.getByRole('radio', { name: '人口' }).click()
    await expect.poll(legend).not.toEqual(byHouseholds)
    const villages = await fetchChildren(server.url, path[1]!.code, server.cookie)
    const top = villages.reduce((a, b) => (b.population > a.population ? b : a))
    expect(await page.locator('.ranking__name').first().innerText()).toBe(top.name)
    // The legend's top class ends at the largest population shown.
    expect((await legend())[0]).toContain(top.population.toLocaleString('zh-CN'))
    expect(pageErrors).toEqual([])
  })

  it('colours and ranks by incidents per 1,000 households', { timeout: 120_000 }, async () => {
    // The figures compared are those of the page's own answer: other test files report into the
    // same town meanwhile, so a second fetch may already count one more case.
    const code = path[1]!.code
    let shown: CellFacts[] | null = null
    const onResponse = async (response: Response) => {
      if (!response.ok() || !response.url().includes(`/api/grids/${code}/geometry`) || !response.url().includes('children=1')) return
      shown = ((await response.json()) as { features: { properties: CellFacts }[] }).features.map((f) => f.properties)
    }
    page.on('response', onResponse)
    await page.goto(`${server.url}/grid/${code}`)
    await waitForChildrenOf(page, code)
    await page.getByRole('radio', { name: '千户事件率' }).click()
    const rate = (v: { incidents: number; households: number }) => Math.round((10_000 * v.incidents) / v.households) / 10
    const expected = () => {
      const top = shown!.reduce((a, b) => (rate(b) > rate(a) ? b : a))
      return { name: top.name, value: rate(top).toLocaleString('zh-CN') }
    }
    await expect.poll(() => shown !== null).toBe(true)
    expect(rate(shown!.reduce((a, b) => (rate(b) > rate(a) ? b : a)))).toBeGreaterThan(0)
    const ranked = async () => ({
      name: await page.locator('.ranking__name').first().innerText(),
      value: await page.locator('.ranking__value').first().innerText(),
    })
    await expect.poll(async () => JSON.stringify(await ranked()) === JSON.stringify(expected())).toBe(true)
    await expect.poll(async () => (await page.locator('.legend__item').first().innerText()).includes(expected().value)).toBe(true)
    page.off('response', onResponse)
    await page.screenshot({ path: 'test/artifacts/drill-incident-rate.png' })
    expect(pageErrors).toEqual([])
  })
})
