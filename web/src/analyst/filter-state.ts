/**
 * The analyst view's one filter state, and its two spellings: the page address
 * (`/analyst?category=dispute&range=30d`) and the query of every incident endpoint. They are the
 * same parameters (the server's contract), so one function writes both and the view, the map,
 * the charts and the export can never disagree on what "the selection" is.
 *
 * The address is the whole truth: a missing parameter means "any". Only a bare `/analyst` is
 * given the default selection (disputes of the last 12 months), written back into the address so
 * the link a user shares always says what it shows. Parameters are written in one fixed order
 * with sorted lists, so the same selection always has the same address (and the same cache key).
 */
import { isGridCode } from '../grid/codes.ts'

export const RANGES = ['24h', '7d', '30d', '12m'] as const
export type RelativeRange = (typeof RANGES)[number]

export const STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified', 'closed', 'dismissed'] as const
export type FilterStatus = (typeof STATUSES)[number]

export const SEVERITIES = [1, 2, 3, 4] as const

export interface AnalystFilter {
  /** Top-level (dispute) or sub (dispute.neighbour) category codes; empty: any. */
  category: string[]
  status: FilterStatus[]
  severity: number[]
  /** A grid subtree (its code); null: the whole district. */
  grid: string | null
  /** A relative window ending now; wins over from/to when both are given. */
  range: RelativeRange | null
  /** Absolute window (ISO date-times), when no relative range is set. */
  from: string | null
  to: string | null
  overdue: boolean
  escalated: boolean
  /** Text searched in titles. */
  q: string
}

export const EMPTY_FILTER: AnalystFilter = {
  category: [],
  status: [],
  severity: [],
  grid: null,
  range: null,
  from: null,
  to: null,
  overdue: false,
  escalated: false,
  q: '',
}

/** What a bare /analyst opens with: where disputes concentrated over the last year. */
export const DEFAULT_FILTER: AnalystFilter = { ...EMPTY_FILTER, category: ['dispute'], range: '12m' }

const CATEGORY_CODE = /^[a-z_]+(\.[a-z_]+)?$/
const MAX_Q = 100

function csv(value: string | null): string[] {
  return value
    ? [
        ...new Set(
          value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]
    : []
}

function isoOrNull(value: string | null): string | null {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null
}

/**
 * The filter an address asks for. Values the server would reject are dropped here (an old or
 * hand-edited link still opens, showing what it can); an empty search gives the default.
 */
export function filterFromSearch(search: string): AnalystFilter {
  const params = new URLSearchParams(search)
  if ([...params.keys()].length === 0) return DEFAULT_FILTER
  const range = params.get('range')
  const grid = params.get('grid')
  return {
    category: csv(params.get('category'))
      .filter((c) => CATEGORY_CODE.test(c))
      .sort(),
    status: csv(params.get('status'))
      .filter((s): s is FilterStatus => (STATUSES as readonly string[]).includes(s))
      .sort(),
    severity: csv(params.get('severity'))
      .map(Number)
      .filter((n) => (SEVERITIES as readonly number[]).includes(n))
      .sort(),
    grid: grid && isGridCode(grid) ? grid : null,
    range: (RANGES as readonly string[]).includes(range ?? '') ? (range as RelativeRange) : null,
    from: isoOrNull(params.get('from')),
    to: isoOrNull(params.get('to')),
    overdue: params.get('overdue') === '1',
    escalated: params.get('escalated') === '1',
    q: (params.get('q') ?? '').trim().slice(0, MAX_Q),
  }
}

/**
 * The filter as query parameters, in a fixed order: the address bar's and every endpoint's.
 * A relative range leaves out from/to (the server resolves it against its own clock).
 */
export function filterToParams(filter: AnalystFilter): Record<string, string> {
  const params: Record<string, string> = {}
  if (filter.category.length) params.category = [...filter.category].sort().join(',')
  if (filter.status.length) params.status = [...filter.status].sort().join(',')
  if (filter.severity.length) params.severity = [...filter.severity].sort().join(',')
  if (filter.grid) params.grid = filter.grid
  if (filter.range) params.range = filter.range
  else {
    if (filter.from) params.from = filter.from
    if (filter.to) params.to = filter.to
  }
  if (filter.overdue) params.overdue = '1'
  if (filter.escalated) params.escalated = '1'
  if (filter.q.trim()) params.q = filter.q.trim()
  return params
}

/** `?category=dispute&range=12m` (or '' for no parameters). */
export function searchOfFilter(filter: AnalystFilter): string {
  const search = new URLSearchParams(filterToParams(filter)).toString()
  return search ? `?${search}` : ''
}

/** A stable key of the selection, for caches and for telling one selection from another. */
export function filterKey(filter: AnalystFilter): string {
  return searchOfFilter(filter)
}

/** Narrows the selection to one category (a chart bar clicked): the other categories are dropped. */
export function withCategory(filter: AnalystFilter, code: string): AnalystFilter {
  return filter.category.length === 1 && filter.category[0] === code ? filter : { ...filter, category: [code] }
}

/** Toggles a value in a list field, keeping it sorted. */
export function toggled<T extends string | number>(list: readonly T[], value: T): T[] {
  return (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]).sort() as T[]
}

const MINUTE = 60_000
const toMinute = (ms: number) => Math.round(ms / MINUTE) * MINUTE

/**
 * An absolute window replaces any relative range. Its ends are rounded to whole minutes (under a
 * pixel of the histogram at any span of a day or more) and it lasts at least one: the points held
 * carry minutes, so a window inside them is cut exactly on the GPU (point-selection.ts).
 */
export function withWindow(filter: AnalystFilter, from: Date, to: Date): AnalystFilter {
  const start = toMinute(from.getTime())
  const end = Math.max(start + MINUTE, toMinute(to.getTime()))
  return { ...filter, range: null, from: new Date(start).toISOString(), to: new Date(end).toISOString() }
}
