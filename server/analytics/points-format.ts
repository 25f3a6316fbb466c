/**
 * The binary points format of `GET /api/incidents/points` (media type
 * application/vnd.gridscope.points): the filtered incidents as column-wise typed arrays,
 * little-endian, 14 bytes per point before padding, so the client hands them to deck.gl as
 * attributes without building one object per point. Pure code with no server imports: the web
 * client imports decodePoints from here.
 *
 * Layout (offsets in bytes; n = count; every column starts on a 4-byte boundary):
 *   0  magic "GSPT"           4  version u16 = 2     6  reserved u16 = 0
 *   8  count u32             12  time unit in seconds u32 (60 = minutes)
 *  16  t0 f64: epoch ms of the start of the earliest point's minute (what the time column counts from)
 *  24  t1 f64: epoch ms of the latest reported_at (whole ms)
 *  32  west, south, east, north f32: bounds of the positions (zeros when n = 0)
 *  48  window from f64: epoch ms the selection's window starts at (inclusive), -Infinity when open
 *  56  window to f64: epoch ms it ends at (exclusive), +Infinity when open. A relative range
 *      (range=12m) is sent as the server resolved it, so the client knows what it holds.
 *  64  positions  Float32Array(2n): lon, lat, … (WGS 84 degrees, not quantised: float32 keeps ≈ 1 m)
 *      category   Uint8Array(n): index into the subcategory order (the x-categories header,
 *                 the order of GET /api/categories' children)
 *      severityStatus Uint8Array(n): severity 1–4 in the low 3 bits, status index (POINT_STATUSES) in the high 5
 *      time       Uint32Array(n): whole time units since t0, rounded down; always below 2^24
 * Points are in reported_at order, then id.
 *
 * Why whole minutes. The client cuts a narrower time window out of the points it holds on the GPU
 * (deck.gl's DataFilterExtension), which compares float32 values: integers are exact only up to
 * 2^24. The cut must keep exactly the points a request for that window would (the server compares
 * `reported_at >= from and reported_at < to`, to the microsecond). With the time rounded down to
 * whole units counted from a unit boundary, a bound that is itself a unit boundary is decided
 * exactly: reported_at >= b ⟺ unit(reported_at) >= unit(b). The analyst's time controls express
 * whole minutes: the date inputs give local midnights, the histogram's brush is rounded to the
 * minute (less than one pixel at any span of a day or more), and a relative range is a new
 * window ending at the server's now, which is fetched. Minutes then cut every window the controls
 * make exactly, and 12 months are 525,600 of them, far below 2^24 (31.9 years). Seconds would be
 * 3.2·10^7 a year, past 2^24; hours (version 1) could not cut a brushed window exactly. A span too
 * long for 2^24 minutes is sent in a coarser whole number of minutes (timeUnitFor); the client
 * then cuts only bounds on that unit's boundaries and fetches the others (cutsExactly).
 */
export const POINTS_MEDIA_TYPE = 'application/vnd.gridscope.points'
export const POINTS_VERSION = 2
export const POINTS_HEADER_BYTES = 64
const MAGIC = [0x47, 0x53, 0x50, 0x54] // "GSPT"
const MINUTE_MS = 60_000
/** Time values stay below this: float32 holds every integer up to it. */
export const TIME_LIMIT = 2 ** 24

/** Status index order of severityStatus (the workflow's order; a test keeps them equal). */
export const POINT_STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified', 'closed', 'dismissed'] as const

export interface PointColumns {
  count: number
  /** Seconds per unit of `time`: 60 (minutes) unless the span needs a coarser unit to stay below 2^24. */
  timeUnitSeconds: number
  /** Epoch ms: the start of the earliest point's minute, and the latest point's time (0 when empty). */
  t0: number
  t1: number
  bounds: [west: number, south: number, east: number, north: number]
  /** The selection's window in epoch ms, [from, to); ±Infinity where it is open. */
  windowFrom: number
  windowTo: number
  positions: Float32Array
  category: Uint8Array
  severityStatus: Uint8Array
  time: Uint32Array
}

type HeaderFields = 'count' | 'timeUnitSeconds' | 't0' | 't1' | 'bounds' | 'windowFrom' | 'windowTo'

const align4 = (n: number) => (n + 3) & ~3

/** Byte offsets of the columns for `count` points, and the total size. */
export function pointsLayout(count: number) {
  const positions = POINTS_HEADER_BYTES
  const category = positions + 8 * count
  const severityStatus = align4(category + count)
  const time = align4(severityStatus + count)
  return { positions, category, severityStatus, time, bytes: align4(time + 4 * count) }
}

/** The start of the minute `ms` falls in: what t0 is (whole minutes from the epoch, also before 1970). */
export function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS
}

/**
 * The time unit (in seconds) for points from t0 to t1 (epoch ms): a minute, or the fewest whole
 * minutes that keep every value below 2^24 (exact in float32).
 */
export function timeUnitFor(t0: number, t1: number): number {
  const minutes = Math.max(0, t1 - t0) / MINUTE_MS
  return 60 * (Math.floor(minutes / TIME_LIMIT) + 1)
}

