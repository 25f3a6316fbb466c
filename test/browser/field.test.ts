/**
 * The grid worker's phone page (/m) end to end in Debian's Chromium at phone size with a fake
 * position: a report with a photo reaches the commander's drawer (and the photo left the phone
 * scaled, without its GPS position, with its taking time); two reports made offline are sent
 * exactly once each, with their photos, when the page is opened again online; an API process
 * killed right after storing a photo (its answer never reaching the phone) leads to a retry that
 * completes without a second case or photo; a patrol started, recorded and ended offline is sent
 * as one patrol when the network returns; a patrol is recorded, sent, ended and its cell
 * counted as visited; a dispatched case is started and finished with a note and the photo its
 * category requires. Screenshots at 390×844 and 360×640, Chinese and English, in ARTIFACTS_DIR.
 */
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import exifr from 'exifr'
import type { Browser } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { addUser } from '../../server/access/accounts.ts'
import { startApiProcess } from '../support/api-process.ts'
import { signIn } from '../support/auth.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage, startWebServer, type WebServer } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { photoWithGps, TAKEN } from '../support/photos.ts'
import { lowContrastTexts } from './contrast.ts'
import { casesTitled, openPhone, PHONE, queuedPhotoBytes, sendReport, waitingCount } from './field-page.ts'

/** 电白区 › 电海街道 › 蓝田坡村委会: its household groups are the workers' cells here. */
const VILLAGE = '440904004204'
/** A port of this suite's own for the API process that is killed and started again. */
const RESTART_PORT = '18731'

interface Cell {
  code: string
  parent: string
  labelPoint: [number, number]
}

async function householdGroups(server: WebServer, count: number): Promise<Cell[]> {
  const get = async (code: string) =>
    (await (await fetch(`${server.url}/api/grids/${code}`, { headers: { cookie: server.cookie } })).json()) as {
      children: { code: string }[]
      labelPoint: [number, number]
    }
  const groups = (await get(VILLAGE)).children.slice(0, count)
  return Promise.all(
    groups.map(async (group) => {
      const leaf = (await get(group.code)).children[0]!.code
      return { code: leaf, parent: group.code, labelPoint: (await get(leaf)).labelPoint }
    }),
  )
}

const stamp = () => Date.now().toString(36)

