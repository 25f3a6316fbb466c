/**
 * The wall's requests, through the typed Hono RPC client like the rest of the web client: the
 * summary of the district or a town, the cases reported in the last minutes (to fill the live
 * layer on start).
 */
import type { InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'

export type WallSummary = InferResponseType<typeof api.wall.summary.$get, 200>
export type WallAlertRow = WallSummary['alerts'][number]
export type RecentIncident = InferResponseType<typeof api.incidents.$get, 200>['items'][number]

export async function fetchWallSummary(grid: string | undefined, signal?: AbortSignal): Promise<WallSummary> {
  return readJson<WallSummary>(await api.wall.summary.$get({ query: grid ? { grid } : {} }, { init: { signal } }))
}

/** Cases reported since `from` (newest first, at most `limit`). */
export async function fetchRecentIncidents(from: Date, limit: number, signal?: AbortSignal): Promise<RecentIncident[]> {
  const response = await api.incidents.$get({ query: { from: from.toISOString(), limit: String(limit) } }, { init: { signal } })
  return (await readJson<{ items: RecentIncident[] }>(response)).items
}
