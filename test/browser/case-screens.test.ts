/**
 * The case-handling screens in Debian's Chromium at 1440×900 (the phone's report form at
 * 390×844): my cases (我的待办) with its actions; duplicate suggestions when reporting at the desk
 * and on the phone, "the same case: add to it" ending in a merged report; merging from the case
 * drawer, keeping the earlier case with both timelines; departments (职能部门) added, edited and
 * deactivated by the commander and read-only for a leader; the audit log's filters, paging and
 * CSV; and which roles see each screen in the navigation. Screenshots (zh and en) go to
 * ARTIFACTS_DIR as cases-*.png. Every case and record is made here, with unique titles and
 * places, so other files' reports in the same towns cannot change what is asserted.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import type { Role } from '../../server/access/roles.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { uniqueParty } from '../support/access-fixture.ts'
import { openPhone, waitingCount } from './field-page.ts'
import { clickClear } from './banners.ts'

const DESK = { width: 1440, height: 900 }
/** 电白区 › 电海街道 › 蓝田坡村委会. */
const VILLAGE = '440904004204'
const TOWN = '440904004'
const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`

interface Detail {
  id: number
  title: string
  status: string
  mergedInto: number | null
  reportedAt: string
  gridCode: string
  timeline: { action: string; incidentId: number; relatedIncident: number | null }[]
}

describe.skipIf(!HAS_CHROMIUM)('the case-handling screens in a browser', () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  /** A household group of VILLAGE and a point inside it. */
  let leaf: { code: string; point: [number, number] }
  const errors: string[] = []

  const call = async <T>(cookie: string, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300)
    return JSON.parse(text) as T
  }
  /** A point a few metres from the household group's label point, fresh for each use. */
  const nearLeaf = (): [number, number] => [leaf.point[0] + (Math.random() - 0.5) * 0.0001, leaf.point[1] + (Math.random() - 0.5) * 0.0001]
  const report = (cookie: string, at: [number, number], category: string, title: string, severity = 1) =>
    call<{ id: number }>(cookie, '/api/incidents', { category, severity, title, location: { lon: at[0], lat: at[1] } })
  const detail = (id: number) => call<Detail>(server.cookie, `/api/incidents/${id}`)
  const desk = async (cookie: string, language: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
    const page = await openWatchedPage(browser, DESK, errors)
    const token = cookie.split('=')[1]!
    await page.context().addCookies([{ name: cookie.split('=')[0]!, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' }])
    if (language === 'en') await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
    return page
  }
  /** Centres the report map on lon/lat at street zoom and answers where that is on the page. */
  const clickPointOf = (page: Page, at: [number, number]) =>
    page.evaluate(async ([lon, lat]) => {
      const map = window.__gridscopeCaseReport!.map()
      map.jumpTo({ center: [lon, lat], zoom: 17 })
      while (map.isMoving() || !map.loaded()) await new Promise((resolve) => map.once('idle', resolve))
      const p = map.project([lon, lat])
      const box = map.getCanvas().getBoundingClientRect()
      return { x: box.left + p.x, y: box.top + p.y }
    }, at)
  // Text content: the links under 更多 are in the page but not drawn until the menu opens.
  const navLinks = async (page: Page) => (await page.locator('.app-nav__link').allTextContents()).map((s) => s.trim())

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    browser = await launchBrowser()
    const get = async (code: string) => call<{ children: { code: string }[]; labelPoint: [number, number] }>(server.cookie, `/api/grids/${code}`)
    const group = (await get(VILLAGE)).children[1]!.code
    const code = (await get(group)).children[0]!.code
    leaf = { code, point: (await get(code)).labelPoint }
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
    expect(errors).toEqual([])
  })

  it("shows a worker's cases by due time and takes them from register to finished in the list", { timeout: 240_000 }, async () => {
    const worker = await signIn(db, 'grid_worker', leaf.code)
    // Severity 1 starts at the household group's level: the worker's own queue.
    const title = `待办 测试 ${stamp()}`
    const created = await report(server.cookie, nearLeaf(), 'livelihood.road', title, 1)
    const mine = await call<{ items: { id: number; dueAt: string }[] }>(worker, '/api/incidents/mine')
    expect(mine.items.map((i) => i.id)).toContain(created.id)

    const page = await desk(worker)
    await page.goto(`${server.url}/cases`)
    const row = page.locator(`tr[data-incident-id="${created.id}"]`)
    await row.waitFor({ timeout: 60_000 })
    expect(await page.locator('.app-nav__link[aria-current="page"]').innerText()).toBe('我的待办')
    // Soonest due first, as the server orders them.
    const shown = await page.locator('tbody tr[data-incident-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-incident-id'))))
    const due = new Map(mine.items.map((i) => [i.id, Date.parse(i.dueAt)]))
    const dueShown = shown.filter((id) => due.has(id)).map((id) => due.get(id)!)
    expect(dueShown.length).toBeGreaterThan(0)
    expect(dueShown).toEqual([...dueShown].sort((a, b) => a - b))
    expect(await row.locator('.status-badge').innerText()).toBe('待受理')
    expect(await row.innerText()).toContain('本级待办')

    const act = async (button: string, status: string, note?: string) => {
      await row.getByRole('button', { name: button, exact: true }).click()
      const dialog = page.getByRole('dialog')
      if (note) await dialog.locator('textarea[name="note"]').fill(note)
      await dialog.getByRole('button', { name: '确认' }).click()
      await expect.poll(() => row.locator('.status-badge').innerText(), { timeout: 15_000 }).toBe(status)
    }
    await act('立案', '已立案')
    // 派遣: the worker of the household group is offered by masked name · role · cell.
    await row.getByRole('button', { name: '派遣', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.locator('select[name="assignee"]').waitFor({ timeout: 15_000 })
    const chosen = await dialog.locator('select[name="assignee"] option:checked').innerText()
    expect(chosen).toMatch(/^.\* · 网格员 · /)
    await dialog.locator('textarea[name="note"]').fill('当天到场处理')
    await dialog.getByRole('button', { name: '确认' }).click()
    await expect.poll(() => row.locator('.status-badge').innerText(), { timeout: 15_000 }).toBe('已派遣')
    expect(await row.innerText()).toContain('派给我')
    expect(await row.innerText()).toContain(chosen)
    await act('开始处置', '处置中')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-mine-zh.png') })
    await act('处置完成（反馈）', '已处置', '路面坑洞已填平')
    expect(await page.getByRole('status').innerText()).toContain(`#${created.id}`)
    const after = await detail(created.id)
    expect(after.status).toBe('handled')
    expect(after.timeline.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'start', 'finish'])

    await page.addInitScript(() => localStorage.setItem('gridscope.language', 'en'))
    await page.goto(`${server.url}/cases`)
    await page.getByRole('heading', { name: 'My cases' }).waitFor()
    await row.waitFor({ timeout: 30_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-mine-en.png') })
    await page.close()
  })

  it("escalates from a village leader's list with a note, and the case leaves it", { timeout: 240_000 }, async () => {
    const leader = await signIn(db, 'village_leader', VILLAGE)
    // Severity 3 starts at the village's level: the leader's office queue.
    const created = await report(server.cookie, nearLeaf(), 'livelihood.road', `待办 上报 ${stamp()}`, 3)
    const page = await desk(leader)
    await page.goto(`${server.url}/cases`)
    const row = page.locator(`tr[data-incident-id="${created.id}"]`)
    await row.waitFor({ timeout: 60_000 })
    await row.getByRole('button', { name: '立案', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click()
    await expect.poll(() => row.locator('.status-badge').innerText(), { timeout: 15_000 }).toBe('已立案')
    await row.getByRole('button', { name: '上报上级', exact: true }).click()
    const dialog = page.getByRole('dialog')
    // Escalating a registered case says it will be dispatched again above, and needs a reason.
    expect(await dialog.getByRole('note').innerText()).toContain('重新派遣')
    expect(await dialog.getByRole('button', { name: '确认' }).isDisabled()).toBe(true)
    await dialog.locator('textarea[name="note"]').fill('涉及多个村，需街道协调')
    await dialog.getByRole('button', { name: '确认' }).click()
    await row.waitFor({ state: 'detached', timeout: 15_000 })
    const after = await detail(created.id)
    expect(after.timeline.at(-1)!.action).toBe('escalate')
    await page.close()
  })

  it('shows each screen in the navigation only to the roles that need it', { timeout: 120_000 }, async () => {
    const expected: [Role, string, string[]][] = [
      ['commander', '440904', ['我的待办', '事件上报', '职能部门', '操作日志']],
      ['town_leader', TOWN, ['我的待办', '事件上报', '职能部门']],
      ['village_leader', VILLAGE, ['我的待办', '事件上报', '职能部门']],
      ['grid_worker', leaf.code, ['我的待办', '事件上报']],
      ['analyst', '440904', []],
    ]
    const ours = ['我的待办', '事件上报', '职能部门', '操作日志']
    for (const [role, scope, links] of expected) {
      const page = await desk(role === 'commander' ? server.cookie : await signIn(db, role, scope))
      await page.goto(`${server.url}/audit`)
      await page.locator('.app-nav__link').first().waitFor({ timeout: 30_000 })
      const shown = await navLinks(page)
      expect(shown.slice(0, 2), role).toEqual(['态势地图', '分析研判'])
      expect(
        shown.filter((l) => ours.includes(l)),
        role,
      ).toEqual(links)
      // The audit page itself says it is the commander's to anyone else.
      if (role !== 'commander') expect(await page.getByRole('alert').innerText()).toBe('只有指挥中心可以查看操作日志')
      await page.close()
    }
  })

  it("keeps the commander's whole navigation on one line beside the search box, the office's screens under More", { timeout: 120_000 }, async () => {
    const page = await desk(server.cookie, 'en')
    await page.goto(`${server.url}/`)
    const search = page.locator('.app-header .search-box')
    await search.waitFor({ timeout: 60_000 })
    const searchBox = (await search.boundingBox())!
    const header = (await page.locator('.app-header').boundingBox())!
    const links = page.locator('.app-nav > .app-nav__link, .app-nav__more > summary')
    expect(await links.allInnerTexts()).toEqual(['Situation map', 'Analysis', 'My cases', 'Report', 'Notices', 'Evaluation', 'More'])
    for (const box of await links.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
      // Inside the header's row, left of the search box: not scrolled away, wrapped or covered.
      expect(box.right).toBeLessThanOrEqual(searchBox.x)
      expect(box.top).toBeGreaterThanOrEqual(header.y)
      expect(box.bottom).toBeLessThanOrEqual(header.y + header.height)
    }
    // Urgent area notices sent by other tests may be showing under the header: the open menu lies above them.
    await page.getByText('More', { exact: true }).click({ timeout: 60_000 })
    await page.getByRole('link', { name: 'Audit log' }).click({ timeout: 60_000 })
    await page.waitForURL(`${server.url}/audit`, { timeout: 60_000 })
    expect(await page.locator('.app-nav__more').getAttribute('data-current')).toBe('')
    await page.close()
  })

  it('suggests the nearby open case of the same kind at the desk, and adds the report to it', { timeout: 240_000 }, async () => {
    const at = nearLeaf()
    const existingTitle = `断头路 已有 ${stamp()}`
    const existing = await report(server.cookie, at, 'livelihood.dead_end_road', existingTitle)
    const page = await desk(server.cookie)
    await page.goto(`${server.url}/cases/report`)
    await page.waitForFunction(() => window.__gridscopeCaseReport !== undefined, undefined, { timeout: 60_000 })
    await page.locator('select[name="category"]').selectOption('livelihood.dead_end_road')
    const party = uniqueParty()
    const title = `断头路 来电 ${stamp()}`
    await page.locator('input[name="title"]').fill(title)
    await page.locator('input[name="partyName"]').fill(party.name)
    await page.locator('input[name="partyPhone"]').fill(party.phone)
    // Click the map where the existing case is.
    const point = await clickPointOf(page, at)
    await clickClear(page, point.x, point.y)
    await expect.poll(() => page.getByTestId('report-location').innerText()).toContain('已标出位置')
    const suggestion = page.locator(`[data-testid="duplicates"] li[data-incident-id="${existing.id}"]`)
    await suggestion.waitFor({ timeout: 20_000 })
    expect(await suggestion.innerText()).toContain(existingTitle)
    expect(await page.locator('.case-report__submit').innerText()).toBe('不是同一事件，作为新事件上报')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-report-duplicates-zh.png') })

    await suggestion.getByRole('button', { name: '是同一事件，补充到此案件' }).click()
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 20_000 }).toContain(`已补充到案件 #${existing.id}`)
    const kept = await detail(existing.id)
    const mergedIn = kept.timeline.find((e) => e.action === 'merge_in')
    expect(mergedIn).toBeDefined()
    const added = await detail(mergedIn!.relatedIncident!)
    expect(added).toMatchObject({ title, mergedInto: existing.id, status: 'dismissed' })
    // The report's own history is in the kept case's timeline.
    expect(kept.timeline.some((e) => e.incidentId === added.id && e.action === 'report')).toBe(true)

    // Elsewhere there is nothing to suggest: the form reports a new case.
    await page.locator('select[name="category"]').selectOption('livelihood.dead_end_road')
    const newTitle = `断头路 新报 ${stamp()}`
    await page.locator('input[name="title"]').fill(newTitle)
    // A place with no open case of this kind within 50 m (earlier runs of this test leave some).
    let free = nearLeaf()
    for (let tries = 0; tries < 20; tries++) {
      free = [leaf.point[0] + (Math.random() - 0.5) * 0.004, leaf.point[1] + (Math.random() - 0.5) * 0.004]
      const near = await call<{ items: unknown[] }>(server.cookie, `/api/incidents/duplicates?category=livelihood.dead_end_road&lon=${free[0]}&lat=${free[1]}`)
      if (near.items.length === 0) break
    }
    const far = await clickPointOf(page, free)
    await clickClear(page, far.x, far.y)
    await page.getByTestId('duplicates-none').waitFor({ timeout: 20_000 })
    expect(await page.locator('.case-report__submit').innerText()).toBe('上报')
    await page.locator('.case-report__submit').click()
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 20_000 }).toMatch(/已上报，案件编号 #\d+/)
    const newId = Number(/#(\d+)/.exec(await page.getByRole('status').innerText())![1])
    expect(await detail(newId)).toMatchObject({ title: newTitle, status: 'reported', mergedInto: null })
    await page.close()
  })

  it("stacks the desk's report form over its map on a phone, both inside the screen", { timeout: 120_000 }, async () => {
    const phone = { width: 390, height: 844 }
    const page = await openWatchedPage(browser, phone, errors)
    const [name, value] = server.cookie.split('=') as [string, string]
    await page.context().addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Strict' }])
    await page.goto(`${server.url}/cases/report`)
    await page.waitForFunction(() => window.__gridscopeCaseReport !== undefined, undefined, { timeout: 60_000 })
    const form = (await page.locator('.case-report__form').boundingBox())!
    const map = (await page.locator('.case-report__map').boundingBox())!
    expect(form.x).toBeGreaterThanOrEqual(0)
    expect(form.x + form.width).toBeLessThanOrEqual(phone.width)
    expect(await page.locator('select[name="category"]').evaluate((e) => e.getBoundingClientRect().right)).toBeLessThanOrEqual(phone.width)
    expect(map.x).toBe(0)
    expect(map.width).toBe(phone.width)
    expect(map.y).toBeGreaterThanOrEqual(form.y + form.height - 1)
    expect(map.y + map.height).toBeLessThanOrEqual(phone.height)
    expect(map.height).toBeGreaterThan(phone.height / 3)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-report-phone-zh.png') })
    await page.close()
  })

  it("suggests the nearby case on the phone's report form and adds the report to it", { timeout: 240_000 }, async () => {
    const worker = await signIn(db, 'grid_worker', leaf.code)
    const at = nearLeaf()
    const existingTitle = `电线低垂 已有 ${stamp()}`
    const existing = await report(server.cookie, at, 'hazard.power', existingTitle)
    const context = await openPhone(browser, server.url, worker, { longitude: at[0], latitude: at[1] }, errors)
    const page = await context.newPage()
    await page.goto(`${server.url}/m#report`)
    await expect.poll(() => page.getByTestId('location-status').innerText(), { timeout: 60_000 }).toContain('±12 米')
    await page.locator('select[name="category"]').selectOption('hazard.power')
    const title = `电线低垂 现场 ${stamp()}`
    await page.locator('input[name="title"]').fill(title)
    const suggestion = page.locator(`[data-testid="duplicates"] li[data-incident-id="${existing.id}"]`)
    await suggestion.waitFor({ timeout: 20_000 })
    expect(await page.locator('.field-form button[type="submit"]').innerText()).toBe('不是同一事件，作为新事件上报')
    await suggestion.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-phone-duplicates-390.png') })
    await suggestion.getByRole('button', { name: '是同一事件，补充到此案件' }).click()
    await page.locator('.field-notice', { hasText: `已补充到案件 #${existing.id}` }).waitFor({ timeout: 20_000 })
    // Sent through the send queue at once: the case's timeline takes the report in, once.
    const mergedIn = async () => (await detail(existing.id)).timeline.filter((e) => e.action === 'merge_in')
    await expect.poll(async () => (await mergedIn()).length, { timeout: 30_000 }).toBe(1)
    expect(await detail((await mergedIn())[0]!.relatedIncident!)).toMatchObject({ title, mergedInto: existing.id })
    await expect.poll(() => waitingCount(page), { timeout: 30_000 }).toBe(0)
    await context.close()
  })

  it('adds a report to the nearby case from a phone without network, and merges it once back online', { timeout: 240_000 }, async () => {
    const worker = await signIn(db, 'grid_worker', leaf.code)
    const at = nearLeaf()
    const existing = await report(server.cookie, at, 'hazard.power', `电线低垂 已有 ${stamp()}`)
    const context = await openPhone(browser, server.url, worker, { longitude: at[0], latitude: at[1] }, errors)
    const page = await context.newPage()
    await page.goto(`${server.url}/m#report`)
    await expect.poll(() => page.getByTestId('location-status').innerText(), { timeout: 60_000 }).toContain('±12 米')
    await page.locator('select[name="category"]').selectOption('hazard.power')
    const title = `电线低垂 离线补充 ${stamp()}`
    await page.locator('input[name="title"]').fill(title)
    const suggestion = page.locator(`[data-testid="duplicates"] li[data-incident-id="${existing.id}"]`)
    await suggestion.waitFor({ timeout: 20_000 })
    // The suggestion came while online; the network goes before the worker decides.
    await context.setOffline(true)
    await suggestion.getByRole('button', { name: '是同一事件，补充到此案件' }).click()
    await page.locator('.field-notice', { hasText: `当前无网络，已保存为待发送，联网后补充到案件 #${existing.id}` }).waitFor({ timeout: 20_000 })
    await expect.poll(() => waitingCount(page)).toBe(1)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-phone-add-offline-390.png') })
    const mergedIn = async () => (await detail(existing.id)).timeline.filter((e) => e.action === 'merge_in')
    expect(await mergedIn()).toEqual([])

    await context.setOffline(false)
    await expect.poll(async () => (await mergedIn()).length, { timeout: 60_000 }).toBe(1)
    expect(await detail((await mergedIn())[0]!.relatedIncident!)).toMatchObject({ title, mergedInto: existing.id })
    await expect.poll(() => waitingCount(page), { timeout: 30_000 }).toBe(0)
    // Opened again, the phone sends nothing twice.
    await page.reload()
    await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
    expect(await mergedIn()).toHaveLength(1)
    await context.close()
  })

  it('merges a duplicate from the case drawer, keeping the earlier case with both timelines', { timeout: 240_000 }, async () => {
    const at = nearLeaf()
    const first = await report(server.cookie, at, 'environment.sewage', `污水外溢 先报 ${stamp()}`)
    const secondTitle = `污水外溢 后报 ${stamp()}`
    const second = await report(server.cookie, at, 'environment.sewage', secondTitle)
    const firstTitle = (await detail(first.id)).title
    const page = await desk(server.cookie)
    await page.goto(`${server.url}/incident/${second.id}`)
    const drawer = page.getByRole('complementary', { name: secondTitle })
    await drawer.waitFor({ timeout: 60_000 })
    await drawer.getByRole('button', { name: '合并', exact: true }).click()
    const dialog = drawer.getByRole('dialog')
    const option = dialog.locator(`input[name="merge-other"][value="${first.id}"]`)
    await option.waitFor({ timeout: 20_000 })
    // Suggested duplicates come first; nothing can be merged before one is chosen and a reason given.
    expect(await dialog.getByRole('button', { name: '确认合并' }).isDisabled()).toBe(true)
    await option.check()
    // The earlier report is kept by default.
    expect(await dialog.getByLabel(`保留案件 #${first.id}`).isChecked()).toBe(true)
    expect(await dialog.getByRole('note').innerText()).toContain(`案件 #${second.id} 将关闭并入案件 #${first.id}`)
    await dialog.locator('textarea[name="merge-note"]').fill('同一处污水，重复上报')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-merge-zh.png') })
    await dialog.getByRole('button', { name: '确认合并' }).click()

    // The drawer now shows the kept case, whose timeline holds both histories.
    const kept = page.getByRole('complementary', { name: firstTitle })
    await kept.waitFor({ timeout: 20_000 })
    await expect.poll(() => kept.locator('.timeline').innerText(), { timeout: 15_000 }).toContain(`并入案件 #${second.id}`)
    expect(await kept.locator('.timeline').innerText()).toContain(`原案件 #${second.id}`)
    expect((await detail(second.id)).mergedInto).toBe(first.id)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-merged-zh.png') })
    await page.close()
  })

  it('lets the commander add, edit and deactivate a department, and shows it read-only to a leader', { timeout: 240_000 }, async () => {
    const run = stamp()
    const name = `测试司法所${run}`
    const page = await desk(server.cookie)
    await page.goto(`${server.url}/departments`)
    await page.getByRole('button', { name: '新增部门' }).click()
    const form = page.getByRole('form', { name: '新增部门' })
    await form.locator('input[name="nameZh"]').fill(name)
    await form.locator('input[name="nameEn"]').fill(`Test Judicial Office ${run}`)
    await form.locator('input[name="scope"]').fill(TOWN)
    await expect.poll(() => form.locator('#department-scope-hint').innerText(), { timeout: 15_000 }).toBe('电海街道')
    await form.locator('input[name="contactName"]').fill('调解室')
    await form.locator('input[name="contactPhone"]').fill('0668-5100001')
    await form.getByLabel('矛盾纠纷', { exact: true }).check()
    await form.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 15_000 }).toBe(`已保存：${name}`)
    const row = page.locator('tr[data-department-id]', { hasText: name })
    expect(await row.innerText()).toContain('电海街道')
    expect(await row.innerText()).toContain('0668-5100001')
    const id = Number(await row.getAttribute('data-department-id'))
    const stored = () => call<{ items: { id: number; contactPhone: string; active: boolean; categories: string[] }[] }>(server.cookie, '/api/departments')
    expect((await stored()).items.find((d) => d.id === id)).toMatchObject({ active: true, categories: ['dispute'] })

    await row.getByRole('button', { name: '修改' }).click()
    const edit = page.getByRole('form', { name: '修改' })
    await edit.locator('input[name="contactPhone"]').fill('0668-5100002')
    await edit.getByRole('button', { name: '保存' }).click()
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('0668-5100002')

    await row.getByRole('button', { name: '停用' }).click()
    expect(await page.getByRole('dialog').getByRole('note').innerText()).toContain(`不能再向“${name}”派遣案件`)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-departments-zh.png') })
    await page.getByRole('dialog').getByRole('button', { name: '确认' }).click()
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('已停用')
    expect((await stored()).items.find((d) => d.id === id)).toMatchObject({ active: false, contactPhone: '0668-5100002' })
    await page.close()

    // A town leader reads the list (duty phones in full) and changes nothing.
    const leaderPage = await desk(await signIn(db, 'town_leader', TOWN), 'en')
    await leaderPage.goto(`${server.url}/departments`)
    const leaderRow = leaderPage.locator(`tr[data-department-id="${id}"]`)
    await leaderRow.waitFor({ timeout: 30_000 })
    expect(await leaderRow.innerText()).toContain('0668-5100002')
    expect(await leaderPage.getByRole('button', { name: 'Add a department' }).count()).toBe(0)
    expect(await leaderRow.getByRole('button').count()).toBe(0)
    expect(await leaderPage.getByText('Only the command centre adds and changes departments').count()).toBe(1)
    await leaderPage.screenshot({ path: join(ARTIFACTS_DIR, 'cases-departments-en.png') })

    await leaderPage.close()

    // When the list cannot be read, the page says so instead of showing an empty table (on a
    // page of its own: the only console errors there are the refused requests).
    const refused: string[] = []
    const failing = await openWatchedPage(browser, DESK, refused)
    await failing
      .context()
      .addCookies([{ name: server.cookie.split('=')[0]!, value: server.cookie.split('=')[1]!, url: server.url, httpOnly: true, sameSite: 'Strict' }])
    await failing.route('**/api/departments', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"title":"Service Unavailable","status":503}' }),
    )
    await failing.goto(`${server.url}/departments`)
    await expect.poll(() => failing.getByRole('alert').innerText(), { timeout: 30_000 }).toBe('职能部门加载失败')
    expect(await failing.locator('tr[data-department-id]').count()).toBe(0)
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((e) => e.includes('503'))).toBe(true)
    await failing.close()
  })

  it('filters the audit log by user, action, case and dates, pages through it and exports the same filter', { timeout: 240_000 }, async () => {
    // A reveal by a town leader, and 55 sign-ins of one fictitious user written straight to the log.
    const leader = await signIn(db, 'town_leader', TOWN)
    const created = await report(server.cookie, nearLeaf(), 'dispute.neighbour', `操作日志 测试 ${stamp()}`)
    const reason = `上门调解前核对 ${stamp()}`
    await call(leader, `/api/incidents/${created.id}/parties/reveal`, { reason })
    const actor = `audit-paging-${stamp()}`
    await db.sql`insert into audit_log (actor, actor_role, action, reason)
                 select ${actor}, 'grid_worker', 'sign_in', 'n' || g from generate_series(1, 55) g`
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())

    const page = await desk(server.cookie)
    await page.goto(`${server.url}/audit`)
    const form = page.getByRole('form', { name: '查询' })
    await form.waitFor({ timeout: 60_000 })
    await form.locator('select[name="action"]').selectOption('reveal_parties')
    await form.locator('input[name="incident"]').fill(String(created.id))
    // A date written another way is refused before anything is asked.
    await form.locator('input[name="from"]').fill('12/01/2026')
    expect(await form.getByRole('button', { name: '查询' }).isDisabled()).toBe(true)
    expect(await form.innerText()).toContain('日期请按 yyyy-mm-dd 填写')
    await form.locator('input[name="from"]').fill(today)
    await form.locator('input[name="to"]').fill(today)
    await form.getByRole('button', { name: '查询' }).click()
    const revealRow = page.locator('tr[data-action="reveal_parties"]', { hasText: reason })
    await revealRow.waitFor({ timeout: 20_000 })
    expect(await page.locator('tbody tr').count()).toBe(1)
    expect(await revealRow.innerText()).toContain('查看当事人信息')
    expect(await revealRow.innerText()).toContain(`#${created.id}`)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-audit-zh.png') })

    // The CSV link carries the same filter and downloads the same record.
    const href = await page.getByTestId('audit-csv').getAttribute('href')
    expect(href).toContain(`incident=${created.id}`)
    expect(href).toContain('action=reveal_parties')
    const csv = await (await fetch(`${server.url}${href}`, { headers: { cookie: server.cookie } })).text()
    expect(csv).toContain(reason)
    expect(csv.trim().split('\r\n')).toHaveLength(2)

    // Days after today: nothing.
    await form.locator('input[name="from"]').fill('2099-01-01')
    await form.locator('input[name="to"]').fill('2099-01-31')
    await form.getByRole('button', { name: '查询' }).click()
    await page.getByTestId('audit-empty').waitFor({ timeout: 20_000 })

    // Paging: 55 records of one user are 50 and 5.
    await form.getByRole('button', { name: '清空条件' }).click()
    await form.locator('input[name="actor"]').fill(actor)
    await form.getByRole('button', { name: '查询' }).click()
    await expect.poll(() => page.locator(`tbody tr`, { hasText: actor }).count(), { timeout: 20_000 }).toBe(50)
    await page.getByRole('button', { name: '下一页' }).click()
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 20_000 }).toBe(5)
    expect(await page.getByTestId('audit-page').innerText()).toBe('第 2 页')
    expect(await page.getByRole('button', { name: '下一页' }).isDisabled()).toBe(true)
    const reasons = await page.locator('tbody tr td:last-child').allInnerTexts()
    expect(reasons.sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5'])
    await page.getByRole('button', { name: '上一页' }).click()
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 20_000 }).toBe(50)

    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { name: 'Audit log' }).waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-audit-en.png') })
    await page.close()
  })
})
