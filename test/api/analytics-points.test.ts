/**
 * The binary points decode to exactly the incidents of the JSON list for the same filter: same
 * order, positions to float32 precision, category, severity, status and time to the minute. A
 * window of whole minutes cut from wider points by their time column, as the GPU compares it,
 * keeps exactly the points the server returns for that window, a second or a microsecond either
 * side of its bounds included; the points carry the window the server selected.
 */
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import {
  decodePoints,
  pointsLayout,
  pointTime,
  POINT_STATUSES,
  POINTS_MEDIA_TYPE,
  severityOf,
  statusIndexOf,
  timeBoundOf,
} from '../../server/analytics/points-format.ts'
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
    expect(body.byteLength - 64).toBeLessThanOrEqual(14 * rows.length + 8)

    expect(points.t0).toBe(Math.floor(Date.parse(rows[0]!.reportedAt) / 60_000) * 60_000)
    expect(points.t1).toBe(Date.parse(rows.at(-1)!.reportedAt))
    expect(points.timeUnitSeconds).toBe(60)
    const [from, to] = decodeURIComponent(query)
      .match(/from=([^&]+)&to=([^&]+)/)!
      .slice(1)
    expect([points.windowFrom, points.windowTo]).toEqual([Date.parse(from!), Date.parse(to!)])
    rows.forEach((row, i) => {
      expect(points.positions[2 * i], `lon of ${row.id}`).toBe(Math.fround(row.location.lon))
      expect(points.positions[2 * i + 1], `lat of ${row.id}`).toBe(Math.fround(row.location.lat))
      expect(categories[points.category[i]!], `category of ${row.id}`).toBe(row.category)
      expect(severityOf(points.severityStatus[i]!), `severity of ${row.id}`).toBe(row.severity)
      expect(POINT_STATUSES[statusIndexOf(points.severityStatus[i]!)], `status of ${row.id}`).toBe(row.status)
      const start = pointTime(points, i)
      const reported = Date.parse(row.reportedAt)
      expect(reported - start, `time of ${row.id}`).toBeGreaterThanOrEqual(0)
      expect(reported - start, `time of ${row.id}`).toBeLessThan(60_000)
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

  it('carries a relative range as the server resolved it', async () => {
    const before = Date.now()
    const points = decodePoints(new Uint8Array(await (await app.request('/api/incidents/points?range=30d&grid=440904003')).arrayBuffer()))
    expect(points.windowTo).toBeGreaterThanOrEqual(before)
    expect(points.windowTo).toBeLessThanOrEqual(Date.now())
    expect(points.windowTo - points.windowFrom).toBe(30 * 86_400_000)
    const open = decodePoints(
      new Uint8Array(await (await app.request(`/api/incidents/points?grid=440904003&to=${encodeURIComponent(shanghaiDay(150))}`)).arrayBuffer()),
    )
    expect([open.windowFrom, open.windowTo]).toEqual([-Infinity, Date.parse(shanghaiDay(150))])
  })

  it('cuts a window of whole minutes from wider points exactly as the server selects it', async () => {
    // Cases a second and a microsecond either side of two minute bounds, years before the demo history.
    const from = Date.UTC(2003, 4, 6, 1, 30)
    const to = Date.UTC(2003, 4, 6, 9, 45)
    const offsets = [-1_000_000, -1, 0, 1, 1_000_000, 59_999_999]
    const micros = [...offsets.map((us) => [from, us] as const), [from, 3_600_000_000] as const, ...offsets.map((us) => [to, us] as const)]
    const [cell] = await db.sql<{ code: string }[]>`select code from grid_cell where level = 5 and code like '440904003%' order by code limit 1`
    const [category] = await db.sql<{ code: string }[]>`select code from incident_category where parent_code is not null order by sort limit 1`
    for (const [i, [bound, us]] of micros.entries()) {
      // Each case its own severity and status, so the order of those kept tells which they are.
      await db.sql`
        insert into incident (category, severity, title, source, reporter, occurred_at, reported_at, location, grid_code, status, due_at)
        select ${category!.code}, ${1 + (i % 4)}, '分钟边界', 'patrol', 'test:minute-bounds',
               to_timestamp(${bound / 1000}) + make_interval(secs => ${us / 1_000_000}),
               to_timestamp(${bound / 1000}) + make_interval(secs => ${us / 1_000_000}),
               ST_PointOnSurface(geom), code, ${POINT_STATUSES[i % 8]!}, now() + interval '1 day'
        from grid_cell where code = ${cell!.code}`
    }
    try {
      const points = async (a: number, b: number) => {
        const res = await app.request(`/api/incidents/points?grid=${cell!.code}&from=${new Date(a).toISOString()}&to=${new Date(b).toISOString()}`)
        expect(res.status).toBe(200)
        return decodePoints(new Uint8Array(await res.arrayBuffer()))
      }
      const wide = await points(from - 3_600_000, to + 3_600_000)
      expect(wide.count).toBe(micros.length)
      // The GPU's comparison: float32 time units, inclusive of the first and the last unit kept.
      const [first, last] = [Math.fround(timeBoundOf(wide, from)), Math.fround(timeBoundOf(wide, to) - 1)]
      const kept = [...wide.severityStatus].filter((_, i) => Math.fround(wide.time[i]!) >= first && Math.fround(wide.time[i]!) <= last)
      const narrow = await points(from, to)
      // At and after `from` (4 cases and the one an hour later), before `to` (2 cases).
      expect(narrow.count).toBe(7)
      expect(kept).toEqual([...narrow.severityStatus])
    } finally {
      await db.sql`delete from incident where reporter = 'test:minute-bounds'`
    }
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

  it('uses a coarser time unit when the span does not fit 2^24 minutes', () => {
    // Three records spanning 40 years (21,038,400 minutes): big-endian lon, lat, category << 8 | severityStatus, timestamptz.
    const PG_EPOCH = Date.UTC(2000, 0, 1)
    const times = [Date.UTC(1980, 0, 1), Date.UTC(2015, 5, 1, 12), Date.UTC(2020, 0, 1)]
    const records = Buffer.alloc(18 * times.length)
    times.forEach((t, i) => {
      records.writeFloatBE(111.1, 18 * i)
      records.writeFloatBE(21.5, 18 * i + 4)
      records.writeUInt16BE((3 << 8) | ((6 << 3) | 2), 18 * i + 8)
      records.writeBigInt64BE(BigInt(t - PG_EPOCH) * 1000n, 18 * i + 10)
    })
    const points = decodePoints(encodeRecords(records).body)
    expect(points.count).toBe(3)
    expect(points.timeUnitSeconds).toBe(120)
    expect(points.t0).toBe(times[0])
    times.forEach((t, i) => {
      expect(t - pointTime(points, i)).toBeGreaterThanOrEqual(0)
      expect(t - pointTime(points, i)).toBeLessThan(120_000)
      expect(points.time[i]).toBeLessThan(2 ** 24)
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
