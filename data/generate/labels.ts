/**
 * Label points. The Voronoi seed of a cell is inside it and, after Lloyd relaxation, usually
 * near its middle, so it is used as is unless it sits close to the border (a seed kept where it
 * was because its relaxed position left the parent, or a cell cut by the parent's edge). Then
 * the pole of inaccessibility of the cell's largest part is searched (the polylabel algorithm:
 * quadtree cells ordered by the best distance they could still contain).
 */
import { distanceToRings, pointInRings } from './lattice.ts'
import type { Point } from './seeds.ts'

type Ring = readonly Point[]

function area(ring: Ring): number {
  let a = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1])
  return Math.abs(a) / 2
}

/** The seed if it is at least a tenth of the cell's size away from the border, else polylabel. */
export function labelPoint(parts: readonly Ring[], seed: Point | null): Point {
  const largest = parts.reduce((best, ring) => (area(ring) > area(best) ? ring : best))
  const size = Math.sqrt(area(largest))
  if (seed && pointInRings(parts, seed[0], seed[1]) && distanceToRings(parts, seed[0], seed[1]) >= size / 10) return seed
  return polylabel(largest, size / 100)
}

interface Cell {
  x: number
  y: number
  h: number
  d: number
  max: number
}

export function polylabel(ring: Ring, precision: number): Point {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity
  for (const [x, y] of ring) (minX = Math.min(minX, x)), (minY = Math.min(minY, y)), (maxX = Math.max(maxX, x)), (maxY = Math.max(maxY, y))
  const cellSize = Math.min(maxX - minX, maxY - minY)
  if (cellSize === 0) return [minX, minY]
  const make = (x: number, y: number, h: number): Cell => {
    const inside = pointInRings([ring], x, y)
    const d = (inside ? 1 : -1) * distanceToRings([ring], x, y)
    return { x, y, h, d, max: d + h * Math.SQRT2 }
  }
  const queue: Cell[] = []
  const push = (c: Cell) => {
    queue.push(c)
    for (let i = queue.length - 1; i > 0; ) {
      const p = (i - 1) >> 1
      if (queue[p]!.max >= queue[i]!.max) break
      ;[queue[p], queue[i]] = [queue[i]!, queue[p]!]
      i = p
    }
  }
  const pop = (): Cell => {
    const top = queue[0]!
    const last = queue.pop()!
    if (queue.length > 0) {
      queue[0] = last
      for (let i = 0; ; ) {
        const l = 2 * i + 1,
          r = l + 1
        let m = i
        if (l < queue.length && queue[l]!.max > queue[m]!.max) m = l
        if (r < queue.length && queue[r]!.max > queue[m]!.max) m = r
        if (m === i) break
        ;[queue[m], queue[i]] = [queue[i]!, queue[m]!]
        i = m
      }
    }
    return top
  }
  const h = cellSize / 2
  for (let x = minX; x < maxX; x += cellSize) for (let y = minY; y < maxY; y += cellSize) push(make(x + h, y + h, h))
  let best = make((minX + maxX) / 2, (minY + maxY) / 2, 0)
  while (queue.length > 0) {
    const cell = pop()
    if (cell.d > best.d) best = cell
    if (cell.max - best.d <= precision) continue
    const q = cell.h / 2
    push(make(cell.x - q, cell.y - q, q))
    push(make(cell.x + q, cell.y - q, q))
    push(make(cell.x - q, cell.y + q, q))
    push(make(cell.x + q, cell.y + q, q))
  }
  return [best.x, best.y]
}
