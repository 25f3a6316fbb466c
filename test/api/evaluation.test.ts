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
import { withWeightsLock } from '../support/evaluation-weights.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

const TOWN = '440904004'
const PERIOD = '2026-10'

const CASE_COUNT_KEYS = [
  'reports',
  'registered',
  'handled',
  'handledOnTime',
  'closed',
  'reopened',
  'overdue',
  'closedInGrid',
  'closedInTown',
  'disputes',
  'disputesClosed',
] as const

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
      const counts = Object.fromEntries(CASE_COUNT_KEYS.map((k) => [k, cell.counts[k]]))
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
      if (counts.registered! > 0) expect(cell.indicators.closureRate).toBeCloseTo(counts.closed! / counts.registered!, 10)
      if (counts.reports === 0 && cell.counts.patrolGroupDays === 0 && cell.counts.noticeRecipients === 0) expect(cell.score).toBeNull()
      else if (cell.score !== null) expect(cell.score).toBeGreaterThanOrEqual(0)
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
      ['/api/evaluation?period=2026-11&grid=44090', 'grid'],
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
    // Free text is masked as everywhere: no whole mobile number in a case title.
    for (const o of body.overdue) expect(o.title).not.toMatch(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/)
  })
})

/**
 * Patrol coverage and notice acknowledgement on a fixture month no other file writes to
 * (February 2024): patrol positions (one flagged, which must not count) in two household groups of
 * a village, and a notice to three of its grid workers (on time, late, never). The API's figures
 * are compared with a recount from the raw rows in JavaScript.
 */
