/**
 * Checks a grid before anything is written: the attribute checks here (codes, levels, parents),
 * the geometric ones in PostGIS (sql/checks.ts). Every problem has the cell's code, its kind, a
 * severity (errors block the import, warnings do not), a size in m² where it has one, a message a
 * GIS officer can act on and the geometry where it is, for the GeoJSON report.
 */
import type { Geometry } from 'geojson'
import type { Sql } from '../db/connect.ts'
import type { ImportCell } from './cells.ts'
import * as q from './sql/checks.ts'

export type ProblemKind = 'code-duplicate' | 'parent-missing' | 'level-mismatch' | 'invalid-geometry' | 'outside-parent' | 'overlap' | 'gap' | 'sliver'

export interface Problem {
  code: string
  kind: ProblemKind
  severity: 'error' | 'warning'
  areaM2: number | null
  message: string
  geometry: Geometry | null
  /** The other cell a problem names: the parent (outside-parent, parent-missing), the sibling (overlap). */
  other?: string | null
}

export type Progress = (stage: string, done: number, total: number) => void

const CODE_PATTERN = /^[0-9]{6}([0-9]{3}){0,4}$/
const BATCH = 500

export interface CheckResult {
  problems: Problem[]
  /** The cells that passed the attribute checks, in the order they can be inserted (parents first). */
  cells: ImportCell[]
  /** Parents found in the current grid rather than in the files. */
  databaseParents: string[]
}

export async function checkGrid(sql: Sql, cells: ImportCell[], toleranceM: number, progress: Progress = () => {}): Promise<CheckResult> {
  const problems: Problem[] = []
  const add = (cell: ImportCell, kind: ProblemKind, message: string, geometry: Geometry | null = cell.geometry ?? cell.otherGeometry): void => {
    problems.push({ code: cell.code, kind, severity: 'error', areaM2: null, message, geometry })
  }
  const byCode = new Map<string, ImportCell[]>()
  for (const cell of cells) byCode.set(cell.code, [...(byCode.get(cell.code) ?? []), cell])
  for (const [code, same] of byCode) {
    if (same.length > 1)
      for (const cell of same) add(cell, 'code-duplicate', `code ${code} appears ${same.length} times (${same.map((c) => c.source).join(', ')})`)
  }
  for (const cell of cells) {
    if (!CODE_PATTERN.test(cell.code))
      add(cell, 'level-mismatch', `code "${cell.code}" is not a division code of 6 digits extended by 3 per level (${cell.source})`)
    else if (cell.level === null || cell.level < 1 || cell.level > 5)
      add(cell, 'level-mismatch', `level of ${cell.code} is missing or not 1–5 (${cell.source})`)
    else if (cell.code.length !== 3 + 3 * cell.level)
      add(cell, 'level-mismatch', `code ${cell.code} has ${cell.code.length} digits; level ${cell.level} needs ${3 + 3 * cell.level}`)
    else if (cell.level > 1 && cell.parentCode !== cell.code.slice(0, -3))
      add(cell, 'level-mismatch', `parent ${cell.parentCode ?? '(none)'} of ${cell.code} is not its code less the last three digits`)
    if (!cell.geometry) add(cell, 'invalid-geometry', `${cell.code} has no polygon (${cell.otherGeometry?.type ?? 'empty'}; ${cell.source})`)
  }
  const checkable = cells.filter(
    (c) => c.geometry && CODE_PATTERN.test(c.code) && c.level !== null && c.code.length === 3 + 3 * c.level && (byCode.get(c.code)?.length ?? 0) === 1,
  )
  const inFile = new Set(checkable.map((c) => c.code))
  const wantedParents = [...new Set(checkable.filter((c) => c.level! > 1 && !inFile.has(c.parentCode!)).map((c) => c.parentCode!))]
  const geometric: q.GeometryProblemRow[] = []
  let databaseParents: string[] = []
  await sql.begin(async (tx) => {
    await q.createCheckTable(tx)
    for (let i = 0; i < checkable.length; i += BATCH) {
      await q.insertCheckCells(
        tx,
        checkable.slice(i, i + BATCH).map((c) => ({ code: c.code, level: c.level!, parent_code: c.parentCode, geometry: JSON.stringify(c.geometry) })),
      )
      progress('check: load cells', Math.min(i + BATCH, checkable.length), checkable.length)
    }
    databaseParents = wantedParents.length > 0 ? await q.addDatabaseParents(tx, wantedParents) : []
    await q.indexCheckTable(tx)
    const steps = [
      ['invalid-geometry', () => q.invalidGeometries(tx)],
      ['outside-parent', () => q.outsideParent(tx, toleranceM)],
      ['overlap', () => q.overlaps(tx, toleranceM)],
      ['gap', () => q.gaps(tx, toleranceM)],
      ['sliver', () => q.slivers(tx, toleranceM)],
    ] as const
    for (const [index, [name, run]] of steps.entries()) {
      progress(`check: ${name}`, index, steps.length)
      geometric.push(...(await run()))
    }
    progress('check: done', steps.length, steps.length)
  })
  const known = new Set([...inFile, ...databaseParents])
  for (const cell of checkable) {
    if (cell.level! > 1 && !known.has(cell.parentCode!))
      problems.push({
        code: cell.code,
        kind: 'parent-missing',
        severity: 'error',
        areaM2: null,
        message: `parent ${cell.parentCode} of ${cell.code} is neither in the files nor in the current grid`,
        geometry: cell.geometry ?? cell.otherGeometry,
        other: cell.parentCode,
      })
  }
  for (const row of geometric) problems.push(problemOfRow(row, toleranceM))
  const order = (c: ImportCell): string => `${c.level}:${c.code}`
  return { problems, cells: [...checkable].sort((a, b) => (order(a) < order(b) ? -1 : 1)), databaseParents }
}

function problemOfRow(row: q.GeometryProblemRow, toleranceM: number): Problem {
  const area = row.area_m2 === null ? null : Math.round(row.area_m2 * 10) / 10
  const m2 = `${area?.toLocaleString('en')} m²`
  const messages: Record<q.GeometryProblemRow['kind'], string> = {
    'invalid-geometry': `${row.code}: invalid polygon (${row.detail}); repaired with ST_MakeValid`,
    'outside-parent': `${row.code} lies outside its parent ${row.other} by ${m2} (more than the ${toleranceM} m tolerance)`,
    overlap: `${row.code} and ${row.other} overlap by ${m2}`,
    gap: `${m2} of ${row.code} (${((row.share ?? 0) * 100).toFixed(2)}%) is covered by none of its children`,
    sliver: `${row.code} has a part of ${m2} narrower than ${2 * toleranceM} m`,
  }
  const warning = row.kind === 'invalid-geometry' || row.kind === 'gap' || row.kind === 'sliver'
  return {
    code: row.code,
    kind: row.kind,
    severity: warning ? 'warning' : 'error',
    areaM2: area,
    message: messages[row.kind],
    geometry: JSON.parse(row.location) as Geometry,
    other: row.other ?? null,
  }
}

/** The report as GeoJSON (EPSG:4326), one feature per problem, to open in QGIS. */
export function problemsToGeoJson(problems: Problem[]): object {
  return {
    type: 'FeatureCollection',
    name: 'grid_import_problems',
    features: problems.map((p) => ({
      type: 'Feature',
      properties: { code: p.code, kind: p.kind, severity: p.severity, areaM2: p.areaM2, message: p.message },
      geometry: p.geometry,
    })),
  }
}
