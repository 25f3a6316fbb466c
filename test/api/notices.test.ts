/**
 * Area notices end to end through the API on the shared test database: the recipients are exactly
 * the grid persons of the target (grid subtrees and a radius); delivered → read → acknowledged →
 * replied with times; the live feed carries the notice to the recipients' streams only and replays
 * it after a reconnect; a reminder reaches only those who have not acknowledged; closing masks the
 * missing person for everyone but the commander; the webhook channel retries with one
 * idempotency key against a receiver on loopback, and its failure shows on the notice.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../server/app.ts'
import { createNotices, type Notices } from '../../server/notices/index.ts'
import { acknowledgeNotice } from '../../server/notices/service.ts'
import { readProgress } from '../../server/notices/queries.ts'
import type { Viewer } from '../../server/access/roles.ts'
import { webhookChannel } from '../../server/notices/channels.ts'
import { connectTestDatabase } from '../support/database.ts'
import { asViewer, signIn, type RequestTarget } from '../support/auth.ts'
import { SseReader } from '../support/sse.ts'
import { photoWithGps, upload } from '../support/photos.ts'

/** What the notice events carry, as far as these tests read it. */
type NoticeEventData = { noticeId?: number; action?: string; notice?: unknown; progress?: unknown }
const db = connectTestDatabase()
const TOWN = '440904004'
const OTHER_TOWN = '440904126'

interface Received {
  key: string
  body: { noticeId: number; action: string; recipients: { phone: string }[] }
}
/** A loopback receiver standing in for the SMS gateway: fails the first `failFirst` requests of each key. */
async function startReceiver(failFirst: number | 'always'): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = []
  const seen = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk) => (text += chunk))
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '')
      received.push({ key, body: JSON.parse(text) })
      const n = (seen.get(key) ?? 0) + 1
      seen.set(key, n)
      res.statusCode = failFirst === 'always' || n <= failFirst ? 503 : 200
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

type Target = RequestTarget & { cookie: string }
let receiver: Awaited<ReturnType<typeof startReceiver>>
let notices: Notices
let commander: Target
let townLeader: Target
let villageLeader: Target
let otherVillageLeader: Target
let analyst: Target
let workers: { cell: string; target: Target }[]
let outsider: Target
let apps: ReturnType<typeof createApp>

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const as = async (role: Parameters<typeof signIn>[1], scope: string): Promise<Target> => {
  const cookie = await signIn(db, role, scope)
  return { ...asViewer(apps, cookie), cookie }
}

beforeAll(async () => {
  receiver = await startReceiver(1)
  notices = createNotices(db.sql, { outbound: { channels: [webhookChannel(receiver.url)], attempts: 3, retryDelayMs: 10 } })
  apps = createApp(db, { notices, access: { writesPerMinute: 100_000 } })
  // Three household groups of the town, in two villages, each with its grid worker.
  const cells = await db.sql<{ code: string }[]>`
    select distinct on (left(c.code, 12)) c.code from grid_cell c
    where c.level = 5 and c.code like ${TOWN + '%'} and exists (select 1 from grid_person p where p.cell_code = c.code and p.role = 'grid_worker')
    order by left(c.code, 12), c.code limit 3`
  commander = await as('commander', '440904')
  townLeader = await as('town_leader', TOWN)
  villageLeader = await as('village_leader', cells[0]!.code.slice(0, 12))
  otherVillageLeader = await as('village_leader', cells[1]!.code.slice(0, 12))
  analyst = await as('analyst', '440904')
  workers = await Promise.all(cells.map(async ({ code }) => ({ cell: code, target: await as('grid_worker', code) })))
  const [far] = await db.sql<
    { code: string }[]
  >`select min(cell_code) as code from grid_person where cell_code like ${OTHER_TOWN + '%'} and role = 'grid_worker'`
  outsider = await as('grid_worker', far!.code)
})
afterAll(async () => {
  await notices.stop()
  await receiver.close()
  await db.close()
})

async function openLive(target: Target, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const res = await apps.request('/api/live', { headers: { cookie: target.cookie, ...headers }, signal: controller.signal })
  expect(res.status).toBe(200)
  return new SseReader(res, controller, undefined, ['notice', 'notice-progress'])
}

