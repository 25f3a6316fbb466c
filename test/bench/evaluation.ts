/**
 * The month's evaluation for the whole district: scores of every cell at levels 2–5 and of every
 * grid worker (GET /api/evaluation for each level, /api/evaluation/workers, in memory through the
 * app), against a baseline of one aggregate SQL over the same rows (the month's cases grouped by
 * household group, with the same event-log aggregates). The ratio is what the per-level grouping,
 * scoring among peers and JSON add on top of reading the rows once.
 */
import type { Database } from '../../server/db/connect.ts'
import { createApp } from '../../server/app.ts'
import { parsePeriod } from '../../server/evaluation/period.ts'
import { asViewer, signIn } from '../support/auth.ts'
import { median } from './support/machine.ts'

export interface EvaluationBench {
  period: string
  rows: number
  apiMs: number[]
  sqlMs: number[]
  ratios: number[]
}

export async function benchEvaluation(db: Database, period = '2026-10', rounds = 5): Promise<EvaluationBench> {
  const app = asViewer(createApp(db), await signIn(db))
  const p = parsePeriod(period)!
  const apiMs: number[] = []
  const sqlMs: number[] = []
  let rows = 0
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now()
    rows = 0
    for (const level of [2, 3, 4, 5]) {
      const body = await (await app.request(`/api/evaluation?period=${period}&level=${level}`)).json()
      rows += body.cells.length
    }
    rows += (await (await app.request(`/api/evaluation/workers?period=${period}`)).json()).workers.length
    apiMs.push(performance.now() - t0)
    const t1 = performance.now()
    await db.sql`
      select left(i.grid_code, 18) as key, count(*), count(*) filter (where e.registered), count(*) filter (where e.first_handled <= i.due_at),
        count(*) filter (where i.status = 'closed'), count(*) filter (where e.reopened)
      from incident i
      cross join lateral (
        select bool_or(ev.action = 'register') as registered, min(ev.at) filter (where ev.action = 'finish') as first_handled,
          bool_or(ev.action = 'reopen') as reopened
        from incident_event ev where ev.incident_id = i.id) e
      where i.reported_at >= ${p.from} and i.reported_at < ${p.to}
      group by 1`
    sqlMs.push(performance.now() - t1)
  }
  return { period, rows, apiMs, sqlMs, ratios: apiMs.map((a, i) => a / sqlMs[i]!) }
}

export function describeEvaluationBench(b: EvaluationBench, label: string): string {
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`
  return (
    `Evaluation of ${b.period} on ${label}: ${b.rows.toLocaleString('en')} scored cells and workers (levels 2–5 + workers, 5 requests)\n` +
    `  all scores ÷ one aggregate SQL over the same rows: median ${median(b.ratios).toFixed(2)} (${range(b.ratios)} over ${b.ratios.length} rounds; ` +
    `${median(b.apiMs).toFixed(0)} ms ÷ ${median(b.sqlMs).toFixed(0)} ms)`
  )
}
