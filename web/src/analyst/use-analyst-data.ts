/**
 * react-query hooks of the analyst view, each keyed by the filter's one canonical spelling
 * (filterKey), so two views of one selection share one request. While a new selection loads the
 * previous answer stays (placeholder data): the charts and the map change once, not via empty.
 */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { CategoryIndex } from '../incidents/categories.ts'
import { fetchByCell, fetchIncidentPage, fetchPoints, fetchSummary, type Bucket } from './analyst-api.ts'
import { filterKey, type AnalystFilter } from './filter-state.ts'
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

export function usePoints(filter: AnalystFilter, categories: CategoryIndex | undefined) {
  return useQuery({
    queryKey: queryKeys.analyst.points(filterKey(filter)),
    // The key travels with the points: while the next selection loads, the map can tell whose points it holds.
    queryFn: async ({ signal }) => ({ key: filterKey(filter), points: await fetchPoints(filter, categories, signal) }),
    enabled: categories !== undefined,
    placeholderData: keepPreviousData,
    // A million points are tens of megabytes: keep only the selections just left.
    gcTime: 30_000,
  })
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
