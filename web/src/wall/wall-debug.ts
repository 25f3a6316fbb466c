/**
 * `window.__gridscopeWall`: a read-only handle for end-to-end tests and operators at the wall's
 * console: the live feed's counters (first, last, count and sum of event ids received, replays and duplicates
 * dropped, connections made), the stop in focus, and the map (to wait for it to settle). It adds
 * no behaviour and nothing in it can be changed.
 */
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { FeedStats } from '../api/live-feed.ts'
import { installDebugHandle } from '../debug/install-handle.ts'

export interface WallDebugHandle {
  feed(): Readonly<FeedStats>
  /** Grid code the panels and the map focus on now. */
  focus(): string | null
  /** Points in the live layer now. */
  livePoints(): number
  map(): MapLibreMap | null
  /** Names of the places (towns, a town stop's villages) drawn on the map now. */
  placeNames(): string[]
}

declare global {
  interface Window {
    __gridscopeWall?: WallDebugHandle
  }
}

export function exposeWallDebugHandle(handle: WallDebugHandle): () => void {
  return installDebugHandle('__gridscopeWall', handle)
}
