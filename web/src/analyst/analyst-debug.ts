/**
 * `window.__gridscopeAnalyst`: a read-only handle on the analyst map for end-to-end tests and the
 * bench, as window.__gridscope is for the dashboard (web/src/map/debug-handle.ts). WebGL output
 * cannot be read through the DOM, so it says what the map was given and when it drew it: the
 * layer stack, the points held, the playhead, and the first frame that drew each selection's
 * points (what a filter change is timed to). It changes nothing.
 */
import type { Map as MapLibreMap } from 'maplibre-gl'
import { installDebugHandle } from '../debug/install-handle.ts'
import type { LayerEntry } from './layer-stack.ts'

export interface Redraw {
  /** The selection (filterKey) whose points the frame drew. */
  key: string
  /** performance.now() of the first frame that drew them. */
  at: number
}

export interface AnalystDebugHandle {
  readonly map: MapLibreMap
  /** The layer stack, bottom first. */
  layers(): LayerEntry[]
  /** Ids of the deck.gl layers the last drawn frame was given (bottom first; BaseMap records them). */
  drawnLayerIds(): string[]
  /** Points the map shows for the current selection (those the GPU filter keeps of the held ones). */
  pointCount(): number
  /** Points held (and fed to the layers): the selection's, widened where the GPU filters them. */
  heldPointCount(): number
  /** The selection the map shows: the address's (filterKey) once the held points cover it. */
  pointsKey(): string | null
  /** The selection the held points were fetched for (point-selection.ts pointsSelectionOf). */
  heldPointsKey(): string | null
  /** The GPU filter given to the layers: kept subcategory indexes, status indexes, severities. */
  pointFilter(): { categories: number[]; statuses: number[]; severities: number[] }
  /** The GPU's time filter given to the layers: whole time units since the held points' base, inclusive; null when time is not cut. */
  timeRange(): [number, number] | null
  playhead(): { playing: boolean; at: number | null; window: { from: number; to: number } | null }
  /** The latest selection's first drawn frame, or null before any. */
  lastRedraw(): Redraw | null
  /** performance.now() of the last frame the map drew (any frame), or null before any. */
  lastFrameAt(): number | null
  /** Points in the playback window, or null when not playing back. */
  inWindow(): number | null
  pagePointOf(lon: number, lat: number): { x: number; y: number }
}

declare global {
  interface Window {
    __gridscopeAnalyst?: AnalystDebugHandle
  }
}

export function exposeAnalystHandle(handle: AnalystDebugHandle): () => void {
  return installDebugHandle('__gridscopeAnalyst', handle)
}
