/**
 * OGC API – Features at /ogc: landing, conformance, OpenAPI, collections with extents, items with
 * limit clamping, bbox (4 and 6 numbers), datetime instants and intervals, property parameters,
 * keyset next links walked to numberMatched and stable while reports arrive, ETag/304, unknown
 * parameters → 400, scope and masking for incidents through a token, HTML in both languages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addApiToken } from '../../server/access/api-tokens.ts'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { assertMasked, buildWorld, report, TOWN, type AccessWorld } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db)
let world: AccessWorld
let townToken: string
let districtToken: string

beforeAll(async () => {
  world = await buildWorld(db)
  townToken = (await addApiToken(db.sql, { name: 'ogc town', role: 'town_leader', scope: TOWN })).token
  districtToken = (await addApiToken(db.sql, { name: 'ogc district', role: 'analyst' })).token
})

const get = (path: string, token = districtToken, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { authorization: `Bearer ${token}`, ...headers } })
interface Doc {
  links: { rel: string; href: string; type: string }[]
  numberMatched: number
  numberReturned: number
  timeStamp: string
  features: { id: string; properties: Record<string, unknown> }[]
  conformsTo: string[]
  collections: { id: string; extent: { spatial: { bbox: number[][] }; temporal: { interval: (string | null)[][] } } }[]
}
async function getJson<T = Doc>(path: string, token = districtToken): Promise<T> {
  const res = await get(path, token)
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200)
  return res.json() as Promise<T>
}
const count = async (query: string, ...values: unknown[]) => Number((await db.sql.unsafe(query, values as never[]))[0]!.n)

/**
 * numberMatched and a recount taken just before and just after it. Other test files report and close
 * cases meanwhile (on PostgreSQL they run in parallel), so it is asked again until nothing changed
 * around the request.
 */
async function matchedBesideRecount(path: string, recount: () => Promise<number>) {
  for (let attempt = 1; ; attempt++) {
    const before = await recount()
    const page = await getJson(path)
    const after = await recount()
    if (before === after || attempt === 5) return { matched: page.numberMatched, recount: after }
  }
}

