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
  },
  analyst: {
    /** `selection` is filterKey(filter): the selection's canonical query. */
    summary: (selection: string, bucket: Bucket) => ['analyst', 'summary', selection, bucket] as const,
    points: (selection: string) => ['analyst', 'points', selection] as const,
    byCell: (level: number, selection: string) => ['analyst', 'by-cell', level, selection] as const,
    list: (selection: string) => ['analyst', 'list', selection] as const,
  },
  notices: {
    /** Every notice query: a notice event refreshes them all. */
    all: ['notices'] as const,
    list: (status: 'active' | 'closed') => ['notices', 'list', status] as const,
    /** One notice with its cells at `level` (the command centre's view). */
    detail: (id: number | null, level: number | undefined) => ['notices', 'detail', id, level] as const,
    /** One notice as its recipient opens it. */
    mine: (id: number) => ['notices', 'detail', id, 'mine'] as const,
    inbox: ['notices', 'inbox'] as const,
    /** `target` is the target's canonical JSON. */
    preview: (target: string) => ['notices', 'preview', target] as const,
    wall: {
      all: ['notices', 'wall'] as const,
      active: ['notices', 'wall', 'active'] as const,
      outline: (id: number | undefined) => ['notices', 'wall', 'outline', id] as const,
    },
  },
  wall: {
    all: ['wall', 'summary'] as const,
    summary: (grid: string | undefined) => ['wall', 'summary', grid] as const,
  },
}
