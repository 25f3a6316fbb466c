/**
 * The binary points format of `GET /api/incidents/points` (media type
 * application/vnd.gridscope.points): the filtered incidents as column-wise typed arrays,
 * little-endian, 12 bytes per point before padding, so the client hands them to deck.gl as
 * attributes without building one object per point. Pure code with no server imports: the web
 * client imports decodePoints from here.
 *
 * Layout (offsets in bytes; n = count; every column starts on a 4-byte boundary):
 *   0  magic "GSPT"           4  version u16 = 1     6  reserved u16 = 0
 *   8  count u32             12  time unit in seconds u32 (3600 = hours)
 *  16  t0 f64: epoch ms of the earliest reported_at     24  t1 f64: epoch ms of the latest
 *  32  west, south, east, north f32: bounds of the positions (zeros when n = 0)
 *  48  reserved, zeros to 64
 *  64  positions  Float32Array(2n): lon, lat, … (WGS 84 degrees, not quantised: float32 keeps ≈ 1 m)
 *      category   Uint8Array(n): index into the subcategory order (the x-categories header,
 *                 the order of GET /api/categories' children)
 *      severityStatus Uint8Array(n): severity 1–4 in the low 3 bits, status index (POINT_STATUSES) in the high 5
 *      time       Uint16Array(n): whole time units since t0, rounded down
 * Points are in reported_at order, then id.
 */
export const POINTS_MEDIA_TYPE = 'application/vnd.gridscope.points'
export const POINTS_VERSION = 1
export const POINTS_HEADER_BYTES = 64
const MAGIC = [0x47, 0x53, 0x50, 0x54] // "GSPT"
const HOUR_SECONDS = 3600
const MAX_TIME = 65_535

/** Status index order of severityStatus (the workflow's order; a test keeps them equal). */
export const POINT_STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified', 'closed', 'dismissed'] as const

export interface PointColumns {
  count: number
  /** Seconds per unit of `time`: 3600 (hours) unless the span needs a coarser unit to fit 16 bits. */
  timeUnitSeconds: number
  /** Epoch ms of the earliest and the latest point (0 when empty). */
  t0: number
  t1: number
  bounds: [west: number, south: number, east: number, north: number]
  positions: Float32Array
  category: Uint8Array
  severityStatus: Uint8Array
  time: Uint16Array
}

const align4 = (n: number) => (n + 3) & ~3

/** Byte offsets of the columns for `count` points, and the total size. */
export function pointsLayout(count: number) {
  const positions = POINTS_HEADER_BYTES
  const category = positions + 8 * count
  const severityStatus = align4(category + count)
  const time = align4(severityStatus + count)
  return { positions, category, severityStatus, time, bytes: align4(time + 2 * count) }
}

/** The time unit (in seconds) that fits a span of epoch ms into 16 bits: hours, or a whole number of hours. */
export function timeUnitFor(t0: number, t1: number): number {
  const hours = Math.max(0, t1 - t0) / (HOUR_SECONDS * 1000)
  return HOUR_SECONDS * Math.max(1, Math.ceil(hours / MAX_TIME))
}

export const severityOf = (severityStatus: number) => severityStatus & 0b111
export const statusIndexOf = (severityStatus: number) => severityStatus >> 3
export const packSeverityStatus = (severity: number, statusIndex: number) => (statusIndex << 3) | severity

/**
 * An empty response buffer for `count` points whose columns the caller fills in place, so the
 * encoder writes each value once. Call writePointsHeader when the columns are filled.
 */
export function allocatePoints(count: number): { buffer: Uint8Array; columns: Omit<PointColumns, 'timeUnitSeconds' | 't0' | 't1' | 'bounds'> } {
  const layout = pointsLayout(count)
  const buffer = new Uint8Array(layout.bytes)
  return {
    buffer,
    columns: {
      count,
      positions: new Float32Array(buffer.buffer, layout.positions, 2 * count),
      category: new Uint8Array(buffer.buffer, layout.category, count),
      severityStatus: new Uint8Array(buffer.buffer, layout.severityStatus, count),
      time: new Uint16Array(buffer.buffer, layout.time, count),
    },
  }
}

export function writePointsHeader(buffer: Uint8Array, h: Pick<PointColumns, 'count' | 'timeUnitSeconds' | 't0' | 't1' | 'bounds'>): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset, POINTS_HEADER_BYTES)
  MAGIC.forEach((byte, i) => view.setUint8(i, byte))
  view.setUint16(4, POINTS_VERSION, true)
  view.setUint16(6, 0, true)
  view.setUint32(8, h.count, true)
  view.setUint32(12, h.timeUnitSeconds, true)
  view.setFloat64(16, h.t0, true)
  view.setFloat64(24, h.t1, true)
  h.bounds.forEach((v, i) => view.setFloat32(32 + 4 * i, v, true))
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
    positions: new Float32Array(bytes.buffer, at + layout.positions, 2 * count),
    category: new Uint8Array(bytes.buffer, at + layout.category, count),
    severityStatus: new Uint8Array(bytes.buffer, at + layout.severityStatus, count),
    time: new Uint16Array(bytes.buffer, at + layout.time, count),
  }
}

/** Epoch ms of the start of point i's time unit (its reported_at lies in [this, this + unit)). */
export function pointTime(points: Pick<PointColumns, 't0' | 'timeUnitSeconds' | 'time'>, i: number): number {
  return points.t0 + points.time[i]! * points.timeUnitSeconds * 1000
}
