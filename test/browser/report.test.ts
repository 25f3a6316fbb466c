/**
 * The printed evaluation report in Debian's Chromium: /report for a town and a month prints to an
 * A4 PDF (page.pdf) whose text (pdftotext, poppler-utils) holds the title, the period, the 环比 and
 * 同比 columns and the town's villages, over more than one page with page numbers; the pages are
 * rendered to PNG (pdftoppm) in ARTIFACTS_DIR to look at; the villages' score map has one shape per
 * village, hatched when it has no score. A household group prints too (no map: no cells below).
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { writeFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { signIn } from '../support/auth.ts'

const run = promisify(execFile)
const TOWN = '440904004'

describe.skipIf(!HAS_CHROMIUM)('the printed report', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  const errors: string[] = []

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

  async function printReport(
    grid: string,
    period: string,
    name: string,
    cookie = server.cookie,
  ): Promise<{ text: string; pages: number; map: { code: string; fill: string }[] }> {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, { ...server, cookie })
    await page.goto(`${server.url}/report?grid=${grid}&period=${period}`)
    await page.locator('.report[data-ready="true"]').waitFor()
    // The score map: one shape per cell below, with its fill.
    const map = await page
      .locator('[data-testid="report-score-map"] path')
      .evaluateAll((paths) => paths.map((p) => ({ code: p.getAttribute('data-code')!, fill: p.getAttribute('fill')! })))
    const pdf = join(ARTIFACTS_DIR, `${name}.pdf`)
    await writeFile(
      pdf,
      await page.pdf({
        format: 'A4',
        preferCSSPageSize: true,
        printBackground: true,
      }),
    )
    await page.close()
    const { stdout: info } = await run('pdfinfo', [pdf])
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1])
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-'])
    await run('pdftoppm', ['-png', '-r', '60', pdf, join(ARTIFACTS_DIR, name)])
    return { text, pages, map }
  }

  it('prints a town for a month on A4 pages, in Chinese, with page numbers', async () => {
    const { text, pages, map } = await printReport(TOWN, '2026-10', 'report-town')
    expect(pages).toBeGreaterThanOrEqual(2)
    expect(pages).toBeLessThanOrEqual(6)
    expect(text).toContain('电海街道 网格化管理考核评价报告')
    expect(text).toContain('考核期：2026-10')
    for (const heading of ['环比', '同比', '2026-09', '2025-10', '综合得分', '下级网格排名', '超期案件', '区域通知及确认情况', '沉默网格'])
      expect(text).toContain(heading)
    const villages = await db.sql<{ name: string }[]>`select name from grid_cell where parent_code = ${TOWN}`
    for (const v of villages) expect(text).toContain(v.name)
    // The map of the villages by score: one shape each; a village without a score hatched, not coloured.
    const { children } = await (await fetch(`${server.url}/api/evaluation/report?grid=${TOWN}&period=2026-10`, { headers: { cookie: server.cookie } })).json()
    expect(map.map((m) => m.code).sort()).toEqual(children.map((c: { code: string }) => c.code).sort())
    for (const m of map) {
      const scored = children.find((c: { code: string }) => c.code === m.code).score !== null
      expect(m.fill === 'url(#report-no-data)').toBe(!scored)
    }
    expect(map).toHaveLength(villages.length)
    // The page numbers come from the stylesheet's @page margin box (pdftotext drops the spaces).
    expect(text).toMatch(new RegExp(`\\b1\\s*/\\s*${pages}\\b`))
    expect(text).toMatch(new RegExp(`\\b${pages}\\s*/\\s*${pages}\\b`))
    expect(errors).toEqual([])
  })

  it('prints a household group for a week', async () => {
    const [group] = await db.sql<
      { code: string; name: string }[]
    >`select code, name from grid_cell where level = 5 and code like ${TOWN + '%'} order by code limit 1`
    const { text, pages, map } = await printReport(group!.code, '2026-W40', 'report-group')
    expect(map).toEqual([])
    expect(pages).toBeGreaterThanOrEqual(1)
    expect(text).toContain(group!.name)
    expect(text).toContain('考核期：2026-W40')
    // The week also as people say it.
    expect(text).toContain('2026年第40周')
    expect(errors).toEqual([])
  })

  it('prints the district for a month as an analyst: every town, nobody named', async () => {
    const { text, pages, map } = await printReport('440904', '2026-10', 'report-district', await signIn(db, 'analyst'))
    expect(pages).toBeGreaterThanOrEqual(2)
    expect(pages).toBeLessThanOrEqual(10)
    expect(text).toContain('电白区 网格化管理考核评价报告')
    const towns = await db.sql<{ code: string; name: string }[]>`select code, name from grid_cell where parent_code = '440904'`
    for (const town of towns) expect(text).toContain(town.name)
    expect(map.map((m) => m.code).sort()).toEqual(towns.map((t) => t.code).sort())
    // No whole mobile number and no grid person by their whole name (three characters or more).
    expect(text).not.toMatch(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/)
    const people = await db.sql<{ full_name: string }[]>`select distinct full_name from grid_person where length(full_name) >= 3 limit 2000`
    for (const p of people) expect(text, p.full_name).not.toContain(p.full_name)
    expect(errors).toEqual([])
  })
})
