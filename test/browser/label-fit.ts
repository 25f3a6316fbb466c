/**
 * Labels cut off: every visible element that holds text of its own (a button, a heading, a table
 * cell, a label…) whose content is wider than its box, as the reader would see it clipped or
 * spilling over. Inline elements have no box of their own and are judged by their block parent.
 * Free text of any length (a case's title) is shortened on purpose: a box that ends in … and holds
 * its whole text in its title is not a cut label.
 */
import type { Page } from 'playwright-core'

export function findCutLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cut: string[] = []
    const [vw, vh] = [window.innerWidth, window.innerHeight]
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('svg, canvas, .maplibregl-ctrl-attrib, [aria-hidden="true"]')) continue
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '')
      if (!ownText) continue
      const style = getComputedStyle(el)
      if (style.display === 'inline' || style.visibility === 'hidden' || Number(style.opacity) === 0) continue
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0 || r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) continue
      // Scrolling lists (a long table in a panel) are meant to scroll: only boxes that clip or spill.
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') continue
      if (style.textOverflow === 'ellipsis' && el.title === el.textContent) continue
      if (el.scrollWidth > el.clientWidth + 1) {
        const name = `${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\s+/).join('.')}`
        cut.push(`${name} "${el.textContent!.trim().slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`)
      }
    }
    return cut
  })
}
