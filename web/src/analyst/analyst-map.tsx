/**
 * The analyst map, on the shared BaseMap: the offline basemap (the grid's own tiles, towns
 * outlined down to one level below the cell in view), deck.gl for the neighbouring districts, the analyst
 * layers in the order the layer panel gives, the district's outline, and on top the names of the
 * towns (and the villages of the town in view) for orientation. A pure function
 * of its props: the layers arrive built; hover shows a tooltip of what a bin or cell holds, a
 * click on a choropleth cell is reported; each drawn frame is reported (the page times its
 * redraws by it).
 */
import type { Layer } from '@deck.gl/core'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useMemo, useRef, useState } from 'react'
import type { ContextRegionCollection, GridFeature } from '../api/client.ts'
import { BaseMap, type BaseMapHandles, type CameraTarget, type Padding } from '../map/base-map.tsx'
import type { TooltipContent } from '../map/cell-tooltip.ts'
import { TILE_LAYERS } from '../map/grid-tiles.ts'
import { createContextRegionsLayer } from '../map/layers/context-regions-layer.ts'
import { createDistrictOutlineLayer } from '../map/layers/district-outline-layer.ts'
import { MapTooltip, type TooltipPlacement } from '../map/map-tooltip.tsx'
import { characterSetOf } from '../map/geometry.ts'
import { createPlaceLabelsLayer } from '../map/layers/place-labels-layer.ts'
import { placeNamesAt } from '../map/place-labels.ts'
import { labelBoxesOf } from '../map/tooltip-placement.ts'
import { analystPickOf, type AnalystPick } from './layers/analyst-layers.ts'

export const PLACE_LABELS_LAYER_ID = 'place-labels'

export interface AnalystMapProps {
  /** Level of the grid cell in view (the filter's grid, or the district): outlines are drawn one level below it. */
  viewLevel: number
  camera: CameraTarget | undefined
  padding: Padding
  district: GridFeature | undefined
  context: ContextRegionCollection | undefined
  /** Towns and villages whose names are drawn (where they fit). */
  places: readonly GridFeature[]
  /** The analyst layers, bottom first. */
  layers: (Layer | null)[]
  tooltipOf: (pick: AnalystPick) => TooltipContent
  onFrame: () => void
  /** A choropleth cell clicked: the page narrows the filter to it. */
  onSelectCell: (code: string) => void
  onReady: (handles: BaseMapHandles) => (() => void) | undefined
  label: string
  attribution: string
}

export function AnalystMap({
  viewLevel,
  camera,
  padding,
  district,
  context,
  places,
  layers,
  tooltipOf,
  onFrame,
  onSelectCell,
  onReady,
  label,
  attribution,
}: AnalystMapProps) {
  const [hover, setHover] = useState<{ pick: AnalystPick; placement: TooltipPlacement } | null>(null)
  const [zoom, setZoom] = useState<number | null>(null)
  const map = useRef<MapLibreMap | null>(null)
  const regions = context?.features.filter((f) => f.geometry.coordinates.length > 0) ?? []
  const names = useMemo(() => (zoom === null ? [] : placeNamesAt(places, zoom)), [places, zoom])
  // From the full names (the short map names use a subset of their characters): stable while zooming.
  const characterSet = useMemo(() => characterSetOf(places.map((p) => p.properties.name)), [places])
  const all = [
    createContextRegionsLayer(regions),
    ...layers,
    createDistrictOutlineLayer(district),
    // A TextLayer with no characters builds a 0-pixel-high font atlas, which WebGL rejects.
    names.length > 0 && createPlaceLabelsLayer(PLACE_LABELS_LAYER_ID, names, characterSet),
  ]
  const avoid = hover && map.current ? labelBoxesOf(names, (p) => map.current!.project(p), names[0]?.size ?? 12) : []
  // Tile outlines from the towns down to one level below the cell in view; finer ones would bury the heatmap.
  const deepest = Math.max(2, viewLevel + 1)
  const levels = TILE_LAYERS.map((t) => t.level).filter((level) => level <= deepest)

  return (
    <BaseMap
      className="grid-map analyst-map"
      camera={camera}
      padding={padding}
      // Level 2: the towns are outlined over the district.
      styleLevel={2}
      tileLevels={{ fill: levels, line: levels }}
      layers={all}
      onAfterRender={onFrame}
      onZoom={setZoom}
      onReady={(handles) => {
        map.current = handles.map
        const cleanUp = onReady(handles)
        return () => {
          map.current = null
          cleanUp?.()
        }
      }}
      interactions={{
        onHover: (info) => {
          const pick = analystPickOf(info)
          setHover(pick ? { pick, placement: { x: info.x, y: info.y, width: info.viewport?.width ?? 0, height: info.viewport?.height ?? 0 } } : null)
        },
        // MapLibre's click (a click that did not drag), then deck.gl's picking at that point.
        onClick: ({ x, y }, { overlay }) => {
          const pick = analystPickOf(overlay.pickObject({ x, y, radius: 0, layerIds: ['choropleth'] }))
          if (pick?.kind === 'cell') onSelectCell(pick.cell.code)
        },
        getCursor: ({ isDragging }) => (isDragging ? 'grabbing' : 'grab'),
      }}
      label={label}
      attribution={attribution}
    >
      {hover && <MapTooltip content={tooltipOf(hover.pick)} placement={hover.placement} avoid={avoid} />}
    </BaseMap>
  )
}
