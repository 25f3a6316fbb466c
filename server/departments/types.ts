/**
 * Departments (职能部门) that take dispatched cases: request shapes and what the API serves.
 */
import { z } from 'zod'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'

const CATEGORY_CODE = /^[a-z_]+(\.[a-z_]+)?$/

const FIELDS = {
  nameZh: z
    .string({ message: 'Expected nameZh as text of 1 to 100 characters.' })
    .trim()
    .min(1, 'Expected nameZh as text of 1 to 100 characters.')
    .max(100, 'Expected nameZh as text of 1 to 100 characters.'),
  nameEn: z.string().trim().max(100, 'Expected nameEn of at most 100 characters.'),
  categories: z
    .array(z.string().regex(CATEGORY_CODE, 'Expected categories as category or subcategory codes (see GET /api/categories).'), {
      message: 'Expected categories as a list of category codes.',
    })
    .max(50, 'Expected at most 50 categories.'),
  scope: z
    .string({ message: 'Expected scope as a grid code.' })
    .regex(GRID_CODE_PATTERN, 'Expected scope as a grid code (2 digits for a province, 4 for a city, 6 for a county, then 0 to 4 groups of 3).'),
  contactName: z.string().trim().max(50, 'Expected contactName of at most 50 characters.'),
  contactPhone: z.string().regex(/^(\+?[0-9-]{5,20})?$/, 'Expected contactPhone as a phone number of digits.'),
  active: z.boolean({ message: 'Expected active as true or false.' }),
}

export const DepartmentBody = z.strictObject({
  ...FIELDS,
  nameEn: FIELDS.nameEn.default(''),
  categories: FIELDS.categories.default([]),
  contactName: FIELDS.contactName.default(''),
  contactPhone: FIELDS.contactPhone.default(''),
  active: FIELDS.active.default(true),
})
export type DepartmentInput = z.infer<typeof DepartmentBody>
/** A change: only the fields given are changed. */
export const DepartmentPatch = z.strictObject(FIELDS).partial()

export const DepartmentIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'Expected id as a positive integer.')
    .transform(Number),
})

export interface DepartmentView {
  id: number
  nameZh: string
  nameEn: string
  categories: string[]
  scope: string
  contactName: string
  /** In full for those whose scope holds the department's; masked (0668****4567) for the others. */
  contactPhone: string
  active: boolean
}