describe('patrol coverage and notice acknowledgement', () => {
  const FIXTURE = '2024-02'
  const VILLAGE = `${TOWN}001`
  const DAYS = 29

  async function seedFixture() {
    const people = await db.sql<{ id: number; cell_code: string; full_name: string; phone: string }[]>`
      select id, cell_code, full_name, phone from grid_person
      where role = 'grid_worker' and cell_code like ${VILLAGE + '%'} order by cell_code, id limit 3`
    expect(people.length).toBe(3)
    const [a, b] = people
    const [patrol] = await db.sql<{ id: number }[]>`
      insert into patrol (worker_name, worker_scope, started_at, ended_at, idempotency_key)
      values ('fixture', ${a!.cell_code}, '2024-02-01T00:00:00Z', '2024-02-20T00:00:00Z', 'evaluation-fixture-2024-02')
      on conflict (idempotency_key) do nothing returning id`
    if (!patrol) return people // seeded by an earlier run on this database
    const positions: [string, string, string | null][] = [
      ['2024-02-01T01:00:00Z', a!.cell_code, null],
      ['2024-02-01T05:00:00Z', a!.cell_code, null], // same China day: one patrol day
      ['2024-02-03T02:00:00Z', a!.cell_code, null],
      ['2024-02-05T02:00:00Z', a!.cell_code, 'too_fast'], // implausible: no visit
      ['2024-02-02T17:00:00Z', b!.cell_code, null], // 3 Feb 01:00 in China
      ['2024-01-31T17:00:00Z', b!.cell_code, null], // 1 Feb 01:00 in China: inside the month
      ['2024-01-31T15:00:00Z', b!.cell_code, null], // 31 Jan 23:00 in China: before it
    ]
    for (const [t, cell, flag] of positions) {
      await db.sql`insert into patrol_position (patrol_id, t, location, accuracy, grid_code, flag)
        values (${patrol.id}, ${t}, ST_SetSRID(ST_MakePoint(111.0, 21.5), 4326), 10, ${cell}, ${flag})`
    }
    const [notice] = await db.sql<{ id: number }[]>`
      insert into notice (kind, priority, title, sender_name, sender_role, target_grids, created_at, ack_deadline, recipients)
      values ('work', 'normal', 'fixture', 'fixture', 'commander', ${[VILLAGE]}, '2024-02-10T00:00:00Z', '2024-02-10T02:00:00Z', 3)
      returning id`
    const acked = ['2024-02-10T01:00:00Z', '2024-02-10T04:00:00Z', null]
    for (const [k, p] of people.entries()) {
      await db.sql`insert into notice_recipient (notice_id, person_id, cell_code, role, full_name, phone, acked_at)
        values (${notice!.id}, ${p.id}, ${p.cell_code}, 'grid_worker', ${p.full_name}, ${p.phone}, ${acked[k] ?? null})`
    }
    return people
  }

  /** Patrol days and notice figures per household group, recounted from the raw rows. */
  async function recountField(prefix: string) {
    const p = parsePeriod(FIXTURE)!
    const positions = await db.sql<{ t: Date; grid_code: string }[]>`
      select t, grid_code from patrol_position where flag is null and grid_code like ${prefix + '%'} and t >= ${p.from} and t < ${p.to}`
    const days = new Map<string, Set<string>>()
    for (const row of positions) {
      const china = new Date(row.t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
      days.set(row.grid_code, (days.get(row.grid_code) ?? new Set()).add(china))
    }
    const recipients = await db.sql<{ cell_code: string; created_at: Date; ack_deadline: Date; acked_at: Date | null }[]>`
      select r.cell_code, n.created_at, n.ack_deadline, r.acked_at from notice_recipient r join notice n on n.id = r.notice_id
      where r.cell_code like ${prefix + '%'} and n.created_at >= ${p.from} and n.created_at < ${p.to}`
    return { days, recipients }
  }

  it('counts patrol days per household group and notice acknowledgements as a recount does', async () => {
    const people = await seedFixture()
    const { days, recipients } = await recountField(VILLAGE)
    expect(days.get(people[0]!.cell_code)?.size).toBe(2)
    expect(days.get(people[1]!.cell_code)?.size).toBe(2)

    const body = await (await app.request(`/api/evaluation/workers?grid=${VILLAGE}&period=${FIXTURE}`)).json()
    for (const w of body.workers) {
      const mine = recipients.filter((r) => r.cell_code === w.cellCode)
      const acked = mine.filter((r) => r.acked_at)
      expect(w.counts.days, w.cellCode).toBe(DAYS)
      expect(w.counts.groups).toBe(1)
      expect(w.counts.patrolGroupDays, w.cellCode).toBe(days.get(w.cellCode)?.size ?? 0)
      expect(w.indicators.patrolCoverage).toBeCloseTo((days.get(w.cellCode)?.size ?? 0) / DAYS, 10)
      expect(w.counts.noticeRecipients, w.cellCode).toBe(mine.length)
      expect(w.counts.noticeAcked).toBe(acked.length)
      expect(w.counts.noticeAckedOnTime).toBe(mine.filter((r) => r.acked_at && r.acked_at <= r.ack_deadline).length)
      if (acked.length === 0) expect(w.counts.meanHoursToAck).toBeNull()
      else {
        const mean = acked.reduce((s, r) => s + (r.acked_at!.getTime() - r.created_at.getTime()) / 3_600_000, 0) / acked.length
        expect(w.counts.meanHoursToAck).toBeCloseTo(mean, 2)
      }
      // No activity, no score (whatever the weights in force).
      if (w.counts.reports + w.counts.patrolGroupDays + w.counts.noticeRecipients === 0) expect(w.score, w.cellCode).toBeNull()
    }
    const first = body.workers.find((w: { cellCode: string }) => w.cellCode === people[0]!.cell_code)
    if (first) expect(first.counts.meanHoursToAck).toBe(1)

    // The village, among the villages of its town: every household group of it in the denominator.
    const villages = await (await app.request(`/api/evaluation?grid=${TOWN}&period=${FIXTURE}&level=3`)).json()
    const village = villages.cells.find((c: { code: string }) => c.code === VILLAGE)
    const [row] = await db.sql<{ groups: number }[]>`select count(*)::int as groups from grid_cell where level = 5 and code like ${VILLAGE + '%'}`
    const groups = row!.groups
    const groupDays = [...days.values()].reduce((s, d) => s + d.size, 0)
    expect(village.counts.groups).toBe(groups)
    expect(village.counts.patrolGroupDays).toBe(groupDays)
    expect(village.indicators.patrolCoverage).toBeCloseTo(groupDays / (groups * DAYS), 10)
    expect(village.counts.noticeRecipients).toBe(recipients.length)
    expect(village.indicators.noticeAckRate).toBeCloseTo(recipients.filter((r) => r.acked_at && r.acked_at <= r.ack_deadline).length / recipients.length, 10)
    // The village's report for that month lists the notice with its acknowledgement, and the
    // household groups silent at the end of the month (no plausible position, no report in 7 days).
    const report = await (await app.request(`/api/evaluation/report?grid=${VILLAGE}&period=${FIXTURE}`)).json()
    const notice = report.notices.find((n: { title: string }) => n.title === 'fixture')
    expect(notice).toMatchObject({ recipients: 3, acked: 2, ackedOnTime: 1 })
    expect(notice.meanHoursToAck).toBeCloseTo(2.5, 1)
    const end = parsePeriod(FIXTURE)!.to
    const [silent] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from grid_cell c where c.level = 5 and c.code like ${VILLAGE + '%'}
        and not exists (select 1 from patrol_position p where p.grid_code = c.code and p.flag is null and p.t > ${end}::timestamptz - interval '7 days' and p.t <= ${end}::timestamptz)
        and not exists (select 1 from incident i where i.grid_code = c.code and i.reported_at > ${end}::timestamptz - interval '7 days' and i.reported_at <= ${end}::timestamptz)`
    expect(report.silent.total).toBe(silent!.n)
    expect(report.silent.cells.length).toBe(Math.min(20, silent!.n))
    // Villages without any activity that month have no score, never zero.
    for (const cell of villages.cells) if (cell.counts.reports + cell.counts.patrolGroupDays + cell.counts.noticeRecipients === 0) expect(cell.score).toBeNull()
  })
})

describe('weights edited by the commander', () => {
  const put = (target: { request: (path: string, init?: RequestInit) => Promise<Response> }, weights: unknown) =>
    target.request('/api/evaluation/weights', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ weights }) })
  const only = (base: Record<string, number>, key: string) => Object.fromEntries(Object.keys(base).map((k) => [k, k === key ? 1 : 0]))

  it('changes the ranking as the weights say, audited; leaders read them only', () =>
    withWeightsLock(db, 'exclusive', async () => {
      const read = await (await app.request('/api/evaluation/weights')).json()
      expect(read.editable).toBe(true)
      const defaults = read.defaults as Record<string, number>
      try {
        for (const key of ['closureRate', 'onTimeRate']) {
          const saved = await put(app, only(defaults, key))
          expect(saved.status).toBe(200)
          expect((await saved.json()).weights[key]).toBe(1)
          const body = await (await app.request(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3`)).json()
          expect(body.weights[key]).toBe(1)
          // Ranked by that indicator alone: a better value never ranks below a worse one.
          const ranked = body.cells.filter(
            (c: { rank: number | null; indicators: Record<string, number | null> }) => c.rank !== null && c.indicators[key] !== null,
          )
          expect(ranked.length).toBeGreaterThan(3)
          for (const a of ranked)
            for (const b of ranked) if (a.indicators[key] > b.indicators[key]) expect(a.rank, `${a.code} vs ${b.code}`).toBeLessThan(b.rank)
        }
        const [audit] = await db.sql<{ actor_role: string; reason: string }[]>`
        select actor_role, reason from audit_log where action = 'evaluation_weights' order by id desc limit 1`
        expect(audit!.actor_role).toBe('commander')
        expect(audit!.reason).toContain('onTimeRate 0→1')
        expect(audit!.reason).toContain('closureRate 1→0')

        const leader = asViewer(createApp(db), await signIn(db, 'town_leader', TOWN))
        const seen = await (await leader.request('/api/evaluation/weights')).json()
        expect(seen.editable).toBe(false)
        expect(seen.weights.onTimeRate).toBe(1)
        const refused = await put(leader, defaults)
        expect(refused.status).toBe(403)
        const analyst = asViewer(createApp(db), await signIn(db, 'analyst'))
        expect((await put(analyst, defaults)).status).toBe(403)
      } finally {
        expect((await put(app, defaults)).status).toBe(200)
      }
    }))

  it('refuses bad weights with a problem naming the key, and keeps the ones in force', () =>
    withWeightsLock(db, 'exclusive', async () => {
      const { defaults } = await (await app.request('/api/evaluation/weights')).json()
      const cases: [unknown, string][] = [
        [{ ...defaults, onTimeRate: -1 }, 'onTimeRate'],
        [{ ...defaults, closureRate: 'high' }, 'closureRate'],
        [{ ...defaults, surprise: 1 }, 'surprise'],
        [Object.fromEntries(Object.keys(defaults).map((k) => [k, 0])), 'weights'],
      ]
      for (const [weights, key] of cases) {
        const res = await put(app, weights)
        expect(res.status, key).toBe(400)
        expect(res.headers.get('content-type')).toMatch(/problem\+json/)
        const problem = await res.json()
        expect(JSON.stringify(problem.invalidParams), key).toContain(key)
      }
      expect((await (await app.request('/api/evaluation/weights')).json()).weights).toEqual(defaults)
    }))
})

