import { describe, expect, it } from 'vitest'
import { allocatePoints, packSeverityStatus, writePointsHeader } from '../../../server/analytics/points-format.ts'
import { indexCategories } from '../incidents/categories.ts'
import { countInWindow, countKept, indexRange, keptPoints, toPointSet, unitRangeOf } from './point-set.ts'
import { pointFilterOf } from './point-selection.ts'
import { EMPTY_FILTER } from './filter-state.ts'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const CATEGORIES = indexCategories([
  { code: 'dispute', nameZh: '矛盾纠纷', nameEn: 'Disputes', color: '#ff0000', children: [{ code: 'dispute.land', nameZh: '土地', nameEn: 'Land' }] },
  { code: 'safety', nameZh: '安全隐患', nameEn: 'Safety', color: '#00ff00', children: [{ code: 'safety.fire', nameZh: '消防', nameEn: 'Fire' }] },
] as never)

/** A points buffer as the server writes it: three points, in the minutes 0, 300 and 1,800 after T0. */
function buffer(): ArrayBuffer {
  const { buffer, columns } = allocatePoints(3)
  columns.positions.set([111, 21.5, 111.1, 21.6, 111.2, 21.7])
  columns.category.set([0, 1, 0])
  columns.severityStatus.set([packSeverityStatus(1, 0), packSeverityStatus(4, 6), packSeverityStatus(2, 3)])
  columns.time.set([0, 300, 1800])
  writePointsHeader(buffer, {
    count: 3,
    timeUnitSeconds: 60,
    t0: T0,
    t1: T0 + 30 * HOUR + 59_000,
    bounds: [111, 21.5, 111.2, 21.7],
    windowFrom: T0 - HOUR,
    windowTo: Infinity,
  })
  return buffer.buffer as ArrayBuffer
}

describe('toPointSet', () => {
  const points = toPointSet(buffer(), ['dispute.land', 'safety.fire'], CATEGORIES)

  it('keeps the positions and gives time, weight and colour columns', () => {
    expect(points.length).toBe(3)
    expect(Array.from(points.positions.slice(0, 2))).toEqual([111, 21.5].map(Math.fround))
    expect(points.base).toBe(T0)
    expect(points.unitMs).toBe(MINUTE)
    expect([points.windowFrom, points.windowTo]).toEqual([T0 - HOUR, Infinity])
    expect(Array.from(points.times)).toEqual([0, 300, 1800])
    expect(Array.from(points.severity)).toEqual([1, 4, 2])
    // Colour of the category family: dispute red, safety green.
    expect(Array.from(points.colors.slice(0, 8))).toEqual([255, 0, 0, 220, 0, 255, 0, 220])
  })

  it('counts the points in a half-open window of whole minutes', () => {
    expect(countInWindow(points, T0, T0 + 5 * HOUR)).toBe(1)
    expect(countInWindow(points, T0, T0 + 5 * HOUR + MINUTE)).toBe(2)
    expect(countInWindow(points, T0 + 5 * HOUR, T0 + 5 * HOUR + MINUTE)).toBe(1)
    expect(countInWindow(points, T0 + 5 * HOUR + MINUTE, T0 + 30 * HOUR)).toBe(0)
    expect(countInWindow(points, T0 - HOUR, T0 + 100 * HOUR)).toBe(3)
    expect(countInWindow(points, T0 + 40 * HOUR, T0 + 50 * HOUR)).toBe(0)
  })

  it('moves a bound between minutes on to the next minute, for the GPU and the counts alike', () => {
    // The point of minute 300 may lie anywhere in it: a bound inside that minute cannot keep it half.
    expect(unitRangeOf(points, T0 + 5 * HOUR + 1, T0 + 30 * HOUR + 1)).toEqual([301, 1801])
    expect(countInWindow(points, T0 + 5 * HOUR + 1, T0 + 30 * HOUR + 1)).toBe(1)
    expect(indexRange(points, [301, 1801])).toEqual([2, 3])
  })

  it('keeps the GPU bounds integers float32 holds, however far the window reaches', () => {
    expect(unitRangeOf(points, -Infinity, Infinity)).toEqual([-1, 2 ** 24])
    expect(unitRangeOf(points, Date.parse('0001-01-01T00:00:00Z'), Date.parse('9999-01-01T00:00:00Z'))).toEqual([-1, 2 ** 24])
  })

  it('gives each point its GPU filter keys: subcategory, status, severity', () => {
    expect(Array.from(points.filterKeys)).toEqual([0, 0, 1, 1, 6, 4, 0, 3, 2])
  })

  it('marks the points a GPU filter keeps, for the counts and the bins', () => {
    const kept = keptPoints(points, pointFilterOf({ ...EMPTY_FILTER, category: ['dispute'], status: ['reported', 'handling'] }, points.categoryOrder))
    expect(Array.from(kept!)).toEqual([1, 0, 1])
    expect(countKept(kept, 0, 3)).toBe(2)
    expect(countKept(kept, 1, 3)).toBe(1)
    expect(keptPoints(points, pointFilterOf({ ...EMPTY_FILTER, severity: [4] }, points.categoryOrder))).toEqual(new Uint8Array([0, 1, 0]))
    expect(keptPoints(points, pointFilterOf(EMPTY_FILTER, points.categoryOrder))).toBeNull()
    expect(countKept(null, 1, 3)).toBe(2)
  })
})