export const severityOf = (severityStatus: number) => severityStatus & 0b111
export const statusIndexOf = (severityStatus: number) => severityStatus >> 3
export const packSeverityStatus = (severity: number, statusIndex: number) => (statusIndex << 3) | severity

/**
 * An empty response buffer for `count` points whose columns the caller fills in place, so the
 * encoder writes each value once. Call writePointsHeader when the columns are filled.
 */
export function allocatePoints(count: number): { buffer: Uint8Array; columns: Omit<PointColumns, Exclude<HeaderFields, 'count'>> } {
  const layout = pointsLayout(count)
  const buffer = new Uint8Array(layout.bytes)
  return {
    buffer,
    columns: {
      count,
      positions: new Float32Array(buffer.buffer, layout.positions, 2 * count),
      category: new Uint8Array(buffer.buffer, layout.category, count),
      severityStatus: new Uint8Array(buffer.buffer, layout.severityStatus, count),
      time: new Uint32Array(buffer.buffer, layout.time, count),
    },
  }
}

export function writePointsHeader(buffer: Uint8Array, h: Pick<PointColumns, HeaderFields>): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset, POINTS_HEADER_BYTES)
  MAGIC.forEach((byte, i) => view.setUint8(i, byte))
  view.setUint16(4, POINTS_VERSION, true)
  view.setUint16(6, 0, true)
  view.setUint32(8, h.count, true)
  view.setUint32(12, h.timeUnitSeconds, true)
  view.setFloat64(16, h.t0, true)
  view.setFloat64(24, h.t1, true)
  h.bounds.forEach((v, i) => view.setFloat32(32 + 4 * i, v, true))
  view.setFloat64(48, h.windowFrom, true)
  view.setFloat64(56, h.windowTo, true)
}

/** Reads a points response. The columns are views on the buffer (copied once if it is not 4-byte aligned). */
export function decodePoints(input: ArrayBuffer | Uint8Array): PointColumns {
  let bytes = input instanceof Uint8Array ? input : new Uint8Array(input)
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice()
  if (bytes.byteLength < POINTS_HEADER_BYTES) throw new Error(`points: ${bytes.byteLength} bytes is shorter than the ${POINTS_HEADER_BYTES}-byte header`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, POINTS_HEADER_BYTES)
  if (MAGIC.some((byte, i) => view.getUint8(i) !== byte)) throw new Error('points: not a Gridscope points buffer (magic is not GSPT)')
  const version = view.getUint16(4, true)
  if (version !== POINTS_VERSION) throw new Error(`points: version ${version} is not supported (expected ${POINTS_VERSION})`)
  const count = view.getUint32(8, true)
  const layout = pointsLayout(count)
  if (bytes.byteLength < layout.bytes) throw new Error(`points: ${bytes.byteLength} bytes, expected ${layout.bytes} for ${count} points`)
  const at = bytes.byteOffset
  return {
    count,
    timeUnitSeconds: view.getUint32(12, true),
    t0: view.getFloat64(16, true),
    t1: view.getFloat64(24, true),
    bounds: [0, 1, 2, 3].map((i) => view.getFloat32(32 + 4 * i, true)) as PointColumns['bounds'],
    windowFrom: view.getFloat64(48, true),
    windowTo: view.getFloat64(56, true),
    positions: new Float32Array(bytes.buffer, at + layout.positions, 2 * count),
    category: new Uint8Array(bytes.buffer, at + layout.category, count),
    severityStatus: new Uint8Array(bytes.buffer, at + layout.severityStatus, count),
    time: new Uint32Array(bytes.buffer, at + layout.time, count),
  }
}

/** Epoch ms of the start of point i's time unit (its reported_at lies in [this, this + unit)). */
export function pointTime(points: Pick<PointColumns, 't0' | 'timeUnitSeconds' | 'time'>, i: number): number {
  return points.t0 + points.time[i]! * points.timeUnitSeconds * 1000
}

/**
 * The time unit of an epoch ms as a bound: the first unit whose points lie at or after it. For a
 * bound on a unit boundary (cutsExactly) the points of units ≥ it are exactly those reported at
 * or after it; for any other, those reported from the next boundary on. Clamped to [-1, 2^24], so
 * it stays an integer float32 holds exactly whatever the bound (±Infinity for an open one).
 */
export function timeBoundOf(points: Pick<PointColumns, 't0' | 'timeUnitSeconds'>, ms: number): number {
  const unit = Math.ceil((ms - points.t0) / (points.timeUnitSeconds * 1000))
  return Math.min(TIME_LIMIT, Math.max(-1, unit))
}

/** Whether an epoch ms, as a window bound, divides the points exactly by their time column (open bounds do). */
export function cutsExactly(points: Pick<PointColumns, 't0' | 'timeUnitSeconds'>, ms: number): boolean {
  return !Number.isFinite(ms) || (ms - points.t0) % (points.timeUnitSeconds * 1000) === 0
}
