/**
 * The report's data: one call to /api/evaluation/report through the typed client, and where the
 * report's grid and period come from (the address: /report?grid=&period=).
 */
import { hc, type InferResponseType } from 'hono/client'
import type { AppType } from '../../../server/app.ts'
import { ApiError } from '../api/client.ts'

const api = hc<AppType>('/').api

export type EvaluationReport = InferResponseType<typeof api.evaluation.report.$get, 200>
export const REPORT_PATH = '/report'

export function isReportPath(pathname: string): boolean {
  return pathname === REPORT_PATH || pathname === `${REPORT_PATH}/`
}

/** The period to print when the address names none: the month before the current one. */
export function defaultPeriod(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

export async function fetchReport(grid: string | null, period: string): Promise<EvaluationReport> {
  const response = await api.evaluation.report.$get({ query: { period, ...(grid ? { grid } : {}) } })
  if (response.ok) return (await response.json()) as EvaluationReport
  const problem = (await response.json().catch(() => null)) as { title?: string; status?: number; detail?: string } | null
  throw new ApiError({ title: problem?.title ?? 'Request failed', status: response.status, detail: problem?.detail })
}
