import { describe, expect, it } from 'vitest'
import type { GridFeatureCollection } from '../api/client.ts'
import { rateCells } from './rate-classes.ts'

function outline(code: string, households: number): GridFeatureCollection['features'][number] {
  return {
    type: 'Feature',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    },
    properties: {
      code,
      level: 2,
      name: code,
      parentCode: '440904',
      households,
      population: households * 3,
      incidents: 0,
      open: 0,
      overdue: 0,
      labelPoint: [0.5, 0.5],
    },
  }
}

describe('rateCells', () => {
  const outlines: GridFeatureCollection = { type: 'FeatureCollection', features: [outline('a', 1000), outline('b', 500), outline('c', 0), outline('d', 200)] }

  it('joins figures by code and classes the highest rate highest', () => {
    const { cells, legend } = rateCells(outlines, [
      { code: 'a', name: 'a', count: 10, households: 1000, ratePer1000: 10 },
      { code: 'b', name: 'b', count: 25, households: 500, ratePer1000: 50 },
      { code: 'c', name: 'c', count: 3, households: 0, ratePer1000: null },
    ])
    const classOf = Object.fromEntries(cells.map((c) => [c.properties.code, c.properties.rateClass]))
    expect(classOf.b).toBeGreaterThan(classOf.a!)
    // d has no figure: no incidents, rate 0, the lowest class.
    expect(cells.find((c) => c.properties.code === 'd')!.properties).toMatchObject({ count: 0, ratePer1000: 0 })
    expect(classOf.d).toBeLessThanOrEqual(classOf.a!)
    // c has no households: no rate, left out of the legend.
    expect(legend.reduce((n, e) => n + e.count, 0)).toBe(3)
  })
})
