/**
 * The commander's base-data import (/import/base-data) in Debian's Chromium at 1440×900: a file
 * with bad rows shows them (row, column, masked value, why) and downloads them as a spreadsheet,
 * nothing is written; the corrected file checks clean (its stages shown as they pass), says what it
 * will add, and is applied; then the map at the household group shows its homes. Screenshots go to ARTIFACTS_DIR as base-data-*.png.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { csvOf, HOUSEHOLD_HEADER, type Home, homesUnder, householdRows, sheetRows } from '../support/base-data-fixture.ts'
import { settle, waitForChildrenOf } from './map-page.ts'

const DESK = { width: 1440, height: 900 }
/** 陈村街道: no other browser test inspects its household groups. */
const TOWN = '440904005'

describe.skipIf(!HAS_CHROMIUM)('the base-data import in a browser', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let homes: Home[]
  const errors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    // A database kept from an earlier run (DATABASE_URL) starts this file's homes afresh.
    await db.sql`delete from resident where household_id in (select id from household where code like 'WEB%')`
    await db.sql`delete from household where code like 'WEB%'`
    homes = await homesUnder(db.sql, TOWN, 1, 6, 'WEB')
    server = await startWebServer(db)
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
    // The file with bad rows is answered 422 (problem+json listing them), which Chromium logs.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([])
  })

  const homeCount = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from household where code like 'WEB%'`)[0]!.n

  it('shows the rows to fix and their report, then applies the corrected file and draws the homes on the map', { timeout: 300_000 }, async () => {
    const page = await openWatchedPage(browser, DESK, errors, server)
    await page.goto(`${server.url}/import/base-data`)
    await page.getByRole('heading', { name: '基础数据导入' }).waitFor({ timeout: 60_000 })
    expect(await page.getByRole('link', { name: '下载模板（.xlsx）' }).getAttribute('href')).toBe('/api/imports/templates/households.xlsx')

    // A file with two bad rows: nothing is written, the rows are listed.
    const bad = householdRows(homes).map((row, i) =>
      i === 1 ? [row[0]!, row[1]!, row[2]!, '300', row[4]!] : i === 3 ? [row[0]!, row[1]!, '', row[3]!, row[4]!] : row,
    )
    await page.locator('input[type="file"]').setInputFiles({ name: 'homes.csv', mimeType: 'text/csv', buffer: Buffer.from(csvOf(HOUSEHOLD_HEADER, bad)) })
    const problems = page.getByTestId('base-data-problems')
    await problems.waitFor({ timeout: 60_000 })
    expect(await problems.getByRole('alert').innerText()).toContain('2 个问题（共 6 行），未写入任何数据')
    const rows = await problems.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['3', '经度 (longitude)'],
      ['5', '地址 (address)'],
    ])
    expect(await homeCount()).toBe(0)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'base-data-problems.png') })

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      problems.getByRole('button', { name: '下载问题表（.xlsx）' }).click(),
    ])
    const report = await sheetRows(new Uint8Array(await readFile((await download.path())!)))
    expect(report[0]).toEqual(['行 (row)', '列 (column)', '值 (value)', '原因 (why)'])
    expect(report.slice(1, 3).map((r) => r.slice(0, 3))).toEqual([
      ['3', '经度 (longitude)', '300'],
      ['5', '地址 (address)', ''],
    ])

    // The corrected file: checked, then applied. The stages the server streams are shown as they pass.
    await page.getByRole('button', { name: '换一个文件' }).click()
    await page.evaluate(() => {
      const seen: string[] = []
      Object.assign(window, { stagesSeen: seen })
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="base-data-stage"]')?.textContent
        if (text && seen.at(-1) !== text) seen.push(text)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'homes.csv', mimeType: 'text/csv', buffer: Buffer.from(csvOf(HOUSEHOLD_HEADER, householdRows(homes))) })
    const ready = page.getByTestId('base-data-ready')
    await ready.waitFor({ timeout: 60_000 })
    expect(await ready.innerText()).toContain('6 行检查无误：新增 6，更新 0，不变 0')
    // The page says how many cells' figures would follow the register before anything is written.
    expect(await ready.innerText()).toMatch(/\d+ 个网格的户数、人口将以登记数为准/)
    expect(await homeCount()).toBe(0)
    await ready.getByRole('button', { name: '导入', exact: true }).click()
    await expect.poll(() => ready.innerText(), { timeout: 60_000 }).toContain('已导入：新增 6')
    expect(await homeCount()).toBe(6)
    expect(await ready.innerText()).toMatch(/\d+ 个网格的户数、人口已按登记数更新/)
    const stages = await page.evaluate(() => (window as unknown as { stagesSeen: string[] }).stagesSeen)
    expect(stages.length).toBeGreaterThan(0)
    for (const stage of stages) expect(stage).toMatch(/^(读取文件|逐行检查 \d+\/\d+|载入 \d+\/\d+ 行|与库中数据核对|比对新增与更新|更新网格户数、人口)$/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'base-data-applied.png') })

    // The household group on the map: each of its homes is drawn where it is.
    const cell = homes[0]!.cell
    await page.goto(`${server.url}/grid/${cell}`)
    await waitForChildrenOf(page, cell.slice(0, 15), 120_000)
    for (const home of homes) {
      await expect
        .poll(() => page.evaluate(([lon, lat]) => window.__gridscope!.topLayerAt(lon, lat), [home.lon, home.lat] as const), { timeout: 30_000 })
        .toBe('homes')
    }
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'base-data-homes.png') })
    await page.close()
  })
})
