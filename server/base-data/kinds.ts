/**
 * The four kinds of base data a county imports and the columns of each: the templates' headers
 * (Chinese, then English in brackets), which columns are required, and which hold personal data
 * (masked in every report, response and log line).
 */

export const BASE_DATA_KINDS = ['households', 'people', 'workers', 'party'] as const
export type BaseDataKind = (typeof BASE_DATA_KINDS)[number]

export function isBaseDataKind(value: string): value is BaseDataKind {
  return (BASE_DATA_KINDS as readonly string[]).includes(value)
}

/** How a column's values are masked when a report or response shows them. */
export type Personal = 'name' | 'id-number' | 'phone'

export interface Column {
  key: string
  zh: string
  en: string
  required: boolean
  personal?: Personal
  /** Read as text even when a spreadsheet holds a number (ID numbers, phones, codes). */
  text?: boolean
  example: string
  width: number
}

const CELL: Column = { key: 'cell', zh: '网格编码', en: 'cell code', required: true, text: true, example: '440904004001001001', width: 22 }

export const COLUMNS: Record<BaseDataKind, Column[]> = {
  households: [
    { key: 'code', zh: '户编号', en: 'household code', required: false, text: true, example: 'H4409040040010010010001', width: 26 },
    CELL,
    { key: 'address', zh: '地址', en: 'address', required: true, example: '电海街道电海社区海滨路12号', width: 36 },
    { key: 'lon', zh: '经度', en: 'longitude', required: true, example: '111.0136', width: 12 },
    { key: 'lat', zh: '纬度', en: 'latitude', required: true, example: '21.5102', width: 12 },
    { key: 'building', zh: '建筑轮廓 WKT', en: 'building outline, WKT', required: false, example: '', width: 30 },
  ],
  people: [
    { key: 'kind', zh: '人口类别', en: 'kind', required: true, example: '户籍', width: 12 },
    { key: 'household', zh: '户编号', en: 'household code', required: false, text: true, example: 'H4409040040010010010001', width: 26 },
    { ...CELL, required: false },
    { key: 'address', zh: '地址', en: 'address', required: false, example: '', width: 30 },
    { key: 'name', zh: '姓名', en: 'name', required: true, personal: 'name', example: '黄小明', width: 12 },
    { key: 'idNumber', zh: '身份证号', en: 'ID number', required: true, personal: 'id-number', text: true, example: '44090420000101001X', width: 24 },
    { key: 'phone', zh: '联系电话', en: 'phone', required: false, personal: 'phone', text: true, example: '13800138000', width: 16 },
  ],
  workers: [
    CELL,
    { key: 'role', zh: '角色', en: 'role', required: true, example: '网格员', width: 12 },
    { key: 'name', zh: '姓名', en: 'name', required: true, personal: 'name', example: '陈丽', width: 12 },
    { key: 'phone', zh: '联系电话', en: 'phone', required: true, personal: 'phone', text: true, example: '13800138001', width: 16 },
  ],
  party: [
    CELL,
    { key: 'kind', zh: '组织类型', en: 'kind', required: true, example: '网格党支部', width: 14 },
    { key: 'name', zh: '名称', en: 'name', required: true, example: '海滨第一网格党支部', width: 30 },
  ],
}

/** A template's header: 身份证号 (ID number). */
export function headerOf(column: Column): string {
  return `${column.zh} (${column.en})`
}

/** The person kinds as written in Chinese or English. */
export const PERSON_KINDS: Record<string, 'registered' | 'floating' | 'overseas'> = {
  户籍: 'registered',
  户籍人口: 'registered',
  registered: 'registered',
  流动: 'floating',
  流动人口: 'floating',
  floating: 'floating',
  境外: 'overseas',
  境外人员: 'overseas',
  境外人口: 'overseas',
  overseas: 'overseas',
}

export const WORKER_ROLES: Record<string, 'grid_worker' | 'grid_leader'> = {
  网格员: 'grid_worker',
  专职网格员: 'grid_worker',
  grid_worker: 'grid_worker',
  'grid worker': 'grid_worker',
  网格长: 'grid_leader',
  grid_leader: 'grid_leader',
  'grid leader': 'grid_leader',
}

export const PARTY_KINDS: Record<string, 'village_committee' | 'general_branch' | 'grid_branch' | 'party_group'> = {
  村党委: 'village_committee',
  社区党委: 'village_committee',
  village_committee: 'village_committee',
  党总支: 'general_branch',
  general_branch: 'general_branch',
  网格党支部: 'grid_branch',
  党支部: 'grid_branch',
  grid_branch: 'grid_branch',
  党小组: 'party_group',
  party_group: 'party_group',
}
