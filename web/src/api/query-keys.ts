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
    /** Every incident query: what a newly sent report may change. */
    all: ['incidents'] as const,
    one: (id: number) => ['incidents', 'one', id] as const,
    open: (grid: string) => ['incidents', 'open', grid] as const,
    /** Whom a case may be dispatched to, from the level that handles it. */
    candidates: (id: number, handlingLevel: number) => ['incidents', 'candidates', id, handlingLevel] as const,
    /** Every duplicate suggestion: stale once a case is reported or merged. */
    allDuplicates: ['incidents', 'duplicates'] as const,
    duplicates: (category: string, lon: number, lat: number, exclude?: number) => ['incidents', 'duplicates', category, lon, lat, exclude ?? null] as const,
    /** The phone's open cases of the worker's cell, and those waiting for the worker to act. */
    fieldOpen: (scope: string) => ['incidents', 'field-open', scope] as const,
    fieldActionable: (scope: string) => ['incidents', 'field-actionable', scope] as const,
  },
  /** My cases (我的待办): invalidated after every action taken from any screen. */
  myCases: ['my-cases'] as const,
  departments: ['departments'] as const,
  gridImport: {
    all: ['grid-import'] as const,
    status: (id: string) => ['grid-import', 'status', id] as const,
    problems: (id: string) => ['grid-import', 'problems', id] as const,
  },
  fieldWork: {
    silent: (grid: string | undefined, days: number) => ['field-work', 'silent', grid, days] as const,
    /** One day's patrol tracks in a cell, of one worker when `person` is given. */
    tracks: (grid: string | undefined, date: string, person: number | null = null) => ['field-work', 'tracks', grid, date, person] as const,
    /** The workers of a village who could have patrolled that day (the playback picker). */
    workers: (grid: string | undefined, date: string) => ['field-work', 'workers', grid, date] as const,
    coverage: (grid: string | undefined) => ['field-work', 'coverage', grid] as const,
  },
  /** Homes in a box (its bounds joined by commas) at a zoom (single homes or clusters). */
  homes: (box: string | null, zoom: number | null) => ['homes', box, zoom] as const,
  evaluation: {
    report: (grid: string | null, period: string) => ['evaluation', 'report', grid, period] as const,
    /** Every score: stale once the weights change. */
    all: ['evaluation'] as const,
    cells: (grid: string | null, period: string, level: number | null) => ['evaluation', 'cells', grid, period, level] as const,
    trend: (grid: string | null, period: string) => ['evaluation', 'trend', grid, period] as const,
    weights: ['evaluation', 'weights'] as const,
  },
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
