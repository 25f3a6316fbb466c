/**
 * Checks on each row of a base-data file that need no database: required values, formats (the
 * GB 11643 check character and birth date of an ID number, phones, coordinates, codes) and
 * duplicates within the file. Each problem names the row, the column, the value (masked when it
 * is personal data) and why, in Chinese and English, as the report shows it.
 */
import { type BaseDataKind, type Column, COLUMNS, headerOf, PARTY_KINDS, PERSON_KINDS, type Personal, WORKER_ROLES } from './kinds.ts'
import { findIdNumberProblem, isDocumentNumber, isPhoneNumber, maskIdNumber, maskName, maskPhone, normalizeIdNumber, normalizePhone } from './id-number.ts'
import type { Table } from './read-table.ts'

export type ProblemKind =
  | 'column-missing'
  | 'required'
  | 'format'
  | 'id-check-digit'
  | 'id-birth-date'
  | 'excel-number'
  | 'duplicate'
  | 'cell-unknown'
  | 'outside-cell'
  | 'building-invalid'
  | 'household-unknown'
  | 'household-conflict'

export interface RowProblem {
  /** Spreadsheet row (1 is the header). */
  row: number
  /** The column's header as in the template. */
  column: string
  /** The value as written, masked when it is personal data. */
  value: string
  kind: ProblemKind
  why: string
}

export interface HouseholdRow {
  row: number
  code: string | null
  cell: string
  address: string
  lon: number
  lat: number
  building: string | null
}
export interface PersonRow {
  row: number
  kind: 'registered' | 'floating' | 'overseas'
  household: string | null
  cell: string | null
  address: string | null
  name: string
  idNumber: string
  phone: string | null
}
export interface WorkerRow {
  row: number
  cell: string
  role: 'grid_worker' | 'grid_leader'
  name: string
  phone: string
}
export interface PartyRow {
  row: number
  cell: string
  kind: 'village_committee' | 'general_branch' | 'grid_branch' | 'party_group'
  name: string
}
export interface RowsOf {
  households: HouseholdRow
  people: PersonRow
  workers: WorkerRow
  party: PartyRow
}
export type AnyRow = RowsOf[BaseDataKind]

const CELL_CODE = /^[0-9]{6}([0-9]{3}){0,4}$/
const HOUSEHOLD_CODE = /^[0-9A-Za-z_-]{1,40}$/

export function maskValue(value: string, personal: Personal | undefined): string {
  if (value === '') return ''
  if (personal === 'id-number') return maskIdNumber(normalizeIdNumber(value))
  if (personal === 'phone') return maskPhone(normalizePhone(value))
  if (personal === 'name') return maskName(value)
  return value.length > 120 ? `${value.slice(0, 117)}…` : value
}

export const WHY: Record<ProblemKind, string> = {
  'column-missing': '缺少必填列 (required column missing from the header)',
  required: '必填项为空 (required value missing)',
  format: '格式不正确 (not in the expected format)',
  'id-check-digit': '身份证号校验位不符 (ID number check character does not match, GB 11643)',
  'id-birth-date': '身份证号中的出生日期不合理 (birth date in the ID number is not a real past date)',
  'excel-number':
    'Excel 把该列存为数字，只保留15位：请将列设为文本后重新填写 (Excel stored a number and kept only 15 digits: format the column as text and type it again)',
  duplicate: '与文件中前面的行重复 (duplicates an earlier row of the file)',
  'cell-unknown': '当前网格中没有此编码 (no cell with this code in the current grid)',
  'outside-cell': '房屋位置不在该网格内 (the house point lies outside this cell)',
  'building-invalid': '建筑轮廓不是有效的面 WKT (the building outline is not a valid polygon in WKT)',
  'household-unknown': '找不到该户，请先导入住户 (no such household: import the households first)',
  'household-conflict': '该网格中此地址已属于另一户编号 (this address in this cell already belongs to another household code)',
}

export function problemAt(row: number, column: Column, raw: string, kind: ProblemKind, detail?: string): RowProblem {
  return { row, column: headerOf(column), value: maskValue(raw, column.personal), kind, why: detail ? `${WHY[kind]}: ${detail}` : WHY[kind] }
}

