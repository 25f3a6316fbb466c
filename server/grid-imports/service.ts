/**
 * The grid import of the web interface: the commander uploads a county's files, they are read at
 * once (what cannot be read is answered there and then), checked in the background with progress,
 * the plan counted (what would change cell), and applied on confirmation. It calls the command
 * line's own code (server/imports/): the same readers, checks and apply as one version.
 *
 * Imports live in the database (grid_import), not in this process: any API process behind the
 * balancer answers an import's status and problems and applies it, and a checked import survives a
 * restart. The process that checks or applies one saves its progress with a heartbeat every
 * second; one import at a time in the whole deployment (a second upload while one is checked or
 * applied is refused), and applying also takes the import lock in the database. The uploaded files
 * are kept only while they are read.
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
import type { ImportCell } from '../imports/cells.ts'
import { checkGrid, problemsToGeoJson } from '../imports/checks.ts'
import { ImportInputError, loadGridCells } from '../imports/grid-import.ts'
import { ReadError } from '../imports/readers/index.ts'
import { IMPORT_APPLY_ACTION, IMPORT_CHECK_ACTION, type ImportActor, recordImportAction } from './sql/audit.ts'
import * as store from './sql/store.ts'
import type { ImportPlan, ImportSettings, ImportStatus } from './types.ts'

export type { ImportSettings, ImportStatus } from './types.ts'

/** The files a grid import takes: the main ones, and the parts of a Shapefile set beside its .shp. */
export const MAIN_EXTENSIONS = ['.zip', '.shp', '.gpkg', '.geojson', '.json', '.fgb'] as const
export const PART_EXTENSIONS = ['.shx', '.dbf', '.prj', '.cpg', '.qix', '.sbn', '.sbx', '.xml'] as const

export interface UploadedFile {
  name: string
  bytes: Uint8Array
}

/** How often a running import's progress and heartbeat are saved. */
const BEAT_MS = 1000

export class GridImports {
  /** The imports this process is checking or applying, their status kept current here and saved every beat. */
  private readonly running = new Map<string, { status: ImportStatus; work: Promise<unknown>; beating: boolean }>()
  private beat: NodeJS.Timeout | null = null

  constructor(
    private readonly sql: Sql,
    /** After an import is applied: this process's tile cache is emptied at once. */
    private readonly onApplied: () => void = () => {},
  ) {}

  /** 409 while an import is being checked or applied, by this process or another. */
  async refuseWhenBusy(): Promise<void> {
    // This process's own first: on the embedded database a running check holds the one session,
    // so the database would answer only when the check is done.
    const here = this.running.values().next().value
    if (here) throw busyProblem(here.status, 'one import at a time, try again when it has finished.')
    const other = await store.runningImport(this.sql)
    if (other) throw busyProblem(other, 'one import at a time, try again when it has finished.')
  }

