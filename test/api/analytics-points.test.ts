/**
 * The binary points decode to exactly the incidents of the JSON list for the same filter: same
 * order, positions to float32 precision, category, severity, status and time to the hour.
 */
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { decodePoints, pointsLayout, pointTime, POINT_STATUSES, POINTS_MEDIA_TYPE, severityOf, statusIndexOf } from '../../server/analytics/points-format.ts'
import { encodeRecords } from '../../server/analytics/points.ts'
import { STATUSES } from '../../server/incidents/workflow.ts'
import { connectTestDatabase } from '../support/database.ts'
import { pastWindow, shanghaiDay } from './analytics-support.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

interface ListItem {
  id: number
  category: string
  severity: number
  status: string
  reportedAt: string
  location: { lon: number; lat: number }
}

/** Every incident of the filter through the JSON list, oldest first (the points' order). */
async function listAll(query: string): Promise<ListItem[]> {
  const items: ListItem[] = []
  let cursor: string | null = null
  do {
    const page: { items: ListItem[]; nextCursor: string | null } = await (
      await app.request(`/api/incidents?limit=500&${query}${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return items.reverse()
}

describe('GET /api/incidents/points', () => {
  it('decodes to the rows of the JSON list, in order', async () => {
    // A town's disputes and hazards over a past window: ~1,000 rows, untouched by other tests.
    const query = `category=dispute,hazard&grid=440904003&${pastWindow(330, 150)}`
    const res = await app.request(`/api/incidents/points?${query}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(POINTS_MEDIA_TYPE)
    const categories = res.headers.get('x-categories')!.split(',')
    const tree = (await (await app.request('/api/categories')).json()).categories as { children: { code: string }[] }[]
    expect(categories).toEqual(tree.flatMap((c) => c.children.map((s) => s.code)))

    const body = new Uint8Array(await res.arrayBuffer())
    const points = decodePoints(body)
    const rows = await listAll(query)
    expect(rows.length).toBeGreaterThan(500)
    expect(points.count).toBe(rows.length)
    expect(Number(res.headers.get('x-total-count'))).toBe(rows.length)
    expect(body.byteLength).toBe(pointsLayout(rows.length).bytes)
    expect(body.byteLength - 64).toBeLessThanOrEqual(12 * rows.length + 8)

    expect(points.t0).toBe(Date.parse(rows[0]!.reportedAt))
    expect(points.t1).toBe(Date.parse(rows.at(-1)!.reportedAt))
    expect(points.timeUnitSeconds).toBe(3600)
    rows.forEach((row, i) => {
      expect(points.positions[2 * i], `lon of ${row.id}`).toBe(Math.fround(row.location.lon))
      expect(points.positions[2 * i + 1], `lat of ${row.id}`).toBe(Math.fround(row.location.lat))
      expect(categories[points.category[i]!], `category of ${row.id}`).toBe(row.category)
      expect(severityOf(points.severityStatus[i]!), `severity of ${row.id}`).toBe(row.severity)
      expect(POINT_STATUSES[statusIndexOf(points.severityStatus[i]!)], `status of ${row.id}`).toBe(row.status)
      const start = pointTime(points, i)
      const reported = Date.parse(row.reportedAt)
      expect(reported - start, `time of ${row.id}`).toBeGreaterThanOrEqual(0)
      expect(reported - start, `time of ${row.id}`).toBeLessThan(3_600_000)
    })
    const [west, south, east, north] = points.bounds
    expect(west).toBe(Math.min(...rows.map((r) => Math.fround(r.location.lon))))
    expect(north).toBe(Math.max(...rows.map((r) => Math.fround(r.location.lat))))
    expect(south).toBeLessThan(north)
    expect(east).toBeGreaterThan(west)
  })

  it('sends the same bytes gzipped to clients that accept it', async () => {
    const query = `/api/incidents/points?grid=440904003&to=${encodeURIComponent(shanghaiDay(150))}`
    const plain = new Uint8Array(await (await app.request(query)).arrayBuffer())
    const res = await app.request(query, { headers: { 'accept-encoding': 'gzip, deflate' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const zipped = new Uint8Array(await res.arrayBuffer())
    expect(zipped.byteLength).toBeLessThan(plain.byteLength)
    expect(new Uint8Array(gunzipSync(zipped))).toEqual(plain)
  })

  it('takes the earliest points up to limit, still reporting the total', async () => {
    const query = `grid=440904003&to=${encodeURIComponent(shanghaiDay(150))}`
    const all = decodePoints(new Uint8Array(await (await app.request(`/api/incidents/points?${query}`)).arrayBuffer()))
    const res = await app.request(`/api/incidents/points?${query}&limit=10`)
    const first = decodePoints(new Uint8Array(await res.arrayBuffer()))
    expect(first.count).toBe(10)
    expect(Number(res.headers.get('x-total-count'))).toBe(all.count)
    expect(first.positions).toEqual(all.positions.subarray(0, 20))
    expect(first.t0).toBe(all.t0)
  })

  it('answers an empty selection with a header and no points', async () => {
    const res = await app.request('/api/incidents/points?q=%25%25%25')
    const points = decodePoints(new Uint8Array(await res.arrayBuffer()))
    expect(points.count).toBe(0)
    expect(res.headers.get('x-total-count')).toBe('0')
  })
})

describe('points format', () => {
  it('indexes statuses in the workflow order', () => {
    expect([...POINT_STATUSES]).toEqual([...STATUSES])
  })

  it('uses a coarser time unit when the span does not fit 16 bits of hours', () => {
    // Three records spanning 10 years (87,660 hours): big-endian lon, lat, category << 8 | severityStatus, timestamptz.
    const PG_EPOCH = Date.UTC(2000, 0, 1)
    const times = [Date.UTC(2010, 0, 1), Date.UTC(2015, 5, 1, 12), Date.UTC(2020, 0, 1)]
    const records = Buffer.alloc(18 * times.length)
    times.forEach((t, i) => {
      records.writeFloatBE(111.1, 18 * i)
      records.writeFloatBE(21.5, 18 * i + 4)
      records.writeUInt16BE((3 << 8) | ((6 << 3) | 2), 18 * i + 8)
      records.writeBigInt64BE(BigInt(t - PG_EPOCH) * 1000n, 18 * i + 10)
    })
    const points = decodePoints(encodeRecords(records).body)
    expect(points.count).toBe(3)
    expect(points.timeUnitSeconds).toBe(7200)
    expect(points.t0).toBe(times[0])
    times.forEach((t, i) => {
      expect(t - pointTime(points, i)).toBeGreaterThanOrEqual(0)
      expect(t - pointTime(points, i)).toBeLessThan(7_200_000)
    })
    expect(points.category[1]).toBe(3)
    expect(severityOf(points.severityStatus[1]!)).toBe(2)
    expect(POINT_STATUSES[statusIndexOf(points.severityStatus[1]!)]).toBe('closed')
  })

  it('refuses a buffer that is not a points buffer', () => {
    expect(() => decodePoints(new Uint8Array(64))).toThrow(/magic/)
    const truncated = encodeRecords(Buffer.alloc(18 * 4)).body.slice(0, 80)
    expect(() => decodePoints(truncated)).toThrow(/expected/)
  })
})
