/**
 * Helpers for the wall display's browser tests: the app served on a port that can be closed and
 * opened again (the API "going away" and coming back, the page kept open), waiting for the wall
 * to be drawn, and the layout checks (nothing outside the viewport, nothing clipped inside its
 * panel, no two regions overlapping). What the live feed received is read from the page's
 * read-only handle (web/src/wall/wall-debug.ts).
 */
import { serve, type ServerType } from '@hono/node-server'
import type { Page } from 'playwright-core'
import { createApp } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { LiveHub } from '../../server/incidents/live.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'
import type { FeedStats } from '../../web/src/api/live-feed.ts'

export interface RestartableServer {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
}

/** The API with the web client on one port; stop() drops every connection, start() listens on the same port again. */
export async function startRestartableServer(db: Database): Promise<RestartableServer> {
  await ensureWebBuilt()
  let port = 0
  let server: ServerType | null = null
  let hub: LiveHub | null = null
  const start = async () => {
    hub = new LiveHub(db.sql)
    const app = createApp(db, { liveHub: hub, extend: (a) => mountWebClient(a) })
    port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => resolve(info.port))
    })
  }
  const stop = async () => {
    const closing = server
    server = null
    if (closing) {
      await new Promise<void>((resolve) => {
        closing.close(() => resolve())
        if ('closeAllConnections' in closing) closing.closeAllConnections()
      })
    }
    await hub?.stop()
    hub = null
  }
  await start()
  return {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    start,
    stop,
  }
}

export function feedStats(page: Page): Promise<FeedStats> {
  return page.evaluate(() => window.__gridscopeWall!.feed())
}

/** Waits for the live feed to be connected, the figures loaded and (unless `mapIdle` is false) the map idle.
 * A touring wall moves its camera every few seconds and loads the next stop's tiles: on a slow
 * machine its map may never be idle and loaded at once, so a tour test waits for the rest only. */
export async function waitForWall(page: Page, { timeout = 90_000, mapIdle = true } = {}): Promise<void> {
  await page.locator('.wall[data-feed="live"]').waitFor({ timeout })
  await page.waitForFunction(() => document.querySelector('[data-kpi="open"] .wall-kpi__value')?.textContent?.match(/\d/), null, { timeout })
  if (!mapIdle) return
  await page.waitForFunction(
    () => {
      const map = window.__gridscopeWall?.map()
      return !!map && map.loaded() && !map.isMoving()
    },
    null,
    { timeout, polling: 250 },
  )
  await page.evaluate(async () => {
    await document.fonts.ready
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
  })
}

export interface LayoutReport {
  outsideViewport: string[]
  clippedInPanel: string[]
  overlapping: string[]
  scroll: { width: number; height: number; viewportWidth: number; viewportHeight: number }
}

