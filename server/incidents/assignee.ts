/**
 * Who handles a case: a grid worker or grid leader of the handling level's cell (grid_person), or
 * a department (职能部门). Dispatch chooses one; the candidates are the people of the cell at the
 * handling level of the case and the active departments whose scope holds the case and whose
 * categories include it. Names of people are masked here like every name the API serves.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { SqlOrTx } from '../db/fragment.ts'

type Tx = SqlOrTx

export interface AssigneeView {
  kind: 'person' | 'department'
  id: number
  /** A person's masked name (王*), or the department's name. */
  name: string
  nameEn: string | null
  /** grid_worker | grid_leader for people; 'department' for departments. */
  role: string
  cellCode: string | null
  cellName: string | null
}

export type AssigneeChoice = { person: number } | { department: number }

/** The assignee of incident `i` (or of event `e`) as a JSON column (null when none). */
export function assigneeColumn(sql: Sql | Tx, alias: 'i' | 'e' = 'i') {
  const a = sql(alias)
  return sql`case
    when ${a}.assignee_person is not null then (
      select json_build_object('kind', 'person', 'id', p.id, 'name', mask_name(p.full_name), 'nameEn', null, 'role', p.role,
                               'cellCode', p.cell_code, 'cellName', c.name)
      from grid_person p join grid_cell c on c.code = p.cell_code where p.id = ${a}.assignee_person)
    when ${a}.assignee_department is not null then (
      select json_build_object('kind', 'department', 'id', d.id, 'name', d.name_zh, 'nameEn', d.name_en, 'role', 'department',
                               'cellCode', d.scope, 'cellName', null)
      from department d where d.id = ${a}.assignee_department)
  end`
}

/** The cell handling a case at `level`: the prefix of its level-5 grid code. */
export function handlingCell(gridCode: string, level: number): string {
  return gridCode.slice(0, 3 + 3 * level)
}

/** Who may be chosen at dispatch for a case in `gridCode` at `level` with `category`. */
export async function dispatchCandidates(sql: Sql | Tx, c: { gridCode: string; level: number; category: string }): Promise<AssigneeView[]> {
  const cell = handlingCell(c.gridCode, c.level)
  const group = c.category.split('.')[0]!
  return sql<AssigneeView[]>`
    select 'person' as kind, p.id, mask_name(p.full_name) as name, null as "nameEn", p.role, p.cell_code as "cellCode", g.name as "cellName"
    from grid_person p join grid_cell g on g.code = p.cell_code
    where p.cell_code = ${cell}
    union all
    select 'department', d.id, d.name_zh, d.name_en, 'department', d.scope, null
    from department d
    where d.active and ${c.gridCode} like d.scope || '%'
      and (cardinality(d.categories) = 0 or ${c.category} = any(d.categories) or ${group} = any(d.categories))
    order by 1 desc, 2`
}

/** Checks a dispatch choice against the candidates; 422 naming `assignee` when it is not one. */
export async function resolveAssignee(
  tx: Tx,
  choice: AssigneeChoice | undefined,
  c: { gridCode: string; level: number; category: string },
): Promise<{ assigneePerson: number | null; assigneeDepartment: number | null }> {
  const candidates = await dispatchCandidates(tx, c)
  if (!choice) {
    // No choice given (the demo simulator, older clients): the cell's own person, if it has one.
    const own = candidates.find((a) => a.kind === 'person')
    return { assigneePerson: own?.id ?? null, assigneeDepartment: null }
  }
  const wanted = 'person' in choice ? { kind: 'person', id: choice.person } : { kind: 'department', id: choice.department }
  if (!candidates.some((a) => a.kind === wanted.kind && a.id === wanted.id)) {
    throw new HttpProblem(
      422,
      'Assignee not available',
      `The ${wanted.kind} ${wanted.id} (field assignee) cannot take this case: choose a person of the handling cell or a department that handles its category (GET /api/incidents/:id/candidates).`,
      [{ name: 'assignee', reason: 'Expected a person of the handling cell or a department from GET /api/incidents/:id/candidates.' }],
    )
  }
  return wanted.kind === 'person' ? { assigneePerson: wanted.id, assigneeDepartment: null } : { assigneePerson: null, assigneeDepartment: wanted.id }
}