  /** Reads the files (answering what cannot be read at once), then checks them in the background. */
  async start(files: UploadedFile[], settings: ImportSettings, by: ImportActor): Promise<ImportStatus> {
    await this.refuseWhenBusy()
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
      reason: null,
      message: null,
    }
    // Another upload may have started while these files were read: the lock makes the check and
    // the insert one step for every process.
    await this.sql.begin(async (tx) => {
      await store.lockImportStarts(tx)
      const other = await store.runningImport(tx)
      if (other) throw busyProblem(other, 'one import at a time, try again when it has finished.')
      await store.insertImport(tx, status)
    })
    this.track(status, this.check(status, cells, by))
    return { ...status }
  }

  private async check(status: ImportStatus, cells: ImportCell[], by: ImportActor): Promise<void> {
    try {
      const check = await checkGrid(this.sql, cells, status.settings.toleranceM, (stage, done, total) => {
        status.progress = { stage, done, total }
      })
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
        status.plan = planOf(await applyGrid(this.sql, check.cells, { effective: effectiveOf(status), source: status.files.join(', '), confirmed: false }))
      }
      status.progress = { stage: 'done', done: 1, total: 1 }
      // Stored first, then said here: a reader told 'checked' (this process answers from memory)
      // must find the problems and cells in the database when it asks for them next.
      await store.saveChecked(this.sql, { ...status, state: 'checked' }, check.cells, check.problems)
      status.state = 'checked'
      await recordImportAction(
        this.sql,
        by,
        IMPORT_CHECK_ACTION,
        `${status.files.join(', ')}: ${status.cells} cells, ${status.errors} blocking problems, ${status.warnings} warnings`,
      )
    } catch (error) {
      log.warn({ err: error, importId: status.id }, 'grid import check failed')
      status.state = 'failed'
      status.reason = 'check-error'
      status.message = 'The check could not be completed; see the server log.'
      await store.saveStatus(this.sql, status).catch((err) => log.warn({ err, importId: status.id }, 'grid import status not saved'))
    }
  }

  /** The imports kept, newest first. */
  async list(): Promise<ImportStatus[]> {
    return (await store.listImports(this.sql)).map((stored) => this.current(stored))
  }

  async status(id: string): Promise<ImportStatus> {
    // A running import of this process is answered from here, without waiting for the database.
    const own = this.running.get(id)
    if (own) return { ...own.status }
    return this.current(await this.stored(id))
  }

  async problems(id: string): Promise<FeatureCollection> {
    const problems = await store.readProblems(this.sql, id)
    if (!problems) throw notFound(id)
    const collection = problemsToGeoJson(problems) as FeatureCollection
    // Each feature numbered, so the list and the map name the same problem.
    // The other cell a problem names, so the page can say it in the viewer's language.
    collection.features.forEach((f, index) => {
      f.id = index
      f.properties = { index, ...f.properties, other: problems[index]!.other ?? null }
    })
    return collection
  }

  /** Applies a checked import with no blocking problem as a new grid version. */
  async apply(id: string, by: ImportActor): Promise<ImportStatus> {
    const status = this.current(await this.stored(id))
    refuseToApply(status)
    const cells = await store.readCells(this.sql, id)
    if (!cells) throw new HttpProblem(409, 'Import not checked', 'The check of this import did not finish; upload the files again.')
    const applying: ImportStatus = { ...status, state: 'applying', reason: null, message: null, progress: { stage: 'apply', done: 0, total: 1 } }
    const claimed = await this.sql.begin(async (tx) => {
      await store.lockImportStarts(tx)
      const other = await store.runningImport(tx)
      if (other && other.id !== id) throw busyProblem(other, 'try again when it has finished.')
      return store.claimForApply(tx, applying)
    })
    // Another process claimed it between the read and the claim.
    if (!claimed) {
      refuseToApply(this.current(await this.stored(id)))
      throw new HttpProblem(409, 'Import being applied', 'This import is being applied already.')
    }
    const work = this.applyClaimed(applying, cells, by)
    this.track(applying, work)
    return work
  }

  private async applyClaimed(status: ImportStatus, cells: ImportCell[], by: ImportActor): Promise<ImportStatus> {
    const backToChecked = async () => {
      status.state = 'checked'
      status.progress = { stage: 'done', done: 1, total: 1 }
      await store.saveStatus(this.sql, status)
    }
    let outcome: ApplyOutcome
    try {
      outcome = await applyGrid(this.sql, cells, { effective: effectiveOf(status), source: status.files.join(', '), confirmed: true }, (stage, done, total) => {
        status.progress = { stage, done, total }
      })
    } catch (error) {
      await backToChecked().catch((err) => log.warn({ err, importId: status.id }, 'grid import status not saved'))
      throw error
    }
    status.plan = planOf(outcome)
    if (outcome.state === 'refused') {
      await backToChecked()
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
    await store.saveStatus(this.sql, status)
    if (outcome.state === 'applied') this.onApplied()
    await recordImportAction(
      this.sql,
      by,
      IMPORT_APPLY_ACTION,
      outcome.state === 'applied'
        ? `${status.files.join(', ')}: grid version ${outcome.version} over ${outcome.roots.join(', ')} effective ${effectiveOf(status)}: ${outcome.added} added, ${outcome.updated} kept or changed, ${outcome.removed} removed`
        : `${status.files.join(', ')}: unchanged (grid version ${outcome.version})`,
    )
    return { ...status }
  }

  /** Waits for every check and apply this process runs (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => r.work))
  }

  /** Keeps a running import's status here, saved with a heartbeat every beat until its work ends. */
  private track(status: ImportStatus, work: Promise<unknown>): void {
    this.running.set(status.id, { status, work, beating: false })
    this.beat ??= setInterval(() => {
      for (const entry of this.running.values()) {
        // One beat at a time: on the embedded database a beat waits while the check holds the session.
        if (entry.beating) continue
        entry.beating = true
        store
          .touchImport(this.sql, { ...entry.status })
          .catch((err) => log.warn({ err, importId: entry.status.id }, 'grid import heartbeat not saved'))
          .finally(() => {
            entry.beating = false
          })
      }
    }, BEAT_MS).unref()
    const done = () => {
      this.running.delete(status.id)
      if (this.running.size === 0 && this.beat) {
        clearInterval(this.beat)
        this.beat = null
      }
    }
    work.then(done, done)
  }

  private async stored(id: string): Promise<store.StoredImport> {
    const stored = await store.readImport(this.sql, id)
    if (!stored) throw notFound(id)
    return stored
  }

  /**
   * The import as it stands: this process's own running status (fresher than the last beat), or
   * the stored one; an import whose process stopped is said to be what it now is.
   */
  private current({ status, stale }: store.StoredImport): ImportStatus {
    const own = this.running.get(status.id)
    if (own) return { ...own.status }
    if (!stale) return status
    if (status.state === 'checking')
      return {
        ...status,
        state: 'failed',
        reason: 'stopped-checking',
        message: 'The server checking this import stopped before the check finished; upload the files again.',
      }
    // Applying runs in one transaction: the stopped process changed everything or nothing, and
    // applying again either makes the version or finds it made (unchanged).
    return {
      ...status,
      state: 'checked',
      reason: 'stopped-applying',
      message: 'The server applying this import stopped before it answered; apply it again (a grid applied twice changes nothing).',
    }
  }
}

