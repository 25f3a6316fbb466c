/**
 * Every view of one filter counts the same incidents: the list's total, the summary (total, by
 * category, by town, over time), the binary points, the cells of level 2 and the CSV and GeoJSON
 * exports, for several filters on the seeded demo history.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { decodePoints } from '../../server/analytics/points-format.ts'
import { connectTestDatabase } from '../support/database.ts'
import { pastWindow } from './analytics-support.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

const sum = (xs: { count: number }[]) => xs.reduce((s, x) => s + x.count, 0)

async function countsFor(query: string) {
  const get = async (path: string) => {
    const res = await app.request(`/api/incidents${path}${path.includes('?') ? '&' : '?'}${query}`)
    expect(res.status, `${path} ${query}`).toBe(200)
    return res
  }
  const list = await (await get('?limit=1')).json()
  const summary = await (await get('/summary')).json()
  const points = await get('/points')
  const decoded = decodePoints(new Uint8Array(await points.arrayBuffer()))
  const cells = await (await get('/by-cell?level=2')).json()
  const csv = await (await get('/export?format=csv')).text()
  const geojson = await (await get('/export?format=geojson')).json()
  return {
    list: list.total,
    summary: summary.total,
    byCategory: sum(summary.byCategory),
    byTown: sum(summary.byTown),
    byTime: sum(summary.byTime),
    points: decoded.count,
    pointsHeader: Number(points.headers.get('x-total-count')),
    cells: sum(cells.cells),
    // Header row and the final line break aside, one line per incident (no title holds a line break).
    csv: csv.trimEnd().split('\r\n').length - 1,
    geojson: geojson.features.length,
  }
}

// Reports and escalations made by other test files at the same time (on PostgreSQL they run in
// parallel) can land between two requests: the views must agree on a quiet moment, so a
// disagreement is read again before it counts.
async function agreedCounts(query: string) {
  let counts = await countsFor(query)
  for (let attempt = 0; attempt < 3 && new Set(Object.values(counts)).size > 1; attempt++) counts = await countsFor(query)
  return counts
}

describe('one filter, one count', () => {
  const filters = [
    'category=dispute,hazard.power',
    'range=30d&grid=440904003',
    'grid=440904005204&severity=2,3',
    'q=纠纷&status=closed,dismissed',
    'overdue=1',
    'escalated=1&category=dispute',
    `${pastWindow(330, 270)}&bbox=110.9,21.4,111.2,21.7`,
  ]
  for (const query of filters) {
    it(`agrees across list, summary, points, cells and exports for ${decodeURIComponent(query)}`, async () => {
      const counts = await agreedCounts(query)
      expect(counts.list).toBeGreaterThan(0)
      for (const [view, count] of Object.entries(counts)) expect(count, view).toBe(counts.list)
    })
  }

  it('adds up within one summary of the whole history, in one snapshot', async () => {
    const summary = await (await app.request('/api/incidents/summary?bucket=month')).json()
    expect(summary.total).toBeGreaterThan(0)
    for (const part of ['byCategory', 'byTown', 'byTime'] as const) expect(sum(summary[part]), part).toBe(summary.total)
    expect(summary.open + summary.closed).toBeLessThanOrEqual(summary.total)
  })
})
