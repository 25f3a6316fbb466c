/**
 * Photos on cases: type by bytes, size limits, GPS removed from what is stored (EXIF read back),
 * thumbnails, scope (404 outside), caching headers, idempotent replays, the timeline entry, the
 * case detail's gallery and the categories that need a photo to finish.
 */
import exifr from 'exifr'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blobTransferFor } from '../../server/attachments/blob-copy.ts'
import { connectTestDatabase } from '../support/database.ts'
import { accessOptionsFrom } from '../../server/access/index.ts'
import { createApp } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { asViewer, signIn } from '../support/auth.ts'
import { buildWorld, json, type AccessWorld } from '../support/access-fixture.ts'
import { photoWithGps, plainPhoto, upload } from '../support/photos.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
beforeAll(async () => {
  world = await buildWorld(db)
})

const worker = () => world.viewers.grid_worker
const commander = () => world.commander

describe('POST /api/incidents/:id/attachments', () => {
  it('sends photo bytes by COPY to PostgreSQL only: the embedded database, even behind a URL, gets parameters', async () => {
    // A second API process reaches the embedded database through its socket with a URL; COPY FROM
    // STDIN would end the embedded engine, so the choice is asked of the server, not the URL.
    expect(await blobTransferFor(db.sql)).toBe(db.mode === 'embedded' ? 'parameter' : 'copy')
  })

  it('stores a photo without its GPS position, keeps the taking time, and makes a thumbnail', async () => {
    const original = await photoWithGps(1600, 1200)
    expect((await exifr.gps(original))?.latitude).toBeCloseTo(21.5)
    const res = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(original))
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toMatchObject({ width: 1600, height: 1200, url: `/api/attachments/${body.id}`, thumbnailUrl: `/api/attachments/${body.id}?size=thumb` })
    expect(body.bytes).toBeGreaterThan(0)

    const stored = await worker().request(body.url)
    expect(stored.status).toBe(200)
    expect(stored.headers.get('content-type')).toBe('image/jpeg')
    expect(stored.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    const bytes = Buffer.from(await stored.arrayBuffer())
    expect(bytes.length).toBe(body.bytes)
    const tags = await exifr.parse(bytes, { gps: true, exif: true, tiff: true })
    expect(tags?.latitude).toBeUndefined()
    expect(tags?.GPSLatitude).toBeUndefined()
    expect(tags?.Make).toBeUndefined()
    expect(tags?.DateTimeOriginal).toBeInstanceOf(Date)
    expect((await sharp(bytes).metadata()).width).toBe(1600)

    const thumb = await worker().request(body.thumbnailUrl)
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/jpeg')
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()
    expect(Math.max(thumbMeta.width, thumbMeta.height)).toBe(320)
    expect(thumbMeta.width / thumbMeta.height).toBeCloseTo(4 / 3, 1)
    expect(await exifr.gps(Buffer.from(await (await worker().request(body.thumbnailUrl)).arrayBuffer())).catch(() => undefined)).toBeUndefined()
  })

  it('stores a photo without metadata byte for byte', async () => {
    const png = await plainPhoto('png')
    const res = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(png, 'a.png', 'image/png'))
    expect(res.status).toBe(201)
    const body = await res.json()
    const stored = await worker().request(body.url)
    expect(stored.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await stored.arrayBuffer()).equals(png)).toBe(true)
  })

  it('accepts WebP and recognises the type by the bytes, whatever the name says', async () => {
    const webp = await plainPhoto('webp', 300, 200, '#2b8a3e')
    const res = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(webp, 'photo.jpg', 'image/jpeg'))
    expect(res.status).toBe(201)
    const stored = await worker().request((await res.json()).url)
    expect(stored.headers.get('content-type')).toBe('image/webp')
  })

  it('refuses a PDF named .jpg with 415 naming the field, and stores nothing', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
    const before = await countAttachments(world.cases.cell.id)
    const res = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(pdf, 'photo.jpg', 'image/jpeg'))
    expect(res.status).toBe(415)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect((await res.json()).invalidParams).toEqual([expect.objectContaining({ name: 'file' })])
    expect(await countAttachments(world.cases.cell.id)).toBe(before)
  })

  it('refuses bytes that start like a JPEG but are not one (415)', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)])
    const res = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(fake))
    expect(res.status).toBe(415)
  })

  it('refuses a photo over 10 MB with 413, and a larger request before reading it', async () => {
    const jpeg = await plainPhoto('jpeg')
    const big = Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024 + 1 - jpeg.length)])
    const res = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(big))
    expect(res.status).toBe(413)
    expect((await res.json()).invalidParams).toEqual([expect.objectContaining({ name: 'file' })])
    const huge = Buffer.concat([jpeg, Buffer.alloc(11 * 1024 * 1024)])
    expect((await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(huge))).status).toBe(413)
    // Every other route keeps the small body limit.
    const res2 = await worker().request('/api/incidents', json({ title: 'x'.repeat(70 * 1024) }))
    expect(res2.status).toBe(413)
  })

  it('takes a photo past the small body limit in the server as its settings configure it', async () => {
    // server.ts hands createApp the access options read from the settings, which carry no upload
    // limits of their own: the photo, notice and import limits must survive them.
    const configured = asViewer(createApp(db, { access: accessOptionsFrom(readConfig({})) }), await signIn(db))
    // A camera's photo is megabytes: bytes after the image's end make this one 300 KB.
    const photo = Buffer.concat([await photoWithGps(1600, 1200), Buffer.alloc(300 * 1024)])
    const res = await configured.request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(photo))
    expect(res.status, await res.clone().text()).toBe(201)
  })

  it('answers 400 without a file field and 415 for a body that is not multipart', async () => {
    const form = new FormData()
    form.append('photo', new Blob([new Uint8Array(await plainPhoto('jpeg'))]), 'a.jpg')
    const missing = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, {
      method: 'POST',
      body: form,
      headers: { 'sec-fetch-site': 'same-origin' },
    })
    expect(missing.status).toBe(400)
    expect((await missing.json()).invalidParams[0].name).toBe('file')
    const raw = await worker().request(`/api/incidents/${world.cases.cell.id}/attachments`, {
      method: 'POST',
      body: new Uint8Array(await plainPhoto('jpeg')),
      headers: { 'content-type': 'image/jpeg', 'sec-fetch-site': 'same-origin' },
    })
    expect(raw.status).toBe(415)
  })

  it('never stores a replay twice: same bytes and Idempotency-Key, or the same bytes again', async () => {
    const photo = await plainPhoto('jpeg', 500, 500, '#f08c00')
    const key = `photo-${Date.now()}`
    const id = world.cases.cell.id
    const responses = await Promise.all(
      [1, 2, 3].map(() => worker().request(`/api/incidents/${id}/attachments`, upload(photo, 'p.jpg', 'image/jpeg', { 'idempotency-key': key }))),
    )
    const bodies = await Promise.all(responses.map(async (r) => (expect(r.status).toBe(201), r.json())))
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1)
    const again = await worker().request(`/api/incidents/${id}/attachments`, upload(photo))
    expect((await again.json()).id).toBe(bodies[0].id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from incident_attachment where incident_id = ${id} and idempotency_key like ${`${key}:%`}`
    expect(row!.n).toBe(1)
    const events = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from incident_event e join incident_attachment a on a.event_id = e.id where a.id = ${bodies[0].id}`
    expect(events[0]!.n).toBe(1)
    // The same key with other bytes is a different request: refused.
    const other = await worker().request(
      `/api/incidents/${id}/attachments`,
      upload(await plainPhoto('jpeg', 501, 500), 'q.jpg', 'image/jpeg', { 'idempotency-key': key }),
    )
    expect(other.status).toBe(422)
    // Keys are each viewer's own: the commander's same key names the commander's own upload.
    const commanders = await commander().request(
      `/api/incidents/${id}/attachments`,
      upload(await plainPhoto('jpeg', 502, 500), 'c.jpg', 'image/jpeg', { 'idempotency-key': key }),
    )
    expect(commanders.status).toBe(201)
    expect((await commanders.json()).id).not.toBe(bodies[0].id)
  })

  it('stores several different photos sent at once to the same case, each once', async () => {
    const id = world.cases.otherTown.id
    const photos = await Promise.all([0, 1, 2, 3, 4].map((i) => plainPhoto('jpeg', 300 + i, 200, '#495057')))
    const before = await countAttachments(id)
    const responses = await Promise.all(photos.map((p) => world.commander.request(`/api/incidents/${id}/attachments`, upload(p))))
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(await countAttachments(id)).toBe(before + 5)
  })

  it('stores one new photo sent at once to two cases as one blob linked to both, byte for byte', async () => {
    // A colour never stored before (a photo kept from an earlier run would not race).
    const photo = await plainPhoto(
      'jpeg',
      333,
      222,
      `#${Math.floor(Math.random() * 0xffffff)
        .toString(16)
        .padStart(6, '0')}`,
    )
    const ids = [world.cases.cell.id, world.cases.otherTown.id]
    const responses = await Promise.all(ids.map((id) => commander().request(`/api/incidents/${id}/attachments`, upload(photo))))
    expect(responses.map((r) => r.status)).toEqual([201, 201])
    const bodies = await Promise.all(responses.map((r) => r.json()))
    const [blobs] = await db.sql<{ n: number; cases: number }[]>`
      select count(distinct b.sha256)::int as n, count(distinct a.incident_id)::int as cases
      from incident_attachment a join attachment_blob b on b.sha256 = a.sha256 where a.id = any(${bodies.map((b) => b.id)}::bigint[])`
    expect(blobs).toEqual({ n: 1, cases: 2 })
    for (const body of bodies) {
      const stored = await commander().request(body.url)
      expect(Buffer.from(await stored.arrayBuffer()).equals(photo)).toBe(true)
    }
  })

  it('records who added the photo in the timeline and lists the photos in the case detail', async () => {
    const id = world.cases.sameTown.id
    const photo = await plainPhoto('jpeg', 640, 480, '#5f3dc4')
    const res = await world.viewers.town_leader.request(`/api/incidents/${id}/attachments`, upload(photo))
    const added = await res.json()
    const detail = await (await commander().request(`/api/incidents/${id}`)).json()
    const event = detail.timeline.find((e: { id: number }) => e.id === added.eventId)
    expect(event).toMatchObject({ action: 'photo', actor: `test-town_leader-${world.viewers.town_leader.scope}` })
    expect(detail.attachments).toEqual([
      expect.objectContaining({ id: added.id, width: 640, height: 480, thumbnailUrl: added.thumbnailUrl, addedBy: event.actor }),
    ])
  })

  it('follows the case scope: 404 outside for upload and download, 403 for read-only roles', async () => {
    const photo = await plainPhoto('jpeg', 320, 240, '#1864ab')
    const outside = await worker().request(`/api/incidents/${world.cases.otherTown.id}/attachments`, upload(photo))
    expect(outside.status).toBe(404)
    const stored = await (await commander().request(`/api/incidents/${world.cases.otherTown.id}/attachments`, upload(photo))).json()
    for (const role of ['grid_worker', 'village_leader', 'town_leader', 'wall'] as const) {
      expect((await world.viewers[role].request(stored.url)).status, role).toBe(404)
      expect((await world.viewers[role].request(stored.thumbnailUrl)).status, role).toBe(404)
    }
    expect((await world.viewers.analyst.request(stored.url)).status).toBe(200)
    expect((await world.viewers.analyst.request(`/api/incidents/${world.cases.cell.id}/attachments`, upload(photo))).status).toBe(403)
    expect((await worker().request('/api/attachments/999999999')).status).toBe(404)
    expect((await worker().request('/api/attachments/abc')).status).toBe(400)
    expect((await worker().request(`${stored.url}?size=huge`)).status).toBe(400)
  })
})

