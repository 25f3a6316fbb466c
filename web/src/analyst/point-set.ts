/**
 * The filtered incidents as the map holds them: the binary response of /api/incidents/points
 * (decoded by the server's own decodePoints, zero-copy views on the one ArrayBuffer) plus the
 * three columns deck.gl reads as attributes that the wire format does not carry as such: time
 * as float ms since the first point (the filter value), severity as a float (the heatmap
 * weight) and an RGBA colour per point (its category family). One pass over the columns, no
 * per-point objects, so a million points cost a few typed arrays.
 */
import { decodePoints, severityOf, type PointColumns } from '../../../server/analytics/points-format.ts'
import { categoryColor, type CategoryIndex } from '../incidents/categories.ts'

export interface PointSet {
  length: number
  /** lon, lat per point (the response's own buffer). */
  positions: Float32Array
  /** Epoch ms that `times` count from (the earliest point's time unit). */
  base: number
  /** Ms since `base`, per point, in the server's order (reported time, ascending). */
  times: Float32Array
  severity: Float32Array
  /** RGBA per point. */
  colors: Uint8Array
  /** The response as received, for the bench and the debug handle. */
  bytes: number
  bounds: PointColumns['bounds']
}

export const EMPTY_POINTS: PointSet = {
  length: 0,
  positions: new Float32Array(0),
  base: 0,
  times: new Float32Array(0),
  severity: new Float32Array(0),
  colors: new Uint8Array(0),
  bytes: 0,
  bounds: [0, 0, 0, 0],
}

/** `categoryOrder` is the response's x-categories header: the subcategory code of each index. */
export function toPointSet(buffer: ArrayBuffer, categoryOrder: readonly string[], categories: CategoryIndex | undefined): PointSet {
  const columns = decodePoints(buffer)
  const n = columns.count
  const unitMs = columns.timeUnitSeconds * 1000
  const times = new Float32Array(n)
  const severity = new Float32Array(n)
  const colors = new Uint8Array(4 * n)
  const palette = categoryOrder.map((code) => categoryColor(categories, code))
  const fallback = categoryColor(categories, '')
  for (let i = 0; i < n; i++) {
    times[i] = columns.time[i]! * unitMs
    severity[i] = severityOf(columns.severityStatus[i]!)
    const [r, g, b] = palette[columns.category[i]!] ?? fallback
    colors[4 * i] = r
    colors[4 * i + 1] = g
    colors[4 * i + 2] = b
    colors[4 * i + 3] = 220
  }
  return { length: n, positions: columns.positions, base: columns.t0, times, severity, colors, bytes: buffer.byteLength, bounds: columns.bounds }
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

/** Indexes [start, end) of the points in [from, to) (epoch ms): two binary searches, the points being in time order. */
export function indexRange(points: Pick<PointSet, 'times' | 'base'>, from: number, to: number): [number, number] {
  const start = lowerBound(points.times, from - points.base)
  return [start, Math.max(start, lowerBound(points.times, to - points.base))]
}

/** How many points fall in [from, to) (epoch ms). */
export function countInWindow(points: Pick<PointSet, 'times' | 'base'>, from: number, to: number): number {
  const [start, end] = indexRange(points, from, to)
  return end - start
}
