/**
 * Base-data files for the tests and the benchmark, built from the grid in the database: homes at
 * points the database draws inside household groups (ST_GeneratePoints with a fixed seed, so the
 * same cells give the same file), and residents with valid GB 11643 ID numbers, names and phones.
 */
import ExcelJS from 'exceljs'
import type { SqlOrTx } from '../../server/db/fragment.ts'
import { idCheckCharacter } from '../../server/base-data/id-number.ts'

export interface Home {
  code: string
  cell: string
  address: string
  lon: number
  lat: number
}

/** `perCell` homes in each of the first `cells` household groups under `prefix`. */
export async function homesUnder(sql: SqlOrTx, prefix: string, cells: number, perCell: number, tag = 'T'): Promise<Home[]> {
  const rows = await sql<{ cell: string; n: number; lon: number; lat: number }[]>`
    select c.code as cell, p.path[1] as n, ST_X(p.geom) as lon, ST_Y(p.geom) as lat
      from (select code, geom from grid_cell where level = 5 and code like ${`${prefix}%`} order by code limit ${cells}) c,
           lateral ST_DumpPoints(ST_GeneratePoints(ST_Buffer(c.geom::geography, -3)::geometry, ${perCell}, 7)) p
     order by c.code, p.path[1]`
  return rows.map((r) => ({
    code: `${tag}${r.cell}${String(r.n).padStart(3, '0')}`,
    cell: r.cell,
    address: `测试路${r.cell.slice(-6)}号${r.n}户`,
    lon: Math.round(r.lon * 1e7) / 1e7,
    lat: Math.round(r.lat * 1e7) / 1e7,
  }))
}

/** A valid 18-character ID number: `area` (6 digits), a birth date counted from 1950 by `n`, and a sequence. */
export function idNumberOf(area: string, n: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')
  const body = `${area}${birth}${String(n % 1000).padStart(3, '0')}`
  return body + idCheckCharacter(body)
}

const SURNAMES = '黄陈李林张吴梁刘杨王'
const GIVEN = ['小明', '丽', '建华', '海燕', '志强', '秀英', '国平', '美玲', '伟', '芳']

export interface Resident {
  kind: string
  household: string
  name: string
  idNumber: string
  phone: string
}

/** `perHome` residents in each home, ID numbers from `area` and `start`. */
export function residentsOf(homes: Home[], perHome: number, area = '440904', start = 0): Resident[] {
  const out: Resident[] = []
  let n = start
  for (const home of homes)
    for (let i = 0; i < perHome; i++, n++)
      out.push({
        kind: i % 7 === 6 ? '流动' : '户籍',
        household: home.code,
        name: SURNAMES[n % 10]! + GIVEN[Math.floor(n / 10) % 10]!,
        idNumber: idNumberOf(area, n),
        phone: `139${String(n).padStart(8, '0')}`,
      })
  return out
}

export const HOUSEHOLD_HEADER = ['户编号 (household code)', '网格编码 (cell code)', '地址 (address)', '经度 (longitude)', '纬度 (latitude)']
export const PEOPLE_HEADER = ['人口类别 (kind)', '户编号 (household code)', '姓名 (name)', '身份证号 (ID number)', '联系电话 (phone)']

export const householdRows = (homes: Home[]): string[][] => homes.map((h) => [h.code, h.cell, h.address, String(h.lon), String(h.lat)])
export const peopleRows = (people: Resident[]): string[][] => people.map((p) => [p.kind, p.household, p.name, p.idNumber, p.phone])

function quote(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

export function csvOf(header: string[], rows: (string | number)[][]): Uint8Array {
  return new TextEncoder().encode(`${[header, ...rows].map((r) => r.map((v) => quote(String(v))).join(',')).join('\r\n')}\r\n`)
}

/** An .xlsx with one sheet; numbers stay numbers (as a careless Excel user types them). */
export async function xlsxOf(header: string[], rows: (string | number)[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('数据')
  sheet.addRow(header)
  for (const row of rows) sheet.addRow(row)
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

/** The rows of a workbook's first sheet as text. */
export async function sheetRows(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.from(bytes) as never)
  const rows: string[][] = []
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))))
  return rows
}
