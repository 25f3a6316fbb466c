/**
 * Evaluation by week and on the map, in Debian's Chromium at a leader's laptop size (1440×900):
 * - /evaluation switches from months to ISO weeks (China time): the last full week opens, its
 *   picker reads 2026年第47周 11月16日–22日 / Week 47, 2026 (16–22 Nov), the ranking is the week's
 *   and the report link prints that week;
 * - the map coloured by score (考核得分): hovering a cell shows its name, score, rank among its peers
 *   and the indicator it lost most on, as the evaluation API gives them; on a touch screen the
 *   first tap shows the same tooltip and the second opens the cell;
 * - the silent-grid overlay (on by default) is drawn as outlines over the score colours: turning it
 *   off changes far fewer pixels than it does over the households colouring (where it is filled).
 * Screenshots (zh and en) go to ARTIFACTS_DIR: evaluation-week-*.png, score-tooltip-*.png, silent-*.png (the map between the panels, silent grids on and off).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { createI18n } from '../../web/src/i18n/index.ts'
import { defaultPeriod } from '../../web/src/report/report-api.ts'
import { defaultWeek, periodLabel } from '../../web/src/report/periods.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, signInPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { withWeightsLock } from '../support/evaluation-weights.ts'
import { cellClickPoint, fetchChildren, pagePointOf, settle, waitForChildrenOf } from './map-page.ts'

const TOWN = '440904004'
const VIEWPORT = { width: 1440, height: 900 }

interface ScoredCell {
  code: string
  name: string
  parentCode: string
  score: number | null
  rank: number | null
  peers: number
  pulledDownBy: string | null
}

describe.skipIf(!HAS_CHROMIUM)('evaluation by week and on the map', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  const errors: string[] = []
  const api = async <T>(path: string): Promise<T> => (await fetch(`${server.url}${path}`, { headers: { cookie: server.cookie } })).json() as Promise<T>

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('switches /evaluation to ISO weeks, labelled naturally, with the week on the report link', { timeout: 240_000 }, () =>
    withWeightsLock(db, 'shared', async () => {
      const week = defaultWeek()
      const { cells } = await api<{ cells: ScoredCell[] }>(`/api/evaluation?grid=${TOWN}&period=${week}&level=3`)
      for (const language of ['zh-CN', 'en'] as const) {
        const page = await openWatchedPage(browser, VIEWPORT, errors)
        await signInPage(page, server)
        if (language === 'en') await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
        await page.goto(`${server.url}/evaluation?grid=${TOWN}&period=${defaultPeriod()}`)
        await page.getByTestId('evaluation-ranking').waitFor({ timeout: 60_000 })
        await page
          .getByTestId('evaluation-kind')
          .getByRole('link', { name: language === 'en' ? 'Weekly' : '按周' })
          .click()
        await page.waitForURL((url) => url.searchParams.get('period') === week, { timeout: 30_000 })
        await page.getByTestId('evaluation-trend').waitFor({ timeout: 60_000 })
        const rows = page.locator('[data-testid="evaluation-ranking"] tbody tr')
        await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(cells.length)
        const shown = await page.getByTestId('evaluation-period').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.textContent)
        expect(shown).toBe(periodLabel(week, language))
        expect(shown).toMatch(language === 'en' ? /^Week \d+, \d{4} \(\d+/ : /^\d{4}年第\d+周 \d+月\d+日–/)
        expect(await page.getByTestId('evaluation-kind').locator('[aria-current="page"]').innerText()).toBe(language === 'en' ? 'Weekly' : '按周')
        const link = page.getByTestId('evaluation-report-link')
        expect(await link.getAttribute('href')).toBe(`/report?period=${week}&grid=${TOWN}`)
        expect(await link.innerText()).toBe(language === 'en' ? 'Print the weekly report' : '打印周报告')
        // The CSV exports are the week's too.
        expect(await page.getByTestId('evaluation-csv').getAttribute('href')).toBe(`/api/evaluation?period=${week}&level=3&format=csv&grid=${TOWN}`)
        expect(await page.getByTestId('evaluation-workers-csv').getAttribute('href')).toBe(`/api/evaluation/workers?period=${week}&format=csv&grid=${TOWN}`)
        // The ranking is the week's: the scored rows in the API's order of scores.
        const scores = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-score')))) as string[]
        const expected = cells.map((c) => (c.score === null ? 'none' : String(c.score)))
        expect([...scores].sort()).toEqual([...expected].sort())
        await page.screenshot({ path: join(ARTIFACTS_DIR, `evaluation-week-${language === 'en' ? 'en' : 'zh'}.png`), fullPage: true })
        await page.close()
      }
      expect(errors).toEqual([])
    }),
  )

  /** A village of the town whose villager groups have at least two scores, and silent household groups. */
  async function villageToCompare(period: string): Promise<{ code: string; cells: ScoredCell[] }> {
    const { cells } = await api<{ cells: ScoredCell[] }>(`/api/evaluation?grid=${TOWN}&period=${period}&level=4`)
    const byParent = new Map<string, ScoredCell[]>()
    for (const c of cells) byParent.set(c.parentCode, [...(byParent.get(c.parentCode) ?? []), c])
    for (const [village, children] of byParent) {
      if (children.filter((c) => c.score !== null).length < 2) continue
      const silent = await api<{ total: number }>(`/api/coverage/silent?grid=${village}&days=7`)
      if (silent.total > 0) return { code: village, cells: children }
    }
    throw new Error(`No village of ${TOWN} has scored villager groups and silent household groups in ${period}`)
  }

  async function colourByScore(page: Page, village: string, label: string): Promise<void> {
    await page.goto(`${server.url}/grid/${village}`)
    await waitForChildrenOf(page, village)
    await page.getByRole('radio', { name: label }).click()
    await page.locator('[data-testid="legend-no-data"], .ranking__row').first().waitFor({ timeout: 60_000 })
    await page.getByTestId('silent-outlined').waitFor({ timeout: 60_000 })
    await settle(page)
  }

  /** Pixels (of the map's area) that differ between two screenshots by more than a trace. */
  async function changedPixels(a: Buffer, b: Buffer): Promise<number> {
    const [x, y] = await Promise.all([sharp(a).raw().toBuffer(), sharp(b).raw().toBuffer()])
    let changed = 0
    for (let i = 0; i < x.length; i += 4) {
      if (Math.abs(x[i]! - y[i]!) + Math.abs(x[i + 1]! - y[i + 1]!) + Math.abs(x[i + 2]! - y[i + 2]!) > 40) changed++
    }
    return changed
  }

  it('shows a cell’s score, rank and weakest indicator on hover and tap, the silent grids as outlines', { timeout: 300_000 }, () =>
    withWeightsLock(db, 'shared', async () => {
      const period = defaultPeriod()
      const { code: village, cells } = await villageToCompare(period)
      const children = await fetchChildren(server.url, village, server.cookie)
      const target = cells.filter((c) => c.score !== null).sort((a, b) => a.score! - b.score!)[0]!
      const facts = children.find((c) => c.code === target.code)!

      for (const language of ['zh-CN', 'en'] as const) {
        const t = createI18n(language).t
        const page = await openWatchedPage(browser, VIEWPORT, errors, server)
        if (language === 'en') await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
        await colourByScore(page, village, language === 'en' ? 'Score' : '考核得分')
        const point = await cellClickPoint(page, target.code, facts.labelPoint)
        const { x, y } = await pagePointOf(page, point)
        await page.mouse.move(x, y)
        const tooltip = page.getByRole('tooltip')
        await expect.poll(() => tooltip.innerText().catch(() => ''), { timeout: 30_000 }).toContain(target.name)
        const text = await tooltip.innerText()
        expect(text).toContain(t('tooltip.score'))
        expect(text).toContain(target.score!.toFixed(1))
        expect(text).toContain(t('tooltip.rankValue', { rank: target.rank!, peers: target.peers }))
        expect(text).toContain(t(`report.indicators.${target.pulledDownBy}` as never))
        await page.screenshot({ path: join(ARTIFACTS_DIR, `score-tooltip-${language === 'en' ? 'en' : 'zh'}.png`) })
        await page.close()
      }

      // The silent grids over the score colours are outlines: switching them off changes a few
      // pixels; over the households colouring (filled) it changes many more.
      const page = await openWatchedPage(browser, VIEWPORT, errors, server)
      await colourByScore(page, village, '考核得分')
      await page.mouse.move(2, VIEWPORT.height - 2)
      // Only the map between the panels counts: the panels change with the toggle too (the list
      // of silent grids goes and the panel shrinks), by as many pixels as thin outlines.
      const left = (await page.locator('.cell-panel').boundingBox())!
      const right = await Promise.all([page.getByTestId('field-work-panel').boundingBox(), page.locator('.legend-card').boundingBox()])
      const x = Math.ceil(left.x + left.width)
      const top = Math.ceil((await page.locator('header').first().boundingBox())!.height)
      const map = { clip: { x, y: top, width: Math.floor(Math.min(...right.map((b) => b!.x))) - x, height: VIEWPORT.height - top } }
      const toggle = page.getByTestId('silent-toggle')
      const shot = async () => (await settle(page), page.screenshot(map))
      const scoreOn = await shot()
      await toggle.uncheck()
      const scoreOff = await shot()
      await page.getByRole('radio', { name: '户数' }).click()
      await expect.poll(() => page.getByTestId('silent-outlined').count(), { timeout: 30_000 }).toBe(0)
      const householdsOff = await shot()
      await toggle.check()
      await page.getByTestId('silent-count').filter({ hasNotText: '…' }).waitFor({ timeout: 60_000 })
      const householdsOn = await shot()
      for (const [name, png] of Object.entries({ scoreOn, scoreOff, householdsOn, householdsOff }))
        writeFileSync(join(ARTIFACTS_DIR, `silent-${name}.png`), png)
      const overScores = await changedPixels(scoreOn, scoreOff)
      const overHouseholds = await changedPixels(householdsOn, householdsOff)
      expect(overScores).toBeGreaterThan(0)
      expect(overScores).toBeLessThan(overHouseholds / 2)
      await page.close()

      // A finger: the first tap shows the tooltip, the second opens the cell.
      const context = await browser.newContext({ viewport: VIEWPORT, hasTouch: true, locale: 'zh-CN' })
      const phone = await context.newPage()
      phone.on('pageerror', (error) => errors.push(error.message))
      await signInPage(phone, server)
      await colourByScore(phone, village, '考核得分')
      const tap = await pagePointOf(phone, await cellClickPoint(phone, target.code, facts.labelPoint))
      await phone.touchscreen.tap(tap.x, tap.y)
      // The second tap follows as soon as the tooltip shows: within MapLibre's double-tap interval,
      // which must open the cell rather than zoom.
      await phone.getByRole('tooltip').filter({ hasText: target.name }).waitFor({ timeout: 30_000 })
      expect(new URL(phone.url()).pathname).toBe(`/grid/${village}`)
      // Cases reported live by other tests may land on the first point meanwhile: tap the cell
      // where nothing covers it now (a tap on a case opens the case).
      const again = await pagePointOf(phone, await cellClickPoint(phone, target.code, facts.labelPoint))
      await phone.touchscreen.tap(again.x, again.y)
      await phone.waitForURL((url) => url.pathname === `/grid/${target.code}`, { timeout: 30_000 })
      await context.close()
      expect(errors).toEqual([])
    }),
  )
})
