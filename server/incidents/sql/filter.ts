/**
 * The one incident filter as SQL, over `incident i`: every incident endpoint (list, summary,
 * points, by-cell, export, wall, roll-ups) applies it, so their counts agree. Every value is a
 * bound parameter; the viewer's scope is always applied.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'
import type { IncidentFilter } from '../types.ts'
import { initialLevel } from '../workflow.ts'
import { caseIsOverdue } from './status.ts'
import { maskedTitle } from '../free-text-mask.ts'
import { GRID_CODE_PATTERN, narrowPrefix } from '../../grids/codes.ts'

/** A filter as incidentWhere takes it: `scope` is the viewer's (scopeFilter in server/access/scope.ts). */
export type ScopedIncidentFilter = Partial<IncidentFilter> & { scope: string }

/** The starting level of a case by severity 1..4 (initialLevel), for the escalated filter. */
const START_LEVELS = [1, 2, 3, 4].map(initialLevel)

/** `%`, `_` and the escape character itself match literally in ILIKE. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&')

/**
 * The WHERE clause for a filter. A filter without a scope is a programming error, refused here
 * rather than leaking rows (fail closed).
 * `escalated` means escalated at least once: escalation is the only change of handling level and
 * always moves up, so that is a handling level above the case's starting level for its severity.
 */
export function incidentWhere(sql: SqlOrTx, f: ScopedIncidentFilter): Fragment {
  if (typeof f.scope !== 'string' || !GRID_CODE_PATTERN.test(f.scope)) throw new Error('incidentWhere needs the viewer scope: pass scopeFilter(c, filter)')
  // The scope and the grid are both code prefixes: one LIKE on the narrower says both. Two LIKEs on
  // one column make the planner multiply their selectivities (a county of the province estimated
  // at 4,083 of its 152,539 incidents), which costs the parallel scan and buys a JIT compile.
  const prefix = narrowPrefix(f.scope, f.grid)
  const clauses = [prefix === null ? sql`false` : sql`i.grid_code like ${prefix + '%'}`]
  if (f.category?.length) {
    const exact = f.category.filter((c) => c.includes('.'))
    const groups = f.category.filter((c) => !c.includes('.'))
    clauses.push(sql`(i.category = any(${exact}::text[]) or split_part(i.category, '.', 1) = any(${groups}::text[]))`)
  }
  if (f.status?.length) clauses.push(sql`i.status = any(${f.status})`)
  if (f.severity?.length) clauses.push(sql`i.severity = any(${f.severity}::int[])`)
  if (f.from) clauses.push(sql`i.reported_at >= ${f.from}::timestamptz`)
  if (f.to) clauses.push(sql`i.reported_at < ${f.to}::timestamptz`)
  if (f.overdue === '1') clauses.push(caseIsOverdue(sql))
  if (f.overdue === '0') clauses.push(sql`not (${caseIsOverdue(sql)})`)
  if (f.escalated === '1') clauses.push(sql`i.handling_level < (${START_LEVELS}::int[])[i.severity]`)
  if (f.escalated === '0') clauses.push(sql`i.handling_level >= (${START_LEVELS}::int[])[i.severity]`)
  // The masked title: a search must not confirm a name the viewer cannot see. The stored title
  // must hold the text too unless the search holds a mask (*): a cheap first cut.
  if (f.q)
    clauses.push(
      sql`${f.q.includes('*') ? sql`` : sql`i.title ilike ${'%' + likeLiteral(f.q) + '%'} and`} ${maskedTitle(sql)} ilike ${'%' + likeLiteral(f.q) + '%'}`,
    )
  if (f.bbox) clauses.push(sql`i.location && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`)
  return clauses.reduce((all, clause) => sql`${all} and ${clause}`)
}
