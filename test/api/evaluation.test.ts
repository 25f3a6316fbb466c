/**
 * The evaluation API: indicator counts equal an independent recount from the raw case rows and
 * their event logs; a period without cases gives no scores (null, never zero); the viewer's scope
 * narrows the grid and hides other towns; bad parameters are 400s naming them.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { asViewer, commanderApp, signIn } from '../support/auth.ts'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { parsePeriod } from '../../server/evaluation/period.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

const TOWN = '440904004'
const PERIOD = '2026-10'

interface Raw {
  grid_code: string
  category: string
  status: string
  handling_level: number
  due_at: Date
  source: string
  actions: string[]
  finish_at: Date | null
}

/** Counts per child cell, recounted in JavaScript from the rows (not from the evaluation SQL). */
async function recount(prefix: string, keyLength: number, period: string) {
  const p = parsePeriod(period)!
  const rows = await db.sql<Raw[]>`
    select i.grid_code, i.category, i.status, i.handling_level, i.due_at, i.source,
      array(select action from incident_event e where e.incident_id = i.id order by e.id) as actions,
      (select min(at) from incident_event e where e.incident_id = i.id and e.action = 'finish') as finish_at
    from incident i where i.grid_code like ${prefix + '%'} and i.reported_at >= ${p.from} and i.reported_at < ${p.to}`
  const asOf = Math.min(Date.now(), Date.parse(p.to))
  const out = new Map<string, Record<string, number>>()
  for (const r of rows) {
    const key = r.grid_code.slice(0, keyLength)
    const c = out.get(key) ?? {
      reports: 0,
      registered: 0,
      handled: 0,
      handledOnTime: 0,
      closed: 0,
      reopened: 0,
      overdue: 0,
      closedInGrid: 0,
      closedInTown: 0,
      disputes: 0,
      disputesClosed: 0,
    }
    const registered = r.actions.includes('register')
    const closed = r.status === 'closed'
    const dispute = r.category.startsWith('dispute')
    c.reports! += 1
    if (registered) c.registered! += 1
    if (r.finish_at) c.handled! += 1
    if (r.finish_at && r.finish_at <= r.due_at) c.handledOnTime! += 1
    if (closed) c.closed! += 1
    if (r.actions.includes('reopen')) c.reopened! += 1
    if (registered && r.due_at.getTime() < asOf && (!r.finish_at || r.finish_at > r.due_at)) c.overdue! += 1
    if (closed && r.handling_level >= 4) c.closedInGrid! += 1
    if (closed && r.handling_level >= 2) c.closedInTown! += 1
    if (dispute && registered) c.disputes! += 1
    if (dispute && closed) c.disputesClosed! += 1
    out.set(key, c)
  }
  return out
}

