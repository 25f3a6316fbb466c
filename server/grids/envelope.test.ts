import { describe, expect, it } from 'vitest'
import { envelopeDegrees } from './envelope.ts'

// Metres of one degree of longitude at a latitude, on the WGS 84 ellipsoid (a close enough series).
const lonDegreeM = (lat: number) => {
  const φ = (lat * Math.PI) / 180
  return 111_412.84 * Math.cos(φ) - 93.5 * Math.cos(3 * φ) + 0.118 * Math.cos(5 * φ)
}

describe('envelopeDegrees', () => {
  it('holds the radius at every latitude a county may be at, wider in the north', () => {
    for (const lat of [18, 21.5, 30, 40, 53.5, -33]) {
      const { dLon, dLat } = envelopeDegrees(500, lat)
      expect(dLon * lonDegreeM(lat)).toBeGreaterThan(500)
      expect(dLat * 110_574).toBeGreaterThan(500)
    }
    expect(envelopeDegrees(500, 53.5).dLon).toBeGreaterThan(1.5 * envelopeDegrees(500, 21.5).dLon)
  })
})
