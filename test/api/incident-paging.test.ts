/**
 * Keyset paging returns every row exactly once: 2,000 reports written concurrently (reports
 * written together share a time, kept in microseconds) walked page by page at several limits
 * must give exactly `total` rows, each id once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
const app = await commanderApp(db, { access: { writesPerMinute: 100_000 } })
afterAll(() => db.close())

const REPORTS = 2000
const token = `paging${Date.now().toString(36)}`
// The window from this run's start keeps each page's count on the reported_at index.
const since = encodeURIComponent(new Date(Date.now() - 60_000).toISOString())

beforeAll(async () => {
  const village = await (await app.request('/api/grids/440904004001')).json()
  const location = { lon: village.labelPoint[0], lat: village.labelPoint[1] }
  for (let start = 0; start < REPORTS; start += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, REPORTS - start) }, (_, k) =>
        app.request('/api/incidents', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'dispute.neighbour', severity: 1, title: `${token} ${start + k}`, location }),
        }),
      ),
    )
    expect(batch.every((res) => res.status === 201)).toBe(true)
  }
}, 240_000)

describe('GET /api/incidents paging', () => {
  it('the reports share times, so milliseconds alone could not tell them apart', async () => {
    const [row] = await db.sql<{ times: number }[]>`select count(distinct reported_at) as times from incident where title like ${token + ' %'}`
    expect(row!.times).toBeLessThan(REPORTS)
  })

  for (const limit of [50, 7, 500]) {
    it(`walks every row exactly once at limit=${limit}`, { timeout: 120_000 }, async () => {
      const seen: number[] = []
      let cursor: string | null = null
      let total = -1
      do {
        const res = await app.request(`/api/incidents?q=${token}&from=${since}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.status).toBe(200)
        const page = (await res.json()) as { items: { id: number; reportedAt: string }[]; total: number; nextCursor: string | null }
        total = page.total
        seen.push(...page.items.map((i) => i.id))
        cursor = page.nextCursor
      } while (cursor)
      expect(total).toBe(REPORTS)
      expect(seen).toHaveLength(REPORTS)
      expect(new Set(seen).size).toBe(REPORTS)
    })
  }
})
