/**
 * The web grid imports in the database (grid_import), every value bound. The status is stored as
 * the API answers it; the `state` column repeats its state so the one running import can be found
 * by index. An import checking or applying whose process stopped touching `heartbeat_at` for
 * STALE_SECONDS is no longer running: reads say so (`stale`) and another process may take it on.
 */
import type { TransactionSql } from 'postgres'
import type { Sql } from '../../db/connect.ts'
import type { ImportCell } from '../../imports/cells.ts'
import type { Problem } from '../../imports/checks.ts'
import type { ImportState, ImportStatus } from '../types.ts'

type Tx = TransactionSql<{}>

/** A process touches its running import every second; thirty without a touch means it stopped. */
export const STALE_SECONDS = 30
/** The imports kept for their status and problems (older ones are deleted as new ones come). */
export const KEPT = 20

export interface StoredImport {
  status: ImportStatus
  /** Checking or applying, but its process stopped touching it. */
  stale: boolean
}

interface ImportRow {
  state: ImportState
  status: ImportStatus
  stale: boolean
}

/** `stale`: checking or applying, and not touched for STALE_SECONDS. */
const staleColumn = (sql: Sql | Tx) => sql`(state in ('checking', 'applying') and heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS})) as stale`

const stored = (row: ImportRow): StoredImport => ({ status: { ...row.status, state: row.state }, stale: row.stale })

/** Serialises the start of imports and the claim to apply one, across processes (held until commit). */
export async function lockImportStarts(tx: Tx): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext('grid_import_start'))`
}

/** The import being checked or applied by a live process, if any. */
export async function runningImport(sql: Sql | Tx): Promise<ImportStatus | null> {
  const [row] = await sql<ImportRow[]>`
    select state, status, false as stale from grid_import
     where state in ('checking', 'applying') and heartbeat_at >= now() - make_interval(secs => ${STALE_SECONDS})
     order by created_at desc limit 1`
  return row ? stored(row).status : null
}

/** Stores a new import, and forgets the oldest past KEPT that are not running. */
export async function insertImport(tx: Tx, status: ImportStatus): Promise<void> {
  await tx`insert into grid_import (id, state, status) values (${status.id}, ${status.state}, ${tx.json(status as never)})`
  await tx`
    delete from grid_import
     where state not in ('checking', 'applying')
       and id not in (select id from grid_import order by created_at desc limit ${KEPT})`
}

/** Saves the import's status (its progress, its state) and touches its heartbeat. */
export async function saveStatus(sql: Sql, status: ImportStatus): Promise<void> {
  await sql`
    update grid_import set state = ${status.state}, status = ${sql.json(status as never)}, heartbeat_at = now()
     where id = ${status.id}`
}

/**
 * The heartbeat of a running import, with its progress. Only while the row is still in the state
 * the snapshot was taken in, so a beat sent just before the check or apply finished never puts a
 * finished import back to checking or applying.
 */
export async function touchImport(sql: Sql, status: ImportStatus): Promise<void> {
  await sql`
    update grid_import set status = ${sql.json(status as never)}, heartbeat_at = now()
     where id = ${status.id} and state = ${status.state}`
}

/** Saves a finished check: the status, the cells to insert and every problem. */
export async function saveChecked(sql: Sql, status: ImportStatus, cells: ImportCell[], problems: Problem[]): Promise<void> {
  await sql`
    update grid_import
       set state = ${status.state}, status = ${sql.json(status as never)}, cells = ${sql.json(cells as never)},
           problems = ${sql.json(problems as never)}, heartbeat_at = now()
     where id = ${status.id}`
}

export async function readImport(sql: Sql | Tx, id: string): Promise<StoredImport | null> {
  const [row] = await sql<ImportRow[]>`
    select state, status, ${staleColumn(sql)}
      from grid_import where id = ${id}`
  return row ? stored(row) : null
}

/** The imports kept, newest first. */
export async function listImports(sql: Sql): Promise<StoredImport[]> {
  const rows = await sql<ImportRow[]>`
    select state, status, ${staleColumn(sql)}
      from grid_import order by created_at desc limit ${KEPT}`
  return rows.map(stored)
}

export async function readProblems(sql: Sql, id: string): Promise<Problem[] | null> {
  const [row] = await sql<{ problems: Problem[] }[]>`select problems from grid_import where id = ${id}`
  return row ? row.problems : null
}

export async function readCells(sql: Sql, id: string): Promise<ImportCell[] | null> {
  const [row] = await sql<{ cells: ImportCell[] | null }[]>`select cells from grid_import where id = ${id}`
  return row?.cells ?? null
}

/**
 * Marks the import as being applied if it is checked, or was being applied by a process that
 * stopped (applying runs in one transaction, so that process changed nothing, or everything and
 * a second apply finds the version unchanged). False when its state allows neither.
 */
export async function claimForApply(tx: Tx, status: ImportStatus): Promise<boolean> {
  const rows = await tx`
    update grid_import set state = 'applying', status = ${tx.json(status as never)}, heartbeat_at = now()
     where id = ${status.id}
       and (state = 'checked' or (state = 'applying' and heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS})))
     returning id`
  return rows.length === 1
}
