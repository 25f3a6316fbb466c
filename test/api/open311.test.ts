/**
 * Open311 GeoReport v2: discovery, services and definitions, and service requests POSTed and
 * read back, in JSON (checked against the GeoReport v2 schemas) and XML (parsed by an independent
 * parser and required to say what the JSON says). A POSTed report is an incident like any other:
 * the database's household group, the token's scope, masked free text, one event on the live
 * feed's log, a retry answered with the first id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addApiToken } from '../../server/access/api-tokens.ts'
import { TOKEN_READ_ACTION } from '../../server/access/token-audit.ts'
import { createApp } from '../../server/app.ts'
import { categoryTree } from '../../server/incidents/categories.ts'
import { connectTestDatabase } from '../support/database.ts'
import { assertMasked, buildWorld, json, TOWN, uniqueParty, type AccessWorld } from '../support/access-fixture.ts'
import { asXmlText, expectSchema, form, readXml } from '../support/open311.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db)
const V2 = '/open311/v2'

let world: AccessWorld
let townKey: string
let analystKey: string
beforeAll(async () => {
  world = await buildWorld(db)
  townKey = (await addApiToken(db.sql, { name: '12345 热线', role: 'town_leader', scope: TOWN })).token
  analystKey = (await addApiToken(db.sql, { name: 'open311 reader', role: 'analyst' })).token
})

const get = (path: string) => app.request(`${V2}/${path}`)
const both = async (path: string, root: string, query = '') => {
  const [asJson, asXml] = await Promise.all([get(`${path}.json${query}`), get(`${path}.xml${query}`)])
  expect([asJson.status, asXml.status]).toEqual([200, 200])
  expect(asJson.headers.get('content-type')).toBe('application/json; charset=utf-8')
  expect(asXml.headers.get('content-type')).toBe('text/xml; charset=utf-8')
  const value = (await asJson.json()) as unknown
  expect(readXml(await asXml.text(), root)).toEqual(asXmlText(value))
  return value
}
const post = (fields: Record<string, string>, headers: Record<string, string> = {}, format = 'json') =>
  app.request(`${V2}/requests.${format}`, form({ api_key: townKey, ...fields }, headers))

describe('Open311 discovery and services', () => {
  it('describes the endpoint in discovery.json and discovery.xml', async () => {
    const doc = (await both('discovery', 'discovery')) as { endpoints: { url: string; specification: string; formats: string[] }[] }
    expectSchema('discovery', doc)
    expect(doc.endpoints[0]!.url).toBe('http://localhost/open311/v2')
    expect(doc.endpoints[0]!.specification).toBe('http://wiki.open311.org/GeoReport_v2')
    expect(doc.endpoints[0]!.formats.sort()).toEqual(['application/json', 'text/xml'])
  })

  it('lists every subcategory as a service, grouped by its top-level category', async () => {
    const services = (await both('services', 'services')) as { service_code: string; group: string; service_name: string }[]
    expectSchema('services', services)
    const tree = await categoryTree(db.sql)
    const expected = tree.flatMap((g) => g.children.map((c) => ({ service_code: c.code, group: g.nameZh, service_name: c.nameZh })))
    expect(services.map(({ service_code, group, service_name }) => ({ service_code, group, service_name }))).toEqual(expected)
  })

  it('defines the typed attributes of a service: severity required, parties as fields', async () => {
    const definition = (await both('services/dispute.neighbour', 'service_definition')) as {
      service_code: string
      attributes: { code: string; required: boolean; datatype: string; values?: { key: string }[] }[]
    }
    expectSchema('serviceDefinition', definition)
    expect(definition.service_code).toBe('dispute.neighbour')
    const severity = definition.attributes.find((a) => a.code === 'severity')
    expect(severity).toMatchObject({ required: true, datatype: 'singlevaluelist' })
    expect(severity!.values!.map((v) => v.key)).toEqual(['1', '2', '3', '4'])
    expect(definition.attributes.map((a) => a.code)).toEqual(expect.arrayContaining(['party1_name', 'party1_phone', 'party1_id_number', 'party2_name']))
  })
})

describe('Open311 service requests', () => {
  it('round-trips a POSTed report: the database assigns the cell, the text comes back masked', async () => {
    const party = uniqueParty()
    const description = `${world.tag} 311 邻居${party.name}深夜噪音，报警人电话 ${party.phone}`
    const res = await post({
      jurisdiction_id: '440904',
      service_code: 'dispute.neighbour',
      lat: String(world.cell.point.lat),
      long: String(world.cell.point.lon),
      description,
      first_name: '三',
      last_name: '张',
      phone: '13800138000',
      'attribute[severity]': '2',
      'attribute[party1_name]': party.name,
      'attribute[party1_phone]': party.phone,
      'attribute[party1_id_number]': party.idNumber,
    })
    expect(res.status).toBe(201)
    const posted = (await res.json()) as { service_request_id: string; service_notice: string }[]
    expectSchema('posted', posted)
    const id = posted[0]!.service_request_id
    expect(posted[0]!.service_notice).toContain('已受理')

    const requests = (await both(`requests/${id}`, 'service_requests', `?api_key=${townKey}`)) as Record<string, unknown>[]
    expectSchema('requests', requests)
    const [one] = requests
    const text = JSON.stringify(requests)
    expect(one).toMatchObject({ service_request_id: id, status: 'open', service_code: 'dispute.neighbour', address_id: world.cell.code })
    expect(one!.lat).toBeCloseTo(world.cell.point.lat, 6)
    expect(one!.status_notes).toContain('reported')
    expect(String(one!.description)).toContain(`${world.tag} 311`)
    assertMasked(text, [party.name, party.phone, party.idNumber, '13800138000', '张 三'], 'open311 request')

    const stored = await db.sql<{ source: string; reporter: string; parties: unknown[]; grid_code: string }[]>`
      select source, reporter, parties, grid_code from incident where id = ${Number(id)}`
    expect(stored[0]).toMatchObject({ source: 'referral', reporter: '张 三', grid_code: world.cell.code })
    expect(stored[0]!.parties).toEqual([party])
    const events = await db.sql`select action from incident_event where incident_id = ${Number(id)}`
    expect(events.map((e) => e.action)).toEqual(['report'])
  })
})

describe('Open311 requests: lists, states, scope, retries', () => {
  const report = async (fields: Record<string, string> = {}, headers: Record<string, string> = {}, format = 'json') =>
    post(
      {
        service_code: 'environment.garbage',
        lat: String(world.cell.point.lat),
        long: String(world.cell.point.lon),
        description: `${world.tag} 垃圾 ${Math.random()}`,
        'attribute[severity]': '1',
        ...fields,
      },
      headers,
      format,
    )
  const idOf = async (res: Response) => ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id
  const list = async (query: string, key = townKey) => {
    const res = await app.request(`${V2}/requests.json?api_key=${key}&${query}`)
    expect(res.status).toBe(200)
    const items = (await res.json()) as { service_request_id: string; status: string; status_notes: string }[]
    expectSchema('requests', items)
    return items
  }

  it('posts in XML too, and lists by id, service code, status and dates in both formats', async () => {
    const xml = await report({}, {}, 'xml')
    expect(xml.status).toBe(201)
    const [posted] = readXml(await xml.text(), 'service_requests') as { service_request_id: string; service_notice: string }[]
    expect(posted!.service_request_id).toMatch(/^[1-9][0-9]*$/)
    const other = await idOf(await report())
    const ids = `service_request_id=${posted!.service_request_id},${other}`
    expect((await list(ids)).map((r) => r.service_request_id).sort()).toEqual([posted!.service_request_id, other].sort())
    const asXml = await app.request(`${V2}/requests.xml?api_key=${townKey}&${ids}`)
    expect(readXml(await asXml.text(), 'service_requests')).toEqual(asXmlText(await list(ids)))
    const today = new Date()
    const window = `start_date=${new Date(today.getTime() - 3_600_000).toISOString()}&end_date=${new Date(today.getTime() + 60_000).toISOString()}`
    const garbage = await list(`service_code=environment.garbage&status=open&${window}`)
    expect(garbage.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([posted!.service_request_id, other]))
    expect(garbage.every((r) => r.status === 'open')).toBe(true)
    expect((await list(`service_code=dispute.land&${window}`)).map((r) => r.service_request_id)).not.toContain(other)
    expect((await list('start_date=2001-01-01T00:00:00Z&end_date=2001-03-01T00:00:00Z')).length).toBe(0)
  })

  it('maps the workflow to open and closed, with the detailed state in status_notes', async () => {
    const id = await idOf(await report())
    const dismissed = await world.commander.request(`/api/incidents/${id}/transitions`, json({ action: 'dismiss', note: '重复上报' }))
    expect(dismissed.status).toBe(200)
    const [closed] = await list(`service_request_id=${id}`)
    expect(closed).toMatchObject({ status: 'closed' })
    expect(closed!.status_notes).toContain('不予立案 dismissed')
    expect((await list('status=closed')).map((r) => r.service_request_id)).toContain(id)
    expect((await list('status=open')).map((r) => r.service_request_id)).not.toContain(id)
  })

  it('keeps to the token scope: other towns invisible, reports outside refused, analysts read only', async () => {
    const other = String(world.cases.otherTown.id)
    expect((await app.request(`${V2}/requests/${other}.json?api_key=${townKey}`)).status).toBe(404)
    expect((await list(`service_request_id=${other},${world.cases.cell.id}`)).map((r) => r.service_request_id)).toEqual([String(world.cases.cell.id)])
    const outside = await report({ lat: String(world.otherTown.point.lat), long: String(world.otherTown.point.lon) })
    expect(outside.status).toBe(403)
    expect(((await outside.json()) as { description: string }[])[0]!.description).toMatch(/^lat: /)
    const byAnalyst = await post({ api_key: analystKey, service_code: 'dispute.neighbour', lat: '21.5', long: '111.0', 'attribute[severity]': '1' })
    expect(byAnalyst.status).toBe(403)
    expect(((await byAnalyst.json()) as { description: string }[])[0]!.description).toMatch(/^api_key: /)
    const seen = await app.request(`${V2}/requests.json?api_key=${analystKey}&service_request_id=${other}`)
    const text = await seen.text()
    expect((JSON.parse(text) as unknown[]).length).toBe(1)
    assertMasked(text, [world.cases.otherTown.phone, world.cases.otherTown.name], 'analyst open311 read')
  })

  it('answers a retried POST with the first id, with or without an Idempotency-Key', async () => {
    const fields = { description: `${world.tag} 重试 ${Math.random()}` }
    const first = await report(fields)
    expect(first.status).toBe(201)
    const again = await Promise.all([report(fields), report(fields)])
    for (const res of again) {
      expect(res.status).toBe(200)
      expect(res.headers.get('idempotent-replayed')).toBe('true')
    }
    const ids = new Set([await idOf(first), ...(await Promise.all(again.map(idOf)))])
    expect(ids.size).toBe(1)
    const key = { 'idempotency-key': `open311-${Date.now()}` }
    const keyed = { description: `${world.tag} keyed ${Math.random()}` }
    const together = await Promise.all([report(keyed, key), report(keyed, key), report(keyed, key)])
    expect(new Set(await Promise.all(together.map(idOf))).size).toBe(1)
    expect(together.filter((r) => r.status === 201).length).toBe(1)
    const reused = await report({ description: 'another report' }, key)
    expect(reused.status).toBe(422)
    expect(((await reused.json()) as { description: string }[])[0]!.description).toMatch(/^Idempotency-Key: /)
    const stored = await db.sql`select count(*)::int as n from incident where description in (${fields.description}, ${keyed.description})`
    expect(stored[0]!.n).toBe(2)
  })

  it('audits every read of requests through a token', async () => {
    const { token, row } = await addApiToken(db.sql, { name: 'audited 311', role: 'analyst' })
    const count = async () =>
      (await db.sql`select 1 from audit_log where actor = ${`api-token:${row.id}:audited 311`} and action = ${TOKEN_READ_ACTION}`).length
    await app.request(`${V2}/services.json`)
    await app.request(`${V2}/requests.json?api_key=${token}`)
    await app.request(`${V2}/requests/${world.cases.cell.id}.xml`, { headers: { authorization: `Bearer ${token}` } })
    expect(await count()).toBe(2)
  })

  it('places a report by address_id or address_string at that household group', async () => {
    const byId = await report({ lat: '', long: '', address_id: world.cell.code })
    expect(byId.status).toBe(400) // an empty lat is still a lat: the client must leave both out
    const noLat = { service_code: 'environment.garbage', 'attribute[severity]': '1', description: `${world.tag} 地址 ${Math.random()}` }
    const placed = await post({ ...noLat, address_id: world.cell.code })
    expect(placed.status).toBe(201)
    const [one] = await list(`service_request_id=${await idOf(placed)}`)
    expect(one).toMatchObject({ address_id: world.cell.code })
    const [cell] = await db.sql<{ full_name: string }[]>`select full_name from grid_cell where code = ${world.cell.code}`
    const named = await post({
      ...noLat,
      description: `${noLat.description} b`,
      address_string: `电海街道 ${cell!.full_name}`,
      media_url: 'https://example.org/p/1.jpg',
    })
    expect(named.status).toBe(201)
    const [two] = (await list(`service_request_id=${await idOf(named)}`)) as unknown as Record<string, unknown>[]
    expect(two).toMatchObject({ address_id: world.cell.code, address: `电海街道 ${cell!.full_name}`, media_url: 'https://example.org/p/1.jpg' })
  })
})
