/**
 * 环比 and 同比 in the analyst's summary: the window against the one of the same length just
 * before it, and against the same dates a year earlier, each checked against a recount in SQL.
 * The test reports its own cases (a title no other file uses) and dates them into the three
 * windows, so the counts are exact even while other files report into the same towns. The windows
 * are two years back, before the demo history: the analyst's browser test counts disputes of the
 * last year and must not see these appear while it compares two counts. Not further: a summary of
 * the whole history by day spans at most 1,500 days, and these cases stay in the database.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { yearEarlier } from '../../server/analytics/summary.ts'
import { commanderApp } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'
import { shanghaiDay } from './analytics-support.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

const DAY = 86_400_000
const TOKEN = `环同比${Date.now().toString(36)}`
/** 蓝田坡村委会 of 电海街道. */
const VILLAGE = '440904004204'

async function reportAt(reportedAt: Date, category: string): Promise<number> {
  const [lon, lat] = ((await (await app.request(`/api/grids/${VILLAGE}`)).json()) as { labelPoint: [number, number] }).labelPoint
  const res = await app.request('/api/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category, severity: 2, title: `${TOKEN} 对比测试`, location: { lon, lat } }),
  })
  expect(res.status).toBe(201)
  const { id } = (await res.json()) as { id: number }
  await db.sql`update incident set reported_at = ${reportedAt.toISOString()}::timestamptz where id = ${id}`
  return id
}

interface Comparison {
  basis: string
  current: { from: string; to: string; total: number }
  previous: { from: string; to: string; total: number }
  byCategory: { code: string; current: number; previous: number; change: number; changeRate: number | null }[]
  byTown: { code: string; current: number; previous: number }[]
}

describe('period comparison in /api/incidents/summary', () => {
  it('knows the same moment a year earlier in China time, 29 February included', () => {
    expect(new Date(yearEarlier(Date.parse('2026-10-01T00:00:00+08:00'))).toISOString()).toBe(new Date('2025-10-01T00:00:00+08:00').toISOString())
    expect(new Date(yearEarlier(Date.parse('2024-02-29T12:00:00+08:00'))).toISOString()).toBe(new Date('2023-02-28T12:00:00+08:00').toISOString())
    // Midnight of 1 January in China is still 31 December in UTC: the year is China's.
    expect(new Date(yearEarlier(Date.parse('2026-01-01T00:00:00+08:00'))).toISOString()).toBe('2024-12-31T16:00:00.000Z')
  })

  it('offers 环比 (previous window) and 同比 (a year earlier), each equal to a recount', async () => {
    const [from, to] = [Date.parse(shanghaiDay(750)), Date.parse(shanghaiDay(740))]
    const lastYearFrom = yearEarlier(from)
    // Current window: 3 neighbour disputes + 1 land dispute; previous window: 2; a year earlier: 1 + 4.
    for (const day of [1, 4, 7]) await reportAt(new Date(from + day * DAY), 'dispute.neighbour')
    await reportAt(new Date(from + 2 * DAY), 'dispute.land')
    for (const day of [3, 8]) await reportAt(new Date(from - 10 * DAY + day * DAY), 'dispute.neighbour')
    await reportAt(new Date(lastYearFrom + 5 * DAY), 'dispute.neighbour')
    for (const day of [0, 1, 2, 9]) await reportAt(new Date(lastYearFrom + day * DAY + 3_600_000), 'dispute.land')
    // Outside every window: the day after the year-earlier window ends.
    await reportAt(new Date(yearEarlier(to) + 3_600_000), 'dispute.land')

    const res = await app.request(
      `/api/incidents/summary?q=${encodeURIComponent(TOKEN)}&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`,
    )
    expect(res.status).toBe(200)
    const summary = (await res.json()) as { total: number; comparison: Comparison; yearOnYear: Comparison }
    const iso = (ms: number) => new Date(ms).toISOString()

    expect(summary.comparison.basis).toBe('previous')
    expect(summary.comparison.current).toEqual({ from: iso(from), to: iso(to), total: 4 })
    expect(summary.comparison.previous).toEqual({ from: iso(from - (to - from)), to: iso(from), total: 2 })
    expect(summary.yearOnYear.basis).toBe('year')
    expect(summary.yearOnYear.current).toEqual(summary.comparison.current)
    expect(summary.yearOnYear.previous).toEqual({ from: iso(lastYearFrom), to: iso(yearEarlier(to)), total: 5 })

    // The same figures recounted in SQL over the stored rows.
    const recount = async (a: number, b: number) => {
      const rows = await db.sql<{ category: string; n: number }[]>`
        select category, count(*)::int as n from incident
        where position(${TOKEN} in title) > 0 and reported_at >= ${iso(a)}::timestamptz and reported_at < ${iso(b)}::timestamptz
        group by 1`
      return new Map(rows.map((r) => [r.category, r.n]))
    }
    const [now, before, lastYear] = await Promise.all([recount(from, to), recount(from - (to - from), from), recount(lastYearFrom, yearEarlier(to))])
    for (const [comparison, earlier] of [
      [summary.comparison, before],
      [summary.yearOnYear, lastYear],
    ] as const) {
      for (const code of ['dispute.neighbour', 'dispute.land']) {
        const row = comparison.byCategory.find((c) => c.code === code)!
        expect(row.current).toBe(now.get(code) ?? 0)
        expect(row.previous).toBe(earlier.get(code) ?? 0)
        expect(row.change).toBe(row.current - row.previous)
        expect(row.changeRate).toBe(row.previous ? (row.current - row.previous) / row.previous : null)
      }
      expect(comparison.byTown).toEqual([
        expect.objectContaining({ code: '440904004', current: comparison.current.total, previous: comparison.previous.total }),
      ])
    }
    expect(summary.yearOnYear.byCategory.find((c) => c.code === 'dispute.land')).toMatchObject({ current: 1, previous: 4, change: -3, changeRate: -0.75 })
  })
})
