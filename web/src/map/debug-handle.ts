/**
 * `window.__gridscope`: a small, read-only handle for end-to-end tests and for operators poking
 * at a wall display from the console. WebGL output cannot be queried through the DOM, so the
 * browser tests ask deck.gl's own picking what is drawn at a coordinate instead of guessing
 * from pixels alone. It exposes no state that can be changed and adds no behaviour.
 */
import type { MapLibreOverlay } from '@deck.gl/maplibre'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { TOWN_POLYGONS_LAYER_ID, townOfPick } from './layers/town-polygons-layer.ts'

export interface GridscopeDebugHandle {
  readonly map: MapLibreMap
  /** Code of the town drawn at lon/lat (deck.gl picking), or null when none is drawn there. */
  pickTownAt(lon: number, lat: number): string | null
  /** Where lon/lat is on the page, in CSS pixels (for pointer events in tests). */
  pagePointOf(lon: number, lat: number): { x: number; y: number }
}

declare global {
  interface Window {
    __gridscope?: GridscopeDebugHandle
  }
}

export function exposeDebugHandle(map: MapLibreMap, overlay: MapLibreOverlay): () => void {
  const handle: GridscopeDebugHandle = Object.freeze({
    map,
    pickTownAt(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      return townOfPick(overlay.pickObject({ x, y, radius: 0, layerIds: [TOWN_POLYGONS_LAYER_ID] }))?.properties.code ?? null
    },
    pagePointOf(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      const rect = map.getCanvas().getBoundingClientRect()
      return { x: rect.left + x, y: rect.top + y }
    },
  })
  Object.defineProperty(window, '__gridscope', { value: handle, configurable: true, enumerable: false, writable: false })
  return () => {
    if (window.__gridscope === handle) delete window.__gridscope
  }
}
