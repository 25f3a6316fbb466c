/**
 * Area notices: one notice to the persons of every household group (the whole district) with N
 * live clients connected. Measured: POST until every recipient row is stored (the 201) and the
 * `notice` event has reached every client; ÷ a bare INSERT … SELECT of the same rows, and ÷ one
 * incident event delivered to the same N clients, in the same run. Clients and server share this
 * process (and the machine's 2 cores): N is set by NOTICE_BENCH_CLIENTS (default 1000), the rounds by
 * NOTICE_BENCH_ROUNDS (default 3); each round runs the notice and both baselines one after another.
 */
import type { Database } from '../../server/db/connect.ts'
import { SseReader } from '../support/sse.ts'
import { serveApp } from './support/bench-server.ts'
import { median } from './support/machine.ts'

export interface NoticeFigures {
  clients: number
  recipients: number
  noticeMs: number[]
  /** POST until the 201 (the rows stored), a part of noticeMs. */
  postMs: number[]
  insertMs: number[]
  eventMs: number[]
}

async function until(condition: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('bench: condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export async function benchNotices(
  db: Database,
  clients = Number(process.env.NOTICE_BENCH_CLIENTS ?? 1000),
  rounds = Number(process.env.NOTICE_BENCH_ROUNDS ?? 3),
): Promise<NoticeFigures> {
  // Every client signs in with the one session: its limit of live streams is lifted for the run.
  const server = await serveApp(db, { access: { writesPerMinute: 100_000 }, streams: { liveStreamsPerSession: clients + 10 } })
  const readers: SseReader[] = []
  try {
    for (let i = 0; i < clients; i++) {
      const controller = new AbortController()
      const res = await fetch(`${server.url}/api/live`, { headers: { cookie: server.cookie }, signal: controller.signal })
      readers.push(new SseReader(res, controller, undefined, ['notice', 'incident', 'notices-ready']))
    }
    await until(() => readers.every((r) => r.events.some((e) => e.event === 'notices-ready')))
    const [cell] = await db.sql<
      { lon: number; lat: number }[]
    >`select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where level = 5 and ST_Covers(geom, label_point) limit 1`
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { cookie: server.cookie, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify(body),
      })
    const figures: NoticeFigures = { clients, recipients: 0, noticeMs: [], postMs: [], insertMs: [], eventMs: [] }
    for (let round = 0; round < rounds; round++) {
      // The notice: POST → 201 (recipients stored) and the event at every client.
      let started = performance.now()
      const res = await post('/api/notices', { kind: 'urgent', title: `基准测试通知 ${round}`, target: { grids: ['440904'] } })
      if (res.status !== 201) throw new Error(`notice POST answered ${res.status}`)
      const { id, recipients } = (await res.json()) as { id: number; recipients: number }
      figures.postMs.push(performance.now() - started)
      figures.recipients = recipients
      await until(() => readers.every((r) => r.events.some((e) => e.event === 'notice' && (e.data as unknown as { noticeId: number }).noticeId === id)))
      figures.noticeMs.push(performance.now() - started)
      // Baseline 1: the same rows by a bare INSERT … SELECT into a table of the same shape.
      started = performance.now()
      await db.sql.begin(async (tx) => {
        await tx`create temp table if not exists bench_recipient (like notice_recipient including defaults) on commit drop`
        await tx`insert into bench_recipient (notice_id, person_id, cell_code, role, full_name, phone) select 0, id, cell_code, role, full_name, phone from grid_person`
      })
      figures.insertMs.push(performance.now() - started)
      // Baseline 2: one incident event to the same clients.
      started = performance.now()
      const report = await post('/api/incidents', { category: 'environment.garbage', severity: 1, title: `基准 ${round}`, location: cell })
      if (report.status !== 201) throw new Error(`incident POST answered ${report.status}`)
      const incident = ((await report.json()) as { id: number }).id
      await until(() => readers.every((r) => r.events.some((e) => e.event === 'incident' && e.data.incidentId === incident)))
      figures.eventMs.push(performance.now() - started)
      for (const r of readers) r.events.length = 0
    }
    return figures
  } finally {
    await Promise.all(readers.map((r) => r.close()))
    await server.close()
  }
}

export function describeNotices(f: NoticeFigures): string[] {
  const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms`
  const n = median(f.noticeMs)
  return [
    `  one notice to ${f.recipients} recipients, ${f.clients} live clients: median ${n.toFixed(0)} ms (${spread(f.noticeMs)}, ${f.noticeMs.length} rounds)`,
    `  of which POST → 201 (rows stored): median ${median(f.postMs).toFixed(0)} ms (${spread(f.postMs)})`,
    `  ÷ bare INSERT of the same rows: ${(n / median(f.insertMs)).toFixed(1)} (${median(f.insertMs).toFixed(0)} ms, ${spread(f.insertMs)})`,
    `  ÷ one incident event to the same clients: ${(n / median(f.eventMs)).toFixed(1)} (${median(f.eventMs).toFixed(0)} ms, ${spread(f.eventMs)})`,
  ]
}