/** Checks every row; answers the rows that passed (typed) and the problems. */
export function checkRows<K extends BaseDataKind>(kind: K, table: Table, today = new Date()): { rows: RowsOf[K][]; problems: RowProblem[] } {
  const columns = COLUMNS[kind]
  const col = (key: string) => columns.find((c) => c.key === key)!
  const problems: RowProblem[] = table.missing.map((c) => ({
    row: 1,
    column: headerOf(c),
    value: '',
    kind: 'column-missing' as const,
    why: WHY['column-missing'],
  }))
  if (problems.length > 0) return { rows: [], problems }
  const rows: RowsOf[K][] = []
  const seen = new Map<string, number>()
  // Helpers made once, not per row (100,000 rows: closures per row cost more than the checks).
  let line = table.rows[0]!
  const get = (key: string) => line.values[key] ?? ''
  const bad = (key: string, k: ProblemKind, detail?: string) => problems.push(problemAt(line.row, col(key), get(key), k, detail))
  const cellOk = (key: string) => {
    if (get(key) !== '' && !CELL_CODE.test(get(key))) bad(key, 'format', '6 位区划代码加每级 3 位 (6-digit division code + 3 digits per level)')
  }
  const duplicateOf = (key: string, column: string) => {
    const first = seen.get(key)
    if (first !== undefined) bad(column, 'duplicate', `第 ${first} 行 (row ${first})`)
    else seen.set(key, line.row)
  }
  for (line of table.rows) {
    const before = problems.length
    for (const c of columns) if (c.required && get(c.key) === '') bad(c.key, 'required')
    if (line.numeric.size > 0) for (const c of columns) if (c.text && line.numeric.has(c.key) && get(c.key).length >= 15) bad(c.key, 'excel-number')
    let parsed: AnyRow | null = null
    if (kind === 'households') {
      cellOk('cell')
      const code = get('code')
      if (code !== '' && !HOUSEHOLD_CODE.test(code)) bad('code', 'format', '字母、数字、- 或 _，至多 40 个 (letters, digits, - or _, at most 40)')
      if (get('address').length > 200) bad('address', 'format', '至多 200 字 (at most 200 characters)')
      const lon = Number(get('lon'))
      const lat = Number(get('lat'))
      if (get('lon') !== '' && !(Number.isFinite(lon) && lon >= 73 && lon <= 136)) bad('lon', 'format', 'WGS 84 经度 73–136 (WGS 84 longitude 73–136)')
      if (get('lat') !== '' && !(Number.isFinite(lat) && lat >= 3 && lat <= 54)) bad('lat', 'format', 'WGS 84 纬度 3–54 (WGS 84 latitude 3–54)')
      if (code !== '') duplicateOf(`code ${code}`, 'code')
      if (get('cell') !== '' && get('address') !== '') duplicateOf(`address ${get('cell')} ${get('address')}`, 'address')
      if (problems.length === before) {
        parsed = { row: line.row, code: code || null, cell: get('cell'), address: get('address'), lon, lat, building: get('building') || null }
      }
    } else if (kind === 'people') {
      const personKind = PERSON_KINDS[get('kind').toLowerCase()]
      if (get('kind') !== '' && !personKind) bad('kind', 'format', '户籍、流动或境外 (registered, floating or overseas)')
      cellOk('cell')
      if (get('household') === '' && (get('cell') === '' || get('address') === ''))
        bad('household', 'required', '填户编号，或网格编码与地址 (give the household code, or the cell code and address)')
      const id = normalizeIdNumber(get('idNumber'))
      if (id !== '' && !line.numeric.has('idNumber')) {
        const problem = personKind === 'overseas' && isDocumentNumber(id) ? null : findIdNumberProblem(id, today)
        if (problem === 'format') bad('idNumber', 'format', '18 位，末位为数字或 X (18 characters, the last a digit or X)')
        else if (problem === 'check-digit') bad('idNumber', 'id-check-digit')
        else if (problem === 'birth-date') bad('idNumber', 'id-birth-date')
      }
      const phone = normalizePhone(get('phone'))
      if (phone !== '' && !isPhoneNumber(phone)) bad('phone', 'format', '11 位手机号或带区号的固话 (an 11-digit mobile or a landline with its area code)')
      if (get('name').length > 50) bad('name', 'format', '至多 50 字 (at most 50 characters)')
      if (id !== '') duplicateOf(`id ${id}`, 'idNumber')
      if (problems.length === before) {
        parsed = {
          row: line.row,
          kind: personKind!,
          household: get('household') || null,
          cell: get('cell') || null,
          address: get('address') || null,
          name: get('name'),
          idNumber: id,
          phone: phone || null,
        }
      }
    } else if (kind === 'workers') {
      cellOk('cell')
      const role = WORKER_ROLES[get('role').toLowerCase()]
      if (get('role') !== '' && !role) bad('role', 'format', '网格员或网格长 (grid worker or grid leader)')
      const phone = normalizePhone(get('phone'))
      if (phone !== '' && !isPhoneNumber(phone)) bad('phone', 'format', '11 位手机号或带区号的固话 (an 11-digit mobile or a landline with its area code)')
      if (role && phone !== '') duplicateOf(`worker ${get('cell')} ${role} ${phone}`, 'phone')
      if (problems.length === before) {
        parsed = { row: line.row, cell: get('cell'), role: role!, name: get('name'), phone }
      }
    } else {
      cellOk('cell')
      const partyKind = PARTY_KINDS[get('kind').toLowerCase()]
      if (get('kind') !== '' && !partyKind)
        bad('kind', 'format', '村党委、党总支、网格党支部或党小组 (village committee, general branch, grid branch or party group)')
      if (partyKind && get('name') !== '') duplicateOf(`party ${get('cell')} ${partyKind} ${get('name')}`, 'name')
      if (problems.length === before) {
        parsed = { row: line.row, cell: get('cell'), kind: partyKind!, name: get('name') }
      }
    }
    if (parsed && problems.length === before) rows.push(parsed as RowsOf[K])
  }
  return { rows, problems }
}
