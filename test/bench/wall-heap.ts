/**
 * The wall display's memory over a long live feed: the simulator reports and moves cases every
 * 250 ms (its own cases only) while the wall shows the district in Chromium. After a warm-up of
 * 45 s (layers built, ticker full, code paths compiled) the page's JS heap is measured after two
 * forced collections, then again 125 s later; the figure is the ratio end ÷ start, with the number
 * of events the page took in between. Whatever grows with the events shows as a ratio above 1; the
 * wall is meant to stay within 1.2 (it keeps at most 2,000 live points and 8 ticker rows).
 * It runs on the embedded database: the page's memory does not depend on the one behind the API.
 */
import { addWallToken } from '../../server/access/accounts.ts'
import type { Database } from '../../server/db/connect.ts'
import { applyTransition, createIncident } from '../../server/incidents/service.ts'
import { startSimulator } from '../../server/demo/simulator.ts'
import { feedStats, waitForWall } from '../browser/wall-page.ts'
import { launchBrowser } from '../support/browser.ts'

export interface WallHeapFigures {
  startBytes: number
  endBytes: number
  /** endBytes ÷ startBytes. */
  ratio: number
  /** Live events the page received between the two measurements. */
  events: number
  /** What the wall holds at the end: live points on the map and rows in the ticker. */
  livePoints: number
  tickerRows: number
}

const WARM_UP_MS = 45_000
const MEASURED_MS = 125_000

/** Resolves after `ms`, printing a dot every 10 s so a long wait shows progress. */
async function waitWithProgress(ms: number, label: string): Promise<void> {
  process.stdout.write(`  ${label} `)
  const end = Date.now() + ms
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, end - Date.now())))
    process.stdout.write('.')
  }
  process.stdout.write('\n')
}

export async function benchWallHeap(db: Database, baseUrl: string): Promise<WallHeapFigures> {
  const { token } = await addWallToken(db.sql, { label: 'wall heap bench' })
  const browser = await launchBrowser()
  const simulator = startSimulator({ sql: db.sql, createIncident, applyTransition, intervalMs: 250, actor: 'wall-heap-bench', ownCasesOnly: true })
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    await page.goto(`${baseUrl}/wall?tour=off&token=${token}`)
    await waitForWall(page)
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const heapAfterGc = async () => {
      for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage')
      const { metrics } = await cdp.send('Performance.getMetrics')
      return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value
    }
    await waitWithProgress(WARM_UP_MS, 'warm-up')
    const start = { heap: await heapAfterGc(), events: (await feedStats(page)).count }
    await waitWithProgress(MEASURED_MS, 'measuring')
    const end = { heap: await heapAfterGc(), events: (await feedStats(page)).count }
    return {
      startBytes: start.heap,
      endBytes: end.heap,
      ratio: end.heap / start.heap,
      events: end.events - start.events,
      livePoints: await page.evaluate(() => window.__gridscopeWall!.livePoints()),
      tickerRows: await page.locator('.wall-ticker__item').count(),
    }
  } finally {
    await simulator.stop()
    await browser.close()
  }
}