/** Every element's box against the viewport, every panel's content against its panel, the regions against each other. */
export function checkLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}.${String(el.getAttribute('class') ?? '')
        .split(' ')
        .join('.')}`
    const visible = (r: DOMRect) => r.width > 0 && r.height > 0
    const [vw, vh] = [window.innerWidth, window.innerHeight]
    const outsideViewport: string[] = []
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect()
      if (visible(r) && (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5))
        outsideViewport.push(`${name(el)} ${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.right)},${Math.round(r.bottom)}`)
    }
    const clippedInPanel: string[] = []
    for (const region of document.querySelectorAll('.wall-panel, .wall-kpi, .wall-header')) {
      const box = region.getBoundingClientRect()
      for (const el of region.querySelectorAll('*')) {
        const r = el.getBoundingClientRect()
        if (visible(r) && (r.left < box.left - 0.5 || r.top < box.top - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5))
          clippedInPanel.push(`${name(el)} in ${name(region)}`)
      }
    }
    const regions = [...document.querySelectorAll('.wall-header, .wall-kpi, .wall-panel, .wall-centre')]
    const overlapping: string[] = []
    regions.forEach((a, i) =>
      regions.slice(i + 1).forEach((b) => {
        const [p, q] = [a.getBoundingClientRect(), b.getBoundingClientRect()]
        if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 0.5 && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 0.5)
          overlapping.push(`${name(a)} × ${name(b)}`)
      }),
    )
    const doc = document.documentElement
    return {
      outsideViewport,
      clippedInPanel,
      overlapping,
      scroll: {
        width: Math.max(doc.scrollWidth, document.body.scrollWidth),
        height: Math.max(doc.scrollHeight, document.body.scrollHeight),
        viewportWidth: vw,
        viewportHeight: vh,
      },
    }
  })
}

/**
 * Pauses the tour the moment it reaches `code` (a key press, as a person at the wall would), so
 * the stop stays in view while a test looks at it; `idle` in the address says for how long.
 */
export async function pauseTourAt(page: Page, code: string, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (code) => {
      if (window.__gridscopeWall?.focus() !== code) return false
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift' }))
      return true
    },
    code,
    { timeout, polling: 50 },
  )
}

/** One frame of the wall's map, read right after it was drawn: which of every 8th pixel (both ways) is bare sea, and the camera. */
export interface SeaFrame {
  /** '1' for sea, '0' for anything drawn, row by row. */
  sea: string
  center: [number, number]
  zoom: number
  moving: boolean
}

declare global {
  interface Window {
    /** The sea of the frame just drawn: called inside the map's 'render' event. */
    __gridscopeSeaOf?: (map: NonNullable<ReturnType<NonNullable<Window['__gridscopeWall']>['map']>>) => SeaFrame
    /** A flight recordFlightTo follows: the frames it keeps, and whether the flight has ended. */
    __gridscopeFlight?: { frames: SeaFrame[]; ended: boolean }
  }
}

/**
 * Defines the page's sea reader (once per document): the map canvas copied at 1/8 scale (nearest
 * pixel) and which pixels are the sea's colour. Both the reader of one frame and the flight
 * recorder call it, inside the map's 'render' event, when the frame is still in the canvas.
 */
function defineSeaReader(): void {
  if (window.__gridscopeSeaOf) return
  window.__gridscopeSeaOf = (map) => {
    const source = map.getCanvas()
    const [w, h] = [Math.floor(source.width / 8), Math.floor(source.height / 8)]
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!
    ctx.imageSmoothingEnabled = false
    ctx.drawImage(source, 0, 0, w, h)
    const pixels = ctx.getImageData(0, 0, w, h).data
    let sea = ''
    // The sea is #08121f (web/src/map/palette.ts SEA_COLOR).
    for (let i = 0; i < pixels.length; i += 4)
      sea += Math.abs(pixels[i]! - 0x08) <= 4 && Math.abs(pixels[i + 1]! - 0x12) <= 4 && Math.abs(pixels[i + 2]! - 0x1f) <= 4 ? '1' : '0'
    return { sea, center: map.getCenter().toArray() as [number, number], zoom: map.getZoom(), moving: map.isMoving() }
  }
}

/** The next frame the map draws, read in its 'render' event. */
export async function readSeaFrame(page: Page): Promise<SeaFrame> {
  await page.evaluate(defineSeaReader)
  return page.evaluate(
    () =>
      new Promise<SeaFrame>((resolve) => {
        const map = window.__gridscopeWall!.map()!
        map.once('render', () => resolve(window.__gridscopeSeaOf!(map)))
        map.triggerRepaint()
      }),
  )
}

/**
 * Follows the map's flight to `code` (the first move that starts with `code` in focus): keeps up
 * to `count` frames it draws while moving, at least 150 ms apart, and notes when the flight ends
 * (flightFrames waits for that). Set up before the page loads, in the page itself: the flight
 * lasts 0.9 s, which a loaded machine can spend before a test's next command reaches the browser.
 * A machine drawing 4K without a GPU may draw no frame at all inside the flight.
 */
export async function recordFlightTo(page: Page, code: string, count = 3): Promise<void> {
  await page.addInitScript(defineSeaReader)
  await page.addInitScript(
    ({ code, count }) => {
      const flight = { frames: [] as SeaFrame[], ended: false }
      window.__gridscopeFlight = flight
      let started = false
      let last = -Infinity
      // The page may replace its map (a remount): the recorder follows whichever map is current.
      let attached: ReturnType<NonNullable<Window['__gridscopeWall']>['map']> = null
      const follow = setInterval(() => {
        const map = window.__gridscopeWall?.map() ?? null
        if (flight.ended) return clearInterval(follow)
        if (!map || map === attached) return
        attached = map
        // A flight is moving as it starts; a jump (a resize, a padding change) is not.
        map.on('movestart', () => {
          if (map === attached && map.isMoving() && window.__gridscopeWall?.focus() === code) started = true
        })
        map.on('moveend', () => {
          if (map === attached && started) flight.ended = true
        })
        map.on('render', () => {
          if (map !== attached || !started || flight.ended || flight.frames.length >= count || !map.isMoving()) return
          if (performance.now() - last < 150) return
          last = performance.now()
          flight.frames.push(window.__gridscopeSeaOf!(map))
        })
      }, 20)
    },
    { code, count },
  )
}

/** The frames recordFlightTo kept, once the flight has ended and the map stands still. */
export async function flightFrames(page: Page, timeout = 120_000): Promise<SeaFrame[]> {
  await page.waitForFunction(() => window.__gridscopeFlight?.ended === true && !window.__gridscopeWall!.map()!.isMoving(), null, { timeout, polling: 100 })
  return page.evaluate(() => window.__gridscopeFlight!.frames)
}

/** Share of the frame that is sea in `frame` but land (or anything drawn) in `reference`: the holes. */
export function holesAgainst(frame: SeaFrame, reference: SeaFrame): number {
  let holes = 0
  for (let k = 0; k < frame.sea.length; k++) if (frame.sea[k] === '1' && reference.sea[k] === '0') holes++
  return holes / frame.sea.length
}

/** Waits until the map stands still with every tile it needs loaded. */
export async function waitForMapIdle(page: Page, timeout = 240_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = window.__gridscopeWall?.map()
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving()
    },
    null,
    { timeout, polling: 250 },
  )
}
