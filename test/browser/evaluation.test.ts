/**
 * The evaluation screen in Debian's Chromium at a leader's laptop size (1440×900): the villages of
 * a town ranked lowest first with "无数据" for a village without data (never 0), the drill-down list,
 * the trend and movers, the link to the printed report; the commander changes a weight (a bad value
 * is refused naming the field, a good one saved and audited, and the ranking follows); a town
 * leader reads the weights only. Screenshots in Chinese and English go to ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, signInPage, startWebServer } from '../support/browser.ts'
import { signIn } from '../support/auth.ts'
import { addWallToken } from '../../server/access/accounts.ts'
import { defaultPeriod } from '../../web/src/report/report-api.ts'
import { waitForWall } from './wall-page.ts'
import { withWeightsLock } from '../support/evaluation-weights.ts'
import { connectTestDatabase } from '../support/database.ts'

const TOWN = '440904004'
const PERIOD = '2026-10'

describe.skipIf(!HAS_CHROMIUM)('the evaluation screen', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  const errors: string[] = []
  let defaults: Record<string, number>

  const api = async (path: string, init: RequestInit = {}, cookie = server.cookie) =>
    fetch(`${server.url}${path}`, { ...init, headers: { cookie, origin: server.url, 'content-type': 'application/json', ...(init.headers ?? {}) } })

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
    defaults = (await (await api('/api/evaluation/weights')).json()).defaults
  }, 300_000)
  afterAll(async () => {
    if (defaults) await api('/api/evaluation/weights', { method: 'PUT', body: JSON.stringify({ weights: defaults }) })
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  async function open(language: 'zh-CN' | 'en' = 'zh-CN', cookie = server.cookie): Promise<Page> {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors)
    await signInPage(page, { url: server.url, cookie })
    if (language === 'en') await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
    await page.goto(`${server.url}/evaluation?grid=${TOWN}&period=${PERIOD}`)
    await page.getByTestId('evaluation-ranking').waitFor()
    await page.getByTestId('evaluation-trend').waitFor()
    return page
  }

  it('ranks the villages lowest first, no data shown as such, with drill-down, trend and the report link', { timeout: 120_000 }, () =>
    withWeightsLock(db, 'shared', async () => {
      const body = await (await api(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3`)).json()
      const page = await open()
      const rows = page.locator('[data-testid="evaluation-ranking"] tbody tr')
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(body.cells.length)
      const scores = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-score')))) as string[]
      const scored = scores.filter((s) => s !== 'none').map(Number)
      expect(scored.length).toBeGreaterThan(2)
      expect(scored).toEqual([...scored].sort((a, b) => a - b))
      // Unscored rows come last and read 无数据, never 0.
      expect(scores.slice(scored.length).every((s) => s === 'none')).toBe(true)
      for (const row of await page.locator('[data-testid="evaluation-ranking"] tr[data-score="none"]').all()) {
        await expect.poll(() => row.locator('td').nth(2).textContent(), { timeout: 30_000 }).toBe('无数据')
      }
      const worst = body.cells
        .filter((c: { score: number | null }) => c.score !== null)
        .sort((a: { score: number }, b: { score: number }) => a.score - b.score)[0]
      await expect.poll(() => page.getByTestId('evaluation-pulling').locator('> li').first().textContent(), { timeout: 30_000 }).toContain(worst.name)
      expect(await page.getByTestId('evaluation-report-link').getAttribute('href')).toBe(`/report?period=${PERIOD}&grid=${TOWN}`)
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'evaluation-town-zh.png'), fullPage: true })
      await page.locator('.evaluation-weights').screenshot({ path: join(ARTIFACTS_DIR, 'evaluation-weights-zh.png') })

      // Drill into the worst village: its groups are ranked in turn.
      await page.getByTestId('evaluation-pulling').locator('> li > a').first().click()
      await page.waitForURL((url) => url.searchParams.get('grid') === worst.code)
      await page.getByTestId('evaluation-ranking').waitFor()
      expect(await page.locator('[data-testid="evaluation-ranking"] tbody tr').first().getAttribute('data-code')).toMatch(new RegExp(`^${worst.code}`))
      await page.close()

      const en = await open('en')
      await expect.poll(() => en.locator('h2').first().textContent(), { timeout: 30_000 }).toBe('Evaluation')
      await en.screenshot({ path: join(ARTIFACTS_DIR, 'evaluation-town-en.png'), fullPage: true })
      await en.close()
      expect(errors).toEqual([])
    }),
  )

  it('lets the commander change a weight (bad value refused naming it), audited; leaders read only', { timeout: 120_000 }, () =>
    withWeightsLock(db, 'exclusive', async () => {
      try {
        const page = await open()
        const onTime = page.locator('input[name="onTimeRate"]')
        await onTime.fill('-1')
        await page.getByRole('button', { name: '保存权重' }).click()
        await expect.poll(() => onTime.getAttribute('aria-invalid'), { timeout: 30_000 }).toBe('true')
        await expect.poll(() => page.locator('.screen-page__status--error').textContent(), { timeout: 30_000 }).toMatch(/onTimeRate/)
        // The browser logs the refused request (400); nothing else went wrong.
        expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([])
        errors.length = 0

        // Everything on closure: the ranking becomes the closure-rate ranking.
        for (const [key] of Object.entries(defaults)) await page.locator(`input[name="${key}"]`).fill(key === 'closureRate' ? '5' : '0')
        await page.getByRole('button', { name: '保存权重' }).click()
        await page.getByText('权重已保存').waitFor()
        const inForce = await (await api('/api/evaluation/weights')).json()
        expect(inForce.weights.closureRate).toBe(5)
        expect(inForce.weights.onTimeRate).toBe(0)
        const [audit] = await db.sql<{ reason: string }[]>`select reason from audit_log where action = 'evaluation_weights' order by id desc limit 1`
        expect(audit!.reason).toContain('closureRate')
        const body = await (await api(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3`)).json()
        const byClosure = body.cells
          .filter((c: { score: number | null }) => c.score !== null)
          .sort((a: { indicators: { closureRate: number } }, b: { indicators: { closureRate: number } }) => a.indicators.closureRate - b.indicators.closureRate)
        await expect
          .poll(() => page.locator('[data-testid="evaluation-ranking"] tbody tr').first().getAttribute('data-code'), { timeout: 30_000 })
          .toBe(byClosure[0].code)
        await page.close()

        const leader = await open('zh-CN', await signIn(db, 'town_leader', TOWN))
        await leader.locator('input[name="closureRate"]').waitFor()
        expect(await leader.locator('input[name="closureRate"]').getAttribute('readonly')).not.toBeNull()
        expect(await leader.getByRole('button', { name: '保存权重' }).count()).toBe(0)
        await leader.getByText('仅指挥中心可修改权重').waitFor()
        await leader.close()
        expect(errors).toEqual([])
      } finally {
        await api('/api/evaluation/weights', { method: 'PUT', body: JSON.stringify({ weights: defaults }) })
      }
    }),
  )

  it('offers the wall a ranking panel by score, 1920×1080 and 3840×2160, no data shown as such', { timeout: 240_000 }, () =>
    withWeightsLock(db, 'shared', async () => {
      const { token } = await addWallToken(db.sql, { label: 'evaluation wall test' })
      const period = defaultPeriod()
      const body = await (await api(`/api/evaluation?period=${period}&level=2`)).json()
      for (const [viewport, language] of [
        [{ width: 1920, height: 1080 }, 'zh-CN'],
        [{ width: 3840, height: 2160 }, 'en'],
      ] as const) {
        const page = await openWatchedPage(browser, viewport, errors)
        await page.goto(`${server.url}/wall?tour=off&ranking=score&lang=${language === 'en' ? 'en' : 'zh'}&token=${token}`)
        await waitForWall(page, { mapIdle: false })
        const panel = page.getByTestId('wall-score-ranking')
        await expect.poll(() => panel.locator('tbody tr').count(), { timeout: 60_000 }).toBe(Math.min(10, body.cells.length))
        const shown = await panel.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-code'), tr.children[2]!.textContent]))
        const best = [...body.cells].sort((a, b) => (a.score === null ? 1 : b.score === null ? -1 : b.score - a.score)).slice(0, 10)
        expect(shown.map(([code]) => code)).toEqual(best.map((c: { code: string }) => c.code))
        for (const [code, text] of shown) {
          const cell = body.cells.find((c: { code: string }) => c.code === code)
          expect(text).toBe(cell.score === null ? (language === 'en' ? 'No data' : '无数据') : cell.score.toFixed(1))
        }
        // A 4K frame in software WebGL can take a minute to capture on a loaded machine.
        await page.screenshot({ path: join(ARTIFACTS_DIR, `evaluation-wall-${viewport.width}.png`), timeout: 120_000 })
        await page.close()
      }
      expect(errors.filter((e) => !/WebGL|weightsTexture|status of 4\d\d/.test(e))).toEqual([])
    }),
  )

  it("links the map's grid panel to the evaluation and the printed report of the selected cell", { timeout: 120_000 }, async () => {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors)
    await signInPage(page, server)
    await page.goto(`${server.url}/`)
    const report = page.getByTestId('cell-panel-report')
    await report.waitFor({ timeout: 90_000 })
    const period = defaultPeriod()
    expect(await report.getAttribute('href')).toBe(`/report?period=${period}&grid=440904`)
    expect(await page.getByTestId('cell-panel-evaluation').getAttribute('href')).toBe(`/evaluation?period=${period}&grid=440904`)
    await page.close()
  })
})
