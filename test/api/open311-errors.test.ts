/**
 * Every way an Open311 request can be wrong answers with the specification's error list
 * (`[{ code, description }]`, `<errors><error>…` in XML) and the right HTTP status, the
 * description starting with the field at fault; nothing is stored by a refused POST; hostile
 * values in every parameter never give a 5xx or leak internals.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: '${7*7}' is a template-injection probe, literal on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addApiToken } from '../../server/access/api-tokens.ts'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { expectSchema, form, readXml } from '../support/open311.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db, { access: { apiTokenRequestsPerMinute: 100_000 } })
const V2 = '/open311/v2'
const TOWN = '440904004'

let key: string
let point: { lat: string; long: string }
const tag = `open311-errors ${Date.now()}`
beforeAll(async () => {
  key = (await addApiToken(db.sql, { name: 'errors', role: 'town_leader', scope: TOWN })).token
  const [row] = await db.sql<{ lon: number; lat: number }[]>`
    select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where level = 5 and code like ${`${TOWN}%`} order by code limit 1`
  point = { lat: String(row!.lat), long: String(row!.lon) }
})

/** Checks the error in both formats and returns its description. */
async function expectError(res: Response, status: number, field: string): Promise<string> {
  expect(res.status).toBe(status)
  const body = await res.text()
  const errors = (res.headers.get('content-type')?.startsWith('text/xml') ? readXml(body, 'errors') : JSON.parse(body)) as {
    code: unknown
    description: string
  }[]
  if (typeof errors[0]!.code === 'string') errors[0]!.code = Number(errors[0]!.code)
  expectSchema('errors', errors)
  expect(errors[0]!.code).toBe(status)
  expect(errors[0]!.description.startsWith(`${field}: `), errors[0]!.description).toBe(true)
  return errors[0]!.description
}

const good = () => ({ api_key: key, service_code: 'dispute.neighbour', ...point, description: `${tag} ${Math.random()}`, 'attribute[severity]': '2' })
const post = (fields: Record<string, string | string[]>, format = 'json', headers: Record<string, string> = {}) =>
  app.request(`${V2}/requests.${format}`, form(fields, headers))
const storedCount = async () => (await db.sql`select count(*)::int as n from incident where description like ${`${tag}%`}`)[0]!.n as number

