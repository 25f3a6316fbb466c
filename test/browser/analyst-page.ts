/**
 * Driving the analyst view (/analyst) from tests and the bench. What the map holds and drew is
 * asked of the page's read-only handle (web/src/analyst/analyst-debug.ts); the figures, charts
 * and list carry their numbers as data attributes.
 */
import type { Page } from 'playwright-core'

/**
 * Waits until the page shows the selection in its address: the summary has arrived (the page is
 * not busy), and the map has drawn that selection's points.
 */
export async function waitForSelection(page: Page, timeout = 90_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const handle = window.__gridscopeAnalyst
      const root = document.querySelector('.analyst')
      const key = root?.getAttribute('data-filter')
      return Boolean(
        handle &&
          key !== null &&
          root?.getAttribute('aria-busy') === 'false' &&
          handle.lastRedraw()?.key === key &&
          document.querySelector('[data-kpi="total"]')?.getAttribute('data-value'),
      )
    },
    undefined,
    { timeout, polling: 100 },
  )
}

/** Lets the camera finish, tiles load and a couple of frames draw. */
export async function settleMap(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const map = window.__gridscopeAnalyst!.map
    while (map.isMoving() || !map.loaded()) await new Promise((resolve) => map.once('idle', resolve))
    await document.fonts.ready
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

export interface ShownTotals {
  kpi: number
  list: number
  categoryChart: number
  histogram: number
  mapPoints: number
}

/** Every total the page shows for its selection. */
export async function shownTotals(page: Page): Promise<ShownTotals> {
  // The list's total arrives with its own request.
  await page.waitForFunction(() => document.querySelector('.analyst-list')?.getAttribute('data-total'), undefined, { timeout: 30_000 })
  return page.evaluate(() => {
    const number = (selector: string) =>
      Number(document.querySelector(selector)?.getAttribute('data-total') ?? document.querySelector(selector)?.getAttribute('data-value'))
    return {
      kpi: number('[data-kpi="total"]'),
      list: number('.analyst-list'),
      categoryChart: number('[data-section="by-category"]'),
      histogram: number('.time-histogram svg'),
      mapPoints: window.__gridscopeAnalyst!.pointCount(),
    }
  })
}

/** The page's address query, as the API takes it. */
export function queryOf(page: Page): string {
  return new URL(page.url()).search
}
