/**
 * The report's data: one call to /api/evaluation/report through the typed client, and where the
 * report's grid and period come from (the address: /report?grid=&period=).
 */
import type { InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'

export type EvaluationReport = InferResponseType<typeof api.evaluation.report.$get, 200>
export const REPORT_PATH = '/report'

export function isReportPath(pathname: string): boolean {
  return pathname === REPORT_PATH || pathname === `${REPORT_PATH}/`
}

/** The period to print when the address names none: the last full month in China time (UTC+8). */
export function defaultPeriod(now = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3_600_000)
  const d = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - 1, 1))
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** `count` months written yyyy-mm, from `latest` back, newest first (the period pickers' options). */
export function recentMonths(latest: string, count = 24): string[] {
  const [year, month] = latest.split('-').map(Number) as [number, number]
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - i, 1))
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
  })
}

export async function fetchReport(grid: string | null, period: string): Promise<EvaluationReport> {
  return readJson<EvaluationReport>(await api.evaluation.report.$get({ query: { period, ...(grid ? { grid } : {}) } }))
}
