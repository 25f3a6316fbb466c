/**
 * Reading incidents: the one filter every incident endpoint applies (built here, in one place),
 * keyset pagination in a stable order (newest report first, id as tie-break), and the roll-up
 * figures of a grid subtree.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { IncidentFilter, IncidentView } from './types.ts'
import { allowedActions } from './workflow.ts'
import { incidentColumns } from './service.ts'

/** A filter as incidentWhere takes it: `scope` is the viewer's (scopeFilter in server/access/scope.ts). */
export type ScopedIncidentFilter = Partial<Omit<IncidentFilter, 'limit' | 'cursor'>> & { scope: string }

/**
 * The WHERE clause for a filter; every value is a bound parameter. The viewer's scope is always
 * applied: a filter without one is a programming error, refused here rather than leaking rows.
 */
export function incidentWhere(sql: Sql, f: ScopedIncidentFilter) {
  if (typeof f.scope !== 'string' || !/^[0-9]{6}/.test(f.scope)) throw new Error('incidentWhere needs the viewer scope: pass scopeFilter(c, filter)')
  const clauses = [sql`i.grid_code like ${f.scope + '%'}`]
  if (f.grid) clauses.push(sql`i.grid_code like ${f.grid + '%'}`)
  if (f.category) clauses.push(f.category.includes('.') ? sql`i.category = ${f.category}` : sql`i.category like ${f.category + '.%'}`)
  if (f.status?.length) clauses.push(sql`i.status = any(${f.status})`)
  if (f.severity?.length) clauses.push(sql`i.severity = any(${f.severity}::int[])`)
  if (f.from) clauses.push(sql`i.reported_at >= ${f.from}::timestamptz`)
  if (f.to) clauses.push(sql`i.reported_at < ${f.to}::timestamptz`)
  if (f.overdue === '1') clauses.push(sql`i.status not in ('closed', 'dismissed') and i.due_at < now()`)
  if (f.overdue === '0') clauses.push(sql`not (i.status not in ('closed', 'dismissed') and i.due_at < now())`)
  if (f.bbox) clauses.push(sql`i.location && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`)
  return clauses.reduce((all, clause) => sql`${all} and ${clause}`)
}

function encodeCursor(reportedAt: Date, id: number): string {
  return Buffer.from(`${reportedAt.toISOString()}|${id}`).toString('base64url')
}

function decodeCursor(cursor: string): { reportedAt: string; id: number } {
  const [reportedAt, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!reportedAt || Number.isNaN(Date.parse(reportedAt)) || !/^\d+$/.test(id ?? '')) {
    throw new HttpProblem(400, 'Invalid request', 'Invalid query parameter: cursor. Expected cursor as returned in nextCursor.', [
      { name: 'cursor', reason: 'Expected cursor as returned in nextCursor.' },
    ])
  }
  return { reportedAt, id: Number(id) }
}

export async function listIncidents(sql: Sql, f: IncidentFilter & { scope: string }): Promise<{ items: IncidentView[]; total: number; nextCursor: string | null }> {
  const after = f.cursor ? decodeCursor(f.cursor) : null
  const where = incidentWhere(sql, f)
  const [rows, [count]] = await Promise.all([
    sql<(Omit<IncidentView, 'allowedActions'> & { reportedAt: Date })[]>`
      select ${incidentColumns(sql)} from incident i
      where ${where} ${after ? sql`and (i.reported_at, i.id) < (${after.reportedAt}::timestamptz, ${after.id})` : sql``}
      order by i.reported_at desc, i.id desc
      limit ${f.limit + 1}`,
    sql<{ total: number }[]>`select count(*) as total from incident i where ${where}`,
  ])
  const page = rows.slice(0, f.limit)
  const last = page.at(-1)
  return {
    items: page.map((row) => ({ ...row, allowedActions: allowedActions({ status: row.status, handlingLevel: row.handlingLevel }) })),
    total: count!.total,
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.reportedAt, last.id) : null,
  }
}

export interface IncidentRollup {
  total: number
  open: number
  overdue: number
  resolved: number
  /** Closed cases handled at household group or villager group level, ÷ closed cases. */
  resolvedInGridRate: number | null
  /** Closed cases handled at town level or below, ÷ closed cases. */
  resolvedInTownRate: number | null
  meanHoursToClose: number | null
}

/** Figures of the incidents in a grid subtree (the cell's code is the prefix of its cells') that the scope lets through. */
export async function subtreeRollup(sql: Sql, code: string, scope: string): Promise<IncidentRollup> {
  const [row] = await sql<IncidentRollup[]>`
    select count(*) as total,
           count(*) filter (where status not in ('closed', 'dismissed')) as open,
           count(*) filter (where status not in ('closed', 'dismissed') and due_at < now()) as overdue,
           count(*) filter (where status = 'closed') as resolved,
           (count(*) filter (where status = 'closed' and handling_level >= 4))::float8 / nullif(count(*) filter (where status = 'closed'), 0) as "resolvedInGridRate",
           (count(*) filter (where status = 'closed' and handling_level >= 2))::float8 / nullif(count(*) filter (where status = 'closed'), 0) as "resolvedInTownRate",
           avg(extract(epoch from closed_at - reported_at) / 3600) filter (where status = 'closed')::float8 as "meanHoursToClose"
    from incident i where ${incidentWhere(sql, { grid: code, scope })}`
  return row!
}
