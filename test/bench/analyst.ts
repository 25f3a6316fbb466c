/**
 * The analyst view in Chromium: time from a filter change to the heatmap redrawn with the new
 * selection's points, for about 100,000 and 1,000,000 points of the large synthetic history
 * (support/big-history.ts). The page starts on a tiny selection; the filter then changes the way
 * the back button changes it (address + popstate: no pointer involved), and the clock stops at
 * the first frame that drew the new points (the page's handle records it:
 * web/src/analyst/analyst-debug.ts `lastRedraw`). That path is: the summary, list and points
 * requests, the binary body, the typed columns derived from it, deck.gl's attribute upload and
 * the heatmap's weight pass.
 *
 * Baseline, in the same page and run: fetching the same points and reading the body
 * (`fetch` + `arrayBuffer`), nothing drawn. redraw ÷ baseline is what the client adds on top of
 * getting the bytes; near 1 is the goal. Each repetition shifts the window's end by a second,
 * so no cache answers for it. *
 * The page starts, and returns between repetitions, to a tiny selection outside the window (the
 * hour before it), so every repetition fetches: a window inside the one held would be cut from it.
 *
 * Then the GPU filter (web/src/analyst/point-selection.ts): with the million held (the window,
 * every category), the filter alternates between two narrowings of it (disputes; closed cases of
 * severity 3–4), which are drawn from the held points with no request, each timed to the first
 * frame drawing it. Baseline, alternating with it: one frame drawn without a change (a repaint
 * asked of the map, timed to the frame that drew it). Points requests meanwhile are counted.
 * Then the same for the time window: it alternates between two narrower windows of whole minutes
 * (the first half of the year; its middle half), as the histogram's brush makes them, cut from the
 * held million by the GPU's time filter.
 */
import type { Page } from 'playwright-core'
import { readConfig } from '../../server/config.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { LiveHub } from '../../server/incidents/live.ts'
import { prepareDatabase } from '../../server/server.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'
import { launchBrowser, signInPage } from '../support/browser.ts'
import { serveApp } from '../support/serve-app.ts'
import { signIn } from '../support/auth.ts'
import { ensureBigHistory } from './support/big-history.ts'
import { median } from './support/machine.ts'

export interface GpuFilterFigures {
  points: number
  /** Filter change → first frame drawing it, per run. */
  changeMs: number[]
  /** One frame drawn without a change, per run (alternating with the changes). */
  frameMs: number[]
  /** changeMs[i] ÷ frameMs[i]. */
  ratios: number[]
  /** Points requests made during the filter changes (0 when the GPU filter answers). */
  pointsRequests: number
}

export interface AnalystSelectionFigures {
  label: string
  points: number
  bytes: number
  redrawMs: number[]
  fetchMs: number[]
  ratio: number
}

const VIEWPORT = { width: 1600, height: 1000 }

/**
 * Loads the synthetic million into the bench database (if not there yet), serves the built
 * client with the API on it, and runs the bench.
 */
export async function benchAnalystOn(
  url: string,
): Promise<{ loadMs: number; selections: AnalystSelectionFigures[]; gpuFilter: GpuFilterFigures; gpuTimeFilter: GpuFilterFigures }> {
  await ensureWebBuilt()
  // Summaries over a million rows take seconds: a roomier timeout than the API's default.
  const db = await prepareDatabase(readConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', STATEMENT_TIMEOUT_MS: '120000' }))
  const liveHub = new LiveHub(db.sql)
  try {
    const loaded = await ensureBigHistory(db.sql, 1_000_000, (done, total) => {
      if (done % 200_000 === 0 || done === total) console.log(`  loading synthetic incidents: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`)
    })
    const server = await serveApp(db, { liveHub, extend: (app) => mountWebClient(app) })
    try {
      return { loadMs: loaded.ms, ...(await benchAnalyst(server.url, await signIn(db), loaded)) }
    } finally {
      await server.close()
    }
  } finally {
    await liveHub.stop()
    await db.close()
  }
}
const REPEATS = 3

/** `span` is the synthetic history's (bigHistoryWindow); 1/10 of it holds about 100,000 of its million rows. */
export async function benchAnalyst(
  baseUrl: string,
  cookie: string,
  span: { from: string; to: string },
): Promise<{ selections: AnalystSelectionFigures[]; gpuFilter: GpuFilterFigures; gpuTimeFilter: GpuFilterFigures }> {
  const from = Date.parse(span.from)
  const to = Date.parse(span.to)
  const selections = [
    { label: '≈100k', from, to: from + Math.round((to - from) / 10) },
    { label: '≈1M', from, to },
  ]
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' })
    await signInPage(page, { url: baseUrl, cookie })
    // Start on a tiny selection: the hour before the window (not inside it, or it would be cut from the held points).
    const tiny = addressOf(from - 3_600_000, from)
    await page.goto(`${baseUrl}/analyst${tiny}`)
    await waitForRedrawOf(page, tiny)
    const results: AnalystSelectionFigures[] = []
    for (const selection of selections) {
      const redrawMs: number[] = []
      const fetchMs: number[] = []
      let points = 0
      let bytes = 0
      for (let i = 0; i < REPEATS; i++) {
        const search = addressOf(selection.from, selection.to - (i + 1) * 1000)
        redrawMs.push(await changeFilter(page, search))
        points = await page.evaluate(() => window.__gridscopeAnalyst!.pointCount())
        const fetched = await fetchInPage(page, search)
        fetchMs.push(fetched.ms)
        bytes = fetched.bytes
        await changeFilter(page, tiny)
      }
      results.push({ label: selection.label, points, bytes, redrawMs, fetchMs, ratio: median(redrawMs) / median(fetchMs) })
    }
    const gpuFilter = await benchHeldFilter(page, from, to, [
      addressOf(from, to, { category: 'dispute' }),
      addressOf(from, to, { status: 'closed', severity: '3,4' }),
    ])
    const minute = (ms: number) => Math.round(ms / 60_000) * 60_000
    const quarter = (to - from) / 4
    const gpuTimeFilter = await benchHeldFilter(page, from, to, [
      addressOf(from, minute(from + 2 * quarter)),
      addressOf(minute(from + quarter), minute(to - quarter)),
    ])
    return { selections: results, gpuFilter, gpuTimeFilter }
  } finally {
    await browser.close()
  }
}

