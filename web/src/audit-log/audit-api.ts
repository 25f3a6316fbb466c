/**
 * The audit log's calls, through the one typed RPC client: a page of records for a filter, and
 * the address of the same filter's CSV export (a plain link: the browser downloads it with the
 * session cookie).
 */
import type { InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'

/** The JSON answer (the same route answers CSV with format=csv). */
export type AuditPage = Extract<InferResponseType<typeof api.audit.$get, 200>, { items: unknown }>
export type AuditRecord = AuditPage['items'][number]

/** The filter as the page holds it: every field a string, '' when not set. */
export interface AuditFilter {
  actor: string
  action: string
  incident: string
  from: string
  to: string
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: '', action: '', incident: '', from: '', to: '' }
export const AUDIT_PAGE_SIZE = 50

/** The filter's set fields as query parameters. */
export function auditQuery(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => [k, v.trim()]),
  )
}

export async function fetchAuditPage(filter: AuditFilter, before: number | null): Promise<AuditPage> {
  const query = { ...auditQuery(filter), limit: String(AUDIT_PAGE_SIZE), ...(before ? { before: String(before) } : {}) }
  return readJson(await api.audit.$get({ query }))
}

export function auditCsvHref(filter: AuditFilter): string {
  return `/api/audit?${new URLSearchParams({ ...auditQuery(filter), format: 'csv' })}`
}
