/**
 * The month's evaluation for the whole district: scores of every cell at levels 2–5 and of every
 * grid worker, against a baseline of one aggregate SQL over the same rows (the month's cases grouped
 * by household group with the same event-log aggregates, the patrol days and the notice
 * acknowledgements). Measured twice, alternating with the baseline in every round:
 * - service: evaluateTree, all levels and workers from one pass (what scoring costs on top of the rows);
 * - API: GET /api/evaluation for each level and /api/evaluation/workers (5 requests, JSON with breakdowns),
 *   with the process's cache of counted periods emptied first (the first request counts the
 *   district's month, the other four reuse it);
 * - API again right after, nothing changed: the counts come from memory (activity-cache.ts), only
 *   the change rows are read and the scores computed.
 */
import type { Database } from '../../server/db/connect.ts'
import { createApp } from '../../server/app.ts'
import { parsePeriod } from '../../server/evaluation/period.ts'
import { evaluateTree, resolveGrid } from '../../server/evaluation/queries.ts'
import { periodCache } from '../../server/evaluation/activity-cache.ts'
import { readWeights } from '../../server/evaluation/weights.ts'
import { asViewer, signIn } from '../support/auth.ts'
import { median } from './support/machine.ts'

export interface EvaluationBench {
  period: string
  rows: number
  serviceMs: number[]
  apiMs: number[]
  apiWarmMs: number[]
  sqlMs: number[]
}

const DISTRICT = '440904'

async function baseline(db: Database, from: string, to: string) {
  await db.sql`
    with cases as (
      select left(i.grid_code, 18) as key, count(*) as reports, count(*) filter (where e.registered) as registered,
        count(*) filter (where e.first_handled <= i.due_at) as on_time,
        count(*) filter (where i.status = 'closed') as closed, count(*) filter (where e.reopened) as reopened
      from incident i
      cross join lateral (
        select bool_or(ev.action = 'register') as registered, min(ev.at) filter (where ev.action = 'finish') as first_handled,
          bool_or(ev.action = 'reopen') as reopened
        from incident_event ev where ev.incident_id = i.id) e
      where i.reported_at >= ${from} and i.reported_at < ${to}
      group by 1),
    patrols as (
      select grid_code as key, count(distinct (t at time zone 'Asia/Shanghai')::date) as days from patrol_position
      where flag is null and grid_code like ${DISTRICT + '%'} and t >= ${from} and t < ${to} group by 1),
    notices as (
      select r.cell_code as key, count(*) as recipients, count(r.acked_at) as acked from notice_recipient r join notice n on n.id = r.notice_id
      where n.created_at >= ${from} and n.created_at < ${to} group by 1)
    select * from cases full join patrols using (key) full join notices using (key)`
}

export async function benchEvaluation(db: Database, period = '2026-10', rounds = 7): Promise<EvaluationBench> {
  const cookie = await signIn(db)
  const app = asViewer(createApp(db), cookie)
  const p = parsePeriod(period)!
  const weights = readWeights()
  const out: EvaluationBench = { period, rows: 0, serviceMs: [], apiMs: [], apiWarmMs: [], sqlMs: [] }
  for (let round = 0; round < rounds; round++) {
    let t = performance.now()
    await baseline(db, p.from, p.to)
    out.sqlMs.push(performance.now() - t)

    t = performance.now()
    const grid = await resolveGrid(db.sql, DISTRICT, DISTRICT)
    const tree = await evaluateTree(db.sql, DISTRICT, grid, p, weights)
    out.serviceMs.push(performance.now() - t)
    out.rows = Object.values(tree.levels).reduce((n, cells) => n + cells.length, 0) + tree.workers.length

    const api = async () => {
      for (const level of [2, 3, 4, 5]) await (await app.request(`/api/evaluation?period=${period}&level=${level}`)).json()
      await (await app.request(`/api/evaluation/workers?period=${period}`)).json()
    }
    periodCache(db.sql).clear()
    t = performance.now()
    await api()
    out.apiMs.push(performance.now() - t)
    t = performance.now()
    await api()
    out.apiWarmMs.push(performance.now() - t)
  }
  return out
}

export function describeEvaluationBench(b: EvaluationBench, label: string): string {
  const ratios = (xs: number[]) => xs.map((x, i) => x / b.sqlMs[i]!)
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`
  const line = (name: string, xs: number[]) =>
    `  ${name} ÷ one aggregate SQL over the same rows: median ${median(ratios(xs)).toFixed(2)} (${range(ratios(xs))} over ${xs.length} alternating rounds; ` +
    `${median(xs).toFixed(0)} ms ÷ ${median(b.sqlMs).toFixed(0)} ms)`
  return (
    `Evaluation of ${b.period} on ${label}: ${b.rows.toLocaleString('en')} scored cells and workers (levels 2–5 + workers)\n` +
    `${line('all scores, one pass (evaluateTree)', b.serviceMs)}\n${line('all scores through the API (5 requests, JSON), cache emptied first', b.apiMs)}\n` +
    `${line('the same 5 requests again, counts kept in memory', b.apiWarmMs)}`
  )
}
