/**
 * The grid import of the web interface: the commander uploads a county's files, they are read at
 * once (what cannot be read is answered there and then), checked in the background with progress,
 * the plan counted (what would change cell), and applied on confirmation. It calls the command
 * line's own code (server/imports/): the same readers, checks and apply as one version.
 *
 * One import at a time in a process (a second upload while one is checked or applied is refused);
 * applying also takes the import lock in the database, so two processes never apply together.
 * The last few imports are kept in memory for their status and problems; the uploaded files only
 * while they are read.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import type { FeatureCollection } from 'geojson'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { log } from '../log.ts'
import { type ApplyOutcome, applyGrid } from '../imports/apply.ts'
import type { FieldMap, ImportCell } from '../imports/cells.ts'
import { type CheckResult, checkGrid, type Problem, problemsToGeoJson } from '../imports/checks.ts'
import { ImportInputError, loadGridCells } from '../imports/grid-import.ts'
import { ReadError } from '../imports/readers/index.ts'
import { IMPORT_APPLY_ACTION, IMPORT_CHECK_ACTION, type ImportActor, recordImportAction } from './sql/audit.ts'

/** The files a grid import takes: the main ones, and the parts of a Shapefile set beside its .shp. */
export const MAIN_EXTENSIONS = ['.zip', '.shp', '.gpkg', '.geojson', '.json', '.fgb'] as const
export const PART_EXTENSIONS = ['.shx', '.dbf', '.prj', '.cpg', '.qix', '.sbn', '.sbx', '.xml'] as const

export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

export interface ImportSettings {
  layer?: string
  crs?: string
  encoding?: string
  map?: FieldMap
  toleranceM: number
  effective?: string
}

export type ImportState = 'checking' | 'checked' | 'failed' | 'applying' | 'applied' | 'unchanged'

/** What applying would change, counted in a transaction rolled back (as the command without --yes). */
export interface ImportPlan {
  roots: string[]
  added: number
  updated: number
  removed: number
  /** Open cases a report at the same place would now put in another household group. */
  openCases: number
  /** Grid staff and party organisations of removed cells, moved to the new cell that takes their area. */
  people: number
  party: number
  /** Households that follow their house point into another cell, and their residents. */
  households: number
  residents: number
  /** Removed cells that cases keep as the cell they were reported in. */
  retiredWithCases: number
  /** Removed cells whose staff, party organisations or homes no new cell takes in (apply is refused). */
  unplaced: { code: string; people: number; party: number; households: number }[]
  /** The same files as the latest version: applying changes nothing. */
  unchanged: boolean
}

export interface ImportStatus {
  id: string
  state: ImportState
  files: string[]
  settings: ImportSettings
  startedAt: string
  by: string
  progress: { stage: string; done: number; total: number }
  cells: number
  levels: { level: number | null; cells: number }[]
  crs: string[]
  errors: number
  warnings: number
  kinds: { kind: string; severity: 'error' | 'warning'; count: number }[]
  /** [west, south, east, north] of the cells read (WGS 84), for the map. */
  bounds: [number, number, number, number] | null
  plan: ImportPlan | null
  version: number | null
  message: string | null
}

interface Job {
  status: ImportStatus
  cells: ImportCell[]
  check: CheckResult | null
  problems: Problem[]
  running: Promise<void> | null
}

const KEPT = 5

export class GridImports {
  private readonly jobs = new Map<string, Job>()

  constructor(
    private readonly sql: Sql,
    /** After an import is applied: this process's tile cache is emptied at once. */
    private readonly onApplied: () => void = () => {},
  ) {}

  /** The import being checked or applied, if any. */
  busy(): ImportStatus | null {
    for (const job of this.jobs.values()) if (job.status.state === 'checking' || job.status.state === 'applying') return job.status
    return null
  }

