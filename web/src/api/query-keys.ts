/**
 * Every react-query key of the client, from one factory: a screen that invalidates "the cell's
 * figures" or "every wall summary" names the same key the query was made with, instead of a
 * literal array that must match by hand. Keys nest (`all` of a family is the prefix of its
 * members), so `invalidateQueries({ queryKey: queryKeys.wall.all })` reaches every stop's summary.
 */
import type { Bucket } from '../analyst/analyst-api.ts'

export const queryKeys = {
  me: ['me'] as const,
  meta: ['meta'] as const,
  categories: ['categories'] as const,
  regions: { context: ['regions', 'context'] as const },
  grids: {
    roots: ['grids'] as const,
    /** The cell with its figures (invalidate with `exact: true` to leave its geometry alone). */
    cell: (code: string) => ['grids', code] as const,
    geometry: (code: string) => ['grids', code, 'geometry'] as const,
    childrenGeometry: (code: string) => ['grids', code, 'geometry', 'children'] as const,
    search: (q: string) => ['grids', 'search', q] as const,
  },
  incidents: {
    one: (id: number) => ['incidents', 'one', id] as const,
    open: (grid: string) => ['incidents', 'open', grid] as const,
    candidates: (id: number, level: number) => ['incidents', 'candidates', id, level] as const,
    duplicates: (category: string, lon: number, lat: number, exclude?: number) => ['incidents', 'duplicates', category, lon, lat, exclude ?? null] as const,
  },
  /** My cases (我的待办): invalidated after every action taken from any screen. */
  myCases: ['my-cases'] as const,
  departments: ['departments'] as const,
  audit: {
    all: ['audit'] as const,
    /** `query`: the page's filter and position as a query string. */
    page: (query: string) => ['audit', query] as const,
  },
  analyst: {
    /** `selection` is filterKey(filter): the selection's canonical query. */
    summary: (selection: string, bucket: Bucket) => ['analyst', 'summary', selection, bucket] as const,
    points: (selection: string) => ['analyst', 'points', selection] as const,
    byCell: (level: number, selection: string) => ['analyst', 'by-cell', level, selection] as const,
    list: (selection: string) => ['analyst', 'list', selection] as const,
  },
  wall: {
    all: ['wall', 'summary'] as const,
    summary: (grid: string | undefined) => ['wall', 'summary', grid] as const,
  },
}
