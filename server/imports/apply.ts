/**
 * Applies a checked grid as a new version in one transaction: the version and its cells are
 * recorded, the current grid takes the new cells, households follow their house points into the
 * new cells, grid staff and party organisations of removed cells go to the new cell that takes most
 * of their area, cells the version no longer has are retired, and the incident figures are
 * refreshed. Incidents keep the cell they were reported in, retired or not. The same transaction
 * first counts what would change; without confirmation it is rolled back, so the counts are exact
 * and nothing is written. Refused only when a removed cell's staff, party organisations or homes
 * have no new cell to go to. The same files imported twice are recognised by their checksum and
 * change nothing.
 */
import { createHash } from 'node:crypto'
import type { Sql } from '../db/connect.ts'
import { refreshIncidentStats, STATS_CHANNEL } from '../incidents/stats.ts'
import type { ImportCell } from './cells.ts'
import type { Progress } from './checks.ts'
import * as q from './sql/apply.ts'

export interface ApplyOptions {
  effective: string
  source: string
  /** false: count what would change, then roll back. */
  confirmed: boolean
}

export interface ApplyOutcome {
  state: 'unchanged' | 'not-confirmed' | 'applied' | 'refused'
  version: number | null
  roots: string[]
  added: number
  updated: number
  removed: number
  openCasesChangingCell: number
  /** Households (and their residents), grid staff and party organisations that change cell. */
  moves: q.Moves
  /** Removed cells that cases keep as the cell they were reported in. */
  retiredWithCases: number
  /** Removed cells whose staff, party organisations or homes no new cell takes in (the refusal). */
  unplaced: q.UnplacedCell[]
}

const BATCH = 500

class Rollback extends Error {}

/** Codes are digits only, so a prefix pattern needs no escaping. */
const under = (code: string): string => `${code}%`

/**
 * The same rings whichever way a format writes them: Shapefiles wind outer rings clockwise,
 * GeoJSON and GeoPackage writers anticlockwise, and a ring may start at any vertex. Each ring is
 * wound anticlockwise (holes clockwise) from its smallest vertex, polygons sorted, coordinates
 * rounded to 1e-9°, so one grid written in two formats has one checksum.
 */
function normalisedGeometry(geometry: ImportCell['geometry']): string {
  if (!geometry) return 'null'
  const round = (v: number) => Math.round(v * 1e9) / 1e9
  const ring = (points: number[][], outer: boolean): string => {
    const open = points.slice(0, -1).map(([x, y]) => [round(x!), round(y!)] as [number, number])
    let area = 0
    for (let i = 0; i < open.length; i++) {
      const [x1, y1] = open[i]!
      const [x2, y2] = open[(i + 1) % open.length]!
      area += x1 * y2 - x2 * y1
    }
    if (area > 0 !== outer) open.reverse()
    let start = 0
    for (let i = 1; i < open.length; i++) if (open[i]![0] < open[start]![0] || (open[i]![0] === open[start]![0] && open[i]![1] < open[start]![1])) start = i
    return JSON.stringify([...open.slice(start), ...open.slice(0, start)])
  }
  return JSON.stringify(geometry.coordinates.map((polygon) => polygon.map((r, i) => ring(r, i === 0)).join('|')).sort())
}

export function checksumOf(cells: ImportCell[]): string {
  const hash = createHash('sha256')
  const sorted = [...cells].sort((a, b) => (a.code < b.code ? -1 : 1))
  for (const c of sorted) {
    const geometry = normalisedGeometry(c.geometry)
    hash.update(JSON.stringify([c.code, c.name, c.level, c.parentCode, geometry]))
  }
  return hash.digest('hex')
}

/**
 * The subtrees a grid replaces: a level-1 cell's whole subtree, or every child of a parent that
 * is in the current grid and not in the files.
 */
export function coverageOf(cells: ImportCell[]): { roots: string[]; covers: (code: string) => boolean } {
  const codes = new Set(cells.map((c) => c.code))
  const roots = [...new Set(cells.filter((c) => !c.parentCode || !codes.has(c.parentCode)).map((c) => (c.level === 1 ? c.code : c.parentCode!)))].sort()
  const counties = new Set(cells.filter((c) => c.level === 1).map((c) => c.code))
  return { roots, covers: (code) => roots.some((r) => code.startsWith(r) && (code !== r || counties.has(r))) }
}

