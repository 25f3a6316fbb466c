/**
 * "My cases": the open cases a signed-in person has to act on. A user who is one of the grid's
 * people (app_user.person_id, or for a grid worker the worker of their own cell) sees the cases
 * dispatched to them; everyone with a write role also sees the cases waiting at their own cell's
 * level with nobody chosen yet (their office's queue).
 */
import type { Sql } from '../db/connect.ts'
import type { Viewer } from '../access/roles.ts'
import { codeLength, levelOfCode } from '../grids/codes.ts'
import { incidentColumns } from './sql/columns.ts'
import type { IncidentView } from './types.ts'
import { allowedActions } from './workflow.ts'

/** The grid person a user is: set explicitly, or a grid worker's own cell's worker. */
export function personOfUser(sql: Sql, userId: number) {
  return sql`(select coalesce(u.person_id,
      (select p.id from grid_person p where u.role = 'grid_worker' and p.cell_code = u.scope and p.role = 'grid_worker' order by p.id limit 1))
    from app_user u where u.id = ${userId})`
}

export async function listMyCases(sql: Sql, viewer: Viewer, limit = 200): Promise<{ items: IncidentView[] }> {
  if (viewer.kind !== 'user') return { items: [] }
  const level = levelOfCode(viewer.scope)
  const rows = await sql<Omit<IncidentView, 'allowedActions'>[]>`
    select ${incidentColumns(sql)} from incident i
    where i.grid_code like ${viewer.scope + '%'} and i.status not in ('closed', 'dismissed') and i.merged_into is null
      and (i.assignee_person = ${personOfUser(sql, viewer.id)}
           or (i.assignee_person is null and i.assignee_department is null and i.handling_level = ${level}
               and left(i.grid_code, ${codeLength(level)}) = ${viewer.scope}))
    order by i.due_at, i.id
    limit ${limit}`
  return { items: rows.map((row) => ({ ...row, allowedActions: allowedActions({ status: row.status, handlingLevel: row.handlingLevel }) })) }
}
