/**
 * Incidents: ingest (sustained POST /api/incidents rate ÷ the rate of plain INSERTs of the same
 * rows through postgres.js, same concurrency, same run) and live delivery (POST → SSE latency at
 * a steady rate with many SSE clients, ÷ the POST round trip in the same run).
 */
import { Agent, request } from 'node:http'
import type { Database } from '../../server/db/connect.ts'
import { median, percentile } from './support/machine.ts'
import { serveApp } from './support/bench-server.ts'
import { SseReader } from '../support/sse.ts'
import { LOAD_TOOL, measurePostRate } from './support/load.ts'

const agent = new Agent({ keepAlive: true, maxSockets: 256 })

function post(url: string, body: string, key: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'idempotency-key': key, cookie } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++)
    }),
  )
}

export interface IngestFigures {
  postsPerSecond: number
  insertsPerSecond: number
  ratio: number
}

export async function benchIngest(db: Database, count = 1000, concurrency = 16): Promise<IngestFigures> {
  const [cell] = await db.sql<{ code: string; lon: number; lat: number }[]>`
    select code, ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat from grid_cell where level = 5 order by code limit 1`
  const run = `bench-${Date.now()}`
  const body = (i: number) =>
    JSON.stringify({ category: 'environment.garbage', severity: 1, title: `垃圾清运 ${i}`, location: { lon: cell!.lon, lat: cell!.lat } })
  const server = await serveApp(db)
  let started = performance.now()
  let postsPerSecond: number
  if (LOAD_TOOL === 'wrk') {
    // wrk (C) as the client, so the Node process measured runs only the server.
    const lua = `'{"category":"environment.garbage","severity":1,"title":"垃圾清运 ' .. n .. '","location":{"lon":${cell!.lon},"lat":${cell!.lat}}}'`
    postsPerSecond = await measurePostRate(`${server.url}/api/incidents`, lua, `${run}-post`, 5, concurrency, server.cookie)
  } else {
    await pool(count, concurrency, async (i) => {
      const status = await post(`${server.url}/api/incidents`, body(i), `${run}-post-${i}`, server.cookie)
      if (status !== 201) throw new Error(`POST answered ${status}`)
    })
    postsPerSecond = count / ((performance.now() - started) / 1000)
  }
  await server.close()
  // Baseline: the same incident rows (and their first event) inserted directly, one transaction each.
  started = performance.now()
  await pool(count, concurrency, (i) =>
    db.sql.begin(async (tx) => {
      const [row] = await tx<{ id: number }[]>`
      insert into incident (category, severity, title, source, occurred_at, location, grid_code, status, due_at, idempotency_key)
      values ('environment.garbage', 1, ${`垃圾清运 ${i}`}, 'patrol', now(), ST_SetSRID(ST_MakePoint(${cell!.lon}, ${cell!.lat}), 4326), ${cell!.code},
              'reported', now() + interval '7 days', ${`${run}-insert-${i}`})
      returning id`
      await tx`insert into incident_event (incident_id, actor, action, to_status, to_level) values (${row!.id}, 'bench', 'report', 'reported', 5)`
    }),
  )
  const insertsPerSecond = count / ((performance.now() - started) / 1000)
  return { postsPerSecond, insertsPerSecond, ratio: postsPerSecond / insertsPerSecond }
}

export interface LiveFigures {
  clients: number
  rate: number
  deliveries: number
  p50Ms: number
  p99Ms: number
  postP50Ms: number
  p50Ratio: number
  p99Ratio: number
}

export async function benchLive(db: Database, clients = 100, rate = 100, seconds = 5): Promise<LiveFigures> {
  const [cell] = await db.sql<{ lon: number; lat: number }[]>`
    select ST_X(ST_PointOnSurface(geom)) as lon, ST_Y(ST_PointOnSurface(geom)) as lat from grid_cell where level = 5 order by code desc limit 1`
  const server = await serveApp(db)
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  const readers: SseReader[] = []
  const run = `live-${Date.now()}`
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const controller = new AbortController()
      const res = await fetch(`${server.url}/api/live`, { signal: controller.signal, headers: { cookie: server.cookie } })
      readers.push(
        new SseReader(res, controller, (event) => {
          const at = sentAt.get(event.data.incident.title)
          if (at !== undefined) latencies.push(performance.now() - at)
        }),
      )
    }),
  )
  const postTimes: number[] = []
  const total = rate * seconds
  const started = performance.now()
  const posts: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const title = `${run}-${i}`
    const body = JSON.stringify({ category: 'order.nuisance', severity: 1, title, location: { lon: cell!.lon, lat: cell!.lat } })
    const t0 = performance.now()
    sentAt.set(title, t0)
    posts.push(post(`${server.url}/api/incidents`, body, title, server.cookie).then(() => void postTimes.push(performance.now() - t0)))
  }
  await Promise.all(posts)
  const deadline = Date.now() + 10_000
  while (latencies.length < total * clients && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  await Promise.all(readers.map((r) => r.close()))
  await server.close()
  const p50 = median(latencies)
  const p99 = percentile(latencies, 99)
  const postP50 = median(postTimes)
  return {
    clients,
    rate,
    deliveries: latencies.length,
    p50Ms: p50,
    p99Ms: p99,
    postP50Ms: postP50,
    p50Ratio: p50 / postP50,
    p99Ratio: p99 / percentile(postTimes, 99),
  }
}
