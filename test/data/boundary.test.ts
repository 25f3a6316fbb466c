/**
 * The county boundary cleaning (data/generate/boundary.ts): clean rings pass through unchanged;
 * a ring pinched into two loops that share a point, a spike folding back along an edge and an
 * island inside a pinched hole come out as simple counter-clockwise rings that do not touch,
 * covering the same area up to the notches (a few lattice units). Real Guangdong counties with
 * such boundaries are generated in test/data/province.test.ts.
 */
import type { Position } from 'geojson'
import { describe, expect, it } from 'vitest'
import { boundaryProblem, countyLoops } from '../../data/generate/boundary.ts'
import { makeLattice, toUnits } from '../../data/generate/lattice.ts'

/** Rings in thousandths of a degree from (110°, 21°), closed, as a GeoJSON polygon's outer rings. */
const polygon = (...rings: [number, number][][]): Position[][][] => rings.map((ring) => [[...ring, ring[0]!].map(([x, y]) => [110 + x / 1000, 21 + y / 1000])])
const lattice = makeLattice(110, 21, 110.01, 21.01)
/** Lattice units per thousandth of a degree. */
const UNIT = 10_000

function area(loop: [number, number][]): number {
  let sum = 0
  for (let i = 0, j = loop.length - 1; i < loop.length; j = i++) sum += loop[j]![0] * loop[i]![1] - loop[i]![0] * loop[j]![1]
  return sum / 2 / UNIT ** 2
}

describe('a county boundary on the lattice', () => {
  it('keeps clean rings exactly as they are', () => {
    const square: [number, number][] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
    ]
    const island: [number, number][] = [
      [3, 3],
      [4, 3],
      [4, 4],
    ]
    const loops = countyLoops(lattice, [...polygon(square), ...polygon(island)])
    expect(loops).toEqual([square, island].map((ring) => ring.map(([x, y]) => toUnits(lattice, 110 + x / 1000, 21 + y / 1000))))
  })

  it('separates two loops pinched at one point, by a notch of a few lattice units', () => {
    const figureEight: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 2],
      [1, 1],
      [0, 1],
    ]
    const loops = countyLoops(lattice, polygon(figureEight))
    expect(loops).toHaveLength(2)
    expect(boundaryProblem(loops)).toBeNull()
    for (const loop of loops) expect(area(loop)).toBeGreaterThan(0)
    expect(loops.reduce((sum, loop) => sum + area(loop), 0)).toBeCloseTo(2, 4)
  })

  it('drops a spike that folds back along an edge', () => {
    const spiked: [number, number][] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 1],
      [0, 1.5],
    ]
    const loops = countyLoops(lattice, polygon(spiked))
    expect(loops).toHaveLength(1)
    expect(boundaryProblem(loops)).toBeNull()
    expect(area(loops[0]!)).toBeCloseTo(4, 6)
  })

  it('merges an island lying in a hole the boundary pinches off', () => {
    // The ring runs round a 4×4 square and pinches off a hole (1,1)–(3,3) at the point (1,1);
    // the island fills part of the hole. The grid has no holes: one ring, the whole square.
    const pinched: [number, number][] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
      [1, 1],
      [1, 3],
      [3, 3],
      [3, 1],
      [1, 1],
    ]
    const island: [number, number][] = [
      [1.5, 1.5],
      [2.5, 1.5],
      [2.5, 2.5],
    ]
    const loops = countyLoops(lattice, [...polygon(pinched), ...polygon(island)])
    expect(boundaryProblem(loops)).toBeNull()
    expect(loops).toHaveLength(1)
    expect(area(loops[0]!)).toBeCloseTo(16, 6)
  })
})