  /** Reads the files (answering what cannot be read at once), then checks them in the background. */
  async start(files: UploadedFile[], settings: ImportSettings, by: ImportActor): Promise<ImportStatus> {
    this.refuseWhenBusy()
    const dir = await mkdtemp(join(tmpdir(), 'gridscope-import-'))
    let loaded: Awaited<ReturnType<typeof loadGridCells>>
    try {
      const paths: string[] = []
      for (const file of files) {
        const path = join(dir, file.name)
        await writeFile(path, file.bytes)
        if ((MAIN_EXTENSIONS as readonly string[]).includes(extname(file.name).toLowerCase())) paths.push(path)
      }
      loaded = await loadGridCells({ files: paths, layer: settings.layer, crs: settings.crs, encoding: settings.encoding, map: settings.map })
    } catch (error) {
      if (error instanceof ReadError || error instanceof ImportInputError || error instanceof Error) {
        throw new HttpProblem(422, 'File not readable', sentence(error), [{ name: 'file', reason: sentence(error) }])
      }
      throw error
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    // A second upload may have come in while these files were read.
    this.refuseWhenBusy()
    const { cells, crsLabels } = loaded
    const levels = new Map<number | null, number>()
    for (const cell of cells) levels.set(cell.level, (levels.get(cell.level) ?? 0) + 1)
    const status: ImportStatus = {
      id: randomUUID(),
      state: 'checking',
      files: files.map((f) => f.name),
      settings,
      startedAt: new Date().toISOString(),
      by: by.actor,
      progress: { stage: 'check: load cells', done: 0, total: cells.length },
      cells: cells.length,
      levels: [...levels].sort(([a], [b]) => (a ?? 0) - (b ?? 0)).map(([level, n]) => ({ level, cells: n })),
      crs: crsLabels,
      errors: 0,
      warnings: 0,
      kinds: [],
      bounds: boundsOf(cells),
      plan: null,
      version: null,
      message: null,
    }
    const job: Job = { status, cells, check: null, problems: [], running: null }
    this.jobs.set(status.id, job)
    while (this.jobs.size > KEPT) this.jobs.delete(this.jobs.keys().next().value!)
    job.running = this.check(job, by).finally(() => {
      job.running = null
    })
    return { ...status }
  }

  private async check(job: Job, by: ImportActor): Promise<void> {
    const { status } = job
    try {
      const check = await checkGrid(this.sql, job.cells, status.settings.toleranceM, (stage, done, total) => {
        status.progress = { stage, done, total }
      })
      job.check = check
      job.problems = check.problems
      status.errors = check.problems.filter((p) => p.severity === 'error').length
      status.warnings = check.problems.length - status.errors
      const kinds = new Map<string, { kind: string; severity: 'error' | 'warning'; count: number }>()
      for (const p of check.problems) {
        const key = `${p.severity}:${p.kind}`
        kinds.set(key, { kind: p.kind, severity: p.severity, count: (kinds.get(key)?.count ?? 0) + 1 })
      }
      status.kinds = [...kinds.values()]
      if (status.errors === 0) {
        status.progress = { stage: 'plan', done: 0, total: 1 }
        status.plan = planOf(await applyGrid(this.sql, check.cells, { effective: this.effective(status), source: status.files.join(', '), confirmed: false }))
      }
      status.progress = { stage: 'done', done: 1, total: 1 }
      status.state = 'checked'
      await recordImportAction(
        this.sql,
        by,
        IMPORT_CHECK_ACTION,
        `${status.files.join(', ')}: ${status.cells} cells, ${status.errors} blocking problems, ${status.warnings} warnings`,
      )
    } catch (error) {
      log.warn({ err: error }, 'grid import check failed')
      status.state = 'failed'
      status.message = 'The check could not be completed; see the server log.'
    }
  }

  private effective(status: ImportStatus): string {
    return status.settings.effective ?? new Date().toISOString().slice(0, 10)
  }

  /** The imports held, newest first. */
  list(): ImportStatus[] {
    return [...this.jobs.values()].map((j) => ({ ...j.status })).reverse()
  }

  status(id: string): ImportStatus {
    return { ...this.job(id).status }
  }

  problems(id: string): FeatureCollection {
    const job = this.job(id)
    const collection = problemsToGeoJson(job.problems) as FeatureCollection
    // Each feature numbered, so the list and the map name the same problem.
    // The other cell a problem names, so the page can say it in the viewer's language.
    collection.features.forEach((f, index) => {
      f.id = index
      f.properties = { index, ...f.properties, other: job.problems[index]!.other ?? null }
    })
    return collection
  }

  /** Applies a checked import with no blocking problem as a new grid version. */
  async apply(id: string, by: ImportActor): Promise<ImportStatus> {
    const job = this.job(id)
    const { status } = job
    if (status.state === 'checking') throw new HttpProblem(409, 'Import still being checked', 'Wait until the check has finished, then apply.')
    if (status.state === 'applying') throw new HttpProblem(409, 'Import being applied', 'This import is being applied already.')
    if (status.state === 'applied' || status.state === 'unchanged')
      throw new HttpProblem(409, 'Import applied already', `This import was applied already (grid version ${status.version ?? 'unchanged'}).`)
    if (status.state === 'failed' || !job.check)
      throw new HttpProblem(409, 'Import not checked', 'The check of this import did not finish; upload the files again.')
    if (status.errors > 0) {
      const kinds = status.kinds.filter((k) => k.severity === 'error')
      throw new HttpProblem(
        422,
        'Blocking problems',
        `The grid has ${status.errors} blocking problems (${kinds.map((k) => `${k.kind} ${k.count}`).join(', ')}); fix them in the files and upload again.`,
        kinds.map((k) => ({ name: k.kind, reason: `${k.count} blocking problems of this kind` })),
      )
    }
    const other = this.busy()
    if (other && other.id !== id)
      throw new HttpProblem(
        409,
        'Another import is running',
        `The import of ${other.files.join(', ')} is being ${other.state === 'checking' ? 'checked' : 'applied'}; try again when it has finished.`,
      )
    status.state = 'applying'
    status.progress = { stage: 'apply', done: 0, total: 1 }
    let outcome: ApplyOutcome
    try {
      outcome = await applyGrid(
        this.sql,
        job.check.cells,
        { effective: this.effective(status), source: status.files.join(', '), confirmed: true },
        (stage, done, total) => {
          status.progress = { stage, done, total }
        },
      )
    } catch (error) {
      status.state = 'checked'
      throw error
    }
    status.plan = planOf(outcome)
    if (outcome.state === 'refused') {
      status.state = 'checked'
      throw new HttpProblem(
        409,
        'Cells in use',
        `No cell of this version takes in the grid staff, party organisations or homes of these removed cells: ${outcome.unplaced.map((u) => u.code).join(', ')}. Keep these codes in the new grid, or cover their area.`,
        outcome.unplaced.map((u) => ({ name: u.code, reason: `${u.people} grid staff, ${u.party} party organisations, ${u.households} households` })),
      )
    }
    status.state = outcome.state === 'unchanged' ? 'unchanged' : 'applied'
    status.version = outcome.version
    status.progress = { stage: 'done', done: 1, total: 1 }
    if (outcome.state === 'applied') this.onApplied()
    await recordImportAction(
      this.sql,
      by,
      IMPORT_APPLY_ACTION,
      outcome.state === 'applied'
        ? `${status.files.join(', ')}: grid version ${outcome.version} over ${outcome.roots.join(', ')} effective ${this.effective(status)}: ${outcome.added} added, ${outcome.updated} kept or changed, ${outcome.removed} removed`
        : `${status.files.join(', ')}: unchanged (grid version ${outcome.version})`,
    )
    return { ...status }
  }

  /** Waits for the background check of every import (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.running))
  }

  private job(id: string): Job {
    const job = this.jobs.get(id)
    if (!job) throw new HttpProblem(404, 'Import not found', `No grid import has the id ${id} (imports are kept while the server runs, the last ${KEPT}).`)
    return job
  }

  /** 409 while another import is being checked or applied. */
  refuseWhenBusy(): void {
    const other = this.busy()
    if (other)
      throw new HttpProblem(
        409,
        'Another import is running',
        `The import of ${other.files.join(', ')} is being ${other.state === 'checking' ? 'checked' : 'applied'}; one import at a time, try again when it has finished.`,
        undefined,
        { running: other.id },
      )
  }
}

function planOf(outcome: ApplyOutcome): ImportPlan {
  return {
    roots: outcome.roots,
    added: outcome.added,
    updated: outcome.updated,
    removed: outcome.removed,
    openCases: outcome.openCasesChangingCell,
    people: outcome.moves.staff,
    party: outcome.moves.party,
    households: outcome.moves.households,
    residents: outcome.moves.residents,
    retiredWithCases: outcome.retiredWithCases,
    unplaced: outcome.unplaced,
    unchanged: outcome.state === 'unchanged',
  }
}

function boundsOf(cells: ImportCell[]): [number, number, number, number] | null {
  let west = Number.POSITIVE_INFINITY
  let south = Number.POSITIVE_INFINITY
  let east = Number.NEGATIVE_INFINITY
  let north = Number.NEGATIVE_INFINITY
  for (const cell of cells)
    for (const polygon of cell.geometry?.coordinates ?? [])
      for (const [x, y] of polygon[0] ?? []) {
        if (x! < west) west = x!
        if (x! > east) east = x!
        if (y! < south) south = y!
        if (y! > north) north = y!
      }
  return Number.isFinite(west) ? [west, south, east, north] : null
}

/** The reader's sentence, without any path of the server's temporary folder. */
function sentence(error: Error): string {
  return error.message.replace(/\/\S*gridscope-import-[^/\s]+\//g, '')
}
