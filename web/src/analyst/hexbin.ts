/**
 * Hexagon bins of the loaded points, counted on the CPU from the typed columns: flat-topped
 * hexagons of a given circumradius (metres) in a local equirectangular plane around the points'
 * centre (accurate to well under 1% across a district). The points are in time order, so during
 * playback only the slice inside the window is binned (two binary searches find it): a week of a
 * million-point year is tens of thousands of points, a few milliseconds a frame, no refetch.
 *
 * deck.gl's own HexagonLayer was tried first; with binary attributes in MapLibre's interleaved
 * context it drew nothing (GPU aggregation) or one hexagon over the whole district (CPU), so the
 * bins are computed here and drawn as six-sided columns (layers/analyst-layers.ts).
 */
export interface HexBin {
  /** Centre, lon/lat. */
  position: [number, number]
  count: number
}

const M_PER_DEG_LAT = 110_574
const M_PER_DEG_LON_EQUATOR = 111_320
const SQRT3 = Math.sqrt(3)

/**
 * Bins of the points with index in [start, end): `positions` is lon, lat, lon, lat, … Only the
 * points `kept` marks 1 count, when it is given (the GPU filter's selection: point-set.ts).
 */
export function binPoints(
  positions: Float32Array,
  start: number,
  end: number,
  radiusM: number,
  origin: [number, number],
  kept: Uint8Array | null = null,
): HexBin[] {
  const mx = M_PER_DEG_LON_EQUATOR * Math.cos((origin[1] * Math.PI) / 180)
  const counts = new Map<number, number>()
  for (let i = start; i < end; i++) {
    if (kept && kept[i] === 0) continue
    const x = (positions[2 * i]! - origin[0]) * mx
    const y = (positions[2 * i + 1]! - origin[1]) * M_PER_DEG_LAT
    // Axial coordinates of a flat-topped hexagon, then cube rounding.
    const qf = ((2 / 3) * x) / radiusM
    const rf = ((-1 / 3) * x + (SQRT3 / 3) * y) / radiusM
    const sf = -qf - rf
    let q = Math.round(qf)
    let r = Math.round(rf)
    const s = Math.round(sf)
    const dq = Math.abs(q - qf)
    const dr = Math.abs(r - rf)
    const ds = Math.abs(s - sf)
    if (dq > dr && dq > ds) q = -r - s
    else if (dr > ds) r = -q - s
    const key = (q + 32768) * 65536 + (r + 32768)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const bins: HexBin[] = []
  for (const [key, count] of counts) {
    const q = Math.floor(key / 65536) - 32768
    const r = (key % 65536) - 32768
    const x = radiusM * 1.5 * q
    const y = radiusM * SQRT3 * (r + q / 2)
    bins.push({ position: [origin[0] + x / mx, origin[1] + y / M_PER_DEG_LAT], count })
  }
  return bins
}

/**
 * The colour class (0 … classes − 1) of a count, on a square-root scale from 1 to the largest
 * bin: counts are skewed (a few hot spots, a long tail), and a linear scale paints the tail as one.
 */
export function binClass(count: number, max: number, classes: number): number {
  if (max <= 1) return classes - 1
  return Math.min(classes - 1, Math.floor(Math.sqrt((count - 1) / (max - 1)) * classes))
}