const personOf = {
  name: '林小明',
  age: 9,
  sex: 'male',
  clothing: '蓝色校服，黑色书包',
  lastSeenAt: '2026-11-30T08:00:00+08:00',
  lastSeen: { lon: 111.0, lat: 21.5 },
}

async function send(target: Target, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await target.request(
    '/api/notices',
    post({ kind: 'missing-person', title: '寻人协查：林小明', body: '请各网格员协助查找', person: personOf, ...body }, headers),
  )
  return { status: res.status, body: (await res.json()) as { id: number; recipients: number; invalidParams?: { name: string }[] }, headers: res.headers }
}

const detail = async (target: Target, id: number, query = '') => {
  const res = await target.request(`/api/notices/${id}${query}`)
  // biome-ignore lint/suspicious/noExplicitAny: the tests read many shapes of answer by path; a wrong path fails the expectation.
  return { status: res.status, body: (await res.json()) as any }
}

/** The one outbound delivery of a notice (a single channel), as stored. */
const outboundOf = async (id: number) => {
  const [row] = await db.sql<{ attempts: number; status: string; lastError: string | null }[]>`
    select attempts, status, last_error as "lastError" from notice_outbound where notice_id = ${id}`
  return row
}
/** Waits until the notice's outbound delivery matches `expected`. */
const outboundReaches = (id: number, expected: Partial<NonNullable<Awaited<ReturnType<typeof outboundOf>>>>) =>
  vi.waitFor(async () => expect(await outboundOf(id)).toMatchObject(expected), { timeout: 10_000, interval: 5 })

