/**
 * The incident category tree lives in data/incidents/categories.json (data, not code) and is
 * upserted into incident_category on every start; children inherit colour, default severity and
 * due hours from their parent where they do not set their own.
 */
import { readFile } from 'node:fs/promises'
import type { Sql } from '../db/connect.ts'

export const CATEGORIES_FILE = new URL('../../data/incidents/categories.json', import.meta.url).pathname

interface CategorySource {
  code: string
  nameZh: string
  nameEn: string
  color?: string
  defaultSeverity?: number
  dueHours?: number[]
  /** A case can be finished only with a photo of the result (inherited by the children). */
  requiresPhotoOnFinish?: boolean
  children?: CategorySource[]
}

export interface Category {
  code: string
  parentCode: string | null
  nameZh: string
  nameEn: string
  color: string
  defaultSeverity: number
  dueHours: number[]
  requiresPhotoOnFinish: boolean
}

export interface CategoryNode extends Category {
  children: Category[]
}

export async function readCategories(file = CATEGORIES_FILE): Promise<Category[]> {
  const { categories } = JSON.parse(await readFile(file, 'utf8')) as { categories: CategorySource[] }
  return categories.flatMap((top) => {
    const parent: Category = {
      code: top.code,
      parentCode: null,
      nameZh: top.nameZh,
      nameEn: top.nameEn,
      color: top.color ?? '#888888',
      defaultSeverity: top.defaultSeverity ?? 2,
      dueHours: top.dueHours ?? [168, 72, 24, 8],
      requiresPhotoOnFinish: top.requiresPhotoOnFinish ?? false,
    }
    return [
      parent,
      ...(top.children ?? []).map((child) => ({
        code: child.code,
        parentCode: top.code,
        nameZh: child.nameZh,
        nameEn: child.nameEn,
        color: child.color ?? parent.color,
        defaultSeverity: child.defaultSeverity ?? parent.defaultSeverity,
        dueHours: child.dueHours ?? parent.dueHours,
        requiresPhotoOnFinish: child.requiresPhotoOnFinish ?? parent.requiresPhotoOnFinish,
      })),
    ]
  })
}

export async function loadCategories(sql: Sql, file = CATEGORIES_FILE): Promise<number> {
  const categories = await readCategories(file)
  await sql.begin(async (tx) => {
    for (const [sort, c] of categories.entries()) {
      await tx`
        insert into incident_category (code, parent_code, name_zh, name_en, color, default_severity, due_hours, sort, requires_photo_on_finish)
        values (${c.code}, ${c.parentCode}, ${c.nameZh}, ${c.nameEn}, ${c.color}, ${c.defaultSeverity}, ${c.dueHours}::int[], ${sort}, ${c.requiresPhotoOnFinish})
        on conflict (code) do update set parent_code = excluded.parent_code, name_zh = excluded.name_zh, name_en = excluded.name_en,
          color = excluded.color, default_severity = excluded.default_severity, due_hours = excluded.due_hours, sort = excluded.sort,
          requires_photo_on_finish = excluded.requires_photo_on_finish`
    }
  })
  return categories.length
}

export async function categoryTree(sql: Sql): Promise<CategoryNode[]> {
  const rows = await sql<Category[]>`
    select code, parent_code as "parentCode", name_zh as "nameZh", name_en as "nameEn", color,
           default_severity as "defaultSeverity", due_hours as "dueHours", requires_photo_on_finish as "requiresPhotoOnFinish"
    from incident_category order by sort`
  return rows.filter((r) => r.parentCode === null).map((top) => ({ ...top, children: rows.filter((r) => r.parentCode === top.code) }))
}
