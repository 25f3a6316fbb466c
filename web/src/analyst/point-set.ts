/**
 * The filtered incidents as the map holds them: the binary response of /api/incidents/points
 * (decoded by the server's own decodePoints, zero-copy views on the one ArrayBuffer) plus the
 * four columns deck.gl reads as attributes that the wire format does not carry as such: time
 * as float32 whole minutes since the first point's minute (the filter value, exact: the format's
 * header comment says why), severity as a float (the heatmap
 * weight), an RGBA colour per point (its category family) and the GPU filter's category keys
 * (subcategory, status, severity as uint32: point-selection.ts). One pass over the columns, no
 * per-point objects, so a million points cost a few typed arrays.
 */
import { decodePoints, severityOf, statusIndexOf, timeBoundOf, type PointColumns } from '../../../server/analytics/points-format.ts'
import { categoryColor, type CategoryIndex } from '../incidents/categories.ts'
import { fitsGpuFilter, type HeldTime, type PointFilter } from './point-selection.ts'

export interface PointSet extends HeldTime {
  length: number
  /** lon, lat per point (the response's own buffer). */
  positions: Float32Array
  /** Whole time units (unitMs) since `base`, per point, in the server's order (reported time, ascending). */
  times: Float32Array
  severity: Float32Array
  /** RGBA per point. */
  colors: Uint8Array
  /** Subcategory index, status index, severity per point: the GPU filter's category values. */
  filterKeys: Uint32Array
  /** The subcategory code of each category index (the response's x-categories header). */
  categoryOrder: readonly string[]
  /** The response as received, for the bench and the debug handle. */
  bytes: number
  bounds: PointColumns['bounds']
}

export const EMPTY_POINTS: PointSet = {
  length: 0,
  positions: new Float32Array(0),
  base: 0,
  unitMs: 60_000,
  windowFrom: -Infinity,
  windowTo: Infinity,
  times: new Float32Array(0),
  severity: new Float32Array(0),
  colors: new Uint8Array(0),
  filterKeys: new Uint32Array(0),
  categoryOrder: [],
  bytes: 0,
  bounds: [0, 0, 0, 0],
}

/** `categoryOrder` is the response's x-categories header: the subcategory code of each index. */
export function toPointSet(buffer: ArrayBuffer, categoryOrder: readonly string[], categories: CategoryIndex | undefined): PointSet {
  const columns = decodePoints(buffer)
  const n = columns.count
  const times = new Float32Array(n)
  const severity = new Float32Array(n)
  const colors = new Uint8Array(4 * n)
  const filterKeys = new Uint32Array(3 * n)
  // Past the GPU masks' width the server filtered categories: key 0 for all (point-selection.ts).
  const categoryKeys = fitsGpuFilter(categoryOrder)
  const palette = categoryOrder.map((code) => categoryColor(categories, code))
  const fallback = categoryColor(categories, '')
  for (let i = 0; i < n; i++) {
    times[i] = columns.time[i]!
    const severityStatus = columns.severityStatus[i]!
    severity[i] = severityOf(severityStatus)
    filterKeys[3 * i] = categoryKeys ? columns.category[i]! : 0
    filterKeys[3 * i + 1] = statusIndexOf(severityStatus)
    filterKeys[3 * i + 2] = severity[i]!
    const [r, g, b] = palette[columns.category[i]!] ?? fallback
    colors[4 * i] = r
    colors[4 * i + 1] = g
    colors[4 * i + 2] = b
    colors[4 * i + 3] = 220
  }
  return {
    length: n,
    positions: columns.positions,
    base: columns.t0,
    unitMs: columns.timeUnitSeconds * 1000,
    windowFrom: columns.windowFrom,
    windowTo: columns.windowTo,
    times,
    severity,
    colors,
    filterKeys,
    categoryOrder,
    bytes: buffer.byteLength,
    bounds: columns.bounds,
  }
}

/**
 * Which points a GPU filter keeps (1) or drops (0), as the shader decides it, for the counts and
 * the hexagon bins the CPU makes; null when the filter cuts nothing. One pass of table lookups.
 */
export function keptPoints(points: Pick<PointSet, 'length' | 'filterKeys'>, filter: PointFilter): Uint8Array | null {
  if (filter.open) return null
  const table = (values: number[], size: number) => {
    const t = new Uint8Array(size)
    for (const v of values) if (v < size) t[v] = 1
    return t
  }
  const categories = table(filter.categories, 256)
  const statuses = table(filter.statuses, 32)
  const severities = table(filter.severities, 8)
  const keys = points.filterKeys
  const kept = new Uint8Array(points.length)
  for (let i = 0; i < points.length; i++) {
    kept[i] = categories[keys[3 * i]!]! & statuses[keys[3 * i + 1]!]! & severities[keys[3 * i + 2]!]!
  }
  return kept
}

/** How many of the points with index in [start, end) are kept (all of them when `kept` is null). */
export function countKept(kept: Uint8Array | null, start: number, end: number): number {
  if (!kept) return end - start
  let n = 0
  for (let i = start; i < end; i++) n += kept[i]!
  return n
}

/** Index of the first time ≥ t (times ascending). */
function lowerBound(times: Float32Array, t: number): number {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[mid]! < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A window of epoch ms as the time units the GPU filter compares, [first, end): exact for bounds on
 * unit boundaries (points-format.ts cutsExactly), otherwise moved on to the next boundary, so the
 * counts made here and the points the GPU keeps are always the same.
 */
export function unitRangeOf(points: Pick<PointSet, 'base' | 'unitMs'>, from: number, to: number): [number, number] {
  const header = { t0: points.base, timeUnitSeconds: points.unitMs / 1000 }
  return [timeBoundOf(header, from), timeBoundOf(header, to)]
}

/** Indexes [start, end) of the points whose time units lie in [first, end): two binary searches, the points being in time order. */
export function indexRange(points: Pick<PointSet, 'times'>, [first, end]: [number, number]): [number, number] {
  const start = lowerBound(points.times, first)
  return [start, Math.max(start, lowerBound(points.times, end))]
}

/** How many points fall in [from, to) (epoch ms, as unitRangeOf cuts it). */
export function countInWindow(points: Pick<PointSet, 'times' | 'base' | 'unitMs'>, from: number, to: number): number {
  const [start, end] = indexRange(points, unitRangeOf(points, from, to))
  return end - start
}
