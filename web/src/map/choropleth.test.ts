import { describe, expect, it } from 'vitest'
import type { GridFeatureCollection } from '../api/client.ts'
import { classifyCells, computeClassBreaks, metricValue, NO_DATA_CLASS } from './choropleth.ts'
import { classFill, NO_DATA_FILL } from './palette.ts'

function collection(households: number[]): GridFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: households.map((value, i) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [] },
      properties: {
        code: `440904${String(i).padStart(3, '0')}`,
        level: 2,
        name: `镇${i}`,
        parentCode: '440904',
        households: value,
        population: 1000 - value,
        incidents: 1000 - value,
        open: value % 3,
        overdue: 0,
        labelPoint: [0, 0],
      },
    })),
  }
}

describe('computeClassBreaks', () => {
  it('spreads ten values over five classes, lowest first, with the ranges of the legend', () => {
    const { classOf, legend } = computeClassBreaks([100, 900, 300, 700, 500, 200, 400, 600, 800, 1000])
    expect(classOf(100)).toBe(0)
    expect(classOf(1000)).toBe(4)
    expect(legend.map((entry) => [entry.from, entry.to])).toEqual([
      [100, 200],
      [300, 400],
      [500, 600],
      [700, 800],
      [900, 1000],
    ])
    expect(legend.every((entry) => entry.count === 2)).toBe(true)
  })

  it('puts equal values in the same class and leaves empty classes out of the legend', () => {
    const { legend } = computeClassBreaks([50, 50, 50, 50])
    expect(legend).toEqual([{ valueClass: 0, from: 50, to: 50, count: 4 }])
  })

  it('uses the top class for a single value and gives an empty legend for none', () => {
    expect(computeClassBreaks([7]).legend).toEqual([{ valueClass: 4, from: 7, to: 7, count: 1 }])
    expect(computeClassBreaks([]).legend).toEqual([])
  })

  it('keeps a few values in distinct, ordered classes', () => {
    const { classOf, legend } = computeClassBreaks([26, 23, 25, 24, 10])
    expect([10, 23, 24, 25, 26].map(classOf)).toEqual([0, 1, 2, 3, 4])
    expect(legend).toHaveLength(5)
  })

  it('classes a value between the breaks with the values it lies among', () => {
    const { classOf } = computeClassBreaks([10, 20, 30, 40, 50])
    expect(classOf(25)).toBe(classOf(30))
    expect(classOf(1000)).toBe(4)
  })
})

describe('classifyCells', () => {
  it('classes by the chosen figure', () => {
    const cells = collection([100, 200, 300, 400, 500])
    const byHouseholds = classifyCells(cells, 'households').cells.map((c) => c.properties.valueClass)
    const byPopulation = classifyCells(cells, 'population').cells.map((c) => c.properties.valueClass)
    expect(byHouseholds).toEqual([0, 1, 2, 3, 4])
    expect(byPopulation).toEqual([4, 3, 2, 1, 0])
  })

  it('classes by incidents per 1,000 households, so small busy cells stand out', () => {
    // households 100…500, incidents 900…500: rates 9000, 4000, 2333.3, 1500, 1000 per 1,000.
    const cells = collection([100, 200, 300, 400, 500])
    expect(cells.features.map((f) => metricValue(f.properties, 'incidentRate'))).toEqual([9000, 4000, 2333.3, 1500, 1000])
    expect(classifyCells(cells, 'incidentRate').cells.map((c) => c.properties.valueClass)).toEqual([4, 3, 2, 1, 0])
    expect(metricValue({ households: 0, population: 0, incidents: 5, open: 0, overdue: 0 }, 'incidentRate')).toBe(0)
  })
})

describe('classifyCells by evaluation score', () => {
  it('classes the scored cells among themselves and keeps a cell without a score as no data, never zero', () => {
    const cells = collection([100, 200, 300, 400, 500])
    const codes = cells.features.map((f) => f.properties.code)
    const scores = new Map<string, number | null>([
      [codes[0]!, 90],
      [codes[1]!, null],
      [codes[2]!, 40],
      [codes[3]!, 0],
    ])
    const { cells: classed, legend, noData } = classifyCells(cells, 'score', scores)
    const classes = classed.map((c) => c.properties.valueClass)
    // codes[4] is not in the answer at all: also no data.
    expect(classes[1]).toBe(NO_DATA_CLASS)
    expect(classes[4]).toBe(NO_DATA_CLASS)
    expect(noData).toBe(2)
    // A real score of 0 is the lowest class, not no data.
    expect(classes[3]).toBeGreaterThanOrEqual(0)
    expect(classes[3]!).toBeLessThan(classes[2]!)
    expect(classes[2]!).toBeLessThan(classes[0]!)
    expect(legend.reduce((n, e) => n + e.count, 0)).toBe(3)
    expect(classFill(NO_DATA_CLASS)).toEqual(NO_DATA_FILL)
  })
})
