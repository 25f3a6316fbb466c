/**
 * The 12-month demo history of incidents (server/demo/history.ts): determinism, volume and
 * mix, outcomes (disputes resolved, cases closed inside the grid, a few escalations up to the
 * district, overdue open cases), every timeline a valid walk of the workflow ending in the
 * incident's state, the spatial and temporal rhythm, synthetic parties; then, inserted into the
 * shared test database inside a transaction that is rolled back, the grid codes agree with
 * PostGIS ST_Covers and event ids follow time order.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateHistory, insertHistory, loadIncidentCells, type HistoryIncident, type IncidentCell } from '../../server/demo/history.ts'
import { idCheckCharacter } from '../../server/demo/model.ts'
import { readCategories, type Category } from '../../server/incidents/categories.ts'
import { getIncident } from '../../server/incidents/queries.ts'
import { initialLevel, isOpen, nextState, type Action, type CaseState } from '../../server/incidents/workflow.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
const END = new Date('2026-03-01T02:00:00Z')
const SPRING_FESTIVAL_2026 = Date.parse('2026-02-17T00:00:00+08:00')
const DAY = 86_400_000
const HOUR = 3_600_000
const DIANHAI = '440904004'

let cells: IncidentCell[]
let categories: Category[]
let history: HistoryIncident[]
const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex')
const t = (iso: string) => Date.parse(iso)
const share = (items: HistoryIncident[], test: (h: HistoryIncident) => boolean) => items.filter(test).length / items.length
const localHour = (iso: string) => new Date(t(iso) + 8 * HOUR).getUTCHours()

beforeAll(async () => {
  cells = await loadIncidentCells(db.sql)
  categories = await readCategories()
  history = generateHistory({ cells, categories, end: END })
}, 120_000)

afterAll(async () => {
  await db.close()
})

describe('generateHistory', () => {
  it('is deterministic: the same grid, categories and end give the same history', () => {
    const again = generateHistory({ cells: [...cells].reverse(), categories, end: END })
    expect(sha256(again)).toBe(sha256(history))
    const later = generateHistory({ cells, categories, end: new Date(END.getTime() + DAY), targetCount: 500 })
    expect(sha256(later)).not.toBe(sha256(history.slice(0, 500)))
  })

  it('covers the 12 months before end with tens of thousands of incidents in a realistic mix', () => {
    expect(history).toHaveLength(40_000)
    const reported = history.map((h) => t(h.reportedAt))
    expect(Math.min(...reported)).toBeGreaterThanOrEqual(END.getTime() - 365 * DAY)
    expect(Math.max(...reported)).toBeLessThan(END.getTime())
    expect(reported.every((r, i) => i === 0 || r >= reported[i - 1]!)).toBe(true)
    const events = history.reduce((n, h) => n + h.events.length, 0)
    expect(events).toBeGreaterThan(5 * history.length)
    expect(events).toBeLessThan(9 * history.length)
    const group = (g: string) => share(history, (h) => h.category.startsWith(`${g}.`))
    expect(group('dispute')).toBeGreaterThan(0.15)
    expect(group('dispute')).toBeLessThan(0.3)
    expect(group('environment')).toBeGreaterThan(0.15)
    expect(group('livelihood')).toBeGreaterThan(0.12)
    expect(group('hazard')).toBeGreaterThan(0.05)
    expect(group('missing')).toBeGreaterThan(0)
    expect(group('missing')).toBeLessThan(0.01)
    const subcategories = new Set(categories.filter((c) => c.parentCode).map((c) => c.code))
    expect(new Set(history.map((h) => h.category))).toEqual(subcategories)
    expect(share(history, (h) => h.source === 'patrol')).toBeGreaterThan(0.45)
    for (const source of ['resident', 'hotline', 'referral']) expect(share(history, (h) => h.source === source)).toBeGreaterThan(0.03)
  })

  it('spreads severity around each category default', () => {
    const byCode = new Map(categories.map((c) => [c.code, c]))
    const atDefault = share(history, (h) => h.severity === byCode.get(h.category)!.defaultSeverity)
    expect(atDefault).toBeGreaterThan(0.6)
    expect(atDefault).toBeLessThan(0.9)
    for (const s of [1, 2, 3, 4]) expect(history.some((h) => h.severity === s)).toBe(true)
  })

  it('resolves about 98% of disputes, mostly inside the grid, with a few escalations up to the district', () => {
    const disputes = history.filter((h) => h.category.startsWith('dispute.'))
    expect(Math.abs(share(disputes, (h) => h.status === 'closed') - 0.98)).toBeLessThanOrEqual(0.015)
    const closed = history.filter((h) => h.status === 'closed')
    expect(share(closed, (h) => h.handlingLevel >= 4)).toBeGreaterThan(0.6)
    const escalatedTo = (level: number) => history.filter((h) => h.events.some((e) => e.action === 'escalate' && e.toLevel === level)).length
    expect(escalatedTo(4)).toBeGreaterThan(history.length * 0.01)
    expect(escalatedTo(2)).toBeGreaterThan(history.length * 0.002)
    expect(escalatedTo(1)).toBeGreaterThan(0)
    expect(escalatedTo(1)).toBeLessThan(escalatedTo(2))
    expect(escalatedTo(1)).toBeLessThan(history.length * 0.01)
    const dismissed = share(history, (h) => h.status === 'dismissed')
    expect(dismissed).toBeGreaterThan(0.005)
    expect(dismissed).toBeLessThan(0.06)
  })

  it('leaves some cases open, more of them recent, and some of those past their due time', () => {
    const open = history.filter((h) => isOpen(h.status))
    expect(open.length).toBeGreaterThan(100)
    expect(open.length).toBeLessThan(history.length * 0.05)
    expect(open.filter((h) => t(h.dueAt) < END.getTime()).length).toBeGreaterThan(50)
    const recent = history.filter((h) => t(h.reportedAt) >= END.getTime() - 14 * DAY)
    const older = history.filter((h) => t(h.reportedAt) < END.getTime() - 14 * DAY)
    expect(share(recent, (h) => isOpen(h.status))).toBeGreaterThan(5 * share(older, (h) => isOpen(h.status)))
  })

  it('gives every incident a valid walk of the workflow that ends in its state, with due and close times to match', () => {
    const byCode = new Map(categories.map((c) => [c.code, c]))
    const problems: string[] = []
    for (const [index, h] of history.entries()) {
      const fail = (why: string) => problems.push(`#${index} ${h.category}: ${why}`)
      const [first, ...rest] = h.events
      if (first?.action !== 'report' || first.fromStatus !== null || first.toStatus !== 'reported' || first.fromLevel !== null) {
        fail('does not start with a report')
        continue
      }
      if (first.toLevel !== initialLevel(h.severity)) fail('starts at the wrong level')
      if (first.at !== h.reportedAt) fail('first event is not at reported_at')
      if (t(h.occurredAt) > t(h.reportedAt)) fail('occurred after it was reported')
      let state: CaseState = { status: first.toStatus, handlingLevel: first.toLevel }
      let previous = first
      let dueFrom = t(h.reportedAt)
      for (const e of rest) {
        const next = nextState(state, e.action as Action)
        if (!next || e.fromStatus !== state.status || e.fromLevel !== state.handlingLevel || e.toStatus !== next.status || e.toLevel !== next.handlingLevel) {
          fail(`invalid step ${state.status}@${state.handlingLevel} -${e.action}-> ${e.toStatus}@${e.toLevel}`)
          break
        }
        if (t(e.at) <= t(previous.at)) fail('events not in time order')
        if (e.action === 'escalate') dueFrom = t(e.at)
        state = next
        previous = e
      }
      if (t(previous.at) >= END.getTime()) fail('event at or after end')
      if (state.status !== h.status || state.handlingLevel !== h.handlingLevel) fail('last event does not match the incident state')
      if (h.updatedAt !== previous.at) fail('updated_at is not the last event')
      const dueHours = byCode.get(h.category)!.dueHours[h.severity - 1]!
      if (t(h.dueAt) !== dueFrom + dueHours * HOUR) fail('due_at is not reported_at/last escalation + dueHours')
      const close = h.events.find((e) => e.action === 'close')
      if ((h.status === 'closed') !== Boolean(close) || h.closedAt !== (close?.at ?? null)) fail('closed_at does not match the close event')
      if (!/^[0-9]{18}$/.test(h.gridCode)) fail('grid code is not a level-5 code')
      if (problems.length > 20) break
    }
    expect(problems).toEqual([])
    // Both ways of leaving the grid's hands are used, by handlers and by the overdue rule.
    const escalations = history.flatMap((h) => h.events.filter((e) => e.action === 'escalate'))
    expect(escalations.some((e) => e.actor === 'system')).toBe(true)
    expect(escalations.some((e) => e.actor !== 'system')).toBe(true)
    for (const action of ['dismiss', 'return', 'reopen']) expect(history.some((h) => h.events.some((e) => e.action === action))).toBe(true)
  })

  it('concentrates disputes in 电海街道 and at night has far fewer reports than by day', () => {
    const households = cells.filter((c) => c.level === 5)
    const total = households.reduce((n, c) => n + c.households, 0)
    const dianhai = households.filter((c) => c.code.startsWith(DIANHAI)).reduce((n, c) => n + c.households, 0)
    const disputes = history.filter((h) => h.category.startsWith('dispute.'))
    const ratio = share(disputes, (h) => h.gridCode.startsWith(DIANHAI)) / (dianhai / total)
    expect(ratio).toBeGreaterThan(1.5)
    const morning = history.filter((h) => [9, 10].includes(localHour(h.reportedAt))).length
    const night = history.filter((h) => [2, 3].includes(localHour(h.reportedAt))).length
    expect(morning).toBeGreaterThan(5 * night)
  })

  it('has a Spring Festival bump of wage and family disputes', () => {
    const wageFamily = history.filter((h) => h.category === 'dispute.labour' || h.category === 'dispute.family')
    const inWindow = (h: HistoryIncident) => t(h.reportedAt) >= SPRING_FESTIVAL_2026 - 30 * DAY && t(h.reportedAt) < SPRING_FESTIVAL_2026 + 10 * DAY
    const perDayIn = wageFamily.filter(inWindow).length / 40
    const perDayOut = wageFamily.filter((h) => !inWindow(h)).length / (365 - 40)
    expect(perDayIn).toBeGreaterThan(1.5 * perDayOut)
  })

  it('gives disputes one or two synthetic parties with an 11-digit phone and a valid 18-character ID number', () => {
    const disputes = history.filter((h) => h.category.startsWith('dispute.'))
    for (const h of disputes.slice(0, 2000)) {
      expect(h.parties.length).toBeGreaterThanOrEqual(1)
      expect(h.parties.length).toBeLessThanOrEqual(2)
      for (const p of h.parties) {
        expect(p.name).toMatch(/^\p{Script=Han}{2,3}$/u)
        expect(p.phone).toMatch(/^1[0-9]{10}$/)
        expect(p.idNumber).toMatch(/^440904[0-9]{11}[0-9X]$/)
        expect(p.idNumber.slice(17)).toBe(idCheckCharacter(p.idNumber.slice(0, 17)))
      }
    }
    expect(history.filter((h) => !h.category.startsWith('dispute.') && h.category !== 'missing.person').every((h) => h.parties.length === 0)).toBe(true)
    expect(history.every((h) => h.reporter.length >= 2 && h.title.length >= 1 && h.title.length <= 200)).toBe(true)
  })
})

describe('insertHistory', () => {
  it('inserts incidents in cells that cover them (ST_Covers) and events in time order, then rolls back', async () => {
    const sample = generateHistory({ cells, categories, end: END, targetCount: 4_000 })
    const rollback = new Error('rollback')
    let ids: number[] = []
    const stages = new Set<string>()
    await expect(
      db.sql.begin(async (tx) => {
        const inserted = await insertHistory(tx, sample, (stage, done, total) => {
          stages.add(stage)
          expect(done).toBeLessThanOrEqual(total)
        })
        ids = inserted.incidentIds
        expect(inserted.incidents).toBe(sample.length)
        expect(inserted.events).toBe(sample.reduce((n, h) => n + h.events.length, 0))
        expect(new Set(ids).size).toBe(sample.length)

        // 200 incidents spread over the sample: the one level-5 cell covering each point is its grid_code.
        const picked = Array.from({ length: 200 }, (_, k) => ids[Math.floor((k * ids.length) / 200)]!)
        const covers = await tx<{ id: string; grid_code: string; covering: string[] }[]>`
        select i.id::text, i.grid_code,
               array(select c.code from grid_cell c where c.level = 5 and ST_Covers(c.geom, i.location) order by c.code) as covering
        from incident i where i.id = any(${picked}::bigint[])`
        expect(covers).toHaveLength(200)
        for (const row of covers) expect(row.covering).toEqual([row.grid_code])

        // Ids follow time: incidents by reported_at, events by at.
        const [order] = await tx<{ events: number; event_disorder: number; incident_disorder: number }[]>`
        select (select count(*)::int from incident_event where incident_id = any(${ids}::bigint[])) as events,
               (select count(*)::int from (select at, lag(at) over (order by id) as prev from incident_event
                                           where incident_id = any(${ids}::bigint[])) e where e.at < e.prev) as event_disorder,
               (select count(*)::int from (select reported_at, lag(reported_at) over (order by id) as prev from incident
                                           where id = any(${ids}::bigint[])) i where i.reported_at < i.prev) as incident_disorder`
        expect(order).toEqual({ events: inserted.events, event_disorder: 0, incident_disorder: 0 })

        // The rows say what the generator said, and the service reads them like its own.
        const index = sample.findIndex((h) => h.status === 'closed' && h.events.some((e) => e.action === 'escalate'))
        const h = sample[index]!
        const view = (await getIncident(tx, ids[index]!, h.gridCode.slice(0, 6)))!
        expect({
          status: view.status,
          level: view.handlingLevel,
          grid: view.gridCode,
          closed: new Date(view.closedAt!).toISOString(),
          due: new Date(view.dueAt).toISOString(),
        }).toEqual({ status: h.status, level: h.handlingLevel, grid: h.gridCode, closed: h.closedAt, due: h.dueAt })
        const [last] = await tx<{ to_status: string; to_level: number; actor: string }[]>`
        select to_status, to_level, actor from incident_event where incident_id = ${ids[index]!} order by id desc limit 1`
        expect(last).toEqual({ to_status: h.status, to_level: h.handlingLevel, actor: h.events.at(-1)!.actor })
        throw rollback
      }),
    ).rejects.toBe(rollback)
    expect(stages).toEqual(new Set(['insert incidents', 'insert incident events']))
    const [left] = await db.sql<{ n: number }[]>`select count(*)::int as n from incident where id = any(${ids}::bigint[])`
    expect(left!.n).toBe(0)
  }, 120_000)
})
