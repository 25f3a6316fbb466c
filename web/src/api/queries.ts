/**
 * react-query hooks over the typed API client: what the screens ask for, cached by grid code.
 * Grid data only changes when the database is re-seeded, so it is treated as fresh for the
 * whole session.
 */
import { useQuery } from '@tanstack/react-query'
import {
  fetchContextRegions,
  fetchGridCell,
  fetchGridChildrenGeometry,
  fetchGridGeometry,
  fetchGridRoots,
} from './client.ts'

const FOREVER = Number.POSITIVE_INFINITY

export function useGridRoots() {
  return useQuery({ queryKey: ['grids'], queryFn: fetchGridRoots, staleTime: FOREVER })
}

export function useGridCell(code: string | undefined) {
  return useQuery({
    queryKey: ['grids', code],
    queryFn: () => fetchGridCell(code!),
    enabled: code !== undefined,
    staleTime: FOREVER,
  })
}

export function useGridGeometry(code: string | undefined) {
  return useQuery({
    queryKey: ['grids', code, 'geometry'],
    queryFn: () => fetchGridGeometry(code!),
    enabled: code !== undefined,
    staleTime: FOREVER,
  })
}

export function useGridChildrenGeometry(code: string | undefined) {
  return useQuery({
    queryKey: ['grids', code, 'geometry', 'children'],
    queryFn: () => fetchGridChildrenGeometry(code!),
    enabled: code !== undefined,
    staleTime: FOREVER,
  })
}

export function useContextRegions() {
  return useQuery({ queryKey: ['regions', 'context'], queryFn: fetchContextRegions, staleTime: FOREVER })
}
