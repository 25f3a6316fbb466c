/**
 * Notice banners over the map. A notice another test file sends reaches every signed-in page that
 * may see it, live (the files share the database and the live feed), and its banner stays over
 * the top of the map until someone closes it. A test that reads the map's pixels or clicks the map
 * closes the banners over the area first, as the user would, and reads again when one arrived
 * while it was reading.
 */
import type { Page } from 'playwright-core'

export interface Area {
  x: number
  y: number
  width: number
  height: number
}

/** The ids of the notice banners that overlap `area` (page pixels). */
async function bannersOver(page: Page, area: Area): Promise<number[]> {
  return page.evaluate(
    (a) =>
      [...document.querySelectorAll<HTMLElement>('.notice-banner')]
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.right > a.x && r.left < a.x + a.width && r.bottom > a.y && r.top < a.y + a.height
        })
        .map((el) => Number(el.dataset.notice)),
    area,
  )
}

/** Closes every notice banner over `area` with its × button; the others move up as one closes. */
export async function closeBannersOver(page: Page, area: Area): Promise<void> {
  for (let ids = await bannersOver(page, area); ids.length > 0; ids = await bannersOver(page, area)) {
    await page.locator(`.notice-banner[data-notice="${ids[0]}"] .notice-banner__dismiss`).click()
  }
}

/** A screenshot of `area` (the whole viewport when absent) with no notice banner over it. */
export async function screenshotClear(page: Page, area?: Area): Promise<Buffer> {
  const whole = area ?? { x: 0, y: 0, ...page.viewportSize()! }
  for (;;) {
    await closeBannersOver(page, whole)
    const png = await page.screenshot(area ? { clip: area } : {})
    // A banner that slid in while the picture was taken is in it: close it and take it again.
    if ((await bannersOver(page, whole)).length === 0) return png
  }
}

/** Clicks the page at x/y once no notice banner is over the point. */
export async function clickClear(page: Page, x: number, y: number): Promise<void> {
  await closeBannersOver(page, { x: x - 2, y: y - 2, width: 4, height: 4 })
  await page.mouse.click(x, y)
}
