/**
 * The spreadsheets the import hands out: a template per kind (the header row, text columns
 * formatted as text so Excel keeps all 18 characters of an ID number, and a sheet explaining each
 * column with an example), and the row report (row, column, value, why) to fix and upload again.
 */
import ExcelJS from 'exceljs'
import { type BaseDataKind, COLUMNS, headerOf } from './kinds.ts'
import type { RowProblem } from './rows.ts'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const KIND_TITLES: Record<BaseDataKind, string> = {
  households: '住户 (households)',
  people: '实有人口 (people)',
  workers: '网格员与网格长 (grid workers and leaders)',
  party: '党组织 (party branches and groups)',
}

const NOTES: Record<string, string> = {
  cell: '当前网格中的编码，住户一般填户组网格 (a code of the current grid; for a household, its household group)',
  code: '本县的户编号，可空；空时以网格编码+地址识别 (the county’s household number, optional; without it the cell code and address identify the home)',
  household: '户编号；没有时填网格编码和地址 (household code; without one, give the cell code and address)',
  lon: 'WGS 84 经度，度 (WGS 84 longitude, degrees)',
  lat: 'WGS 84 纬度，度 (WGS 84 latitude, degrees)',
  building: '可空：建筑轮廓 POLYGON((…)) WGS 84 (optional: the building outline as WKT in WGS 84)',
  kind: '户籍 / 流动 / 境外；党组织：村党委 / 党总支 / 网格党支部 / 党小组 (registered / floating / overseas; party: village committee / general branch / grid branch / party group)',
  idNumber:
    '18 位身份证号，末位校验码 (GB 11643)；境外人员可填证件号 (18-character resident ID number with its check character; overseas residents may give a document number)',
  phone: '11 位手机号或带区号的固话 (an 11-digit mobile or a landline with its area code)',
  role: '网格员 或 网格长 (grid worker or grid leader)',
}

export async function templateWorkbook(kind: BaseDataKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Gridscope'
  const sheet = workbook.addWorksheet(KIND_TITLES[kind].split(' ')[0])
  const columns = COLUMNS[kind]
  sheet.columns = columns.map((c) => ({ header: headerOf(c), key: c.key, width: c.width, style: c.text ? { numFmt: '@' } : {} }))
  sheet.getRow(1).font = { bold: true }
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  const notes = workbook.addWorksheet('说明 (notes)')
  notes.columns = [
    { header: '列 (column)', width: 28 },
    { header: '必填 (required)', width: 16 },
    { header: '说明 (notes)', width: 80 },
    { header: '示例 (example)', width: 28 },
  ]
  notes.getRow(1).font = { bold: true }
  for (const c of columns) notes.addRow([headerOf(c), c.required ? '是 (yes)' : '否 (no)', NOTES[c.key] ?? '', c.example])
  notes.addRow([])
  notes.addRow([`${KIND_TITLES[kind]}：第一张表第 1 行是表头，从第 2 行起每行一条 (the first sheet: header in row 1, one record per row from row 2)`])
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export async function reportWorkbook(kind: BaseDataKind, problems: RowProblem[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Gridscope'
  const sheet = workbook.addWorksheet('问题 (problems)')
  sheet.columns = [
    { header: '行 (row)', key: 'row', width: 10 },
    { header: '列 (column)', key: 'column', width: 26 },
    { header: '值 (value)', key: 'value', width: 28, style: { numFmt: '@' } },
    { header: '原因 (why)', key: 'why', width: 90 },
  ]
  sheet.getRow(1).font = { bold: true }
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  for (const p of problems) sheet.addRow({ row: p.row, column: p.column, value: p.value, why: p.why })
  sheet.addRow([])
  sheet.addRow([`${KIND_TITLES[kind]}：${problems.length} 个问题，改正后重新导入 (${problems.length} problems: fix them and import again)`])
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
