/**
 * Grid workers' field work: photo upload throughput (POST /api/incidents/:id/attachments over
 * HTTP, 4 at a time) ÷ writing the same bytes to files with fdatasync (what storing a photo on
 * disk would cost at least), and the coverage of the whole district over 30 days (GET
 * /api/coverage over HTTP) ÷ the same aggregate statements run directly through postgres.js.
 * The district needs 30 days of patrols: the demo's are seeded into the bench database first.
 */
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Database } from '../../server/db/connect.ts'
import { coverageByCell } from '../../server/coverage/queries.ts'
import { DEMO_PATROL_DAYS, seedDemoPatrolDay } from '../../server/demo/patrols.ts'
import { median } from './support/machine.ts'
import { serveApp } from './support/bench-server.ts'

const PHOTOS = 24
const CONCURRENCY = 4

/** Distinct camera-like JPEGs (noise does not compress): 2048×1536, about 1–2 MB each. */
async function makePhotos(): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: PHOTOS }, (_, i) =>
      sharp({
        create: { width: 2048, height: 1536, channels: 3, background: { r: 40 + i * 7, g: 90, b: 140 }, noise: { type: 'gaussian', mean: 120 + i, sigma: 40 } },
      })
        .jpeg({ quality: 85 })
        .toBuffer(),
    ),
  )
}

async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++)
    }),
  )
}

export interface UploadFigures {
  photos: number
  meanBytes: number
  uploadMBps: number
  diskMBps: number
  ratio: number
  runs: number[]
}

export async function benchPhotoUpload(db: Database): Promise<UploadFigures> {
  const photos = await makePhotos()
  const total = photos.reduce((n, p) => n + p.length, 0)
  const server = await serveApp(db)
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-photos-'))
  const [cell] = await db.sql<{ lon: number; lat: number }[]>`
    select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where level = 5 and ST_Covers(geom, label_point) order by code limit 1`
  const headers = { cookie: server.cookie, 'sec-fetch-site': 'same-origin' }
  const uploadRuns: number[] = []
  const diskRuns: number[] = []
  try {
    for (let run = 0; run < 3; run++) {
      // A fresh case per run: the same photo on the same case would be answered as a replay.
      const created = await fetch(`${server.url}/api/incidents`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'environment.garbage', severity: 1, title: `照片基准 ${run}`, location: cell }),
      })
      const { id } = (await created.json()) as { id: number }
      let started = performance.now()
      await pool(photos.length, CONCURRENCY, async (i) => {
        const form = new FormData()
        form.append('file', new Blob([new Uint8Array(photos[i]!)], { type: 'image/jpeg' }), `p${i}.jpg`)
        const res = await fetch(`${server.url}/api/incidents/${id}/attachments`, { method: 'POST', body: form, headers })
        if (res.status !== 201) throw new Error(`upload ${i}: ${res.status} ${await res.text()}`)
        await res.arrayBuffer()
      })
      uploadRuns.push(performance.now() - started)
      started = performance.now()
      await pool(photos.length, CONCURRENCY, async (i) => {
        const file = await open(join(dir, `run${run}-p${i}.jpg`), 'w')
        await file.write(photos[i]!)
        await file.datasync()
        await file.close()
      })
      diskRuns.push(performance.now() - started)
    }
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
  const mb = total / 1e6
  const uploadMBps = mb / (median(uploadRuns) / 1000)
  const diskMBps = mb / (median(diskRuns) / 1000)
  return { photos: photos.length, meanBytes: total / photos.length, uploadMBps, diskMBps, ratio: uploadMBps / diskMBps, runs: uploadRuns }
}

export interface CoverageFigures {
  positions: number
  httpMs: number
  sqlMs: number
  ratio: number
  spread: [number, number]
}

export async function benchCoverage(db: Database, onProgress: (message: string) => void): Promise<CoverageFigures> {
  for (let daysAgo = 1; daysAgo <= DEMO_PATROL_DAYS; daysAgo++) {
    const [has] = await db.sql`
      select 1 from patrol where user_id is null
        and started_at >= (date_trunc('day', now() at time zone 'Asia/Shanghai') - make_interval(days => ${daysAgo}::int)) at time zone 'Asia/Shanghai'
        and started_at < (date_trunc('day', now() at time zone 'Asia/Shanghai') - make_interval(days => ${daysAgo - 1}::int)) at time zone 'Asia/Shanghai' limit 1`
    if (!has) {
      await seedDemoPatrolDay(db.sql, daysAgo)
      onProgress(`demo patrols: day ${daysAgo}/${DEMO_PATROL_DAYS} seeded`)
    }
  }
  const to = new Date()
  const from = new Date(to.getTime() - 30 * 86_400_000)
  const [{ n }] = (await db.sql<{ n: number }[]>`select count(*)::int as n from patrol_position where t >= ${from} and t < ${to}`) as unknown as [{ n: number }]
  const server = await serveApp(db)
  const http: number[] = []
  const direct: number[] = []
  try {
    const url = `${server.url}/api/coverage?grid=440904&from=${from.toISOString()}&to=${to.toISOString()}`
    await (await fetch(url, { headers: { cookie: server.cookie } })).arrayBuffer() // warm
    for (let i = 0; i < 7; i++) {
      let started = performance.now()
      const res = await fetch(url, { headers: { cookie: server.cookie } })
      if (res.status !== 200) throw new Error(`coverage: ${res.status}`)
      await res.arrayBuffer()
      http.push(performance.now() - started)
      started = performance.now()
      await coverageByCell(db.sql, '440904', from, to)
      direct.push(performance.now() - started)
    }
  } finally {
    await server.close()
  }
  const ratios = http.map((h, i) => h / direct[i]!).sort((a, b) => a - b)
  return { positions: n, httpMs: median(http), sqlMs: median(direct), ratio: median(http) / median(direct), spread: [ratios[0]!, ratios[ratios.length - 1]!] }
}