function refuseToApply(status: ImportStatus): void {
  if (status.state === 'checking') throw new HttpProblem(409, 'Import still being checked', 'Wait until the check has finished, then apply.')
  if (status.state === 'applying') throw new HttpProblem(409, 'Import being applied', 'This import is being applied already.')
  if (status.state === 'applied' || status.state === 'unchanged')
    throw new HttpProblem(409, 'Import applied already', `This import was applied already (grid version ${status.version ?? 'unchanged'}).`)
  if (status.state === 'failed') throw new HttpProblem(409, 'Import not checked', 'The check of this import did not finish; upload the files again.')
  if (status.errors > 0) {
    const kinds = status.kinds.filter((k) => k.severity === 'error')
    throw new HttpProblem(
      422,
      'Blocking problems',
      `The grid has ${status.errors} blocking problems (${kinds.map((k) => `${k.kind} ${k.count}`).join(', ')}); fix them in the files and upload again.`,
      kinds.map((k) => ({ name: k.kind, reason: `${k.count} blocking problems of this kind` })),
    )
  }
}

function busyProblem(other: ImportStatus, advice: string): HttpProblem {
  return new HttpProblem(
    409,
    'Another import is running',
    `The import of ${other.files.join(', ')} is being ${other.state === 'checking' ? 'checked' : 'applied'}; ${advice}`,
    undefined,
    { running: other.id },
  )
}

function notFound(id: string): HttpProblem {
  return new HttpProblem(404, 'Import not found', `No grid import has the id ${id} (the last ${store.KEPT} imports are kept).`)
}

function effectiveOf(status: ImportStatus): string {
  return status.settings.effective ?? new Date().toISOString().slice(0, 10)
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
