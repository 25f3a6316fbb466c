import { describe, expect, it } from 'vitest'
import type { GridFeatureCollection } from '../api/client.ts'
import { classifyTowns } from './town-classes.ts'

function collection(households: number[]): GridFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: households.map((value, i) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [] },
      properties: { code: `440904${String(i).padStart(3, '0')}`, level: 2, name: `镇${i}`, parentCode: '440904', households: value, population: value * 3, labelPoint: [0, 0] },
    })),
  }
}

describe('classifyTowns', () => {
  it('spreads towns over five classes by households, fewest first', () => {
    const { towns, legend } = classifyTowns(collection([100, 900, 300, 700, 500, 200, 400, 600, 800, 1000]))
    const classOf = (households: number) => towns.find((t) => t.properties.households === households)!.properties.householdsClass
    expect(classOf(100)).toBe(0)
    expect(classOf(1000)).toBe(4)
    expect(legend.map((entry) => [entry.from, entry.to])).toEqual([[100, 200], [300, 400], [500, 600], [700, 800], [900, 1000]])
  })

  it('puts equal households in the same class and leaves empty classes out of the legend', () => {
    const { towns, legend } = classifyTowns(collection([50, 50, 50, 50]))
    expect(new Set(towns.map((t) => t.properties.householdsClass)).size).toBe(1)
    expect(legend).toHaveLength(1)
  })
})
