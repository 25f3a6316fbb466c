/**
 * The points' time column against the server's own window filter: a window the analyst's controls
 * make (bounds on whole minutes) keeps on the GPU (float32, inclusive range of whole units) exactly
 * the points `reported_at >= from and reported_at < to` selects, one second or one microsecond
 * either side of a bound included.
 */
import { describe, expect, it } from 'vitest'
import { encodeRecords, windowBoundMs } from './points.ts'
import { cutsExactly, decodePoints, pointTime, TIME_LIMIT, timeBoundOf, timeUnitFor } from './points-format.ts'

const PG_EPOCH_MS = Date.UTC(2000, 0, 1)
const MINUTE = 60_000
const DAY = 86_400_000

/** Records as PostgreSQL sends them (points.ts): lon, lat, category << 8 | severityStatus, timestamptz in µs since 2000. */
function recordsAt(micros: readonly bigint[]): Buffer {
  const records = Buffer.alloc(18 * micros.length)
  micros.forEach((us, i) => {
    records.writeFloatBE(111.1, 18 * i)
    records.writeFloatBE(21.5, 18 * i + 4)
    records.writeUInt16BE((1 << 8) | 2, 18 * i + 8)
    records.writeBigInt64BE(us, 18 * i + 10)
  })
  return records
}
const microsOf = (ms: number) => BigInt(ms - PG_EPOCH_MS) * 1000n

/** What the GPU keeps for a window: DataFilterExtension's float32 comparison of the time column. */
function gpuKeeps(points: ReturnType<typeof decodePoints>, from: number, to: number): number[] {
  const first = Math.fround(timeBoundOf(points, from))
  const last = Math.fround(timeBoundOf(points, to) - 1)
  const kept: number[] = []
  points.time.forEach((t, i) => {
    const value = Math.fround(t)
    if (value >= first && value <= last) kept.push(i)
  })
  return kept
}

describe('the points time column', () => {
  // 12 months of points, with some a second and a microsecond either side of two minute bounds.
  const start = Date.UTC(2025, 11, 1, 3, 17, 42, 512)
  const from = Date.UTC(2026, 2, 10, 16, 0)
  const to = Date.UTC(2026, 7, 3, 0, 1)
  const end = start + 365 * DAY
  const micros: bigint[] = [microsOf(start)]
  for (const bound of [from, to]) {
    const us = microsOf(bound)
    micros.push(us - 1_000_000n, us - 1n, us, us + 1n, us + 1_000_000n, us + 59_999_999n, us + 60_000_000n)
  }
  for (let t = start + 7 * DAY + 1234; t < end; t += 3 * DAY + 41_017) micros.push(microsOf(t))
  micros.push(microsOf(end))
  micros.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const points = decodePoints(encodeRecords(recordsAt(micros)).body)
  /** The server's filter, on the exact microseconds. */
  const serverKeeps = (a: number, b: number) => micros.flatMap((us, i) => (us >= microsOf(a) && us < microsOf(b) ? [i] : []))

  it('counts whole minutes from the first point’s minute, below 2^24 and so exact in float32', () => {
    expect(points.timeUnitSeconds).toBe(60)
    expect(points.t0).toBe(Math.floor(start / MINUTE) * MINUTE)
    const last = points.time[points.count - 1]!
    expect(last).toBe(Math.floor((end - points.t0) / MINUTE))
    expect(last).toBeLessThan(TIME_LIMIT)
    expect(Math.fround(last)).toBe(last)
    micros.forEach((us, i) => {
      const ms = PG_EPOCH_MS + Number(us) / 1000
      expect(ms - pointTime(points, i), `point ${i}`).toBeGreaterThanOrEqual(0)
      expect(ms - pointTime(points, i), `point ${i}`).toBeLessThan(MINUTE)
    })
  })

  it('keeps on the GPU exactly the points the server selects for a window of whole minutes', () => {
    for (const [a, b] of [
      [from, to],
      [from, from + MINUTE],
      [from - MINUTE, to + MINUTE],
      [points.t0, Math.ceil(end / MINUTE) * MINUTE],
      [Date.UTC(2026, 0, 1, 16), Date.UTC(2026, 0, 31, 16)],
    ] as const) {
      expect(cutsExactly(points, a) && cutsExactly(points, b)).toBe(true)
      const kept = gpuKeeps(points, a, b)
      expect(kept, `${new Date(a).toISOString()} – ${new Date(b).toISOString()}`).toEqual(serverKeeps(a, b))
    }
    // At a bound: the point a microsecond before it is out, the one at it is in.
    const atFrom = micros.indexOf(microsOf(from))
    expect(gpuKeeps(points, from, to)).toContain(atFrom)
    expect(gpuKeeps(points, from, to)).not.toContain(atFrom - 1)
    const atTo = micros.indexOf(microsOf(to))
    expect(gpuKeeps(points, from, to)).toContain(atTo - 1)
    expect(gpuKeeps(points, from, to)).not.toContain(atTo)
  })

  it('tells a bound between minutes, which only a request decides exactly', () => {
    expect(cutsExactly(points, from + 1000)).toBe(false)
    expect(cutsExactly(points, from + 1)).toBe(false)
    expect(cutsExactly(points, -Infinity)).toBe(true)
    // Cut anyway (playback), the window starts at the next minute.
    expect(gpuKeeps(points, from + 1000, to)).toEqual(serverKeeps(from + MINUTE, to))
  })

  it('takes a coarser unit of whole minutes when 2^24 minutes do not span the points', () => {
    expect(timeUnitFor(0, 365 * DAY)).toBe(60)
    expect(timeUnitFor(0, (TIME_LIMIT - 1) * MINUTE)).toBe(60)
    expect(timeUnitFor(0, TIME_LIMIT * MINUTE)).toBe(120)
    const wide = decodePoints(encodeRecords(recordsAt([microsOf(Date.UTC(1970, 0, 1)), microsOf(Date.UTC(2026, 0, 1, 0, 3))])).body)
    expect(wide.timeUnitSeconds).toBe(120)
    expect(wide.time[1]).toBeLessThan(TIME_LIMIT)
    expect(cutsExactly(wide, Date.UTC(2026, 0, 1, 0, 2))).toBe(true)
    expect(cutsExactly(wide, Date.UTC(2026, 0, 1, 0, 3))).toBe(false)
  })

  it('carries the selection’s window, claiming no more than the server selected', () => {
    const window = { from: windowBoundMs('2026-03-10T16:00:00.000001Z', 'from'), to: windowBoundMs('2026-08-03T08:01:00+08:00', 'to') }
    expect(window).toEqual({ from: from + 1, to })
    const held = decodePoints(encodeRecords(recordsAt(micros.slice(0, 3)), window).body)
    expect([held.windowFrom, held.windowTo]).toEqual([from + 1, to])
    const open = decodePoints(encodeRecords(recordsAt([])).body)
    expect([open.windowFrom, open.windowTo]).toEqual([-Infinity, Infinity])
    expect(windowBoundMs(undefined, 'to')).toBe(Infinity)
  })
})