describe('Open311 errors', () => {
  it('refuse a POST without a usable api_key (403), in JSON and XML', async () => {
    const { api_key: _, ...noKey } = good()
    await expectError(await post(noKey), 403, 'api_key')
    await expectError(await post(noKey, 'xml'), 403, 'api_key')
    await expectError(await post({ ...noKey, api_key: `gst_${'x'.repeat(43)}` }), 403, 'api_key')
    await expectError(await app.request(`${V2}/requests.json`), 403, 'api_key')
    await expectError(await app.request(`${V2}/requests/1.xml?api_key=nope`), 403, 'api_key')
  })

  it('name the field of every bad POST value, and store nothing', async () => {
    const before = await storedCount()
    const cases: [Record<string, string | string[]>, number, string][] = [
      [{ service_code: 'no.such' }, 404, 'service_code'],
      [{ service_code: '' }, 400, 'service_code'],
      [{ jurisdiction_id: '110000' }, 404, 'jurisdiction_id'],
      [{ 'attribute[severity]': '' }, 400, 'attribute[severity]'],
      [{ 'attribute[severity]': '7' }, 400, 'attribute[severity]'],
      [{ 'attribute[severity]': ['1', '2'] }, 400, 'attribute[severity]'],
      [{ 'attribute[source]': 'rumour' }, 400, 'attribute[source]'],
      [{ 'attribute[colour]': 'red' }, 400, 'attribute[colour]'],
      [{ 'attribute[occurred_at]': 'yesterday' }, 400, 'attribute[occurred_at]'],
      [{ 'attribute[party1_phone]': '13800138000' }, 400, 'attribute[party1_name]'],
      [{ 'attribute[party1_name]': '王五', 'attribute[party1_phone]': 'call me' }, 400, 'attribute[party1_phone]'],
      [{ 'attribute[party2_name]': '王五', 'attribute[party2_id_number]': '123' }, 400, 'attribute[party2_id_number]'],
      [{ 'attribute[title]': 't'.repeat(201) }, 400, 'attribute[title]'],
      [{ description: `${tag} ${'长'.repeat(4001)}` }, 400, 'description'],
      [{ last_name: '李'.repeat(101) }, 400, 'last_name'],
      [{ lat: 'north' }, 400, 'lat'],
      [{ lat: '91' }, 400, 'lat'],
      [{ long: 'Infinity' }, 400, 'long'],
      [{ lat: '30', long: '100' }, 400, 'lat'], // outside the district
      [{ media_url: 'javascript:alert(1)' }, 400, 'media_url'],
      [{ address_string: 'x'.repeat(501) }, 400, 'address_string'],
      [{ description: `${tag} a\u0000b` }, 400, 'description'],
    ]
    for (const [change, status, field] of cases) await expectError(await post({ ...good(), ...change }), status, field)
    const { lat: _, long: __, ...unplaced } = good()
    await expectError(await post(unplaced), 400, 'lat')
    await expectError(await post({ ...unplaced, lat: point.lat }), 400, 'long')
    await expectError(await post({ ...unplaced, address_id: '440904' }), 400, 'address_id')
    await expectError(await post({ ...unplaced, address_id: '440904999999999999' }), 400, 'address_id')
    await expectError(await post({ ...unplaced, address_string: '不存在的住户小组' }), 400, 'address_string')
    await expectError(await post({ ...unplaced, address_string: '第1住户小组' }), 400, 'address_string')
    await expectError(await post(good(), 'json', { 'idempotency-key': 'bad key!' }), 400, 'Idempotency-Key')
    expect(await storedCount()).toBe(before)
  })

  it('refuse other bodies: JSON is a 415, more than 64 KiB a 413', async () => {
    const asJson = await app.request(`${V2}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(good()) })
    await expectError(asJson, 415, 'Content-Type')
    await expectError(await post({ ...good(), description: 'x'.repeat(70_000) }, 'xml'), 413, 'request body')
  })

  it('name the field of every bad GET parameter', async () => {
    const list = (query: string) => app.request(`${V2}/requests.json?api_key=${key}&${query}`)
    await expectError(await list('start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400, 'end_date')
    await expectError(await list('start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z'), 400, 'end_date')
    await expectError(await list('start_date=1st%20of%20May'), 400, 'start_date')
    await expectError(await list('end_date=0000-01-01T00:00:00Z'), 400, 'end_date')
    await expectError(await list('status=pending'), 400, 'status')
    await expectError(await list('service_code=dispute.neighbour,nope'), 400, 'service_code')
    await expectError(await list('service_request_id=1,abc'), 400, 'service_request_id')
    await expectError(await list(`service_request_id=${Array.from({ length: 1001 }, (_, i) => i + 1).join(',')}`), 400, 'service_request_id')
    await expectError(await list('jurisdiction_id=sfgov.org'), 404, 'jurisdiction_id')
    expect((await list('start_date=2026-01-01&end_date=2026-03-31')).status).toBe(200)
  })

  it('answer unknown resources, services and requests with 404 in the asked format', async () => {
    await expectError(await app.request(`${V2}/services/no.such.xml`), 404, 'service_code')
    await expectError(await app.request(`${V2}/requests/99999999999.json?api_key=${key}`), 404, 'service_request_id')
    await expectError(await app.request(`${V2}/requests/abc.xml?api_key=${key}`), 404, 'service_request_id')
    await expectError(await app.request(`${V2}/tokens/1.json`), 404, 'path')
    await expectError(await app.request(`${V2}/services.csv`), 404, 'format')
    await expectError(await app.request(`${V2}/nothing.json`), 404, 'path')
  })

  it('limit each key like every token route: 429 with Retry-After', async () => {
    const limited = createApp(db, { access: { apiTokenRequestsPerMinute: 3 } })
    const { token } = await addApiToken(db.sql, { name: 'busy 311', role: 'analyst' })
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 5; i++) {
      last = await limited.request(`${V2}/requests.json?api_key=${token}&service_request_id=1`)
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    await expectError(last!, 429, 'api_key')
  })
})

const HOSTILE = [
  "' OR '1'='1",
  '1; DROP TABLE incident; --',
  '%',
  '_',
  '\\',
  '$1',
  '1e309',
  '-1',
  'NaN',
  '99999999999999999999999999',
  '',
  ' ',
  '[]',
  '🙂🙃',
  '\uFEFF440904',
  '<![CDATA[x]]><script>alert(1)</script>',
  '${7*7}',
  '\r\nSet-Cookie: x=1',
  '\u0001\u0008',
  'a'.repeat(5000),
]
const LEAK = /\b(select|insert|update|delete)\b.+\b(from|into|set)\b|syntax error|postgres|pglite|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|stack/i

describe('Open311 hostile input', () => {
  it('never answers 5xx nor shows internals, in any parameter', async () => {
    for (const v of HOSTILE) {
      const e = encodeURIComponent(v)
      const requests = [
        app.request(`${V2}/requests.json?api_key=${key}&service_request_id=${e}`),
        app.request(`${V2}/requests.xml?api_key=${key}&service_code=${e}&status=${e}&start_date=${e}&end_date=${e}&jurisdiction_id=${e}`),
        app.request(`${V2}/requests/${e}.xml?api_key=${e}`),
        app.request(`${V2}/services/${e}.json`),
        ...['service_code', 'lat', 'long', 'address_id', 'address_string', 'description', 'media_url', 'first_name', 'jurisdiction_id'].map((field) =>
          post({ ...good(), [field]: v }, 'xml'),
        ),
        ...['severity', 'title', 'occurred_at', 'source', 'party1_name', 'party1_phone', 'party1_id_number', v].map((code) =>
          post({ ...good(), [`attribute[${code}]`]: v, 'attribute[party1_name]': '赵六' }),
        ),
      ]
      for (const res of await Promise.all(requests)) {
        const body = await res.text()
        expect(res.status, `${v.slice(0, 40)}: ${body.slice(0, 200)}`).toBeLessThan(500)
        expect(body).not.toMatch(LEAK)
        if (res.headers.get('content-type')?.startsWith('text/xml')) readXml(body, res.status < 300 ? 'service_requests' : 'errors')
      }
    }
  })
})
