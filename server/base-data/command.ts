/**
 * `npm run import -- households|people|workers|party <file.xlsx|file.csv> [--dry-run]
 * [--report errors.xlsx] [--yes]`: the base-data import on the command line (server/imports/cli.ts
 * dispatches here). Status 0 checked (dry run), applied or unchanged; 2 row problems (nothing
 * written); 3 checked and waits for --yes. Lines name rows and columns, never personal data whole.
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { Sql } from '../db/connect.ts'
import type { BaseDataKind } from './kinds.ts'
import { formatOf, TableReadError } from './read-table.ts'
import { importBaseData, type Progress } from './service.ts'
import { reportWorkbook } from './workbooks.ts'

export interface BaseDataCommandOptions {
  file: string
  dryRun: boolean
  report?: string
  yes: boolean
}

export async function runBaseDataCommand(
  sql: Sql,
  kind: BaseDataKind,
  options: BaseDataCommandOptions,
  out: (line: string) => void,
  progress: Progress = () => {},
): Promise<0 | 2 | 3> {
  const format = formatOf(options.file)
  if (!format) throw new TableReadError(`${options.file}: expected an Excel workbook (.xlsx) or a CSV file (.csv)`)
  let bytes: Uint8Array
  try {
    bytes = await readFile(options.file)
  } catch {
    throw new TableReadError(`${options.file}: cannot be read`)
  }
  const result = await importBaseData(sql, { kind, bytes, format, apply: options.yes && !options.dryRun }, progress)
  out(`${result.rows} rows read`)
  for (const p of result.problems.slice(0, 200)) out(`ERROR   row ${String(p.row).padEnd(7)} ${p.column.padEnd(26)} ${p.value.padEnd(22)} ${p.why}`)
  if (result.problems.length > 200) out(`… and ${result.problems.length - 200} more (all of them in --report)`)
  if (options.report) {
    await writeFile(options.report, await reportWorkbook(kind, result.problems))
    out(`row report: ${options.report} (${result.problems.length} problems)`)
  }
  if (result.problems.length > 0) {
    out(`${result.problems.length} problems; nothing written: fix the rows and import again`)
    return 2
  }
  const c = result.counts!
  out(`${c.added} to add, ${c.changed} to change, ${c.unchanged} unchanged`)
  if (result.cellFigures !== undefined) out(`cells whose household and population figures follow the register: ${result.cellFigures}`)
  if (options.dryRun) {
    out('dry run: checked, nothing written')
    return 0
  }
  if (!result.applied) {
    out('nothing written: run again with --yes to apply')
    return 3
  }
  out(c.added + c.changed === 0 ? 'unchanged: the database holds these rows already; nothing written' : `applied: ${c.added} added, ${c.changed} changed`)
  return 0
}
