import { describe, expect, it } from 'vitest'
import { labelWidth, mercatorPixel, placeLabels } from './label-placement.ts'

describe('mercatorPixel', () => {
  it('puts 0,0 in the middle of the world and doubles with each zoom', () => {
    expect(mercatorPixel([0, 0], 0)).toEqual([256, 256])
    const [x1] = mercatorPixel([111, 21.5], 10)
    const [x2] = mercatorPixel([111, 21.5], 11)
    expect(x2).toBeCloseTo(2 * x1)
  })
})

describe('labelWidth', () => {
  it('counts CJK characters as square and digits as narrow', () => {
    expect(labelWidth('电白区', 14)).toBe(42)
    expect(labelWidth('第3组', 10)).toBe(26)
  })
})

describe('placeLabels', () => {
  const at = (lon: number, text: string, priority: number) => ({ text, position: [lon, 21.5] as [number, number], priority })

  it('moves the less important of two colliding labels just above its point', () => {
    const big = at(111, '蓝田坡村', 100)
    const small = at(111.0001, '乔梅村', 10)
    expect(placeLabels([small, big], 12, 14)).toEqual([
      { label: small, offset: [0, -20] },
      { label: big, offset: [0, 0] },
    ])
  })

  it('drops a label with no room on, above or below its point', () => {
    const labels = [at(111, '甲村', 4), at(111.0001, '乙村', 3), at(111.0002, '丙村', 2), at(111.0003, '丁村', 1)]
    expect(placeLabels(labels, 12, 14).map((p) => p.label.text)).toEqual(['甲村', '乙村', '丙村'])
  })

  it('keeps labels that are apart where they are, in their input order', () => {
    const a = at(111, '甲村', 1)
    const b = at(111.1, '乙村', 2)
    expect(placeLabels([a, b], 12, 14)).toEqual([
      { label: a, offset: [0, 0] },
      { label: b, offset: [0, 0] },
    ])
  })

  it('keeps more labels as the zoom grows', () => {
    const labels = Array.from({ length: 10 }, (_, i) => at(111 + i * 0.002, `第${i}村民小组`, i))
    expect(placeLabels(labels, 11, 13).length).toBeLessThan(placeLabels(labels, 16, 13).length)
    expect(placeLabels(labels, 16, 13)).toHaveLength(10)
  })
})
