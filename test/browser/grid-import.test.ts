/**
 * The grid import screen (/import) and a second county in Debian's Chromium, on a database of its
 * own that holds no grid but what is imported here (no Dianbai at all). The commander of the
 * fixture county 测试县 (445999) uploads its Shapefile with one problem of every kind: the report
 * is on the map and in the list, every problem found from the list (the camera goes to it), apply
 * refused. Then the corrected county: the plan, apply after the confirmation, the new cells in the
 * map's tiles. Then the situation map of the new county: its towns drawn, search finds them, the
 * figures of a case reported there in the tiles and the panel. Screenshots at 1440×900 in Chinese
 * and English go to ARTIFACTS_DIR.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { refreshIncidentStats } from '../../server/incidents/stats.ts'
import { TileCache } from '../../server/tiles/cache.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage } from '../support/browser.ts'
import { signIn } from '../support/auth.ts'
import { serveApp } from '../support/serve-app.ts'
import { createTransform, epsgSpec } from '../../server/imports/crs.ts'
import { COUNTY_EPSG, correctCounty, type FixtureFiles, hasOgr2ogr, ORIGIN, problemCounty, writeFixtureFiles } from '../support/county-fixture.ts'
import { openScratchDatabase } from '../support/scratch-database.ts'
import { waitForChildrenOf } from './map-page.ts'

const COUNTY = '445999'
const gdal = hasOgr2ogr()

describe.skipIf(!HAS_CHROMIUM || !gdal)('the grid import screen and a second county (skipped without chromium or gdal-bin)', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof serveApp>>
  let cookie: string
  let browser: Browser
  let bad: FixtureFiles
  let good: FixtureFiles
  const errors: string[] = []
  const tileCache = new TileCache()

  beforeAll(async () => {
    db = await openScratchDatabase()
    await ensureWebBuilt()
    server = await serveApp(db, { tileCache, extend: (app) => mountWebClient(app) })
    cookie = await signIn(db, 'commander', COUNTY)
    browser = await launchBrowser()
    bad = writeFixtureFiles(problemCounty(), 'county_problems')
    good = writeFixtureFiles(correctCounty(), 'county')
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
    for (const files of [bad, good]) if (files) rmSync(files.dir, { recursive: true, force: true })
  })

  const api = async (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { cookie, origin: server.url, 'content-type': 'application/json', ...(init.headers ?? {}) } })

  async function open(path: string, language: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
    const page = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, {
      url: server.url,
      cookie,
      liveHub: server.liveHub,
      close: async () => {},
    })
    if (language === 'en') await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
    await page.goto(`${server.url}${path}`)
    return page
  }

  /** Waits until the import map has stopped moving and drawn a few frames. */
  const settleImportMap = (page: Page) =>
    page.evaluate(async () => {
      const map = window.__gridscopeImport!.map()!
      while (map.isMoving() || !map.loaded()) await new Promise((resolve) => map.once('idle', resolve))
      for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
    })

  it('shows the problems of the county on the map and in the list, each one found from the list; apply is refused', { timeout: 240_000 }, async () => {
    const page = await open('/import')
    // The commander's 更多 menu leads here.
    await page.locator('.app-nav__more summary').click()
    await expect.poll(() => page.locator('.app-nav__menu a[href="/import"]').count()).toBe(1)
    await page.locator('.app-nav__more summary').click()
    await expect.poll(() => page.locator('a[href="/import/base-data"]').count()).toBe(1)

    const shp = ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => bad.shp.replace(/\.shp$/, `.${ext}`))
    await page.getByTestId('grid-import-files').setInputFiles(shp)
    await page.getByRole('button', { name: '上传并检查' }).click()
    await page.locator('[data-testid="grid-import-report"][data-state="checked"]').waitFor({ timeout: 120_000 })

    const { items } = await (await api('/api/imports/grid')).json()
    const problems = (await (await api(`/api/imports/grid/${items[0].id}/problems`)).json()).features as {
      properties: { index: number; kind: string; code: string }
      geometry: { coordinates: unknown } | null
    }[]
    const rows = page.locator('[data-testid="grid-import-problems"] button')
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(problems.length)
    const kinds = await rows.evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.kind))
    expect(new Set(kinds)).toEqual(
      new Set(['code-duplicate', 'parent-missing', 'level-mismatch', 'invalid-geometry', 'outside-parent', 'overlap', 'gap', 'sliver']),
    )
    await page.waitForFunction(() => window.__gridscopeImport?.drawn().includes('grid-import-problems'), undefined, { timeout: 60_000 })
    // Blocking problems: said so, and no way to apply.
    await page.locator('.grid-import__blocked').first().waitFor()
    expect(await page.getByTestId('grid-import-plan').count()).toBe(0)
    await settleImportMap(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'grid-import-report-zh.png') })

    // Every problem with a location: chosen from the list, the camera goes to it.
    const located = problems.filter((p) => p.geometry)
    expect(located.length).toBeGreaterThanOrEqual(10)
    for (const problem of located) {
      await rows.nth(problem.properties.index).click()
      await page.waitForFunction((index) => window.__gridscopeImport?.selected() === index, problem.properties.index)
      await settleImportMap(page)
      const inView = await page.evaluate((geometry) => {
        const map = window.__gridscopeImport!.map()!
        const bounds = map.getBounds()
        const points: number[][] = []
        const walk = (v: unknown): void => {
          if (Array.isArray(v) && typeof v[0] === 'number') points.push(v as number[])
          else if (Array.isArray(v)) v.forEach(walk)
        }
        walk((geometry as { coordinates: unknown }).coordinates)
        const inside = points.every(([x, y]) => bounds.contains([x!, y!]))
        return { inside, zoom: map.getZoom() }
      }, problem.geometry)
      expect({ code: problem.properties.code, kind: problem.properties.kind, ...inView }).toEqual({
        code: problem.properties.code,
        kind: problem.properties.kind,
        inside: true,
        zoom: expect.any(Number),
      })
      expect(inView.zoom).toBeGreaterThan(11)
    }
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'grid-import-problem-zh.png') })
    const refused = await api(`/api/imports/grid/${items[0].id}/apply`, { method: 'POST', body: JSON.stringify({ confirm: true }) })
    expect(refused.status).toBe(422)

    // The same report in English, at the same size.
    const en = await open('/import', 'en')
    await en.locator('[data-testid="grid-import-report"][data-state="checked"]').waitFor({ timeout: 60_000 })
    await en.waitForFunction(() => window.__gridscopeImport?.drawn().includes('grid-import-problems'), undefined, { timeout: 60_000 })
    await settleImportMap(en)
    expect(await en.locator('.grid-import__problem').first().innerText()).toMatch(/Blocking|Warning/)
    await en.screenshot({ path: join(ARTIFACTS_DIR, 'grid-import-report-en.png') })
    await en.close()
    await page.close()
  })

  it('applies the corrected county after the confirmation, and its cells are in the map at once', { timeout: 240_000 }, async () => {
    const page = await open('/import')
    await page.getByTestId('grid-import-files').setInputFiles([good.gpkg])
    await page.locator('input[name="effective"]').fill('2027-03-01')
    await page.getByRole('button', { name: '上传并检查' }).click()
    const plan = page.getByTestId('grid-import-plan')
    await plan.waitFor({ timeout: 120_000 })
    expect(await plan.innerText()).toContain(`新增 ${correctCounty().length} 个网格`)
    expect(await plan.innerText()).toContain('在办案件中按位置将落入其他住户小组的：0 件')
    expect(await plan.innerText()).toContain('按房屋位置改属其他网格的住户：0 户（0 人）')
    await plan.getByRole('button', { name: '生效为新版本…' }).click()
    const dialog = page.getByRole('alertdialog')
    expect(await dialog.innerText()).toContain('生效日期 2027-03-01')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'grid-import-confirm-zh.png') })
    await dialog.getByRole('button', { name: '确认生效' }).click()
    await page.getByTestId('grid-import-applied').waitFor({ timeout: 120_000 })
    // The map is made again over the new tiles: the towns of the county are drawn.
    await page.waitForFunction(() => window.__gridscopeImport?.map(), undefined, { timeout: 60_000 })
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const map = window.__gridscopeImport!.map()!
            return [...new Set(map.querySourceFeatures('grids', { sourceLayer: 'town' }).map((f) => String(f.properties.code)))].sort()
          }),
        { timeout: 60_000 },
      )
      .toEqual(['445999001', '445999002', '445999003'])
    await settleImportMap(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'grid-import-applied-zh.png') })
    const [version] = await db.sql<{ effective: string }[]>`select effective_date::text as effective from grid_version order by id desc limit 1`
    expect(version).toEqual({ effective: '2027-03-01' })
    await page.close()
  })

  it('an import whose server process stopped while checking says so, in Chinese and in English', { timeout: 120_000 }, async () => {
    // The newest import, left checking by a process that stopped a minute ago (no heartbeat since).
    const [latest] = await db.sql<{ status: Record<string, unknown> }[]>`select status from grid_import order by created_at desc limit 1`
    const id = '00000000-0000-4000-8000-000000000002'
    await db.sql`
      insert into grid_import (id, state, status, created_at, heartbeat_at)
      values (${id}, 'checking', ${db.sql.json({
        ...latest!.status,
        id,
        state: 'checking',
        progress: { stage: 'check: overlap', done: 3, total: 13 },
        plan: null,
        version: null,
      })}, now(), now() - interval '1 minute')`
    try {
      for (const [language, sentence] of [
        ['zh-CN', '检查未能完成：负责检查的服务进程已停止，请重新上传文件'],
        ['en', 'The check did not finish: the server process checking it stopped; upload the files again'],
      ] as const) {
        const page = await open('/import', language)
        await page.locator('[data-testid="grid-import-report"][data-state="failed"]').waitFor({ timeout: 60_000 })
        await expect.poll(() => page.locator('main').innerText(), { timeout: 30_000 }).toContain(sentence)
        // Nothing of a check that did not finish: no counts of problems, no plan to apply.
        expect(await page.getByTestId('grid-import-plan').count()).toBe(0)
        await page.screenshot({ path: join(ARTIFACTS_DIR, `grid-import-stopped-${language}.png`) })
        await page.close()
      }
    } finally {
      await db.sql`delete from grid_import where id = ${id}`
    }
  })

  it('the situation map works for the new county: its grid, search and figures', { timeout: 240_000 }, async () => {
    // A case reported in 第二住户小组 of 东岭镇, then the figures refreshed (as the server does every minute).
    const [lon, lat] = createTransform(epsgSpec(COUNTY_EPSG))([ORIGIN[0] + 1500, ORIGIN[1] + 1000])
    const reported = await api('/api/incidents', {
      method: 'POST',
      body: JSON.stringify({ category: 'dispute.neighbour', severity: 2, title: '邻里纠纷', location: { lon, lat } }),
    })
    expect(reported.status).toBe(201)
    expect((await reported.json()).gridCode).toBe('445999001001001002')
    await refreshIncidentStats(db.sql)
    tileCache.invalidate() // as the server's refresher does after each refresh

    const page = await open('/')
    await page.waitForFunction(() => window.__gridscope?.map, undefined, { timeout: 60_000 })
    await waitForChildrenOf(page, COUNTY, 120_000)
    expect(await page.locator('#cell-panel-name').innerText()).toBe('测试县')
    await expect.poll(() => page.locator('.figures--incidents').innerText(), { timeout: 30_000 }).toMatch(/在办\s*1\b/)
    // Search finds the county's places by name.
    await page.getByRole('combobox').fill('东岭')
    const options = page.getByRole('listbox').getByRole('option')
    await expect.poll(async () => (await options.allInnerTexts()).join(' '), { timeout: 30_000 }).toContain('东岭镇')
    await options.filter({ hasText: '东岭镇' }).first().click()
    await waitForChildrenOf(page, '445999001', 120_000)
    expect(await page.locator('#cell-panel-name').innerText()).toBe('东岭镇')
    await expect.poll(() => page.locator('.figures--incidents').innerText(), { timeout: 30_000 }).toMatch(/在办\s*1\b/)
    // MapLibre draws the county's finer cells from the tiles where the case is.
    await expect
      .poll(() => page.evaluate(([lon, lat]) => window.__gridscope!.tileCellAt(lon!, lat!)?.code ?? null, [lon, lat]), { timeout: 60_000 })
      .toMatch(/^445999001001/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'second-county-map-zh.png') })
    expect(errors).toEqual([])
    await page.close()
  })
})
