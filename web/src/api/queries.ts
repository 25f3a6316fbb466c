/**
 * react-query hooks over the typed API client: what the screens ask for, cached by grid code.
 * Grid data only changes when the database is re-seeded, so it is treated as fresh for the
 * whole session. The hooks for the selected cell keep showing the previous cell's data while
 * the next one loads (`keepPreviousData`), so the panel and the map never flash empty during a
 * drill-down; `isPlaceholderData` tells the caller which one it has.
 */
import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query'
import { fetchContextRegions, fetchGridCell, fetchGridChildrenGeometry, fetchGridGeometry, fetchGridRoots, fetchGridSearch, fetchMeta } from './client.ts'
import { queryKeys } from './query-keys.ts'

const FOREVER = Number.POSITIVE_INFINITY
export const SEARCH_LIMIT = 12

const cellQuery = (code: string) => ({ queryKey: queryKeys.grids.cell(code), queryFn: () => fetchGridCell(code), staleTime: FOREVER })
const childrenGeometryQuery = (code: string) => ({
  queryKey: queryKeys.grids.childrenGeometry(code),
  queryFn: () => fetchGridChildrenGeometry(code),
  staleTime: FOREVER,
})

export function useMeta() {
  return useQuery({ queryKey: queryKeys.meta, queryFn: fetchMeta, staleTime: FOREVER })
}

export function useGridRoots() {
  return useQuery({ queryKey: queryKeys.grids.roots, queryFn: fetchGridRoots, staleTime: FOREVER })
}

export function useGridCell(code: string | undefined) {
  return useQuery({ ...cellQuery(code ?? ''), enabled: code !== undefined, placeholderData: keepPreviousData })
}

export function useGridGeometry(code: string | undefined) {
  return useQuery({
    queryKey: queryKeys.grids.geometry(code ?? ''),
    queryFn: () => fetchGridGeometry(code!),
    enabled: code !== undefined,
    staleTime: FOREVER,
    placeholderData: keepPreviousData,
  })
}

export function useGridChildrenGeometry(code: string | undefined) {
  return useQuery({ ...childrenGeometryQuery(code ?? ''), enabled: code !== undefined, placeholderData: keepPreviousData })
}

/** Loads a cell and its children's outlines ahead of a likely click (pointer resting on it). */
export function prefetchDrill(queryClient: QueryClient, code: string): void {
  void queryClient.prefetchQuery(cellQuery(code))
  void queryClient.prefetchQuery(childrenGeometryQuery(code))
}

export function useGridSearch(q: string) {
  const query = q.trim()
  return useQuery({
    queryKey: queryKeys.grids.search(query),
    queryFn: ({ signal }) => fetchGridSearch(query, SEARCH_LIMIT, signal),
    enabled: query.length > 0,
    staleTime: FOREVER,
    placeholderData: keepPreviousData,
  })
}

export function useContextRegions() {
  return useQuery({ queryKey: queryKeys.regions.context, queryFn: fetchContextRegions, staleTime: FOREVER })
}
