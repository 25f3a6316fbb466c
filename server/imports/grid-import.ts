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
  status: 0 | 1 | 2
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
  return { status: 0, cells, problems, check }
}
