/**
 * Where the map's tooltip card goes: beside the pointer, on the side where it covers the fewest
 * map labels (so the name of the cell being pointed at stays readable), kept inside the map.
 * Pure, so it is unit-tested.
 */

import { labelWidth } from './label-placement.ts'

/** [left, top, right, bottom] in the map's CSS pixels. */
export type Box = readonly [number, number, number, number]

const OFFSET = 16

function overlap(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0])
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1])
  return w > 0 && h > 0 ? w * h : 0
}

/**
 * The top-left corner of a card of `size` for a pointer at (x, y) in a map of `mapSize`: right
 * and below first, then the other three corners, then straight above or below; the first that
 * fits and covers no label in `avoid`, else the one covering the least of them.
 */
export function placeTooltip(
  pointer: { x: number; y: number },
  size: { width: number; height: number },
  mapSize: { width: number; height: number },
  avoid: readonly Box[],
): { left: number; top: number } {
  const { x, y } = pointer
  const { width: w, height: h } = size
  const candidates = [
    [x + OFFSET, y + OFFSET],
    [x + OFFSET, y - OFFSET - h],
    [x - OFFSET - w, y + OFFSET],
    [x - OFFSET - w, y - OFFSET - h],
    [x - w / 2, y + 2 * OFFSET],
    [x - w / 2, y - 2 * OFFSET - h],
  ] as const
  let best: { left: number; top: number; cost: number } | null = null
  for (const [left, top] of candidates) {
    const box: Box = [left, top, left + w, top + h]
    const outside = left < 0 || top < 0 || left + w > mapSize.width || top + h > mapSize.height
    const covered = avoid.reduce((sum, label) => sum + overlap(box, label), 0)
    // Leaving the map is worse than covering any label.
    const cost = covered + (outside ? 1e9 : 0)
    if (!best || cost < best.cost) best = { left, top, cost }
    if (cost === 0) break
  }
  return { left: best!.left, top: best!.top }
}

/** The boxes (map pixels) of placed labels, given the map's projection and the labels' font size. */
export function labelBoxesOf(
  labels: readonly { text: string; position: [number, number]; offset?: [number, number] }[],
  project: (lonLat: [number, number]) => { x: number; y: number },
  fontSize: number,
): Box[] {
  return labels.map((label) => {
    const { x, y } = project(label.position)
    const halfWidth = labelWidth(label.text, fontSize) / 2 + 2
    const cy = y + (label.offset?.[1] ?? 0)
    return [x - halfWidth, cy - fontSize / 2 - 2, x + halfWidth, cy + fontSize / 2 + 2] as const
  })
}
