/**
 * Open311 as a city system's script speaks it: curl against the server on a real socket, a
 * form-encoded POST with the API token as api_key (as the README shows), then the request read
 * back as XML and JSON, while the town's live feed shows the new case. Skipped without curl (Debian's curl is on every machine this runs on).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addApiToken } from '../../server/access/api-tokens.ts'
import { connectTestDatabase } from '../support/database.ts'
import { expectSchema, readXml } from '../support/open311.ts'
import { serveApp } from '../support/serve-app.ts'
import { SseReader } from '../support/sse.ts'
import { signIn } from '../support/auth.ts'

const run = promisify(execFile)
const HAS_CURL = existsSync('/usr/bin/curl')
const db = connectTestDatabase()
let server: Awaited<ReturnType<typeof serveApp>>
beforeAll(async () => {
  server = await serveApp(db)
})
afterAll(async () => {
  await server?.close()
  await db.close()
})

/** curl's body and status (its last line, from --write-out). */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['--silent', '--show-error', '--write-out', '\n%{http_code}', ...args])
  const cut = stdout.lastIndexOf('\n')
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) }
}

describe.skipIf(!HAS_CURL)('Open311 with curl', () => {
  it('posts a report as a form and reads it back as XML and JSON', async () => {
    const { token } = await addApiToken(db.sql, { name: 'curl 311', role: 'town_leader', scope: '440904004' })
    const [cell] = await db.sql<{ code: string; lon: number; lat: number }[]>`
      select code, ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where level = 5 and code like '440904004%' order by code desc limit 1`
    const controller = new AbortController()
    const cookie = await signIn(db, 'town_leader', '440904004')
    // From the last event before the report: the stream replays whatever it had not attached for yet.
    const [{ last }] = await db.sql<[{ last: number }]>`select coalesce(max(id), 0)::int8 as last from incident_event`
    const stream = await fetch(`${server.url}/api/live`, { headers: { cookie, 'last-event-id': String(last) }, signal: controller.signal })
    expect(stream.status).toBe(200)
    const live = new SseReader(stream, controller)
    const description = `curl 311 ${Date.now()} 路灯不亮，联系人 13912345678`
    const posted = await curl([
      `${server.url}/open311/v2/requests.xml`,
      ...['api_key', token, 'jurisdiction_id', '440904', 'service_code', 'livelihood.road', 'lat', String(cell!.lat), 'long', String(cell!.lon)].flatMap(
        (v, i, all) => (i % 2 === 0 ? ['--data-urlencode', `${v}=${all[i + 1]}`] : []),
      ),
      '--data-urlencode',
      `description=${description}`,
      '--data-urlencode',
      'attribute[severity]=1',
    ])
    expect(posted.status).toBe(201)
    const [request] = readXml(posted.body, 'service_requests') as { service_request_id: string }[]
    const id = request!.service_request_id
    const [event] = await live.waitFor((events) => events.some((e) => e.data.incidentId === Number(id)))
    await live.close()
    expect(event).toBeDefined()

    const asXml = await curl([
      '--get',
      `${server.url}/open311/v2/requests.xml`,
      '--data-urlencode',
      `service_request_id=${id}`,
      '-H',
      `Authorization: Bearer ${token}`,
    ])
    expect(asXml.status).toBe(200)
    const [read] = readXml(asXml.body, 'service_requests') as Record<string, string>[]
    expect(read).toMatchObject({ service_request_id: id, status: 'open', service_code: 'livelihood.road', address_id: cell!.code })
    expect(read!.description).toContain('139****5678')

    const asJson = await curl([`${server.url}/open311/v2/requests/${id}.json?api_key=${token}`])
    expect(asJson.status).toBe(200)
    expectSchema('requests', JSON.parse(asJson.body))
    expect(asJson.body).not.toContain('13912345678')
    const refused = await curl([`${server.url}/open311/v2/requests.json`, '--data-urlencode', 'service_code=livelihood.road'])
    expect(refused.status).toBe(403)
    expectSchema('errors', JSON.parse(refused.body))
  })
})
