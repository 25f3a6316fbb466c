/**
 * The command centre's requests for grid workers' field work, through the one typed Hono RPC client
 * and JSON reader of api/rpc.ts:
 * silent household groups (polygons for the map layer and the ranked list), a day's patrol tracks
 * for playback (of the grid in view or of one grid worker, picked from that day's workers), and
 * the coverage figure of the grid in view.
 */
import type { FeatureCollection, MultiPolygon } from 'geojson'
import type { InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'

export type SilentList = InferResponseType<typeof api.coverage.silent.$get, 200>
export type SilentCell = Extract<SilentList, { cells: unknown }>['cells'][number]
export type SilentCollection = FeatureCollection<MultiPolygon, SilentCell>
export type DayTracks = InferResponseType<typeof api.patrols.$get, 200>
export type Track = DayTracks['tracks'][number]
export type Coverage = InferResponseType<typeof api.coverage.$get, 200>
export type WorkerList = Extract<InferResponseType<typeof api.coverage.workers.$get, 200>, { workers: unknown }>
export type WorkerDay = WorkerList['workers'][number]

/** Household groups under `grid` silent for `days`, as polygons (most silent first). */
export async function fetchSilentShapes(grid: string, days: number, signal?: AbortSignal): Promise<SilentCollection> {
  return readJson<SilentCollection>(await api.coverage.silent.$get({ query: { grid, days: String(days), format: 'geojson' } }, { init: { signal } }))
}

/** One China Standard Time day's tracks under `grid` the viewer may see; of one grid worker when `person` is given. */
export async function fetchDayTracks(grid: string, date: string, person: number | null, signal?: AbortSignal): Promise<DayTracks> {
  const query = person === null ? { grid, date } : { grid, date, person: String(person) }
  return readJson<DayTracks>(await api.patrols.$get({ query }, { init: { signal } }))
}

/** The grid workers under `grid` with their patrols on one China Standard Time day (the playback's picker). */
export async function fetchWorkersOfDay(grid: string, date: string, signal?: AbortSignal): Promise<WorkerDay[]> {
  const from = new Date(`${date}T00:00:00+08:00`)
  const to = new Date(from.getTime() + 86_400_000)
  const list = await readJson<WorkerList>(
    await api.coverage.workers.$get({ query: { grid, from: from.toISOString(), to: to.toISOString() } }, { init: { signal } }),
  )
  return list.workers
}

export async function fetchCoverage(grid: string, signal?: AbortSignal): Promise<Coverage> {
  return readJson<Coverage>(await api.coverage.$get({ query: { grid } }, { init: { signal } }))
}