describe('GET /api/evaluation/trend', () => {
  it('gives the score of each month and the biggest movers among the children', () =>
    withWeightsLock(db, 'shared', async () => {
      const body = await (await app.request(`/api/evaluation/trend?grid=${TOWN}&period=${PERIOD}&months=3`)).json()
      expect(body.months.map((m: { period: string }) => m.period)).toEqual(['2026-08', '2026-09', '2026-10'])
      const october = await (await app.request(`/api/evaluation?grid=${TOWN}&period=2026-10&level=3`)).json()
      const september = await (await app.request(`/api/evaluation?grid=${TOWN}&period=2026-09&level=3`)).json()
      expect(body.months[2].score).toBe(october.self.score)
      const before = new Map(september.cells.map((c: { code: string; score: number | null }) => [c.code, c.score]))
      for (const m of body.movers) {
        expect(before.get(m.code)).toBe(m.previousScore)
        expect(m.change).toBeCloseTo(m.score - m.previousScore, 1)
      }
      const changes = body.movers.map((m: { change: number }) => Math.abs(m.change))
      expect(changes).toEqual([...changes].sort((a: number, b: number) => b - a))
      expect((await app.request(`/api/evaluation/trend?grid=${TOWN}&period=${PERIOD}&months=99`)).status).toBe(400)
    }))
})

