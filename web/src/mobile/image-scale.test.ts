import { describe, expect, it } from 'vitest'
import { fitWithin, MAX_LONG_SIDE } from './image-scale.ts'

describe('photo scaling', () => {
  it('brings a 12-megapixel landscape photo to 2048 px on its long side', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 2048, height: 1536, scale: 2048 / 4032 })
  })

  it('scales portrait photos by their height', () => {
    const size = fitWithin(3024, 4032)
    expect(size.height).toBe(MAX_LONG_SIDE)
    expect(size.width).toBe(1536)
  })

  it('keeps the aspect ratio to the nearest pixel for odd sizes', () => {
    const size = fitWithin(4000, 2251)
    expect(size.width).toBe(2048)
    expect(size.height).toBe(Math.round(2251 * (2048 / 4000)))
    expect(Math.abs(size.width / size.height - 4000 / 2251)).toBeLessThan(0.001)
  })

  it('never enlarges a small photo', () => {
    expect(fitWithin(640, 480)).toEqual({ width: 640, height: 480, scale: 1 })
    expect(fitWithin(2048, 100)).toEqual({ width: 2048, height: 100, scale: 1 })
  })

  it("never rounds a panorama's short side to zero", () => {
    expect(fitWithin(100_000, 10).height).toBe(1)
  })

  it('refuses an empty image', () => {
    expect(() => fitWithin(0, 100)).toThrow(RangeError)
  })
})
