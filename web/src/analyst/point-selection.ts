/**
 * Which points the analyst map fetches for a selection, and when the points it holds already
 * answer a new one. A million points take seconds to fetch and a frame to filter on the GPU, so
 * the map fetches a selection's points once with the dimensions the GPU can filter left open,
 * and a later change that stays inside them is drawn by changing the filter's uniforms only.
 *
 * The rule:
 * - Fetched: the selection with category, status and severity left open (every category, status
 *   and severity of the selection's area, window, search and flags). Each point carries its
 *   subcategory, status and severity, so any narrowing or re-widening within them is a GPU filter
 *   (deck.gl's DataFilterExtension category filter) and never a request. Left open only while
 *   the subcategories fit the GPU filter's bit mask (32 per dimension); past that, categories are
 *   fetched as selected.
 * - Covered (no request): every server-side parameter the points were fetched with is equal
 *   (area, overdue, escalated, search), the statuses and severities lie within the fetched ones
 *   (an empty list is "any": it covers all, and is covered only by "any"), and so does the time
 *   window. Categories fetched open cover any categories; fetched as selected, only the same ones.
 * - Time: the points carry their window as the server selected it (a relative range resolved to
 *   from/to) and their time in whole minutes from a minute boundary (points-format.ts). An absolute
 *   window inside the one held whose bounds are unit boundaries (every window the time controls
 *   make: local midnights, the brush rounded to the minute) is cut on the GPU, exactly the points a
 *   request would return. A bound finer than that (a hand-edited address) is fetched. A relative
 *   range is covered only by the same range (the window held): another one ends at the server's
 *   now, past what is held, and is fetched. Playback's moving window is cut the same way, its bounds
 *   moved on to the next minute (its count and the map always agree).
 * - Anything else (another area, a wider window, a changed search or flag) refetches.
 * Pure: no React, no fetching; the hook (use-analyst-data.ts) and the layers read it.
 */
import { cutsExactly, POINT_STATUSES } from '../../../server/analytics/points-format.ts'
import type { AnalystFilter } from './filter-state.ts'

/** Values per dimension the GPU filter can tell apart (DataFilterExtension, categorySize 3: 32-bit masks). */
export const GPU_CATEGORY_LIMIT = 32

