/**
 * Driving the map page from tests and benchmarks. What the map drew is asked of the page's
 * read-only debug handle (web/src/dashboard/debug-handle.ts): deck.gl picking for the compared cells,
 * MapLibre's rendered tile features for the grid around them, and the time the children of a
 * cell were first drawn. WebGL output cannot be read through the DOM.
 */
import type { Page } from 'playwright-core'
import { clickClear } from './banners.ts'

export interface CellFacts {
  code: string
  level: number
  name: string
  households: number
  incidents: number
  population: number
  labelPoint: [number, number]
}

/** The children of `code` as the geometry API gives them (properties only). */
export async function fetchChildren(baseUrl: string, code: string, cookie: string): Promise<CellFacts[]> {
  const response = await fetch(`${baseUrl}/api/grids/${code}/geometry?children=1`, { headers: { cookie } })
  const collection = (await response.json()) as { features: { properties: CellFacts }[] }
  return collection.features.map((f) => f.properties)
}

/** Waits until the map has drawn the children of `parentCode` and the camera has settled. */
export async function waitForChildrenOf(page: Page, parentCode: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction((code) => window.__gridscope?.childrenDrawn()?.parentCode === code, parentCode, { timeout, polling: 'raf' })
  await settle(page)
}

/** Lets the camera finish, tiles and web fonts load and a couple of frames draw. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const map = window.__gridscope!.map
    while (map.isMoving() || !map.loaded()) await new Promise((resolve) => map.once('idle', resolve))
    await document.fonts.ready
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

/** Where lon/lat is on the page now. */
export async function pagePointOf(page: Page, [lon, lat]: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate(([lon, lat]) => window.__gridscope!.pagePointOf(lon, lat), [lon, lat] as const)
}

/** Code of the compared cell drawn at lon/lat, by deck.gl picking. */
export async function pickCellAt(page: Page, [lon, lat]: [number, number]): Promise<string | null> {
  return page.evaluate(([lon, lat]) => window.__gridscope!.pickCellAt(lon, lat), [lon, lat] as const)
}

/** Pixels a click point keeps from any case drawn: the pointer lands on a whole pixel, and a case's ring is antialiased. */
const CASE_CLEARANCE = 4

/**
 * A point of the compared cell `code` near `around` where a click reaches the cell itself, clear
 * of the incident points drawn over it (tests share the database with tests that report incidents).
 */
export async function cellClickPoint(page: Page, code: string, around: [number, number]): Promise<[number, number]> {
  return page.evaluate(
    ([code, lon, lat, clearance]) => {
      const handle = window.__gridscope!
      const origin = handle.map.project([lon, lat])
      // Rings of points 6 px apart around `around`, nearest first.
      for (let ring = 0; ring <= 8; ring++) {
        const steps = Math.max(1, ring * 8)
        for (let step = 0; step < steps; step++) {
          const angle = (2 * Math.PI * step) / steps
          const at = handle.map.unproject([origin.x + 6 * ring * Math.cos(angle), origin.y + 6 * ring * Math.sin(angle)])
          const top = handle.topLayerAt(at.lng, at.lat)
          if (
            handle.pickCellAt(at.lng, at.lat) === code &&
            top !== null &&
            !top.startsWith('incident') &&
            handle.incidentNear(at.lng, at.lat, clearance) === null
          )
            return [at.lng, at.lat] as [number, number]
        }
      }
      return [lon, lat] as [number, number]
    },
    [code, around[0], around[1], CASE_CLEARANCE] as const,
  )
}

/** Clicks the map at lon/lat with the mouse (as a user would). */
export async function clickMapAt(page: Page, point: [number, number]): Promise<void> {
  const { x, y } = await pagePointOf(page, point)
  await clickClear(page, x, y)
}

/** Waits until the selected cell's open cases have loaded (the map draws them as the list fills). */
export async function waitForOpenCases(page: Page): Promise<void> {
  await page.locator('section[aria-labelledby="cell-panel-incidents"][aria-busy="false"]').waitFor({ timeout: 60_000 })
  await settle(page)
}

/**
 * Clicks the compared cell `code` near `around`, off the cases drawn there, and waits until it
 * is open (its address in the URL). Other test files report cases at the same villages' label
 * points on the shared database, and the live feed draws each at once: one that lands under the
 * pointer between choosing the point and the click opens that case instead. The click is then
 * made again, but only if a case is now drawn at the point, so any other wrong answer fails.
 */
export async function clickCell(page: Page, code: string, around: [number, number]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await waitForOpenCases(page)
    const point = await cellClickPoint(page, code, around)
    await clickMapAt(page, point)
    const opened = await page.waitForFunction(
      (code) => (location.pathname === `/grid/${code}` ? 'cell' : document.querySelector('.incident-drawer') ? 'case' : null),
      code,
      { timeout: 30_000 },
    )
    if ((await opened.jsonValue()) === 'cell') return
    const arrived = await page.evaluate(([lon, lat, clearance]) => window.__gridscope!.incidentNear(lon, lat, clearance), [...point, CASE_CLEARANCE] as const)
    if (attempt === 3 || arrived === null) throw new Error(`a click on ${code} opened a case, and no case is drawn by the pointer`)
    await page.locator('.incident-drawer__close').click()
    await page.locator('.incident-drawer').waitFor({ state: 'detached' })
  }
}

/** Ids of the incidents the map's points layer is given now. */
export async function drawnIncidentIds(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__gridscope?.incidentIds() ?? [])
}