describe('categories that need a photo to finish', () => {
  it('refuses finish without a photo (409 naming the field) and allows it with one', async () => {
    const categories = (await (await commander().request('/api/categories')).json()).categories
    const hazard = categories.find((c: { code: string }) => c.code === 'hazard')
    expect(hazard.requiresPhotoOnFinish).toBe(true)
    expect(hazard.children.every((c: { requiresPhotoOnFinish: boolean }) => c.requiresPhotoOnFinish)).toBe(true)
    expect(categories.find((c: { code: string }) => c.code === 'dispute').requiresPhotoOnFinish).toBe(false)

    const created = await (
      await commander().request('/api/incidents', json({ category: 'hazard.power', severity: 2, title: '电线杆倾斜', location: world.cell.point }))
    ).json()
    const act = (action: string) => commander().request(`/api/incidents/${created.id}/transitions`, json({ action }))
    for (const action of ['register', 'dispatch', 'start']) expect((await act(action)).status).toBe(200)
    const refused = await act('finish')
    expect(refused.status).toBe(409)
    expect((await refused.json()).invalidParams).toEqual([expect.objectContaining({ name: 'file' })])
    expect((await worker().request(`/api/incidents/${created.id}/attachments`, upload(await plainPhoto('jpeg', 200, 200, '#087f5b')))).status).toBe(201)
    expect((await act('finish')).status).toBe(200)
  })
})

async function countAttachments(incidentId: number): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from incident_attachment where incident_id = ${incidentId}`
  return row!.n
}
