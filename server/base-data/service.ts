/**
 * The base-data import as one function the command line and the API call: read the file, check
 * every row (the file alone, then against the database in a temporary table), and apply in one
 * transaction only when no row has a problem, so nothing is ever half imported. Without `apply`
 * the same transaction counts what would be added and changed, then rolls back. Households and
 * people bring the cells' household and population figures to the register's counts.
 */
import type { Sql } from '../db/connect.ts'
import { STATS_CHANNEL } from '../incidents/stats.ts'
import { type BaseDataKind, COLUMNS } from './kinds.ts'
import { readTable, type TableFormat, type TableRow } from './read-table.ts'
import { type AnyRow, checkRows, problemAt, type RowProblem } from './rows.ts'
import * as q from './sql/base-data.ts'

const BATCH_SIZE = 5000

export type Progress = (stage: string, done: number, total: number) => void

export interface BaseDataImportOptions {
  kind: BaseDataKind
  bytes: Uint8Array
  format: TableFormat
  /** Write when there is no problem; otherwise count and roll back. */
  apply: boolean
  today?: Date
}

export interface BaseDataImportResult {
  kind: BaseDataKind
  /** Data rows read (the header not counted). */
  rows: number
  problems: RowProblem[]
  /** What the rows add and change (undefined when a problem stopped the check first). */
  counts?: { added: number; changed: number; unchanged: number }
  /** Cells whose households or population figure the rows change (households and people only). */
  cellFigures?: number
  applied: boolean
}

class Rollback extends Error {}

export async function importBaseData(sql: Sql, options: BaseDataImportOptions, progress: Progress = () => {}): Promise<BaseDataImportResult> {
  const { kind } = options
  progress('read', 0, 1)
  const table = await readTable(options.bytes, options.format, COLUMNS[kind])
  progress('check-rows', 0, table.rows.length)
  const { rows, problems } = checkRows(kind, table, options.today)
  progress('check-rows', table.rows.length, table.rows.length)
  const result: BaseDataImportResult = { kind, rows: table.rows.length, problems, applied: false }
  if (problems.length > 0) return result
  const byRow = new Map<number, TableRow>(table.rows.map((r) => [r.row, r]))
  try {
    await sql.begin(async (tx) => {
      await q.lockBaseData(tx)
      await q.createRowTable(tx, kind)
      progress('load', 0, rows.length)
      for (let start = 0; start < rows.length; start += BATCH_SIZE) {
        await q.loadRows(tx, kind, rows.slice(start, start + BATCH_SIZE) as AnyRow[])
        progress('load', Math.min(start + BATCH_SIZE, rows.length), rows.length)
      }
      progress('check-database', 0, rows.length)
      const found = await q.findDbProblems(tx, kind)
      if (found.length > 0) {
        const columns = COLUMNS[kind]
        for (const p of found.sort((a, b) => a.row - b.row)) {
          const column = columns.find((c) => c.key === p.column)!
          problems.push(problemAt(p.row, column, byRow.get(p.row)?.values[p.column] ?? '', p.kind))
        }
        throw new Rollback()
      }
      progress('apply', 0, rows.length)
      const touched = kind === 'households' || kind === 'people' ? await q.cellsTouched(tx, kind) : []
      const counts = await q.applyRows(tx, kind)
      result.counts = { ...counts, unchanged: rows.length - counts.added - counts.changed }
      progress('apply', rows.length, rows.length)
      if (kind === 'households' || kind === 'people') {
        // The register's counts replace the grid's figures where it has homes, and every level above adds up again.
        progress('refresh-figures', 0, 1)
        result.cellFigures = await q.refreshRegisterFigures(tx, touched)
        if (result.cellFigures > 0) await q.announceFigures(tx, STATS_CHANNEL)
        progress('refresh-figures', 1, 1)
      }
      if (!options.apply) throw new Rollback()
    })
    result.applied = true
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
  }
  return result
}