describe('POST /api/notices: recipients', () => {
  it('keeps as recipients exactly the grid persons of the targeted subtree at the moment of sending', async () => {
    const { status, body } = await send(commander, { target: { grids: [TOWN] } })
    expect(status).toBe(201)
    const expected = await db.sql<{ id: number }[]>`select id from grid_person where cell_code like ${TOWN + '%'} order by id`
    const stored = await db.sql<{ person_id: number }[]>`select person_id from notice_recipient where notice_id = ${body.id} order by person_id`
    expect(body.recipients).toBe(expected.length)
    expect(stored.map((r) => r.person_id)).toEqual(expected.map((r) => r.id))
    expect(expected.length).toBeGreaterThan(10)
  })

  it('reaches, for a radius, the persons of every household group the circle touches and of their villager groups', async () => {
    const [centre] = await db.sql<
      { lon: number; lat: number }[]
    >`select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where code = ${workers[0]!.cell}`
    const radiusM = 1500
    const { status, body } = await send(commander, { kind: 'urgent', person: undefined, title: '台风转移通知', target: { point: centre, radiusM } })
    expect(status).toBe(201)
    const expected = await db.sql<{ id: number }[]>`
      with touched as (select code from grid_cell where level = 5
                       and ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(${centre!.lon}, ${centre!.lat}), 4326)::geography, ${radiusM}))
      select id from grid_person where cell_code in (select code from touched) or cell_code in (select left(code, 15) from touched) order by id`
    const stored = await db.sql<{ person_id: number }[]>`select person_id from notice_recipient where notice_id = ${body.id} order by person_id`
    expect(stored.map((r) => r.person_id)).toEqual(expected.map((r) => r.id))
    expect(body.recipients).toBeGreaterThan(1)
  })

  it('counts the recipients of a target before sending, with the same rule', async () => {
    const res = await townLeader.request('/api/notices/preview', post({ target: { grids: [workers[0]!.cell.slice(0, 12)] } }))
    expect(res.status).toBe(200)
    const [expected] = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_person where cell_code like ${workers[0]!.cell.slice(0, 12) + '%'}`
    expect((await res.json()).recipients).toBe(expected!.n)
  })

  it('refuses senders outside their scope and roles that do not send, naming the field', async () => {
    const outside = await send(villageLeader, { target: { grids: [TOWN] } })
    expect(outside.status).toBe(403)
    expect(outside.body.invalidParams?.[0]?.name).toBe('target.grids[0]')
    expect((await send(workers[0]!.target, { target: { grids: [workers[0]!.cell] } })).status).toBe(403)
    expect((await send(analyst, { target: { grids: [TOWN] } })).status).toBe(403)
    const bad = await send(commander, { target: { point: { lon: 111, lat: 21.5 }, radiusM: -5 } })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('target')
    const noPerson = await send(commander, { person: undefined, target: { grids: [TOWN] } })
    expect(noPerson.status).toBe(400)
    expect(noPerson.body.invalidParams?.map((p) => p.name)).toContain('person')
  })

  it('stores one notice per Idempotency-Key and refuses the key with another body', async () => {
    const key = `notice-test-${Date.now()}`
    const first = await send(commander, { target: { grids: [workers[0]!.cell] } }, { 'idempotency-key': key })
    const again = await send(commander, { target: { grids: [workers[0]!.cell] } }, { 'idempotency-key': key })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body.id).toBe(first.body.id)
    const [rows] = await db.sql<{ n: number }[]>`select count(*)::int as n from notice where idempotency_key like ${`${key}:%`}`
    expect(rows!.n).toBe(1)
    expect((await send(commander, { title: '另一条', target: { grids: [workers[0]!.cell] } }, { 'idempotency-key': key })).status).toBe(422)
    // The key is the sender's own: another sender using it sends a notice of their own.
    const theirs = await send(townLeader, { target: { grids: [workers[0]!.cell] } }, { 'idempotency-key': key })
    expect(theirs.status).toBe(201)
    expect(theirs.headers.get('idempotent-replayed')).toBeNull()
    expect(theirs.body.id).not.toBe(first.body.id)
  })
})

describe('the notice loop', () => {
  let id: number
  let sentEventId: number
  const streams: SseReader[] = []
  afterAll(async () => {
    for (const stream of streams) await stream.close()
  })

  it("delivers the notice live to the recipients' streams only and counts it delivered", async () => {
    const [a, b] = [await openLive(workers[0]!.target), await openLive(workers[1]!.target)]
    const [far, leader] = [await openLive(outsider), await openLive(otherVillageLeader)]
    streams.push(a, b, far, leader)
    const sent = await send(commander, { target: { grids: [TOWN] } })
    id = sent.body.id
    const forThis = (s: SseReader) => s.events.filter((e) => (e.data as NoticeEventData).noticeId === id)
    for (const stream of [a, b, leader])
      await stream.waitFor(() => forThis(stream).some((e) => e.event === 'notice' && (e.data as NoticeEventData).action === 'sent'))
    const event = forThis(a).find((e) => e.event === 'notice')!
    sentEventId = event.id
    expect((event.data as NoticeEventData).notice).toMatchObject({ id, kind: 'missing-person', priority: 'urgent', title: '寻人协查：林小明' })
    // No personal data on the feed.
    expect(JSON.stringify(event.data)).not.toContain('林小明，')
    expect(JSON.stringify(event.data)).not.toContain('蓝色校服')
    // Deliveries are recorded a moment after the write; wait for the condition, not a time.
    await a.waitFor(() => forThis(a).length > 0)
    const deadline = Date.now() + 5000
    let delivered: string[] = []
    while (Date.now() < deadline) {
      delivered = (await db.sql<{ cell_code: string }[]>`select cell_code from notice_recipient where notice_id = ${id} and delivered_at is not null`).map(
        (r) => r.cell_code,
      )
      if (delivered.includes(workers[0]!.cell) && delivered.includes(workers[1]!.cell)) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(delivered).toContain(workers[0]!.cell)
    expect(delivered).not.toContain(workers[2]!.cell)
    // The stream of a worker in another town carried nothing of it.
    const outsiderCheck = await openLive(outsider, { 'last-event-id': String(sentEventId - 1) })
    streams.push(outsiderCheck)
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(forThis(far)).toEqual([])
  })

  it('replays the notice to a page that reconnects after missing it (Last-Event-ID)', async () => {
    const again = await openLive(workers[2]!.target, { 'last-event-id': String(sentEventId - 1) })
    streams.push(again)
    const events = await again.waitFor((e) => e.some((x) => (x.data as NoticeEventData).noticeId === id && x.event === 'notice'))
    expect(events.filter((e) => e.id === sentEventId)).toHaveLength(1)
  })

  it('lists it in the inbox, marks it read when opened, and acknowledged with times', async () => {
    const worker = workers[0]!.target
    const inbox = (await (await worker.request('/api/notices/inbox')).json()).notices as { id: number; deliveredAt: string | null }[]
    expect(inbox.find((n) => n.id === id)?.deliveredAt).toBeTruthy()
    const opened = await detail(worker, id)
    expect(opened.status).toBe(200)
    expect(opened.body.mine.readAt).toBeTruthy()
    expect(opened.body.person).toMatchObject({ name: '林小明', clothing: '蓝色校服，黑色书包', masked: false })
    expect(opened.body.pending).toBeNull() // a worker does not get the list of others' phones
    const ack = await worker.request(`/api/notices/${id}/ack`, post({}))
    expect(ack.status).toBe(200)
    const state = await ack.json()
    expect(new Date(state.ackedAt).getTime()).toBeGreaterThanOrEqual(new Date(state.readAt).getTime() - 1)
    // Acknowledging twice keeps the first time.
    const twice = await (await worker.request(`/api/notices/${id}/ack`, post({}))).json()
    expect(twice.ackedAt).toBe(state.ackedAt)
    // Someone who did not receive it cannot acknowledge it or see it.
    expect((await outsider.request(`/api/notices/${id}/ack`, post({}))).status).toBe(404)
    expect((await detail(outsider, id)).status).toBe(404)
  })

  it('takes a clue and a "searched, not found" and shows each cell\'s state, rolled up, to the commander', async () => {
    const clue = await workers[0]!.target.request(
      `/api/notices/${id}/replies`,
      post({ kind: 'clue', text: '菜市场东门见到相似男孩', location: { lon: 111.01, lat: 21.51 } }),
    )
    expect(clue.status).toBe(201)
    expect((await workers[1]!.target.request(`/api/notices/${id}/replies`, post({ kind: 'not-found', text: '' }))).status).toBe(201)
    expect((await workers[1]!.target.request(`/api/notices/${id}/replies`, post({ kind: 'clue', text: '  ' }))).status).toBe(400)
    const { body } = await detail(commander, id, '?level=5')
    const cell = (code: string) => body.byCell.find((c: { code: string }) => c.code === code)
    expect(cell(workers[0]!.cell).state).toBe('clue')
    expect(cell(workers[1]!.cell).state).toBe('searched')
    expect(cell(workers[2]!.cell).state).toBe('none')
    expect(body.progress).toMatchObject({ acknowledged: 2, searched: 1, clues: 1 })
    expect(body.progress.read).toBeGreaterThanOrEqual(2)
    expect(body.clues[0]).toMatchObject({ kind: 'clue', cellCode: workers[0]!.cell, location: { lon: 111.01, lat: 21.51 } })
    expect(body.figures.searchedShare).toBeCloseTo(2 / body.progress.cells, 6)
    expect(body.figures.ack50).toBeNull()
    // Villages roll up their household groups: the clue's village is `clue`.
    const villages = (await detail(commander, id, '?level=3')).body.byCell as { code: string; state: string; clues: number; cells: number }[]
    expect(villages.find((v) => v.code === workers[0]!.cell.slice(0, 12))).toMatchObject({ state: 'clue', clues: 1 })
    expect(villages.reduce((sum, v) => sum + v.cells, 0)).toBe(body.progress.cells)
    // A village leader sees only their village's part of the lists.
    const village = (await detail(villageLeader, id, '?level=5')).body
    expect(village.byCell.every((c: { code: string }) => c.code.startsWith(workers[0]!.cell.slice(0, 12)))).toBe(true)
    expect(village.pending.every((p: { cellCode: string }) => p.cellCode.startsWith(workers[0]!.cell.slice(0, 12)))).toBe(true)
  })

  it('lists the recipients who have not acknowledged with their work phones for the sender, and reminds only them', async () => {
    const before = (await detail(commander, id)).body
    const pending = before.pending as { personId: number; cellCode: string; phone: string }[]
    expect(pending.map((p) => p.cellCode)).not.toContain(workers[0]!.cell)
    expect(pending.map((p) => p.cellCode)).toContain(workers[2]!.cell)
    expect(pending[0]!.phone).toMatch(/^1[3-9][0-9]{9}$/)
    const [a, c] = [streams[0]!, streams.at(-1)!] // worker 0 (acknowledged) and worker 2 (not)
    const res = await commander.request(`/api/notices/${id}/remind`, post({}))
    expect(res.status).toBe(200)
    const [unacked] = await db.sql<{ n: number }[]>`select count(*)::int as n from notice_recipient where notice_id = ${id} and acked_at is null`
    expect((await res.json()).reminded).toBe(unacked!.n)
    await c.waitFor((e) => e.some((x) => (x.data as NoticeEventData).noticeId === id && (x.data as NoticeEventData).action === 'reminded'))
    const reminded = await db.sql<{ cell_code: string }[]>`select cell_code from notice_recipient where notice_id = ${id} and reminders > 0`
    expect(reminded.map((r) => r.cell_code)).not.toContain(workers[0]!.cell)
    expect(reminded.map((r) => r.cell_code)).not.toContain(workers[1]!.cell)
    // The acknowledged worker's stream got no reminder (events after the reminder reach it, so it had its chance).
    const reminder = c.events.find((x) => (x.data as NoticeEventData).noticeId === id && (x.data as NoticeEventData).action === 'reminded')!.id
    await workers[0]!.target.request(`/api/notices/${id}/replies`, post({ kind: 'not-found' }))
    // Progress events are coalesced: the reply's may share its event with deliveries of the reminder.
    await a.waitFor((e) => e.some((x) => (x.data as NoticeEventData).noticeId === id && x.event === 'notice-progress' && x.id > reminder))
    expect(a.events.some((x) => (x.data as NoticeEventData).noticeId === id && (x.data as NoticeEventData).action === 'reminded')).toBe(false)
  })

  it('closes with a note for every recipient and masks the missing person for everyone but the commander', async () => {
    expect((await villageLeader.request(`/api/notices/${id}/close`, post({ outcome: 'found' }))).status).toBe(400)
    const res = await commander.request(`/api/notices/${id}/close`, post({ outcome: 'found', note: '已在亲戚家找到，平安' }))
    expect(res.status).toBe(200)
    await streams[1]!.waitFor((e) => e.some((x) => (x.data as NoticeEventData).noticeId === id && (x.data as NoticeEventData).action === 'closed'))
    for (const viewer of [townLeader, workers[0]!.target, analyst]) {
      const { body } = await detail(viewer, id)
      expect(body.status).toBe('closed')
      expect(body.closeOutcome).toBe('found')
      expect(body.person).toEqual({ name: '林*', age: null, sex: null, clothing: '', lastSeenAt: null, lastSeen: null, masked: true })
      expect(JSON.stringify(body)).not.toContain('蓝色校服')
    }
    expect((await detail(commander, id)).body.person).toMatchObject({ name: '林小明', masked: false })
    expect((await commander.request(`/api/notices/${id}/close`, post({ outcome: 'found', note: 'again' }))).status).toBe(409)
    expect((await workers[2]!.target.request(`/api/notices/${id}/ack`, post({}))).status).toBe(409)
    const closed = (await (await townLeader.request('/api/notices?status=closed')).json()).notices as { id: number }[]
    expect(closed.some((n) => n.id === id)).toBe(true)
    const active = (await (await townLeader.request('/api/notices?status=active')).json()).notices as { id: number }[]
    expect(active.some((n) => n.id === id)).toBe(false)
  })

  it('sent every action to the webhook with one idempotency key across its retries', async () => {
    await notices.settled()
    const mine = receiver.received.filter((r) => r.body.noticeId === id)
    const keys = [...new Set(mine.map((r) => r.key))]
    expect(mine.map((r) => r.body.action).filter((a, i, all) => all.indexOf(a) === i)).toEqual(['sent', 'reminded', 'closed'])
    // Every key was refused once (503) and accepted on the retry.
    for (const key of keys) expect(mine.filter((r) => r.key === key)).toHaveLength(2)
    const outbound = (await detail(commander, id)).body.outbound as { action: string; status: string; attempts: number }[]
    expect(outbound.map((o) => [o.action, o.status, o.attempts])).toEqual([
      ['sent', 'sent', 2],
      ['reminded', 'sent', 2],
      ['closed', 'sent', 2],
    ])
    const [sentTo] = mine
    expect(sentTo!.body.recipients.length).toBe((await detail(commander, id)).body.progress.recipients)
  })
})

describe('photos of notices', () => {
  it('takes a clue with a photo (its location stripped), shows it to those who see the notice, and lets no one reuse it', async () => {
    const { body: sent } = await send(commander, { target: { grids: [workers[0]!.cell] } })
    const res = await workers[0]!.target.request('/api/notices/attachments', upload(await photoWithGps()))
    expect(res.status).toBe(201)
    const photo = (await res.json()) as { id: number; url: string; thumbnailUrl: string }
    // Not yet linked: only its uploader sees it.
    expect((await commander.request(photo.url)).status).toBe(404)
    const reply = await workers[0]!.target.request(
      `/api/notices/${sent.id}/replies`,
      post({ kind: 'clue', text: '照片中为疑似走失人员', attachments: [photo.id] }),
    )
    expect(reply.status).toBe(201)
    const full = await commander.request(photo.url)
    expect(full.status).toBe(200)
    const bytes = Buffer.from(await full.arrayBuffer())
    // The GPS block is gone (the photo was re-encoded without it).
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false)
    expect((await commander.request(photo.thumbnailUrl)).headers.get('content-type')).toBe('image/jpeg')
    expect((await outsider.request(photo.url)).status).toBe(404)
    expect((await detail(commander, sent.id)).body.clues[0].attachments).toEqual([photo.id])
    // Used once: a second reply (or another person) cannot reference it again.
    const again = await workers[0]!.target.request(`/api/notices/${sent.id}/replies`, post({ kind: 'clue', text: '再次', attachments: [photo.id] }))
    expect(again.status).toBe(422)
    expect((await again.json()).invalidParams[0].name).toBe('attachments')
    const wrong = await workers[0]!.target.request('/api/notices/attachments', upload(new TextEncoder().encode('not an image'), 'x.jpg'))
    expect(wrong.status).toBe(415)
  })
})

describe('an outbound channel that keeps failing', () => {
  it('gives up after its attempts and shows the failure on the notice', async () => {
    const down = await startReceiver('always')
    // Its own channel name: the file's other outbox (channel `webhook`) must not take its deliveries.
    const failing = createNotices(db.sql, { outbound: { channels: [webhookChannel(down.url, { name: 'webhook-down' })], attempts: 2, retryDelayMs: 5 } })
    const app = createApp(db, { notices: failing })
    const sender = asViewer(app, commander.cookie)
    const res = await sender.request('/api/notices', post({ kind: 'work', title: '工作通知：本周例会', target: { grids: [workers[0]!.cell] } }))
    expect(res.status).toBe(201)
    const { id } = await res.json()
    await failing.settled()
    const { body } = await detail({ ...sender, cookie: commander.cookie }, id)
    expect(body.outbound).toEqual([expect.objectContaining({ channel: 'webhook-down', status: 'failed', attempts: 2, lastError: 'HTTP 503' })])
    expect(down.received.filter((r) => r.body.noticeId === id)).toHaveLength(2)
    await failing.stop()
    await down.close()
  })
})

describe('an outbound delivery across a restart', () => {
  it('is resumed by the next start under the same idempotency key, and sent once', async () => {
    const hook = await startReceiver(1)
    const options = (retryDelayMs: number) => ({ outbound: { channels: [webhookChannel(hook.url, { name: 'webhook-restart' })], attempts: 3, retryDelayMs } })
    // First process: the gateway refuses the first attempt; the retry is due in an hour.
    const first = createNotices(db.sql, options(3_600_000))
    const sender = asViewer(createApp(db, { notices: first }), commander.cookie)
    const res = await sender.request('/api/notices', post({ kind: 'urgent', title: '紧急通知：暴雨转移', target: { grids: [workers[0]!.cell] } }))
    expect(res.status).toBe(201)
    const { id } = await res.json()
    await outboundReaches(id, { attempts: 1, status: 'pending' })
    await first.stop()
    expect(hook.received.filter((r) => r.body.noticeId === id)).toHaveLength(1)
    // The hour passes while no process runs.
    await db.sql`update notice_outbound set next_attempt_at = now() where notice_id = ${id}`
    // Second process: picks the delivery up at start and sends it.
    const second = createNotices(db.sql, options(10))
    createApp(db, { notices: second })
    await outboundReaches(id, { attempts: 2, status: 'sent' })
    await second.stop()
    // Third process: nothing left to send for it.
    const third = createNotices(db.sql, options(10))
    await third.settled()
    await third.stop()
    const mine = hook.received.filter((r) => r.body.noticeId === id)
    expect(mine).toHaveLength(2)
    expect(new Set(mine.map((r) => r.key)).size).toBe(1)
    expect(mine[1]!.body.recipients.length).toBe(mine[0]!.body.recipients.length)
    await hook.close()
  })
})

describe('an outbound retry whose timer ends before the database says it is due', () => {
  it('waits for the database and sends it, not leaving it to the safety poll', async () => {
    const hook = await startReceiver(1)
    const local = createNotices(db.sql, { outbound: { channels: [webhookChannel(hook.url, { name: 'webhook-early' })], attempts: 3, retryDelayMs: 1000 } })
    const sender = asViewer(createApp(db, { notices: local }), commander.cookie)
    const res = await sender.request('/api/notices', post({ kind: 'work', title: '工作通知：核对门牌', target: { grids: [workers[0]!.cell] } }))
    expect(res.status).toBe(201)
    const { id } = await res.json()
    await outboundReaches(id, { attempts: 1, status: 'pending', lastError: 'HTTP 503' })
    // The database's clock runs ahead of the process's (another host, or a timer rounded down):
    // when the process's one-second timer ends, the row is still not due.
    const moved = await db.sql`
      update notice_outbound set next_attempt_at = next_attempt_at + interval '600 milliseconds'
      where notice_id = ${id} and status = 'pending' and attempts = 1 returning id`
    expect(moved).toHaveLength(1)
    await local.settled()
    expect(await outboundOf(id)).toEqual({ attempts: 2, status: 'sent', lastError: null })
    expect(hook.received.filter((r) => r.body.noticeId === id)).toHaveLength(2)
    await local.stop()
    await hook.close()
  })
})

describe('progress under many acknowledgements', () => {
  it('sends far fewer progress events than acknowledgements, the last one with the recounted figures', async () => {
    const intervalMs = 200
    const local = createNotices(db.sql, { progressIntervalMs: intervalMs })
    const app = createApp(db, { notices: local })
    const sender = { ...asViewer(app, commander.cookie), cookie: commander.cookie }
    const res = await sender.request('/api/notices', post({ kind: 'urgent', title: '紧急通知：台风预警', target: { grids: [TOWN] } }))
    expect(res.status).toBe(201)
    const { id } = await res.json()
    const controller = new AbortController()
    const live = await app.request('/api/live', { headers: { cookie: commander.cookie }, signal: controller.signal })
    const stream = new SseReader(live, controller, undefined, ['notice', 'notice-progress', 'notices-ready'])
    await stream.waitFor((e) => e.some((x) => x.event === 'notices-ready'))
    const cells = (
      await db.sql<{ cell_code: string }[]>`
        select distinct cell_code from notice_recipient where notice_id = ${id} and length(cell_code) = 18 order by cell_code limit 300`
    ).map((r) => r.cell_code)
    expect(cells.length).toBeGreaterThan(100)
    const worker = (cell: string): Viewer => ({ kind: 'user', id: 0, name: '网格员', role: 'grid_worker', scope: cell, sessionHash: '' })
    const started = Date.now()
    for (let i = 0; i < cells.length; i += 10) await Promise.all(cells.slice(i, i + 10).map((cell) => acknowledgeNotice(local.ctx, id, worker(cell))))
    const elapsed = Date.now() - started
    const [acked] = await db.sql<{ n: number }[]>`select count(*)::int as n from notice_recipient where notice_id = ${id} and acked_at is not null`
    expect(acked!.n).toBeGreaterThanOrEqual(cells.length)
    const progressOf = (x: { event: string; data: unknown }) =>
      x.event === 'notice-progress' && (x.data as NoticeEventData).noticeId === id ? ((x.data as NoticeEventData).progress as { acknowledged: number }) : null
    const events = await stream.waitFor((e) => e.some((x) => progressOf(x)?.acknowledged === acked!.n))
    const progress = events.filter((x) => progressOf(x))
    // At most one per interval (and one more for the acknowledgements after the last flush).
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / intervalMs) + 2)
    expect(progress.length).toBeLessThan(cells.length / 3)
    // The last event carries the figures a recount gives; every acknowledgement is its own row.
    expect((progress.at(-1)!.data as NoticeEventData).progress).toEqual(await readProgress(db.sql, id))
    const [rows] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from notice_recipient where notice_id = ${id} and acked_at is not null and cell_code = any(${cells}::text[])`
    const [persons] = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_person where cell_code = any(${cells}::text[])`
    expect(rows!.n).toBe(persons!.n)
    await stream.close()
    await local.stop()
  })
})
