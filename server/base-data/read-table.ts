/**
 * Reads a base-data spreadsheet (.xlsx with exceljs, or .csv with csv-parse in UTF-8 or GBK, as
 * Excel saves it on a Chinese Windows) into rows of text by the template's columns. Headers are
 * matched by their Chinese or English name, so `身份证号`, `ID number` and `身份证号 (ID number)`
 * are the same column. A number Excel stored in a text column (an ID number typed without the
 * column formatted as text) is flagged: Excel keeps only 15 digits of it.
 */
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { type Column, headerOf } from './kinds.ts'

export interface TableRow {
  /** The row's number as the spreadsheet shows it (the header is row 1). */
  row: number
  values: Record<string, string>
  /** Columns whose cell held a number Excel may have rounded. */
  numeric: Set<string>
}

export interface Table {
  rows: TableRow[]
  /** Required columns the header lacks (by key). */
  missing: Column[]
}

export class TableReadError extends Error {}

function normalizeHeader(text: string): string {
  return text.replace(/[\s（）()_]/g, '').toLowerCase()
}

function columnIndex(headers: string[], columns: Column[]): { byKey: Map<string, number>; missing: Column[] } {
  const normalized = headers.map(normalizeHeader)
  const byKey = new Map<string, number>()
  for (const column of columns) {
    const names = [headerOf(column), column.zh, column.en, column.key].map(normalizeHeader)
    const i = normalized.findIndex((h) => names.includes(h))
    if (i >= 0) byKey.set(column.key, i)
  }
  return { byKey, missing: columns.filter((c) => c.required && !byKey.has(c.key)) }
}

type Cell = { text: string; numeric: boolean }

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { text: '', numeric: false }
  if (typeof value === 'number') return { text: String(value), numeric: true }
  if (typeof value === 'string') return { text: value, numeric: false }
  if (typeof value === 'boolean') return { text: String(value), numeric: false }
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), numeric: false }
  if (typeof value === 'object') {
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join(''), numeric: false }
    if ('text' in value && typeof value.text === 'string') return { text: value.text, numeric: false }
    if ('result' in value) return cellOf((value.result ?? null) as ExcelJS.CellValue)
  }
  return { text: '', numeric: false }
}

function toTable(lines: { row: number; cells: Cell[] }[], columns: Column[]): Table {
  const header = lines.find((l) => l.cells.some((c) => c.text.trim() !== ''))
  if (!header) throw new TableReadError('the file holds no rows: expected a header row with the template’s columns')
  const { byKey, missing } = columnIndex(
    header.cells.map((c) => c.text),
    columns,
  )
  const rows: TableRow[] = []
  for (const line of lines) {
    if (line.row <= header.row || line.cells.every((c) => c.text.trim() === '')) continue
    const values: Record<string, string> = {}
    const numeric = new Set<string>()
    for (const [key, i] of byKey) {
      const cell = line.cells[i]
      values[key] = (cell?.text ?? '').trim()
      if (cell?.numeric) numeric.add(key)
    }
    rows.push({ row: line.row, values, numeric })
  }
  return { rows, missing }
}

/** Decodes a CSV file's bytes: UTF-8 (with or without a BOM), else GB 18030 (a superset of GBK). */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

export type TableFormat = 'xlsx' | 'csv'

export function formatOf(fileName: string): TableFormat | null {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.xlsx')) return 'xlsx'
  if (lower.endsWith('.csv')) return 'csv'
  return null
}

export async function readTable(bytes: Uint8Array, format: TableFormat, columns: Column[]): Promise<Table> {
  if (format === 'csv') {
    let records: string[][]
    try {
      records = parse(decodeCsv(bytes), { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][]
    } catch (error) {
      throw new TableReadError(`the CSV file could not be read: ${(error as Error).message.split('\n')[0]}`)
    }
    return toTable(
      records.map((cells, i) => ({ row: i + 1, cells: cells.map((text) => ({ text, numeric: false })) })),
      columns,
    )
  }
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never)
  } catch {
    throw new TableReadError('the file is not an Excel workbook (.xlsx) that can be read')
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new TableReadError('the workbook has no worksheet')
  const lines: { row: number; cells: Cell[] }[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = []
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellOf(cell.value)
    })
    for (let i = 0; i < cells.length; i++) cells[i] ??= { text: '', numeric: false }
    lines.push({ row: rowNumber, cells })
  })
  return toTable(lines, columns)
}
