/**
 * Open311 costs, each as a ratio against a baseline timed in the same rounds (alternating):
 * reading 1,000 requests as JSON and as XML over HTTP ÷ the same read function called directly
 * (what the route, the form of the answer and the XML builder add), and a POSTed Open311 report ÷
 * the same report through POST /api/incidents (what the form, the location, the retry lookup, the
 * side row and the service notice add). In-process requests (app.request), no socket.
 */
import { addApiToken } from '../../server/access/api-tokens.ts'
import { createApp } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { readRequests } from '../../server/open311/queries.ts'
import { parseRequestsQuery } from '../../server/open311/requests-query.ts'
import { signIn } from '../support/auth.ts'

const ROUNDS = 5
const REPORTS = 60

export interface Open311Bench {
  rows: number
  json: number[]
  xml: number[]
  direct: number[]
  post: number[]
  api: number[]
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

export async function benchOpen311(db: Database): Promise<Open311Bench> {
  const app = createApp(db, { access: { apiTokenRequestsPerMinute: 1_000_000, writesPerMinute: 1_000_000 } })
  const reader = await addApiToken(db.sql, { name: 'bench 311 reader', role: 'analyst' })
  const writer = await addApiToken(db.sql, { name: 'bench 311 writer', role: 'town_leader', scope: '440904004' })
  const cookie = await signIn(db, 'town_leader', '440904004')
  const cells = await db.sql<{ lon: number; lat: number }[]>`
    select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where level = 5 and code like '440904004%' order by code limit ${REPORTS}`
  const query = parseRequestsQuery({}, new Set())
  const result: Open311Bench = { rows: (await readRequests(db.sql, query, '440904')).length, json: [], xml: [], direct: [], post: [], api: [] }
  for (let round = 0; round < ROUNDS; round++) {
    result.direct.push(await timed(() => readRequests(db.sql, parseRequestsQuery({}, new Set()), '440904')))
    result.json.push(await timed(async () => (await app.request(`/open311/v2/requests.json?api_key=${reader.token}`)).text()))
    result.xml.push(await timed(async () => (await app.request(`/open311/v2/requests.xml?api_key=${reader.token}`)).text()))
    const tag = `bench 311 ${Date.now()} ${round}`
    result.api.push(
      await timed(async () => {
        for (const [i, p] of cells.entries()) {
          const body = JSON.stringify({ category: 'livelihood.road', severity: 1, title: `${tag} api ${i}`, location: p })
          const res = await app.request('/api/incidents', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body })
          if (res.status !== 201) throw new Error(`api report: ${res.status}`)
        }
      }),
    )
    result.post.push(
      await timed(async () => {
        for (const [i, p] of cells.entries()) {
          const body = new URLSearchParams({ api_key: writer.token, service_code: 'livelihood.road', lat: String(p.lat), long: String(p.lon) })
          body.set('description', `${tag} 311 ${i}`)
          body.set('attribute[severity]', '1')
          const headers = { 'content-type': 'application/x-www-form-urlencoded' }
          const res = await app.request('/open311/v2/requests.json', { method: 'POST', headers, body: body.toString() })
          if (res.status !== 201) throw new Error(`open311 report: ${res.status} ${await res.text()}`)
        }
      }),
    )
  }
  return result
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

function ratios(a: number[], b: number[]): string {
  const each = a.map((v, i) => v / b[i]!)
  return `${median(each).toFixed(2)} (${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)})`
}

export function describeOpen311(r: Open311Bench): string[] {
  return [
    `  GET requests.json, ${r.rows} requests ÷ the read called directly: ${ratios(r.json, r.direct)} (${median(r.json).toFixed(0)} ms ÷ ${median(r.direct).toFixed(0)} ms)`,
    `  GET requests.xml ÷ the read called directly: ${ratios(r.xml, r.direct)} (${median(r.xml).toFixed(0)} ms)`,
    `  POST requests.json ÷ POST /api/incidents, ${REPORTS} reports one after another: ${ratios(r.post, r.api)} (${(median(r.post) / REPORTS).toFixed(1)} ms ÷ ${(median(r.api) / REPORTS).toFixed(1)} ms a report)`,
    `  ${ROUNDS} rounds, each ratio from one round's pair; median (range)`,
  ]
}
