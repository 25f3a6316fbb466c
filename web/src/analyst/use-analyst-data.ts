/**
 * react-query hooks of the analyst view, each keyed by the filter's one canonical spelling
 * (filterKey), so two views of one selection share one request. While a new selection loads the
 * previous answer stays (placeholder data): the charts and the map change once, not via empty.
 * The points are the exception: they are keyed by the selection they were fetched for, which is
 * the selection widened where the GPU filters (point-selection.ts), and kept while the points
 * held cover the next selection (their time included: a narrower window is cut on the GPU), so
 * narrowing or re-widening within them requests nothing.
 */
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { CategoryIndex } from '../incidents/categories.ts'
import { fetchByCell, fetchIncidentPage, fetchPoints, fetchSummary, type Bucket } from './analyst-api.ts'
import { filterKey, type AnalystFilter } from './filter-state.ts'
import { coversSelection, pointsSelectionOf, type HeldTime } from './point-selection.ts'
import { ApiError } from '../api/rpc.ts'
import { queryKeys } from '../api/query-keys.ts'

const DAY = 86_400_000

/** Day buckets up to about a year (the histogram stays readable at a few pixels a bar), then weeks, then months. */
export function bucketFor(filter: AnalystFilter): Bucket {
  if (filter.range) return 'day'
  if (!filter.from || !filter.to) return 'week'
  const days = (Date.parse(filter.to) - Date.parse(filter.from)) / DAY
  return days <= 400 ? 'day' : days <= 3 * 366 ? 'week' : 'month'
}

export const BUCKET_MS: Record<Bucket, number> = { day: DAY, week: 7 * DAY, month: 31 * DAY }

export function useSummary(filter: AnalystFilter) {
  const bucket = bucketFor(filter)
  return useQuery({
    queryKey: queryKeys.analyst.summary(filterKey(filter), bucket),
    queryFn: ({ signal }) => fetchSummary(filter, bucket, signal),
    placeholderData: keepPreviousData,
  })
}

/** Subcategories the index knows (codes with a parent): how wide the category column's keys go. */
function subcategoryCount(categories: CategoryIndex): number {
  let n = 0
  for (const code of categories.keys()) if (code.includes('.')) n++
  return n
}

/**
 * The points of the selection the map shows: those held when they cover it, otherwise the
 * selection's widened points (pointsSelectionOf), fetched once. `selection` is what the held
 * points were fetched for; the page filters them on the GPU (pointFilterOf).
 */
export function usePoints(filter: AnalystFilter, categories: CategoryIndex | undefined) {
  const queryClient = useQueryClient()
  const [held, setHeld] = useState<{ selection: AnalystFilter; time: HeldTime } | null>(null)
  const wanted =
    held && coversSelection(held.selection, filter, held.time) ? held.selection : pointsSelectionOf(filter, categories ? subcategoryCount(categories) : 0)
  const key = filterKey(wanted)
  const query = useQuery({
    queryKey: queryKeys.analyst.points(key),
    // The selection travels with the points: while the next loads, the map can tell whose points it holds.
    queryFn: async ({ signal }) => {
      try {
        return { key, selection: wanted, points: await fetchPoints(wanted, categories, signal) }
      } catch (error) {
        // Widened past the most one response carries (413): the selection as asked, filtered by the server.
        if (!(error instanceof ApiError && error.problem.status === 413) || key === filterKey(filter)) throw error
        const exact = { key: filterKey(filter), selection: filter, points: await fetchPoints(filter, categories, signal) }
        // Held next, the exact selection is asked for by its own key: answer it from here.
        queryClient.setQueryData(queryKeys.analyst.points(exact.key), exact)
        return exact
      }
    },
    enabled: categories !== undefined,
    placeholderData: keepPreviousData,
    // A million points are tens of megabytes: keep only the selections just left.
    gcTime: 30_000,
  })
  const arrived = query.isPlaceholderData ? null : (query.data ?? null)
  useEffect(() => {
    if (!arrived) return
    const { base, unitMs, windowFrom, windowTo } = arrived.points
    setHeld({ selection: arrived.selection, time: { base, unitMs, windowFrom, windowTo } })
  }, [arrived])
  return query
}

export function useByCell(filter: AnalystFilter, level: number, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.analyst.byCell(level, filterKey(filter)),
    queryFn: ({ signal }) => fetchByCell(filter, level, signal),
    enabled,
    placeholderData: keepPreviousData,
  })
}

export function useIncidentList(filter: AnalystFilter) {
  return useInfiniteQuery({
    queryKey: queryKeys.analyst.list(filterKey(filter)),
    queryFn: ({ pageParam, signal }) => fetchIncidentPage(filter, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  })
}
