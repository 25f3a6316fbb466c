/**
 * Which place names to draw at a zoom: towns first (larger), then villages where they fit,
 * none overlapping (label-placement.ts). Shared by the analyst map and the wall.
 */
import type { GridFeature } from '../api/client.ts'
import { mapLabelOf } from '../grid/labels.ts'
import { placeLabels } from './label-placement.ts'
import type { SizedLabel } from './layers/place-labels-layer.ts'

export const TOWN_LABEL_SIZE = 15
export const VILLAGE_LABEL_SIZE = 12

/** Candidates from cells of levels 2 (towns) and 3 (villages), each at its label point. */
export function placeNamesAt(cells: readonly GridFeature[], zoom: number, scale = 1): SizedLabel[] {
  const candidates = cells.map((cell) => ({
    text: mapLabelOf(cell.properties.name, cell.properties.level),
    position: cell.properties.labelPoint,
    size: (cell.properties.level <= 2 ? TOWN_LABEL_SIZE : VILLAGE_LABEL_SIZE) * scale,
    // Towns before villages, then the places with more households.
    priority: (cell.properties.level <= 2 ? 1e9 : 0) + cell.properties.households,
  }))
  const placed: SizedLabel[] = []
  // Placed per size so each box is measured in its own font size; towns take their room first.
  for (const size of [...new Set(candidates.map((c) => c.size))].sort((a, b) => b - a)) {
    const ofSize = candidates.filter((c) => c.size === size)
    const taken = placed.map((p) => ({ text: p.text, position: p.position, priority: Infinity, size: p.size }))
    const result = placeLabels([...taken, ...ofSize], zoom, size)
    for (const { label, offset } of result) if (!taken.includes(label as (typeof taken)[number])) placed.push({ ...label, offset })
  }
  return placed
}
