/**
 * Drill-down latency in Chromium: from the district view, click a town at its label point (a
 * real mouse click through MapLibre) and time until the first frame that draws the town's
 * villages (the page's debug handle records that frame: web/src/map/debug-handle.ts
 * `childrenDrawn`), and until the camera has also finished its flight and the tiles around are
 * loaded (`settled`). Then back to the district (history back) and the next town.
 *
 * Baseline, in the same page and run: the two requests the drill-down needs (the town's cell
 * and its children's outlines) fetched in parallel and parsed, nothing drawn. Both paths see
 * the same warm database (one untimed fetch first), so click ÷ fetch is what the client adds on
 * top of the API: React, classing the villages, deck.gl's layer update, a new font atlas for
 * the new names, and the GPU frame. A ratio near 1 means the API is the bottleneck, a large
 * one that the client is. The camera flight (900 ms by design) is only in `clickToSettledMs`.
 */
import type { Page } from 'playwright-core'
import { fetchChildren, pagePointOf, settle, waitForChildrenOf, type CellFacts } from '../browser/map-page.ts'
import { launchBrowser } from '../support/browser.ts'
import { median } from './support/machine.ts'

export interface DrilldownFigures {
  /** The towns clicked, in order. */
  towns: string[]
  /** Click → first frame drawing the town's children, per town. */
  clickToChildrenMs: number[]
  /** Click → children drawn, camera at rest and the map idle, per town. */
  clickToSettledMs: number[]
  /** Where the click time goes, per town: click → the children request leaves (React, hooks)… */
  clickToRequestMs: number[]
  /** …the request itself (server and network, as the page's resource timing saw it)… */
  requestMs: number[]
  /** …and its response → the first frame drawing the children (parse, layers, font atlas, GPU). */
  responseToDrawnMs: number[]
  /** Baseline: the drill-down's two API requests fetched in parallel in the same page, per town. */
  fetchBaselineMs: number[]
  /** median(clickToChildrenMs) ÷ median(fetchBaselineMs). */
  medianRatio: number
}

const VIEWPORT = { width: 1600, height: 1000 }

export async function benchDrilldown(baseUrl: string, { towns: townCount = 8 } = {}): Promise<DrilldownFigures> {
  const roots = (await (await fetch(`${baseUrl}/api/grids`)).json()) as { roots: { code: string }[] }
  const rootCode = roots.roots[0]!.code
  const allTowns = await fetchChildren(baseUrl, rootCode)
  // Spread over the list (subdistricts, towns, farms), the same ones every run.
  const step = Math.max(1, Math.floor(allTowns.length / townCount))
  const towns = allTowns.filter((_, i) => i % step === 0).slice(0, townCount)

  const browser = await launchBrowser()
  const figures: DrilldownFigures = {
    towns: [], clickToChildrenMs: [], clickToSettledMs: [], clickToRequestMs: [], requestMs: [], responseToDrawnMs: [], fetchBaselineMs: [], medianRatio: 0,
  }
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' })
    await page.goto(baseUrl)
    await waitForChildrenOf(page, rootCode)
    for (const town of towns) {
      await fetchInPage(page, town.code) // warms the database for this town, untimed
      figures.fetchBaselineMs.push(await fetchInPage(page, town.code))
      const click = await clickTown(page, town)
      figures.towns.push(town.name)
      figures.clickToChildrenMs.push(click.toChildren)
      figures.clickToSettledMs.push(click.toSettled)
      figures.clickToRequestMs.push(click.toRequest)
      figures.requestMs.push(click.request)
      figures.responseToDrawnMs.push(click.toChildren - click.toResponse)
      await page.goBack()
      await waitForChildrenOf(page, rootCode)
    }
  } finally {
    await browser.close()
  }
  figures.medianRatio = median(figures.clickToChildrenMs) / median(figures.fetchBaselineMs)
  return figures
}

/** The drill-down's two requests, in parallel and parsed, timed in the page. */
async function fetchInPage(page: Page, code: string): Promise<number> {
  return page.evaluate(async (code) => {
    const started = performance.now()
    await Promise.all([fetch(`/api/grids/${code}`), fetch(`/api/grids/${code}/geometry?children=1`)].map((r) => r.then((res) => res.json())))
    return performance.now() - started
  }, code)
}

interface ClickTimes {
  toChildren: number
  toSettled: number
  toRequest: number
  request: number
  toResponse: number
}

async function clickTown(page: Page, town: CellFacts): Promise<ClickTimes> {
  const at = await pagePointOf(page, town.labelPoint)
  // The clock starts at the button press, in the page's own time base (that of childrenDrawn).
  await page.evaluate(() => {
    window.addEventListener('pointerdown', () => ((window as { benchClickAt?: number }).benchClickAt = performance.now()), { capture: true, once: true })
  })
  await page.mouse.click(at.x, at.y)
  await page.waitForFunction((code) => window.__gridscope?.childrenDrawn()?.parentCode === code, town.code, { polling: 'raf', timeout: 60_000 })
  await settle(page)
  return page.evaluate((code) => {
    const clickAt = (window as { benchClickAt?: number }).benchClickAt!
    const toSettled = performance.now() - clickAt
    // The app's own request for the children (the baseline's came before the click).
    const request = performance
      .getEntriesByType('resource')
      .filter((entry): entry is PerformanceResourceTiming => entry.name.endsWith(`/api/grids/${code}/geometry?children=1`) && entry.startTime > clickAt)[0]
    return {
      toChildren: window.__gridscope!.childrenDrawn()!.at - clickAt,
      toSettled,
      toRequest: request ? request.startTime - clickAt : NaN,
      request: request ? request.responseEnd - request.startTime : NaN,
      toResponse: request ? request.responseEnd - clickAt : NaN,
    }
  }, town.code)
}
