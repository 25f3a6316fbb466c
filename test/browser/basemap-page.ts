/**
 * Reading a basemap off screenshots, for the basemap's browser tests: how much of a region is
 * the test basemap's one colour (bare, or under something blended over it), how much two
 * screenshots of the same screen differ in a region (a label drawn or not), where a map's canvas
 * is, and which origins a page asked anything of (nothing may come from another host).
 */
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { screenshotClear } from './banners.ts'

export interface Rgb {
  r: number
  g: number
  b: number
}

export interface Box {
  left: number
  top: number
  width: number
  height: number
}

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** Every 4th pixel both ways of `box` (the whole image without one), as [r, g, b]. */
function* sampled(image: { data: Buffer; width: number; height: number }, box: Box | undefined, step = 4) {
  const [x0, y0, w, h] = box ? [box.left, box.top, box.width, box.height] : [0, 0, image.width, image.height]
  for (let y = Math.max(0, Math.round(y0)); y < Math.min(image.height, y0 + h); y += step)
    for (let x = Math.max(0, Math.round(x0)); x < Math.min(image.width, x0 + w); x += step) {
      const i = (y * image.width + x) * 3
      yield [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!] as const
    }
}

/** Whether a pixel is the basemap's colour itself. */
const isBare = ([r, g, b]: readonly [number, number, number], color: Rgb) => Math.hypot(r - color.r, g - color.g, b - color.b) < 12

/**
 * Shares of a screenshot's pixels (inside `box`) that are the basemap's colour itself, or tinted
 * red: the test basemaps are one colour with red well above green, which the product's navy,
 * slate and teal do not have (their green ≥ red). The silent cells' amber-to-red overlay has it
 * too: where that overlay is on, `tinted` counts it as well.
 */
export async function basemapShares(png: Buffer, color: Rgb, box?: Box) {
  let total = 0
  let pure = 0
  let tinted = 0
  for (const pixel of sampled(await pixels(png), box)) {
    total++
    if (isBare(pixel, color)) pure++
    else if (pixel[0] - pixel[1] > 20) tinted++
  }
  return { pure: pure / total, tinted: tinted / total }
}

/**
 * On the map page (its handle, window.__gridscope), points of the canvas `box` inside the
 * compared cells (deck.gl picking, on a coarse lattice: each pick draws a picking frame) and the
 * share of them where the basemap shows blended under what is drawn over it: the same screen
 * with the basemap's layers hidden differs there, towards the basemap's colour, and yet is not
 * that colour itself (hidden would be no difference; bare, the colour).
 */
export async function basemapUnderCells(page: Page, box: Box, color: Rgb): Promise<{ points: number; blended: number }> {
  const inside = await page.evaluate(({ left, top, width, height }) => {
    const handle = window.__gridscope!
    const points: { x: number; y: number }[] = []
    for (let y = top + 30; y < top + height - 30; y += 110)
      for (let x = left + 30; x < left + width - 30; x += 110) {
        const at = handle.map.unproject([x - left, y - top])
        if (handle.pickCellAt(at.lng, at.lat)) points.push({ x, y })
      }
    return points
  }, box)
  const shown = await pixels(await screenshotClear(page))
  await showBasemap(page, false)
  const hidden = await pixels(await screenshotClear(page))
  await showBasemap(page, true)
  const at = (image: typeof shown, { x, y }: { x: number; y: number }) => {
    const i = (Math.round(y) * image.width + Math.round(x)) * 3
    return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!] as const
  }
  const blended = inside.filter((point) => {
    const [a, b] = [at(shown, point), at(hidden, point)]
    const change = [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
    const towards = [color.r - b[0], color.g - b[1], color.b - b[2]]
    const alongColour = change[0]! * towards[0]! + change[1]! * towards[1]! + change[2]! * towards[2]!
    return Math.hypot(...change) > 20 && alongColour > 0 && !isBare(a, color)
  })
  return { points: inside.length, blended: blended.length / Math.max(1, inside.length) }
}

/** Shows or hides the map page's basemap layers, and waits until the map has drawn the change. */
async function showBasemap(page: Page, visible: boolean): Promise<void> {
  await page.evaluate(async (visible) => {
    const map = window.__gridscope!.map
    for (const layer of map.getStyle().layers) if (layer.id.startsWith('basemap-')) map.setLayoutProperty(layer.id, 'visibility', visible ? 'visible' : 'none')
    map.triggerRepaint()
    await new Promise((resolve) => map.once('idle', resolve))
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  }, visible)
}

/** Share of the pixels of `box` (every 2nd both ways) that differ visibly between two screenshots of the same size. */
export async function differingShare(a: Buffer, b: Buffer, box: Box): Promise<number> {
  const [first, second] = await Promise.all([pixels(a), pixels(b)])
  const left = [...sampled(first, box, 2)]
  const right = [...sampled(second, box, 2)]
  const differing = left.filter(([r, g, bl], i) => Math.hypot(r - right[i]![0], g - right[i]![1], bl - right[i]![2]) > 24).length
  return differing / left.length
}

export async function canvasBox(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox()
  if (!box) throw new Error(`${selector} is not on the page`)
  return { left: box.x, top: box.y, width: box.width, height: box.height }
}

/** Collects the origin of every request the page makes (data: and blob: URLs, made by the page itself, left out). */
export function watchOrigins(page: Page, origins: Set<string>): void {
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol !== 'data:' && url.protocol !== 'blob:') origins.add(url.origin)
  })
}
