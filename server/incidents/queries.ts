/**
 * Reading incidents: the one filter every incident endpoint applies (parsed by the schema in
 * types.ts, checked and turned into SQL here, in one place), keyset pagination in a stable order
 * (newest report first, id as tie-break), and the roll-up figures of a grid subtree.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem, invalidRequest } from '../http/problem.ts'
import { IncidentFilterQuery, type IncidentFilter, type IncidentListQuery, type IncidentView } from './types.ts'
import { allowedActions, initialLevel } from './workflow.ts'
import { incidentColumns } from './service.ts'
import { maskedTitle } from './free-text-mask.ts'

/** A filter as incidentWhere takes it: `scope` is the viewer's (scopeFilter in server/access/scope.ts). */
export type ScopedIncidentFilter = Partial<IncidentFilter> & { scope: string }

/** The starting level of a case by severity 1..4 (initialLevel), for the escalated filter. */
const START_LEVELS = [1, 2, 3, 4].map(initialLevel)

/** `%`, `_` and the escape character itself match literally in ILIKE. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&')

/**
 * The WHERE clause for a filter, over `incident i`; every value is a bound parameter. This is the
 * only place the filter becomes SQL: every incident endpoint applies it, so their counts agree.
 * The viewer's scope is always applied: a filter without one is a programming error, refused
 * here rather than leaking rows.
 * `escalated` means escalated at least once: escalation is the only change of handling level and
 * always moves up, so that is a handling level above the case's starting level for its severity.
 */
export function incidentWhere(sql: Sql, f: ScopedIncidentFilter) {
  if (typeof f.scope !== 'string' || !/^[0-9]{6}/.test(f.scope)) throw new Error('incidentWhere needs the viewer scope: pass scopeFilter(c, filter)')
  const clauses = [sql`i.grid_code like ${f.scope + '%'}`]
  if (f.grid) clauses.push(sql`i.grid_code like ${f.grid + '%'}`)
  if (f.category?.length) {
    const exact = f.category.filter((c) => c.includes('.'))
    const groups = f.category.filter((c) => !c.includes('.'))
    clauses.push(sql`(i.category = any(${exact}::text[]) or split_part(i.category, '.', 1) = any(${groups}::text[]))`)
  }
  if (f.status?.length) clauses.push(sql`i.status = any(${f.status})`)
  if (f.severity?.length) clauses.push(sql`i.severity = any(${f.severity}::int[])`)
  if (f.from) clauses.push(sql`i.reported_at >= ${f.from}::timestamptz`)
  if (f.to) clauses.push(sql`i.reported_at < ${f.to}::timestamptz`)
  if (f.overdue === '1') clauses.push(sql`i.status not in ('closed', 'dismissed') and i.due_at < now()`)
  if (f.overdue === '0') clauses.push(sql`not (i.status not in ('closed', 'dismissed') and i.due_at < now())`)
  if (f.escalated === '1') clauses.push(sql`i.handling_level < (${START_LEVELS}::int[])[i.severity]`)
  if (f.escalated === '0') clauses.push(sql`i.handling_level >= (${START_LEVELS}::int[])[i.severity]`)
  // The masked title: a search must not confirm a name the viewer cannot see.
  // The stored title must hold the text too unless it searches for a mask (*): a cheap first cut.
  if (f.q) clauses.push(sql`${f.q.includes('*') ? sql`` : sql`i.title ilike ${'%' + likeLiteral(f.q) + '%'} and`} ${maskedTitle(sql)} ilike ${'%' + likeLiteral(f.q) + '%'}`)
  if (f.bbox) clauses.push(sql`i.location && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`)
  return clauses.reduce((all, clause) => sql`${all} and ${clause}`)
}

export interface CategoryCodes {
  /** Subcategory codes in the order of GET /api/categories: the points format's category index. */
  subcategories: string[]
  all: Set<string>
}

const categoryCache = new WeakMap<Sql, Promise<CategoryCodes>>()

/** The category codes (loaded once per database client: categories are upserted only at start-up). */
export function categoryCodes(sql: Sql): Promise<CategoryCodes> {
  let codes = categoryCache.get(sql)
  if (!codes) {
    codes = sql<{ code: string; parent: string | null }[]>`select code, parent_code as parent from incident_category order by sort, code`
      .then((rows) => ({ subcategories: rows.filter((r) => r.parent !== null).map((r) => r.code), all: new Set(rows.map((r) => r.code)) }))
    codes.catch(() => categoryCache.delete(sql))
    categoryCache.set(sql, codes)
  }
  return codes
}

/** Unknown category codes are a 400 naming `category`, checked in code (no SQL error on the embedded database). */
export async function checkIncidentFilter(sql: Sql, f: IncidentFilter): Promise<void> {
  if (!f.category?.length) return
  const { all } = await categoryCodes(sql)
  const unknown = f.category.filter((code) => !all.has(code))
  if (unknown.length) {
    const reason = `Unknown category ${unknown.join(', ')}; expected category or subcategory codes from GET /api/categories.`
    throw new HttpProblem(400, 'Invalid request', `Invalid query parameter: category. ${reason}`, [{ name: 'category', reason }])
  }
}

/**
 * Parses query parameters (e.g. a URL's searchParams) into a checked filter, throwing the same
 * 400 problem as the API's edge validation; for code that reads a filter outside a route.
 */
export async function parseIncidentFilter(sql: Sql, query: Record<string, string> | URLSearchParams): Promise<IncidentFilter> {
  const result = await IncidentFilterQuery.safeParseAsync(query instanceof URLSearchParams ? Object.fromEntries(query) : query)
  if (!result.success) throw invalidRequest('query', result.error)
  await checkIncidentFilter(sql, result.data)
  return result.data
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

export async function listIncidents(sql: Sql, f: IncidentListQuery & { scope: string }): Promise<{ items: IncidentView[]; total: number; nextCursor: string | null }> {
  await checkIncidentFilter(sql, f)
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