describe('GET /api/evaluation', () => {
  it('counts every indicator as a recount of the rows does, for the villages of a town', async () => {
    const res = await app.request(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3`)
    expect(res.status).toBe(200)
    const body = await res.json()
    const expected = await recount(TOWN, 12, PERIOD)
    expect(body.cells.length).toBeGreaterThan(3)
    expect(expected.size).toBeGreaterThan(3)
    for (const cell of body.cells) {
      const { meanHoursToClose, ...counts } = cell.counts
      expect(counts, cell.code).toEqual(
        expected.get(cell.code) ?? {
          reports: 0,
          registered: 0,
          handled: 0,
          handledOnTime: 0,
          closed: 0,
          reopened: 0,
          overdue: 0,
          closedInGrid: 0,
          closedInTown: 0,
          disputes: 0,
          disputesClosed: 0,
        },
      )
      if (counts.registered > 0) expect(cell.indicators.closureRate).toBeCloseTo(counts.closed / counts.registered, 10)
      if (counts.reports === 0) expect(cell.score).toBeNull()
      else expect(cell.score).toBeGreaterThanOrEqual(0)
    }
    const total = [...expected.values()].reduce((s, c) => s + c.reports!, 0)
    expect(body.self.counts.reports).toBe(total)
    // The town is scored among the towns of the district, which the commander sees.
    expect(body.self.score).not.toBeNull()
    expect(body.self.peers).toBeGreaterThan(10)
  })

  it('gives no score, not zero, to cells without cases in the period', async () => {
    const body = await (await app.request(`/api/evaluation?grid=${TOWN}&period=2027-06&level=3`)).json()
    expect(body.cells.length).toBeGreaterThan(3)
    for (const cell of body.cells) {
      expect(cell.counts.reports).toBe(0)
      expect(cell.score).toBeNull()
      expect(cell.rank).toBeNull()
      expect(Object.values(cell.indicators).every((v) => v === null)).toBe(true)
    }
  })

  it('scores workers by household group, names masked', async () => {
    const village = `${TOWN}001`
    const body = await (await app.request(`/api/evaluation/workers?grid=${village}&period=${PERIOD}`)).json()
    const expected = await recount(village, 18, PERIOD)
    expect(body.workers.length).toBeGreaterThan(3)
    for (const w of body.workers) {
      expect(w.counts.reports).toBe(expected.get(w.cellCode)?.reports ?? 0)
      if (w.worker !== null) expect(w.worker).toMatch(/^.\*$/)
    }
    expect(body.workers.some((w: { score: number | null }) => w.score !== null)).toBe(true)
  })

  it('exports CSV with a BOM and one row per cell', async () => {
    const res = await app.request(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3&format=csv`)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    const lines = text.trim().split('\r\n')
    const json = await (await app.request(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3`)).json()
    expect(lines.length).toBe(json.cells.length + 1)
    expect(lines[0]).toContain('closureRate')
  })

  it('keeps a town leader inside their town', async () => {
    const leader = asViewer(createApp(db), await signIn(db, 'town_leader', TOWN))
    const clamped = await (await leader.request(`/api/evaluation?grid=440904&period=${PERIOD}`)).json()
    expect(clamped.grid.code).toBe(TOWN)
    expect(clamped.cells.every((c: { code: string }) => c.code.startsWith(TOWN))).toBe(true)
    // Their town has no peers they may see: counted, not ranked against other towns.
    expect(clamped.self.peers).toBe(0)
    expect((await leader.request(`/api/evaluation?grid=440904001&period=${PERIOD}`)).status).toBe(404)
    expect((await leader.request(`/api/evaluation/workers?grid=440904001001&period=${PERIOD}`)).status).toBe(404)
    expect((await leader.request(`/api/evaluation/report?grid=440904001&period=${PERIOD}`)).status).toBe(404)
  })

  it('answers bad parameters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['/api/evaluation?period=2026-13', 'period'],
      ['/api/evaluation?period=2026-W54', 'period'],
      ['/api/evaluation?period=2025-W53', 'period'],
      ['/api/evaluation', 'period'],
      ['/api/evaluation?period=2026-11&grid=4409', 'grid'],
      ['/api/evaluation?period=2026-11&level=1', 'level'],
      [`/api/evaluation?period=2026-11&grid=${TOWN}&level=2`, 'level'],
      ['/api/evaluation?period=2026-11&format=xls', 'format'],
      ['/api/evaluation/workers?period=11-2026', 'period'],
      ['/api/evaluation/report?period=2026-11&grid=x', 'grid'],
    ]
    for (const [path, name] of cases) {
      const res = await app.request(path)
      expect(res.status, path).toBe(400)
      const problem = await res.json()
      expect(
        problem.invalidParams.map((p: { name: string }) => p.name),
        path,
      ).toContain(name)
      expect(JSON.stringify(problem)).not.toMatch(/select|incident i|stack/i)
    }
  })

  it('reports a grid with 环比 and 同比 periods, categories and overdue cases', async () => {
    const body = await (await app.request(`/api/evaluation/report?grid=${TOWN}&period=${PERIOD}`)).json()
    expect(body.previousPeriod.label).toBe('2026-09')
    expect(body.lastYearPeriod.label).toBe('2025-10')
    const recounted = await recount(TOWN, 9, '2026-09')
    expect(body.previous.counts.reports).toBe(recounted.get(TOWN)?.reports ?? 0)
    expect(body.categories.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBeLessThanOrEqual(body.current.counts.reports)
    expect(body.overdue.length).toBe(Math.min(20, body.current.counts.overdue))
    expect(JSON.stringify(body)).not.toMatch(/parties|phone|idNumber/)
  })
})