describe('OGC API – Features', () => {
  it('needs a session or a token', async () => {
    expect((await app.request('/ogc/collections')).status).toBe(401)
    expect((await app.request('/ogc/collections', { headers: { cookie: world.commander.cookie } })).status).toBe(200)
  })

  it('landing page, conformance and OpenAPI 3.0 document link up', async () => {
    const landing = await getJson('/ogc')
    const rels = landing.links.map((l: { rel: string }) => l.rel)
    for (const rel of ['self', 'alternate', 'service-desc', 'conformance', 'data']) expect(rels).toContain(rel)
    const conformance = await getJson('/ogc/conformance')
    expect(conformance.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core')
    expect(conformance.conformsTo).toContain('http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2')
    const api = await get('/ogc/api')
    expect(api.headers.get('content-type')).toContain('application/vnd.oai.openapi+json')
    const doc = (await api.json()) as { openapi: string; paths: Record<string, unknown> }
    expect(doc.openapi).toMatch(/^3\.0/)
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}', '/collections/{collectionId}/queryables']),
    )
  })

  it('lists one collection per grid level and incidents, with CRS84 extents', async () => {
    const { collections } = await getJson('/ogc/collections')
    expect(collections.map((c: { id: string }) => c.id)).toEqual(['district', 'towns', 'villages', 'villager-groups', 'household-groups', 'incidents'])
    const towns = collections.find((c: { id: string }) => c.id === 'towns')
    const [x1, y1, x2, y2] = towns!.extent.spatial.bbox[0]!
    expect(x1).toBeGreaterThan(110)
    expect(x2).toBeLessThan(112)
    expect(y1).toBeGreaterThan(21)
    expect(y2).toBeLessThan(23)
    const incidents = collections.find((c: { id: string }) => c.id === 'incidents')
    expect(incidents!.extent.temporal.interval[0]![0]).toMatch(/^\d{4}-/)
  })

  it('items: default 10, clamped at 10,000, counts from the database, geo+json, ETag with 304', async () => {
    const res = await get('/ogc/collections/villages/items')
    expect(res.headers.get('content-type')).toBe('application/geo+json')
    const page = (await res.json()) as Doc
    expect(page.numberReturned).toBe(10)
    expect(page.numberMatched).toBe(await count('select count(*) as n from grid_cell where level = 3'))
    expect(page.timeStamp).toMatch(/Z$/)
    expect(page.links.map((l: { rel: string }) => l.rel)).toEqual(expect.arrayContaining(['self', 'alternate', 'next']))
    const clamped = await getJson('/ogc/collections/household-groups/items?limit=99999')
    expect(clamped.numberReturned).toBe(Math.min(10_000, clamped.numberMatched))
    const again = await get('/ogc/collections/villages/items', districtToken, { 'if-none-match': res.headers.get('etag')! })
    expect(again.status).toBe(304)
  })

  it('walks next links to the end: every feature once, numberMatched in all, stable while reports arrive', async () => {
    // Other test files report into the same town while this one walks, so the walk is checked against
    // the ids stored before it started: every one of them seen once, anything more arrived during it.
    const idsIn = async () => (await db.sql<{ id: string }[]>`select id::text from incident where left(grid_code, 9) = ${TOWN}`).map((r) => r.id)
    const before = new Set(await idsIn())
    const highestBefore = Math.max(...[...before].map(Number))
    const seen = new Set<string>()
    let url: string | undefined = `/ogc/collections/incidents/items?limit=7&town=${TOWN}`
    let matched = -1
    let pages = 0
    let midWalk: { id: number } | undefined
    while (url) {
      const page: Doc = await getJson(url, townToken)
      if (matched < 0) matched = page.numberMatched
      for (const f of page.features) {
        expect(seen.has(String(f.id))).toBe(false)
        seen.add(String(f.id))
      }
      if (pages++ === 1) midWalk = await report(world.commander, world.cell, `${world.tag} during walk`) // a new case lands mid-walk
      const next = page.links.find((l: { rel: string; type: string }) => l.rel === 'next' && l.type === 'application/geo+json')
      url = next ? new URL(next.href).pathname + new URL(next.href).search : undefined
      if (pages > 2000) throw new Error('next links do not end')
    }
    const after = await idsIn()
    expect([...before].filter((id) => !seen.has(id))).toEqual([])
    expect(seen.has(String(midWalk!.id))).toBe(true) // the case reported mid-walk has a higher id: it comes later, once
    expect([...seen].filter((id) => !before.has(id) && Number(id) <= highestBefore)).toEqual([])
    expect(matched).toBeGreaterThanOrEqual(before.size)
    expect(matched).toBeLessThan(after.length)
  }, 120_000)

  it('bbox with 4 or 6 numbers, datetime instants and intervals, property parameters', async () => {
    const { x, y } = { x: world.cell.point.lon, y: world.cell.point.lat }
    const box = `${x - 0.001},${y - 0.001},${x + 0.001},${y + 0.001}`
    const four = await getJson(`/ogc/collections/household-groups/items?bbox=${box}&limit=100`)
    const six = await getJson(`/ogc/collections/household-groups/items?bbox=${x - 0.001},${y - 0.001},0,${x + 0.001},${y + 0.001},100&limit=100`)
    expect(four.numberMatched).toBeGreaterThan(0)
    expect(six.numberMatched).toBe(four.numberMatched)
    expect(four.features.map((f: { id: string }) => f.id)).toContain(world.cell.code)
    const [row] = await db.sql<{ at: Date }[]>`select reported_at as at from incident where id = ${world.cases.cell.id}`
    const at = row!.at.toISOString()
    const instant = await getJson(`/ogc/collections/incidents/items?datetime=${at}&limit=100`)
    expect(instant.features.map((f: { id: string }) => f.id)).toContain(String(world.cases.cell.id))
    const openEnd = await matchedBesideRecount(`/ogc/collections/incidents/items?datetime=${at}/..&limit=1`, () =>
      count('select count(*) as n from incident where reported_at >= $1', row!.at),
    )
    expect(openEnd.matched).toBe(openEnd.recount)
    const openStart = await getJson(`/ogc/collections/incidents/items?datetime=../${at}&limit=1`)
    expect(openStart.numberMatched).toBe(await count('select count(*) as n from incident where reported_at <= $1', row!.at))
    const status = await matchedBesideRecount(`/ogc/collections/incidents/items?status=open&town=${TOWN}&limit=1`, () =>
      count(`select count(*) as n from incident where status in ('reported','registered','dispatched','handling','handled') and grid_code like $1`, `${TOWN}%`),
    )
    expect(status.matched).toBe(status.recount)
    const children = await getJson(`/ogc/collections/villages/items?parent_code=${TOWN}&limit=1`)
    expect(children.numberMatched).toBe(await count('select count(*) as n from grid_cell where parent_code = $1', TOWN))
  })

  it('refuses unknown or malformed parameters with 400 naming them', async () => {
    for (const [query, name] of [
      ['colour=red', 'colour'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['bbox=1,2,3', 'bbox'],
      ['bbox=1,2,3,x', 'bbox'],
      ['datetime=yesterday', 'datetime'],
      ['datetime=../..', 'datetime'],
      ['status=lost', 'status'],
      ['after=1;drop', 'after'],
      ['f=xml', 'f'],
      ['limit=1&limit=2', 'limit'],
    ] as const) {
      const res = await get(`/ogc/collections/incidents/items?${query}`)
      expect(res.status, query).toBe(400)
      const body = (await res.json()) as { invalidParams: { name: string }[] }
      expect(body.invalidParams[0]!.name, query).toBe(name)
    }
    expect((await get('/ogc/collections/nowhere/items')).status).toBe(404)
    expect((await get('/ogc/collections?colour=red')).status).toBe(400)
    expect((await get('/ogc/collections/towns?status=open')).status).toBe(400) // not a towns parameter
    // Items parameters on a document are ignored: GDAL repeats a filtered URL's query on every request.
    expect((await get('/ogc/collections?limit=3')).status).toBe(200)
    expect((await get('/ogc/collections/incidents?status=open&bbox=110,21,112,22')).status).toBe(200)
  })

  it('incidents: within the token scope only, parties masked; one item by id, 404 outside the scope', async () => {
    const page = await get(
      `/ogc/collections/incidents/items?limit=10000&filter=${encodeURIComponent(`title LIKE 'x' OR id = ${world.cases.otherTown.id}`)}`,
      townToken,
    )
    expect(page.status).toBe(400) // LIKE is not basic-cql2: named as invalid
    const mine = await getJson(
      `/ogc/collections/incidents/items?limit=100&filter=${encodeURIComponent(`id = ${world.cases.cell.id} OR id = ${world.cases.otherTown.id}`)}`,
      townToken,
    )
    expect(mine.features.map((f: { id: string }) => f.id)).toEqual([String(world.cases.cell.id)])
    const text = await (await get(`/ogc/collections/incidents/items/${world.cases.cell.id}`, townToken)).text()
    expect(JSON.parse(text).properties.grid_code).toBe(world.cases.cell.gridCode)
    assertMasked(text, [world.cases.cell.phone, world.cases.cell.idNumber], 'ogc feature')
    expect(JSON.parse(text).properties.parties).toContain('*')
    expect((await get(`/ogc/collections/incidents/items/${world.cases.otherTown.id}`, townToken)).status).toBe(404)
    const towns = await getJson(`/ogc/collections/towns/items?code=${world.otherTown.code.slice(0, 9)}`, townToken)
    expect(towns.features[0]!.properties.incidents_total).toBe(0) // another town's figures are not the town leader's
  })

  it('queryables list the properties; HTML views in Chinese and English', async () => {
    const q = await get('/ogc/collections/incidents/queryables')
    expect(q.headers.get('content-type')).toBe('application/schema+json')
    const schema = (await q.json()) as { properties: Record<string, unknown> }
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['geometry', 'datetime', 'status', 'severity', 'reported_at']))
    for (const path of [
      '/ogc',
      '/ogc/conformance',
      '/ogc/api',
      '/ogc/collections',
      '/ogc/collections/towns',
      '/ogc/collections/towns/queryables',
      '/ogc/collections/towns/items',
      `/ogc/collections/towns/items/${TOWN}`,
    ]) {
      const zh = await get(`${path}?f=html`)
      expect(zh.status, path).toBe(200)
      expect(zh.headers.get('content-type')).toContain('text/html')
      const zhText = await zh.text()
      expect(zhText).toContain('lang="zh-CN"')
      expect(zhText).toContain('English')
      const en = await (await get(`${path}?f=html&lang=en`)).text()
      expect(en).toContain('lang="en"')
      expect(en).toContain('中文')
    }
    const browser = await get('/ogc/collections/towns/items', districtToken, { accept: 'text/html,application/xhtml+xml' })
    expect(await browser.text()).toContain('电海街道')
  })

  it('answers 406 problem+json to an Accept it cannot serve, and lets f win over Accept', async () => {
    for (const path of [
      '/ogc',
      '/ogc/conformance',
      '/ogc/api',
      '/ogc/collections/towns',
      '/ogc/collections/towns/queryables',
      '/ogc/collections/towns/items',
      `/ogc/collections/towns/items/${TOWN}`,
    ]) {
      for (const accept of ['application/xml', 'image/png', 'text/csv, application/json;q=0']) {
        const refused = await get(path, districtToken, { accept })
        expect(refused.status, `${path} ${accept}`).toBe(406)
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        expect(((await refused.json()) as { detail: string }).detail).toMatch(/f=json/)
        // f names the format outright: Accept is not consulted.
        const json = await get(`${path}?f=json`, districtToken, { accept })
        expect(json.status, `${path}?f=json ${accept}`).toBe(200)
        expect(json.headers.get('content-type')).toMatch(/json/)
        const html = await get(`${path}?f=html`, districtToken, { accept: 'application/json' })
        expect(html.headers.get('content-type'), `${path}?f=html`).toContain('text/html')
      }
    }
    // q-values decide between the two served formats.
    const items = '/ogc/collections/towns/items?limit=1'
    expect((await get(items, districtToken, { accept: 'text/html;q=0.5, application/geo+json' })).headers.get('content-type')).toBe('application/geo+json')
    expect((await get(items, districtToken, { accept: 'application/json;q=0.5, text/html' })).headers.get('content-type')).toContain('text/html')
    expect((await get(items, districtToken, { accept: '*/*' })).headers.get('content-type')).toBe('application/geo+json')
    expect((await get(items, districtToken, { accept: 'application/xml' })).status).toBe(406)
  })
})
