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
import { DEMO_DEPARTMENTS } from '../../server/demo/departments.ts'
import {
  generateHistory,
  insertHistory,
  loadAssigneePool,
  loadIncidentCells,
  type AssigneePool,
  type HistoryIncident,
  type IncidentCell,
} from '../../server/demo/history.ts'
import { handlingCell } from '../../server/incidents/assignee.ts'
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
/** The grid's people from the database and the demo's departments (ids from 100,000 on). */
let pool: AssigneePool
const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex')
const t = (iso: string) => Date.parse(iso)
const share = (items: HistoryIncident[], test: (h: HistoryIncident) => boolean) => items.filter(test).length / items.length
const localHour = (iso: string) => new Date(t(iso) + 8 * HOUR).getUTCHours()

beforeAll(async () => {
  cells = await loadIncidentCells(db.sql)
  categories = await readCategories()
  const people = (await loadAssigneePool(db.sql)).people
  pool = { people, departments: DEMO_DEPARTMENTS.map((d, k) => ({ id: 100_000 + k, scope: d.scope, categories: d.categories })) }
  history = generateHistory({ cells, categories, end: END, assignees: pool })
}, 120_000)

afterAll(async () => {
  await db.close()
})

describe('generateHistory', () => {
  it('is deterministic: the same grid, categories and end give the same history', () => {
    const again = generateHistory({ cells: [...cells].reverse(), categories, end: END, assignees: pool })
    expect(sha256(again)).toBe(sha256(history))
    // Assignees come from a stream of their own: without them the history is the same but for them.
    const unnamed = (h: HistoryIncident) => ({ ...h, assignee: null, events: h.events.map((e) => ({ ...e, assignee: null })) })
    const small = { cells, categories, end: END, targetCount: 2_000 }
    expect(sha256(generateHistory(small))).toBe(sha256(generateHistory({ ...small, assignees: pool }).map(unnamed)))
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

  it('names on every dispatch a person of the handling cell or a department that takes the category, mostly the person', () => {
    const departments = new Map(pool.departments.map((d) => [d.id, d]))
    const wrong: string[] = []
    let dispatches = 0
    let toDepartments = 0
    for (const h of history) {
      for (const e of h.events) {
        if (e.action !== 'dispatch') {
          if (e.assignee !== null) wrong.push(`${e.action} names an assignee`)
          continue
        }
        dispatches++
        const a = e.assignee
        if (a && 'person' in a) {
          if (!pool.people.get(handlingCell(h.gridCode, e.fromLevel!))?.includes(a.person))
            wrong.push(`${h.gridCode}@${e.fromLevel}: person ${a.person} is not of the handling cell`)
        } else if (a && 'department' in a) {
          toDepartments++
          const d = departments.get(a.department)
          const takes = d && h.gridCode.startsWith(d.scope) && (d.categories.includes(h.category) || d.categories.includes(h.category.split('.')[0]!))
          if (!takes) wrong.push(`${h.category} in ${h.gridCode}: department ${a.department} does not take it`)
        } else wrong.push(`${h.category} in ${h.gridCode}@${e.fromLevel}: dispatch names nobody`)
        if (wrong.length > 20) break
      }
    }
    expect(wrong).toEqual([])
    expect(dispatches).toBeGreaterThan(history.length * 0.9)
    expect(toDepartments / dispatches).toBeGreaterThan(0.1)
    expect(toDepartments / dispatches).toBeLessThan(0.5)
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
    const rollback = new Error('rollback')
    let ids: number[] = []
    const stages = new Set<string>()
    await expect(
      db.sql.begin(async (tx) => {
        // The demo's departments (under names of their own), then the history naming them.
        for (const d of DEMO_DEPARTMENTS)
          await tx`insert into department (name_zh, name_en, categories, scope) values (${`${d.nameZh} (history test)`}, ${d.nameEn}, ${d.categories}::text[], ${d.scope})`
        const sample = generateHistory({ cells, categories, end: END, targetCount: 4_000, assignees: await loadAssigneePool(tx) })
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

        // Every dispatch stored names a person of the handling cell or a department that takes the
        // category; the case's assignee is its last dispatch's, unless escalated or returned since.
        const [named] = await tx<{ dispatches: number; unnamed: number; wrong_person: number; wrong_department: number }[]>`
        select count(*)::int as dispatches,
               count(*) filter (where e.assignee_person is null and e.assignee_department is null)::int as unnamed,
               count(*) filter (where e.assignee_person is not null and not exists (
                 select 1 from grid_person p where p.id = e.assignee_person and p.cell_code = left(i.grid_code, 3 + 3 * e.from_level)))::int as wrong_person,
               count(*) filter (where e.assignee_department is not null and not exists (
                 select 1 from department d where d.id = e.assignee_department and i.grid_code like d.scope || '%'
                   and (i.category = any(d.categories) or split_part(i.category, '.', 1) = any(d.categories))))::int as wrong_department
        from incident_event e join incident i on i.id = e.incident_id
        where e.action = 'dispatch' and i.id = any(${ids}::bigint[])`
        const [current] = await tx<{ stale: number }[]>`
        select count(*)::int as stale from incident i
        left join lateral (select e.action, e.assignee_person, e.assignee_department from incident_event e
                            where e.incident_id = i.id and e.action in ('dispatch', 'escalate', 'return') order by e.id desc limit 1) last on true
        where i.id = any(${ids}::bigint[])
          and (i.assignee_person is distinct from case when last.action = 'dispatch' then last.assignee_person end
            or i.assignee_department is distinct from case when last.action = 'dispatch' then last.assignee_department end)`
        expect({ ...named!, stale: current!.stale }).toEqual({ dispatches: expect.any(Number), unnamed: 0, wrong_person: 0, wrong_department: 0, stale: 0 })
        expect(named!.dispatches).toBeGreaterThan(3_000)
        throw rollback
      }),
    ).rejects.toBe(rollback)
    expect(stages).toEqual(new Set(['insert incidents', 'insert incident events']))
    const [left] = await db.sql<{ n: number }[]>`select count(*)::int as n from incident where id = any(${ids}::bigint[])`
    expect(left!.n).toBe(0)
  }, 120_000)
})
