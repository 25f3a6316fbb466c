/**
 * Slips seen on the analyst view and the wall: dates read and typed as yyyy-mm-dd in an American
 * English browser; the comparison offers 环比 and 同比; towns (and a town's villages) are named on
 * the analyst map and at the wall's town stops; no English label is cut off at the analysts' and
 * the wall's sizes; and the 4K wall's tour shows no missing-tile rectangle while it flies: a
 * frame caught mid-flight is compared with the same camera once every tile has loaded.
 * Screenshots in ARTIFACTS_DIR (slips-*.png).
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWallToken } from '../../server/access/accounts.ts'
import type { Database } from '../../server/db/connect.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, signInPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { settleMap, waitForSelection } from './analyst-page.ts'
import { findCutLabels } from './label-fit.ts'
import { waitForWall } from './wall-page.ts'

const LAPTOP = { width: 1440, height: 900 }
const DESKTOP = { width: 1920, height: 1080 }
const WALL_4K = { width: 3840, height: 2160 }
const TOWN = '440904004'
const DAY = /^\d{4}-\d{2}-\d{2}$/

describe.skipIf(!HAS_CHROMIUM)('slips on the analyst view and the wall', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let analyst: { url: string; cookie: string }
  let wallToken: string

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    analyst = { url: server.url, cookie: await signIn(db, 'analyst') }
    wallToken = (await addWallToken(db.sql, { label: 'slips wall test' })).token
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  async function openAnalyst(viewport: { width: number; height: number }, locale: string, query = ''): Promise<Page> {
    const page = await browser.newPage({ viewport, locale })
    await signInPage(page, analyst)
    await page.goto(`${server.url}/analyst${query}`)
    await waitForSelection(page)
    await settleMap(page)
    return page
  }

  it('shows and takes dates as yyyy-mm-dd in an en-US browser', { timeout: 180_000 }, async () => {
    const page = await openAnalyst(LAPTOP, 'en-US')
    // No native date field is what the reader sees (it would show mm/dd/yyyy here).
    const visibleNative = await page.locator('input[type="date"]').evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().width > 2).length)
    expect(visibleNative).toBe(0)
    const from = page.locator('.date-input').first().locator('input.day-input__text')
    await from.fill('2026-09-01')
    await from.press('Enter')
    await page.waitForURL(/from=/)
    await waitForSelection(page)
    expect(await from.inputValue()).toBe('2026-09-01')
    for (const value of await page.locator('input.day-input__text').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value)))
      expect(value === '' || DAY.test(value), value).toBe(true)
    // A day that does not exist is refused and the field returns to the last good one.
    await from.fill('2026-02-30')
    expect(await from.getAttribute('aria-invalid')).toBe('true')
    await from.blur()
    expect(await from.inputValue()).toBe('2026-09-01')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-analyst-dates-en-US.png') })
    await page.close()
  })

  it('offers 环比 and 同比 and names the towns and villages on the map', { timeout: 180_000 }, async () => {
    const page = await openAnalyst(LAPTOP, 'zh-CN', `?grid=${TOWN}`)
    const comparison = page.locator('.comparison')
    await comparison.scrollIntoViewIfNeeded()
    expect(await comparison.getAttribute('data-basis')).toBe('previous')
    expect(await comparison.locator('thead th').nth(2).innerText()).toBe('上期')
    await comparison.getByRole('button', { name: '同比' }).click()
    expect(await comparison.getAttribute('data-basis')).toBe('year')
    expect(await comparison.locator('thead th').nth(2).innerText()).toBe('去年同期')
    const periods = await comparison.locator('.comparison__periods').innerText()
    const [current, earlier] = [...periods.matchAll(/(\d{4})-(\d\d-\d\d)/g)]
      .map((m) => ({ year: Number(m[1]), day: m[2] }))
      .filter((_, k) => k === 0 || k === 2)
    expect(earlier).toEqual({ year: current!.year - 1, day: current!.day })
    const drawn = await page.evaluate(() => window.__gridscopeAnalyst!.drawnLayerIds())
    expect(drawn.at(-1)).toBe('place-labels')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-analyst-town-zh.png') })
    await page.close()
  })

  for (const viewport of [LAPTOP, DESKTOP]) {
    it(`cuts no English label on the analyst view at ${viewport.width}×${viewport.height}`, { timeout: 180_000 }, async () => {
      const page = await openAnalyst(viewport, 'en-US')
      await page.locator('.language-switch__option[lang="en"]').click()
      await page.locator('html[lang="en"]').waitFor()
      await page.evaluate(() => document.fonts.ready)
      await page.screenshot({ path: join(ARTIFACTS_DIR, `slips-analyst-en-${viewport.width}.png`) })
      expect(await findCutLabels(page)).toEqual([])
      await page.close()
    })
  }

  async function openWall(viewport: { width: number; height: number }, query: string): Promise<Page> {
    const page = await browser.newPage({ viewport })
    await page.goto(`${server.url}/wall?${query}&token=${wallToken}`)
    // A 4K frame in software WebGL takes long on a loaded machine.
    await waitForWall(page, { timeout: 240_000 })
    return page
  }

  // Skipped: written but not yet seen to finish; on the shared machine at load 20+ the wall runs
  // were cut short before reaching these checks. Un-skip once seen green on both databases.
  it.skip('names the villages at a town stop and cuts no English label on the wall', { timeout: 400_000 }, async () => {
    const page = await openWall(DESKTOP, `tour=${TOWN}&lang=en`)
    await page.waitForFunction((town) => window.__gridscopeWall?.focus() === town, TOWN, { timeout: 60_000 })
    // Its villages are named (short names: 蓝田坡村), beside the towns.
    await page.waitForFunction(() => window.__gridscopeWall!.placeNames().some((name) => name.endsWith('村')), null, { timeout: 60_000, polling: 250 })
    expect(await page.evaluate(() => window.__gridscopeWall!.placeNames())).toEqual(expect.arrayContaining(['电海街道', '蓝田坡村']))
    await waitForWall(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'slips-wall-town-en-1920.png') })
    expect(await findCutLabels(page)).toEqual([])
    await page.close()
  })

  // Skipped: not yet seen to finish. Opening the wall at 3840×2160 in software WebGL took longer
  // than 90 s on the shared machine, and no fix for missing tiles has been made yet.
  it.skip('shows no missing-tile rectangle while the 4K tour flies', { timeout: 600_000 }, async () => {
    const page = await openWall(WALL_4K, `tour=${TOWN},440904003&interval=4&layers=grid`)
    const frames = await page.evaluate(async () => {
      const map = window.__gridscopeWall!.map()!
      const gl = map.getCanvas().getContext('webgl2')!
      const STEP = 8
      // Sea (the background where no tile drew) per sampled pixel, read right after a frame.
      const seaMask = () => {
        const [w, h] = [gl.drawingBufferWidth, gl.drawingBufferHeight]
        const pixels = new Uint8Array(w * h * 4)
        gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels)
        const mask: boolean[] = []
        for (let y = 0; y < h; y += STEP)
          for (let x = 0; x < w; x += STEP) {
            const i = (y * w + x) * 4
            mask.push(Math.abs(pixels[i]! - 0x08) <= 3 && Math.abs(pixels[i + 1]! - 0x12) <= 3 && Math.abs(pixels[i + 2]! - 0x1f) <= 3)
          }
        return mask
      }
      const nextFrame = () => new Promise<boolean[]>((resolve) => map.once('render', () => resolve(seaMask())))
      // Mid-flight: the first frames of the next flight, while tiles for the new place load.
      await new Promise<void>((resolve) => {
        const wait = () => (map.isMoving() ? resolve() : requestAnimationFrame(wait))
        wait()
      })
      const midFlight: { mask: boolean[]; center: [number, number]; zoom: number }[] = []
      for (let k = 0; k < 4 && map.isMoving(); k++) {
        const mask = await nextFrame()
        midFlight.push({ mask, center: map.getCenter().toArray() as [number, number], zoom: map.getZoom() })
      }
      return midFlight
    })
    expect(frames.length).toBeGreaterThan(0)
    // The same cameras once everything has loaded: sea that was land is a tile that was missing.
    const settled = await browser.newPage({ viewport: WALL_4K })
    await settled.goto(`${server.url}/wall?tour=off&layers=grid&token=${wallToken}`)
    await waitForWall(settled, { timeout: 240_000 })
    for (const frame of frames) {
      const mask = await settled.evaluate(async ({ center, zoom }) => {
        const map = window.__gridscopeWall!.map()!
        map.jumpTo({ center, zoom })
        while (!map.loaded() || !map.areTilesLoaded()) await new Promise((resolve) => map.once('idle', resolve))
        const gl = map.getCanvas().getContext('webgl2')!
        return new Promise<boolean[]>((resolve) => {
          map.once('render', () => {
            const [w, h] = [gl.drawingBufferWidth, gl.drawingBufferHeight]
            const pixels = new Uint8Array(w * h * 4)
            gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels)
            const out: boolean[] = []
            for (let y = 0; y < h; y += 8)
              for (let x = 0; x < w; x += 8) {
                const i = (y * w + x) * 4
                out.push(Math.abs(pixels[i]! - 0x08) <= 3 && Math.abs(pixels[i + 1]! - 0x12) <= 3 && Math.abs(pixels[i + 2]! - 0x1f) <= 3)
              }
            resolve(out)
          })
          map.triggerRepaint()
        })
      }, frame)
      const missing = frame.mask.filter((sea, k) => sea && !mask[k]).length / frame.mask.length
      expect(missing, `zoom ${frame.zoom.toFixed(2)}`).toBeLessThan(0.01)
    }
    await settled.screenshot({ path: join(ARTIFACTS_DIR, 'slips-wall-4k-settled.png'), timeout: 120_000 })
    await settled.close()
    await page.close()
  })
})
