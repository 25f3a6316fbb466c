/**
 * The homes on the map screen: the households in the inspected cell's box, through the one typed
 * RPC client. A household group is asked for at household-group zoom (single homes); a villager
 * group one step further out (clusters). Above that no homes are drawn: they would be noise.
 */
import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { queryKeys } from '../api/query-keys.ts'
import { api, readJson } from '../api/rpc.ts'
import type { Bbox } from '../map/geometry.ts'

export type Homes = InferResponseType<typeof api.households.$get, 200>

/** Zoom the homes are asked for by the inspected cell's level (4 villager group, 5 household group). */
export const HOMES_ZOOM_BY_LEVEL: Record<number, number> = { 4: 15, 5: 17 }

export async function fetchHomes(box: Bbox, zoom: number, signal?: AbortSignal): Promise<Homes> {
  const [west, south, east, north] = box
  const query = { west: String(west), south: String(south), east: String(east), north: String(north), zoom: String(zoom) }
  return readJson<Homes>(await api.households.$get({ query }, { init: { signal } }))
}

export function useHomes(box: Bbox | undefined, level: number) {
  const zoom = HOMES_ZOOM_BY_LEVEL[level]
  return useQuery({
    queryKey: queryKeys.homes(box?.join(',') ?? null, zoom ?? null),
    queryFn: ({ signal }) => fetchHomes(box!, zoom!, signal),
    enabled: Boolean(box) && zoom !== undefined,
    staleTime: 60_000,
  })
}
