import { describe, expect, it } from 'vitest'
import { binClass, binPoints } from './hexbin.ts'

describe('binPoints', () => {
  const origin: [number, number] = [111.0, 21.5]

  it('puts nearby points in one bin and far ones in others, counting every point once', () => {
    // Two points 100 m apart, one 5 km away, with 1 km hexagons.
    const positions = new Float32Array([111.0, 21.5, 111.0, 21.5009, 111.05, 21.5])
    const bins = binPoints(positions, 0, 3, 1000, origin)
    expect(bins.map((b) => b.count).sort()).toEqual([1, 2])
    const near = bins.find((b) => b.count === 2)!
    // The bin's centre is within one radius of its points.
    expect(Math.abs(near.position[0] - 111.0) * 111_320 * Math.cos((21.5 * Math.PI) / 180)).toBeLessThan(1000)
    expect(Math.abs(near.position[1] - 21.5)).toBeLessThan(0.01)
  })

  it('bins only the slice asked for', () => {
    const positions = new Float32Array([111.0, 21.5, 111.0, 21.5, 111.05, 21.5])
    expect(binPoints(positions, 1, 2, 1000, origin)).toEqual([expect.objectContaining({ count: 1 })])
    expect(binPoints(positions, 2, 2, 1000, origin)).toEqual([])
  })
})

describe('binClass', () => {
  it('spreads counts from 1 to the largest over the classes, the tail widened', () => {
    expect(binClass(1, 101, 6)).toBe(0)
    expect(binClass(101, 101, 6)).toBe(5)
    // A quarter of the largest count is half-way up the scale.
    expect(binClass(26, 101, 6)).toBe(3)
    expect(binClass(1, 1, 6)).toBe(5)
  })
})
