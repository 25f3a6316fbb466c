import { describe, expect, it } from 'vitest'
import { assessPositions, distanceM, type StoredPosition } from './plausibility.ts'

const at = (minutes: number, lon: number, lat: number, accuracy = 10, gridCode: string | null = '440904004001001001'): StoredPosition => ({
  t: new Date(Date.UTC(2026, 10, 30, 1, 0) + minutes * 60_000),
  lon,
  lat,
  accuracy,
  gridCode,
})

describe('assessPositions', () => {
  it('counts a walk, and measures it from one plausible position to the next', () => {
    const walk = [at(0, 111.0, 21.5), at(1, 111.001, 21.5), at(2, 111.002, 21.5)]
    const result = assessPositions(walk)
    expect(result.map((r) => r.flag)).toEqual([null, null, null])
    expect(result[0]!.segmentM).toBe(0)
    expect(result[1]!.segmentM).toBeCloseTo(distanceM(walk[0]!, walk[1]!), 6)
    expect(result[1]!.segmentM).toBeGreaterThan(100)
    expect(result[1]!.segmentM).toBeLessThan(110)
  })

  it('flags a jump faster than 200 km/h and measures the next position from the last good one', () => {
    // 0.1° of longitude ≈ 10.4 km in one minute ≈ 620 km/h.
    const points = [at(0, 111.0, 21.5), at(1, 111.1, 21.5), at(2, 111.001, 21.5)]
    const result = assessPositions(points)
    expect(result.map((r) => r.flag)).toEqual([null, 'too_fast', null])
    expect(result[2]!.segmentM).toBeCloseTo(distanceM(points[0]!, points[2]!), 6)
  })

  it('flags positions outside the district and worse than 500 m accuracy, and leaves them out of the distance', () => {
    const result = assessPositions([at(0, 111.0, 21.5), at(1, 111.0005, 21.5, 501), at(2, 111.0007, 21.5, 10, null), at(3, 111.001, 21.5, 500)])
    expect(result.map((r) => r.flag)).toEqual([null, 'inaccurate', 'outside', null])
    expect(result[3]!.segmentM).toBeCloseTo(distanceM({ lon: 111.0, lat: 21.5 }, { lon: 111.001, lat: 21.5 }), 6)
  })

  it('accepts 200 km/h exactly', () => {
    const metresPerMinute = 200_000 / 60
    const deg = metresPerMinute / distanceM({ lon: 111, lat: 21.5 }, { lon: 112, lat: 21.5 })
    expect(assessPositions([at(0, 111, 21.5), at(1, 111 + deg * 0.999, 21.5)])[1]!.flag).toBeNull()
    expect(assessPositions([at(0, 111, 21.5), at(1, 111 + deg * 1.01, 21.5)])[1]!.flag).toBe('too_fast')
  })
})