/**
 * The counts of a period are kept in the API process's memory between requests (activity-cache.ts);
 * what changed since is read from evaluation_change before every answer. A report made now, a
 * patrol position sent late for a past month and a weights change each show in the next answer.
 */
describe('scores kept between requests', () => {
  const GRID = '440904004204'
  const cellsOf = async (period: string) => {
    const res = await app.request(`/api/evaluation?grid=${GRID}&period=${period}&level=5`)
    expect(res.status).toBe(200)
    return (await res.json()).cells as { code: string; score: number | null; counts: { reports: number; patrolGroupDays: number } }[]
  }
  const countOf = (cells: Awaited<ReturnType<typeof cellsOf>>, code: string) => cells.find((c) => c.code === code)!.counts

  it('counts a new report at the next request', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7)
    const village = await (await app.request(`/api/grids/${GRID}`)).json()
    await cellsOf(month)
    const before = await cellsOf(month) // the second answer comes from memory
    const res = await app.request('/api/incidents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'dispute.neighbour',
        severity: 2,
        title: '考核缓存测试',
        location: { lon: village.labelPoint[0], lat: village.labelPoint[1] },
      }),
    })
    expect(res.status).toBe(201)
    const { gridCode } = await res.json()
    const after = await cellsOf(month)
    expect(countOf(after, gridCode).reports).toBe(countOf(before, gridCode).reports + 1)
  })

  it('counts a patrol position sent late for a past month at the next request', async () => {
    const period = '2024-03' // a month no other file writes to
    const [cell] = await db.sql<{ code: string }[]>`select code from grid_cell where level = 5 and code like ${GRID + '%'} order by code limit 1`
    const taken = await db.sql<{ day: number }[]>`
      select distinct extract(day from t at time zone 'Asia/Shanghai')::int as day from patrol_position
      where grid_code = ${cell!.code} and flag is null and t >= '2024-02-29T16:00:00Z' and t < '2024-03-31T16:00:00Z'`
    const day = [...Array(31).keys()].map((d) => d + 1).find((d) => !taken.some((t) => t.day === d))
    expect(day, 'a free day of March 2024 (the fixture is written once per run)').toBeDefined()
    await cellsOf(period)
    const before = countOf(await cellsOf(period), cell!.code)
    const [patrol] = await db.sql<{ id: number }[]>`
      insert into patrol (worker_name, worker_scope, started_at, idempotency_key)
      values ('fixture', ${cell!.code}, '2024-03-01T00:00:00Z', ${`evaluation-cache-${Date.now()}`}) returning id`
    const t = `2024-03-${String(day).padStart(2, '0')}T04:00:00Z`
    await db.sql`insert into patrol_position (patrol_id, t, location, accuracy, grid_code)
      values (${patrol!.id}, ${t}, ST_SetSRID(ST_MakePoint(111.0, 21.5), 4326), 10, ${cell!.code})`
    expect(countOf(await cellsOf(period), cell!.code).patrolGroupDays).toBe(before.patrolGroupDays + 1)
  })

  it('scores with new weights at the next request', () =>
    withWeightsLock(db, 'exclusive', async () => {
      const put = (weights: unknown) =>
        app.request('/api/evaluation/weights', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ weights }) })
      const { defaults } = await (await app.request('/api/evaluation/weights')).json()
      const scores = async () =>
        (await (await app.request(`/api/evaluation?grid=${TOWN}&period=${PERIOD}&level=3`)).json()).cells.map((c: { score: number | null }) => c.score)
      const before = await scores()
      expect(await scores()).toEqual(before)
      try {
        const only = Object.fromEntries(Object.keys(defaults).map((k) => [k, k === 'patrolCoverage' ? 1 : 0]))
        expect((await put(only)).status).toBe(200)
        expect(await scores()).not.toEqual(before)
      } finally {
        expect((await put(defaults)).status).toBe(200)
      }
      expect(await scores()).toEqual(before)
    }))
})

