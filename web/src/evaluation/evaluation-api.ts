/** The evaluation screen's calls, through the one typed RPC client; its address is /evaluation?grid=&period=. */
import type { InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'
import type { EvaluatedRow, GridRef } from '../../../server/evaluation/queries.ts'

/** GET /api/evaluation as JSON (the route also answers CSV, which hides the JSON type from the client). */
export interface EvaluationCells {
  grid: GridRef
  period: { label: string; from: string; to: string }
  level: number
  self: EvaluatedCell
  cells: EvaluatedCell[]
}
export type EvaluatedCell = Omit<EvaluatedRow, 'breakdown'> & { breakdown: EvaluatedRow['breakdown'] }
export type EvaluationTrend = InferResponseType<typeof api.evaluation.trend.$get, 200>
export type EvaluationWeights = InferResponseType<typeof api.evaluation.weights.$get, 200>
export type WeightKey = keyof EvaluationWeights['weights']

const gridQuery = (grid: string | null) => (grid ? { grid } : {})

export async function fetchCells(grid: string | null, period: string, level: number | null): Promise<EvaluationCells> {
  return readJson<EvaluationCells>(await api.evaluation.$get({ query: { period, ...gridQuery(grid), ...(level ? { level: String(level) } : {}) } as never }))
}

export async function fetchTrend(grid: string | null, period: string): Promise<EvaluationTrend> {
  return readJson<EvaluationTrend>(await api.evaluation.trend.$get({ query: { period, months: '6', ...gridQuery(grid) } as never }))
}

export async function fetchWeights(): Promise<EvaluationWeights> {
  return readJson<EvaluationWeights>(await api.evaluation.weights.$get())
}

export async function saveWeights(weights: Record<WeightKey, number>): Promise<EvaluationWeights> {
  return readJson<EvaluationWeights>(await api.evaluation.weights.$put({ json: { weights } }))
}

/** The address of the screen for a grid and period. */
export function evaluationHref(grid: string | null, period: string): string {
  const q = new URLSearchParams({ period })
  if (grid) q.set('grid', grid)
  return `/evaluation?${q}`
}

export function reportHref(grid: string | null, period: string): string {
  const q = new URLSearchParams({ period })
  if (grid) q.set('grid', grid)
  return `/report?${q}`
}

/** The CSV export of the cells of one level under the grid (GET /api/evaluation?format=csv), UTF-8 with a BOM. */
export function cellsCsvHref(grid: string | null, period: string, level: number): string {
  const q = new URLSearchParams({ period, level: String(level), format: 'csv' })
  if (grid) q.set('grid', grid)
  return `/api/evaluation?${q}`
}

/** The CSV export of the grid workers under the grid (GET /api/evaluation/workers?format=csv). */
export function workersCsvHref(grid: string | null, period: string): string {
  const q = new URLSearchParams({ period, format: 'csv' })
  if (grid) q.set('grid', grid)
  return `/api/evaluation/workers?${q}`
}