describe.skipIf(!HAS_CHROMIUM)("the grid worker's phone page", () => {
  let db: Database
  let server: WebServer
  let browser: Browser
  let cells: Cell[]
  const errors: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await startWebServer(db)
    cells = await householdGroups(server, 6)
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it("reports with a photo that leaves the phone scaled and without GPS, and the commander's drawer shows it", { timeout: 240_000 }, async () => {
    const cell = cells[0]!
    const worker = await signIn(db, 'grid_worker', cell.code)
    const [lon, lat] = cell.labelPoint
    const context = await openPhone(browser, server.url, worker, { longitude: lon, latitude: lat }, errors)
    const page = await context.newPage()
    await page.goto(`${server.url}/m`)
    await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('field-scope').innerText()).not.toBe('')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-cell-390.png') })

    await page.locator('.field-nav__item').nth(1).click()
    await expect.poll(() => page.getByTestId('location-status').innerText(), { timeout: 20_000 }).toContain('±12 米')

    // A mistyped ID number is caught on the phone, in words.
    await page.getByRole('button', { name: '添加当事人' }).click()
    await page.getByLabel('姓名').fill('黄某')
    await page.getByLabel('身份证号码').fill('440904199003071233')
    await expect.poll(() => page.locator('.field-party .field-error').innerText()).toContain('校验位')
    await page.getByLabel('身份证号码').fill('440904199003071232')
    await page.getByLabel('手机号码').fill('138 0013 8000')
    expect(await page.locator('.field-party .field-error').count()).toBe(0)

    const title = `网格员上报 占道堆放 ${stamp()}`
    const photo = await photoWithGps(3000, 2000)
    await page.locator('select[name="category"]').selectOption('environment.garbage')
    await page.locator('input[name="title"]').fill(title)
    await page.locator('#field-report-photos').setInputFiles([{ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo }])
    await page.locator('.field-photos__item img').first().waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-report-390.png'), fullPage: true })
    // Sent while the network is briefly gone, so the photo as it will leave the phone can be read
    // from the send queue; the network's return (the online event) sends it.
    await context.setOffline(true)
    await page.locator('.field-form button[type="submit"]').click()
    await expect.poll(() => waitingCount(page)).toBe(1)
    const sent = Buffer.from(await queuedPhotoBytes(page))
    await context.setOffline(false)

    // What leaves the phone: ≤ 2048 px on the long side, JPEG, no GPS, the taking time kept.
    const meta = await sharp(sent).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 2048, 1365])
    expect(await exifr.gps(sent)).toBeUndefined()
    const tags = await exifr.parse(sent, { reviveValues: false, gps: true, tiff: true, exif: true })
    expect(tags).toEqual({ DateTimeOriginal: TAKEN })

    await expect.poll(async () => (await casesTitled(server.url, server.cookie, cell.code, title))[0]?.attachments.length ?? 0, { timeout: 30_000 }).toBe(1)
    const [stored] = await casesTitled(server.url, server.cookie, cell.code, title)
    expect(stored!.attachments[0]).toMatchObject({ width: 2048, height: 1365 })
    // The server read the taking time from the photo itself: it survived the phone's re-encoding.
    expect(stored!.attachments[0]!.takenAt).not.toBeNull()
    await expect.poll(() => waitingCount(page)).toBe(0)
    await context.close()

    // The commander opens the case: its photo is in the drawer.
    const commander = await openWatchedPage(browser, { width: 1440, height: 900 }, errors, server)
    await commander.goto(`${server.url}/grid/${cell.code}`)
    await commander.locator(`.incident-row[data-incident-id="${stored!.id}"]`).click({ timeout: 60_000 })
    const thumb = commander.locator(`.incident-drawer .photo-gallery__item[data-attachment-id="${stored!.attachments[0]!.id}"] img`).first()
    await thumb.scrollIntoViewIfNeeded()
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await commander.screenshot({ path: join(ARTIFACTS_DIR, 'field-commander-drawer.png') })
    await commander.close()
    expect(errors).toEqual([])
  })

  it('keeps two reports made offline and sends each exactly once, with its photos, when opened again online', { timeout: 240_000 }, async () => {
    const cell = cells[1]!
    const worker = await signIn(db, 'grid_worker', cell.code)
    const [lon, lat] = cell.labelPoint
    const context = await openPhone(browser, server.url, worker, { longitude: lon, latitude: lat }, errors)
    let page = await context.newPage()
    await page.goto(`${server.url}/m#report`)
    await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
    await page.locator('select[name="category"] option[value="dispute.neighbour"]').waitFor({ state: 'attached' })

    await context.setOffline(true)
    const titles = [`离线上报一 ${stamp()}`, `离线上报二 ${stamp()}`]
    await sendReport(page, {
      category: 'dispute.neighbour',
      title: titles[0]!,
      photos: [
        { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(1200, 900, '#aa3355') },
        { name: 'b.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(900, 1200, '#33aa55') },
      ],
    })
    await sendReport(page, {
      category: 'hazard.power',
      title: titles[1]!,
      photos: [{ name: 'c.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(800, 600, '#3355aa') }],
    })
    await expect.poll(() => waitingCount(page)).toBe(2)
    expect(await page.getByTestId('queue-count').innerText()).toBe('待发送 2')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-offline-390.png') })
    await page.close()

    await context.setOffline(false)
    page = await context.newPage()
    await page.goto(`${server.url}/m`)
    for (const [i, title] of titles.entries()) {
      await expect
        .poll(async () => (await casesTitled(server.url, server.cookie, cell.code, title)).map((c) => c.attachments.length), { timeout: 60_000 })
        .toEqual([i === 0 ? 2 : 1])
    }
    await expect.poll(() => waitingCount(page), { timeout: 30_000 }).toBe(0)
    // Opening yet another page sends nothing twice.
    await page.reload()
    await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
    for (const title of titles) expect(await casesTitled(server.url, server.cookie, cell.code, title)).toHaveLength(1)
    await context.close()
    expect(errors).toEqual([])
  })

  it('completes an upload whose API process was killed before answering, with nothing duplicated', { timeout: 240_000 }, async () => {
    const cell = cells[2]!
    const worker = await signIn(db, 'grid_worker', cell.code)
    const [lon, lat] = cell.labelPoint
    let api: { url: string; child: ChildProcess } = await startApiProcess({ PORT: RESTART_PORT })
    const killApi = async () => {
      const exited = new Promise((resolve) => api.child.once('exit', resolve))
      api.child.kill('SIGKILL')
      await exited
    }
    try {
      const context = await openPhone(browser, api.url, worker, { longitude: lon, latitude: lat }, errors)
      const page = await context.newPage()
      await page.goto(`${api.url}/m#report`)
      await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
      await page.locator('select[name="category"] option[value="dispute.neighbour"]').waitFor({ state: 'attached' })

      // The first photo upload reaches the server and is stored; the process is killed before
      // its answer reaches the phone, which sees the connection reset.
      let intercepted = 0
      let killed!: () => void
      const wasKilled = new Promise<void>((resolve) => {
        killed = resolve
      })
      await page.route('**/api/incidents/*/attachments', async (route) => {
        if (intercepted++ > 0) return route.continue()
        const response = await route.fetch()
        expect(response.status()).toBe(201)
        await killApi()
        await route.abort('connectionreset')
        killed()
      })
      const title = `上传中断 ${stamp()}`
      await sendReport(page, {
        category: 'dispute.neighbour',
        title,
        photos: [{ name: 'd.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(1600, 1200, '#775533') }],
      })
      await wasKilled
      await expect.poll(() => waitingCount(page)).toBe(1)

      api = await startApiProcess({ PORT: RESTART_PORT })
      // The queue's own backoff retries it: no button pressed.
      await expect.poll(() => waitingCount(page), { timeout: 90_000, interval: 1000 }).toBe(0)
      const cases = await casesTitled(server.url, server.cookie, cell.code, title)
      expect(cases.map((c) => c.attachments.length)).toEqual([1])
      expect(intercepted).toBeGreaterThanOrEqual(2)
      await context.close()
    } finally {
      api.child.kill('SIGTERM')
    }
    expect(errors).toEqual([])
  })

  it('records a patrol, sends its positions, ends it, and the cell counts as visited', { timeout: 240_000 }, async () => {
    const cell = cells[3]!
    const worker = await signIn(db, 'grid_worker', cell.code)
    const [lon, lat] = cell.labelPoint
    const context = await openPhone(browser, server.url, worker, { longitude: lon, latitude: lat }, errors)
    const page = await context.newPage()
    const from = new Date(Date.now() - 1000).toISOString()
    const coverageOf = async () => {
      const to = new Date(Date.now() + 60_000).toISOString()
      const response = await fetch(`${server.url}/api/coverage?grid=${cell.parent}&from=${from}&to=${to}`, { headers: { cookie: server.cookie } })
      expect(response.status).toBe(200)
      return ((await response.json()) as { cells: { code: string; visitedShare: number; patrols: number }[] }).cells.find((c) => c.code === cell.code)
    }
    expect(await coverageOf()).toMatchObject({ visitedShare: 0, patrols: 0 })
    await page.goto(`${server.url}/m#patrol`)
    const positionsSent = page.waitForResponse((r) => /\/api\/patrols\/[^/]+\/positions$/.test(r.url()), { timeout: 90_000 })
    await page.getByRole('button', { name: '开始巡查' }).click()
    await expect.poll(() => page.getByTestId('patrol-recorded').innerText(), { timeout: 20_000 }).toBe('1')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-patrol-390.png') })
    // A few metres on, the next sample (20 s later) fills the first batch.
    await context.setGeolocation({ longitude: lon + 0.00005, latitude: lat + 0.00005, accuracy: 15 })
    expect((await positionsSent).status()).toBeLessThan(300)
    const ended = page.waitForResponse((r) => /\/api\/patrols\/[^/]+\/end$/.test(r.url()))
    await page.getByRole('button', { name: '结束巡查' }).click()
    expect((await ended).status()).toBeLessThan(300)
    await expect.poll(() => waitingCount(page)).toBe(0)
    await context.close()

    await expect.poll(coverageOf).toMatchObject({ visitedShare: 1, patrols: 1 })
    expect(errors).toEqual([])
  })

  it('starts, records and ends a patrol without network, and sends it as one patrol when back online', { timeout: 240_000 }, async () => {
    const cell = cells[5]!
    const worker = await signIn(db, 'grid_worker', cell.code)
    const [lon, lat] = cell.labelPoint
    const context = await openPhone(browser, server.url, worker, { longitude: lon, latitude: lat }, errors)
    const page = await context.newPage()
    const from = new Date(Date.now() - 1000).toISOString()
    const coverageOf = async () => {
      const to = new Date(Date.now() + 60_000).toISOString()
      const response = await fetch(`${server.url}/api/coverage?grid=${cell.parent}&from=${from}&to=${to}`, { headers: { cookie: server.cookie } })
      expect(response.status).toBe(200)
      return ((await response.json()) as { cells: { code: string; visitedShare: number; patrols: number }[] }).cells.find((c) => c.code === cell.code)
    }
    await page.goto(`${server.url}/m#patrol`)
    const startButton = page.getByRole('button', { name: '开始巡查' })
    await expect.poll(() => startButton.isEnabled(), { timeout: 60_000 }).toBe(true)
    const patrolRequests: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/api/patrols')) patrolRequests.push(`${r.method()} ${new URL(r.url()).pathname}`)
    })

    await context.setOffline(true)
    await startButton.click()
    await page.getByTestId('patrol-offline').waitFor()
    await expect.poll(() => page.getByTestId('patrol-recorded').innerText(), { timeout: 20_000 }).toBe('1')
    // A few metres on, the next sample (20 s later) fills the first batch, queued like the start.
    await context.setGeolocation({ longitude: lon + 0.00005, latitude: lat + 0.00005, accuracy: 15 })
    await expect.poll(() => page.getByTestId('patrol-recorded').innerText(), { timeout: 60_000 }).toBe('2')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-patrol-offline-running-390.png') })
    await page.getByRole('button', { name: '结束巡查' }).click()
    // Start, one batch of two positions, end: three items waiting, nothing reached the server.
    await expect.poll(() => waitingCount(page)).toBe(3)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-patrol-offline-390.png') })
    expect(await coverageOf()).toMatchObject({ patrols: 0 })

    await context.setOffline(false)
    await expect.poll(() => waitingCount(page), { timeout: 60_000 }).toBe(0)
    await expect.poll(coverageOf, { timeout: 30_000 }).toMatchObject({ visitedShare: 1, patrols: 1 })
    const [patrol] = await db.sql<{ id: number; ended: boolean; positions: number; started_at: Date }[]>`
      select p.id, p.ended_at is not null as ended, p.started_at,
             (select count(*) from patrol_position x where x.patrol_id = p.id)::int as positions
      from patrol p where p.worker_scope = ${cell.code} and p.started_at >= ${from}`
    expect(patrol).toMatchObject({ ended: true, positions: 2 })
    // The start time is the moment the worker pressed start, not when the network returned.
    expect(patrol!.started_at.getTime()).toBeLessThan(Date.now() - 15_000)
    expect(patrolRequests.filter((r) => r === 'POST /api/patrols').length).toBeGreaterThanOrEqual(1)
    await context.close()
    expect(errors).toEqual([])
  })

  it('starts a dispatched case and finishes it with a note and the photo its category requires', { timeout: 240_000 }, async () => {
    const cell = cells[4]!
    const [lon, lat] = cell.labelPoint
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: server.cookie },
        body: JSON.stringify(body),
      })
      expect(response.status, path).toBeLessThan(300)
      return (await response.json()) as { id: number; status: string }
    }
    const title = `电线裸露 待处置 ${stamp()}`
    const { id } = await post('/api/incidents', { category: 'hazard.power', severity: 2, title, location: { lon, lat } })
    await post(`/api/incidents/${id}/transitions`, { action: 'register' })
    expect((await post(`/api/incidents/${id}/transitions`, { action: 'dispatch' })).status).toBe('dispatched')
    const statusOf = async () =>
      (await (await fetch(`${server.url}/api/incidents/${id}`, { headers: { cookie: server.cookie } })).json()) as {
        status: string
        attachments: unknown[]
        timeline: { action: string; note: string | null }[]
      }

    const worker = await signIn(db, 'grid_worker', cell.code)
    const context = await openPhone(browser, server.url, worker, { longitude: lon, latitude: lat }, errors)
    const page = await context.newPage()
    await page.goto(`${server.url}/m#cases`)
    const card = page.locator(`.field-case[data-incident-id="${id}"]`)
    await card.getByRole('button', { name: '开始处置' }).click({ timeout: 60_000 })
    await expect.poll(async () => (await statusOf()).status, { timeout: 30_000 }).toBe('handling')

    await card.getByRole('button', { name: '办结' }).click({ timeout: 30_000 })
    await card.locator('textarea').fill('已联系供电所，裸露电线已包扎')
    await card.getByRole('button', { name: '提交办结' }).click()
    // This category needs a photo to finish: the phone says so before sending anything.
    await expect.poll(() => card.locator('.field-error').innerText()).toContain('必须附至少一张照片')
    await card
      .locator(`#field-finish-photos-${id}`)
      .setInputFiles([{ name: 'done.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(1000, 750, '#228844') }])
    await card.locator('.field-photos__item img').first().waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'field-finish-390.png') })
    await card.getByRole('button', { name: '提交办结' }).click()
    await expect.poll(async () => (await statusOf()).status, { timeout: 30_000 }).toBe('handled')
    const done = await statusOf()
    expect(done.attachments).toHaveLength(1)
    expect(done.timeline.find((event) => event.action === 'finish')?.note).toBe('已联系供电所，裸露电线已包扎')
    await context.close()
    expect(errors).toEqual([])
  })

  it('takes a grid worker signing in on a phone to /m, and on a laptop to the map of their cell', { timeout: 120_000 }, async () => {
    const cell = cells[0]!
    const username = `field-${stamp()}`
    const password = `pw-${stamp()}-${stamp()}`
    await addUser(db.sql, { username, role: 'grid_worker', scope: cell.code, password })
    for (const [viewport, expected] of [
      [PHONE, '/m'],
      [{ width: 1440, height: 900 }, `/grid/${cell.code}`],
    ] as const) {
      const page = await browser.newPage({ viewport, locale: 'zh-CN' })
      await page.goto(`${server.url}/login`)
      await page.locator('input[name="username"]').fill(username)
      await page.locator('input[name="password"]').fill(password)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL((url) => url.pathname === expected, { timeout: 30_000 })
      await page.close()
    }
  })

  it('fits 360×640 and 390×844 in Chinese and English', { timeout: 240_000 }, async () => {
    const cell = cells[0]!
    const worker = await signIn(db, 'grid_worker', cell.code)
    const [lon, lat] = cell.labelPoint
    // The notices section holds what a worker's phone does: an urgent notice and a closed one.
    const sendNotice = async (path: string, body: object) => {
      const response = await fetch(`${server.url}/api/notices${path}`, {
        method: 'POST',
        headers: { cookie: server.cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status, path).toBeLessThan(300)
      return (await response.json()) as { id: number }
    }
    await sendNotice('', { kind: 'urgent', title: '紧急通知：台风预警，请转移低洼处群众', target: { grids: [cell.code] } })
    const meeting = await sendNotice('', { kind: 'work', title: '工作通知：本周网格例会', target: { grids: [cell.code] } })
    await sendNotice(`/${meeting.id}/close`, { outcome: 'cancelled', note: '例会改期' })
    for (const viewport of [PHONE, { width: 360, height: 640 }]) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const context = await openPhone(browser, server.url, worker, { longitude: lon, latitude: lat }, errors, viewport, locale)
        const page = await context.newPage()
        await page.addInitScript((language) => localStorage.setItem('gridscope.language', language), locale)
        await page.goto(`${server.url}/m`)
        for (const [i, section] of ['cell', 'report', 'cases', 'notices', 'patrol'].entries()) {
          await page.locator('.field-nav__item').nth(i).click()
          await page.locator('.field-section__title').first().waitFor({ timeout: 60_000 })
          if (section === 'cell' || section === 'report') await page.locator('.field-map[data-cell]').waitFor({ timeout: 60_000 })
          if (section === 'notices') await expect.poll(() => page.locator('.notice-inbox__item').count()).toBeGreaterThanOrEqual(2)
          // Nothing wider than the screen, and every button a thumb can hit (≥ 48 px high).
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width)
          const small = await page
            .locator('.field-page button:visible, .field-page a.field-button:visible')
            .evaluateAll((nodes) => nodes.filter((n) => n.getBoundingClientRect().height < 48).map((n) => n.textContent))
          expect(small, `${section} ${viewport.width} ${locale}`).toEqual([])
          // Read outdoors on a phone: every text at least WCAG AA contrast.
          expect(await lowContrastTexts(page, '.field-page'), `${section} ${viewport.width} ${locale}`).toEqual([])
          await page.screenshot({ path: join(ARTIFACTS_DIR, `field-${section}-${viewport.width}-${locale}.png`) })
        }
        await context.close()
      }
    }
    expect(errors).toEqual([])
  })
})
