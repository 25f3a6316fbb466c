/**
 * The case loop in the incident drawer, in Debian's Chromium: a registered case whose description
 * names its party is opened by its link; the description is masked; escalating a registered case says it will
 * be dispatched at the level above and needs a note; dispatch chooses a person of the handling
 * cell; the timeline names people as masked name · role · cell and never a raw id; a reveal shows
 * the text as written and changes the parties heading. Screenshots in Chinese and English:
 * case-loop-zh.png, case-loop-en.png in ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { uniqueParty } from '../support/access-fixture.ts'
import { settle } from './map-page.ts'

const VIEWPORT = { width: 1440, height: 900 }
/** 电白区 › 电海街道 › 蓝田坡村委会. */
const VILLAGE = '440904004204'

describe.skipIf(!HAS_CHROMIUM)('the case loop in a browser', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof startWebServer>>
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors, server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: server.cookie },
      body: JSON.stringify(body),
    })
    expect(res.status, await res.clone().text()).toBeLessThan(300)
    return res.json() as Promise<{ id: number }>
  }

  it('masks the free text, asks for notes and assignees, names people, and reveals the text as written', { timeout: 240_000 }, async () => {
    const [lon, lat] = (
      (await (await fetch(`${server.url}/api/grids/${VILLAGE}`, { headers: { cookie: server.cookie } })).json()) as { labelPoint: [number, number] }
    ).labelPoint
    const party = uniqueParty()
    const title = `测试 派遣流程 ${Date.now().toString(36)}`
    const created = await api('/api/incidents', {
      category: 'dispute.neighbour',
      severity: 2,
      title,
      location: { lon, lat },
      description: `报警人${party.name}反映邻居噪音，联系电话${party.phone}。`,
      parties: [party],
    })
    await api(`/api/incidents/${created.id}/transitions`, { action: 'register', note: '予以立案' })

    // Opened by its link, as a dispatcher gets it: the village's open-case list shows its latest
    // six, and other files report into this village meanwhile.
    await page.goto(`${server.url}/incident/${created.id}`)
    const drawer = page.getByRole('complementary', { name: title })
    // The page's first load (session, chunks, the case's cell) with the whole suite beside it.
    await drawer.waitFor({ timeout: 60_000 })
    const description = await drawer.locator('.incident-drawer__description').innerText()
    expect(description).toContain(`报警人${party.name[0]}*`)
    expect(description).not.toContain(party.name)
    expect(description).not.toContain(party.phone)

    // Escalating a registered case: it will be dispatched again at the level above; a note is required.
    await drawer.getByRole('button', { name: '上报上级', exact: true }).click()
    const dialog = drawer.getByRole('dialog')
    expect(await dialog.getByRole('note').innerText()).toContain('重新派遣')
    expect(await dialog.getByRole('button', { name: '确认' }).isDisabled()).toBe(true)
    await dialog.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'detached' })

    // Dispatch to the household group's grid worker, offered masked.
    await drawer.getByRole('button', { name: '派遣', exact: true }).click()
    const select = drawer.getByRole('dialog').locator('select[name="assignee"]')
    await select.waitFor({ timeout: 10_000 })
    const first = await select.locator('option').first().innerText()
    expect(first).toMatch(/^.\* · 网格员 · /)
    await drawer.getByRole('dialog').locator('textarea[name="note"]').fill('请当天到场调解')
    await drawer.getByRole('dialog').getByRole('button', { name: '确认' }).click()
    await expect.poll(() => drawer.getByTestId('incident-status').innerText(), { timeout: 10_000 }).toBe('已派遣')
    const timeline = await drawer.locator('.timeline').innerText()
    expect(timeline).toContain('承办人: ' + first)
    expect(timeline).toContain('指挥中心 · 电白区')
    expect(timeline).not.toMatch(/test-|grid_worker:|referral|\bapi\b/)

    await page.mouse.move(10, 890)
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'case-loop-zh.png') })

    // The reveal shows the text as written and says so in the heading.
    await drawer.getByRole('button', { name: '查看当事人完整信息' }).click()
    await drawer.locator('textarea[name="reason"]').fill('上门调解前核对当事人')
    await drawer.getByRole('button', { name: '确认查看' }).click()
    await expect.poll(() => drawer.getByTestId('revealed-text').innerText(), { timeout: 10_000 }).toContain(party.name)
    expect(await drawer.locator('#incident-drawer-parties').innerText()).toBe('当事人（已查看完整信息）')

    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => drawer.locator('.timeline').innerText()).toContain('Command centre')
    await drawer
      .getByRole('button', { name: 'Escalate', exact: false })
      .first()
      .click()
      .catch(() => {})
    await settle(page)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'case-loop-en.png') })
    expect(pageErrors).toEqual([])
  })
})
