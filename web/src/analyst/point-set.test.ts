import { describe, expect, it } from 'vitest'
import { allocatePoints, packSeverityStatus, writePointsHeader } from '../../../server/analytics/points-format.ts'
import { indexCategories } from '../incidents/categories.ts'
import { countInWindow, countKept, keptPoints, toPointSet } from './point-set.ts'
import { pointFilterOf } from './point-selection.ts'
import { EMPTY_FILTER } from './filter-state.ts'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const HOUR = 3_600_000
const CATEGORIES = indexCategories([
  { code: 'dispute', nameZh: '矛盾纠纷', nameEn: 'Disputes', color: '#ff0000', children: [{ code: 'dispute.land', nameZh: '土地', nameEn: 'Land' }] },
  { code: 'safety', nameZh: '安全隐患', nameEn: 'Safety', color: '#00ff00', children: [{ code: 'safety.fire', nameZh: '消防', nameEn: 'Fire' }] },
] as never)

/** A points buffer as the server writes it: three points, 0 h, 5 h and 30 h after T0. */
function buffer(): ArrayBuffer {
  const { buffer, columns } = allocatePoints(3)
  columns.positions.set([111, 21.5, 111.1, 21.6, 111.2, 21.7])
  columns.category.set([0, 1, 0])
  columns.severityStatus.set([packSeverityStatus(1, 0), packSeverityStatus(4, 6), packSeverityStatus(2, 3)])
  columns.time.set([0, 5, 30])
  writePointsHeader(buffer, { count: 3, timeUnitSeconds: 3600, t0: T0, t1: T0 + 30 * HOUR, bounds: [111, 21.5, 111.2, 21.7] })
  return buffer.buffer as ArrayBuffer
}

describe('toPointSet', () => {
  const points = toPointSet(buffer(), ['dispute.land', 'safety.fire'], CATEGORIES)

  it('keeps the positions and gives time, weight and colour columns', () => {
    expect(points.length).toBe(3)
    expect(Array.from(points.positions.slice(0, 2))).toEqual([111, 21.5].map(Math.fround))
    expect(points.base).toBe(T0)
    expect(Array.from(points.times)).toEqual([0, 5 * HOUR, 30 * HOUR])
    expect(Array.from(points.severity)).toEqual([1, 4, 2])
    // Colour of the category family: dispute red, safety green.
    expect(Array.from(points.colors.slice(0, 8))).toEqual([255, 0, 0, 220, 0, 255, 0, 220])
  })

  it('counts the points in a half-open window', () => {
    expect(countInWindow(points, T0, T0 + 5 * HOUR)).toBe(1)
    expect(countInWindow(points, T0, T0 + 5 * HOUR + 1)).toBe(2)
    expect(countInWindow(points, T0 - HOUR, T0 + 100 * HOUR)).toBe(3)
    expect(countInWindow(points, T0 + 40 * HOUR, T0 + 50 * HOUR)).toBe(0)
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
