/**
 * The analyst map: MapLibre for the camera and the offline basemap (the grid's own tiles, towns
 * outlined), deck.gl through the one DeckOverlay for the neighbouring districts, the analyst
 * layers in the order the layer panel gives, and the district's outline on top. A pure function
 * of its props: the layers arrive built; hover shows a tooltip of what a bin or cell holds, a
 * click on a choropleth cell is reported; each drawn frame is reported (the page times its
 * redraws by it).
 */
import type { Layer, PickingInfo } from '@deck.gl/core'
import type { MapLibreOverlay } from '@deck.gl/maplibre'
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'
import { useEffect, useRef, useState } from 'react'
import type { ContextRegionCollection, GridFeature } from '../api/client.ts'
import { createBaseStyle } from '../map/base-style.ts'
import { TILE_LAYERS, tileFillLayerId, tileLineLayerId } from '../map/grid-tiles.ts'
import type { TooltipContent } from '../map/cell-tooltip.ts'
import { DeckOverlay } from '../map/deck-overlay.tsx'
import { createContextRegionsLayer } from '../map/layers/context-regions-layer.ts'
import { createDistrictOutlineLayer } from '../map/layers/district-outline-layer.ts'
import { MapTooltip, type TooltipPlacement } from '../map/map-tooltip.tsx'
import { useMapLibre, type CameraTarget, type Padding } from '../map/use-maplibre.ts'
import { analystPickOf, type AnalystPick } from './layers/analyst-layers.ts'

export interface AnalystMapProps {
  tilesUrl: string
  /** Level of the grid cell in view (the filter's grid, or the district): outlines are drawn one level below it. */
  viewLevel: number
  camera: CameraTarget | undefined
  padding: Padding
  district: GridFeature | undefined
  context: ContextRegionCollection | undefined
  /** The analyst layers, bottom first. */
  layers: (Layer | null)[]
  tooltipOf: (pick: AnalystPick) => TooltipContent
  onFrame: () => void
  /** A choropleth cell clicked: the page narrows the filter to it. */
  onSelectCell: (code: string) => void
  onReady: (map: MapLibreMap, overlay: MapLibreOverlay) => void
  label: string
  attribution: string
}

export function AnalystMap({ tilesUrl, viewLevel, camera, padding, district, context, layers, tooltipOf, onFrame, onSelectCell, onReady, label, attribution }: AnalystMapProps) {
  const container = useRef<HTMLDivElement>(null)
  // Level 2: the towns are outlined over the district; finer outlines would fight the heatmap.
  const { map } = useMapLibre(container, () => createBaseStyle(tilesUrl, 2), camera, padding, attribution)
  const [overlay, setOverlay] = useState<MapLibreOverlay | null>(null)
  useOutlineLevels(map, viewLevel)
  const [hover, setHover] = useState<{ pick: AnalystPick; placement: TooltipPlacement } | null>(null)

  const regions = context?.features.filter((f) => f.geometry.coordinates.length > 0) ?? []
  const all = [createContextRegionsLayer(regions), ...layers, createDistrictOutlineLayer(district)]

  const onHover = (info: PickingInfo) => {
    const pick = analystPickOf(info)
    setHover(pick ? { pick, placement: { x: info.x, y: info.y, width: info.viewport?.width ?? 0, height: info.viewport?.height ?? 0 } } : null)
  }

  const latestReady = useRef(onReady)
  latestReady.current = onReady
  const latestSelect = useRef(onSelectCell)
  latestSelect.current = onSelectCell
  useEffect(() => {
    if (!map || !overlay) return
    // MapLibre's click (a click that did not drag), then deck.gl's picking at that point.
    const onClick = (event: MapMouseEvent) => {
      const pick = analystPickOf(overlay.pickObject({ x: event.point.x, y: event.point.y, radius: 0, layerIds: ['choropleth'] }))
      if (pick?.kind === 'cell') latestSelect.current(pick.cell.code)
    }
    map.on('click', onClick)
    return () => {
      map.off('click', onClick)
    }
  }, [map, overlay])
  useEffect(() => {
    if (map && overlay) latestReady.current(map, overlay)
  }, [map, overlay])

  return (
    <div className="grid-map analyst-map" role="region" aria-label={label}>
      <div ref={container} className="grid-map__canvas" />
      <DeckOverlay map={map} layers={all} onHover={onHover} onAfterRender={onFrame} onOverlay={setOverlay} getCursor={({ isDragging }) => (isDragging ? 'grabbing' : 'grab')} />
      {hover && <MapTooltip content={tooltipOf(hover.pick)} placement={hover.placement} />}
    </div>
  )
}

/** Tile outlines from the towns down to one level below the cell in view; finer ones would bury the heatmap. */
function useOutlineLevels(map: MapLibreMap | null, viewLevel: number) {
  useEffect(() => {
    if (!map) return
    const deepest = Math.max(2, viewLevel + 1)
    const apply = () => {
      for (const { level } of TILE_LAYERS) {
        const visibility = level <= deepest ? 'visible' : 'none'
        for (const id of [tileFillLayerId(level), tileLineLayerId(level)]) map.setLayoutProperty(id, 'visibility', visibility)
      }
    }
    if (map.style?._loaded) apply()
    else map.once('style.load', apply)
    return () => {
      map.off('style.load', apply)
    }
  }, [map, viewLevel])
}
