/**
 * The situation map: MapLibre for the camera and the offline basemap, deck.gl (through the one
 * DeckOverlay) for everything drawn on it. A pure function of its props: data arrives already
 * fetched and classified, hover state lives with the caller, and the tooltip text is given.
 */
import type { PickingInfo } from '@deck.gl/core'
import type { MapLibreOverlay } from '@deck.gl/maplibre'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ContextRegionCollection, GridFeature } from '../api/client.ts'
import { DeckOverlay } from './deck-overlay.tsx'
import { exposeDebugHandle } from './debug-handle.ts'
import { characterSetOf, expandBbox, visibleLabelPoint, type Bbox } from './geometry.ts'
import { createContextLabelsLayer, type PlacedLabel } from './layers/context-labels-layer.ts'
import { createContextRegionsLayer } from './layers/context-regions-layer.ts'
import { createDistrictOutlineLayer } from './layers/district-outline-layer.ts'
import { createTownHighlightLayer } from './layers/town-highlight-layer.ts'
import { createTownLabelsLayer } from './layers/town-labels-layer.ts'
import { createTownPolygonsLayer, townOfPick } from './layers/town-polygons-layer.ts'
import { MapTooltip, type TooltipPlacement } from './map-tooltip.tsx'
import type { TownFeature } from './town-classes.ts'
import type { TooltipContent } from './town-tooltip.ts'
import { useMapLibre, type Padding } from './use-maplibre.ts'

export interface TownHover {
  town: TownFeature
  placement: TooltipPlacement
}

export interface GridMapProps {
  /** The camera fits these bounds when the map opens and whenever they change. */
  bounds: Bbox
  /** Room left around `bounds` for the panels floating over the map. */
  padding: Padding
  district: GridFeature | undefined
  towns: TownFeature[] | undefined
  context: ContextRegionCollection | undefined
  hover: TownHover | null
  tooltip: TooltipContent | null
  onHover: (hover: TownHover | null) => void
  label: string
  attribution: string
}

const getCursor = ({ isDragging, isHovering }: { isDragging: boolean; isHovering: boolean }) =>
  isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'

export function GridMap(props: GridMapProps) {
  const { bounds, padding, district, towns, context, hover, tooltip, onHover, label, attribution } = props
  const container = useRef<HTMLDivElement>(null)
  const map = useMapLibre(container, bounds, padding, attribution)
  const [overlay, setOverlay] = useState<MapLibreOverlay | null>(null)

  const contextLabels = useMemo(() => placeContextLabels(context, bounds), [context, bounds])
  const characterSet = useMemo(
    () => characterSetOf([...(towns ?? []).map((t) => t.properties.name), ...contextLabels.map((l) => l.text)]),
    [towns, contextLabels],
  )

  const layers = [
    createContextRegionsLayer(context),
    createTownPolygonsLayer(towns),
    createTownHighlightLayer(hover?.town ?? null),
    createDistrictOutlineLayer(district),
    // A TextLayer with no characters builds a 0-pixel-high font atlas, which WebGL rejects.
    contextLabels.length > 0 && createContextLabelsLayer(contextLabels, characterSet),
    towns && towns.length > 0 && createTownLabelsLayer(towns, characterSet),
  ]

  const handleHover = (info: PickingInfo) => {
    const town = townOfPick(info)
    if (!town) return onHover(null)
    onHover({ town, placement: { x: info.x, y: info.y, width: info.viewport?.width ?? 0, height: info.viewport?.height ?? 0 } })
  }

  useEffect(() => (map && overlay ? exposeDebugHandle(map, overlay) : undefined), [map, overlay])

  return (
    <div className="grid-map" role="region" aria-label={label}>
      <div ref={container} className="grid-map__canvas" />
      <DeckOverlay map={map} layers={layers} onHover={handleHover} getCursor={getCursor} onOverlay={setOverlay} />
      {hover && tooltip && <MapTooltip content={tooltip} placement={hover.placement} />}
    </div>
  )
}

/** Context regions reach far beyond the district: label the part of each near the view. */
function placeContextLabels(context: ContextRegionCollection | undefined, bounds: Bbox): PlacedLabel[] {
  if (!context) return []
  const near = expandBbox(bounds, 0.3)
  return context.features.flatMap((feature) => {
    const position = visibleLabelPoint(feature.geometry, near)
    return position ? [{ text: feature.properties.name, position }] : []
  })
}
