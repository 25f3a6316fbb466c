import { describe, expect, it } from 'vitest'
import { bboxOfGeometry, characterSetOf, visibleLabelPoint } from './geometry.ts'

describe('visibleLabelPoint', () => {
  it('labels the part of a region inside the view', () => {
    // A 10×2 strip, of which only x 0…2 is in view: the label goes to the middle of that part.
    const strip = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [10, 0],
          [10, 2],
          [0, 2],
          [0, 0],
        ],
      ],
    }
    const [x, y] = visibleLabelPoint(strip, [-1, -1, 2, 3])!
    expect(x).toBeCloseTo(1)
    expect(y).toBeCloseTo(1)
  })

  it('gives null for a region wholly outside the view', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    }
    expect(visibleLabelPoint(square, [5, 5, 6, 6])).toBeNull()
  })
})

describe('characterSetOf', () => {
  it('lists each character once', () => {
    expect(characterSetOf(['电白区', '茂南区']).length).toBe(5)
  })
})

describe('bboxOfGeometry', () => {
  it('spans the outer rings of every part', () => {
    const geometry = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
        [
          [
            [5, -2],
            [6, 3],
            [5, 3],
            [5, -2],
          ],
        ],
      ],
    }
    expect(bboxOfGeometry(geometry)).toEqual([0, -2, 6, 3])
  })
})
