/**
 * Which positions of a patrol count as visits. A position is kept but flagged when it lies outside
 * the district (no household group covers it), when the phone says it is less accurate than
 * 500 m, or when reaching it from the last plausible position would take more than 200 km/h.
 * Flags are decided in time order over the whole patrol, so batches arriving out of order end up
 * with the same flags as if they had arrived in order. Pure: the service applies the result.
 */
export const MAX_ACCURACY_M = 500
export const MAX_SPEED_KMH = 200

export interface StoredPosition {
  t: Date
  lon: number
  lat: number
  accuracy: number
  gridCode: string | null
}

export interface Assessed {
  flag: 'outside' | 'too_fast' | 'inaccurate' | null
  /** Metres from the previous plausible position; 0 for the first and for flagged positions. */
  segmentM: number
}

const EARTH_RADIUS_M = 6_371_008.8

/** Great-circle distance in metres (haversine on the mean Earth radius). */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Flags and segment lengths for positions sorted by time (the result is in the same order). */
export function assessPositions(sorted: StoredPosition[]): Assessed[] {
  let last: StoredPosition | null = null
  return sorted.map((p) => {
    if (p.gridCode === null) return { flag: 'outside', segmentM: 0 }
    if (p.accuracy > MAX_ACCURACY_M) return { flag: 'inaccurate', segmentM: 0 }
    if (last) {
      const metres = distanceM(last, p)
      const hours = (p.t.getTime() - last.t.getTime()) / 3_600_000
      if (metres / 1000 > MAX_SPEED_KMH * hours) return { flag: 'too_fast', segmentM: 0 }
      last = p
      return { flag: null, segmentM: metres }
    }
    last = p
    return { flag: null, segmentM: 0 }
  })
}
