/**
 * Signing in and out in Chromium: the plain address without a session lands on the login page;
 * a wrong password is answered in words; the right one opens the map at the user's own area with
 * their name and role in the header; a party's details are revealed with a stated reason; logout
 * returns to the login page. Screenshots: login.png, signed-in.png, revealed.png in ARTIFACTS_DIR.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addUser } from '../../server/access/accounts.ts'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { uniqueParty } from '../support/access-fixture.ts'
import { waitForChildrenOf } from './map-page.ts'

const VIEWPORT = { width: 1600, height: 1000 }
/** 电海街道 and its village 蓝田坡村委会. */
const TOWN = '440904004'
const VILLAGE = '440904004204'
const PASSWORD = 'lantian-po-2026'

describe.skipIf(!HAS_CHROMIUM)('signing in in a browser', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const username = `dianhai-${Date.now() % 1e8}`

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    await addUser(db.sql, { username, role: 'town_leader', scope: TOWN, password: PASSWORD })
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors) // no session
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('goes from the login page to the map of the own area, reveals a party with a reason, and signs out', { timeout: 180_000 }, async () => {
    await page.goto(server.url)
    await page.waitForURL(/\/login$/, { timeout: 30_000 })
    const form = page.getByRole('form', { name: '登录' })
    await form.waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'login.png') })

    await page.getByLabel('用户名').fill(username)
    await page.getByLabel('密码').fill('not the password')
    await form.getByRole('button', { name: '登录' }).click()
    await expect.poll(() => page.getByRole('alert').innerText(), { timeout: 10_000 }).toBe('用户名或密码错误')

    await page.getByLabel('密码').fill(PASSWORD)
    await form.getByRole('button', { name: '登录' }).click()
    await page.waitForURL(new RegExp(`/grid/${TOWN}$`), { timeout: 30_000 })
    await waitForChildrenOf(page, TOWN)
    const menu = page.getByTestId('user-menu')
    expect(await menu.innerText()).toContain(username)
    expect(await menu.innerText()).toContain('镇（街道）负责人 · 电海街道')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'signed-in.png') })

    // A case with a party in a village of the town.
    const party = uniqueParty()
    const [lon, lat] = (
      (await (await fetch(`${server.url}/api/grids/${VILLAGE}`, { headers: { cookie: server.cookie } })).json()) as { labelPoint: [number, number] }
    ).labelPoint
    const title = `登录测试 土地纠纷 ${Date.now().toString(36)}`
    const created = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: server.cookie },
      body: JSON.stringify({ category: 'dispute.neighbour', severity: 2, title, location: { lon, lat }, parties: [party] }),
    })
    expect(created.status).toBe(201)
    // Opened through the case's shared link (the map at the case, with its drawer): the village's
    // list shows its newest cases, and other test files report into the same village meanwhile.
    await page.goto(`${server.url}/incident/${((await created.json()) as { id: number }).id}`)
    const drawer = page.getByRole('complementary', { name: title })
    await drawer.waitFor({ timeout: 60_000 })
    expect(await drawer.locator('.people__phone').innerText()).toBe(`${party.phone.slice(0, 3)}****${party.phone.slice(7)}`)
    await drawer.getByTestId('reveal-parties').click()
    await drawer.getByLabel('查看理由（4–500 字）').fill('需电话联系当事人安排调解')
    await drawer.getByRole('button', { name: '确认查看' }).click()
    await expect.poll(() => drawer.locator('.people__phone').innerText(), { timeout: 10_000 }).toBe(party.phone)
    expect(await drawer.locator('.people__name').innerText()).toBe(party.name)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'revealed.png') })

    await menu.getByRole('button', { name: '退出' }).click()
    await page.waitForURL(/\/login$/, { timeout: 30_000 })
    await page.getByRole('form', { name: '登录' }).waitFor()
    // The session is gone on the server too: the API answers 401 to the same browser.
    expect(await page.evaluate(async () => (await fetch('/api/incidents?limit=1')).status)).toBe(401)
    expect(pageErrors.filter((e) => !/401 \(Unauthorized\)/.test(e))).toEqual([])
  })
})