/** The address query of a window, as the page writes it (filterToParams's order and encoding). */
function addressOf(from: number, to: number, narrowing: Record<string, string> = {}): string {
  return `?${new URLSearchParams({ ...narrowing, from: new Date(from).toISOString(), to: new Date(to).toISOString() })}`
}

const GPU_RUNS = 7

/** Filter changes within the held million (two narrowings taking turns), alternating with unchanged frames (see the header). */
async function benchHeldFilter(page: Page, from: number, to: number, narrowings: [string, string]): Promise<GpuFilterFigures> {
  const all = addressOf(from, to)
  await changeFilter(page, all)
  const points = await page.evaluate(() => window.__gridscopeAnalyst!.heldPointCount())
  let pointsRequests = 0
  const count = (request: { url(): string }) => {
    if (new URL(request.url()).pathname === '/api/incidents/points') pointsRequests++
  }
  page.on('request', count)
  const changeMs: number[] = []
  const frameMs: number[] = []
  try {
    for (let i = 0; i < GPU_RUNS; i++) {
      changeMs.push(await changeFilter(page, narrowings[i % 2]!))
      frameMs.push(await unchangedFrame(page))
    }
  } finally {
    page.off('request', count)
  }
  return { points, changeMs, frameMs, ratios: changeMs.map((ms, i) => ms / frameMs[i]!), pointsRequests }
}

/** One frame drawn without a change: a repaint asked of the map, timed to the frame that drew it. */
async function unchangedFrame(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const handle = window.__gridscopeAnalyst!
    // Let the frame that drew the last change pass first.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    const started = performance.now()
    handle.map.triggerRepaint()
    while ((handle.lastFrameAt() ?? 0) < started) await new Promise((resolve) => requestAnimationFrame(resolve))
    return handle.lastFrameAt()! - started
  })
}

async function waitForRedrawOf(page: Page, search: string): Promise<void> {
  await page.waitForFunction((key) => window.__gridscopeAnalyst?.lastRedraw()?.key === key, search, { timeout: 300_000, polling: 'raf' })
}

/** Changes the filter as the back button would, and times it to the first frame drawing the new points. */
async function changeFilter(page: Page, search: string): Promise<number> {
  await page.evaluate((search) => {
    ;(window as { benchStartedAt?: number }).benchStartedAt = performance.now()
    window.history.pushState(null, '', `/analyst${search}`)
    window.dispatchEvent(new PopStateEvent('popstate'))
  }, search)
  await waitForRedrawOf(page, search)
  return page.evaluate(() => window.__gridscopeAnalyst!.lastRedraw()!.at - (window as { benchStartedAt?: number }).benchStartedAt!)
}

async function fetchInPage(page: Page, search: string): Promise<{ ms: number; bytes: number }> {
  return page.evaluate(async (search) => {
    const started = performance.now()
    const body = await (await fetch(`/api/incidents/points${search}`)).arrayBuffer()
    return { ms: performance.now() - started, bytes: body.byteLength }
  }, search)
}
