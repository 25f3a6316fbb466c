/**
 * The incident categories as Open311 services: every subcategory is a service whose code is the
 * category code (`dispute.neighbour`), grouped under its top-level category (`group`), named in
 * Chinese with the English name among the keywords. Each service has the same attributes, the
 * typed fields of a report the GeoReport fields do not carry: severity (required, 1–4), a title,
 * when it happened, how it reached the sender, and up to two parties (name, mobile, ID number),
 * which are stored whole and masked wherever they are read, like every other report's.
 */
import type { Sql } from '../db/connect.ts'
import { categoryTree, type Category } from '../incidents/categories.ts'

export interface Service {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime'
  keywords: string
  group: string
}

export interface ServiceAttribute {
  variable: boolean
  code: string
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'
  required: boolean
  datatype_description: string | null
  order: number
  description: string
  values?: { key: string; name: string }[]
}

export const SEVERITY_NAMES = ['1 一般 minor', '2 较重 moderate', '3 严重 serious', '4 重大 major'] as const
export const SOURCES = { resident: '群众反映 resident', hotline: '热线 hotline', referral: '部门转办 referral' } as const
export const PARTY_SLOTS = [1, 2] as const

/** The attributes of every service, in the order a form shows them. */
export const ATTRIBUTES: ServiceAttribute[] = [
  {
    variable: true,
    code: 'severity',
    datatype: 'singlevaluelist',
    required: true,
    datatype_description: null,
    order: 1,
    description: '严重程度 Severity: 4 goes straight to the town, 3 to the village, else the grid handles it.',
    values: SEVERITY_NAMES.map((name, i) => ({ key: String(i + 1), name })),
  },
  text('title', 2, '标题 Title, at most 200 characters (default: the first line of the description).'),
  {
    variable: true,
    code: 'occurred_at',
    datatype: 'datetime',
    required: false,
    datatype_description: 'ISO 8601 with offset, e.g. 2026-11-30T08:15:00+08:00',
    order: 3,
    description: '发生时间 When it happened (default: now).',
  },
  {
    variable: true,
    code: 'source',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    order: 4,
    description: '来源 How it reached you (default: referral).',
    values: Object.entries(SOURCES).map(([key, name]) => ({ key, name })),
  },
  ...PARTY_SLOTS.flatMap((n, i) => [
    text(`party${n}_name`, 5 + i * 3, `当事人${n} 姓名 Party ${n}: name, at most 50 characters (stored, masked when read).`),
    text(`party${n}_phone`, 6 + i * 3, `当事人${n} 电话 Party ${n}: phone, 5 to 20 digits (masked when read).`),
    text(`party${n}_id_number`, 7 + i * 3, `当事人${n} 身份证号 Party ${n}: 18-character resident ID number (masked when read).`),
  ]),
]

function text(code: string, order: number, description: string): ServiceAttribute {
  return { variable: true, code, datatype: 'string', required: false, datatype_description: null, order, description }
}

export function serviceOf(category: Category, group: Category): Service {
  return {
    service_code: category.code,
    service_name: category.nameZh,
    description: `${group.nameZh} · ${category.nameZh} (${category.nameEn})`,
    metadata: true,
    type: 'realtime',
    keywords: [category.nameEn, group.nameEn, group.nameZh].join(', '),
    group: group.nameZh,
  }
}

/** Every subcategory as a service, in the order of the category tree. */
export async function listServices(sql: Sql): Promise<Service[]> {
  return (await categoryTree(sql)).flatMap((group) => group.children.map((category) => serviceOf(category, group)))
}

/** The service of a code, or null when no subcategory has it. */
export async function findService(sql: Sql, code: string): Promise<Service | null> {
  return (await listServices(sql)).find((s) => s.service_code === code) ?? null
}
