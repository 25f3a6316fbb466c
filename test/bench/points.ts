/**
 * Binary points for 1,000,000 filtered incidents on PostGIS: bytes per point on the wire (raw and
 * gzip), the server's time to produce GET /api/incidents/points ÷ `COPY (the same query) TO
 * STDOUT (FORMAT binary)` in the same run, and the GeoJSON export's bytes per point for
 * comparison. Loads the synthetic history (support/big-history.ts) into the bench database first.
 */
import postgres from 'postgres'
import { commanderApp } from '../support/auth.ts'
import { readConfig } from '../../server/config.ts'
import { INT8_AS_NUMBER, type Database } from '../../server/db/connect.ts'
import { LiveHub } from '../../server/incidents/live.ts'
import { categoryCodes } from '../../server/incidents/queries.ts'
import { pointsSelect } from '../../server/analytics/points.ts'
import { MAX_POINTS } from '../../server/analytics/types.ts'
import { decodePoints } from '../../server/analytics/points-format.ts'
import { prepareDatabase } from '../../server/server.ts'
import { ensureBigHistory } from './support/big-history.ts'
import { median } from './support/machine.ts'

export interface PointsFigures {
  count: number
  loadMs: number
  rawBytesPerPoint: number
  gzipBytesPerPoint: number
  serverMs: number
  copyMs: number
  copyBytesPerPoint: number
  ratio: number
  gzipServerMs: number
  geojsonBytesPerPoint: number
  geojsonMs: number
  csvBytesPerPoint: number
}

/** Reads a response body to its end, counting bytes without keeping them. */
async function drain(res: Response): Promise<number> {
  let bytes = 0
  const reader = res.body!.getReader()
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength
  return bytes
}

/**
 * Runs a COPY … TO STDOUT and counts its bytes. Read in flowing mode ('data' events): pulling
 * with an async iterator let postgres.js 3.4.9 pause the socket after the stream had asked for
 * more, and the COPY stalled for good (seen twice here).
 */
async function copyBytesOut(sql: postgres.Sql, text: string): Promise<number> {
  const stream = await sql.unsafe(text).readable()
  return new Promise((resolve, reject) => {
    let bytes = 0
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length))
    stream.on('end', () => resolve(bytes))
    stream.on('error', reject)
  })
}

async function timed<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await task()
  return { ms: performance.now() - started, value }
}

/**
 * The points SELECT as SQL text with its parameters written in as literals: COPY takes no bind
 * parameters. The values come from the bench's own fixed filter, never from a request.
 */
async function pointsSelectText(url: string, filter: { from: string; to: string; scope: string }, categories: string[]): Promise<string> {
  let captured: { text: string; parameters: unknown[] } | null = null
  const sql = postgres(url, { max: 1, onnotice: () => {}, debug: (_c, text, parameters) => (captured = { text, parameters }) })
  await sql`${pointsSelect(sql as never, filter, categories, MAX_POINTS + 1)}`.describe()
  await sql.end()
  const { text, parameters } = captured!
  const literal = (value: unknown): string =>
    Array.isArray(value) ? `{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}` : String(value)
  return text.replace(/\$(\d+)/g, (_, n) => `'${literal(parameters[Number(n) - 1]).replace(/'/g, "''")}'`)
}

export async function benchPoints(url: string, target = 1_000_000, runs = 3): Promise<PointsFigures> {
  // Statements on a million rows take seconds: a roomier timeout than the API's default.
  const db: Database = await prepareDatabase(readConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', STATEMENT_TIMEOUT_MS: '120000' }))
  const liveHub = new LiveHub(db.sql)
  try {
    const loaded = await ensureBigHistory(db.sql, target, (done, total) => {
      if (done % 200_000 === 0 || done === total) console.log(`  loading synthetic incidents: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`)
    })
    const filter = { from: loaded.from, to: loaded.to, scope: '440904' } // the commander's scope: the whole district
    const query = `from=${encodeURIComponent(filter.from)}&to=${encodeURIComponent(filter.to)}`
    const app = await commanderApp(db, { liveHub })
    const copyText = `copy (${await pointsSelectText(url, filter, (await categoryCodes(db.sql)).subcategories)}) to stdout (format binary)`
    const copySql = postgres(url, { max: 1, onnotice: () => {}, types: { bigint: INT8_AS_NUMBER } })

    const server: number[] = []
    const copy: number[] = []
    const gzipped: number[] = []
    let rawBytes = 0,
      gzipBytes = 0,
      copyBytes = 0,
      count = 0
    // Alternate the two so drift on a shared machine hits both alike.
    for (let run = 0; run < runs; run++) {
      const response = await timed(async () => new Uint8Array(await (await app.request(`/api/incidents/points?${query}`)).arrayBuffer()))
      server.push(response.ms)
      rawBytes = response.value.byteLength
      count = decodePoints(response.value).count
      const baseline = await timed(() => copyBytesOut(copySql, copyText))
      copy.push(baseline.ms)
      copyBytes = baseline.value
      const zipped = await timed(async () => drain(await app.request(`/api/incidents/points?${query}`, { headers: { 'accept-encoding': 'gzip' } })))
      gzipped.push(zipped.ms)
      gzipBytes = zipped.value
    }
    await copySql.end()
    const geojson = await timed(async () => drain(await app.request(`/api/incidents/export?format=geojson&${query}`)))
    const csvBytes = await drain(await app.request(`/api/incidents/export?format=csv&${query}`))
    return {
      count,
      loadMs: loaded.ms,
      rawBytesPerPoint: rawBytes / count,
      gzipBytesPerPoint: gzipBytes / count,
      serverMs: median(server),
      copyMs: median(copy),
      copyBytesPerPoint: copyBytes / count,
      ratio: median(server) / median(copy),
      gzipServerMs: median(gzipped),
      geojsonBytesPerPoint: geojson.value / count,
      geojsonMs: geojson.ms,
      csvBytesPerPoint: csvBytes / count,
    }
  } finally {
    await liveHub.stop()
    await db.close()
  }
}