export async function applyGrid(sql: Sql, cells: ImportCell[], options: ApplyOptions, progress: Progress = () => {}): Promise<ApplyOutcome> {
  const { roots, covers } = coverageOf(cells)
  const checksum = checksumOf(cells)
  const outcome: ApplyOutcome = {
    state: 'refused',
    version: null,
    roots,
    added: 0,
    updated: 0,
    removed: 0,
    openCasesChangingCell: 0,
    moves: { households: 0, residents: 0, staff: 0, party: 0 },
    retiredWithCases: 0,
    unplaced: [],
  }
  try {
    await sql.begin(async (tx) => {
      await q.lockImports(tx)
      const latest = await q.latestVersion(tx, roots)
      if (latest?.checksum === checksum) {
        Object.assign(outcome, { state: 'unchanged', version: latest.id })
        return
      }
      const patterns = roots.map(under)
      const current = (await q.currentCodesUnder(tx, patterns)).filter((c) => covers(c.code))
      const currentCodes = new Set(current.map((c) => c.code))
      const newCodes = new Set(cells.map((c) => c.code))
      const removed = [...currentCodes].filter((code) => !newCodes.has(code))
      outcome.added = cells.filter((c) => !currentCodes.has(c.code)).length
      outcome.updated = cells.length - outcome.added
      outcome.removed = removed.length
      if (current.length > 0 && !(await q.anyVersionOver(tx, roots))) await q.snapshotCurrent(tx, roots, [...currentCodes])
      const version = await q.insertVersion(tx, { roots, effective: options.effective, source: options.source, checksum, cells: cells.length })
      outcome.version = version
      // Full names as people search for them: towns and villages by their own name, groups under their village's.
      const parentsFull = new Map((await q.currentCodesUnder(tx, roots)).map((c) => [c.code, c.full_name]))
      const fullNames = new Map<string, string>()
      for (const cell of [...cells].sort((a, b) => a.level! - b.level!)) {
        const parentFull = cell.parentCode ? (fullNames.get(cell.parentCode) ?? parentsFull.get(cell.parentCode) ?? '') : ''
        fullNames.set(cell.code, cell.level! <= 3 ? cell.name : parentFull + cell.name)
      }
      for (let i = 0; i < cells.length; i += BATCH) {
        await q.insertVersionCells(
          tx,
          version,
          cells.slice(i, i + BATCH).map((c) => ({
            code: c.code,
            level: c.level!,
            name: c.name,
            full_name: fullNames.get(c.code)!,
            parent_code: c.parentCode,
            geometry: JSON.stringify(c.geometry),
          })),
        )
        progress('apply: write version', Math.min(i + BATCH, cells.length), cells.length)
      }
      outcome.openCasesChangingCell = await q.openCasesChangingCell(tx, version, patterns)
      await q.planMoves(tx, version, removed, patterns)
      outcome.moves = await q.moveCounts(tx)
      outcome.unplaced = await q.unplacedCells(tx)
      outcome.retiredWithCases = removed.length > 0 ? await q.removedWithCases(tx, removed) : 0
      if (outcome.unplaced.length > 0) throw new Rollback()
      if (!options.confirmed) {
        outcome.state = 'not-confirmed'
        throw new Rollback()
      }
      progress('apply: update the current grid', 0, 2)
      // New cells first, so that what moves has somewhere to go before the removed cells retire.
      await q.upsertCurrent(tx, version)
      await q.applyMoves(tx)
      if (removed.length > 0) await q.removeCells(tx, removed)
      progress('apply: refresh figures', 1, 2)
      await refreshIncidentStats(tx as unknown as Sql)
      // Other API processes (and this one) empty their tile caches when this commits.
      await q.announceGridChange(tx, STATS_CHANNEL)
      progress('apply: done', 2, 2)
      outcome.state = 'applied'
    })
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
    if (outcome.state !== 'not-confirmed') outcome.state = 'refused'
    outcome.version = null
  }
  return outcome
}
