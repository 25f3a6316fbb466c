/**
 * The analyst view's requests, all through the typed Hono RPC client and all with the same
 * filter parameters (filterToParams): the summary (figures, charts, comparison), the points as
 * one binary buffer (decoded without a per-point object), counts per grid cell, a page of the
 * list, and the export as a stream (read here with progress, then saved from a Blob).
 */
import type { IncidentsByCell, IncidentSummary } from '../../../server/analytics/types.ts'
import type { IncidentPage } from '../api/client.ts'
import { api, readJson, throwProblem } from '../api/rpc.ts'
import type { CategoryIndex } from '../incidents/categories.ts'
import { filterToParams, type AnalystFilter } from './filter-state.ts'
import { toPointSet, type PointSet } from './point-set.ts'
import { readWithProgress, type DownloadProgress, type ExportFormat } from './download.ts'

export type Bucket = IncidentSummary['bucket']
export type { IncidentSummary, IncidentsByCell }

export async function fetchSummary(filter: AnalystFilter, bucket: Bucket, signal?: AbortSignal): Promise<IncidentSummary> {
  const response = await api.incidents.summary.$get({ query: { ...filterToParams(filter), bucket } }, { init: { signal } })
  return readJson<IncidentSummary>(response)
}

export async function fetchPoints(filter: AnalystFilter, categories: CategoryIndex | undefined, signal?: AbortSignal): Promise<PointSet> {
  const response = await api.incidents.points.$get({ query: filterToParams(filter) }, { init: { signal } })
  if (!response.ok) await throwProblem(response)
  const order = (response.headers.get('x-categories') ?? '').split(',').filter(Boolean)
  return toPointSet(await response.arrayBuffer(), order, categories)
}

export async function fetchByCell(filter: AnalystFilter, level: number, signal?: AbortSignal): Promise<IncidentsByCell> {
  const response = await api.incidents['by-cell'].$get({ query: { ...filterToParams(filter), level: String(level) as '2' } }, { init: { signal } })
  return readJson<IncidentsByCell>(response)
}

export const LIST_PAGE = 50

export async function fetchIncidentPage(filter: AnalystFilter, cursor: string | undefined, signal?: AbortSignal): Promise<IncidentPage> {
  const response = await api.incidents.$get({ query: { ...filterToParams(filter), limit: String(LIST_PAGE), cursor } }, { init: { signal } })
  return readJson<IncidentPage>(response)
}

export type { ExportFormat }

/** Streams the export of the selection, reporting progress, and returns it as a Blob. */
export async function fetchExport(filter: AnalystFilter, format: ExportFormat, onProgress: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<Blob> {
  const response = await api.incidents.export.$get({ query: { ...filterToParams(filter), format } }, { init: { signal } })
  if (!response.ok || !response.body) await throwProblem(response)
  const total = Number(response.headers.get('x-total-count'))
  const parts = await readWithProgress(response.body!, Number.isFinite(total) ? total : null, format, onProgress)
  return new Blob(parts, { type: response.headers.get('content-type') ?? 'application/octet-stream' })
}
