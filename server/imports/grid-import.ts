/**
 * The grid import as one function the command line (and later the web import) calls: read the
 * files, map their fields, transform to WGS 84, check, write the problem report, and say what
 * would happen. Status 0 when the grid passed, 2 when a blocking problem was found (nothing is
 * written), 1 for input the import cannot read (a sentence says why).
 */
import { writeFile } from 'node:fs/promises'
import type { Sql } from '../db/connect.ts'
import { cellsOfLayers, type FieldMap, type ImportCell } from './cells.ts'
import { type CheckResult, checkGrid, type Problem, problemsToGeoJson, type Progress } from './checks.ts'
import { type ApplyOutcome, applyGrid } from './apply.ts'
import { parseCrsName } from './crs.ts'
import { readGridFile, type SourceLayer } from './readers/index.ts'

export interface GridImportOptions {
  files: string[]
  layer?: string
  crs?: string
  encoding?: string
  map?: FieldMap
  toleranceM: number
  effective?: string
  dryRun: boolean
  report?: string
  yes: boolean
}

export interface GridImportResult {
  /** 0 checked (dry run), applied or unchanged; 2 blocking problems; 3 waits for --yes. */
  status: 0 | 1 | 2 | 3
  outcome?: ApplyOutcome
  cells: ImportCell[]
  problems: Problem[]
  check?: CheckResult
}

export class ImportInputError extends Error {}

export async function loadGridCells(
  options: Pick<GridImportOptions, 'files' | 'layer' | 'crs' | 'encoding' | 'map'>,
): Promise<{ cells: ImportCell[]; crsLabels: string[]; layers: SourceLayer[] }> {
  if (options.files.length === 0) throw new ImportInputError('no file given')
  const layers: SourceLayer[] = []
  for (const file of options.files) layers.push(...(await readGridFile(file, { layer: options.layer, encoding: options.encoding })))
  const crs = options.crs ? parseCrsName(options.crs) : undefined
  return { ...cellsOfLayers(layers, { map: options.map, crs }), layers }
}

export async function importGrid(sql: Sql, options: GridImportOptions, out: (line: string) => void, progress: Progress = () => {}): Promise<GridImportResult> {
  const { cells, crsLabels } = await loadGridCells(options)
  for (const label of crsLabels) out(`read ${label}`)
  const levels = new Map<number | null, number>()
  for (const cell of cells) levels.set(cell.level, (levels.get(cell.level) ?? 0) + 1)
  out(`${cells.length} cells: ${[...levels].map(([level, n]) => `level ${level ?? '?'} ${n}`).join(', ')}`)
  const check = await checkGrid(sql, cells, options.toleranceM, progress)
  const { problems } = check
  const errors = problems.filter((p) => p.severity === 'error')
  const warnings = problems.filter((p) => p.severity === 'warning')
  for (const p of problems) out(`${p.severity === 'error' ? 'ERROR  ' : 'warning'} ${p.kind.padEnd(16)} ${p.code.padEnd(18)} ${p.message}`)
  out(`${errors.length} blocking problems, ${warnings.length} warnings`)
  if (options.report) {
    await writeFile(options.report, JSON.stringify(problemsToGeoJson(problems)))
    out(`problem report: ${options.report} (${problems.length} features, EPSG:4326)`)
  }
  if (errors.length > 0) {
    out('nothing written: fix the blocking problems and import again')
    return { status: 2, cells, problems, check }
  }
  if (options.dryRun) {
    out('dry run: checked, nothing written')
    return { status: 0, cells, problems, check }
  }
  const effective = options.effective ?? new Date().toISOString().slice(0, 10)
  const source = options.files.map((f) => f.split('/').pop()).join(', ')
  const outcome = await applyGrid(sql, check.cells, { effective, source, confirmed: options.yes }, progress)
  const result = { cells, problems, check, outcome }
  if (outcome.state === 'unchanged') {
    out(`unchanged: these files are grid version ${outcome.version} already; nothing written`)
    return { status: 0, ...result }
  }
  out(
    `new version over ${outcome.roots.join(', ')} effective ${effective}: ${outcome.added} cells added, ${outcome.updated} kept or changed, ${outcome.removed} removed`,
  )
  out(
    `open cases a report at the same place would now put in another household group: ${outcome.openCasesChangingCell} (they keep the cell they were reported in)`,
  )
  const { moves } = outcome
  out(`households that follow their house points into another cell: ${moves.households} (${moves.residents} residents)`)
  out(`grid staff and party organisations of removed cells, moved to the new cell that takes their area: ${moves.staff}, ${moves.party}`)
  out(`removed cells that cases keep as the cell they were reported in: ${outcome.retiredWithCases}`)
  if (outcome.state === 'refused') {
    for (const u of outcome.unplaced)
      out(
        `ERROR   cell-in-use      ${u.code.padEnd(18)} removed by this version, and no new cell overlaps it to take its ${u.people} grid staff, ${u.party} party organisations, ${u.households} households`,
      )
    out('nothing written: keep these codes in the new grid (or cover their area with the new cells)')
    return { status: 2, ...result }
  }
  if (outcome.state === 'not-confirmed') {
    out('nothing written: run again with --yes to apply')
    return { status: 3, ...result }
  }
  out(`applied as grid version ${outcome.version}; figures refreshed, running servers' tile caches emptied`)
  return { status: 0, ...result }
}
