/**
 * The addresses of the case-handling screens, kept apart from the screens so the entry point and
 * the header can name them without loading their chunks, and who sees each in the navigation.
 */
import type { Me } from '../api/client.ts'

export const MY_CASES_PATH = '/cases'
export const CASE_REPORT_PATH = '/cases/report'
export const DEPARTMENTS_PATH = '/departments'
export const AUDIT_PATH = '/audit'
export const EVALUATION_PATH = '/evaluation'
export const GRID_IMPORT_PATH = '/import'
/** The base data's import (households, people), a screen of its own beside the grid's. */
export const BASE_DATA_IMPORT_PATH = '/import/base-data'

const at = (path: string) => (pathname: string) => pathname === path || pathname === `${path}/`

export const isMyCasesPath = at(MY_CASES_PATH)
export const isCaseReportPath = at(CASE_REPORT_PATH)
export const isDepartmentsPath = at(DEPARTMENTS_PATH)
export const isAuditPath = at(AUDIT_PATH)
export const isEvaluationPath = at(EVALUATION_PATH)
export const isBaseDataImportPath = at(BASE_DATA_IMPORT_PATH)
export const isGridImportPath = at(GRID_IMPORT_PATH)

/** Roles that act on cases (report, register, dispatch, handle): my cases and reporting from the desk. */
export function actsOnCases(me: Pick<Me, 'permissions' | 'kind'>): boolean {
  return me.kind === 'user' && me.permissions.write
}

/** The commander manages departments; leaders read them (they dispatch to them); others do not need the page. */
export function seesDepartments(me: Pick<Me, 'role'>): boolean {
  return me.role === 'commander' || me.role === 'town_leader' || me.role === 'village_leader'
}

export function managesDepartments(me: Pick<Me, 'role'>): boolean {
  return me.role === 'commander'
}

export function readsAuditLog(me: Pick<Me, 'permissions'>): boolean {
  return me.permissions.audit
}

/** Leaders, the commander and analysts read the evaluation; a grid worker is what it evaluates. */
export function readsEvaluation(me: Pick<Me, 'role' | 'kind'>): boolean {
  return me.kind === 'user' && me.role !== 'grid_worker'
}

/** Only the commander changes the evaluation weights (the server decides again). */
export function editsEvaluationWeights(me: Pick<Me, 'role' | 'kind'>): boolean {
  return me.kind === 'user' && me.role === 'commander'
}

/** Only the commander imports base data (the server decides again). */
export function importsBaseData(me: Pick<Me, 'role' | 'kind'>): boolean {
  return me.kind === 'user' && me.role === 'commander'
}

/** Only the commander imports a county's grid (the server decides again). */
export function importsGrid(me: Pick<Me, 'role' | 'kind'>): boolean {
  return me.kind === 'user' && me.role === 'commander'
}
