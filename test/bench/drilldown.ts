/**
 * Drill-down latency in Chromium: from the district view, click a town at its label point (a
 * real mouse click through MapLibre) and time until the first frame that draws the town's
 * villages (the page's debug handle records that frame: web/src/dashboard/debug-handle.ts
 * `childrenDrawn`), and until the camera has also finished its flight and the tiles around are
 * loaded (`clickToSettledMs`). Then back to the district (history back) and the next town.
 *
 * Two baselines from the same run, each on a fresh page (empty client cache) and a database
 * already warmed for every town, so all three paths fetch the same data from the same state:
 * - `navigateBaselineMs`: the same drill-down without the pointer: the URL is changed and a
 *   popstate dispatched, so the app loads and draws the same children with the same camera
 *   flight, but no mouse events, no picking, no hover. `medianRatio` = click ÷ navigate is what
 *   the click path costs on top of loading and drawing; near 1 is the goal.
 * - `fetchBaselineMs`: just the drill-down's two API requests (the cell and its children's
 *   outlines) fetched in parallel and parsed in the page, nothing drawn. click ÷ fetch
 *   (`fetchRatio`) is everything the client adds on top of the API: React, classing the cells,
 *   deck.gl's layer update, new glyphs in the font atlas and the frames until the one that
 *   draws them. On a software renderer (SwiftShader in CI) a frame takes hundreds of
 *   milliseconds, so this one is large there and small on a real GPU.
 */
import type { Browser, Page } from 'playwright-core'
import { fetchChildren, pagePointOf, settle, waitForChildrenOf, type CellFacts } from '../browser/map-page.ts'
import { launchBrowser, signInPage } from '../support/browser.ts'
import { median } from './support/machine.ts'

export interface DrilldownFigures {
  /** The towns drilled into, in order. */
  towns: string[]
  /** Click → first frame drawing the town's children, per town. */
  clickToChildrenMs: number[]
  /** Click → children drawn, camera at rest and the map idle, per town. */
  clickToSettledMs: number[]
  /** Baseline: URL change (popstate, no pointer) → first frame drawing the same children. */
  navigateBaselineMs: number[]
  /** Baseline: the drill-down's two API requests fetched in parallel in the page, per town. */
  fetchBaselineMs: number[]
  /** median(clickToChildrenMs) ÷ median(navigateBaselineMs): the cost of the click path. */
  medianRatio: number
  /** median(clickToChildrenMs) ÷ median(fetchBaselineMs): the client's cost over the API's. */
  fetchRatio: number
}

const VIEWPORT = { width: 1600, height: 1000 }

export async function benchDrilldown(baseUrl: string, cookie: string, { towns: townCount = 8 } = {}): Promise<DrilldownFigures> {
  const roots = (await (await fetch(`${baseUrl}/api/grids`, { headers: { cookie } })).json()) as { roots: { code: string }[] }
  const rootCode = roots.roots[0]!.code
  const allTowns = await fetchChildren(baseUrl, rootCode, cookie)
  const session = { url: baseUrl, cookie }
  // Spread over the list (subdistricts, towns, farms): the same ones every run.
  const step = Math.max(1, Math.floor(allTowns.length / townCount))
  const towns = allTowns.filter((_, i) => i % step === 0).slice(0, townCount)

  const browser = await launchBrowser()
  try {
    // The database warmed for every town once, then the fetch baseline, in one page.
    const fetchBaselineMs: number[] = []
    await withDistrict(browser, session, rootCode, async (page) => {
      for (const town of towns) await fetchInPage(page, town.code)
      for (const town of towns) fetchBaselineMs.push(await fetchInPage(page, town.code))
    })
    const navigateBaselineMs: number[] = []
    await withDistrict(browser, session, rootCode, async (page) => {
      for (const town of towns) {
        navigateBaselineMs.push(await drill(page, town, () => navigateTo(page, town.code)).then((t) => t.toChildren))
        await backToDistrict(page, rootCode)
      }
    })
    const clickToChildrenMs: number[] = []
    const clickToSettledMs: number[] = []
    await withDistrict(browser, session, rootCode, async (page) => {
      for (const town of towns) {
        const times = await drill(page, town, () => clickAt(page, town.labelPoint))
        clickToChildrenMs.push(times.toChildren)
        clickToSettledMs.push(times.toSettled)
        await backToDistrict(page, rootCode)
      }
    })
    return {
      towns: towns.map((t) => t.name),
      clickToChildrenMs,
      clickToSettledMs,
      navigateBaselineMs,
      fetchBaselineMs,
      medianRatio: median(clickToChildrenMs) / median(navigateBaselineMs),
      fetchRatio: median(clickToChildrenMs) / median(fetchBaselineMs),
    }
  } finally {
    await browser.close()
  }
}

/** A fresh page (empty client cache) on the district view, drawn and settled. */
async function withDistrict(browser: Browser, session: { url: string; cookie: string }, rootCode: string, run: (page: Page) => Promise<void>) {
  const baseUrl = session.url
  const page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' })
  await signInPage(page, session)
  try {
    await page.goto(baseUrl)
    await waitForChildrenOf(page, rootCode)
    await run(page)
  } finally {
    await page.close()
  }
}

async function backToDistrict(page: Page, rootCode: string) {
  await page.goBack()
  await waitForChildrenOf(page, rootCode)
}

/** The drill-down's two requests, in parallel and parsed, timed in the page. */
async function fetchInPage(page: Page, code: string): Promise<number> {
  return page.evaluate(async (code) => {
    const started = performance.now()
    await Promise.all([fetch(`/api/grids/${code}`), fetch(`/api/grids/${code}/geometry?children=1`)].map((r) => r.then((res) => res.json())))
    return performance.now() - started
  }, code)
}

/**
 * Starts the clock, triggers the drill-down, and times it to the first frame drawing the town's
 * children and to the settled map. Times are taken in the page (the clock of childrenDrawn).
 */
async function drill(page: Page, town: CellFacts, trigger: () => Promise<void>): Promise<{ toChildren: number; toSettled: number }> {
  await trigger()
  await page.waitForFunction((code) => window.__gridscope?.childrenDrawn()?.parentCode === code, town.code, { polling: 'raf', timeout: 60_000 })
  await settle(page)
  return page.evaluate(() => {
    const startedAt = (window as { benchStartedAt?: number }).benchStartedAt!
    return { toChildren: window.__gridscope!.childrenDrawn()!.at - startedAt, toSettled: performance.now() - startedAt }
  })
}

/** A mouse click; the clock starts when the button goes down. */
async function clickAt(page: Page, point: [number, number]) {
  const { x, y } = await pagePointOf(page, point)
  await page.evaluate(() => {
    window.addEventListener('pointerdown', () => ((window as { benchStartedAt?: number }).benchStartedAt = performance.now()), { capture: true, once: true })
  })
  await page.mouse.click(x, y)
}

/** The app's own route change (as the back button makes), with no pointer involved. */
async function navigateTo(page: Page, code: string) {
  await page.evaluate((code) => {
    ;(window as { benchStartedAt?: number }).benchStartedAt = performance.now()
    window.history.pushState(null, '', `/grid/${code}`)
    window.dispatchEvent(new PopStateEvent('popstate'))
  }, code)
}