/** The selection to fetch points for: the GPU-filterable dimensions left open. */
export function pointsSelectionOf(filter: AnalystFilter, subcategoryCount: number): AnalystFilter {
  const category = subcategoryCount <= GPU_CATEGORY_LIMIT ? [] : filter.category
  return { ...filter, category, status: [], severity: [] }
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((v, i) => v === b[i])

/** A fetched category list covers a code: "any", the code itself, or its top-level category. */
function categoryCovered(loaded: readonly string[], code: string): boolean {
  return loaded.some((l) => l === code || code.startsWith(`${l}.`))
}

function listCovered<T>(loaded: readonly T[], next: readonly T[], covers: (loaded: readonly T[], value: T) => boolean): boolean {
  if (loaded.length === 0) return true
  if (next.length === 0) return false
  return next.every((value) => covers(loaded, value))
}

/** The time of held points: what their time column counts from and in, and the window they were selected for. */
export interface HeldTime {
  /** Epoch ms the time column counts from (a minute boundary). */
  base: number
  /** Ms per unit of the time column (a minute, or whole minutes for spans past 31 years). */
  unitMs: number
  /** The window the points were selected for, epoch ms [from, to); ±Infinity where open. */
  windowFrom: number
  windowTo: number
}

/** An absolute window's bounds in epoch ms (±Infinity where open). */
export function windowOf(filter: Pick<AnalystFilter, 'from' | 'to'>): [number, number] {
  return [filter.from ? Date.parse(filter.from) : -Infinity, filter.to ? Date.parse(filter.to) : Infinity]
}

/**
 * Whether the held points hold every point of `next`'s window, and can cut it exactly on the GPU.
 * Without their time (not arrived yet), only the window fetched is known to be held.
 */
function timeCovered(loaded: AnalystFilter, next: AnalystFilter, held: HeldTime | undefined): boolean {
  // A relative range leaves out from/to (filterToParams): it is the window held only if it is the range fetched.
  if (next.range !== null) return loaded.range === next.range
  if (!held) return loaded.range === null && loaded.from === next.from && loaded.to === next.to
  const [from, to] = windowOf(next)
  const grid = { t0: held.base, timeUnitSeconds: held.unitMs / 1000 }
  return from >= held.windowFrom && to <= held.windowTo && cutsExactly(grid, from) && cutsExactly(grid, to)
}

/**
 * Whether points fetched for `loaded` hold every point of `next` (so `next` is a GPU filter of
 * them). `held` is the points' time, once they have arrived.
 */
export function coversSelection(loaded: AnalystFilter, next: AnalystFilter, held?: HeldTime): boolean {
  return (
    loaded.grid === next.grid &&
    timeCovered(loaded, next, held) &&
    loaded.overdue === next.overdue &&
    loaded.escalated === next.escalated &&
    loaded.q.trim() === next.q.trim() &&
    // Categories fetched as selected (too many subcategories for the GPU's masks) are server-side.
    (loaded.category.length === 0 || sameList(loaded.category, next.category)) &&
    listCovered(loaded.status, next.status, (l, s) => l.includes(s)) &&
    listCovered(loaded.severity, next.severity, (l, s) => l.includes(s))
  )
}

/**
 * The epoch ms window the GPU cuts out of the held points for `filter` (which they cover), or null
 * when it is the whole window held (a relative range, or the window fetched).
 */
export function timeCutOf(filter: AnalystFilter, held: HeldTime): [number, number] | null {
  if (filter.range !== null) return null
  const [from, to] = windowOf(filter)
  return from <= held.windowFrom && to >= held.windowTo ? null : [from, to]
}

/**
 * What the GPU keeps of the held points: the kept values of each dimension, as the points carry
 * them (subcategory index into the response's category order, status index of POINT_STATUSES,
 * severity 1–4). Every dimension is always given (an open one lists every value), so one bit
 * mask per dimension answers.
 */
export interface PointFilter {
  categories: number[]
  statuses: number[]
  severities: number[]
  /** True when nothing is cut: every point of the held set is shown. */
  open: boolean
}

const SEVERITY_VALUES = [1, 2, 3, 4]

/**
 * The GPU filter that shows `filter`'s points out of a set whose category column indexes
 * `categoryOrder`. Past GPU_CATEGORY_LIMIT subcategories the points carry category key 0 (the
 * server filtered them): the category channel keeps everything.
 */
export function pointFilterOf(filter: AnalystFilter, categoryOrder: readonly string[]): PointFilter {
  const categories = !fitsGpuFilter(categoryOrder)
    ? [0]
    : categoryOrder.flatMap((code, i) => (filter.category.length === 0 || categoryCovered(filter.category, code) ? [i] : []))
  const statuses = POINT_STATUSES.flatMap((status, i) => (filter.status.length === 0 || filter.status.includes(status) ? [i] : []))
  const severities = SEVERITY_VALUES.filter((s) => filter.severity.length === 0 || filter.severity.includes(s))
  return {
    categories,
    statuses,
    severities,
    open:
      (!fitsGpuFilter(categoryOrder) || categories.length === categoryOrder.length) &&
      statuses.length === POINT_STATUSES.length &&
      severities.length === SEVERITY_VALUES.length,
  }
}

const filterCategories = new WeakMap<PointFilter, [number[], number[], number[]]>()

/** deck.gl's filterCategories for categorySize 3, in the attribute's channel order (one array per PointFilter). */
export function filterCategoriesOf(filter: PointFilter): [number[], number[], number[]] {
  let categories = filterCategories.get(filter)
  if (!categories) filterCategories.set(filter, (categories = [filter.categories, filter.statuses, filter.severities]))
  return categories
}

/**
 * The shader's category bit mask for categorySize 3 (one 32-bit word per channel, the value as the
 * bit), as DataFilterExtension builds it when category values are their own keys. The heatmap's
 * weight pass is given it directly (the extension computes it only in a primitive layer's draw).
 */
export function categoryBitMaskOf(filterCategories: readonly (readonly number[])[]): Uint32Array {
  const mask = new Uint32Array(4)
  filterCategories.forEach((values, channel) => {
    for (const value of values) if (value < GPU_CATEGORY_LIMIT) mask[channel]! |= 2 ** value
  })
  return mask
}

/** Whether the points' category keys fit the masks (more subcategories than bits are not GPU-filterable). */
export function fitsGpuFilter(categoryOrder: readonly string[]): boolean {
  return categoryOrder.length <= GPU_CATEGORY_LIMIT
}