describe("an analyst's report", () => {
  it('reports the whole district with its towns, and names nobody: no party, worker or whole phone number', async () => {
    const analyst = asViewer(createApp(db), await signIn(db, 'analyst'))
    const res = await analyst.request(`/api/evaluation/report?period=${PERIOD}`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.grid.code).toBe('440904')
    expect(body.children.length).toBeGreaterThan(5)
    expect(body.children.every((c: { level: number }) => c.level === 2)).toBe(true)
    const text = JSON.stringify(body)
    expect(text).not.toMatch(/parties|idNumber/)
    expect(text).not.toMatch(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/)
    // No grid person of the district appears by their whole name (names of three characters or
    // more, so that a two-character place name cannot match by chance).
    const people = await db.sql<{ full_name: string }[]>`
      select distinct full_name from grid_person where length(full_name) >= 3 and cell_code like '440904%' limit 2000`
    expect(people.length).toBeGreaterThan(0)
    for (const p of people) expect(text, p.full_name).not.toContain(p.full_name)
    // Its workers' scores name them masked (黄*).
    const workers = await (await analyst.request(`/api/evaluation/workers?grid=${TOWN}001&period=${PERIOD}`)).json()
    expect(workers.workers.some((w: { worker: string | null }) => w.worker !== null)).toBe(true)
    for (const w of workers.workers) if (w.worker !== null) expect(w.worker).toMatch(/^.\*$/)
  })
})
