/**
 * Which analyst layers are shown and in what order, bottom first (deck.gl draws in array order).
 * The default opens on the heatmap of disputes, over the rate choropleth's outlines left off.
 */
import type { AnalystLayerId } from './layers/analyst-layers.ts'

export interface LayerEntry {
  id: AnalystLayerId
  visible: boolean
}

export const DEFAULT_STACK: readonly LayerEntry[] = [
  { id: 'choropleth', visible: false },
  { id: 'bins', visible: false },
  { id: 'heatmap', visible: true },
  { id: 'points', visible: false },
]

export function toggleLayer(stack: readonly LayerEntry[], id: AnalystLayerId): LayerEntry[] {
  return stack.map((entry) => (entry.id === id ? { ...entry, visible: !entry.visible } : entry))
}

/** Moves a layer one place up (drawn later, on top) or down; at either end nothing changes. */
export function moveLayer(stack: readonly LayerEntry[], id: AnalystLayerId, direction: 'up' | 'down'): LayerEntry[] {
  const index = stack.findIndex((entry) => entry.id === id)
  const target = direction === 'up' ? index + 1 : index - 1
  if (index < 0 || target < 0 || target >= stack.length) return [...stack]
  const next = [...stack]
  ;[next[index], next[target]] = [next[target]!, next[index]!]
  return next
}
