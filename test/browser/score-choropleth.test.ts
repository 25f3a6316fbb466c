/**
 * The map dashboard coloured by evaluation score, in Debian's Chromium at a leader's laptop size
 * (1440×900): the compared cells take the ramp's classes in the order of the scores the evaluation
 * API gives for the last full month (China time), a cell without a score is drawn in the no-data
 * grey and listed as 无数据 / No data (never 0), and the legend keys it. The grid used is found
 * from the API: the first whose children have both scores and a missing one. Screenshots in
 * Chinese and English go to ARTIFACTS_DIR (score-choropleth-zh.png, score-choropleth-en.png).
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { CLASS_FILLS, NO_DATA_FILL } from '../../web/src/map/palette.ts'
import { defaultPeriod } from '../../web/src/report/report-api.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { withWeightsLock } from '../support/evaluation-weights.ts'
import { fetchChildren, pagePointOf, settle, waitForChildrenOf, type CellFacts } from './map-page.ts'

const VIEWPORT = { width: 1440, height: 900 }

interface ScoredCell {
  code: string
  parentCode: string
  score: number | null
}

describe.skipIf(!HAS_CHROMIUM)('the map coloured by evaluation score', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  const errors: string[] = []
  const period = defaultPeriod()

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

  /** A grid whose children (for `period`) have both scores and at least one without. */
  async function mixedGrid(): Promise<string> {
    for (const level of [2, 3, 4, 5]) {
      // No grid: the viewer's whole area (the commander's district).
      const { cells } = await api<{ cells: ScoredCell[] }>(`/api/evaluation?period=${period}&level=${level}`)
      const byParent = new Map<string, ScoredCell[]>()
      for (const c of cells) byParent.set(c.parentCode, [...(byParent.get(c.parentCode) ?? []), c])
      for (const [parent, children] of byParent) {
        const scored = new Set(children.filter((c) => c.score !== null).map((c) => c.score))
        if (scored.size >= 2 && children.some((c) => c.score === null)) return parent
      }
    }
    throw new Error(`No grid has children both with and without a score in ${period}`)
  }

  async function colourByScore(page: Page, grid: string, label: string): Promise<void> {
    await page.goto(`${server.url}/grid/${grid}`)
    await waitForChildrenOf(page, grid)
    await page.getByRole('radio', { name: label }).click()
    await page.locator('[data-testid="legend-no-data"]').waitFor()
    // The silent-grid overlay (on by default) would cover the colours in the screenshots.
    await page.getByTestId('silent-toggle').uncheck()
    await settle(page)
  }

  it('colours the children in the order of their scores, a child without one in the no-data grey', { timeout: 240_000 }, () =>
    withWeightsLock(db, 'shared', async () => {
      const grid = await mixedGrid()
      const { cells } = await api<{ cells: ScoredCell[] }>(`/api/evaluation?grid=${grid}&period=${period}`)
      const score = new Map(cells.map((c) => [c.code, c.score]))
      const children = await fetchChildren(server.url, grid, server.cookie)

      const page = await openWatchedPage(browser, VIEWPORT, errors, server)
      await colourByScore(page, grid, '考核得分')

      // The fill deck.gl draws each child with (picked at its label point, those on screen).
      const fills: { cell: CellFacts; fill: number[] }[] = []
      for (const cell of children) {
        const { x, y } = await pagePointOf(page, cell.labelPoint)
        if (x < 0 || y < 0 || x > VIEWPORT.width || y > VIEWPORT.height) continue
        const fill = await page.evaluate(([lon, lat]) => window.__gridscope!.cellFillAt(lon, lat), cell.labelPoint)
        if (fill) fills.push({ cell, fill })
      }
      const classOf = (fill: number[]) => CLASS_FILLS.findIndex((c) => c.every((v, i) => v === fill[i]))
      const scored = fills.filter((f) => score.get(f.cell.code) != null)
      const missing = fills.filter((f) => score.get(f.cell.code) == null)
      expect(scored.length).toBeGreaterThanOrEqual(2)
      expect(missing.length).toBeGreaterThanOrEqual(1)
      for (const { fill } of missing) expect(fill).toEqual([...NO_DATA_FILL])
      for (const { fill } of scored) expect(classOf(fill)).toBeGreaterThanOrEqual(0)
      // Higher score, same or higher class; the lowest and highest scores differ in colour.
      for (const a of scored) {
        for (const b of scored) {
          if (score.get(a.cell.code)! > score.get(b.cell.code)!) expect(classOf(a.fill)).toBeGreaterThanOrEqual(classOf(b.fill))
        }
      }
      const sorted = [...scored].sort((a, b) => score.get(a.cell.code)! - score.get(b.cell.code)!)
      expect(classOf(sorted.at(-1)!.fill)).toBeGreaterThan(classOf(sorted[0]!.fill))

      // The ranking lists them by score, best first, and the one without a score as 无数据.
      const rows = await page
        .locator('.ranking__row')
        .evaluateAll((rs) => rs.map((r) => [r.querySelector('.ranking__name')!.textContent, r.querySelector('.ranking__value')!.textContent]))
      const byName = new Map(children.map((c) => [c.name, c.code]))
      const best = [...cells].filter((c) => c.score !== null).sort((a, b) => b.score! - a.score!)[0]!
      expect(byName.get(rows[0]![0]!)).toBe(best.code)
      expect(rows[0]![1]).toBe(best.score!.toFixed(1))
      for (const [name, value] of rows) if (score.get(byName.get(name!)!) == null) expect(value).toBe('无数据')
      const noData = cells.filter((c) => c.score === null).length
      expect(await page.getByTestId('legend-no-data').innerText()).toBe(`无数据 · ${noData}`)
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'score-choropleth-zh.png') })
      await page.close()

      const en = await openWatchedPage(browser, VIEWPORT, errors, server)
      await en.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
      await colourByScore(en, grid, 'Score')
      expect(await en.getByTestId('legend-no-data').innerText()).toBe(`No data · ${noData}`)
      expect(await en.locator('.ranking__value[data-no-data]').first().innerText()).toBe('No data')
      await en.screenshot({ path: join(ARTIFACTS_DIR, 'score-choropleth-en.png') })
      await en.close()
      expect(errors).toEqual([])
    }),
  )
})
