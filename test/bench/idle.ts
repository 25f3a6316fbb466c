/**
 * What each screen costs while nobody touches it: the CPU time of the browser's processes (the
 * page, the GPU process that composites it, the browser itself) over IDLE_MS once the screen has
 * drawn and a warm-up has passed, ÷ the same browser showing a blank page for as long, measured
 * alternately. A screen that keeps animating shows as a ratio far above 1: an endless CSS pulse on
 * the map page kept SwiftShader's GPU process at 1.4 cores, which on a wall PC or a laptop without
 * a fast GPU is a core burnt for nothing. Headless Chromium draws with SwiftShader here, so
 * compositing is costly and shows what a weak machine pays.
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { addWallToken } from '../../server/access/accounts.ts'
import type { Database } from '../../server/db/connect.ts'
import { waitForSelection } from '../browser/analyst-page.ts'
import { openPhone } from '../browser/field-page.ts'
import { waitForChildrenOf } from '../browser/map-page.ts'
import { waitForWall } from '../browser/wall-page.ts'
import { signIn } from '../support/auth.ts'
import { launchBrowser, signInPage } from '../support/browser.ts'

const IDLE_MS = 8_000
/** Left out before each measurement: the tail of loading (tiles decoded, labels placed, a closed page torn down). */
const WARM_UP_MS = 5_000
const ROUNDS = 3
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

export interface IdleFigures {
  screen: string
  /** CPU seconds per second of the browser's processes, per round: the screen, and the blank page. */
  screenCores: number[]
  blankCores: number[]
  /** screen ÷ blank per round. */
  ratios: number[]
}

/** CPU ticks (user + system) of every process descended from this one: the browsers it launched. */
function browserTicks(): number {
  const parents = new Map<number, number>()
  const ticks = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Fields after the command name (which may hold spaces), in parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parents.set(Number(entry), Number(fields[1]))
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]))
    } catch {
      // The process ended while being read.
    }
  }
  let total = 0
  for (const [pid, t] of ticks) {
    let p: number | undefined = parents.get(pid)
    while (p !== undefined && p > 1 && p !== process.pid) p = parents.get(p)
    if (p === process.pid) total += t
  }
  return total
}

async function coresOver(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS))
  const start = browserTicks()
  const began = performance.now()
  // The measured window itself: the screen is left alone for this long.
  await new Promise((resolve) => setTimeout(resolve, ms))
  return (browserTicks() - start) / TICKS_PER_SECOND / ((performance.now() - began) / 1000)
}

interface Screen {
  name: string
  open(browser: Browser): Promise<{ page: Page; close(): Promise<void> }>
}

function screensOf(db: Database, server: { url: string; cookie: string }): Screen[] {
  const page = async (browser: Browser, viewport: { width: number; height: number }, path: string) => {
    const p = await browser.newPage({ viewport, locale: 'zh-CN' })
    await signInPage(p, server)
    await p.goto(`${server.url}${path}`)
    return p
  }
  return [
    {
      name: 'situation map, 1440×900',
      async open(browser) {
        const p = await page(browser, { width: 1440, height: 900 }, '/')
        const { roots } = (await (await fetch(`${server.url}/api/grids`, { headers: { cookie: server.cookie } })).json()) as { roots: { code: string }[] }
        await waitForChildrenOf(p, roots[0]!.code, 120_000)
        return { page: p, close: () => p.close() }
      },
    },
    {
      name: 'analyst view, 1440×900',
      async open(browser) {
        const p = await page(browser, { width: 1440, height: 900 }, '/analyst')
        await waitForSelection(p, 180_000)
        return { page: p, close: () => p.close() }
      },
    },
    {
      name: 'wall, 1920×1080, tour off',
      async open(browser) {
        const { token } = await addWallToken(db.sql, { label: 'idle bench' })
        const p = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
        await p.goto(`${server.url}/wall?tour=off&token=${token}`)
        await waitForWall(p, { timeout: 180_000 })
        return { page: p, close: () => p.close() }
      },
    },
    {
      name: 'grid worker’s phone, 390×844',
      async open(browser) {
        const [cell] = await db.sql<{ code: string; lon: number; lat: number }[]>`
          select code, ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat from grid_cell where level = 5 order by code limit 1`
        const worker = await signIn(db, 'grid_worker', cell!.code)
        const context = await openPhone(browser, server.url, worker, { longitude: cell!.lon, latitude: cell!.lat }, [])
        const p = await context.newPage()
        await p.goto(`${server.url}/m`)
        await p.locator('.field-map[data-cell]').waitFor({ timeout: 120_000 })
        return { page: p, close: () => context.close() }
      },
    },
  ]
}

export async function benchIdle(db: Database, server: { url: string; cookie: string }, log: (line: string) => void): Promise<IdleFigures[]> {
  const browser = await launchBrowser()
  const figures: IdleFigures[] = []
  try {
    for (const screen of screensOf(db, server)) {
      const f: IdleFigures = { screen: screen.name, screenCores: [], blankCores: [], ratios: [] }
      for (let round = 0; round < ROUNDS; round++) {
        log(`${screen.name}: round ${round + 1} of ${ROUNDS}`)
        const opened = await screen.open(browser)
        f.screenCores.push(await coresOver(IDLE_MS))
        await opened.close()
        const blank = await browser.newPage()
        f.blankCores.push(await coresOver(IDLE_MS))
        await blank.close()
        f.ratios.push(f.screenCores.at(-1)! / Math.max(f.blankCores.at(-1)!, 0.005))
      }
      figures.push(f)
    }
  } finally {
    await browser.close()
  }
  return figures
}

export function describeIdle(figures: IdleFigures[]): string[] {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const spread = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`
  return figures.map(
    (f) =>
      `  ${f.screen}: ${median(f.screenCores).toFixed(2)} cores idle ÷ a blank page ${median(f.blankCores).toFixed(2)} = ${median(f.ratios).toFixed(1)}` +
      ` (${spread(f.ratios, 1)} over ${f.ratios.length} alternating rounds of ${IDLE_MS / 1000} s)`,
  )
}
