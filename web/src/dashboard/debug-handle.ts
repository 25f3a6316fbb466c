/**
 * `window.__gridscope`: a small, read-only handle for end-to-end tests, benchmarks and operators
 * poking at a wall display from the console. WebGL output cannot be queried through the DOM, so
 * the browser tests ask deck.gl's own picking (and MapLibre's rendered tile features) what is
 * drawn at a coordinate instead of guessing from pixels alone, `childrenDrawn` tells when the
 * children of a cell were first drawn, which is what a drill-down is timed to, and `incidentIds`
 * which cases the incident layer is given (a live report must reach the map, not only the list). It exposes no
 * state that can be changed and adds no behaviour.
 */
import type { MapLibreOverlay } from '@deck.gl/maplibre'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { CHILD_CELLS_LAYER_ID, cellOfPick, childCellFill } from './layers/child-cells-layer.ts'
import { incidentOfPick, INCIDENTS_LAYER_ID } from './layers/incidents-layer.ts'
import { installDebugHandle } from '../debug/install-handle.ts'
import type { MapCell } from './tile-picking.ts'

export interface ChildrenDrawn {
  /** The cell whose children (the cells being compared) were drawn. */
  parentCode: string
  /** performance.now() of the first frame that drew them. */
  at: number
}

export interface GridscopeDebugHandle {
  readonly map: MapLibreMap
  /** Code of the compared cell deck.gl draws at lon/lat (picking), or null when none is there. */
  pickCellAt(lon: number, lat: number): string | null
  /** The fill (RGBA) the compared cell drawn at lon/lat is given, or null when none is there. */
  cellFillAt(lon: number, lat: number): [number, number, number, number] | null
  /** Id of the topmost deck.gl layer a click at lon/lat would hit (incident points lie over cells), or null. */
  topLayerAt(lon: number, lat: number): string | null
  /** Id of a case drawn within `radius` pixels of lon/lat (a pointer lands on a whole pixel), or null. */
  incidentNear(lon: number, lat: number, radius: number): number | null
  /** The finest grid cell MapLibre drew from the vector tiles at lon/lat, or null. */
  tileCellAt(lon: number, lat: number): Pick<MapCell, 'code' | 'level'> | null
  /** Where lon/lat is on the page, in CSS pixels (for pointer events in tests). */
  pagePointOf(lon: number, lat: number): { x: number; y: number }
  /** The last set of children drawn, or null before the first. */
  childrenDrawn(): ChildrenDrawn | null
  /** Ids of the incidents the points layer draws now. */
  incidentIds(): number[]
  /** The boxes of the cell names drawn now, [left, top, right, bottom] in page pixels. */
  labelBoxes(): [number, number, number, number][]
}

export interface DebugSources {
  childrenDrawn(): ChildrenDrawn | null
  incidentIds(): number[]
  /** Label boxes in the map's pixels. */
  labelBoxes(): readonly (readonly [number, number, number, number])[]
  tileCellAt(x: number, y: number): MapCell | null
}

declare global {
  interface Window {
    __gridscope?: GridscopeDebugHandle
  }
}

export function exposeDebugHandle(map: MapLibreMap, overlay: MapLibreOverlay, sources: DebugSources): () => void {
  const handle: GridscopeDebugHandle = {
    map,
    pickCellAt(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      return cellOfPick(overlay.pickObject({ x, y, radius: 0, layerIds: [CHILD_CELLS_LAYER_ID] }))?.properties.code ?? null
    },
    cellFillAt(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      const cell = cellOfPick(overlay.pickObject({ x, y, radius: 0, layerIds: [CHILD_CELLS_LAYER_ID] }))
      return cell ? [...childCellFill(cell)] : null
    },
    topLayerAt(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      return overlay.pickObject({ x, y, radius: 0 })?.layer?.id ?? null
    },
    incidentNear(lon: number, lat: number, radius: number) {
      const { x, y } = map.project([lon, lat])
      return incidentOfPick(overlay.pickObject({ x, y, radius, layerIds: [INCIDENTS_LAYER_ID] }))?.id ?? null
    },
    tileCellAt(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      const cell = sources.tileCellAt(x, y)
      return cell ? { code: cell.code, level: cell.level } : null
    },
    pagePointOf(lon: number, lat: number) {
      const { x, y } = map.project([lon, lat])
      const rect = map.getCanvas().getBoundingClientRect()
      return { x: rect.left + x, y: rect.top + y }
    },
    childrenDrawn: () => {
      const drawn = sources.childrenDrawn()
      return drawn ? { ...drawn } : null
    },
    incidentIds: () => [...sources.incidentIds()],
    labelBoxes: () => {
      const rect = map.getCanvas().getBoundingClientRect()
      return sources.labelBoxes().map(([l, t, r, b]) => [l + rect.left, t + rect.top, r + rect.left, b + rect.top])
    },
  }
  return installDebugHandle('__gridscope', handle)
}
