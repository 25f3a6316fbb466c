/**
 * Every incident endpoint rejects bad filter values the same way: 400 problem+json naming the
 * parameter; and every size is bounded.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { parseIncidentFilter } from '../../server/incidents/queries.ts'
import { HttpProblem } from '../../server/http/problem.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

const ENDPOINTS = [
  '/api/incidents?',
  '/api/incidents/summary?',
  '/api/incidents/points?',
  '/api/incidents/by-cell?level=2&',
  '/api/incidents/export?format=csv&',
]

const BAD_FILTERS: [query: string, parameter: string][] = [
  ['category=nope', 'category'],
  ['category=dispute,Hazard!', 'category'],
  ['category=dispute.nope', 'category'],
  ['status=open', 'status'],
  ['severity=5', 'severity'],
  ['severity=1,x', 'severity'],
  ['grid=44090', 'grid'],
  ['bbox=110,21,111', 'bbox'],
  ['from=yesterday', 'from'],
  ['to=2026-13-01T00:00:00Z', 'to'],
  ['from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'to'],
  ['range=1y', 'range'],
  ['range=7d&from=2026-01-01T00:00:00Z', 'range'],
  ['overdue=yes', 'overdue'],
  ['escalated=2', 'escalated'],
  [`q=${'长'.repeat(101)}`, 'q'],
]

describe('invalid filter values', () => {
  for (const [query, parameter] of BAD_FILTERS) {
    it(`answers ${query.slice(0, 40)} with 400 naming ${parameter} on every endpoint`, async () => {
      for (const endpoint of ENDPOINTS) {
        const res = await app.request(endpoint + query)
        expect(res.status, endpoint).toBe(400)
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
        const problem = await res.json()
        expect(
          problem.invalidParams.map((p: { name: string }) => p.name),
          endpoint,
        ).toContain(parameter)
        expect(JSON.stringify(problem)).not.toMatch(/select|incident i|stack/i)
      }
    })
  }

  it('names the endpoint parameters too', async () => {
    const cases: [string, string][] = [
      ['/api/incidents/summary?bucket=year', 'bucket'],
      ['/api/incidents/by-cell?level=-1', 'level'],
      ['/api/incidents/by-cell', 'level'],
      ['/api/incidents/export?format=xls', 'format'],
      ['/api/incidents/export', 'format'],
      ['/api/incidents/points?limit=0', 'limit'],
      ['/api/incidents/points?limit=2000001', 'limit'],
      ['/api/incidents?limit=501', 'limit'],
    ]
    for (const [path, parameter] of cases) {
      const res = await app.request(path)
      expect(res.status, path).toBe(400)
      expect(
        (await res.json()).invalidParams.map((p: { name: string }) => p.name),
        path,
      ).toContain(parameter)
    }
  })

  it('keeps the list working for a single category and the existing parameters', async () => {
    // A window ending now: reports other files make meanwhile fall outside both counts.
    const window = `from=2000-01-01T00:00:00Z&to=${encodeURIComponent(new Date().toISOString())}`
    const one = await (await app.request(`/api/incidents?limit=1&category=dispute&${window}`)).json()
    const two = await (await app.request(`/api/incidents?limit=1&category=dispute,dispute&${window}`)).json()
    expect(one.total).toBeGreaterThan(0)
    expect(two.total).toBe(one.total)
  })
})

describe('bounds', () => {
  it('refuses day buckets over a window longer than the bucket cap', async () => {
    const res = await app.request('/api/incidents/summary?from=2000-01-01T00:00:00Z&bucket=day')
    expect(res.status).toBe(400)
    expect((await res.json()).invalidParams[0].name).toBe('bucket')
    expect((await app.request('/api/incidents/summary?from=2000-01-01T00:00:00Z&bucket=month')).status).toBe(200)
  })

  it('resolves range to a window ending now', async () => {
    const before = Date.now()
    const summary = await (await app.request('/api/incidents/summary?range=7d')).json()
    const { from, to } = summary.comparison.current
    expect(Date.parse(to)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(to) - Date.parse(from)).toBe(7 * 86_400_000)
    expect(summary.byTime.length).toBeGreaterThanOrEqual(7)
    expect(summary.byTime.length).toBeLessThanOrEqual(8)
  })
})

describe('parseIncidentFilter', () => {
  it('parses search parameters into the filter every endpoint applies', async () => {
    const filter = await parseIncidentFilter(db.sql, new URLSearchParams('category=dispute,hazard.power&severity=3,4&range=24h&q=漏水'))
    expect(filter).toMatchObject({ category: ['dispute', 'hazard.power'], severity: [3, 4], q: '漏水' })
    expect(Date.parse(filter.to!) - Date.parse(filter.from!)).toBe(86_400_000)
  })

  it('throws the 400 problem naming the parameter', async () => {
    await expect(parseIncidentFilter(db.sql, { category: 'nope' })).rejects.toMatchObject({ status: 400, invalidParams: [{ name: 'category' }] })
    await expect(parseIncidentFilter(db.sql, { status: 'open' })).rejects.toBeInstanceOf(HttpProblem)
  })
})
