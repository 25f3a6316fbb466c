/**
 * Departments in the database. A department's contact is a work contact: shown in full to users
 * whose scope overlaps the department's (they work with it), masked for read-only roles.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { DepartmentInput, DepartmentView } from './types.ts'

function columns(sql: Sql, fullContacts: boolean) {
  return sql`id, name_zh as "nameZh", name_en as "nameEn", categories, scope, contact_name as "contactName",
    ${fullContacts ? sql`contact_phone` : sql`case when contact_phone = '' then '' else mask_phone(contact_phone) end`} as "contactPhone", active`
}

/** Departments whose scope and the viewer's overlap (one contains the other). */
export async function listDepartments(sql: Sql, viewerScope: string, fullContacts: boolean): Promise<DepartmentView[]> {
  return sql<DepartmentView[]>`
    select ${columns(sql, fullContacts)} from department
    where scope like ${viewerScope + '%'} or ${viewerScope} like scope || '%'
    order by scope, name_zh`
}

function conflict(error: unknown): never {
  if ((error as { code?: string }).code === '23505') {
    throw new HttpProblem(409, 'Department exists', 'A department with this name exists already (field nameZh).', [
      { name: 'nameZh', reason: 'Expected a name no other department has.' },
    ])
  }
  throw error
}

export async function createDepartment(sql: Sql, d: DepartmentInput): Promise<DepartmentView> {
  const [row] = await sql<DepartmentView[]>`
    insert into department (name_zh, name_en, categories, scope, contact_name, contact_phone, active)
    values (${d.nameZh}, ${d.nameEn}, ${d.categories}::text[], ${d.scope}, ${d.contactName}, ${d.contactPhone}, ${d.active})
    returning ${columns(sql, true)}`.catch(conflict)
  return row!
}

export async function updateDepartment(sql: Sql, id: number, d: Partial<DepartmentInput>): Promise<DepartmentView> {
  const [row] = await sql<DepartmentView[]>`
    update department set
      name_zh = coalesce(${d.nameZh ?? null}, name_zh), name_en = coalesce(${d.nameEn ?? null}, name_en),
      categories = coalesce(${d.categories ?? null}::text[], categories), scope = coalesce(${d.scope ?? null}, scope),
      contact_name = coalesce(${d.contactName ?? null}, contact_name), contact_phone = coalesce(${d.contactPhone ?? null}, contact_phone),
      active = coalesce(${d.active ?? null}::boolean, active), updated_at = now()
    where id = ${id}
    returning ${columns(sql, true)}`.catch(conflict)
  if (!row) throw new HttpProblem(404, 'Department not found', `No department has the id ${id} (parameter id).`)
  return row
}

/** Unknown category codes are a 422 naming `categories`. */
export async function checkCategories(sql: Sql, codes: string[] | undefined): Promise<void> {
  if (!codes?.length) return
  const known = await sql<{ code: string }[]>`select code from incident_category where code = any(${codes}::text[])`
  const unknown = codes.filter((c) => !known.some((k) => k.code === c))
  if (unknown.length) {
    throw new HttpProblem(422, 'Unknown category', `Unknown category ${unknown.join(', ')} (field categories); see GET /api/categories.`, [
      { name: 'categories', reason: 'Expected codes from GET /api/categories.' },
    ])
  }
}
